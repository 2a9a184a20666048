"""scripts/bench.py: discovers benchmark modules, survives failing ones, prints one table, caches synth data."""
from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


bench = _load("bench")

FAKE = '''
def run(ctx):
    data = ctx.synth(6)
    items = sorted(p.name for p in (data / "items").rglob("*.yaml") if p.name != "_department.yaml")
    (ctx.tmp / "scratch.txt").write_text("x")
    seconds, rss = ctx.measure(lambda: sum(range(1000)))
    return [
        {"benchmark": "fake count", "value": len(items), "unit": "items", "goal": "≥ 6 items"},
        {"benchmark": "fake slow", "value": 4.5, "unit": "s", "goal": "≤ 3 s"},
        {"benchmark": "fake measured", "value": seconds, "unit": "s", "goal": "", "ok": rss > 0},
        {"benchmark": "fake quick", "value": str(ctx.quick), "unit": "", "goal": ""},
    ]
'''


@pytest.fixture()
def suite(tmp_path: Path) -> Path:
    d = tmp_path / "benchmarks"
    d.mkdir()
    (d / "bench_fake.py").write_text(FAKE)
    (d / "bench_broken.py").write_text("def run(ctx):\n    raise ValueError('boom here')\n")
    (d / "bench_nosuchimport.py").write_text("import no_such_module_xyz\n")
    (d / "bench_badrows.py").write_text("def run(ctx):\n    return [{'benchmark': 'x'}]\n")
    (d / "helper.py").write_text("raise RuntimeError('not a benchmark, must not be imported')\n")
    return d


def _run(suite: Path, tmp_path: Path, *args: str) -> int:
    return bench.main(["--benchmarks", str(suite), "--bench-dir", str(tmp_path / ".bench"), *args])


def test_runs_every_module_and_prints_a_table(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(suite, tmp_path, "--json", str(tmp_path / "out.json")) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["benchmark", "value", "unit", "goal", "ok"]
    table = {ln.split("  ")[0].strip(): ln for ln in lines[2:] if ln.startswith("fake")}
    assert table["fake count"].split()[-1] == "yes" and " 6 " in table["fake count"]
    assert table["fake slow"].split()[-1] == "NO"
    assert table["fake measured"].split()[-1] == "yes"
    assert "False" in table["fake quick"]
    assert "error in broken: ValueError: boom here" in out
    assert "error in nosuchimport: ModuleNotFoundError" in out
    assert "error in badrows: BenchmarkError: row" in out
    assert "helper" not in out
    doc = json.loads((tmp_path / "out.json").read_text())
    assert [r["benchmark"] for r in doc["rows"]] == ["badrows", "broken", "fake count", "fake slow",
                                                     "fake measured", "fake quick", "nosuchimport"]
    assert (tmp_path / ".bench" / "tmp" / "fake" / "scratch.txt").exists()


def test_only_and_quick(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(suite, tmp_path, "--only", "fake", "--quick") == 0
    out = capsys.readouterr().out
    assert "fake quick" in out and "True" in out and "broken" not in out
    assert _run(suite, tmp_path, "--only", "nope") == 2
    assert "unknown benchmark nope" in capsys.readouterr().err


def test_tmp_is_cleaned_per_run(suite: Path, tmp_path: Path) -> None:
    stale = tmp_path / ".bench" / "tmp" / "fake" / "stale.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    _run(suite, tmp_path, "--only", "fake")
    assert not stale.exists()


def test_synth_cache_is_reused_until_the_generator_changes(tmp_path: Path) -> None:
    ctx = bench.Context(tmp_path / ".bench")
    first = ctx.synth(5)
    assert first == tmp_path / ".bench" / "synth-5-0"
    marker = first / "marker"
    marker.write_text("kept while the cache is valid")
    assert ctx.synth(5) == first and marker.exists()
    (first / ".synth-hash").write_text("0000\n")  # as if synth.py had changed since
    assert ctx.synth(5) == first and not marker.exists()
    assert len([p for p in (first / "items").rglob("*.yaml") if p.name != "_department.yaml"]) == 5


def test_measure_reports_child_time_memory_and_errors(tmp_path: Path) -> None:
    ctx = bench.Context(tmp_path / ".bench")
    seconds, rss, result = ctx.measure_call(lambda: (os.getpid(), bytearray(64 * 2**20)[:1]))
    assert result[0] != os.getpid() and seconds >= 0
    assert rss >= 64 * 2**20
    with pytest.raises(bench.BenchmarkError, match="ZeroDivisionError"):
        ctx.measure(lambda: 1 / 0)
    seconds, rss, out = ctx.measure_command([sys.executable, "-c", "print('hi')"])
    assert out.strip() == "hi" and rss > 0
    with pytest.raises(bench.BenchmarkError, match="exit 3"):
        ctx.measure_command([sys.executable, "-c", "import sys; sys.exit(3)"])


@pytest.mark.parametrize(("value", "unit", "goal", "ok"), [
    (2.9, "s", "≤ 3 s", True), (3.1, "s", "≤ 3 s", False), (5, "items/s", ">= 1,000 items/s", False),
    (2000, "items/s", "≥ 1,000 items/s", True), (1.0, "MB", "≤ 3 s", None), ("n/a", "s", "≤ 3 s", None),
    (1.0, "s", "fast", None),
])
def test_goal_evaluation(value: Any, unit: str, goal: str, ok: bool | None) -> None:
    assert bench.evaluate({"benchmark": "b", "value": value, "unit": unit, "goal": goal}).get("ok") is ok


def test_long_values_are_clipped_in_the_table() -> None:
    table = bench.format_table([{"benchmark": "blob", "value": "x" * 200, "unit": "", "goal": ""},
                                {"benchmark": "n", "value": 1234.5, "unit": "s", "goal": ""}])
    assert max(len(line) for line in table.splitlines()) < 60
    assert "1,234" in table and "…" in table


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="Linux only")
def test_a_module_s_memory_does_not_reach_the_next_module(tmp_path: Path) -> None:
    """Modules run in forked children: 600 MB that one keeps alive does not inflate the next one's peak RSS."""
    d = tmp_path / "benchmarks"
    d.mkdir()
    (d / "bench_a_big.py").write_text(
        "KEEP = []\n"
        "def run(ctx):\n"
        "    KEEP.append(bytearray(600 * 2**20))\n"
        "    return [{'benchmark': 'big', 'value': len(KEEP[0]) // 2**20, 'unit': 'MB', 'goal': ''}]\n")
    (d / "bench_b_small.py").write_text(
        "def run(ctx):\n"
        "    _, rss = ctx.measure(lambda: None)\n"
        "    return [{'benchmark': 'small', 'value': rss / 2**20, 'unit': 'MB', 'goal': ''}]\n")
    own = int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20  # RSS, MB
    assert bench.main(["--benchmarks", str(d), "--bench-dir", str(tmp_path / ".bench"),
                       "--json", str(tmp_path / "out.json")]) == 0
    rows = {r["benchmark"]: r["value"] for r in json.loads((tmp_path / "out.json").read_text())["rows"]}
    assert rows["big"] == 600
    assert rows["small"] < own + 300, (rows, own)

"""scripts/synth.py: the synthetic repository is valid, deterministic, shaped like a real list, and its YAML
emitter writes text that parses back to exactly the data."""
from __future__ import annotations

import hashlib
import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
N = 300


def _load_synth() -> Any:
    if "synth" in sys.modules:
        return sys.modules["synth"]
    spec = importlib.util.spec_from_file_location("synth", ROOT / "scripts" / "synth.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["synth"] = mod
    spec.loader.exec_module(mod)
    return mod


synth = _load_synth()
CODE_RE = re.compile(r"^(?P<region>\d{6})-(?P<letters>[A-Z]{2})-(?P<main>\d{5})(?:-(?P<sub>\d{3}))?$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LETTERS = dict(synth.CATEGORY_LETTERS)


@pytest.fixture(scope="module")
def repo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synth.generate(N, tmp_path_factory.mktemp("synth") / "data", seed=1)


@pytest.fixture(scope="module")
def repo() -> Any:
    return synth.build(N, seed=1)


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


def test_files_parse_back_to_the_data(repo_dir: Path, repo: Any) -> None:
    files = repo.files()
    assert len(files) == len(list((repo_dir / "items").rglob("*.yaml"))) + len(list((repo_dir / "laws").glob("*.yaml")))
    for rel, data in files:
        assert yaml.load((repo_dir / rel).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) == data, rel


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path, repo_dir: Path) -> None:
    again = synth.generate(N, tmp_path / "again", seed=1)
    other = synth.generate(N, tmp_path / "other", seed=2)
    assert _tree_hash(again) == _tree_hash(repo_dir)
    assert _tree_hash(other) != _tree_hash(repo_dir)


def test_refuses_to_overwrite_data(repo_dir: Path) -> None:
    with pytest.raises(FileExistsError):
        synth.generate(5, repo_dir)


def test_exact_count_and_codes(repo: Any) -> None:
    assert len(repo.items) == N
    deps = {d["id"]: d for d in repo.departments}
    codes = [it["code"] for it in repo.items]
    assert len(set(codes)) == len(codes)
    for it in repo.items:
        m = CODE_RE.match(it["code"])
        assert m, it["code"]
        assert m["region"] == deps[it["department"]]["region"]
        assert m["letters"] == LETTERS[it["category"]]
        assert "\n" not in it["name"]
    for d in repo.departments:
        assert ID_RE.match(d["id"]) and re.fullmatch(r"\d{6}", d["region"])
        assert d["level"] in ("市级", "县级")
    for law in repo.laws:
        assert ID_RE.match(law["id"])


def _citations(it: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(it.get("basis", []))
    for fi in it.get("fee", {}).get("items", []):
        out += fi.get("basis", [])
    for key in ("responsibilities", "accountability"):
        for r in it.get(key, []):
            out += r.get("basis", [])
    return out


def test_references_resolve(repo: Any) -> None:
    laws = {law["id"]: law for law in repo.laws}
    items = {it["code"]: it for it in repo.items}
    deps = {d["id"] for d in repo.departments}
    for it in repo.items:
        if it["status"] != "取消":
            assert it.get("basis"), it["code"]
        for c in _citations(it):
            law = laws[c["law"]]
            assert law["status"] != "已废止"
            assert c["article"] in law["articles"]
        if it["status"] == "保留":
            assert "decision" not in it
        else:
            dec = it["decision"]
            assert dec["document"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", dec["date"])
            if it["status"] == "下放":
                assert dec["to"] in deps
            elif it["status"] == "合并":
                assert dec["to"] in items and dec["to"] != it["code"]
        if "parent" in it:
            parent = items[it["parent"]]
            assert "parent" not in parent
            assert it["code"].startswith(parent["code"] + "-")
            assert (parent["category"], parent["department"]) == (it["category"], it["department"])


def test_flows_are_valid(repo: Any) -> None:
    flows = [it["flow"] for it in repo.items if "flow" in it]
    assert flows
    branched = 0
    for flow in flows:
        assert 4 <= len(flow) <= 10
        ids = [s["id"] for s in flow]
        assert len(set(ids)) == len(ids)
        succ: dict[str, list[str]] = {}
        for i, s in enumerate(flow):
            if "next" in s:
                succ[s["id"]] = [e if isinstance(e, str) else e["to"] for e in s["next"]]
            else:
                assert i + 1 < len(flow)
                succ[s["id"]] = [flow[i + 1]["id"]]
            assert all(t in ids for t in succ[s["id"]])
        branched += any(len(v) > 1 for v in succ.values())
        assert any(not v for v in succ.values())
        seen, todo = {ids[0]}, [ids[0]]
        while todo:
            for t in succ[todo.pop()]:
                if t not in seen:
                    seen.add(t)
                    todo.append(t)
        assert seen == set(ids)
    assert branched > len(flows) // 3


def test_distributions_look_like_a_real_list() -> None:
    big = synth.build(5000, seed=3)
    n = len(big.items)
    cats = Counter(it["category"] for it in big.items)
    assert 0.45 < cats["行政处罚"] / n < 0.65
    assert 0.06 < cats["行政许可"] / n < 0.15
    statuses = Counter(it["status"] for it in big.items)
    assert 0.85 < statuses["保留"] / n < 0.95 and len(statuses) == 6
    assert 0.3 < sum("flow" in it for it in big.items) / n < 0.5
    assert 0.4 < sum("responsibilities" in it for it in big.items) / n < 0.6
    assert 0.2 < sum("summary" in it for it in big.items) / n < 0.4
    assert any("parent" in it for it in big.items)
    assert 30 <= len(big.departments) <= 60 and len({d["region"] for d in big.departments}) >= 4
    assert 180 <= len(big.laws) <= 220
    assert all(1 <= len(it["basis"]) <= 3 for it in big.items if "basis" in it)
    # enough vocabulary that a search index sees realistic bigram diversity
    bigrams = {name[i:i + 2] for name in (it["name"] for it in big.items) for i in range(len(name) - 1)}
    assert len(bigrams) > 1000


def test_tiny_sizes() -> None:
    for n in (0, 1, 7):
        r = synth.build(n)
        assert len(r.items) == n and r.departments and r.laws


def test_loader_accepts_the_output(repo_dir: Path) -> None:
    load = pytest.importorskip("powerlist.source.load")
    catalog = load.load_catalog(repo_dir)
    assert len(catalog.items) == N
    assert any(it.flow for it in catalog.items.values())
    assert catalog.children


TRICKY = ["yes", "No", "on", "null", "~", "", " lead", "trail ", "2021-03-01", "123", "0x1F", "1e3", ".5", "1:20",
          "1_000", "<<", "=", "a: b", "a #b", "#c", "- x", "-x", "? q", "key:", "[x]", "{y}", "*a", "&b", "!t",
          "|", ">", "'", '"', "%p", "@a", "`b", "“引号”", "0536-8123456", "370700-XK-00012", "a\tb", "tab\t",
          "multi\nline", "tail\n", "\nlead", "line\n  indented", "x\n \ny", "x\r\ny", "\x85nel", "\u2028sep",
          "bom\ufeff", "\x7fdel", "\x00nul", "emoji 😀", "\ufffe"]


def test_emitter_round_trips_tricky_strings() -> None:
    data: dict[str, Any] = {s or "empty": s for s in TRICKY if s.isprintable() and "\n" not in s and s.strip()}
    data["values"] = list(TRICKY)
    data["nested"] = [{"a": s, "b": [s, {}], "c": []} for s in TRICKY]
    data["ints"] = {1: "one", 12: 0, "t": True, "f": False, "n": None}
    assert yaml.load(synth.dump(data), Loader=yaml.CSafeLoader) == data


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=4), st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
                                                                     st.text(), max_size=4))
def test_emitter_round_trips_any_text(values: list[str], mapping: dict[str, str]) -> None:
    data = {"values": values, "mapping": mapping, "text": values[0]}
    assert yaml.load(synth.dump(data), Loader=yaml.CSafeLoader) == data


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert synth.main(["--items", "12", "--out", str(tmp_path / "d"), "--seed", "4"]) == 0
    assert "wrote 12 items" in capsys.readouterr().out
    assert len([p for p in (tmp_path / "d" / "items").rglob("*.yaml") if p.name != "_department.yaml"]) == 12
    assert synth.main(["--items", "12", "--out", str(tmp_path / "d")]) == 2
    assert "not empty" in capsys.readouterr().err

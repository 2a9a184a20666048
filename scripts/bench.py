"""Benchmark runner: ``make bench`` (or ``.venv/bin/python scripts/bench.py [--quick] [--only NAME] [--json FILE]``).

Discovers ``scripts/benchmarks/bench_*.py``; each module defines ``run(ctx) -> list[dict]`` returning rows
``{"benchmark": str, "value": float | str, "unit": str, "goal": str, "ok": bool (optional)}``. The harness
runs the modules in name order, prints one table, and exits 0: benchmarks report, they do not gate CI. A module
that raises (or cannot be imported) becomes an error row and the run goes on.

What a module gets in ``ctx`` (:class:`Context`):

- ``ctx.synth(n_items) -> Path``: a synthetic repository made by scripts/synth.py, generated once per size into
  ``.bench/synth-<n>-<seed>/`` and reused by later runs until the generator's source changes. Treat it as
  read-only; copy it into ``ctx.tmp`` to change it.
- ``ctx.tmp``: an empty scratch folder ``.bench/tmp/<module>/`` (``.bench/tmp`` is wiped at the start of a run).
- ``ctx.quick``: True with ``--quick`` (use smaller sizes, skip the 100,000-item runs).
- ``ctx.measure(fn) -> (seconds, peak_rss_bytes)``: runs ``fn()`` in a forked child process. The seconds are
  measured around the call inside the child; the peak RSS is the child's ``ru_maxrss`` as returned by
  ``os.wait4`` for that one child (not ``RUSAGE_CHILDREN``, which is the maximum over every child ever waited
  for). A forked child starts with the harness's pages, so its peak includes the harness's own resident memory
  at fork time (a few tens of MB). ``ctx.measure_call(fn)`` also returns ``fn``'s (picklable) result.
- ``ctx.measure_command(argv) -> (seconds, peak_rss_bytes, stdout)``: the same for a fresh subprocess (wall time
  from start to exit, so interpreter start-up and imports count); use ``ctx.python`` for the project's Python.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import pickle
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable, Sequence

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
COLUMNS = ("benchmark", "value", "unit", "goal", "ok")


class BenchmarkError(RuntimeError):
    """A benchmark could not run (its message becomes the error row)."""


class ChildFailed(BenchmarkError):
    """The measured function raised in its forked child; the message describes that exception."""


class Context:
    """What a benchmark module's ``run(ctx)`` receives (see the module docstring)."""

    def __init__(self, bench_dir: Path, *, quick: bool = False, seed: int = 0, root: Path = ROOT):
        self.root = root
        self.bench_dir = bench_dir
        self.quick = quick
        self.seed = seed
        self.python = sys.executable
        self.tmp = bench_dir / "tmp"
        self.synth_seconds: dict[int, float] = {}

    # ---- synthetic data
    def synth(self, n_items: int) -> Path:
        """A cached synthetic repository of ``n_items`` items (read-only: copy it to change it)."""
        if str(SCRIPTS) not in sys.path:
            sys.path.insert(0, str(SCRIPTS))
        import synth as synth_mod

        key = synth_mod.source_hash()
        target = self.bench_dir / f"synth-{n_items}-{self.seed}"
        stamp = target / ".synth-hash"
        if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == key:
            return target
        log(f"  generating {n_items:,} synthetic items into {_rel(target)} …")
        partial = self.bench_dir / f"synth-{n_items}-{self.seed}.partial-{os.getpid()}"
        shutil.rmtree(partial, ignore_errors=True)
        # in a forked child, so the harness does not keep the generator's memory (later forks would count it)
        seconds, _ = self.measure(lambda: synth_mod.generate(n_items, partial, seed=self.seed) and None)
        self.synth_seconds[n_items] = seconds
        (partial / ".synth-hash").write_text(key + "\n", encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        partial.rename(target)
        return target

    # ---- measuring
    def measure(self, fn: Callable[[], Any]) -> tuple[float, int]:
        """(seconds, peak RSS bytes) of ``fn()`` run in a forked child."""
        seconds, rss, _ = self.measure_call(fn)
        return seconds, rss

    def measure_call(self, fn: Callable[[], Any]) -> tuple[float, int, Any]:
        """(seconds, peak RSS bytes, result) of ``fn()`` run in a forked child; the result must pickle."""
        sys.stdout.flush()
        sys.stderr.flush()
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child
            os.close(rfd)
            code = 0
            try:
                t0 = time.perf_counter()
                result = fn()
                payload: dict[str, Any] = {"seconds": time.perf_counter() - t0, "result": result}
                try:
                    data = pickle.dumps(payload)
                except Exception:
                    payload["result"] = None
                    data = pickle.dumps(payload)
            except BaseException as exc:  # noqa: BLE001 - report everything to the parent
                data = pickle.dumps({"error": _describe(exc), "trace": traceback.format_exc()})
                code = 1
            with os.fdopen(wfd, "wb") as w:
                w.write(data)
            os._exit(code)
        os.close(wfd)
        with os.fdopen(rfd, "rb") as r:
            data = r.read()
        _, status, usage = os.wait4(pid, 0)
        try:
            payload = pickle.loads(data)
        except Exception:
            raise BenchmarkError(f"the measured child died (wait status {status})") from None
        if "error" in payload:
            raise ChildFailed(payload["error"])
        return payload["seconds"], _maxrss_bytes(usage.ru_maxrss), payload["result"]

    def measure_command(self, argv: Sequence[str], *, env: dict[str, str] | None = None,
                        cwd: Path | None = None, timeout: float = 3600) -> tuple[float, int, str]:
        """(wall seconds, peak RSS bytes, stdout) of a fresh subprocess; raises BenchmarkError if it fails."""
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            t0 = time.perf_counter()
            proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=cwd)
            deadline = t0 + timeout
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    proc.kill()
                    _, status, usage = os.wait4(proc.pid, 0)
                    proc.returncode = -9
                    raise BenchmarkError(f"{argv[0]} timed out after {timeout:.0f} s")
                time.sleep(0.002)
            seconds = time.perf_counter() - t0
            proc.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            err.seek(0)
            stdout = out.read().decode("utf-8", "replace")
            stderr = err.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            last = [ln.strip() for ln in (stderr.strip() or stdout.strip()).splitlines() if ln.strip()][-3:]
            raise BenchmarkError(f"{Path(argv[0]).name} … failed (exit {proc.returncode})"
                                 + (": " + " | ".join(last) if last else ", printing nothing"))
        return seconds, _maxrss_bytes(usage.ru_maxrss), stdout


def _maxrss_bytes(maxrss: int) -> int:
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # Linux reports KiB


def _describe(exc: BaseException) -> str:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__


def _rel(p: Path) -> str:
    try:
        return p.relative_to(ROOT).as_posix()
    except ValueError:
        return str(p)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- discovery and running

def discover(bench_modules: Path) -> list[Path]:
    return sorted(bench_modules.glob("bench_*.py"))


def short_name(path: Path) -> str:
    return path.stem[len("bench_"):]


def _load(path: Path) -> Any:
    name = f"_powerlist_bench_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def error_row(name: str, exc: BaseException | str) -> dict[str, Any]:
    message = exc if isinstance(exc, str) else _describe(exc)
    return {"benchmark": name, "value": "error", "unit": "", "goal": "", "ok": False, "error": message}


def _check_rows(rows: Any) -> list[dict[str, Any]]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise BenchmarkError(f"run(ctx) must return a list of dicts, got {type(rows).__name__}")
    for r in rows:
        missing = [k for k in ("benchmark", "value", "unit", "goal") if k not in r]
        if missing:
            raise BenchmarkError(f"row {r!r} lacks {', '.join(missing)}")
    return rows


def run_module(path: Path, ctx: Context, *, verbose: bool = False) -> list[dict[str, Any]]:
    """Rows of one benchmark module; any failure becomes an error row."""
    name = short_name(path)
    ctx.tmp = ctx.bench_dir / "tmp" / name
    ctx.tmp.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    log(f"{name} …")

    def run() -> list[dict[str, Any]]:
        try:
            mod = _load(path)
            if not callable(getattr(mod, "run", None)):
                raise BenchmarkError(f"{path.name} has no run(ctx) function")
            return _check_rows(mod.run(ctx))
        except BaseException:
            if verbose:
                traceback.print_exc()
            raise

    try:
        # Each module runs in a forked child: whatever one loads or builds in-process stays out of this process,
        # whose size every later fork (and, on Linux, every later subprocess's peak RSS) would otherwise inherit.
        rows = ctx.measure_call(run)[2] if hasattr(os, "fork") else run()
    except KeyboardInterrupt:
        raise
    except ChildFailed as exc:  # already described ("ValueError: …")
        rows = [error_row(name, str(exc))]
    except BaseException as exc:  # noqa: BLE001 - a failing benchmark must not stop the others
        rows = [error_row(name, exc)]
    log(f"{name}: {time.perf_counter() - t0:.1f} s")
    return [evaluate(r) for r in rows]


_GOAL_RE = re.compile(r"^\s*(≤|<=|<|≥|>=|>)\s*([0-9][0-9,_]*(?:\.[0-9]+)?)\s*(\S*)\s*$")


def evaluate(row: dict[str, Any]) -> dict[str, Any]:
    """Fill ``ok`` from a simple goal ("≤ 3 s", "< 200 MB", "≥ 1000") when the module left it out."""
    row = dict(row)
    if "ok" in row or not isinstance(row.get("value"), (int, float)) or isinstance(row.get("value"), bool):
        return row
    m = _GOAL_RE.match(str(row.get("goal", "")))
    if not m or (m.group(3) and m.group(3) != row.get("unit")):
        return row
    op, limit, value = m.group(1), float(m.group(2).replace(",", "").replace("_", "")), float(row["value"])
    row["ok"] = {"≤": value <= limit, "<=": value <= limit, "<": value < limit,
                 "≥": value >= limit, ">=": value >= limit, ">": value > limit}[op]
    return row


def fmt_value(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, float) and not math.isfinite(v):
        return str(v)
    if isinstance(v, int) or abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 100:
        return f"{v:.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if abs(v) >= 0.1 else f"{v:.3g}"


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(c) >= 0x1100 and (0x1100 <= ord(c) <= 0x115f or 0x2e80 <= ord(c) <= 0xa4cf
                                          or 0xac00 <= ord(c) <= 0xd7a3 or 0xf900 <= ord(c) <= 0xfaff
                                          or 0xfe30 <= ord(c) <= 0xfe4f or 0xff00 <= ord(c) <= 0xff60
                                          or 0xffe0 <= ord(c) <= 0xffe6) else 1 for c in s)


def _clip(s: str, width: int = 24) -> str:
    """Long values (e.g. a JSON blob) are shortened in the table; --json keeps them whole."""
    return s if _width(s) <= width else s[:width - 1] + "…"


def format_table(rows: list[dict[str, Any]]) -> str:
    cells = [list(COLUMNS)]
    for r in rows:
        ok = r.get("ok")
        cells.append([str(r["benchmark"]), _clip(fmt_value(r["value"])), str(r.get("unit", "")), str(r.get("goal", "")),
                      "-" if ok is None else ("yes" if ok else "NO")])
    widths = [max(_width(row[i]) for row in cells) for i in range(len(COLUMNS))]
    right = {1}

    def line(row: list[str]) -> str:
        parts = []
        for i, c in enumerate(row):
            pad = " " * (widths[i] - _width(c))
            parts.append(pad + c if i in right else c + pad)
        return "  ".join(parts).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in cells[1:]]
    errors = [r for r in rows if r.get("error")]
    if errors:
        out.append("")
        out += [f"error in {r['benchmark']}: {r['error']}" for r in errors]
    return "\n".join(out)


def select(paths: list[Path], only: list[str]) -> list[Path]:
    if not only:
        return paths
    wanted = {o.removeprefix("bench_").removesuffix(".py") for item in only for o in item.split(",") if o}
    known = {short_name(p) for p in paths}
    unknown = wanted - known
    if unknown:
        raise SystemExit(f"bench: unknown benchmark {', '.join(sorted(unknown))} "
                         f"(available: {', '.join(sorted(known)) or 'none'})")
    return [p for p in paths if short_name(p) in wanted]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Run the benchmarks in scripts/benchmarks/ and print a table.")
    ap.add_argument("--quick", action="store_true", help="smaller sizes; skip the 100,000-item runs")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help="run only this benchmark module (e.g. validate for bench_validate.py); repeatable")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the rows as JSON to FILE")
    ap.add_argument("--seed", type=int, default=0, help="seed of the synthetic data (default 0)")
    ap.add_argument("--verbose", action="store_true", help="print tracebacks of failing benchmarks")
    ap.add_argument("--benchmarks", type=Path, default=SCRIPTS / "benchmarks", help=argparse.SUPPRESS)
    ap.add_argument("--bench-dir", type=Path, default=ROOT / ".bench", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    try:
        paths = select(discover(args.benchmarks), args.only)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    bench_dir = args.bench_dir.resolve()
    shutil.rmtree(bench_dir / "tmp", ignore_errors=True)
    (bench_dir / "tmp").mkdir(parents=True, exist_ok=True)
    for p in (str(SCRIPTS), str(args.benchmarks.resolve())):
        if p not in sys.path:
            sys.path.insert(0, p)
    ctx = Context(bench_dir, quick=args.quick, seed=args.seed)
    t0 = time.perf_counter()
    rows: list[dict[str, Any]] = []
    for path in paths:
        rows += run_module(path, ctx, verbose=args.verbose)
    if not paths:
        log(f"no benchmarks found in {args.benchmarks}")
    print(format_table(rows))
    print(f"\n{len(paths)} module(s) in {time.perf_counter() - t0:.1f} s "
          f"({os.cpu_count()} CPUs, Python {platform.python_version()}{', quick' if args.quick else ''})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        doc = {"quick": args.quick, "seed": args.seed, "cpus": os.cpu_count(), "python": platform.python_version(),
               "rows": rows}
        args.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

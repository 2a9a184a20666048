"""Hostile and careless input as data: every folder in tests/cases/hostile/ is one case, run through the real
``powerlist`` entry point in a subprocess (so a hang, a memory blow-up or a traceback is caught as such).

A case folder holds ``case.yaml`` and optionally ``files/`` (laid over a copy of tests/fixtures/base, the
data folder ``$DATA``) and helper scripts. ``case.yaml`` keys:

- ``class``: the class of issue 12 it belongs to (1-8), or ``new`` for cases found beyond the issue
- ``about``: one line, what a user did and what must happen
- ``needs``: optional list of ``root`` (running as root), ``fifo``, ``tmpfs`` (mount a tiny tmpfs: root),
  ``symlink``; a case whose needs the machine cannot meet is skipped with the reason
- ``setup``: optional bash run first (cwd ``$WORK``); its failure fails the case
- ``run``: bash command line; ``powerlist`` and ``python`` are the project's venv entry points
- ``exit``: the exit code it must end with
- ``stdout`` / ``stderr``: lists of substrings that must appear; ``not_stdout`` / ``not_stderr``: must not
  (``Traceback`` is always forbidden on stderr)
- ``unchanged``: paths (relative to ``$WORK``, e.g. ``data`` or ``docs``) whose whole tree (names, bytes, file
  kinds) must be the same after ``run`` as after ``setup``
- ``absent`` / ``present``: glob patterns relative to ``$WORK`` that must match nothing / something after ``run``
- ``check``: optional bash run after ``run``; it must exit 0 (custom assertions)
- ``timeout``: seconds for ``run`` (default 60); exceeding it fails the case as a hang
- ``memory_mb``: address-space limit for ``run`` (default 3072), so a memory blow-up fails fast

Environment of the scripts: ``WORK`` (a fresh temporary folder), ``DATA`` (``$WORK/data``), ``CASE`` (the case
folder), ``REPO`` (the project checkout), ``PYTHON`` (the venv's interpreter), ``PATH`` with the venv first.
"""
from __future__ import annotations

import hashlib
import os
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).parent
REPO = HERE.parent
BASE = HERE / "fixtures" / "base"
CASES = HERE / "cases" / "hostile"
BIN = Path(sys.executable).parent

KEYS = {"class", "about", "needs", "setup", "run", "exit", "stdout", "stderr", "not_stdout", "not_stderr",
        "unchanged", "absent", "present", "check", "timeout", "memory_mb"}


def _case_dirs() -> list[str]:
    if not CASES.is_dir():
        return []
    return sorted(p.name for p in CASES.iterdir() if (p / "case.yaml").is_file())


def _tree(path: Path) -> str:
    """A digest of a whole tree: relative names, file kinds, bytes of regular files, symlink targets."""
    h = hashlib.sha256()
    if not os.path.lexists(path):
        return "absent"

    def one(p: Path, rel: str) -> None:
        st = os.lstat(p)
        if stat.S_ISLNK(st.st_mode):
            h.update(f"L {rel} {os.readlink(p)}\n".encode())
        elif stat.S_ISDIR(st.st_mode):
            h.update(f"D {rel}\n".encode())
            for name in sorted(os.listdir(p)):
                one(p / name, f"{rel}/{name}")
        elif stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                h.update(f"F {rel} {hashlib.sha256(f.read()).hexdigest()}\n".encode())
        else:
            h.update(f"O {rel} {stat.S_IFMT(st.st_mode)}\n".encode())

    one(path, ".")
    return h.hexdigest()


def _unmet(needs: list[str]) -> str | None:
    is_root = hasattr(os, "geteuid") and os.geteuid() == 0
    for need in needs:
        if need in ("root", "tmpfs") and not is_root:
            return f"needs root ({need}); this test runs as uid {os.geteuid()}"
        if need == "fifo" and not hasattr(os, "mkfifo"):
            return "this platform cannot make a FIFO"
        if need == "symlink" and not hasattr(os, "symlink"):
            return "this platform cannot make symlinks"
        if need not in ("root", "tmpfs", "fifo", "symlink"):
            return f"unknown need {need!r}"
    return None


def _limit(memory_mb: int):  # type: ignore[no-untyped-def]
    def apply() -> None:
        lim = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
        os.setsid()   # the whole group can be killed on a timeout
    return apply


def _bash(script: str, env: dict[str, str], cwd: Path, timeout: float, memory_mb: int | None = None
          ) -> subprocess.CompletedProcess[str]:
    proc = subprocess.Popen(["bash", "-c", script], cwd=cwd, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            preexec_fn=_limit(memory_mb) if memory_mb else os.setsid)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(proc.pid, 9)
        except ProcessLookupError:
            pass
        out, err = proc.communicate()
        pytest.fail(f"hang: still running after {timeout} s\nstdout: {out[-2000:]}\nstderr: {err[-2000:]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.mark.parametrize("name", _case_dirs())
def test_hostile(name: str, tmp_path: Path) -> None:
    case = CASES / name
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    unknown = set(spec) - KEYS
    assert not unknown, f"{name}/case.yaml: unknown keys {sorted(unknown)}"
    assert spec.get("about"), f"{name}/case.yaml: say what the case is about"
    assert "run" in spec and "exit" in spec, f"{name}/case.yaml: 'run' and 'exit' are required"
    reason = _unmet(list(spec.get("needs") or []))
    if reason:
        pytest.skip(reason)
    work = tmp_path / "work"
    work.mkdir()
    data = work / "data"
    shutil.copytree(BASE, data)
    if (case / "files").is_dir():
        shutil.copytree(case / "files", data, dirs_exist_ok=True)
    env = {**os.environ, "WORK": str(work), "DATA": str(data), "CASE": str(case), "REPO": str(REPO),
           "PYTHON": sys.executable, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "PYTHONDONTWRITEBYTECODE": "1", "LC_ALL": "C.UTF-8"}
    env.pop("POWERLIST_JOBS", None)
    mounted: list[str] = []
    try:
        if spec.get("setup"):
            r = _bash(spec["setup"], env, work, 120)
            assert r.returncode == 0, f"setup failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
            mounted = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()
                       if len(line.split()) > 1 and line.split()[1].startswith(str(work))]
        watched = {p: _tree(work / p) for p in spec.get("unchanged") or []}
        r = _bash(spec["run"], env, work, float(spec.get("timeout", 60)), int(spec.get("memory_mb", 3072)))
        shown = f"\n--- exit {r.returncode}\n--- stdout\n{r.stdout[-4000:]}\n--- stderr\n{r.stderr[-4000:]}"
        assert "Traceback" not in r.stderr, f"a traceback reached the user{shown}"
        assert r.returncode == spec["exit"], f"expected exit {spec['exit']}{shown}"
        for s in spec.get("stdout") or []:
            assert s in r.stdout, f"stdout lacks {s!r}{shown}"
        for s in spec.get("stderr") or []:
            assert s in r.stderr, f"stderr lacks {s!r}{shown}"
        for s in spec.get("not_stdout") or []:
            assert s not in r.stdout, f"stdout has {s!r}{shown}"
        for s in spec.get("not_stderr") or []:
            assert s not in r.stderr, f"stderr has {s!r}{shown}"
        for p, digest in watched.items():
            assert _tree(work / p) == digest, f"{p} was changed by the command{shown}"
        for pattern in spec.get("absent") or []:
            found = sorted(str(x.relative_to(work)) for x in work.glob(pattern))
            assert not found, f"{pattern} should match nothing, found {found[:5]}{shown}"
        for pattern in spec.get("present") or []:
            assert list(work.glob(pattern)), f"{pattern} should exist{shown}"
        if spec.get("check"):
            c = _bash(spec["check"], env, work, 120)
            assert c.returncode == 0, f"check failed:\n{c.stdout[-3000:]}\n{c.stderr[-3000:]}{shown}"
    finally:
        for m in reversed(mounted):
            subprocess.run(["umount", "-l", m], capture_output=True)

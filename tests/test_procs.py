"""Worker processes die with their parent; SIGTERM unwinds; the CLI's last-resort messages."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from powerlist.cli import main as cli
from powerlist.runtime.procs import worker_init

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="workers are forked")


def _running(pid: int) -> bool:
    """Whether ``pid`` runs code (a zombie, dead but not reaped, does not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:  # pragma: no cover - no /proc
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


def test_a_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    """Parent killed while the worker runs: the worker stops within a poll interval and writes no more."""
    beat = tmp_path / "beat"
    r, w = os.pipe()
    parent = os.fork()
    if parent == 0:  # pragma: no cover - runs in the child processes
        try:
            me = os.getpid()
            worker = os.fork()
            if worker == 0:
                worker_init(me)
                while True:
                    beat.write_text(str(time.monotonic()), encoding="utf-8")
                    time.sleep(0.01)
            os.write(w, f"{worker}\n".encode())
            time.sleep(60)
        finally:
            os._exit(0)
    os.close(w)
    worker = int(os.read(r, 64).decode())
    os.close(r)
    deadline = time.monotonic() + 30
    while not beat.exists() and time.monotonic() < deadline:   # the worker runs, watching its parent
        time.sleep(0.01)
    assert _running(worker)
    os.kill(parent, signal.SIGKILL)
    os.waitpid(parent, 0)
    deadline = time.monotonic() + 10
    while _running(worker) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not _running(worker), "the worker outlived its parent"
    last = beat.read_text(encoding="utf-8")
    time.sleep(0.2)
    assert beat.read_text(encoding="utf-8") == last


def test_a_worker_whose_parent_died_before_it_started_exits_at_once() -> None:
    """The parent's pid is taken before the fork: a worker forked by a parent that dies before the worker's
    initializer runs must not take its new parent (init) for its own."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        os.close(r)
        try:
            worker_init(os.getppid() + 1_000_000)   # a pid that is not the parent's: gone already
            os.write(w, b"still running\n")
        finally:
            os._exit(0)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    assert os.read(r, 64) == b""
    os.close(r)
    assert os.waitstatus_to_exitcode(status) == 1


def test_sigterm_runs_the_clean_up_and_exits_143() -> None:
    code = ("import os, signal, time\n"
            "from powerlist.runtime.procs import unwind_on_sigterm\n"
            "with unwind_on_sigterm():\n"
            "    try:\n"
            "        os.kill(os.getpid(), signal.SIGTERM)\n"
            "        time.sleep(10)\n"
            "    finally:\n"
            "        print('cleaned up', flush=True)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (143, "cleaned up\n", "")


def test_the_sigterm_handler_is_restored_after_main(capsys: pytest.CaptureFixture[str]) -> None:
    before = signal.getsignal(signal.SIGTERM)
    cli.main(["validate", str(Path(__file__).parent / "fixtures" / "base")])
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("exc, code, message", [
    (OSError(errno.EACCES, "Permission denied", "/srv/site/x"), 2, "powerlist: error: Permission denied: /srv/site/x\n"),
    (OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b"), 2,
     "powerlist: error: Invalid cross-device link: /a -> /b\n"),
    (MemoryError(), 2, "powerlist: error: out of memory\n"),
    (RecursionError("maximum recursion depth exceeded"), 1,
     "powerlist: error: the input is nested too deeply to process\n"),
])
def test_last_resort_messages(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                              exc: BaseException, code: int, message: str) -> None:
    import powerlist.cli.core as core

    def boom(args: object) -> int:
        raise exc

    monkeypatch.setattr(core, "cmd_stats", boom)
    assert cli.main(["stats", "."]) == code
    assert capsys.readouterr().err == message

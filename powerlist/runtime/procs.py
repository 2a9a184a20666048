"""Worker processes that die with their parent, and a SIGTERM that unwinds like Ctrl-C.

A forked pool's workers outlive a parent killed with ``kill -9``: they finish their task (seconds of writing
into a folder nobody will use) and only then notice. :func:`worker_init`, the initializer of every pool
powerlist forks, starts a thread that polls ``os.getppid()`` (portable, unlike Linux's ``PR_SET_PDEATHSIG``)
and ends the worker at once when the parent is gone.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from types import FrameType
from typing import Iterator

#: How often a worker checks that its parent still lives (seconds).
PARENT_POLL = 0.05
#: Exit status after SIGTERM (128 + 15, as a shell reports a process killed by it).
TERMINATED = 128 + signal.SIGTERM


def _watch(parent: int, interval: float) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone: nothing this worker makes can be used any more
        time.sleep(interval)


def watch_parent(parent: int, interval: float = PARENT_POLL) -> None:
    """End this process as soon as its parent ``parent`` (its pid, taken in the parent before the fork: a
    parent that died before this call has already been replaced) is gone; a daemon thread polls."""
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent, interval), name="powerlist-parent-watch", daemon=True).start()


def worker_init(parent: int) -> None:
    """Initializer of a forked pool's worker (``initializer=worker_init, initargs=(os.getpid(),)``): dies with
    its parent; leaves SIGINT and SIGTERM to the parent, which stops the pool itself (a worker that unwound
    on them would keep taking tasks)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    watch_parent(parent)


def _terminate(signum: int, frame: FrameType | None) -> None:
    # A second SIGTERM ends the process at once, even in the middle of a clean-up.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise SystemExit(TERMINATED)


@contextmanager
def unwind_on_sigterm() -> Iterator[None]:
    """Inside the block, SIGTERM raises ``SystemExit(143)`` in the main thread, so that every ``finally`` and
    clean-up runs (a build removes its temporary folder and stops its workers) before the process ends."""
    if threading.current_thread() is not threading.main_thread() or sys.platform == "win32":
        yield
        return
    before = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)

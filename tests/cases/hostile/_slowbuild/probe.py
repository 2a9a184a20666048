"""probe.py snapshot WORK: a digest of every .site-build-* tree under WORK (names, sizes, modification times).
probe.py alive WORK: exit 1 while a worker whose pid is recorded in WORK/workers/ still runs (a zombie counts
as gone: it runs no code)."""
import os
import sys
from pathlib import Path


def snapshot(work: Path) -> None:
    for top in sorted(work.glob(".site-build-*")):
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames.sort()
            for name in sorted(filenames):
                st = os.lstat(os.path.join(dirpath, name))
                print(os.path.relpath(os.path.join(dirpath, name), work), st.st_size, st.st_mtime_ns)


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rpartition(b")")[2].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True


if __name__ == "__main__":
    what, work = sys.argv[1], Path(sys.argv[2])
    if what == "snapshot":
        snapshot(work)
    else:
        alive = [p.name for p in (work / "workers").iterdir() if running(int(p.name))]
        if alive:
            print(f"workers still running: {alive}")
            sys.exit(1)

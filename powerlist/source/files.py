"""Reading a file a user hands powerlist: a regular file only, at most a size limit, never blocking.

The one reader of every file read on a user's behalf — data files (the loader), the importer's sheet and its
``--mapping`` file — so that a FIFO, a device, a folder, or a file that grows while it is read is refused the
same way everywhere. It raises one exception, :class:`FileRefused`, whose ``reason`` says why; each caller
words the message for its own readers (the loader as a problem of a data file, the importer as a usage error).
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

#: Why a file was refused (:attr:`FileRefused.reason`).
MISSING = "missing"          # no such file
FOLDER = "folder"            # a folder, not a file
SPECIAL = "special"          # a FIFO, a device, a socket: reading could block or never end
TOO_LARGE = "too-large"      # larger than the limit (``size`` says how large)
GREW = "grew"                # grew past the limit while being read
UNREADABLE = "unreadable"    # the system refused (``strerror`` says why)


class FileRefused(Exception):
    """A file that is not read. ``reason`` is one of the constants above; ``kind`` names what the path is
    ("a named pipe (FIFO)", "a device", "a folder", …) for FOLDER and SPECIAL; ``size`` (TOO_LARGE) and
    ``limit`` are in bytes; ``strerror`` is the system's message (MISSING, UNREADABLE)."""

    def __init__(self, path: str | Path, reason: str, *, kind: str = "", size: int | None = None, limit: int = 0,
                 strerror: str = ""):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.kind = kind
        self.size = size
        self.limit = limit
        self.strerror = strerror


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a regular file"


def _not_regular(path: str | Path, mode: int) -> FileRefused:
    return FileRefused(path, FOLDER if stat.S_ISDIR(mode) else SPECIAL, kind=_kind_of(mode))


def _os_error(path: str | Path, exc: OSError, limit: int) -> FileRefused:
    reason = MISSING if isinstance(exc, FileNotFoundError) else UNREADABLE
    return FileRefused(path, reason, limit=limit, strerror=exc.strerror or str(exc))


def read_regular(path: str | Path, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, which must hold at most ``limit`` bytes.

    Raises :class:`FileRefused` for anything else, without blocking and without reading more than ``limit`` + 1
    bytes: a FIFO, a device such as /dev/zero, a folder, or a file that grows past the limit while being read.
    The path is checked before it is opened (a device is never opened), the file is opened non-blocking (a FIFO
    swapped in after the check cannot hang the open) and checked again on its descriptor."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        if st.st_size > limit:
            raise FileRefused(path, TOO_LARGE, size=st.st_size, limit=limit)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
                     | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise _os_error(path, exc, limit) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _not_regular(path, st.st_mode)
        chunks: list[bytes] = []
        size = 0
        want = min(limit + 1, st.st_size + 1)    # the whole file at once; then small reads until the end
        while size <= limit:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            want = min(limit + 1 - size, 65536)
    except OSError as exc:
        raise _os_error(path, exc, limit) from None
    finally:
        os.close(fd)
    if size > limit:
        raise FileRefused(path, GREW, limit=limit)
    return b"".join(chunks)

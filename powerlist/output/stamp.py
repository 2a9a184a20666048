"""Deterministic writing of output files, with a stamp that spares the manifest reading them back.

Every file a feature or the site writes from bytes in hand goes through :func:`write_stamped`; the build's
manifest (:mod:`powerlist.site.manifest`) takes the SHA-256 from the stamp while the file still has the stamped
size and time.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stamp:
    """A file as its writer left it: size and modification time, and the SHA-256 of the bytes written.
    The manifest takes the hash from the stamp while the file still has that size and time (nothing rewrote
    it since), instead of reading the file back."""

    size: int
    mtime_ns: int
    sha256: str


_WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_stamped(path: str | Path, data: bytes) -> Stamp:
    """Write ``data`` to ``path`` (replacing it; the mode ``open`` would give) and return its stamp.
    (File descriptors rather than file objects: a site writes tens of thousands of files.)"""
    fd = os.open(path, _WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    except OSError as exc:   # a full disk: say which file (os.write does not)
        if exc.filename is None:
            exc.filename = os.fspath(path)
        raise
    finally:
        os.close(fd)
    return Stamp(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())

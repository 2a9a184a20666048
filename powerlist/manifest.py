"""The integrity manifest of a built site, and its verification.

``manifest.json`` at the output root lists the SHA-256 of every other file (sorted by path) and the full
source commit hash. Builds are deterministic (no timestamps anywhere), so anyone can check a published copy
against the manifest (:func:`verify_manifest`) and, given a checkout of the source commit, rebuild the site
and compare every byte (:func:`rebuild_and_compare`).
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from dataclasses import dataclass
from typing import Any, Mapping

MANIFEST = "manifest.json"
FORMAT_VERSION = 1


def _files(root: Path) -> list[str]:
    """Every file under ``root`` as a sorted list of '/'-separated relative paths (manifest.json excluded)."""
    out: list[str] = []
    top = os.fspath(root)
    cut = len(top.rstrip(os.sep)) + 1
    for dirpath, dirnames, filenames in os.walk(top):
        rel = dirpath[cut:].replace(os.sep, "/")
        prefix = rel + "/" if rel else ""
        out.extend(prefix + fn for fn in filenames)
    if MANIFEST in out:
        out.remove(MANIFEST)
    return sorted(out)


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
    finally:
        os.close(fd)
    return Stamp(st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest())


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


#: Above this many files the hashing is shared by a process per CPU (100,000 items: 8 s on one core).
PARALLEL_MIN_FILES = 20000
_CHUNK = 2000


def _hash_chunk(job: tuple[str, list[str]]) -> list[str]:
    root, paths = job
    return [sha256_file(Path(root) / p) for p in paths]


def compute_hashes(root: Path, stamps: Mapping[str, Stamp] | None = None) -> dict[str, str]:
    """The SHA-256 of every file under ``root`` (manifest.json excluded), by relative path. A file with a
    stamp (``stamps``, by relative path) whose size and time still match is not read again."""
    files = _files(root)
    hashes: dict[str, str] = {}
    todo = files
    if stamps:
        todo = []
        top = os.fspath(root)
        for p in files:
            k = stamps.get(p)
            if k is not None:
                st = os.stat(f"{top}/{p}")
                if st.st_size == k.size and st.st_mtime_ns == k.mtime_ns:
                    hashes[p] = k.sha256
                    continue
            todo.append(p)
    jobs = min(os.cpu_count() or 1, 8)
    if jobs < 2 or len(todo) < PARALLEL_MIN_FILES or not hasattr(os, "fork"):
        hashes.update((p, sha256_file(root / p)) for p in todo)
    else:
        import multiprocessing as mp

        chunks = [todo[i:i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
        with mp.get_context("fork").Pool(jobs) as pool:
            digests = pool.map(_hash_chunk, [(str(root), c) for c in chunks], chunksize=1)
        hashes.update((p, d) for chunk, ds in zip(chunks, digests) for p, d in zip(chunk, ds))
    return {p: hashes[p] for p in files}


def manifest_bytes(hashes: dict[str, str], commit: str | None) -> bytes:
    doc: dict[str, Any] = {"format": FORMAT_VERSION, "algorithm": "sha256", "source_commit": commit,
                           "files": dict(sorted(hashes.items()))}
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_manifest(output_dir: Path, commit: str | None) -> Path:
    """Write ``output_dir/manifest.json`` (hashes of every other file + the source commit); returns its path."""
    write_hashes(output_dir, commit)
    return Path(output_dir) / MANIFEST


def write_hashes(output_dir: Path, commit: str | None, stamps: Mapping[str, Stamp] | None = None) -> dict[str, str]:
    """:func:`write_manifest`, returning the hashes it lists (by path); ``stamps``: see :func:`compute_hashes`."""
    hashes = compute_hashes(Path(output_dir), stamps)
    (Path(output_dir) / MANIFEST).write_bytes(manifest_bytes(hashes, commit))
    return hashes


def read_manifest(output_dir: Path) -> dict[str, Any]:
    from .errors import UsageError

    path = Path(output_dir) / MANIFEST
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"{path} not found: is {output_dir} a site built by powerlist?") from None
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path} cannot be read: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), dict):
        raise UsageError(f"{path} is not a powerlist manifest (no 'files' mapping)")
    return doc


def verify_manifest(output_dir: Path) -> list[str]:
    """Differences between ``output_dir`` and its manifest: 'modified: PATH', 'missing: PATH', 'extra: PATH',
    sorted by path. An empty list means every file is exactly as built."""
    output_dir = Path(output_dir)
    doc = read_manifest(output_dir)
    expected: dict[str, str] = {str(k): str(v) for k, v in doc["files"].items()}
    actual = set(_files(output_dir))
    problems: list[tuple[str, str]] = []
    for path in sorted(set(expected) | actual):
        if path not in actual:
            problems.append((path, f"missing: {path}"))
        elif path not in expected:
            problems.append((path, f"extra: {path}"))
        elif sha256_file(output_dir / path) != expected[path]:
            problems.append((path, f"modified: {path}"))
    return [msg for _, msg in problems]


def compare_trees(published: Path, rebuilt: Path) -> list[str]:
    """Byte-for-byte comparison of two site folders (manifest.json included): 'differs: PATH',
    'only in published: PATH', 'only in rebuild: PATH'."""
    a = set(_files(published)) | ({MANIFEST} if (published / MANIFEST).exists() else set())
    b = set(_files(rebuilt)) | ({MANIFEST} if (rebuilt / MANIFEST).exists() else set())
    out: list[str] = []
    for path in sorted(a | b):
        if path not in b:
            out.append(f"only in published: {path}")
        elif path not in a:
            out.append(f"only in rebuild: {path}")
        elif (published / path).read_bytes() != (rebuilt / path).read_bytes():
            out.append(f"differs: {path}")
    return out


def rebuild_and_compare(output_dir: Path, checkout: Path, *, settings_file: str | Path | None = None) -> list[str]:
    """Build ``checkout`` into a temporary folder and compare it with ``output_dir`` byte for byte.

    The settings file is ``settings_file`` when given, else ``CHECKOUT/pelicanconf.py`` when it exists, else
    the build's default. A checkout at another commit than the manifest's is reported first.
    """
    from .build import build_site
    from .gitrepo import find_repo

    output_dir, checkout = Path(output_dir), Path(checkout)
    out: list[str] = []
    doc = read_manifest(output_dir)
    repo = find_repo(checkout)
    head = repo.head if repo else None
    want = doc.get("source_commit")
    if want and head != want:
        out.append(f"checkout is at {head or '(no git commit)'}, the site was built from {want}")
    if settings_file is None and (checkout / "pelicanconf.py").is_file():
        settings_file = checkout / "pelicanconf.py"
    with tempfile.TemporaryDirectory(prefix="powerlist-verify-") as tmp:
        rebuilt = Path(tmp) / "site"
        build_site(checkout, rebuilt, settings_file=settings_file)
        out += compare_trees(output_dir, rebuilt)
    return out

"""The integrity manifest of a built site, and its verification.

``manifest.json`` at the output root lists the SHA-256 of every other file (sorted by path), the full
source commit hash and the settings file the site was built with. Builds are deterministic (no timestamps
anywhere), so anyone can check a published copy against the manifest (:func:`verify_manifest`) and, given a
checkout of the source commit, rebuild the site with the same settings and compare every byte
(:func:`powerlist.site.verify.rebuild_and_compare`).

The manifest is also how ``powerlist build`` recognises a folder as its own output, which it may replace
(:func:`read_own_manifest`): ``"generator": "powerlist"``, or for sites built before that field existed, the
shape of the document (``format``, ``algorithm`` sha256, ``source_commit``, ``files`` of hex digests).
"""
from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import stat
from pathlib import Path
from typing import Any, Mapping

from ..model.errors import UsageError
from ..output.stamp import Stamp
from ..runtime.procs import worker_init

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
#: The marker of a manifest written by powerlist.
GENERATOR = "powerlist"
#: A manifest larger than this is not read (100,000 items make a manifest of about 40 MB).
MAX_MANIFEST_BYTES = 256 * 1024 * 1024

_HEX64 = frozenset("0123456789abcdef")


def site_files(root: Path) -> list[str]:
    """Everything under ``root`` that is not a folder (files, and links of any kind, which are never
    followed), as a sorted list of '/'-separated relative paths; manifest.json at the top is excluded."""
    out: list[str] = []
    stack = [("", os.fspath(root))]
    while stack:
        rel, path = stack.pop()
        with os.scandir(path) as it:
            for entry in it:
                name = rel + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((name + "/", entry.path))
                else:
                    out.append(name)
    if MANIFEST in out:
        out.remove(MANIFEST)
    return sorted(out)


def _regular(path: Path) -> bool:
    """Whether ``path`` is a regular file, or a link to one (never a FIFO or a device, which could block a
    reader or never end)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


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
    files = site_files(root)
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
        chunks = [todo[i:i + _CHUNK] for i in range(0, len(todo), _CHUNK)]
        with mp.get_context("fork").Pool(jobs, initializer=worker_init, initargs=(os.getpid(),)) as pool:
            digests = pool.map(_hash_chunk, [(str(root), c) for c in chunks], chunksize=1)
        hashes.update((p, d) for chunk, ds in zip(chunks, digests) for p, d in zip(chunk, ds))
    return {p: hashes[p] for p in files}


def manifest_bytes(hashes: dict[str, str], commit: str | None, settings: Mapping[str, str] | None = None) -> bytes:
    """The manifest document: ``settings`` (see :func:`powerlist.model.settings.settings_record`) when known."""
    doc: dict[str, Any] = {"format": FORMAT_VERSION, "generator": GENERATOR, "algorithm": "sha256",
                           "source_commit": commit}
    if settings is not None:
        doc["settings"] = dict(settings)
    doc["files"] = dict(sorted(hashes.items()))
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write_manifest(output_dir: Path, commit: str | None) -> Path:
    """Write ``output_dir/manifest.json`` (hashes of every other file + the source commit); returns its path."""
    write_hashes(output_dir, commit)
    return Path(output_dir) / MANIFEST


def write_hashes(output_dir: Path, commit: str | None, stamps: Mapping[str, Stamp] | None = None,
                 settings: Mapping[str, str] | None = None) -> dict[str, str]:
    """:func:`write_manifest`, returning the hashes it lists (by path); ``stamps``: see :func:`compute_hashes`."""
    hashes = compute_hashes(Path(output_dir), stamps)
    (Path(output_dir) / MANIFEST).write_bytes(manifest_bytes(hashes, commit, settings))
    return hashes


def _load(path: Path) -> Any:
    """The JSON document in ``path``; ValueError (with the reason) when it is not one we can read."""
    if not _regular(path):
        raise ValueError("not a regular file")
    if os.stat(path).st_size > MAX_MANIFEST_BYTES:
        raise ValueError(f"larger than {MAX_MANIFEST_BYTES // (1024 * 1024)} MB")
    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise ValueError("nested too deeply") from None


def is_powerlist_manifest(doc: Any) -> bool:
    """Whether a parsed manifest.json was written by powerlist: its marker, or (sites built before the
    marker existed) its shape — format, sha256, source_commit and a mapping of paths to hex digests."""
    if not isinstance(doc, dict) or not isinstance(doc.get("files"), dict):
        return False
    if doc.get("generator") == GENERATOR:
        return True
    return (isinstance(doc.get("format"), int) and doc.get("algorithm") == "sha256" and "source_commit" in doc
            and all(isinstance(v, str) and len(v) == 64 and _HEX64.issuperset(v) for v in doc["files"].values()))


def read_own_manifest(output_dir: Path) -> dict[str, Any] | None:
    """The manifest of a folder that powerlist built, or None (no manifest, unreadable, or not ours)."""
    try:
        doc = _load(Path(output_dir) / MANIFEST)
    except (OSError, ValueError):
        return None
    return doc if is_powerlist_manifest(doc) else None


def read_manifest(output_dir: Path) -> dict[str, Any]:
    path = Path(output_dir) / MANIFEST
    if not os.path.lexists(path):
        raise UsageError(f"{path} not found: is {output_dir} a site built by powerlist?")
    try:
        doc = _load(path)
    except OSError as exc:
        raise UsageError(f"{path} cannot be read: {exc.strerror}") from None
    except ValueError as exc:
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
    actual = set(site_files(output_dir))
    problems: list[tuple[str, str]] = []
    for path in sorted(set(expected) | actual):
        if path not in actual:
            problems.append((path, f"missing: {path}"))
        elif path not in expected:
            problems.append((path, f"extra: {path}"))
        elif not _regular(output_dir / path):
            problems.append((path, f"not a regular file: {path}"))
        elif sha256_file(output_dir / path) != expected[path]:
            problems.append((path, f"modified: {path}"))
    return [msg for _, msg in problems]


def compare_trees(published: Path, rebuilt: Path) -> list[str]:
    """Byte-for-byte comparison of two site folders (manifest.json included): 'differs: PATH',
    'only in published: PATH', 'only in rebuild: PATH'."""
    a = set(site_files(published)) | ({MANIFEST} if (published / MANIFEST).exists() else set())
    b = set(site_files(rebuilt)) | ({MANIFEST} if (rebuilt / MANIFEST).exists() else set())
    out: list[str] = []
    for path in sorted(a | b):
        if path not in b:
            out.append(f"only in published: {path}")
        elif path not in a:
            out.append(f"only in rebuild: {path}")
        elif not _regular(published / path) or (published / path).read_bytes() != (rebuilt / path).read_bytes():
            out.append(f"differs: {path}")
    return out

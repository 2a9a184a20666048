"""Thin, bulk-oriented access to the git repository holding a data folder.

Only three kinds of git process are ever started for a whole history: one ``git log`` walk
(:func:`walk_log`), one ``git cat-file --batch`` for every blob needed (:func:`read_blobs`), and
``git archive`` to materialise a revision (:func:`export_tree`). Nothing here runs git once per item.
Output is read as bytes and decoded leniently, so non-UTF-8 commit messages never break a build.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..model.errors import UsageError

NULL_SHA = "0" * 40

#: Fixed environment for git: no pager, no prompts, no locale-dependent output, no user config surprises
#: in what we parse (the repository's own config still applies, as it must for i18n.* settings).
_GIT_ENV = {"GIT_PAGER": "cat", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANG": "C"}


@dataclass(frozen=True)
class Repo:
    """Where the data folder sits in its repository. ``prefix`` is the data folder's path inside the
    work tree ('' at the top, else ending with '/')."""

    top: Path
    prefix: str
    shallow: bool
    head: str | None


@dataclass(frozen=True)
class Commit:
    sha: str
    parents: tuple[str, ...]
    author: str
    author_email: str
    date: str          # committer date, ISO 8601 strict (when the change entered the repository)
    author_date: str
    message: str       # full message, decoded (invalid bytes replaced)

    @property
    def subject(self) -> str:
        return self.message.split("\n", 1)[0].strip()

    @property
    def short(self) -> str:
        return self.sha[:7]


@dataclass(frozen=True)
class RawChange:
    """One file change of a commit, from ``--raw``. ``status`` is A, M, D, R (rename), C or T.
    For merge commits (combined diff) ``old_sha`` is the first parent's blob."""

    status: str
    old_sha: str
    new_sha: str
    path: str
    old_path: str | None = None


@dataclass
class LogEntry:
    commit: Commit
    changes: list[RawChange] = field(default_factory=list)


def git_available() -> bool:
    return shutil.which("git") is not None


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(_GIT_ENV)
    return env


def run_git(cwd: Path, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
    """Run git in ``cwd`` and return stdout bytes; a failure raises UsageError with git's message."""
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=_env())
    if check and proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"git {args[0]} failed: {msg[-1] if msg else 'exit ' + str(proc.returncode)}")
    return proc.stdout


def find_repo(path: str | Path) -> Repo | None:
    """The repository holding ``path``, or None when there is no git or no repository."""
    p = Path(path).resolve()
    if not git_available() or not p.is_dir():
        return None
    proc = subprocess.run(["git", "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"],
                          cwd=p, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
    if proc.returncode != 0:
        return None
    lines = proc.stdout.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3:
        return None
    top, prefix, shallow = lines[0], lines[1], lines[2].strip() == "true"
    head_p = subprocess.run(["git", "rev-parse", "--verify", "-q", "HEAD^{commit}"], cwd=p,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
    head = head_p.stdout.decode().strip() if head_p.returncode == 0 else None
    return Repo(Path(top), prefix, shallow, head or None)


def resolve_rev(repo: Repo, rev: str) -> str:
    """Full commit hash of a revision or tag; UsageError when it does not name a commit."""
    out = subprocess.run(["git", "rev-parse", "--verify", "-q", "--end-of-options", f"{rev}^{{commit}}"],
                         cwd=repo.top, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env())
    if out.returncode != 0:
        raise UsageError(f"'{rev}' is not a revision of the repository at {repo.top}")
    return out.stdout.decode().strip()


def commit_info(repo: Repo, rev: str) -> Commit:
    """One commit's metadata (a single git call, used for the build footer and diff labels)."""
    entries = list(_parse_log(run_git(repo.top, "log", "-1", "-z", "--no-walk", _FORMAT, resolve_rev(repo, rev))))
    return entries[0].commit


def git_commit(data_root: str | Path) -> tuple[str | None, str | None, str]:
    """The source commit of a build: (full hash of HEAD, its committer date ISO 8601, the data folder's path
    prefix inside the repository, '' or ending with '/'), or (None, None, '') outside git or before the first
    commit. Three short git calls, with the fixed environment of every other call here."""
    repo = find_repo(data_root)
    if repo is None or repo.head is None:
        return None, None, ""
    date = run_git(repo.top, "log", "-1", "--format=%cI", repo.head, check=False).decode("utf-8", "replace").strip()
    return repo.head, date or None, repo.prefix


# ---- the one-pass log walk ----

#: \x1e marks a commit; header fields are NUL-separated; the message is the last header field.
_FORMAT = "--format=%x1e%H%x00%P%x00%aN%x00%aE%x00%cI%x00%aI%x00%B"
_HEADER_FIELDS = 7


def walk_log(repo: Repo, paths: Iterable[str], rev: str = "HEAD") -> list[LogEntry]:
    """Every commit reachable from ``rev`` that touches ``paths`` (relative to the data folder), newest
    first (commit-date order, parents never before children), with its file changes.

    One ``git log`` process: ``--full-history`` keeps every commit that changed a path (no history
    simplification hides side-branch work); ``-M`` follows renames; merges show their combined diff, i.e.
    only what the merge itself changed beyond its parents (conflict resolutions), attributed against the
    first parent. Paths in the result are relative to the data folder.
    """
    specs = [repo.prefix + p for p in paths]
    out = run_git(repo.top, "-c", "core.quotepath=off", "log", "-z", "--raw", "--no-abbrev", "-M",
                  "--full-history", "--date-order", "--diff-merges=combined", "--no-color", "--no-ext-diff",
                  "--encoding=UTF-8", _FORMAT, rev, "--", *specs)
    entries = list(_parse_log(out))
    if repo.prefix:
        n = len(repo.prefix)
        for e in entries:
            e.changes = [RawChange(c.status, c.old_sha, c.new_sha, c.path[n:],
                                   c.old_path[n:] if c.old_path else None)
                         for c in e.changes if c.path.startswith(repo.prefix)]
    return entries


def _dec(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def _dec_message(b: bytes) -> str:
    """A commit message: UTF-8 (git re-encodes messages that declare their encoding); bytes that are not
    UTF-8 and carry no declaration are most likely GBK from a Chinese Windows machine, else replaced."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return b.decode("gb18030")
    except UnicodeDecodeError:
        return b.decode("utf-8", "replace")


def _parse_log(out: bytes) -> Iterator[LogEntry]:
    """Parse ``git log -z --raw`` output with :data:`_FORMAT` headers (NUL-safe; see walk_log)."""
    tokens = out.split(b"\0")
    i, n = 0, len(tokens)
    cur: LogEntry | None = None
    while i < n:
        tok = tokens[i]
        if tok.startswith(b"\n"):
            tok = tok[1:]
        if tok.startswith(b"\x1e"):
            if cur is not None:
                yield cur
            head = tokens[i:i + _HEADER_FIELDS]
            i += _HEADER_FIELDS
            if len(head) < _HEADER_FIELDS:
                break
            sha = _dec(head[0].lstrip(b"\n")[1:])
            msg = _dec_message(head[6]).rstrip("\n")
            cur = LogEntry(Commit(sha=sha, parents=tuple(_dec(head[1]).split()), author=_dec(head[2]),
                                  author_email=_dec(head[3]), date=_dec(head[4]), author_date=_dec(head[5]),
                                  message=msg))
            continue
        if tok.startswith(b":") and cur is not None:
            combined = tok.startswith(b"::")
            parts = _dec(tok.lstrip(b":")).split()
            if combined:
                # ::mode1 mode2 mode_result sha1 sha2 sha_result STATUSES  path
                nparents = len(parts[-1])
                shas = parts[nparents + 1: 2 * nparents + 2]
                old_sha, new_sha = shas[0], shas[-1]
                path = _dec(tokens[i + 1])
                i += 2
                status = "A" if old_sha == NULL_SHA else ("D" if new_sha == NULL_SHA else "M")
                cur.changes.append(RawChange(status, old_sha, new_sha, path))
                continue
            old_sha, new_sha, status = parts[2], parts[3], parts[4]
            letter = status[0]
            if letter in "RC":
                old_path, path = _dec(tokens[i + 1]), _dec(tokens[i + 2])
                i += 3
                cur.changes.append(RawChange(letter, old_sha, new_sha, path, old_path))
            else:
                path = _dec(tokens[i + 1])
                i += 2
                cur.changes.append(RawChange(letter, old_sha, new_sha, path))
            continue
        i += 1
    if cur is not None:
        yield cur


# ---- bulk blob reading ----

def read_blobs(repo: Repo, shas: Iterable[str]) -> dict[str, bytes]:
    """Contents of many blobs through ONE ``git cat-file --batch`` process. Missing blobs are left out."""
    wanted = sorted({s for s in shas if s and s != NULL_SHA})
    if not wanted:
        return {}
    out = run_git(repo.top, "cat-file", "--batch", "--buffer", input=("\n".join(wanted) + "\n").encode())
    blobs: dict[str, bytes] = {}
    pos, n = 0, len(out)
    while pos < n:
        eol = out.index(b"\n", pos)
        header = out[pos:eol].split()
        pos = eol + 1
        if len(header) == 2 and header[1] == b"missing":
            continue
        sha, size = header[0].decode(), int(header[2])
        blobs[sha] = out[pos:pos + size]
        pos += size + 1  # content is followed by a newline
    return blobs


# ---- materialising a revision ----

def export_tree(repo: Repo, rev: str, dest: Path, paths: Iterable[str] = ("items", "laws")) -> str:
    """Write the data folder's ``paths`` as they were at ``rev`` into ``dest`` (``git archive`` piped to
    ``tar``); returns the full commit hash."""
    sha = resolve_rev(repo, rev)
    tree = f"{sha}:{repo.prefix.rstrip('/')}" if repo.prefix else sha
    listing = run_git(repo.top, "ls-tree", "--name-only", "-z", tree).split(b"\0")
    present = [p for p in paths if p.encode() in listing]
    dest.mkdir(parents=True, exist_ok=True)
    if not present:
        return sha
    archive = subprocess.Popen(["git", "archive", "--format=tar", tree, "--", *present], cwd=repo.top,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    assert archive.stdout is not None
    tar = subprocess.run(["tar", "-x", "-f", "-", "-C", str(dest)], stdin=archive.stdout,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    archive.stdout.close()
    err = archive.stderr.read() if archive.stderr else b""
    if archive.wait() != 0 or tar.returncode != 0:
        raise UsageError(f"cannot export {rev}: {(_dec(err) or _dec(tar.stderr)).strip()}")
    return sha

"""The history of the data (``items/`` and ``laws/``) read from git in one pass.

:func:`read_history` starts exactly two git processes however many items and commits there are: one
``git log`` walk (renames followed, every commit that touched the data, merges' own changes included) and
one ``git cat-file --batch`` reading every blob version it needs. Each changed file version is compared with
its previous version field by field (:mod:`powerlist.vcs.versions` parses only the top-level blocks that differ;
:mod:`powerlist.vcs.fieldchanges` words the changes), giving revisions such as ``状态：保留 → 下放`` per item.

Merge commits: side-branch commits are listed as they were made (``--full-history``); a merge contributes
only what it changed itself beyond its parents (the combined diff: conflict resolutions), compared with its
first parent. A shallow clone or a folder outside git has no usable history: :class:`History` then says why
(``available`` is False) and the site shows 修订记录暂不可用 (:mod:`powerlist.vcs.contribution` makes the pages).

Identity across renames: a file keeps its history when it is moved (``git mv`` to another department, or a
new code): the rename is followed, and the revisions are filed under the item's current code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fieldchanges import Names
from .git import NULL_SHA, Commit, Repo, find_repo, read_blobs, walk_log
from .versions import Versions

DATA_PATHS = ("items", "laws")
DEPARTMENT_FILE = "_department.yaml"

UNAVAILABLE_NO_GIT = "数据目录不在 git 仓库中，修订记录暂不可用。"
UNAVAILABLE_SHALLOW = "数据仓库是浅克隆（shallow clone），历史不完整，修订记录暂不可用。"


def classify(path: str) -> tuple[str, str] | None:
    """(kind, key) of a data file path relative to the data folder, or None for other files.

    ``items/<dep>/_department.yaml`` → ("department", dep); ``items/<dep>/<code>.yaml`` → ("item", code);
    ``laws/<id>.yaml`` → ("law", id).
    """
    parts = path.split("/")
    if not parts[-1].endswith(".yaml"):
        return None
    stem = parts[-1][:-5]
    if len(parts) == 3 and parts[0] == "items":
        return ("department", parts[1]) if parts[2] == DEPARTMENT_FILE else ("item", stem)
    if len(parts) == 2 and parts[0] == "laws":
        return ("law", stem)
    return None


@dataclass(frozen=True)
class Revision:
    """One version of one data file: which commit made it and what changed."""

    commit: Commit
    kind: str               # "item" | "department" | "law"
    key: str                # the code / department id / law id in this version
    action: str             # 新增 · 修改 · 删除 · 移动
    path: str
    old_path: str | None
    name: str               # item name, department name or law title in this version
    changes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        c = self.commit
        return {"hash": c.sha, "short": c.short, "date": c.date, "day": c.date[:10], "author": c.author,
                "message": c.subject, "full_message": c.message, "kind": self.kind, "key": self.key,
                "action": self.action, "path": self.path, "old_path": self.old_path, "name": self.name,
                "changes": list(self.changes)}


@dataclass
class History:
    """Everything the site and the auditors need from git. Lists are newest first."""

    available: bool
    reason: str = ""
    commits: list[Commit] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    #: (kind, current key) → that file's revisions, newest first (files that still exist)
    files: dict[tuple[str, str], list[Revision]] = field(default_factory=dict)

    def for_item(self, code: str) -> list[Revision]:
        return self.files.get(("item", code), [])

    def for_law(self, law_id: str) -> list[Revision]:
        return self.files.get(("law", law_id), [])

    def for_department(self, dep_id: str) -> list[Revision]:
        return self.files.get(("department", dep_id), [])


# ---- the walk ----

class _Lineage:
    __slots__ = ("revisions",)

    def __init__(self) -> None:
        self.revisions: list[Revision] = []


def read_history(data_root: str | Path, *, names: Names | None = None, rev: str = "HEAD") -> History:
    """Read the history of ``data_root``'s items and laws from its git repository.

    ``names`` (law titles, department names, usually from the current Catalog) take precedence over the
    names found in the history when sentences mention a law or a department.
    """
    repo = find_repo(data_root)
    if repo is None or repo.head is None:
        return History(False, UNAVAILABLE_NO_GIT)
    if repo.shallow:
        return History(False, UNAVAILABLE_SHALLOW)
    return history_from_repo(repo, names=names, rev=rev)


def history_from_repo(repo: Repo, *, names: Names | None = None, rev: str = "HEAD") -> History:
    entries = walk_log(repo, DATA_PATHS, rev)
    entries.reverse()  # oldest first: parents before children
    # 1. every blob version needed, read in one cat-file process; parsed lazily, block by block
    wanted: set[str] = set()
    for e in entries:
        for ch in e.changes:
            if classify(ch.path) or (ch.old_path and classify(ch.old_path)):
                wanted.add(ch.old_sha)
                wanted.add(ch.new_sha)
    wanted.discard(NULL_SHA)
    versions = Versions(read_blobs(repo, wanted))
    law_titles: dict[str, str] = {}
    dep_names: dict[str, str] = {}
    for e in entries:
        for ch in e.changes:
            kind_key = classify(ch.path)
            if kind_key and kind_key[0] in ("law", "department") and ch.new_sha != NULL_SHA:
                n = versions.name(kind_key[0], ch.new_sha)
                if n:
                    (law_titles if kind_key[0] == "law" else dep_names)[kind_key[1]] = n
    if names is not None:
        law_titles.update(names.laws)
        dep_names.update(names.departments)
    sentence_names = Names(laws=law_titles, departments=dep_names)

    # 2. follow each file through adds, edits, renames and deletions
    current: dict[tuple[str, str], _Lineage] = {}
    revisions: list[Revision] = []
    commits: list[Commit] = []
    for e in entries:
        made: list[Revision] = []
        for ch in sorted(e.changes, key=lambda c: (c.path, c.old_path or "")):
            new_kk = classify(ch.path)
            old_kk = classify(ch.old_path) if ch.old_path else None
            status = ch.status
            if status in "RC" and (old_kk is None or new_kk is None or old_kk[0] != new_kk[0] or status == "C"):
                # a copy, or a move into/out of the data layout: an addition (and a deletion, for a move)
                if status == "R" and old_kk is not None:
                    made.append(_record(current, old_kk, "D", ch.old_sha, NULL_SHA, ch.old_path or "", None,
                                        e.commit, versions, sentence_names))
                status, old_sha = "A", NULL_SHA
            else:
                old_sha = ch.old_sha
            if new_kk is None:
                continue
            if status == "R":
                assert old_kk is not None
                made.append(_record(current, new_kk, "R", old_sha, ch.new_sha, ch.path, ch.old_path, e.commit,
                                    versions, sentence_names, from_kk=old_kk))
            else:
                made.append(_record(current, new_kk, status[0], old_sha, ch.new_sha, ch.path, None, e.commit,
                                    versions, sentence_names))
        if made:
            commits.append(e.commit)
            revisions.extend(reversed(made))
    commits.reverse()
    revisions.reverse()  # newest first; within a commit, in path order
    files = {kk: list(reversed(lin.revisions)) for kk, lin in current.items()}
    return History(True, "", commits, revisions, dict(sorted(files.items())))


_ACTIONS = {"A": "新增", "M": "修改", "T": "修改", "D": "删除", "R": "移动"}


def _record(current: dict[tuple[str, str], _Lineage], kk: tuple[str, str], status: str, old_sha: str,
            new_sha: str, path: str, old_path: str | None, commit: Commit, versions: Versions,
            names: Names, from_kk: tuple[str, str] | None = None) -> Revision:
    kind, key = kk
    if status == "A":
        lineage = _Lineage()
        current[kk] = lineage
        changes: list[str] = []
    elif status == "D":
        lineage = current.pop(kk) if kk in current else _Lineage()
        changes = []
    elif status == "R":
        assert from_kk is not None
        lineage = current.pop(from_kk) if from_kk in current else _Lineage()
        current[kk] = lineage
        changes = [f"文件：{old_path} → {path}"] + versions.changes(kind, old_sha, new_sha, names)
    else:
        lineage = current.get(kk) or current.setdefault(kk, _Lineage())
        changes = versions.changes(kind, old_sha, new_sha, names)
        if not changes:
            changes = ["格式调整，内容未变"] if versions.parses(new_sha) else ["文件无法解析"]
    name = versions.name(kind, new_sha if status != "D" else old_sha) or key
    rev = Revision(commit, kind, key, _ACTIONS.get(status, "修改"), path, old_path, name, tuple(changes))
    lineage.revisions.append(rev)
    return rev


def history_json(hist: History) -> str:
    """The history as JSON (``powerlist history --format json``)."""
    return json.dumps({"available": hist.available, "reason": hist.reason,
                       "revisions": [r.to_dict() for r in hist.revisions]}, ensure_ascii=False, indent=2)

"""The history of the data (``items/`` and ``laws/``) read from git in one pass.

:func:`read_history` starts exactly two git processes however many items and commits there are: one
``git log`` walk (renames followed, every commit that touched the data, merges' own changes included) and
one ``git cat-file --batch`` reading every blob version it needs. Each changed file version is compared with
its previous version field by field (:mod:`powerlist.versions` parses only the top-level blocks that differ;
:mod:`powerlist.fieldchanges` words the changes), giving revisions such as ``状态：保留 → 下放`` per item.

Merge commits: side-branch commits are listed as they were made (``--full-history``); a merge contributes
only what it changed itself beyond its parents (the combined diff: conflict resolutions), compared with its
first parent. A shallow clone or a folder outside git has no usable history: :class:`History` then says why
(``available`` is False) and the site shows 修订记录暂不可用.

Identity across renames: a file keeps its history when it is moved (``git mv`` to another department, or a
new code): the rename is followed, and the revisions are filed under the item's current code.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from .fieldchanges import Names
from .gitrepo import NULL_SHA, Commit, Repo, find_repo, read_blobs, walk_log
from .site_api import Asset, BuildContext, Contribution, NavLink, Page, int_setting
from .versions import Versions

DATA_PATHS = ("items", "laws")
DEPARTMENT_FILE = "_department.yaml"
KIND_LABEL = {"item": "事项", "department": "部门", "law": "法律依据"}

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


# ---- site pages ----

def _urls(kind: str, key: str) -> str:
    return {"item": f"items/{key}/", "law": f"laws/{key}/"}.get(kind, "")


def _entry(rev: Revision, live: set[tuple[str, str]], commit_url: str) -> dict[str, Any]:
    d = rev.to_dict()
    d["kind_label"] = KIND_LABEL[rev.kind]
    d["url"] = _urls(rev.kind, rev.key) if (rev.kind, rev.key) in live else ""
    d["commit_url"] = commit_url.format(sha=rev.commit.sha) if commit_url else ""
    return d


def _commit_url_template(settings: Mapping[str, Any]) -> str:
    repo_url = str(settings.get("POWERLIST_REPO_URL") or "").rstrip("/")
    return f"{repo_url}/commit/{{sha}}" if repo_url else ""


def group_by_commit(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive entries of one commit under one heading (for the change log and the home page)."""
    groups: list[dict[str, Any]] = []
    for e in entries:
        if not groups or groups[-1]["hash"] != e["hash"]:
            groups.append({k: e[k] for k in ("hash", "short", "date", "day", "author", "message", "commit_url")}
                          | {"entries": []})
        groups[-1]["entries"].append(e)
    return groups


def changes_pages(entries: list[dict[str, Any]], per_page: int, available: bool, reason: str) -> list[Page]:
    """The paginated change log: changes/, changes/page/2/, … (one page even when there is no history)."""
    chunks = [entries[i:i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    pages: list[Page] = []
    n = len(chunks)

    def url(k: int) -> str:
        return "changes/" if k == 1 else f"changes/page/{k}/"

    for k, chunk in enumerate(chunks, start=1):
        title = "变更记录" if k == 1 else f"变更记录（第 {k} 页）"
        ctx: dict[str, Any] = {"history_available": available, "history_reason": reason, "change_groups": group_by_commit(chunk),
               "pagination": {"number": k, "count": n, "total_entries": len(entries),
                              "prev_url": url(k - 1) if k > 1 else "", "next_url": url(k + 1) if k < n else "",
                              "first_url": url(1), "last_url": url(n)},
               "page_title": title}
        pages.append(Page(url=url(k), template="changes.html", context=ctx, title=title))
    return pages


def site_contribution(build: BuildContext) -> Contribution:
    """修订记录 on item pages, the 变更记录 pages, the Atom feed, the latest changes on the home page, and —
    when ``POWERLIST_BASELINE`` is set — the reform report (reform/)."""
    from .feed import changes_feed

    cat = build.catalog
    names = Names(laws={k: v.title for k, v in cat.laws.items()},
                  departments={k: v.name for k, v in cat.departments.items()})
    hist = read_history(build.data_root, names=names)
    settings = build.settings
    if not hist.available:
        build.warn(f"history: {hist.reason}")
    commit_url = _commit_url_template(settings)
    live = set(hist.files)
    entries = [_entry(r, live, commit_url) for r in hist.revisions]
    per_page = int_setting(settings, "POWERLIST_CHANGES_PER_PAGE", 100)
    recent = int_setting(settings, "POWERLIST_HOME_CHANGES", 8, minimum=0)

    contrib = Contribution()
    contrib.item_partials.append("partials/item_history.html")
    contrib.home_partials.append("partials/home_changes.html")
    for code in cat.items:
        revs = [_entry(r, live, commit_url) for r in hist.for_item(code)]
        contrib.item_context[code] = {"revisions": revs, "history_available": hist.available,
                                      "history_reason": hist.reason}
    contrib.global_context.update({
        "recent_changes": entries[:recent],
        "recent_change_groups": group_by_commit(entries[:recent]),
        "history_available": hist.available,
        "history_reason": hist.reason,
        "changes_feed_url": "feeds/changes.atom.xml",
    })
    contrib.pages.extend(changes_pages(entries, per_page, hist.available, hist.reason))
    contrib.assets.append(Asset("feeds/changes.atom.xml",
                                changes_feed(hist, entries, settings,
                                             limit=int_setting(settings, "POWERLIST_FEED_COMMITS", 50))))
    contrib.nav.append(NavLink("changes/", "变更记录", order=70))

    baseline = settings.get("POWERLIST_BASELINE")
    if baseline:
        from .reform import reform_page
        contrib.pages.append(reform_page(build, str(baseline)))
        contrib.nav.append(NavLink("reform/", "改革报告", order=75))
    return contrib


def history_json(hist: History) -> str:
    """The history as JSON (``powerlist history --format json``)."""
    return json.dumps({"available": hist.available, "reason": hist.reason,
                       "revisions": [r.to_dict() for r in hist.revisions]}, ensure_ascii=False, indent=2)

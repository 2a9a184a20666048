"""Semantic diff of two power lists: what a reviewer or an auditor needs to know, not which lines moved.

:func:`diff_catalogs` compares two Catalogs: items added and removed, status changes (取消 · 下放 · 冻结 …)
with their decision documents, and field changes in words (:mod:`powerlist.vcs.fieldchanges`), grouped by
department; plus the count of 保留 items by department × category before and after, with the reduction
in the list's own terms (“由 1648 项压减为 216 项，压减比例 86.9%”). :func:`load_side` turns a git revision,
the working tree or a folder into a Catalog. The renderers (text, Markdown, JSON) are in
:mod:`powerlist.vcs.diff_render`.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..model.catalog import Catalog
from ..model.errors import InvalidData, Problem, UsageError
from ..model.records import STATUSES, Item
from ..model.settings import Settings
from ..runtime.gcutil import collector_paused
from ..source.load import LoadCache, Source, check_into_cache, classify, load_catalog, scan_folder
from .fieldchanges import Names, field_changes
from .git import Repo, commit_info, find_repo, read_blobs, resolve_rev, run_git

WORKTREE = "工作区"


# ---- loading either side ----

@dataclass
class Side:
    catalog: Catalog
    label: str          # what the user named: a revision, a folder, or 工作区
    commit: str | None  # full hash when the side is a git revision


def _is_data_folder(p: Path) -> bool:
    return p.is_dir() and ((p / "items").is_dir() or (p / "laws").is_dir())


@dataclass
class _Plan:
    """One side of a diff, resolved but not loaded yet: its files are listed so that both sides' files can be
    checked in one pass (:func:`semantic_diff`)."""
    spec: str | None
    path: Path | None = None            # the working tree or a data folder
    repo: Repo | None = None            # a git revision of this repository
    sources: list[Source] | None = None
    problems: list[Problem] = field(default_factory=list)


def _plan(spec: str | None, root: str | Path) -> _Plan:
    rootp = Path(root)
    if spec is None or _is_data_folder(Path(spec)):
        path = rootp if spec is None else Path(spec)
        sources, problems = scan_folder(path)
        return _Plan(spec, path=path, sources=sources, problems=problems)
    repo = find_repo(rootp)
    if repo is None:
        raise UsageError(f"'{spec}' is neither a data folder nor a git revision ({rootp} is not in a git repository)")
    sources, problems = revision_sources(repo, spec)
    return _Plan(spec, repo=repo, sources=sources, problems=problems)


def _load_plan(plan: _Plan, settings: Settings | None, cache: LoadCache | None) -> Side:
    if plan.repo is None:
        assert plan.path is not None
        # with problems in the listing itself, load afresh: it reports them together with every other problem
        sources = None if plan.problems else plan.sources
        cat = load_catalog(plan.path, settings, sources=sources, cache=cache)
        return Side(cat, WORKTREE if plan.spec is None else plan.spec, None)
    assert plan.spec is not None
    cat = load_revision(plan.repo, plan.spec, settings, cache, listed=(plan.sources or [], plan.problems))
    return Side(cat, plan.spec, commit_info(plan.repo, plan.spec).sha)


def load_side(spec: str | None, root: str | Path, settings: Settings | None = None,
              cache: LoadCache | None = None) -> Side:
    """The Catalog named by ``spec``: None = the working tree of ``root``; an existing data folder; otherwise a
    git revision (commit, tag, branch, ``HEAD~3``) of the repository holding ``root``. Loads that share a
    ``cache`` check each distinct file once, so the second side of a diff costs only what changed."""
    return _load_plan(_plan(spec, root), settings, cache)


def revision_sources(repo: Repo, rev: str) -> tuple[list[Source], list[Problem]]:
    """The data files of ``rev`` (one ``ls-tree``), each with its blob id and without its bytes."""
    sha = resolve_rev(repo, rev)
    tree = f"{sha}:{repo.prefix.rstrip('/')}" if repo.prefix else sha
    listing = run_git(repo.top, "ls-tree", "-r", "-z", tree, "--", "items", "laws")
    blobs: dict[str, str] = {}
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        mode, kind, blob = meta.split()
        if kind == b"blob":
            blobs[path.decode("utf-8", "replace")] = blob.decode()
    if not blobs:
        raise UsageError(f"revision '{rev}' has no items/ or laws/ folder")
    found, problems = classify(blobs)
    return [Source(kind, rel, blob=blobs[rel]) for kind, rel in found], problems


def _with_bytes(repo: Repo, sources: list[Source], known: LoadCache | dict[Any, Any]) -> list[Source]:
    """``sources`` with the bytes of every file not in ``known`` (one ``cat-file --batch`` for all)."""
    contents = read_blobs(repo, {s.blob for s in sources if s.blob and (s.rel, s.blob) not in known})
    return [Source(s.kind, s.rel, data=contents.get(s.blob or ""), blob=s.blob) for s in sources]


def load_revision(repo: Repo, rev: str, settings: Settings | None = None, cache: LoadCache | None = None,
                  *, listed: tuple[list[Source], list[Problem]] | None = None) -> Catalog:
    """Load ``rev``'s items/ and laws/ straight from git objects: one ``ls-tree`` and one ``cat-file --batch``
    (``listed``: the files as :func:`revision_sources` listed them already)."""
    sources, problems = listed if listed is not None else revision_sources(repo, rev)
    if problems:
        raise InvalidData(problems)
    cat = load_catalog(Path(rev), settings, sources=_with_bytes(repo, sources, cache or {}), cache=cache)
    cat.root = rev
    return cat


def load_both(rev1: str | None, rev2: str | None, root: str | Path = ".", settings: Settings | None = None,
              cache: LoadCache | None = None) -> tuple[Side, Side]:
    """Both sides of a diff. Every distinct file of the two is checked once, in a single pass over all cores,
    before either side is assembled (what the sides share is then a lookup)."""
    with collector_paused():    # millions of acyclic objects: the collector's scans would cost more than loading
        return _load_both(rev1, rev2, root, settings, {} if cache is None else cache)


def _load_both(rev1: str | None, rev2: str | None, root: str | Path, settings: Settings | None,
               cache: LoadCache) -> tuple[Side, Side]:
    plans = [_plan(rev1, root), _plan(rev2, root)]
    pending: list[Source] = []
    listed: dict[tuple[str, str], Source] = {}  # the revisions' files, each distinct one once
    for plan in plans:
        if plan.problems or not plan.sources:
            continue            # reported when that side is loaded
        if plan.repo is None:
            pending += plan.sources
        else:
            listed.update(((s.rel, s.blob or ""), s) for s in plan.sources)
    repo = next((p.repo for p in plans if p.repo is not None), None)
    if repo is not None and listed:
        pending += _with_bytes(repo, list(listed.values()), cache)     # one cat-file for both revisions
    check_into_cache(pending, settings, cache)
    del pending
    return _load_plan(plans[0], settings, cache), _load_plan(plans[1], settings, cache)


# ---- the comparison ----

@dataclass
class ItemDelta:
    code: str
    name: str
    department: str
    category: str
    kind: str                   # added · removed · status · modified
    old_status: str | None
    new_status: str | None
    changes: list[str] = field(default_factory=list)
    decision: dict[str, Any] | None = None
    old_name: str | None = None
    #: the decision's ``to`` as people read it: the department's or the item's name
    decision_to: str | None = None


@dataclass
class DepartmentSection:
    id: str
    name: str
    added: list[ItemDelta] = field(default_factory=list)
    removed: list[ItemDelta] = field(default_factory=list)
    status_changes: list[ItemDelta] = field(default_factory=list)
    modified: list[ItemDelta] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.status_changes or self.modified)


@dataclass
class CountRow:
    department: str
    department_name: str
    category: str
    before: int
    after: int

    @property
    def ratio(self) -> str:
        return reduction_ratio(self.before, self.after)


@dataclass
class OtherChange:
    """A law or a department added, removed or edited."""

    kind: str       # law · department
    id: str
    name: str
    action: str     # 新增 · 删除 · 修改
    changes: list[str] = field(default_factory=list)


@dataclass
class CatalogDiff:
    old_label: str
    new_label: str
    sections: list[DepartmentSection]
    counts: list[CountRow]
    before: int
    after: int
    others: list[OtherChange]
    transitions: dict[str, int]     # "保留 → 取消" → number of items

    @property
    def added(self) -> list[ItemDelta]:
        return [d for s in self.sections for d in s.added]

    @property
    def removed(self) -> list[ItemDelta]:
        return [d for s in self.sections for d in s.removed]

    @property
    def status_changes(self) -> list[ItemDelta]:
        return [d for s in self.sections for d in s.status_changes]

    @property
    def modified(self) -> list[ItemDelta]:
        return [d for s in self.sections for d in s.modified]

    @property
    def empty(self) -> bool:
        return all(s.empty for s in self.sections) and not self.others

    @property
    def summary(self) -> str:
        return reduction_sentence(self.before, self.after)

    def to_dict(self) -> dict[str, Any]:
        return {
            "from": self.old_label, "to": self.new_label,
            "summary": {"before": self.before, "after": self.after, "sentence": self.summary,
                        "ratio": reduction_ratio(self.before, self.after),
                        "added": len(self.added), "removed": len(self.removed),
                        "status_changes": len(self.status_changes), "modified": len(self.modified),
                        "transitions": self.transitions},
            "departments": [{"id": s.id, "name": s.name, "added": [_fields(d) for d in s.added],
                             "removed": [_fields(d) for d in s.removed],
                             "status_changes": [_fields(d) for d in s.status_changes],
                             "modified": [_fields(d) for d in s.modified]}
                            for s in self.sections if not s.empty],
            "counts": [_fields(c) | {"ratio": c.ratio} for c in self.counts],
            "others": [_fields(o) for o in self.others],
        }


def _fields(obj: Any) -> dict[str, Any]:
    """A flat dataclass's fields in order, without ``asdict``'s recursive deep copy (the values are plain
    strings, numbers, lists and dicts that json.dumps reads as they are)."""
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def reduction_ratio(before: int, after: int) -> str:
    """'86.9%' (the share of ``before`` that is gone); '—' when there was nothing before."""
    if before <= 0:
        return "—"
    return f"{(before - after) / before * 100:.1f}%"


def reduction_sentence(before: int, after: int) -> str:
    """由 1648 项压减为 216 项，压减比例 86.9% (or 增加 / 保持 when the list did not shrink)."""
    if after < before:
        return f"由 {before} 项压减为 {after} 项，压减比例 {reduction_ratio(before, after)}"
    if after > before:
        return f"由 {before} 项增加为 {after} 项，增加 {after - before} 项"
    return f"保持 {before} 项，数量未变"


def _names(*cats: Catalog) -> Names:
    laws: dict[str, str] = {}
    deps: dict[str, str] = {}
    for c in cats:
        laws.update({k: v.title for k, v in c.laws.items()})
        deps.update({k: v.name for k, v in c.departments.items()})
    return Names(laws=laws, departments=deps)


def _delta(kind: str, it: Item, changes: list[str], old: Item | None = None, new: Item | None = None,
           cat: Catalog | None = None) -> ItemDelta:
    dec = (new or it).decision
    to = None
    if dec and dec.to:
        to = dec.to
        if cat is not None and dec.to in cat.departments:
            to = f"{cat.departments[dec.to].name}（{dec.to}）"
        elif cat is not None and dec.to in cat.items:
            to = f"{cat.items[dec.to].name}（{dec.to}）"
    return ItemDelta(code=it.code, name=it.name, department=it.department, category=it.category, kind=kind,
                     old_status=old.status if old else None, new_status=new.status if new else None,
                     changes=changes, decision=dec.to_dict() if dec else None,
                     old_name=old.name if old and new and old.name != new.name else None, decision_to=to)


def diff_catalogs(old: Catalog, new: Catalog, *, old_label: str = "", new_label: str = "") -> CatalogDiff:
    """Compare two Catalogs (see the module docstring). Deterministic: departments in the new list's order
    (then those only in the old one), items by code."""
    names = _names(old, new)
    order = list(new.departments) + [d for d in old.departments if d not in new.departments]
    dep_name = {d: (new.departments.get(d) or old.departments[d]).name for d in order}
    sections = {d: DepartmentSection(d, dep_name[d]) for d in order}

    def section(dep: str) -> DepartmentSection:
        if dep not in sections:
            sections[dep] = DepartmentSection(dep, dep)
        return sections[dep]

    transitions: dict[str, int] = {}
    for code in sorted(set(old.items) | set(new.items)):
        a, b = old.items.get(code), new.items.get(code)
        if a is None and b is not None:
            section(b.department).added.append(_delta("added", b, [], None, b, new))
        elif b is None and a is not None:
            section(a.department).removed.append(_delta("removed", a, [], a, None, old))
        elif a is not None and b is not None and a != b:
            da, db = a.to_dict(), b.to_dict()
            if da == db:
                continue  # only the file location differs, and the department says where it is
            changes = field_changes("item", da, db, names)
            if a.status != b.status:
                key = f"{a.status} → {b.status}"
                transitions[key] = transitions.get(key, 0) + 1
                section(b.department).status_changes.append(_delta("status", b, changes, a, b, new))
            else:
                section(b.department).modified.append(_delta("modified", b, changes, a, b, new))

    counts = _counts(old, new, order, dep_name)
    others: list[OtherChange] = []
    for kind, oa, ob, title_key in (("department", old.departments, new.departments, "name"),
                                     ("law", old.laws, new.laws, "title")):
        for key in sorted(set(oa) | set(ob)):
            x, y = oa.get(key), ob.get(key)
            if x is None and y is not None:
                others.append(OtherChange(kind, key, getattr(y, title_key), "新增"))
            elif y is None and x is not None:
                others.append(OtherChange(kind, key, getattr(x, title_key), "删除"))
            elif x is not None and y is not None:
                ch = field_changes(kind, x.to_dict(), y.to_dict(), names)
                if ch:
                    others.append(OtherChange(kind, key, getattr(y, title_key), "修改", ch))
    before = sum(1 for it in old.items.values() if it.active)
    after = sum(1 for it in new.items.values() if it.active)
    ordered = [sections[d] for d in order] + [s for d, s in sections.items() if d not in dep_name]
    trans = {k: transitions[k] for k in sorted(transitions, key=_transition_order)}
    return CatalogDiff(old_label, new_label, ordered, counts, before, after, others, trans)


def _transition_order(key: str) -> tuple[int, int]:
    a, _, b = key.partition(" → ")
    rank = {s: i for i, s in enumerate(STATUSES)}
    return (rank.get(a, 99), rank.get(b, 99))


def _counts(old: Catalog, new: Catalog, order: list[str], dep_name: dict[str, str]) -> list[CountRow]:
    def tally(cat: Catalog) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for it in cat.items.values():
            if it.active:
                out[(it.department, it.category)] = out.get((it.department, it.category), 0) + 1
        return out

    ta, tb = tally(old), tally(new)
    categories = list(new.settings.category_names)
    for c in old.settings.category_names:
        if c not in categories:
            categories.append(c)
    extra = sorted({c for _, c in (set(ta) | set(tb)) if c not in categories})
    rows: list[CountRow] = []
    deps = order + sorted({d for d, _ in (set(ta) | set(tb)) if d not in dep_name})
    for d in deps:
        for c in categories + extra:
            x, y = ta.get((d, c), 0), tb.get((d, c), 0)
            if x or y:
                rows.append(CountRow(d, dep_name.get(d, d), c, x, y))
    return rows


def department_totals(counts: list[CountRow]) -> list[CountRow]:
    """One row per department (category '合计')."""
    out: dict[str, CountRow] = {}
    for r in counts:
        t = out.setdefault(r.department, CountRow(r.department, r.department_name, "合计", 0, 0))
        t.before += r.before
        t.after += r.after
    return list(out.values())


def category_totals(counts: list[CountRow]) -> list[CountRow]:
    """One row per category across departments (department '全部')."""
    out: dict[str, CountRow] = {}
    for r in counts:
        t = out.setdefault(r.category, CountRow("", "全部", r.category, 0, 0))
        t.before += r.before
        t.after += r.after
    return list(out.values())


def semantic_diff(rev1: str, rev2: str | None = None, *, root: str | Path = ".",
                  settings: Settings | None = None) -> CatalogDiff:
    """``powerlist diff REV1 [REV2]``: REV2 defaults to the working tree of ``root``."""
    a, b = load_both(rev1, rev2, root, settings)
    return diff_catalogs(a.catalog, b.catalog, old_label=_label(a), new_label=_label(b))


def _label(s: Side) -> str:
    return f"{s.label}（{s.commit[:7]}）" if s.commit and not s.commit.startswith(s.label) else s.label

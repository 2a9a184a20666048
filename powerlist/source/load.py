"""Load a power-list folder (``items/`` and ``laws/``) into a validated :class:`~powerlist.model.catalog.Catalog`.

``load_catalog`` reads every file, collects every problem (see :mod:`powerlist.source.validate`), and either
returns the Catalog or raises :class:`~powerlist.model.errors.InvalidData` listing all of them. Nothing downstream
re-reads YAML.
"""
from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ..model.catalog import Catalog
from ..model.errors import InvalidData, Problem, UsageError
from ..model.records import (Accountability, Citation, Contact, Decision, Department, Fee, FeeItem, FlowEdge, FlowStep,
                             Generated, Item, Law, Responsibility, Risk, TimeLimit)
from ..model.settings import Settings
from ..runtime.gcutil import collector_paused
from ..runtime.procs import worker_init
from .files import FileRefused, read_regular
from .validate import ITEM_REF_KEYS, Checked, check_department, check_id, check_item, check_law, check_references
from .yamlsrc import MAX_FILE_BYTES, MAX_LAW_FILE_BYTES, Document, read_yaml_file, read_yaml_text, too_large

__all__ = ["load_catalog", "collect_problems", "Source", "LoadCache", "scan_folder", "classify", "check_into_cache",
           "size_limit"]

DEPARTMENT_FILE = "_department.yaml"


def size_limit(kind: str) -> int:
    """The most bytes a data file of this kind ('item', 'department', 'law') may hold."""
    return MAX_LAW_FILE_BYTES if kind == "law" else MAX_FILE_BYTES


@dataclass(frozen=True)
class Source:
    """One data file to check: its kind ('item', 'department', 'law'), its path relative to the data root
    ('items/<dep>/<code>.yaml'), and where its bytes come from (a file on disk, or bytes given, e.g. a git blob)."""

    kind: str
    rel: str
    path: Path | None = None
    data: bytes | None = None
    #: the git blob id of the bytes, when known without reading them (files of a git revision)
    blob: str | None = None


#: (relative path, git blob id of the bytes) → outcome of checking that file; lets a second load (the other
#: side of a diff) parse only the files that differ, and fetch only those from git.
LoadCache = dict[tuple[str, str], tuple[Checked, list[Problem]]]


def blob_id(data: bytes) -> str:
    """The id git gives these bytes as a blob (so files on disk and in a revision share cache entries)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def classify(rels: Iterable[str]) -> tuple[list[tuple[str, str]], list[Problem]]:
    """Sort relative paths under items/ and laws/ into (kind, rel). Stray files are problems, notes are fine."""
    found: list[tuple[str, str]] = []
    problems: list[Problem] = []
    for rel in sorted(rels):
        parts = rel.split("/")
        fn = parts[-1]
        if any(p.startswith(".") for p in parts) or fn.lower().endswith((".md", ".txt")):
            continue
        top = parts[0]
        if fn.endswith(".yml"):
            problems.append(Problem(rel, 0, 0, "", f"use the extension .yaml: rename to {fn[:-4]}.yaml"))
        elif not fn.endswith(".yaml"):
            problems.append(Problem(rel, 0, 0, "", f"unexpected file here: only .yaml data files belong in {top}/"))
        elif top == "laws" and len(parts) == 2:
            found.append(("law", rel))
        elif top == "items" and len(parts) == 3:
            found.append(("department" if fn == DEPARTMENT_FILE else "item", rel))
        else:
            where = "laws/<law-id>.yaml" if top == "laws" else "items/<department-id>/<code>.yaml"
            problems.append(Problem(rel, 0, 0, "", f"misplaced file: data files go in {where}"))
    return found, problems


def scan_folder(root: Path) -> tuple[list[Source], list[Problem]]:
    """The data files of a folder holding items/ and/or laws/.

    Symbolic links (to a department folder, an item or a law file, or items/ and laws/ themselves) are followed
    when they lead to a place inside the data folder, and are a problem at their path otherwise (or when they
    are broken or lead round a loop): nothing is skipped without a word. Whether a file is a regular file is
    checked when it is read."""
    if not (root / "items").is_dir() and not (root / "laws").is_dir():
        raise UsageError(f"{root} holds neither items/ nor laws/; give the folder of the power-list data")
    real_root = os.path.realpath(root)
    rels: list[str] = []
    problems: list[Problem] = []
    for top in ("items", "laws"):
        if os.path.lexists(root / top):
            _scan(root, real_root, top, rels, problems, frozenset({real_root}), os.path.join(real_root, top))
    found, more = classify(rels)
    return [Source(kind, rel, root / rel) for kind, rel in found], problems + more


def _scan(root: Path, real_root: str, rel: str, rels: list[str], problems: list[Problem],
          within: frozenset[str], real: str, entry: os.DirEntry[str] | None = None) -> None:
    """Add the files under ``root/rel`` (a folder, or a link to one) to ``rels``. ``real``: its real path as
    its parent sees it, ``within``: the real paths of the folders it is in (a link back to one of them is a
    loop), ``entry``: what scandir said of it."""
    path = os.path.join(root, rel)
    if entry.is_symlink() if entry is not None else os.path.islink(path):
        real = os.path.realpath(path)
        target = os.readlink(path)
        if os.path.commonpath([real_root, real]) != real_root:
            problems.append(Problem(rel, 0, 0, "", (
                f"a symbolic link to {target}, outside the data folder; links are followed only inside the data "
                "folder: copy the files in, or link to a place inside it")))
            return
        if not os.path.exists(real):
            problems.append(Problem(rel, 0, 0, "", f"a symbolic link to {target}, which does not exist"))
            return
        if real in within:
            problems.append(Problem(rel, 0, 0, "", f"a symbolic link to {target}, a folder it is in (a loop)"))
            return
    if not (entry.is_dir() if entry is not None else os.path.isdir(path)):
        rels.append(rel)   # a file, or something else: the reader refuses anything but a regular file
        return
    try:
        with os.scandir(path) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as exc:
        problems.append(Problem(rel, 0, 0, "", f"cannot read the folder: {exc.strerror}"))
        return
    inner = within | {real}
    for e in entries:
        if not e.is_symlink() and not e.is_dir():
            rels.append(f"{rel}/{e.name}")     # the common case, without a call
        else:
            _scan(root, real_root, f"{rel}/{e.name}", rels, problems, inner, os.path.join(real, e.name), e)


def _check_bytes(src: Source, data: bytes | None, settings: Settings) -> tuple[Checked, list[Problem]]:
    """Check one file (runs in worker processes for large data sets)."""
    limit = size_limit(src.kind)
    if data is None:
        assert src.path is not None
        doc = read_yaml_file(src.path, src.rel, limit=limit)
    elif len(data) > limit:      # bytes of a git revision: the same limit as on disk
        doc = Document(src.rel)
        doc.problems.append(Problem(src.rel, 0, 0, "", too_large(len(data), limit)))
    else:
        doc = read_yaml_text(data, src.rel)
    parts = src.rel.split("/")
    stem = parts[-1][: -len(".yaml")]
    problems: list[Problem] = []
    if src.kind == "law":
        msg = check_id(stem, "law file name")
        if msg:
            problems.append(Problem(src.rel, 0, 0, "", msg))
        checked = check_law(doc, settings, stem)
    elif src.kind == "department":
        checked = check_department(doc, settings, parts[1])
    else:
        checked = check_item(doc, settings, parts[1], stem)
        if checked.data is not None and not doc.problems and not problems:
            checked.model = build_item(checked.data, src.rel)
            checked.data = {k: checked.data[k] for k in ITEM_REF_KEYS if k in checked.data}
    problems.extend(doc.problems)
    return checked, problems


_WORK: tuple[list[tuple[Source, bytes | None]], Settings, list[tuple[int, int]], Any] | None = None
#: below this many files one process is as quick (1,000 files: 0.19 s on two cores, 0.24 s on one)
PARALLEL_MIN_FILES = 1000
CHUNK_FILES = 100


def _claim(counter: Any) -> int:
    with counter.get_lock():
        k = int(counter.value)
        counter.value = k + 1
    return k


def _work_next(_: int) -> tuple[int, list[tuple[Checked, list[Problem]]]] | None:
    """A worker's task: check the next chunk nobody has claimed yet (None when all are taken)."""
    assert _WORK is not None
    files, settings, chunks, counter = _WORK
    k = _claim(counter)
    if k >= len(chunks):
        return None
    lo, hi = chunks[k]
    return k, [_check_bytes(src, data, settings) for src, data in files[lo:hi]]


def _check_many(files: list[tuple[Source, bytes | None]], settings: Settings) -> list[tuple[Checked, list[Problem]]]:
    """Check files, on all cores when there are many (fork: the list is inherited by the workers, not sent).

    ``cores - 1`` workers and the parent process itself take chunks of files from a shared counter until none
    are left: the parent's own results need no pickling, and on two cores a parent that only received would
    take CPU time from both workers to unpickle their results. Taking chunks as they go keeps every process
    busy to the end, whatever each one's speed."""
    global _WORK
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_MIN_FILES or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_check_bytes(src, data, settings) for src, data in files]
    n = len(files)
    chunks = [(i, min(i + CHUNK_FILES, n)) for i in range(0, n, CHUNK_FILES)]
    ctx = mp.get_context("fork")
    counter = ctx.Value("l", 0)
    _WORK = (files, settings, chunks, counter)
    done: list[list[tuple[Checked, list[Problem]]] | None] = [None] * len(chunks)
    # the pool's result thread must get the interpreter lock promptly while this thread checks files,
    # or the workers stall on a full result pipe
    switch = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        with ctx.Pool(workers - 1, initializer=worker_init, initargs=(os.getpid(),)) as pool:
            theirs = pool.imap_unordered(_work_next, range(len(chunks)), chunksize=1)
            while (k := _claim(counter)) < len(chunks):
                lo, hi = chunks[k]
                done[k] = [_check_bytes(src, data, settings) for src, data in files[lo:hi]]
            for res in theirs:
                if res is not None:
                    done[res[0]] = res[1]
    finally:
        _WORK = None
        sys.setswitchinterval(switch)
    out: list[tuple[Checked, list[Problem]]] = []
    for part in done:
        assert part is not None
        out.extend(part)
    return out


def _check_all(sources: list[Source], settings: Settings,
               cache: LoadCache | None) -> list[tuple[Checked, list[Problem]]]:
    if cache is None:
        return _check_many([(src, src.data) for src in sources], settings)
    keyed: list[tuple[Source, bytes | None, tuple[str, str] | None]] = []
    for src in sources:
        if src.blob is not None and (src.rel, src.blob) in cache:
            keyed.append((src, None, (src.rel, src.blob)))
            continue
        data = src.data
        if data is None:
            assert src.path is not None, f"{src.rel}: no bytes, path or cached blob"
            try:
                data = read_regular(src.path, size_limit(src.kind))
            except FileRefused:
                keyed.append((src, None, None))  # read again in the check, which reports the problem
                continue
        keyed.append((src, data, (src.rel, src.blob or blob_id(data))))
    misses: list[tuple[Source, bytes | None]] = []
    pending: set[tuple[str, str]] = set()      # each distinct (file, content) is checked once
    for src, data, key in keyed:
        if key is None or (key not in cache and key not in pending):
            misses.append((src, data))
            if key is not None:
                pending.add(key)
    fresh = iter(_check_many(misses, settings))
    out = []
    for src, data, key in keyed:
        if key is not None and key in cache:
            out.append(cache[key])
        else:
            result = next(fresh)
            if key is not None:
                cache[key] = result
            out.append(result)
    return out


def check_into_cache(sources: list[Source], settings: Settings | None, cache: LoadCache) -> None:
    """Check every file of ``sources`` not yet in ``cache`` (each distinct file once, in one pass over all
    cores) and remember the results, so that later loads of these files are lookups. Loads about to share a
    cache (the two sides of a diff) call this with all their files first: one pass keeps both cores busy
    where two smaller passes would each end waiting for their last chunk."""
    with collector_paused():
        _check_all(sources, settings or Settings(), cache)


def collect_problems(root: str | Path, settings: Settings | None = None, *, sources: list[Source] | None = None,
                     cache: LoadCache | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Load and check everything; return (Catalog or None, sorted problems). Never raises for bad data.

    The cyclic garbage collector is paused meanwhile: loading allocates millions of small acyclic objects,
    and the collector's repeated scans of them cost a third of the time.
    """
    with collector_paused():
        return _collect(root, settings, sources, cache)


def _collect(root: str | Path, settings: Settings | None, sources: list[Source] | None,
             cache: LoadCache | None) -> tuple[Catalog | None, list[Problem]]:
    settings = settings or Settings()
    rootp = Path(root)
    problems: list[Problem]
    if sources is None:
        sources, problems = scan_folder(rootp)
    else:
        problems = []
    items: list[Checked] = []
    departments: dict[str, Checked] = {}
    laws: dict[str, Checked] = {}
    seen_dirs: set[str] = set()
    for src, (checked, file_problems) in zip(sources, _check_all(sources, settings, cache)):
        problems.extend(file_problems)
        parts = src.rel.split("/")
        if src.kind == "law":
            laws[parts[-1][: -len(".yaml")]] = checked  # even when unusable: its own problems are reported
            continue
        folder = parts[1]
        if folder not in seen_dirs:
            seen_dirs.add(folder)
            msg = check_id(folder, "department folder")
            if msg:
                problems.append(Problem(src.rel, 0, 0, "", msg))
        if src.kind == "department":
            departments[folder] = checked
        else:
            items.append(checked)
    problems.extend(check_references(items, departments, laws, settings))
    warnings = [p for p in problems if p.is_warning]
    if len(warnings) < len(problems):
        return None, sorted(problems)
    catalog = _build_catalog(items, departments, laws, settings, rootp)
    catalog.warnings = sorted(warnings)
    return catalog, []


def load_catalog(root: str | Path, settings: Settings | None = None, *, sources: list[Source] | None = None,
                 cache: LoadCache | None = None) -> Catalog:
    """The validated Catalog of ROOT; raises InvalidData with every problem when anything is wrong.

    ``sources`` replaces scanning ROOT (e.g. files of a git revision); ``cache`` is shared between loads of
    similar data so that unchanged files are checked once."""
    catalog, problems = collect_problems(root, settings, sources=sources, cache=cache)
    if catalog is None:
        raise InvalidData(problems)
    return catalog


# ---- cleaned dicts → model ----

def _cits(v: Any) -> tuple[Citation, ...]:
    return tuple(Citation(c["law"], c.get("article"), c.get("paragraph"), c.get("item"), c.get("note"),
                          c.get("point"), c.get("point_label")) for c in v or ())


def _flow(steps: list[dict[str, Any]]) -> tuple[FlowStep, ...]:
    out = []
    for i, s in enumerate(steps):
        raw = s.get("next")
        raw_edges = None if raw is None else tuple(  # cleaned {to, when} or file form (a bare step id)
            FlowEdge(e) if isinstance(e, str) else FlowEdge(e["to"], e.get("when")) for e in raw)
        resolved: tuple[FlowEdge, ...]
        if raw_edges is None:
            resolved = (FlowEdge(steps[i + 1]["id"]),) if i + 1 < len(steps) else ()
        else:
            resolved = raw_edges
        out.append(FlowStep(s["id"], s["name"], s.get("actor"), s.get("time_limit"), resolved, raw_edges))
    return tuple(out)


def build_item(d: dict[str, Any], file: str = "") -> Item:
    """An Item from a cleaned (validated) file-form dict."""
    tl, fee, contact, dec = d.get("time_limit"), d.get("fee"), d.get("contact"), d.get("decision")
    return Item(
        code=d["code"], name=d["name"], category=d["category"], department=d["department"], status=d["status"],
        basis=_cits(d.get("basis")), parent=d.get("parent"), source=d.get("source"), office=d.get("office"),
        summary=d.get("summary"), handling=d.get("handling"),
        time_limit=TimeLimit(tl.get("statutory"), tl.get("promised")) if tl is not None else None,
        fee=Fee(fee["charged"], tuple(FeeItem(f["name"], f.get("standard"), _cits(f.get("basis")))
                                      for f in fee.get("items", ()))) if fee is not None else None,
        flow=_flow(d.get("flow") or []),
        responsibilities=tuple(Responsibility(r["stage"], r["duty"], _cits(r.get("basis")))
                               for r in d.get("responsibilities") or ()),
        accountability=tuple(Accountability(a["situation"], _cits(a.get("basis")))
                             for a in d.get("accountability") or ()),
        risks=tuple(Risk(r["risk"], r["level"], r["measure"], r.get("stage")) for r in d.get("risks") or ()),
        contact=Contact(contact.get("consult"), contact.get("supervise")) if contact is not None else None,
        decision=Decision(dec["document"], dec["date"], dec.get("url"), dec.get("to")) if dec is not None else None,
        remarks=d.get("remarks"), source_code=d.get("source_code"), levels=tuple(d.get("levels") or ()),
        file=file,
    )


def _build_catalog(items: list[Checked], departments: dict[str, Checked], laws: dict[str, Checked],
                   settings: Settings, root: Path) -> Catalog:
    deps = {}
    for key, c in departments.items():
        d = c.data or {}
        deps[key] = Department(id=d["id"], name=d["name"], region=d["region"], region_name=d["region_name"],
                               level=d["level"], nature=d.get("nature"), order=d.get("order"),
                               address=d.get("address"), website=d.get("website"), consult=d.get("consult"),
                               supervise=d.get("supervise"), file=c.file)
    dep_order = {k: i for i, k in enumerate(sorted(deps, key=lambda k: (deps[k].order is None,
                                                                        deps[k].order or 0, k)))}
    deps = {k: deps[k] for k in sorted(deps, key=dep_order.__getitem__)}
    # every item file without problems had its model built where it was checked
    built = [c.model if c.model is not None else build_item(c.data or {}, c.file) for c in items]
    built.sort(key=lambda it: (dep_order.get(it.department, 1 << 30), it.code))
    law_objs = {}
    for key in sorted(laws):
        d = laws[key].data or {}
        gen = d.get("generated")
        law_objs[key] = Law(id=d["id"], title=d["title"], level=d["level"], issuer=d["issuer"], status=d["status"],
                            document=d.get("document"), promulgated=d.get("promulgated"),
                            effective=d.get("effective"), url=d.get("url"),
                            articles=dict(sorted((d.get("articles") or {}).items())), edition=d.get("edition"),
                            generated=Generated(gen["by"], gen["source"], gen["date"]) if gen else None,
                            file=laws[key].file)
    return Catalog(departments=deps, items={it.code: it for it in built}, laws=law_objs, settings=settings,
                   root=str(root))

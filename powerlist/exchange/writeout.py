"""The second half of an import: laws matched or generated, codes allocated, every file checked, then written.

Nothing is written until every item, department and law file to be written has passed the validator's own
per-file checks; files are written whole or not at all (a temporary file renamed over the target), departments
and laws first, so a written item never cites a law file that is missing.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..source.validate import check_department, check_item, check_law
from ..source.writer import dump_item, dump_yaml
from ..source.yamlsrc import Document
from . import normalize as nz
from .basis_text import TextCitation
from .codes import CodeAllocator
from .entry import Entry
from .folder import Folder
from .lawreg import LawRegistry
from .report import ImportResult

__all__ = ["finish", "citation_dict"]


def citation_dict(c: TextCitation, law: str) -> dict[str, Any]:
    """A citation of the file format from one read from a basis cell."""
    d: dict[str, Any] = {"law": law}
    if c.article is not None:
        d["article"] = c.article
        if c.paragraph is not None:
            d["paragraph"] = c.paragraph
        if c.item is not None:
            d["item"] = c.item
    else:
        if c.point is not None:
            d["point"] = c.point
        if c.point_label:
            d["point_label"] = nz.one_line(c.point_label)
    if c.note:
        d["note"] = c.note
    return d


def _problems(doc: Document) -> list[str]:
    return [p.format().split(": ", 1)[-1] for p in doc.problems if not p.is_warning]


def _laws(result: ImportResult, pending: list[Entry], folder: Folder, source: str, date: str,
          settings: Any) -> tuple[LawRegistry, dict[str, dict[str, Any]], dict[int, list[str]]]:
    """Match or plan the law of every citation; returns the registry, the generated laws' data by group key,
    and for each entry (by id) the group keys of the new laws it cites."""
    reg = LawRegistry(folder.laws)
    plan: list[tuple[Entry, list[tuple[TextCitation, str | None, str | None]]]] = []
    for e in pending:
        items: list[tuple[TextCitation, str | None, str | None]] = []
        for c in e.cites:
            existing, question = reg.find(c)
            if question:
                where = result.questions.setdefault(question, [])
                if e.where not in where:
                    where.append(e.where)
                e.messages.append(f"实施依据: {question}")
            elif existing:
                items.append((c, existing, None))
            else:
                items.append((c, None, reg.add(c, e.where)))
        plan.append((e, items))
    reg.settle()
    data: dict[str, dict[str, Any]] = {}
    bad: dict[str, str] = {}
    for key, law in reg.new.items():
        d = law.data(source, date)
        doc = Document(f"laws/{law.id}.yaml", d)
        check_law(doc, settings, law.id)
        wrong = [p for p in doc.problems if not p.is_warning and p.path.startswith("articles.")]
        articles: dict[int, str] = d.get("articles") or {}   # type: ignore[assignment]
        for p in wrong:                      # an article text the format refuses: left out, and said so
            art = int(p.path.split(".")[1])
            articles.pop(art, None)
            result.notes.append(f"laws/{law.id}.yaml: article {art} left out: {p.message}")
        if wrong:
            if not articles:
                del d["articles"]
            doc = Document(f"laws/{law.id}.yaml", d)
            check_law(doc, settings, law.id)
        msgs = _problems(doc)
        if msgs:
            bad[key] = msgs[0]
        else:
            data[key] = d
        result.conflicts.extend(law.conflicts)
    cited: dict[int, list[str]] = {}
    for e, items in plan:
        cits: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for c, found, group in items:
            law_id: str
            if group is not None:
                if group in bad:
                    e.messages.append(f"实施依据: 《{nz.shown(c.title)}》 cannot become a law file: {bad[group]}")
                    continue
                law_id = reg.id_of(group)
                cited.setdefault(id(e), []).append(group)
            else:
                assert found is not None
                law_id = found
                ex = folder.laws[law_id]
                if ex.status == "已废止":
                    e.messages.append(f"实施依据: 《{ex.title}》 is repealed (已废止); cite the law in force")
                elif c.article is not None and ex.articles and c.article not in ex.articles:
                    e.messages.append(f"实施依据: 《{ex.title}》 has no article {c.article} in laws/{law_id}.yaml")
            cd = citation_dict(c, law_id)
            k = tuple(cd.items())
            if k not in seen:
                seen.add(k)
                cits.append(cd)
        e.data["basis"] = cits
    return reg, data, cited


def _check(e: Entry, dep_ids: set[str], known_codes: set[str]) -> None:
    d = e.data
    if e.parent_entry is not None:
        p = e.parent_entry
        if p.status == "attention" or p.messages:
            e.messages.append(f"its main item ({p.where}) needs attention")
        if "category" not in d and "category" in p.data:
            d["category"] = p.data["category"]
        elif d.get("category") != p.data.get("category"):
            e.messages.append(f"a sub-item's 权力类别 ({d.get('category')}) must equal its main item's "
                              f"({p.data.get('category')})")
    if "category" not in d and not any("权力类别" in m for m in e.messages):
        e.messages.append("权力类别 is empty")
    if not d.get("basis"):
        d.pop("basis", None)
        if d.get("status", "保留") != "取消" and not any(m.startswith("实施依据") for m in e.messages):
            e.messages.append("实施依据 is empty: at least one citation (《法律》第…条) is required")
    dec = d.get("decision") or {}
    to = dec.get("to")
    if to and d.get("status") == "下放" and to not in dep_ids:
        e.messages.append(f"调整去向 '{nz.shown(to)}' is not a department id (a folder in items/)")
    if to and d.get("status") == "合并" and to not in known_codes:
        e.messages.append(f"调整去向 '{nz.shown(to)}' is not an item code")
    if d.get("status") in ("下放", "合并") and dec and not to:
        e.messages.append(f"状态 is {d['status']}: 调整去向 must name where it went")


def _check_parent(e: Entry, parent: str, by_code: dict[str, Entry], folder: Folder) -> None:
    p_entry = by_code.get(parent)
    if p_entry is not None:
        e.parent_entry = p_entry
        if p_entry.messages:
            e.messages.append(f"its main item ({p_entry.where}) needs attention")
        elif p_entry.data.get("parent"):
            e.messages.append(f"主项编码 '{parent}' is itself a sub-item")
        elif p_entry.data.get("category") != e.data.get("category"):
            e.messages.append("a sub-item's 权力类别 must equal its main item's")
        return
    doc = folder.read_item(parent)
    if doc is not None and doc.problems:
        e.messages.append(f"主项编码 '{parent}': {doc.file} cannot be read ({doc.problems[0].message})")
        return
    pdata = doc.data if doc is not None and isinstance(doc.data, dict) else None
    if pdata is None:
        e.messages.append(f"主项编码 '{nz.shown(parent)}' is neither in this sheet nor in items/")
    elif pdata.get("parent"):
        e.messages.append(f"主项编码 '{parent}' is itself a sub-item")
    elif pdata.get("category") != e.data.get("category"):
        e.messages.append(f"a sub-item's 权力类别 must equal its main item's ({pdata.get('category')})")


def finish(result: ImportResult, opts: Any, folder: Folder, deps: Any, source: str, date: str) -> None:
    """Laws, departments, codes, checks and files for the entries of ``result`` (see the module docstring)."""
    settings = opts.settings
    pending = [e for e in result.entries if e.status == "pending"]
    reg, law_data, cited = _laws(result, pending, folder, source, date, settings)
    dep_ok: dict[str, str | None] = {}
    for dep_id, d in deps.new.items():
        doc = Document(f"items/{dep_id}/_department.yaml", d)
        check_department(doc, settings, dep_id)
        msgs = _problems(doc)
        dep_ok[dep_id] = msgs[0] if msgs else None
    for e in pending:
        why = dep_ok.get(e.department)
        if why:
            e.messages.append(f"department {e.department} cannot be created: {why}")
    alloc = CodeAllocator(settings, folder.codes)
    for e in pending:
        if e.parent_entry is None and e.parent_code:
            e.data["parent"] = e.parent_code
    for e in pending:
        alloc.at(deps.region_of(e.department), e.department).claim(e)
    for e in pending:
        if "code" not in e.data:
            alloc.at(deps.region_of(e.department), e.department).assign(e, folder.by_name)
    known = set(folder.codes) | {e.data["code"] for e in pending if "code" in e.data}
    by_code: dict[str, Entry] = {}
    for e in pending:
        if "code" in e.data:
            by_code.setdefault(e.data["code"], e)
    dep_ids = set(folder.departments) | set(deps.new)
    for e in pending:
        if e.parent_entry is not None and "code" in e.parent_entry.data:
            e.data["parent"] = e.parent_entry.data["code"]
        _check(e, dep_ids, known)
        parent = e.data.get("parent")
        if parent and e.parent_entry is None:
            _check_parent(e, parent, by_code, folder)
    for e in pending:
        if e.parent_entry is not None and e.parent_entry.messages and not e.messages:
            e.messages.append(f"its main item ({e.parent_entry.where}) needs attention")
    texts = _check_items(pending, opts, folder)
    ready = [e for e in pending if e.status in ("created", "overwritten")]
    used_deps = sorted({e.department for e in ready if e.department in deps.new})
    used_laws = sorted({k for e in ready for k in cited.get(id(e), [])}, key=lambda k: reg.id_of(k))
    writes: list[tuple[Path, str, str]] = []
    for dep_id in used_deps:
        rel = f"items/{dep_id}/_department.yaml"
        writes.append((folder.root / rel, dump_yaml(deps.new[dep_id]), rel))
        result.departments.append((dep_id, deps.new[dep_id]["name"], rel))
    for key in used_laws:
        d = law_data[key]
        rel = f"laws/{d['id']}.yaml"
        writes.append((folder.root / rel, dump_yaml(d), rel))
        result.laws.append((str(d["id"]), str(d["title"]), len(d.get("articles") or {}), rel))
    for e in ready:
        writes.append((folder.item_file(e.data["code"], e.department), texts[id(e)], e.file))
    if not opts.dry_run:
        done: list[str] = []
        for target, text, rel in writes:
            _write(target, text, rel, done)
            done.append(rel)


def _check_items(pending: list[Entry], opts: Any, folder: Folder) -> dict[int, str]:
    texts: dict[int, str] = {}
    for e in pending:
        if e.messages:
            e.status = "attention"
            continue
        code = e.data["code"]
        dep = e.department
        text = dump_item(e.data)
        rel = f"items/{dep}/{code}.yaml"
        # the loader's own per-file checks, on what we are about to write (dump_item loads back equal)
        doc = Document(rel, e.data)
        check_item(doc, opts.settings, dep, code)
        if doc.problems:
            e.messages.extend(p.format().split(": ", 1)[-1] for p in doc.problems)
            e.status = "attention"
            continue
        e.file = rel
        target = folder.item_file(code, dep)
        exists = folder.codes.get(code) == dep or target.exists()
        if exists and not opts.force:
            e.status = "skipped"
            e.messages.append(f"{rel} exists (use --force to overwrite)")
            continue
        e.status = "overwritten" if exists else "created"
        texts[id(e)] = text
    return texts


def _write(target: Path, text: str, rel: str, done: list[str]) -> None:
    """Write one file whole or not at all (a temporary file renamed over the target): a full disk or a
    read-only folder leaves no half-written file."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        written = (f"; {len(done)} file(s) were written before it, e.g. {done[0]}" if done
                   else "; no file was written")
        raise UsageError(f"cannot write {rel}: {exc.strerror or exc}{written}") from None

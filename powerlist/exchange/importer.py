"""``powerlist import``: a department's Excel/CSV list → one YAML file per item in ``items/<department>/``.

Rows become item dicts (columns recognised by name, values cleaned, 实施依据 parsed against ``laws/``), main items
spanning several rows get their sub-items (子项), codes are taken from the sheet when valid or assigned, and each
item is checked before it is written. Rows that cannot become a valid item are reported with the reason and
written nowhere; existing files are never overwritten without ``force``.

Every YAML file it reads (the department's items, departments, laws, the ``--mapping`` file) is read as
``validate`` reads it (:func:`read_data_yaml` → :func:`powerlist.source.yamlsrc.read_yaml_file`: regular files within
the loader's size limits, no anchors or aliases, so no file can expand); a data
file that cannot be read stops the import before anything is written.
"""
from __future__ import annotations

import codecs
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ..model.errors import InvalidData, Problem, UsageError
from ..model.records import HANDLING, ID_RE, SOURCES
from ..model.settings import Settings
from ..source.validate import check_item
from ..source.writer import dump_item
from ..source.yamlsrc import MAX_FILE_BYTES, MAX_LAW_FILE_BYTES, Document, read_yaml_file, read_yaml_text
from . import normalize as nz
from .basis_parser import LawIndex, parse_basis
from .codes import CodeAllocator
from .columns import FIELDS
from .entry import Entry
from .limits import MAX_BASIS_PARTS, MAX_MAPPING_BYTES, MAX_MAPPING_ENTRIES, read_input
from .table import Header, Table, detect_header, read_table
from .workbook import column_letter


def read_data_yaml(path: Path, rel: str) -> Document:
    """A YAML file of the data folder, read as ``validate`` reads it (:func:`powerlist.source.yamlsrc.read_yaml_file`:
    a regular file within the loader's size limit for its kind, no anchors, aliases or custom tags). Problems
    are on the Document, never raised."""
    limit = MAX_LAW_FILE_BYTES if rel.startswith("laws/") else MAX_FILE_BYTES
    return read_yaml_file(path, rel, limit=limit)


def read_mapping(path: str | Path) -> dict[str, str]:
    """The --mapping file: column name → field. Any problem is a UsageError naming the file and line."""
    data = read_input(path, MAX_MAPPING_BYTES, "mapping file")
    raw = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
        try:
            raw.decode("gb18030")
            guess = " (it looks like GBK/GB18030, as Windows Notepad saves Chinese text)"
        except UnicodeDecodeError:
            guess = ""
        raise UsageError(f"{path}:{line}:{col}: the mapping file is not UTF-8{guess}: byte 0x{raw[exc.start]:02x} "
                         "cannot be decoded; save it as UTF-8 (另存为, 编码 UTF-8)") from None
    doc = read_yaml_text(data, str(path), fast=False)
    problems = list(doc.problems)
    if not problems and isinstance(doc.data, dict) and len(doc.data) > MAX_MAPPING_ENTRIES:
        raise UsageError(f"{path}: {len(doc.data):,} column names; a mapping file holds at most "
                         f"{MAX_MAPPING_ENTRIES:,}")
    out: dict[str, str] = {}
    if not problems and isinstance(doc.data, dict):
        fields = " ".join(sorted(FIELDS))
        for k, v in doc.data.items():
            key = str(k)
            line, col = doc.where((k,))
            if isinstance(v, str) and v in FIELDS:
                out[key] = v
                continue
            if v is None:
                why = f"'{nz.shown(key)}' names no field; write one of: {fields}"
            elif isinstance(v, str):
                why = f"'{nz.shown(key)}: {nz.shown(v)}': unknown field '{nz.shown(v)}'; one of: {fields}"
            else:
                why = f"'{nz.shown(key)}': the field must be one word, one of: {fields}"
            problems.append(Problem(str(path), line, col, "", why))
    if problems:
        shown = [p.format() for p in sorted(problems)[:20]]
        more = f"\n({len(problems) - 20} more)" if len(problems) > 20 else ""
        raise UsageError("\n".join(shown) + more + "\nA mapping file maps column names to fields, one per line, "
                         "e.g. '审批项目名称: name'")
    return out


@dataclass
class ImportOptions:
    department: str
    root: Path = Path(".")
    header_row: int | None = None
    sheet: str | None = None
    mapping: dict[str, str] | None = None
    encoding: str | None = None
    dry_run: bool = False
    force: bool = False
    settings: Settings = field(default_factory=Settings)


@dataclass
class ImportResult:
    source: str
    department: str
    header_rows: list[int]
    columns: list[tuple[str, str]]
    ignored_columns: list[str]
    entries: list[Entry]
    unmatched_laws: dict[str, list[int]]
    dry_run: bool
    #: rows of the table not read as items, by reason (repeated header, a note merged across the sheet)
    not_items: dict[str, list[int]] = field(default_factory=dict)
    #: things worth knowing that concern no one row (other sheets, data in columns without a header)
    notes: list[str] = field(default_factory=list)

    def by_status(self, status: str) -> list[Entry]:
        return [e for e in self.entries if e.status == status]

    @property
    def created(self) -> list[Entry]:
        return [e for e in self.entries if e.status in ("created", "overwritten")]

    @property
    def skipped(self) -> list[Entry]:
        return self.by_status("skipped")

    @property
    def attention(self) -> list[Entry]:
        return self.by_status("attention")

    def report_lines(self) -> Iterator[str]:
        verb = {"created": "would create" if self.dry_run else "created",
                "overwritten": "would overwrite" if self.dry_run else "overwrote"}
        rows = "+".join(str(r) for r in self.header_rows)
        yield (f"{self.source}: header row {rows}; columns: "
               + ", ".join(f"{nz.shown(h)}→{f}" for h, f in self.columns))
        if self.ignored_columns:
            yield ("  columns not used: " + "、".join(nz.shown(c) for c in self.ignored_columns)
                   + " (map them with --mapping)")
        for n in self.notes:
            yield f"  note: {n}"
        for why, rows_ in self.not_items.items():
            yield f"  rows not read as items ({why}): {_ranges(rows_)}"
        for e in self.entries:
            if e.status in verb:
                yield f"row {e.row}: {verb[e.status]} {e.file} {e.label}"
                for n in e.notes:
                    yield f"    note: {n}"
            elif e.status == "skipped":
                yield f"row {e.row}: skipped {e.label}: {'; '.join(e.messages)}"
            else:
                yield f"row {e.row}: needs attention: {e.label}: {'; '.join(e.messages)}"
        if self.unmatched_laws:
            yield "law titles not found in laws/ (add them there, then run the import again):"
            for title, rows_ in self.unmatched_laws.items():
                yield f"  《{nz.shown(title)}》 rows {_ranges(rows_)}"
        with_notes = sum(1 for e in self.created if e.notes)
        head = "dry run, nothing written: " if self.dry_run else ""
        yield (f"{head}created {len(self.created)}" + (f" ({with_notes} with notes)" if with_notes else "")
               + f", skipped {len(self.skipped)}, needs attention {len(self.attention)}")


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → '3-5, 9' (at most 20 runs shown)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs[:20])
    return text + (f" … ({len(numbers)} rows)" if len(runs) > 20 else "")


# ---- the data folder ----

@dataclass
class _Folder:
    root: Path
    department: str
    region: str
    dep_ids: set[str]
    dep_names: dict[str, str]
    laws: LawIndex
    law_info: dict[str, tuple[str, str, set[int]]]    # id → (title, status, listed articles)
    codes: dict[str, str]                              # existing code → department folder
    by_name: dict[tuple[str, str, str], str]           # (name, category, parent) → code, this department

    def item_file(self, code: str, dep: str | None = None) -> Path:
        return self.root / "items" / (dep or self.department) / f"{code}.yaml"

    def read_item(self, code: str) -> Document | None:
        """The item file of an existing code (any department), read the safe way; None for an unknown code."""
        dep = self.codes.get(code)
        if dep is None:
            return None
        return read_data_yaml(self.item_file(code, dep), f"items/{dep}/{code}.yaml")


def _usable(doc: Document, problems: list[Problem]) -> dict[str, Any] | None:
    """The mapping a file holds, or None (its reading problems go to ``problems``)."""
    if doc.problems:
        problems.extend(Problem(p.file, p.line, p.col, p.path, p.message + " (the import reads this file: fix it "
                                "first; nothing was imported)") for p in doc.problems)
        return None
    return doc.data if isinstance(doc.data, dict) else None


def read_folder(root: Path, department: str) -> _Folder:
    if not ID_RE.match(department):
        raise UsageError(f"'{department}' is not a department id (lowercase ASCII letters, digits, '-')")
    items_dir = root / "items"
    dep_file = items_dir / department / "_department.yaml"
    if not os.path.lexists(dep_file):
        known = sorted(p.parent.name for p in items_dir.glob("*/_department.yaml"))
        raise UsageError(f"{dep_file} not found: create the department first (items/{department}/_department.yaml"
                         f" with id, name, region, region_name, level)"
                         + (f"; known departments: {', '.join(known)}" if known else ""))
    problems: list[Problem] = []
    dep_doc = read_data_yaml(dep_file, f"items/{department}/_department.yaml")
    if dep_doc.problems:
        raise InvalidData([Problem(p.file, p.line, p.col, p.path, p.message + " (fix the department file before "
                                   "importing; nothing was imported)") for p in dep_doc.problems])
    dep = dep_doc.data
    if not isinstance(dep, dict) or not dep.get("region"):
        raise UsageError(f"{dep_file}: no region; fix the department file first (powerlist validate)")
    dep_ids: set[str] = set()
    dep_names: dict[str, str] = {}
    codes: dict[str, str] = {}
    for d in sorted(items_dir.iterdir()) if items_dir.is_dir() else []:
        if not d.is_dir():
            continue
        if (d / "_department.yaml").is_file():
            dep_ids.add(d.name)
            dd = dep if d.name == department else _usable(
                read_data_yaml(d / "_department.yaml", f"items/{d.name}/_department.yaml"), problems)
            if isinstance(dd, dict) and dd.get("name"):
                dep_names[str(dd["name"])] = d.name
        for f in d.glob("*.yaml"):
            if not f.name.startswith("_"):
                codes.setdefault(f.stem, d.name)
    law_info: dict[str, tuple[str, str, set[int]]] = {}
    for f in sorted((root / "laws").glob("*.yaml")):
        ld = _usable(read_data_yaml(f, f"laws/{f.name}"), problems)
        if isinstance(ld, dict) and ld.get("title"):
            arts = ld.get("articles") or {}
            nums = {k for k in arts if isinstance(k, int)} if isinstance(arts, dict) else set()
            law_info[f.stem] = (str(ld["title"]), str(ld.get("status", "")), nums)
    folder = _Folder(root, department, str(dep["region"]), dep_ids, dep_names,
                     LawIndex((i, t) for i, (t, _, _) in law_info.items()), law_info, codes, {})
    for code, code_dep in codes.items():
        if code_dep == department:
            doc = folder.read_item(code)
            data = _usable(doc, problems) if doc is not None else None
            if data and data.get("name"):
                key = (str(data["name"]), str(data.get("category", "")), str(data.get("parent") or ""))
                folder.by_name.setdefault(key, code)
    if problems:
        raise InvalidData(problems)
    return folder


# ---- rows → entries ----

class _Row:
    """Field access to one table row (first non-empty column wins; basis columns are joined)."""

    def __init__(self, table: Table, header: Header, i: int):
        self.table, self.header, self.i = table, header, i
        self.values = table.rows[i]
        self.number = table.numbers[i]

    def raw(self, name: str) -> str:
        for c in self.header.columns(name):
            if c < len(self.values) and self.values[c].strip():
                return self.values[c]
        return ""

    def all(self, name: str) -> list[str]:
        return [self.values[c] for c in self.header.columns(name) if c < len(self.values) and self.values[c].strip()]

    def span(self, name: str) -> tuple[int, int] | None:
        for c in self.header.columns(name):
            s = self.table.merge_span(self.i, c)
            if s:
                return s
        return None


class _Builder:
    def __init__(self, opts: ImportOptions, folder: _Folder):
        self.opts, self.folder, self.settings = opts, folder, opts.settings
        self.unmatched: dict[str, list[int]] = {}

    def fields(self, row: _Row, name: str, e: Entry) -> None:
        """Fill e.data from the row (name given: main item name or sub-item name)."""
        d = e.data
        d["name"] = nz.one_line(name)
        raw_cat = row.raw("category")
        cat = nz.category(raw_cat, self.settings) if raw_cat.strip() else None
        if cat:
            d["category"] = cat
        elif raw_cat.strip():
            e.messages.append(f"权力类别 '{nz.shown(raw_cat)}' is not one of "
                              f"{'、'.join(self.settings.category_names)}")
        d["department"] = self.opts.department
        raw_status = row.raw("status")
        st = nz.status(raw_status)
        if st is None:
            e.messages.append(f"状态 '{nz.shown(raw_status)}' is not one of 保留、取消、下放、冻结、合并、转出")
        else:
            d["status"] = st
        self.basis(row, e)
        for key, allowed, label in (("source", SOURCES, "权力来源"), ("handling", HANDLING, "办件类型")):
            raw = row.raw(key)
            if raw.strip():
                v = nz.choice(raw, allowed)
                if v:
                    d[key] = v
                else:
                    e.notes.append(f"{label} '{nz.shown(raw)}' left out: not one of {'、'.join(allowed)}")
        for key in ("office", "remarks"):
            v = nz.one_line(row.raw(key)) if key == "office" else nz.multi_line(row.raw(key))
            if v:
                d[key] = v
        summary = nz.multi_line(row.raw("summary"))
        if summary:
            d["summary"] = summary
        tl = {k: nz.one_line(row.raw(f"time_limit.{k}")) for k in ("statutory", "promised")}
        if any(tl.values()):
            d["time_limit"] = {k: v for k, v in tl.items() if v}
        self.fee(row, e)
        contact = {k: nz.one_line(row.raw(f"contact.{k}")) for k in ("consult", "supervise")}
        if any(contact.values()):
            d["contact"] = {k: v for k, v in contact.items() if v}
        self.decision(row, e)

    def basis(self, row: _Row, e: Entry) -> None:
        cits: list[dict[str, Any]] = []
        seen: set[tuple[Any, ...]] = set()
        for text in row.all("basis"):
            parsed = parse_basis(nz.unquote(text), self.folder.laws, max_parts=MAX_BASIS_PARTS)
            for t in parsed.unmatched:
                e.messages.append(f"实施依据: law 《{nz.shown(t)}》 is not in laws/")
                rows = self.unmatched.setdefault(t, [])
                if row.number not in rows:
                    rows.append(row.number)
            e.messages.extend(f"实施依据: {err}" for err in parsed.errors)
            for c in parsed.citations:
                cd = c.to_dict()
                title, status, arts = self.folder.law_info[c.law]
                if status == "已废止":
                    e.messages.append(f"实施依据: 《{title}》 is repealed (已废止); cite the law in force")
                elif arts and c.article not in arts:
                    e.messages.append(f"实施依据: 《{title}》 has no article {c.article} in laws/{c.law}.yaml")
                key = tuple(cd.items())
                if key not in seen:
                    seen.add(key)
                    cits.append(cd)
        e.data["basis"] = cits

    def fee(self, row: _Row, e: Entry) -> None:
        raw = row.raw("fee.charged")
        if not raw.strip():
            return
        charged = nz.yes_no(raw)
        if charged is None:
            e.notes.append(f"是否收费 '{nz.shown(raw)}' left out: write 是 or 否")
            return
        if not charged:
            e.data["fee"] = {"charged": False}
            return
        items = []
        for ln in nz.multi_line(row.raw("fee.items")).split("\n"):
            if not ln.strip():
                continue
            m = re.match(r"^(.*?)[:：](.*)$", ln)
            name, standard = (m.group(1).strip(), m.group(2).strip()) if m else (ln.strip(), "")
            fi = {"name": name}
            if standard:
                fi["standard"] = standard
            items.append(fi)
        if items:
            e.data["fee"] = {"charged": True, "items": items}
        else:
            e.notes.append("是否收费 is 是 but no 收费项目 are given: fee left out, add fee.items by hand")

    def decision(self, row: _Row, e: Entry) -> None:
        doc = nz.one_line(row.raw("decision.document"))
        raw_date = row.raw("decision.date")
        to_raw = nz.one_line(row.raw("decision.to"))
        status = e.data.get("status", "保留")
        if not (doc or raw_date.strip() or to_raw):
            if status != "保留":
                e.messages.append(f"状态 is {status}: 调整文件 and 调整日期 are required")
            return
        dec: dict[str, Any] = {}
        if doc:
            dec["document"] = doc
        else:
            e.messages.append("调整文件 is empty")
        date = nz.date(raw_date)
        if date:
            dec["date"] = date
        else:
            e.messages.append(f"调整日期 '{nz.shown(raw_date)}' is not a date (YYYY-MM-DD)"
                              if raw_date.strip() else "调整日期 is empty")
        if to_raw:
            to = nz.ascii_code(to_raw)
            to = self.folder.dep_names.get(to_raw, to)
            dec["to"] = to
        e.data["decision"] = dec


def _blank(values: list[str]) -> bool:
    return not any(v.strip() for v in values)


def _cell_messages(table: Table, header: Header, i: int) -> list[str]:
    """Why cells of mapped columns in table row ``i`` cannot be used (too long, an Excel error value)."""
    out = []
    for c, f in sorted(header.fields.items()):
        why = table.problems.get((i, c))
        if why:
            out.append(f"{nz.shown(header.labels[c])} (column {column_letter(c + 1)}): {why}")
    return out


def build_entries(table: Table, header: Header, opts: ImportOptions, folder: _Folder,
                  not_items: dict[str, list[int]] | None = None) -> tuple[list[Entry], dict[str, list[int]]]:
    """The entries of the table's rows below the header. Rows that are not items (repeated header rows, notes
    merged across the sheet) go to ``not_items`` by reason, so the report can name them."""
    b = _Builder(opts, folder)
    entries: list[Entry] = []
    has_sub = bool(header.columns("sub_name"))
    has_sub_code = bool(header.columns("sub_code"))
    header_values = [table.rows[i] for i in header.rows]
    main_by_name: dict[str, Entry] = {}
    group_key: tuple[str, str] | None = None
    group_main: Entry | None = None
    group_basis: set[tuple[Any, ...]] = set()
    skipped = not_items if not_items is not None else {}
    for i in range(header.rows[-1] + 1, len(table.rows)):
        values = table.rows[i]
        if _blank(values):
            continue
        if i in table.banner:
            skipped.setdefault("a note merged across the sheet", []).append(table.numbers[i])
            continue
        if values in header_values:
            skipped.setdefault("the header repeated", []).append(table.numbers[i])
            continue
        row = _Row(table, header, i)
        cell_msgs = _cell_messages(table, header, i) if table.problems else []
        dep = nz.ascii_code(row.raw("department"))
        name = row.raw("name")
        sub_name = row.raw("sub_name") if has_sub else ""
        if dep and dep != opts.department:
            e = Entry(row.number, {"name": nz.one_line(name)}, status="skipped")
            e.messages.append(f"部门代码 is '{nz.shown(dep)}': import it with --department {nz.shown(dep)}")
            entries.append(e)
            group_key = None
            continue
        if not name.strip():
            e = Entry(row.number, {}, status="attention")
            e.messages.append("事项名称 is empty")
            e.messages.extend(cell_msgs)
            entries.append(e)
            continue
        code_raw = nz.ascii_code(row.raw("code"))
        if sub_name.strip():
            code_span = row.span("code")
            main_code = nz.ascii_code(row.raw("parent")) or (
                code_raw if has_sub_code or (code_span and code_span[1] > code_span[0]) else "")
            sub_code = nz.ascii_code(row.raw("sub_code")) or ("" if code_raw == main_code else code_raw)
            key = (nz.one_line(name), main_code)
            if key != group_key or group_main is None:
                group_key = key
                group_main = main_by_name.get(key[0])
                if group_main is None or (main_code and group_main.given_code not in ("", main_code)):
                    group_main = Entry(row.number, {}, given_code=main_code)
                    b.fields(row, name, group_main)
                    group_main.data["basis"] = []
                    group_main.notes.append("main item made from the rows of its sub-items")
                    group_main.messages.extend(cell_msgs)
                    entries.append(group_main)
                    main_by_name[key[0]] = group_main
                group_basis = {tuple(c.items()) for c in group_main.data.get("basis", [])}
            e = Entry(row.number, {}, given_code=sub_code, parent_entry=group_main)
            b.fields(row, sub_name, e)
            e.messages.extend(cell_msgs)
            if "main item made" in " ".join(group_main.notes):
                for c in e.data.get("basis", []):
                    ck = tuple(c.items())
                    if ck not in group_basis:
                        group_basis.add(ck)
                        group_main.data["basis"].append(c)
            entries.append(e)
            continue
        group_key = None
        e = Entry(row.number, {}, given_code=code_raw, parent_code=nz.ascii_code(row.raw("parent")))
        b.fields(row, name, e)
        e.messages.extend(cell_msgs)
        entries.append(e)
        main_by_name.setdefault(e.data["name"], e)
    return entries, b.unmatched


def _unlabelled_data(table: Table, header: Header) -> str | None:
    """A note when columns without a header hold data below it (those cells are not imported)."""
    width = max((len(r) for r in table.rows), default=0)
    hdr = set(header.labels)
    cols: dict[int, int] = {}
    for i in range(header.rows[-1] + 1, len(table.rows)):
        if i in table.banner:
            continue
        row = table.rows[i]
        for c in range(width):
            if c not in hdr and c not in cols and row[c].strip():
                cols[c] = table.numbers[i]
        if len(cols) + len(hdr) >= width:
            break
    if not cols:
        return None
    return ("columns without a header hold data that is not imported: " + ", ".join(
        f"{column_letter(c + 1)} (first in row {r})" for c, r in sorted(cols.items())) + " (give them a header)")


# ---- checks, codes, files ----

def _check(e: Entry, folder: _Folder, known_codes: set[str]) -> None:
    d = e.data
    if e.parent_entry is not None:
        p = e.parent_entry
        if p.status == "attention" or p.messages:
            e.messages.append(f"its main item (row {p.row}) needs attention")
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
    if to and d.get("status") == "下放" and to not in folder.dep_ids:
        e.messages.append(f"调整去向 '{nz.shown(to)}' is not a department id (a folder in items/)")
    if to and d.get("status") == "合并" and to not in known_codes:
        e.messages.append(f"调整去向 '{nz.shown(to)}' is not an item code")
    if d.get("status") in ("下放", "合并") and dec and not to:
        e.messages.append(f"状态 is {d['status']}: 调整去向 must name where it went")


def run_import(path: str | Path, opts: ImportOptions) -> ImportResult:
    """Read the sheet, build and check the items, and write them (unless ``opts.dry_run``)."""
    root = Path(opts.root)
    folder = read_folder(root, opts.department)
    table = read_table(path, opts.sheet, opts.encoding)
    header = detect_header(table, opts.mapping, opts.header_row)
    not_items: dict[str, list[int]] = {}
    entries, unmatched = build_entries(table, header, opts, folder, not_items)
    notes = []
    if table.other_sheets:
        notes.append("the workbook's other sheets are not imported: " + "、".join(table.other_sheets[:20])
                     + (" …" if len(table.other_sheets) > 20 else "") + " (import each with --sheet NAME)")
    unlabelled = _unlabelled_data(table, header)
    if unlabelled:
        notes.append(unlabelled)
    pending = [e for e in entries if e.status == "pending"]
    alloc = CodeAllocator(opts.settings, folder.region, folder.codes, opts.department)
    # codes: valid given codes first (so assigned ones never take them), then the rest in row order
    for e in pending:
        if e.parent_entry is None and e.parent_code:
            e.data["parent"] = e.parent_code
    for e in pending:
        alloc.claim(e)
    for e in pending:
        if "code" not in e.data:
            alloc.assign(e, folder.by_name)
    known = set(folder.codes) | {e.data["code"] for e in pending if "code" in e.data}
    by_code: dict[str, Entry] = {}
    for e in pending:
        if "code" in e.data:
            by_code.setdefault(e.data["code"], e)
    for e in pending:
        if e.parent_entry is not None and "code" in e.parent_entry.data:
            e.data["parent"] = e.parent_entry.data["code"]
        _check(e, folder, known)
        parent = e.data.get("parent")
        if parent and e.parent_entry is None:
            _check_parent(e, parent, by_code, folder)
    for e in pending:
        if e.parent_entry is not None and e.parent_entry.messages and not e.messages:
            e.messages.append(f"its main item (row {e.parent_entry.row}) needs attention")
    _validate_and_write(pending, opts, folder)
    columns = [(header.labels[c], f) for c, f in sorted(header.fields.items())]
    ignored = [lbl for c, lbl in sorted(header.labels.items()) if c not in header.fields]
    return ImportResult(table.source + (f" [{table.sheet}]" if table.sheet else ""), opts.department,
                        [table.numbers[i] for i in header.rows], columns, ignored, entries, unmatched,
                        opts.dry_run, not_items, notes)


def _check_parent(e: Entry, parent: str, by_code: dict[str, Entry], folder: _Folder) -> None:
    p_entry = by_code.get(parent)
    if p_entry is not None:
        e.parent_entry = p_entry
        if p_entry.messages:
            e.messages.append(f"its main item (row {p_entry.row}) needs attention")
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


def _validate_and_write(pending: list[Entry], opts: ImportOptions, folder: _Folder) -> None:
    for e in pending:
        if e.messages:
            e.status = "attention"
            continue
        code = e.data["code"]
        text = dump_item(e.data)
        rel = f"items/{opts.department}/{code}.yaml"
        # the loader's own per-file checks, on what we are about to write (dump_item loads back equal)
        doc = Document(rel, e.data)
        check_item(doc, opts.settings, opts.department, code)
        if doc.problems:
            e.messages.extend(p.format().split(": ", 1)[-1] for p in doc.problems)
            e.status = "attention"
            continue
        e.file = rel
        target = folder.item_file(code)
        exists = folder.codes.get(code) == opts.department or target.exists()
        if exists and not opts.force:
            e.status = "skipped"
            e.messages.append(f"{rel} exists (use --force to overwrite)")
            continue
        e.status = "overwritten" if exists else "created"
        if not opts.dry_run:
            _write(target, text, rel, pending)


def _write(target: Path, text: str, rel: str, pending: list[Entry]) -> None:
    """Write one item file whole or not at all (a temporary file renamed over the target): a full disk or a
    read-only folder leaves no half-written item."""
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        done = [x.file for x in pending if x.status in ("created", "overwritten") and x.file != rel]
        written = (f"; {len(done)} item file(s) were written before it, e.g. {done[0]}" if done
                   else "; no item file was written")
        raise UsageError(f"cannot write {rel}: {exc.strerror or exc}{written}") from None

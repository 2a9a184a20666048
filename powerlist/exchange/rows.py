"""Rows of a sheet → :class:`~.entry.Entry` objects: the item's fields read from the row's cells.

Columns are recognised by name (:mod:`.columns`); values are cleaned (:mod:`.normalize`) or mapped through the
``values:`` section of the mapping file; the 实施依据 cells are read by :func:`.basis_text.parse_basis` (the laws
are matched later, once every row is read); 责任事项, 追责情形 and phone cells by :mod:`.duty_text`. Main items
spanning several rows get their sub-items (子项); merged cells were filled from their top-left cell when the
sheet was read, and an empty 实施主体 takes the one of the row above.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..model.records import HANDLING, SOURCES
from ..model.settings import Settings
from . import normalize as nz
from .basis_text import parse_basis
from .duty_text import parse_phones, parse_stages, read_situations
from .entry import Entry
from .limits import MAX_BASIS_PARTS
from .table import Header, Table
from .workbook import column_letter

__all__ = ["RowContext", "build_entries", "LEVEL_CODES"]

#: 行使层级 codes of the common export form (domain.md): 1 国家级 … 6 分级管理
LEVEL_CODES = {"1": "国家级", "2": "省级", "3": "市级", "4": "县级", "5": "乡镇级", "6": "分级管理"}
#: fields read from the ``结构化字段（JSON）`` column of our own exports (exact round trip)
STRUCTURED_KEYS = ("flow", "risks", "responsibilities", "accountability", "fee")


@dataclass
class RowContext:
    """What reading rows needs from the import: settings, mapped values, and how a department is found."""

    settings: Settings
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: (raw 部门代码, raw 实施主体, entry) → department id or None (a message on the entry says why)
    department: Callable[[str, str, Entry], str | None] = lambda code, name, e: None
    #: department name → id, for 调整去向 written as a name
    dep_names: dict[str, str] = field(default_factory=dict)


class _Row:
    """Field access to one table row (first non-empty column wins)."""

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


#: distinct cell texts whose parse is remembered during one import (lists repeat the same 责任事项, 追责情形 and
#: 实施依据 text over many items); a bound, so that memory stays small whatever the sheet
MAX_CACHED_CELLS = 20_000


class _Reader:
    def __init__(self, ctx: RowContext):
        self.ctx, self.settings = ctx, ctx.settings
        self.cache: dict[tuple[str, str], Any] = {}

    def parsed(self, kind: str, text: str) -> Any:
        """parse_basis / parse_stages / read_situations of a cell, each distinct text parsed once."""
        key = (kind, text)
        got = self.cache.get(key)
        if got is None:
            fn = {"basis": parse_basis, "stages": parse_stages, "situations": read_situations}[kind]
            got = fn(text)
            if len(self.cache) < MAX_CACHED_CELLS:
                self.cache[key] = got
        return got

    def mapped(self, fname: str, raw: str) -> str | None:
        table = self.ctx.values.get(fname)
        return table.get(raw.strip()) if table else None

    def fields(self, row: _Row, name: str, e: Entry) -> None:
        """Fill e.data from the row (name given: main item name or sub-item name)."""
        d = e.data
        d["name"] = nz.one_line(name)
        raw_cat = row.raw("category")
        cat = self.mapped("category", raw_cat) or (nz.category(raw_cat, self.settings) if raw_cat.strip() else None)
        if cat and cat in self.settings.category_names:
            d["category"] = cat
        elif raw_cat.strip() or cat:
            hint = " (map it in the values: section of a --mapping file)" if re.fullmatch(
                r"\s*\d+\s*", raw_cat) else ""
            e.messages.append(f"权力类别 '{nz.shown(raw_cat)}' is not one of "
                              f"{'、'.join(self.settings.category_names)}{hint}")
        if e.department:
            d["department"] = e.department
        raw_status = row.raw("status")
        st = self.mapped("status", raw_status) or nz.status(raw_status)
        if st is None:
            e.messages.append(f"状态 '{nz.shown(raw_status)}' is not one of 保留、取消、下放、冻结、合并、转出")
        else:
            d["status"] = st
        self.basis(row, e)
        for key, allowed, label in (("source", SOURCES, "权力来源"), ("handling", HANDLING, "办件类型")):
            raw = row.raw(key)
            if raw.strip():
                v = self.mapped(key, raw) or nz.choice(raw, allowed)
                if v and v in allowed:
                    d[key] = v
                else:
                    e.notes.append(f"{label} '{nz.shown(raw)}' left out: not one of {'、'.join(allowed)}")
        for key in ("office", "remarks"):
            v = nz.one_line(row.raw(key)) if key == "office" else _multi(row.raw(key))
            if v:
                d[key] = v
        summary = _multi(row.raw("summary"))
        if summary:
            d["summary"] = summary
        tl = {k: nz.one_line(row.raw(f"time_limit.{k}")) for k in ("statutory", "promised")}
        if any(tl.values()):
            d["time_limit"] = {k: v for k, v in tl.items() if v}
        self.fee(row, e)
        self.duties(row, e)
        contact = {k: self.phones(row.raw(f"contact.{k}")) for k in ("consult", "supervise")}
        if any(contact.values()):
            d["contact"] = {k: v for k, v in contact.items() if v}
        self.levels(row, e)
        source_code = nz.one_line(row.raw("source_code"))
        if source_code:
            d["source_code"] = source_code
        self.decision(row, e)
        self.structured(row, e)

    @staticmethod
    def phones(raw: str) -> str:
        if not raw.strip():
            return ""
        return "、".join(parse_phones(raw)) or nz.one_line(raw)

    def basis(self, row: _Row, e: Entry) -> None:
        for text in row.all("basis"):
            parsed = self.parsed("basis", nz.unquote(text))
            if len(parsed.citations) > MAX_BASIS_PARTS:
                e.messages.append(f"实施依据: {len(parsed.citations):,} citations in one cell; at most "
                                  f"{MAX_BASIS_PARTS} are read (is this the right column?)")
                continue
            e.cites.extend(parsed.citations)
            e.notes.extend(f"实施依据: {p}" for p in parsed.problems)
            if not parsed.citations and text.strip():
                e.messages.append(f"实施依据: no law title could be read in '{nz.shown(text)}'")

    def duties(self, row: _Row, e: Entry) -> None:
        resp: list[dict[str, str]] = []
        for text in row.all("responsibilities"):
            for s in self.parsed("stages", text):
                stage = nz.one_line(s.stage or s.group or "") or "责任事项"
                duty = nz.multi_line(s.duty)
                if duty:
                    resp.append({"stage": stage, "duty": duty})
        if resp:
            e.data["responsibilities"] = resp
        acc: list[dict[str, str]] = []
        for text in row.all("accountability"):
            got = self.parsed("situations", text)
            acc.extend({"situation": nz.multi_line(x)} for x in got.situations if nz.multi_line(x))
            e.notes.extend(f"追责情形: {p}" for p in got.problems)
        if acc:
            e.data["accountability"] = acc

    def levels(self, row: _Row, e: Entry) -> None:
        out: list[str] = []
        for text in row.all("levels"):
            whole = self.mapped("levels", text)
            parts = [whole] if whole else [p for p in re.split(r"[,，、;；/\s]+", nz.ascii_code(text)) if p]
            for p in parts:
                v = self.mapped("levels", p) or LEVEL_CODES.get(p) or p
                if v not in out:
                    out.append(v)
        if out:
            e.data["levels"] = out

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
            dec["to"] = self.ctx.dep_names.get(to_raw, nz.ascii_code(to_raw))
        e.data["decision"] = dec

    def structured(self, row: _Row, e: Entry) -> None:
        """The structured fields our own exports carry as JSON (flow, risks, duties with their citations)."""
        raw = row.raw("structured")
        if not raw.strip():
            return
        try:
            data = json.loads(nz.unquote(raw))
        except ValueError as exc:
            e.messages.append(f"结构化字段（JSON） cannot be read: {exc}")
            return
        if not isinstance(data, dict) or not set(data) <= set(STRUCTURED_KEYS):
            e.messages.append(f"结构化字段（JSON） must be an object with keys among {', '.join(STRUCTURED_KEYS)}")
            return
        e.data.update(data)


def _multi(raw: str) -> str:
    """A multi-line text cleaned; one final line break is kept when the text has it (a YAML ``|`` block written
    by an editor, read back from our own export), but not a trailing run of blank lines."""
    v = nz.multi_line(raw)
    if v and raw.endswith("\n") and not raw.endswith("\n\n") and raw[:-1] == raw[:-1].rstrip():
        v += "\n"
    return v


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


def build_entries(table: Table, header: Header, ctx: RowContext,
                  not_items: dict[str, list[int]] | None = None) -> list[Entry]:
    """The entries of the table's rows below the header. Rows that are not items (repeated header rows, notes
    merged across the sheet) go to ``not_items`` by reason, so the report can name them."""
    b = _Reader(ctx)
    entries: list[Entry] = []
    sheet = table.sheet or ""
    has_sub = bool(header.columns("sub_name"))
    has_sub_code = bool(header.columns("sub_code"))
    header_values = [table.rows[i] for i in header.rows]
    main_by_name: dict[tuple[str, str], Entry] = {}
    group_key: tuple[str, str, str] | None = None
    group_main: Entry | None = None
    skipped = not_items if not_items is not None else {}
    last_dep_name = ""
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
        name = row.raw("name")
        sub_name = row.raw("sub_name") if has_sub else ""
        e = Entry(row.number, {}, sheet=sheet)
        dep_name = row.raw("department_name")
        if not dep_name.strip() and last_dep_name and header.columns("department_name"):
            dep_name = last_dep_name
            e.notes.append(f"实施主体 is empty: '{nz.shown(last_dep_name)}' of the row above was used")
        last_dep_name = dep_name or last_dep_name
        dep = ctx.department(row.raw("department"), dep_name, e)
        if dep is None:
            e.data["name"] = nz.one_line(name or sub_name)
            if e.status == "pending":
                e.status = "attention"
            entries.append(e)
            group_key = None
            continue
        e.department = dep
        if not name.strip():
            e.status = "attention"
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
            key = (dep, nz.one_line(name), main_code)
            if key != group_key or group_main is None:
                group_key = key
                group_main = main_by_name.get((dep, key[1]))
                if group_main is None or (main_code and group_main.given_code not in ("", main_code)):
                    group_main = Entry(row.number, {}, given_code=main_code, sheet=sheet, department=dep)
                    b.fields(row, name, group_main)
                    group_main.cites = []               # its basis: that of its sub-items, below
                    group_main.notes.append("main item made from the rows of its sub-items")
                    group_main.messages.extend(cell_msgs)
                    entries.append(group_main)
                    main_by_name[(dep, key[1])] = group_main
            e.given_code, e.parent_entry = sub_code, group_main
            b.fields(row, sub_name, e)
            e.messages.extend(cell_msgs)
            if "main item made" in " ".join(group_main.notes):
                group_main.cites.extend(e.cites)
            entries.append(e)
            continue
        group_key = None
        e.given_code, e.parent_code = code_raw, nz.ascii_code(row.raw("parent"))
        b.fields(row, name, e)
        e.messages.extend(cell_msgs)
        entries.append(e)
        main_by_name.setdefault((dep, e.data["name"]), e)
    return entries

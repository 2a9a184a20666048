"""Catalog → open data: JSON, NDJSON, CSV (UTF-8 with BOM) and XLSX, plus the static JSON API.

Every JSON record of an item is ``{"item": <file form>, "derived": {...}}``: ``item`` is exactly
``Item.to_dict()`` (so it validates against the published item schema), ``derived`` holds read-only values
computed for convenience (department name, citation texts, sub-items). Output is deterministic: catalog
order, stable keys, no timestamps except the source commit date inside XLSX properties.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from typing import Any, Iterator, Sequence

from ..model.catalog import Catalog
from ..model.citation import format_citation
from ..model.errors import PowerlistError, UsageError
from ..model.records import Item
from .columns import EXPORT_HEADERS, EXPORT_WIDTHS, citation_text, row_maker
from .xlsx import Part, column_letters, rows_xml, workbook_bytes, worksheet_xml

FORMAT_NAME = "powerlist"
FORMAT_VERSION = 1
FORMATS = ("json", "ndjson", "csv", "xlsx")

_INJECTION_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula (= + - @, tab, CR first)."""
    if value and value.startswith(_INJECTION_START):
        return "'" + value
    return value


# ---- JSON ----

def derived(item: Item, catalog: Catalog) -> dict[str, Any]:
    """Read-only values computed from the catalog (not part of the file form)."""
    dep = catalog.departments.get(item.department)
    d: dict[str, Any] = {
        "department_name": dep.name if dep else item.department,
        "region": dep.region if dep else None,
        "region_name": dep.region_name if dep else None,
        "basis_text": citation_text(item, catalog),
    }
    if item.parent:
        parent = catalog.items.get(item.parent)
        d["parent_name"] = parent.name if parent else None
    children = catalog.children.get(item.code)
    if children:
        d["children"] = [c.code for c in children]
    return d


def item_record(item: Item, catalog: Catalog) -> dict[str, Any]:
    return {"item": item.to_dict(), "derived": derived(item, catalog)}


def _dumps(obj: Any, indent: int | None = None) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=indent,
                      separators=(",", ":") if indent is None else (",", ": "))


def _meta(catalog: Catalog, commit: str | None, count: int, department: str | None) -> dict[str, Any]:
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION, "source_commit": commit,
            "department": department, "count": count}


def items_json(items: Sequence[Item], catalog: Catalog, commit: str | None = None,
               department: str | None = None, records: Sequence[str] | None = None) -> bytes:
    """``{"format", "version", "source_commit", "department", "count", "items": [record, …]}``, one item a line."""
    head = _dumps(_meta(catalog, commit, len(items), department))[:-1]
    lines = ",\n".join(records if records is not None else (_dumps(item_record(it, catalog)) for it in items))
    body = f'{head},"items":[\n{lines}\n]}}\n' if items else f'{head},"items":[]}}\n'
    return body.encode("utf-8")


def items_ndjson(items: Sequence[Item], catalog: Catalog) -> bytes:
    """One item record per line."""
    return "".join(_dumps(item_record(it, catalog)) + "\n" for it in items).encode("utf-8")


def departments_json(catalog: Catalog, commit: str | None = None) -> bytes:
    deps = []
    for dep_id, dep in catalog.departments.items():
        deps.append({"department": dep.to_dict(), "derived": {
            "item_count": len(catalog.by_department.get(dep_id, [])),
            "items": [it.code for it in catalog.by_department.get(dep_id, [])],
            "csv": f"data/departments/{dep_id}.csv",
            "xlsx": f"data/departments/{dep_id}.xlsx",
        }})
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "source_commit": commit, "count": len(deps),
           "departments": deps}
    return (_dumps(doc, indent=2) + "\n").encode("utf-8")


def laws_json(catalog: Catalog, commit: str | None = None) -> bytes:
    laws = []
    for law_id, law in catalog.laws.items():
        cited = catalog.citing.get(law_id, {})
        laws.append({"law": law.to_dict(), "derived": {
            "cited_by": [it.code for it in catalog.items_citing(law_id)],
            "cited_articles": sorted(cited),
        }})
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "source_commit": commit, "count": len(laws),
           "laws": laws}
    return (_dumps(doc, indent=2) + "\n").encode("utf-8")


# ---- CSV ----

def _cell(v: str | int) -> str | int:
    return neutralise(v) if isinstance(v, str) else v


def items_csv(items: Sequence[Item], catalog: Catalog, rows: dict[str, list[str]] | None = None) -> bytes:
    """UTF-8 with BOM (so Excel reads Chinese), CRLF rows, formula-like cells neutralised. ``rows``: see
    :func:`row_maker`."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_HEADERS)
    make = row_maker(catalog, rows)
    for n, it in enumerate(items, 1):
        w.writerow([_cell(v) for v in make(n, it)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# ---- XLSX ----

#: Excel's most characters in a cell (UTF-16 code units, as Excel counts). Longer text is cut to fit, with
#: :data:`CUT_MARK` at the end; the JSON and CSV exports keep the whole text.
XLSX_CELL_MAX = 32767
#: Ends a cell cut to :data:`XLSX_CELL_MAX` (says where the whole text is).
CUT_MARK = f"……【超出 Excel 单元格 {XLSX_CELL_MAX} 字的上限，以下从略；全文见 JSON 或 CSV 导出】"
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
#: What a sheet title cannot hold: the characters XML 1.0 cannot (see xlsx.xstring), and the other C0 and C1
#: controls (which no sheet tab can show).
_SHEET_DROP = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: Excel's longest sheet title (UTF-16 code units).
SHEET_TITLE_MAX = 31
#: Titles Excel refuses for a worksheet (compared case-insensitively).
_SHEET_RESERVED = frozenset({"history"})


def _utf16_len(text: str) -> int:
    """Length as Excel counts it: a character outside the BMP takes two UTF-16 code units."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def _utf16_cut(text: str, units: int) -> str:
    """The longest start of ``text`` that fits ``units`` UTF-16 code units (never half a surrogate pair)."""
    if _utf16_len(text) <= units:
        return text
    used = 0
    for k, c in enumerate(text):
        used += 2 if c > "\uffff" else 1
        if used > units:
            return text[:k]
    return text  # pragma: no cover - the length check above returned already


def xlsx_cell(value: str) -> str:
    """Text for a worksheet cell: cut to Excel's :data:`XLSX_CELL_MAX` with :data:`CUT_MARK` when longer (Excel
    would refuse or silently cut the cell). No formula guard: inline strings are never run as formulas, so a
    value starting with = + - @ is shown as written. Characters XML cannot hold are escaped by the writer
    (:func:`powerlist.exchange.xlsx.xstring`)."""
    if len(value) > XLSX_CELL_MAX // 2 and _utf16_len(value) > XLSX_CELL_MAX:
        return _utf16_cut(value, XLSX_CELL_MAX - len(CUT_MARK)) + CUT_MARK
    return value


def _xlsx_value(v: str | int) -> str | int:
    return xlsx_cell(v) if isinstance(v, str) else v


def sheet_title(name: str, used: set[str]) -> str:
    """A worksheet title every client accepts: at most 31 characters (UTF-16 code units), none of []:*?/\\ and
    no control or XML-invalid character, not starting or ending with an apostrophe (LibreOffice drops such a
    sheet), not Excel's reserved "History", never empty ("Sheet"), and unique case-insensitively among
    ``used`` (which it joins) by a suffix (2), (3) …"""
    base = _SHEET_BAD.sub("_", _SHEET_DROP.sub("", name)).strip("'") or "Sheet"

    def fit(text: str, units: int) -> str:
        return _utf16_cut(text, units).rstrip("'") or "Sheet"

    title = fit(base, SHEET_TITLE_MAX)
    n = 2
    while title.lower() in used or title.lower() in _SHEET_RESERVED:
        suffix = f"({n})"
        title = fit(base, SHEET_TITLE_MAX - len(suffix)) + suffix
        n += 1
    used.add(title.lower())
    return title


def _item_sheet(dep_id: str, catalog: Catalog, sheets: dict[str, Part] | None,
                rows_cache: dict[str, list[str]] | None = None) -> Part:
    """A department's worksheet, compressed. ``sheets`` carries it from the whole-list workbook to the
    department's own workbook (the same rows, numbered the same way), so each is made once: stored when absent,
    taken when present."""
    part = sheets.pop(dep_id, None) if sheets is not None else None
    if part is None:
        make = row_maker(catalog, rows_cache)
        rows = [[_xlsx_value(v) for v in make(n, it)] for n, it in enumerate(catalog.by_department.get(dep_id, []), 1)]
        body = rows_xml(rows, 2, _LETTERS)
        part = Part.of(worksheet_xml(EXPORT_HEADERS, [EXPORT_WIDTHS.get(h, 12) for h in EXPORT_HEADERS], body))
        if sheets is not None:
            sheets[dep_id] = part
    return part


_LETTERS = column_letters(len(EXPORT_HEADERS))


def _overview_sheet(catalog: Catalog, departments: Sequence[str]) -> Part:
    cats = catalog.settings.category_names
    headers = ["部门代码", "实施主体", "行政区划", "事项总数", *cats, "保留", "非保留"]
    rows: list[list[str | int]] = []
    for dep_id in departments:
        dep = catalog.departments.get(dep_id)
        items = catalog.by_department.get(dep_id, [])
        counts = {c: 0 for c in cats}
        for it in items:
            counts[it.category] = counts.get(it.category, 0) + 1
        active = sum(1 for it in items if it.active)
        rows.append([_xlsx_value(dep_id), _xlsx_value(dep.name if dep else dep_id),
                     _xlsx_value(dep.region_name if dep else ""), len(items), *(counts[c] for c in cats),
                     active, len(items) - active])
    total = len(catalog.items) if len(departments) == len(catalog.departments) else None
    if total is not None:
        rows.append(["合计", "", "", total, *(len(catalog.by_category.get(c, [])) for c in cats),
                     len(catalog.by_status.get("保留", [])), total - len(catalog.by_status.get("保留", []))])
    body = rows_xml(rows, 2, column_letters(len(headers)))
    return Part.of(worksheet_xml([xlsx_cell(h) for h in headers], [20, 28, 12, 10] + [10] * (len(cats) + 2),
                                 body))


def _doc_date(commit_date: str | None) -> str:
    if commit_date and re.match(r"^\d{4}-\d{2}-\d{2}", commit_date):
        return commit_date[:10]
    return "2000-01-01"


def items_xlsx(catalog: Catalog, department: str | None = None, commit_date: str | None = None,
               sheets: dict[str, Part] | None = None, rows: dict[str, list[str]] | None = None) -> bytes:
    """A real workbook: styled, frozen header; an overview sheet plus one sheet per department
    (for one department: that sheet only). Deterministic: the document date is the commit's day (or
    2000-01-01) and every zip entry is dated 2000-01-01. ``sheets``: see :func:`_item_sheet`."""
    deps = [department] if department else list(catalog.departments)
    used: set[str] = set()
    parts: list[tuple[str, Part]] = []
    if department is None:
        used.add("总览")
        parts.append(("总览", _overview_sheet(catalog, deps)))
    for dep_id in deps:
        dep = catalog.departments.get(dep_id)
        parts.append((sheet_title(dep.name if dep else dep_id, used), _item_sheet(dep_id, catalog, sheets, rows)))
    return workbook_bytes(parts, title="行政权力清单", creator="powerlist", date=_doc_date(commit_date))


# ---- everything, for the site and the CLI ----

def select_items(catalog: Catalog, department: str | None) -> list[Item]:
    if department is None:
        return list(catalog.items.values())
    if department not in catalog.departments:
        raise UsageError(f"unknown department '{department}'; known: {', '.join(catalog.departments)}")
    return list(catalog.by_department.get(department, []))


def export_bytes(catalog: Catalog, fmt: str, department: str | None = None, commit: str | None = None,
                 commit_date: str | None = None) -> bytes:
    """One export file in memory."""
    items = select_items(catalog, department)
    if fmt == "json":
        return items_json(items, catalog, commit, department)
    if fmt == "ndjson":
        return items_ndjson(items, catalog)
    if fmt == "csv":
        return items_csv(items, catalog)
    if fmt == "xlsx":
        return items_xlsx(catalog, department, commit_date)
    raise ValueError(f"unknown format {fmt!r}")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


#: A quoted CSV field (a doubled quote inside makes two adjacent matches); the exports quote every field
#: that holds a quote or a line break (csv.QUOTE_MINIMAL), so what is left holds only the record ends.
_CSV_QUOTED = re.compile(rb'"[^"]*"')


class ExportCounter:
    """Counts the items in export files as they pass, so that nothing silently dropped can be checked
    without holding every file at once."""

    def __init__(self) -> None:
        self.found = {"data/items.json": 0, "data/items.ndjson": 0, "data/items.csv": 0, "api/items/": 0,
                      "data/departments/*.csv": 0}

    @staticmethod
    def _csv_rows(data: bytes) -> int:
        """Data rows of a CSV export: its CRLF record ends outside quoted fields, less the header. Counted on
        the bytes, without a CSV parser (whose field size limit, 131,072 characters, a long 备注 exceeds) and
        without decoding it (exact for what csv.writer writes)."""
        return _CSV_QUOTED.sub(b"", data).count(b"\r\n") - 1

    def add(self, path: str, data: bytes) -> None:
        if path == "data/items.json":
            # one record a line (see items_json); the "count" of the header must agree
            records = data.count(b'\n{"item":')
            head = re.match(rb'\{[^\n]*"count":(\d+),"items":\[', data)
            self.found[path] = records if head and int(head.group(1)) == records else -1
        elif path == "data/items.ndjson":
            self.found[path] = data.count(b"\n")
        elif path == "data/items.csv":
            self.found[path] = self._csv_rows(data)
        elif path.startswith("api/items/"):
            self.found["api/items/"] += 1
        elif path.startswith("data/departments/") and path.endswith(".csv"):
            self.found["data/departments/*.csv"] += self._csv_rows(data)

    def check(self, catalog: Catalog) -> None:
        """Raise unless every export holds every item of the catalog."""
        n = len(catalog.items)
        bad = {k: v for k, v in self.found.items() if v != n}
        if bad:
            detail = ", ".join(f"{k}: {v}" for k, v in bad.items())
            raise PowerlistError(f"export is incomplete: the catalog has {n} items but {detail}")


def check_counts(catalog: Catalog, files: dict[str, bytes]) -> None:
    """Nothing silently dropped: every export holds every item of the catalog (raises otherwise)."""
    counter = ExportCounter()
    for path, data in files.items():
        counter.add(path, data)
    counter.check(catalog)


def export_paths(catalog: Catalog) -> list[str]:
    """Every export file's output path, in the order :func:`iter_exports` makes them (known before any is made:
    item pages link to their JSON while the exports are still being written)."""
    paths = ["data/items.json", "data/items.ndjson", "data/items.ndjson.sha256", "data/items.csv", "data/items.xlsx"]
    for dep_id in catalog.departments:
        paths += [f"data/departments/{dep_id}.csv", f"data/departments/{dep_id}.xlsx"]
    paths += ["api/departments.json", "api/laws.json"]
    paths += [f"api/items/{code}.json" for code in catalog.items]
    return paths


class _Exporter:
    """Makes the export file at a path of :func:`export_paths`; what several files share (each item's JSON
    record, the NDJSON's hash, each department's worksheet rows) is made once."""

    def __init__(self, catalog: Catalog, commit: str | None, commit_date: str | None) -> None:
        self.catalog, self.commit, self.commit_date = catalog, commit, commit_date
        self.items = list(catalog.items.values())
        self.records = {it.code: _dumps(item_record(it, catalog)) for it in self.items}
        self.ndjson_sha: str | None = None
        self.sheets: dict[str, Part] = {}    # each department's worksheet, from items.xlsx to its own workbook
        self.rows: dict[str, list[str]] = {}  # each item's table row (but 序号), for items.csv/xlsx and its department's CSV

    def make(self, path: str) -> bytes:
        cat = self.catalog
        if path == "data/items.json":
            return items_json(self.items, cat, self.commit, records=list(self.records.values()))
        if path == "data/items.ndjson":
            data = "".join(r + "\n" for r in self.records.values()).encode("utf-8")
            self.ndjson_sha = sha256(data)
            return data
        if path == "data/items.ndjson.sha256":
            if self.ndjson_sha is None:
                self.make("data/items.ndjson")
            return f"{self.ndjson_sha}  items.ndjson\n".encode()
        if path == "data/items.csv":
            return items_csv(self.items, cat, self.rows)
        if path == "data/items.xlsx":
            return items_xlsx(cat, None, self.commit_date, self.sheets, self.rows)
        if path.startswith("data/departments/"):
            dep_id, _, ext = path[len("data/departments/"):].rpartition(".")
            items = cat.by_department.get(dep_id, [])
            if ext == "csv":
                data = items_csv(items, cat, self.rows)
                for it in items:  # the department's rows are not needed again
                    self.rows.pop(it.code, None)
                return data
            return items_xlsx(cat, dep_id, self.commit_date, self.sheets, self.rows)
        if path == "api/departments.json":
            return departments_json(cat, self.commit)
        if path == "api/laws.json":
            return laws_json(cat, self.commit)
        if path.startswith("api/items/"):
            return (self.records[path[len("api/items/"):-len(".json")]] + "\n").encode("utf-8")
        raise ValueError(f"not an export path: {path}")


def iter_exports(catalog: Catalog, commit: str | None = None,
                 commit_date: str | None = None) -> Iterator[tuple[str, bytes]]:
    """Every export file of the site as (output path, bytes), in the order of :func:`export_paths`, one at a
    time: a caller that writes each file as it comes holds at most one of them (at 100,000 items they add up to
    ~1 GB)."""
    exporter = _Exporter(catalog, commit, commit_date)
    for path in export_paths(catalog):
        yield path, exporter.make(path)


def all_exports(catalog: Catalog, commit: str | None = None, commit_date: str | None = None) -> dict[str, bytes]:
    """Every export file of the site, by output path, in a stable order; counts are checked."""
    files = dict(iter_exports(catalog, commit, commit_date))
    check_counts(catalog, files)
    return files


__all__ = ["FORMATS", "all_exports", "export_paths", "iter_exports", "ExportCounter", "export_bytes", "items_csv", "items_json", "items_ndjson", "items_xlsx",
           "neutralise", "xlsx_cell", "sheet_title", "item_record", "format_citation", "sha256", "check_counts"]

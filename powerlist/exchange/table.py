"""Reading a department's sheet (XLSX or CSV) into a plain table, and finding its header.

Merged cells are filled with their top-left value (and remembered, so a main item spanning several rows can be
told apart from repeated values); the header is the row among the first ten that names the most known columns,
combined with the row below when the header has two rows (a merged 办理时限 over 法定 | 承诺).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..errors import UsageError
from .columns import ALIASES, field_for

HEADER_SCAN_ROWS = 10


@dataclass
class Table:
    source: str
    rows: list[list[str]]
    #: the sheet/file row number (1-based) of each row
    numbers: list[int]
    #: (row0, col0, row1, col1) of merged ranges, 0-based and inclusive, in table coordinates
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str | None = None

    def __post_init__(self) -> None:
        self.vmerge: dict[tuple[int, int], int] = {}   # (row, col) → index of a merge spanning rows
        self.banner: set[int] = set()                  # rows covered by one merge across the whole width
        width = max((len(r) for r in self.rows), default=0)
        for k, (r0, c0, r1, c1) in enumerate(self.merges):
            if r1 > r0:
                for r in range(r0, r1 + 1):
                    for c in range(c0, c1 + 1):
                        self.vmerge[(r, c)] = k
            if c0 == 0 and c1 >= width - 1 and width > 1:
                self.banner.update(range(r0, r1 + 1))

    def merge_span(self, row: int, col: int) -> tuple[int, int] | None:
        """(first row, last row) of the vertical merge holding a cell, if any."""
        k = self.vmerge.get((row, col))
        if k is None:
            return None
        r0, _, r1, _ = self.merges[k]
        return r0, r1


def cell_text(v: Any) -> str:
    """A cell value as text: whole floats without '.0', dates as YYYY-MM-DD, booleans as 是/否."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def read_xlsx(path: Path, sheet: str | None = None) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # read-only mode is twice as fast; it drops merged ranges, which are read from the sheet XML below
        wb = load_workbook(path, data_only=True, read_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the workbook ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise UsageError(f"{path}: not a valid .xlsx workbook ({type(exc).__name__}: {exc})") from None
    if sheet is None:
        ws = wb.worksheets[0]
    elif sheet in wb.sheetnames:
        ws = wb[sheet]
    else:
        raise UsageError(f"{path}: no sheet named '{sheet}'; the sheets are: {', '.join(wb.sheetnames)}")
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()  # else openpyxl parses a sheet without <dimension> twice
    rows = [[cell_text(v) for v in r] for r in ws.iter_rows(values_only=True)]
    merges = _merged_ranges(wb, ws)
    title = ws.title
    wb.close()
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    for r0, c0, r1, c1 in merges:
        if r0 >= len(rows) or c0 >= width:
            continue
        v = rows[r0][c0]
        for ri in range(r0, min(r1, len(rows) - 1) + 1):
            for ci in range(c0, min(c1, width - 1) + 1):
                rows[ri][ci] = v
    return Table(str(path), rows, list(range(1, len(rows) + 1)), merges, title)


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _merged_ranges(wb: Any, ws: Any) -> list[tuple[int, int, int, int]]:
    """Merged ranges (0-based, inclusive) from the worksheet XML (read-only worksheets do not keep them)."""
    from openpyxl.utils import column_index_from_string

    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(wb, "_archive", None)
    if path is None or archive is None:
        return []
    xml = archive.read(path)
    return [(int(r0) - 1, column_index_from_string(c0.decode()) - 1, int(r1) - 1,
             column_index_from_string(c1.decode()) - 1) for c0, r0, c1, r1 in _MERGE.findall(xml)]


def decode_csv(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode with the given encoding, else UTF-8 (with or without BOM), UTF-16 with BOM, then GBK/GB18030."""
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding '{encoding}'") from None
        except UnicodeDecodeError as exc:
            raise UsageError(f"{source}: not valid {encoding} (byte {exc.start}); "
                             "check --encoding (e.g. utf-8, gbk)") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise UsageError(f"{source}: the file is neither UTF-8 nor GBK; save it as UTF-8 CSV or give --encoding")


def read_csv(path: Path, encoding: str | None = None) -> Table:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file ({exc.strerror})") from None
    text = decode_csv(data, str(path), encoding)
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    return Table(str(path), rows, list(range(1, len(rows) + 1)))


def read_table(path: str | Path, sheet: str | None = None, encoding: str | None = None) -> Table:
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"file not found: {p}")
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(p, sheet)
    if suffix in (".csv", ".txt", ".tsv"):
        return read_csv(p, encoding)
    if suffix == ".xls":
        raise UsageError(f"{p}: the old .xls format is not supported; save the sheet as .xlsx (Excel: 另存为)")
    raise UsageError(f"{p}: unsupported file type '{suffix}'; give an .xlsx or .csv file")


# ---- header ----

@dataclass
class Header:
    #: table indexes of the header rows (one or two)
    rows: list[int]
    #: column index → field
    fields: dict[int, str]
    #: column index → the header text as shown
    labels: dict[int, str]

    def columns(self, name: str) -> list[int]:
        cache = self.__dict__.setdefault("_columns", {})
        if name not in cache:
            cache[name] = [c for c, f in sorted(self.fields.items()) if f == name]
        return cache[name]


def _labels(table: Table, i: int, two: bool) -> dict[int, str]:
    top = table.rows[i]
    if not two:
        return {c: v.strip() for c, v in enumerate(top) if v.strip()}
    low = table.rows[i + 1]
    out: dict[int, str] = {}
    parent = ""
    for c, (p, ch) in enumerate(zip(top, low)):
        p, ch = p.strip(), ch.strip()
        if p:
            parent = p
        elif ch and not table.merges:  # CSV: a group title stands over the empty cells to its right
            p = parent
        else:
            parent = ""
        if ch and ch != p and p:
            out[c] = f"{p}\x00{ch}"
        elif p or ch:
            out[c] = p or ch
    return out


def _resolve(label: str, mapping: Mapping[str, str] | None) -> tuple[str | None, str]:
    if "\x00" not in label:
        return field_for(label, mapping), label
    p, ch = label.split("\x00")
    for cand in (p + ch, ch + p, ch, p):
        f = field_for(cand, mapping)
        if f:
            return f, f"{p}/{ch}"
    return None, f"{p}/{ch}"


def _header_at(table: Table, i: int, two: bool, mapping: Mapping[str, str] | None) -> Header:
    fields: dict[int, str] = {}
    labels: dict[int, str] = {}
    for c, label in _labels(table, i, two).items():
        f, shown = _resolve(label, mapping)
        labels[c] = shown
        if f and f != "ignore":
            fields[c] = f
    return Header([i, i + 1] if two else [i], fields, labels)


def _score(h: Header) -> tuple[int, int]:
    return (1 if "name" in h.fields.values() else 0, len(h.fields))


def detect_header(table: Table, mapping: Mapping[str, str] | None = None,
                  header_row: int | None = None) -> Header:
    """The header of the sheet (``header_row`` is the 1-based row number, when the editor knows it)."""
    if header_row is not None:
        if header_row not in table.numbers:
            raise UsageError(f"{table.source}: --header-row {header_row} is beyond the last row "
                             f"({len(table.rows)})")
        starts = [table.numbers.index(header_row)]
    else:
        starts = [i for i in range(min(HEADER_SCAN_ROWS, len(table.rows)))
                  if any(v.strip() for v in table.rows[i])]
    best: Header | None = None
    for i in starts:
        cands = [_header_at(table, i, False, mapping)]
        if i + 1 < len(table.rows):
            cands.append(_header_at(table, i, True, mapping))
        for h in cands:
            if best is None or _score(h) > _score(best):
                best = h
    if best is None or "name" not in best.fields.values():
        seen: list[str] = []
        for i in starts[:3]:
            seen.extend(v for v in table.rows[i] if v.strip())
        where = f"row {header_row}" if header_row is not None else f"the first {HEADER_SCAN_ROWS} rows"
        raise UsageError(
            f"{table.source}: no header naming the 事项名称 column in {where} "
            f"(known names: {'、'.join(ALIASES['name'][:4])}…); found: {'、'.join(seen[:12]) or 'nothing'}. "
            "Give --header-row N, or a --mapping file such as {\"审批项目\": name}")
    return best

"""Reading a department's sheet (XLSX or CSV) into a plain table, and finding its header.

Merged cells are filled with their top-left value (and remembered, so a main item spanning several rows can be
told apart from repeated values); the header is the row among the first ten that names the most known columns,
combined with the row below when the header has two rows (a merged 办理时限 over 法定 | 承诺).

Reading is bounded (see :mod:`.limits`): the file's size, rows, columns, the used area, merged ranges, and for
XLSX the zip and its XML parts (:mod:`.workbook`); cells longer than Excel's 32,767 characters and Excel error
values are kept as problems of their cell, so the rows holding them are reported, not imported.
"""
from __future__ import annotations

import codecs
import csv
import io
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..model.errors import UsageError
from .columns import ALIASES, field_for, norm_mapping
from .limits import MAX_CELLS, MAX_COLUMNS, MAX_INPUT_BYTES, MAX_ROWS, read_input
from .workbook import OLE_MAGIC, ZIP_MAGIC, cell_problems, cell_text, column_letter, kind_of, not_a_workbook, read_sheet

__all__ = ["Table", "Header", "cell_text", "decode_csv", "read_csv", "read_xlsx", "read_table", "read_tables", "detect_header"]

#: the header is looked for in this many rows from the top (title rows and notes often stand above it)
HEADER_SCAN_ROWS = 30


@dataclass
class Table:
    source: str
    rows: list[list[str]]
    #: the sheet/file row number (1-based) of each row
    numbers: list[int]
    #: (row0, col0, row1, col1) of merged ranges, 0-based and inclusive, in table coordinates (clipped to the
    #: table when it is made)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    sheet: str | None = None
    #: (row, col) → why the cell cannot be used as it is
    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    #: the workbook's other sheets (not read)
    other_sheets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.banner: set[int] = set()                  # rows covered by one merge across the whole width
        self._vspans: dict[int, tuple[list[int], list[tuple[int, int]]]] = {}   # col → vertical merges, by row
        height = len(self.rows)
        width = max((len(r) for r in self.rows), default=0)
        clipped = []
        area = 0
        for r0, c0, r1, c1 in self.merges:
            if r0 >= height or c0 >= width:
                continue   # a range beyond the data (formatting only): nothing to fill
            r1, c1 = min(r1, height - 1), min(c1, width - 1)
            area += (r1 - r0 + 1) * (c1 - c0 + 1)
            if area > MAX_CELLS:
                raise UsageError(f"{self.source}: the merged ranges overlap: together they cover more than "
                                 f"{MAX_CELLS:,} cells; the sheet is damaged")
            clipped.append((r0, c0, r1, c1))
            if c0 == 0 and c1 >= width - 1 and width > 1:
                self.banner.update(range(r0, r1 + 1))
        self.merges = clipped

    def merge_span(self, row: int, col: int) -> tuple[int, int] | None:
        """(first row, last row) of the vertical merge holding a cell, if any."""
        index = self._vspans.get(col)
        if index is None:
            spans = sorted((r0, r1) for r0, c0, r1, c1 in self.merges if r1 > r0 and c0 <= col <= c1)
            index = self._vspans[col] = ([s[0] for s in spans], spans)
        starts, spans = index
        i = bisect_right(starts, row) - 1
        if i >= 0 and spans[i][1] >= row:
            return spans[i]
        return None

    def fill_merges(self) -> None:
        """Give every cell of a merged range the value of its top-left cell (as Excel shows it)."""
        for r0, c0, r1, c1 in self.merges:
            v = self.rows[r0][c0]
            span = [v] * (c1 - c0 + 1)
            for ri in range(r0, r1 + 1):
                self.rows[ri][c0:c1 + 1] = span


def read_xlsx(data: bytes, path: Path, sheet: str | None = None) -> Table:
    sh = read_sheet(data, str(path), sheet)
    table = Table(str(path), sh.rows, list(range(1, len(sh.rows) + 1)), sh.merges, sh.title, sh.problems,
                  sh.other_sheets)
    table.fill_merges()
    return table


def _position(data: bytes, at: int, encoding: str) -> str:
    """'line L, column C' of byte offset ``at`` (the column in characters, as an editor counts them)."""
    line = data.count(b"\n", 0, at) + 1
    start = data.rfind(b"\n", 0, at) + 1
    col = len(data[start:at].decode(encoding, "replace")) + 1 if encoding.startswith(("utf-8", "gb")) else 0
    return f"line {line}, column {col}" if col else f"line {line}"


def decode_csv(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode with the given encoding, else by its byte-order mark (UTF-8, UTF-16, UTF-32), else UTF-8, then
    GBK/GB18030. Anything undecodable, or NUL characters, is an error saying where."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding '{encoding}'") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UsageError(f"{source}: not valid {encoding}: byte 0x{data[exc.start]:02x} at "
                             f"{_position(data, exc.start, encoding)} cannot be decoded; "
                             "check --encoding (e.g. utf-8, gbk)") from None
    else:
        boms = ((codecs.BOM_UTF8, "utf-8-sig", "UTF-8"), (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
                (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"), (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
                (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"))
        bom = next((b for b in boms if data.startswith(b[0])), None)
        if bom is not None:
            try:
                text = data.decode(bom[1])
            except UnicodeDecodeError as exc:
                raise UsageError(f"{source}: the file starts with a {bom[2]} byte-order mark but is not valid "
                                 f"{bom[2]} (byte {exc.start:,} cannot be decoded); save it again as "
                                 "'CSV UTF-8'") from None
        elif b"\x00" in data:
            first = data.index(b"\x00")
            raise UsageError(f"{source}: the file holds NUL bytes (the first at offset {first:,}): "
                             "it is UTF-16 without a byte-order mark, or not a text file; save it as 'CSV UTF-8' "
                             "(or give --encoding utf-16-le)")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                try:
                    text = data.decode("gb18030")
                except UnicodeDecodeError:
                    raise UsageError(f"{source}: the file is neither UTF-8 nor GBK/GB18030 (byte 0x{data[exc.start]:02x}"
                                     f" at {_position(data, exc.start, 'utf-8')} is not UTF-8); save it as "
                                     "'CSV UTF-8' or give --encoding") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise UsageError(f"{source}: the text holds a NUL character (line {text.count(chr(10), 0, nul) + 1}): "
                         "not a text file, or the wrong --encoding")
    return text


def read_csv(data: bytes, path: Path, encoding: str | None = None) -> Table:
    if data.startswith(ZIP_MAGIC):
        raise UsageError(f"{path}: this is an Excel workbook (.xlsx), not a CSV file; name it .xlsx")
    if data.startswith(OLE_MAGIC):
        raise not_a_workbook(str(path), kind_of(data))
    text = decode_csv(data, str(path), encoding)
    first = text[:text.find("\n")] if "\n" in text else text
    delimiter = "\t" if path.suffix.lower() == ".tsv" or first.count("\t") > first.count(",") else ","
    rows: list[list[str] | None] = []
    problems: dict[tuple[int, int], str] = {}
    width = last = 0
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, len(text) + 1))   # cells are checked against Excel's limit below
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 0
    try:
        for rec in reader:
            n = len(rows) + 1
            k = len(rec)
            while k and not rec[k - 1]:
                k -= 1
            line = reader.line_num
            if not k:
                rows.append(None)
                continue
            if n > MAX_ROWS:
                raise UsageError(f"{path}: row {n:,} holds data; at most {MAX_ROWS:,} rows are read "
                                 "(split the list)")
            if k > MAX_COLUMNS:
                raise UsageError(f"{path}: row {n:,} has {k:,} columns; at most {MAX_COLUMNS} are read "
                                 f"(is the delimiter '{delimiter}' right?)")
            width = max(width, k)
            if n * width > MAX_CELLS:
                raise UsageError(f"{path}: the data reaches row {n:,} and column {column_letter(width)}: more "
                                 f"than {MAX_CELLS:,} cells (split the list)")
            row = rec[:k] if k < len(rec) else rec
            cell_problems(row, n - 1, problems)
            rows.append(row)
            last = n
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise UsageError(f"{path}: the row starting on line {line + 1} never ends: a quote (\") opened "
                             "there is not closed") from None
        raise UsageError(f"{path}: line {reader.line_num}: {exc} (a quote (\") inside a quoted cell must be "
                         "doubled: \"\")") from None
    finally:
        csv.field_size_limit(old_limit)
    table_rows = [r + [""] * (width - len(r)) if r is not None else [""] * width for r in rows[:last]]
    return Table(str(path), table_rows, list(range(1, len(table_rows) + 1)), problems=problems)


def read_table(path: str | Path, sheet: str | None = None, encoding: str | None = None) -> Table:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".xls":
        raise UsageError(f"{p}: the old .xls format is not supported; save the sheet as .xlsx (Excel: 另存为)")
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv"):
        raise UsageError(f"{p}: unsupported file type '{suffix}'; give an .xlsx or .csv file")
    data = read_input(p, MAX_INPUT_BYTES, "file")
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(data, p, sheet)
    return read_csv(data, p, encoding)


def read_tables(path: str | Path, sheet: str | None = None, encoding: str | None = None) -> list[Table]:
    """Every worksheet of a workbook (only ``sheet`` when given), or the one table of a CSV file."""
    first = read_table(path, sheet, encoding)
    if sheet is not None or not first.other_sheets:
        return [first]
    data = read_input(Path(path), MAX_INPUT_BYTES, "file")
    return [first] + [read_xlsx(data, Path(path), name) for name in first.other_sheets]


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
        return field_for(label, normalized=mapping), label
    p, ch = label.split("\x00")
    for cand in (p + ch, ch + p, ch, p):
        f = field_for(cand, normalized=mapping)
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
    mapping = norm_mapping(mapping) if mapping else None
    if header_row is not None:
        if header_row < 1:
            raise UsageError(f"--header-row {header_row}: rows are numbered from 1")
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

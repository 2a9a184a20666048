"""One worksheet of an .xlsx workbook, read with bounded time and memory.

openpyxl reads the cells (read-only mode, cached values of formulas), but it only gets to see a small, checked
copy of the workbook: the zip's directory is checked first (entries, declared sizes, compression ratio, no
encryption), then the parts a table needs — ``[Content_Types].xml``, the workbook part and its relationships,
``styles.xml`` (number formats: which numbers are dates), the shared strings and the one worksheet asked for —
are read within size limits and scanned (no DTD, no XML token longer than :data:`~.limits.MAX_MARKUP_BYTES`),
and only they are handed to openpyxl, as an uncompressed in-memory zip. Comments, drawings, charts, images,
external links, pivot caches and the other sheets are never read at all.

Merged ranges are read from the worksheet XML here (read-only worksheets do not keep them), and checked: at most
:data:`~.limits.MAX_MERGED_RANGES`, each inside Excel's grid. Rows are bounded while they stream: data beyond
:data:`~.limits.MAX_ROWS` rows, :data:`~.limits.MAX_COLUMNS` columns or a used area of
:data:`~.limits.MAX_CELLS` cells stops the reading with a message saying where.
"""
from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from ..model.errors import UsageError
from .limits import (EXCEL_COLUMNS, EXCEL_ROWS, MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_COMPRESSION_RATIO,
                     MAX_MARKUP_BYTES, MAX_MERGED_RANGES, MAX_OTHER_PART_BYTES, MAX_ROWS, MAX_SHARED_STRINGS,
                     MAX_SHEET_PART_BYTES, MAX_OTHER_PART_TAGS, MAX_SHEETS, MAX_XML_CELLS, MAX_ZIP_ENTRIES, MIB, size_text)

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: the zip's central directory (a real workbook's is a few KiB)
MAX_DIRECTORY_BYTES = 4 * MIB
#: XML comments and processing instructions in one part (a workbook has one: the XML declaration)
MAX_SPECIAL_TOKENS = 10_000

_WORKBOOK_TYPES = (  # openpyxl's order (reader.excel._find_workbook_part)
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_PART = "xl/styles.xml"   # where openpyxl looks for the styles, whatever the relationships say
#: what openpyxl gives for error cells (#DIV/0! …); a cell that reads so is reported, not imported as text
ERROR_TEXTS = frozenset(('#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A', '#GETTING_DATA'))


@dataclass
class Sheet:
    """The cells of one worksheet as text, trailing empty rows and columns dropped."""

    title: str
    rows: list[list[str]]
    #: (row0, col0, row1, col1), 0-based and inclusive, inside Excel's grid (not yet clipped to ``rows``)
    merges: list[tuple[int, int, int, int]]
    #: (row, col) → why the cell cannot be used as it is (too long, an Excel error value)
    problems: dict[tuple[int, int], str] = field(default_factory=dict)
    #: the workbook's other sheets (not imported)
    other_sheets: list[str] = field(default_factory=list)


def kind_of(data: bytes) -> str:
    """What a file that should be a workbook is: 'zip', 'encrypted', 'ole' (old .xls and the like), 'text',
    'empty' or 'binary'."""
    if not data:
        return "empty"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "encrypted" if "EncryptionInfo".encode("utf-16-le") in data else "ole"
    head = data[:4096]
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
            return "text"
        except UnicodeDecodeError as exc:
            if exc.start >= len(head) - 3:
                return "text"   # a character cut by the 4 KiB window
            try:
                head.decode("gb18030")
                return "text"
            except UnicodeDecodeError:
                pass
    return "binary"


def not_a_workbook(path: str, kind: str) -> UsageError:
    if kind == "encrypted":
        return UsageError(f"{path}: the workbook is protected with a password (encrypted); open it in Excel, "
                          "remove the password (文件 → 信息 → 保护工作簿 → 用密码进行加密) and save it as .xlsx")
    if kind == "ole":
        return UsageError(f"{path}: this is an old Excel 97-2003 (.xls) or other binary Office file, not .xlsx; "
                          "open it in Excel or WPS and save it as .xlsx (另存为 Excel 工作簿)")
    if kind == "empty":
        return UsageError(f"{path}: the file is empty (0 bytes); save the workbook again")
    if kind == "text":
        return UsageError(f"{path}: this is a text file, not an .xlsx workbook; if it is a CSV list, name it .csv")
    return UsageError(f"{path}: not an .xlsx workbook (the file is not a zip package); "
                      "open it in Excel or WPS and save it as .xlsx")


def _damaged(path: str, why: str) -> UsageError:
    return UsageError(f"{path}: the workbook is damaged or incomplete ({why}); "
                      "save it again from Excel or WPS, or copy it again")


# ---- XML checks ----

_SPECIAL = re.compile(rb"<[!?]")
_LONG = re.compile(rb"<(?=[^<]{%d})" % MAX_MARKUP_BYTES)
_TAG = re.compile(rb"""<[^<>"']*(?:(?:"[^"<]*"|'[^'<]*')[^<>"']*)*>""")


def scan_xml(path: str, part: str, data: bytes) -> None:
    """Refuse what would make parsing the part slow or unsafe: a document type declaration (entities), and an
    XML token (tag, comment, processing instruction) longer than MAX_MARKUP_BYTES. Linear in the part's size."""
    where = f"{path}: part {part}"
    first = data.find(b"<")
    if first < 0 or first > MAX_MARKUP_BYTES:
        raise _damaged(path, f"part {part} is not XML")
    ends: dict[int, int] = {}
    pos = 0
    while True:
        m = _SPECIAL.search(data, pos)
        if m is None:
            break
        p = m.start()
        if data.startswith(b"<!--", p):
            end, close, limited = data.find(b"-->", p + 4), 3, True
        elif data.startswith(b"<![CDATA[", p):
            end, close, limited = data.find(b"]]>", p + 9), 3, False
        elif data.startswith(b"<?", p):
            end, close, limited = data.find(b"?>", p + 2), 2, True
        else:
            raise UsageError(f"{where} holds a document type declaration (<!DOCTYPE or <!ENTITY>), which a "
                             "workbook never contains; save the sheet again from Excel or WPS")
        if end < 0:
            raise _damaged(path, f"part {part} ends inside an XML comment or instruction")
        end += close
        if limited and end - p > MAX_MARKUP_BYTES:
            raise UsageError(f"{where} holds an XML comment or instruction of {end - p:,} bytes (at most "
                             f"{size_text(MAX_MARKUP_BYTES)}); save the sheet again from Excel or WPS")
        ends[p] = end
        if len(ends) > MAX_SPECIAL_TOKENS:
            raise UsageError(f"{where} holds more than {MAX_SPECIAL_TOKENS:,} XML comments or instructions; "
                             "save the sheet again from Excel or WPS")
        pos = end
    # A '<' with no other '<' in the next MAX_MARKUP_BYTES: either a tag followed by long text (fine: text is
    # parsed in pieces), or a token that long. Such '<' are more than MAX_MARKUP_BYTES apart, so this is linear.
    pos = 0
    while True:
        m = _LONG.search(data, pos)
        if m is None:
            return
        p = m.start()
        if p in ends:
            pos = ends[p]
            continue
        if data[p + 1:p + 2] in (b"!", b"?"):
            pos = p + 1   # inside a comment or CDATA section measured above
            continue
        t = _TAG.match(data, p)
        if t is None or t.end() - p > MAX_MARKUP_BYTES:
            raise UsageError(f"{where} holds an XML tag longer than {size_text(MAX_MARKUP_BYTES)} (at byte {p:,}); "
                             "save the sheet again from Excel or WPS")
        pos = t.end()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse(path: str, part: str, data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _damaged(path, f"part {part}: {exc}") from None


def rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _target(source_part: str, target: str) -> str:
    """A relationship target as a part name (as openpyxl.packaging.relationship.get_dependents resolves it)."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


# ---- the workbook ----

#: prefixes bound to the worksheet namespace (openpyxl finds cells by namespace, whatever the prefix)
_MAIN_PREFIX = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']http://schemas\.openxmlformats\.org/"""
                          rb"""spreadsheetml/2006/main["']""")
#: a row number of 7 digits or more (only rows carry an all-digit r="…"; cells' start with the column letters);
#: a quick, clear answer only: the rows streamed are counted too
_BIG_ROW_NUMBER = re.compile(rb'r="(\d{7,})"')
_MERGE = re.compile(rb'mergeCell\s[^>]*?\bref="([^"]*)"')
#: XML elements ('<') a cell may take: <c><is><t>…</t></is></c> is 6
MAX_XML_TAGS_PER_CELL = 8
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?$")


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    out = ""
    while index > 0:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


class _Package:
    def __init__(self, data: bytes, path: str):
        self.path = path
        self._check_directory(data)
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            raise _damaged(path, str(exc) or type(exc).__name__) from None
        if len(infos) > MAX_ZIP_ENTRIES:
            raise UsageError(f"{path}: the workbook holds {len(infos):,} parts (at most {MAX_ZIP_ENTRIES:,})")
        self.infos = {i.filename: i for i in infos}

    def _check_directory(self, data: bytes) -> None:
        """The end-of-directory record: present (else the file was cut short) and announcing a directory of a
        sane size, checked before zipfile reads every entry of it."""
        at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
        if at < 0 or len(data) - at < 22:
            raise _damaged(self.path, "the zip directory at its end is missing: the file was cut short")
        entries = int.from_bytes(data[at + 10:at + 12], "little")
        size = int.from_bytes(data[at + 12:at + 16], "little")
        if entries != 0xFFFF and entries > MAX_ZIP_ENTRIES:
            raise UsageError(f"{self.path}: the workbook holds {entries:,} parts (at most {MAX_ZIP_ENTRIES:,})")
        if size != 0xFFFFFFFF and size > MAX_DIRECTORY_BYTES:
            raise UsageError(f"{self.path}: the workbook's zip directory is {size:,} bytes "
                             f"(at most {size_text(MAX_DIRECTORY_BYTES)})")

    def has(self, part: str) -> bool:
        return part in self.infos

    def read(self, part: str, limit: int, tags: int | None = None) -> bytes:
        """A part's bytes, after checking its declared size and compression ratio; then scanned, and with
        ``tags``, its XML tags counted."""
        info = self.infos[part]
        if info.flag_bits & 0x1:
            raise not_a_workbook(self.path, "encrypted")
        if info.file_size > limit:
            raise UsageError(f"{self.path}: part {part} is {info.file_size:,} bytes uncompressed "
                             f"(at most {size_text(limit)} is read)")
        if info.file_size > MIB and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise UsageError(f"{self.path}: part {part} would expand {info.file_size / max(info.compress_size, 1):,.0f}"
                             f" times (at most {MAX_COMPRESSION_RATIO}): this is a zip bomb, not a workbook")
        try:
            data = self.zip.read(info)
        except (zipfile.BadZipFile, zlib.error, ValueError, EOFError, OSError, NotImplementedError,
                RuntimeError) as exc:
            raise _damaged(self.path, f"part {part}: {exc}") from None
        scan_xml(self.path, part, data)
        if tags is not None and data.count(b"<") > tags:
            hint = " (too many cell formats)" if part == _STYLES_PART else ""
            raise UsageError(f"{self.path}: part {part} holds more than {tags:,} XML tags{hint}; copy "
                             "just the list into a new workbook (选择性粘贴 → 数值) and import that")
        return data


def _prefixes(data: bytes) -> list[bytes]:
    """The element prefixes that can name spreadsheet elements in a part: none, and those bound to the namespace."""
    return [b""] + [p + b":" for p in sorted(set(_MAIN_PREFIX.findall(data)))]


def _strings_checks(path: str, part: str, data: bytes) -> None:
    n = sum(data.count(b"<" + p + b"si") for p in _prefixes(data))
    if n > MAX_SHARED_STRINGS:
        raise UsageError(f"{path}: part {part} holds more than {MAX_SHARED_STRINGS:,} strings")


def _sheet_checks(path: str, title: str, data: bytes) -> list[tuple[int, int, int, int]]:
    """Row numbers, elements per row and in all, merged ranges: what openpyxl would otherwise expand unbounded.

    openpyxl reads a whole row element (every child is taken for a cell) before it yields the row, and yields
    an empty row for every row number skipped, so both are checked here, on the bytes, before it starts."""
    where = f"{path} [{title}]"
    for m in _BIG_ROW_NUMBER.finditer(data):
        if int(m.group(1)) > EXCEL_ROWS:
            raise UsageError(f"{where}: row number {int(m.group(1)):,} is beyond Excel's last row "
                             f"({EXCEL_ROWS:,}); the sheet is damaged")
    prefixes = _prefixes(data)
    cells = sum(data.count(b"<" + p + b"c") for p in prefixes)   # <c…: cells, and a few <col…, <cfRule…
    if cells > MAX_XML_CELLS or data.count(b"<") > MAX_XML_TAGS_PER_CELL * MAX_XML_CELLS:
        raise UsageError(f"{where}: the sheet holds more than {MAX_XML_CELLS:,} cells (formatted empty cells "
                         "count too); delete the unused rows and columns, or copy just the list into a new "
                         "workbook")
    starts = sorted(m.start() for p in prefixes for m in re.finditer(b"<" + re.escape(p) + rb"row[\s/>]", data))
    if len(starts) > EXCEL_ROWS:
        raise UsageError(f"{where}: more than {EXCEL_ROWS:,} rows, more than Excel allows; the sheet is damaged")
    most = MAX_XML_TAGS_PER_CELL * EXCEL_COLUMNS   # '<' in one row element
    bounds = starts + [len(data)]
    for k in range(len(starts)):
        a, b = bounds[k], bounds[k + 1]
        if b - a > most and data.count(b"<", a, b) > most:
            raise UsageError(f"{where}: row element {k + 1:,} holds more than {EXCEL_COLUMNS:,} cells, more "
                             "than Excel allows; the sheet is damaged")
    merges: list[tuple[int, int, int, int]] = []
    for m in _MERGE.finditer(data):
        ref = m.group(1).decode("ascii", "replace").upper()
        r = _REF.match(ref)
        cols = rows_ = None
        if r:
            c0, r0 = _column_index(r.group(1)), int(r.group(2))
            c1, r1 = (_column_index(r.group(3)), int(r.group(4))) if r.group(3) else (c0, r0)
            cols, rows_ = (min(c0, c1), max(c0, c1)), (min(r0, r1), max(r0, r1))
        if cols is None or rows_ is None or cols[0] < 1 or cols[1] > EXCEL_COLUMNS or rows_[0] < 1 \
                or rows_[1] > EXCEL_ROWS:
            raise UsageError(f"{where}: the merged range {ref[:40]!r} is not a range of Excel's grid; "
                             "the sheet is damaged")
        if len(merges) >= MAX_MERGED_RANGES:
            raise UsageError(f"{where}: more than {MAX_MERGED_RANGES:,} merged ranges")
        if cols[1] > cols[0] or rows_[1] > rows_[0]:
            merges.append((rows_[0] - 1, cols[0] - 1, rows_[1] - 1, cols[1] - 1))
    return merges


_MERGES_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)mergeCells[\s/>]")


def _without_merges(data: bytes) -> bytes:
    """The worksheet XML without its <mergeCells> block: they are read here, and openpyxl would only spend
    time on them (and refuse a range written backwards, such as A3:A2, which Excel repairs)."""
    m = _MERGES_START.search(data)
    if m is None:
        return data
    close = m.start() + data[m.start():].find(b">")
    if data[close - 1:close] == b"/":
        return data[:m.start()] + data[close + 1:]
    end_tag = b"</" + m.group(1) + b"mergeCells>"
    end = data.find(end_tag, close)
    if end < 0:
        return data   # damaged: openpyxl will say so
    return data[:m.start()] + data[end + len(end_tag):]


def cell_text(v: Any) -> str:
    """A cell value as text: whole floats without '.0', dates as YYYY-MM-DD, booleans as 是/否."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def cell_problems(row: list[str], i: int, problems: dict[tuple[int, int], str]) -> None:
    """Note (and cut) cells longer than Excel's limit, and Excel error values, of table row ``i``."""
    if max(map(len, row), default=0) > MAX_CELL_CHARS:
        for c, text in enumerate(row):
            if len(text) > MAX_CELL_CHARS:
                problems[(i, c)] = (f"the cell holds {len(text):,} characters; a cell holds at most "
                                    f"{MAX_CELL_CHARS:,} (Excel's limit)")
                row[c] = text[:MAX_CELL_CHARS]
    if not ERROR_TEXTS.isdisjoint(row):
        for c, text in enumerate(row):
            if text in ERROR_TEXTS:
                problems[(i, c)] = (f"the cell holds the Excel error {text}; correct the formula or type the "
                                    "value in")


def read_sheet(data: bytes, path: str, sheet: str | None = None) -> Sheet:
    """The cells of the named worksheet (default: the first) of an .xlsx file's bytes."""
    kind = kind_of(data)
    if kind != "zip":
        raise not_a_workbook(path, kind)
    pkg = _Package(data, path)
    if not pkg.has("[Content_Types].xml"):
        raise _damaged(path, "no [Content_Types].xml: not an Office package")
    parts: dict[str, bytes] = {}
    manifest = pkg.read("[Content_Types].xml", MAX_OTHER_PART_BYTES, MAX_OTHER_PART_TAGS)
    parts["[Content_Types].xml"] = manifest
    overrides: list[tuple[str, str]] = []
    defaults: set[str] = set()
    for el in _parse(path, "[Content_Types].xml", manifest):
        if _local(el.tag) == "Override":
            overrides.append((el.get("PartName", "").lstrip("/"), el.get("ContentType", "")))
        elif _local(el.tag) == "Default":
            defaults.add(el.get("ContentType", ""))
    book_part = next((name for ct in _WORKBOOK_TYPES for name, t in overrides if t == ct), None)
    if book_part is None and defaults & set(_WORKBOOK_TYPES):
        book_part = "xl/workbook.xml"
    if book_part is None or not pkg.has(book_part):
        raise UsageError(f"{path}: no workbook in the file (a Word or PowerPoint document named .xlsx?); "
                         "give an Excel .xlsx workbook")
    book = pkg.read(book_part, MAX_OTHER_PART_BYTES, MAX_OTHER_PART_TAGS)
    parts[book_part] = book
    book_rels = rels_path(book_part)
    targets: dict[str, tuple[str, str]] = {}
    if pkg.has(book_rels):
        rels = pkg.read(book_rels, MAX_OTHER_PART_BYTES, MAX_OTHER_PART_TAGS)
        parts[book_rels] = rels
        for el in _parse(path, book_rels, rels):
            if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
                targets[el.get("Id", "")] = (el.get("Type", ""), _target(book_part, el.get("Target", "")))
    if b"purl.oclc.org/ooxml/spreadsheetml" in book:
        raise UsageError(f"{path}: the workbook is saved as 'Strict Open XML', which cannot be read; save it again "
                         "as a normal Excel workbook (.xlsx)")
    listed = [el for el in _parse(path, book_part, book).iter() if _local(el.tag) == "sheet"]
    if len(listed) > MAX_SHEETS:
        raise UsageError(f"{path}: the workbook lists {len(listed):,} sheets (at most {MAX_SHEETS:,})")
    worksheets: list[tuple[str, str]] = []
    others: list[str] = []
    for el in listed:
        name = el.get("name", "")
        rid = next((v for k, v in el.attrib.items() if k.startswith("{") and _local(k) == "id"), "")
        rel_type, target = targets.get(rid, ("", ""))
        if rel_type.endswith("/worksheet") and pkg.has(target):
            worksheets.append((name, target))
        else:
            others.append(name)
    if sheet is None:
        if not worksheets:
            raise UsageError(f"{path}: the workbook has no worksheet with a table"
                             + (f" (only: {', '.join(others)})" if others else ""))
        title, target = worksheets[0]
    else:
        found = [w for w in worksheets if w[0] == sheet]
        if not found:
            kind_note = " is not a worksheet (a chart sheet?)" if sheet in others else ""
            if kind_note:
                raise UsageError(f"{path}: sheet '{sheet}'{kind_note}; the worksheets are: "
                                 f"{', '.join(w[0] for w in worksheets)}")
            raise UsageError(f"{path}: no sheet named '{sheet}'; the sheets are: "
                             f"{', '.join(w[0] for w in worksheets)}")
        title, target = found[0]
    sheet_data = pkg.read(target, MAX_SHEET_PART_BYTES)
    merges = _sheet_checks(path, title, sheet_data)
    parts[target] = _without_merges(sheet_data)
    strings = next((name for name, t in overrides if t == _SHARED_STRINGS_TYPE), None)
    if strings is not None and pkg.has(strings):
        parts[strings] = pkg.read(strings, MAX_SHEET_PART_BYTES)
        _strings_checks(path, strings, parts[strings])
    if pkg.has(_STYLES_PART):
        parts[_STYLES_PART] = pkg.read(_STYLES_PART, MAX_OTHER_PART_BYTES, MAX_OTHER_PART_TAGS)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:
        for name, content in parts.items():
            out.writestr(name, content)
    del parts, sheet_data
    buf.seek(0)
    sh = Sheet(title, [], merges, other_sheets=[w[0] for w in worksheets if w[0] != title])
    _read_rows(buf, path, sh)
    return sh


def _read_rows(buf: io.BytesIO, path: str, sh: Sheet) -> None:
    from openpyxl import load_workbook   # openpyxl loads only when a workbook is read (start-up of the CLI)

    where = f"{path} [{sh.title}]"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(buf, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # openpyxl raises many kinds on bad XML: all mean the same to the user
            raise _damaged(path, f"{type(exc).__name__}: {exc}".splitlines()[0][:300]) from None
        try:
            if len(wb.worksheets) != 1:
                raise _damaged(path, f"sheet '{sh.title}' cannot be found")
            ws = wb.worksheets[0]
            ws.reset_dimensions()   # a <dimension> may be wrong; read what is there
            rows: list[list[str] | None] = []
            problems: dict[tuple[int, int], str] = {}
            width = last = 0
            it = ws.iter_rows(values_only=True)
            while True:
                try:
                    values = next(it)
                except StopIteration:
                    break
                except Exception as exc:
                    raise UsageError(f"{where}: cannot read row {len(rows) + 1} ({type(exc).__name__}: "
                                     f"{str(exc).splitlines()[0][:200] if str(exc) else ''}); "
                                     "the sheet is damaged") from None
                n = len(rows) + 1
                if n > EXCEL_ROWS:
                    raise UsageError(f"{where}: more than {EXCEL_ROWS:,} rows; the sheet is damaged")
                k = len(values)
                while k and (values[k - 1] is None or values[k - 1] == ""):
                    k -= 1
                if not k:
                    rows.append(None)
                    continue
                if n > MAX_ROWS:
                    raise UsageError(f"{where}: row {n:,} holds data; at most {MAX_ROWS:,} rows are read "
                                     "(delete what lies below the list, or split the list)")
                if k > MAX_COLUMNS:
                    raise UsageError(f"{where}: row {n:,} holds data in column {column_letter(k)}; at most "
                                     f"{MAX_COLUMNS} columns ({column_letter(MAX_COLUMNS)}) are read "
                                     "(delete what lies right of the list)")
                width = max(width, k)
                if n * width > MAX_CELLS:
                    raise UsageError(f"{where}: the data reaches row {n:,} and column {column_letter(width)}: "
                                     f"more than {MAX_CELLS:,} cells (delete what lies below or right of the "
                                     "list, or split the list)")
                row = [cell_text(v) for v in values[:k]]
                cell_problems(row, n - 1, problems)
                rows.append(row)
                last = n
        finally:
            wb.close()
    sh.rows = [r + [""] * (width - len(r)) if r is not None else [""] * width for r in rows[:last]]
    sh.problems = problems

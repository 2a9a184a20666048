"""A small deterministic XLSX (SpreadsheetML) writer for the exports.

openpyxl spends most of an export's time in per-cell objects and its generic writer; the exported workbooks
are simple (a styled, frozen header row, then text and number cells), so they are written here directly:
inline strings, one cell style for headers, fixed zip times. Each worksheet part is compressed once and can
be placed in several workbooks (a department's sheet is the same in the whole-list workbook and in the
department's own workbook). Reading (the importer) still goes through openpyxl.
"""
from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from typing import Iterable, Sequence
from xml.sax.saxutils import quoteattr

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: text → XML character data (CR kept as a reference, or XML parsers would normalise it away)
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
#: What XML 1.0 cannot hold (C0 controls but tab, LF and CR; lone surrogates; U+FFFE, U+FFFF), and a literal
#: ``_`` that starts something a reader would decode as SpreadsheetML's ``_xHHHH_`` escape.
_XSTRING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
#: Every entry gets this time (2000-01-01 00:00) so that the same data gives the same bytes.
_DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1
_DOS_TIME = 0


def column_letters(n: int) -> list[str]:
    """A, B, …, Z, AA, … for the first ``n`` columns."""
    out = []
    for i in range(1, n + 1):
        s = ""
        while i:
            i, r = divmod(i - 1, 26)
            s = chr(65 + r) + s
        out.append(s)
    return out


def _xescape(m: re.Match[str]) -> str:
    return f"_x{ord(m.group()):04X}_"


def xstring(value: str) -> str:
    """``value`` as SpreadsheetML text (ST_Xstring, ECMA-376 Part 1 §22.9.2.19): each character XML 1.0 cannot
    hold becomes ``_xHHHH_`` (U+FFFF → ``_xFFFF_``), and a literal ``_xHHHH_`` in the text is kept literal by
    escaping its underscore (``_x005F_xHHHH_``). Excel and LibreOffice decode both back to the original text;
    openpyxl (and so pandas) shows the escapes as written. Uppercase hex, as Excel writes it."""
    return _XSTRING.sub(_xescape, value)


def cell_text(value: str) -> str:
    """Text for a ``<t>`` element: :func:`xstring`, then XML-escaped."""
    return xstring(value).translate(_XML_ESCAPES)


def rows_xml(rows: Iterable[Sequence[str | int]], first_row: int, letters: Sequence[str], style: int = 0) -> str:
    """Worksheet rows as SpreadsheetML: numbers as numbers, text as inline strings (:func:`cell_text`: any text
    gives a well-formed part), empty text left out. Inline strings are never formulas, whatever they start
    with."""
    out: list[str] = []
    s = f' s="{style}"' if style else ""
    for r, values in enumerate(rows, first_row):
        cells = []
        for col, v in zip(letters, values):
            if isinstance(v, int):
                cells.append(f'<c r="{col}{r}"{s}><v>{v}</v></c>')
            elif v:
                t = v.translate(_XML_ESCAPES)
                sp = ' xml:space="preserve"' if t != t.strip() or "\n" in t else ""
                cells.append(f'<c r="{col}{r}"{s} t="inlineStr"><is><t{sp}>{t}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    # xstring over the whole body at once (much faster than cell by cell): the markup holds no '_' and no
    # character it escapes, and the XML escapes commute with it, so the result is the same
    return _XSTRING.sub(_xescape, "".join(out))


def worksheet_xml(headers: Sequence[str], widths: Sequence[int], body: str) -> str:
    """A worksheet: the header row in the header style and frozen above ``body`` (rows from 2 on)."""
    cols = "".join(f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths, 1))
    head = rows_xml([headers], 1, column_letters(len(headers)), style=1)
    return (f'{_XML_DECL}<worksheet xmlns="{_MAIN_NS}"><sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{head}{body}</sheetData>'
            '</worksheet>')


@dataclass(frozen=True)
class Part:
    """A compressed file of the package: raw deflate data with its CRC-32 and uncompressed size."""

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, text: str | bytes) -> "Part":
        raw = text.encode("utf-8") if isinstance(text, str) else text
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        return cls(comp.compress(raw) + comp.flush(), zlib.crc32(raw), len(raw))


_STYLES = (
    f'{_XML_DECL}<styleSheet xmlns="{_MAIN_NS}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><color rgb="FFFFFFFF"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FF1F4E79"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills>'
    '<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>'
    '<border><left/><right/><top/><bottom style="thin"><color rgb="FF999999"/></bottom><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"'
    ' applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>')


def workbook_bytes(sheets: Sequence[tuple[str, Part]], *, title: str, creator: str, date: str) -> bytes:
    """A whole .xlsx package: ``sheets`` as (sheet title, compressed worksheet part), in tab order.
    ``date`` (YYYY-MM-DD) becomes the document's created and modified time."""
    n = len(sheets)
    stamp = f"{date}T00:00:00Z"
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{k}.xml" ContentType="application/'
                        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for k in range(1, n + 1))
    content_types = (
        f'{_XML_DECL}<Types xmlns="{_CT_NS}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'{overrides}'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')
    root_rels = (
        f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
        f'<Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{_REL_NS}/extended-properties" Target="docProps/app.xml"/>'
        '</Relationships>')
    core = (
        f'{_XML_DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:title>{cell_text(title)}</dc:title><dc:creator>{cell_text(creator)}</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    app = (f'{_XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
           'extended-properties"><Application>powerlist</Application></Properties>')
    sheet_list = "".join(f'<sheet name={quoteattr(name)} sheetId="{k}" r:id="rId{k}"/>'
                         for k, (name, _) in enumerate(sheets, 1))
    workbook = (f'{_XML_DECL}<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
                f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheet_list}</sheets></workbook>')
    wb_rels = (f'{_XML_DECL}<Relationships xmlns="{_PKG_REL_NS}">'
               + "".join(f'<Relationship Id="rId{k}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{k}.xml"/>'
                         for k in range(1, n + 1))
               + f'<Relationship Id="rId{n + 1}" Type="{_REL_NS}/styles" Target="styles.xml"/></Relationships>')
    entries: list[tuple[str, Part]] = [
        ("[Content_Types].xml", Part.of(content_types)),
        ("_rels/.rels", Part.of(root_rels)),
        ("docProps/app.xml", Part.of(app)),
        ("docProps/core.xml", Part.of(core)),
        ("xl/workbook.xml", Part.of(workbook)),
        ("xl/_rels/workbook.xml.rels", Part.of(wb_rels)),
        ("xl/styles.xml", Part.of(_STYLES)),
    ]
    entries += [(f"xl/worksheets/sheet{k}.xml", part) for k, (_, part) in enumerate(sheets, 1)]
    return zip_bytes(entries)


def zip_bytes(entries: Sequence[tuple[str, Part]]) -> bytes:
    """A zip archive of already deflated entries (ASCII names), every entry dated 2000-01-01 00:00."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, part in entries:
        fn = name.encode("ascii")
        if max(offset, len(part.data), part.size) > 0xFFFFFFFF:
            raise ValueError("workbook too large for a zip without zip64")
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, _DOS_TIME, _DOS_DATE, part.crc,
                            len(part.data), part.size, len(fn), 0) + fn
        central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 0x0314, 20, 0, 8, _DOS_TIME, _DOS_DATE,
                                   part.crc, len(part.data), part.size, len(fn), 0, 0, 0, 0, 0o600 << 16,
                                   offset) + fn)
        out += (local, part.data)
        offset += len(local) + len(part.data)
    cd = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), offset, 0)
    return b"".join(out) + cd + end


__all__ = ["Part", "cell_text", "xstring", "column_letters", "rows_xml", "workbook_bytes", "worksheet_xml", "zip_bytes"]

"""``powerlist import`` on hostile and careless input: every limit, every refusal, with its exact message.

Workbooks are made with openpyxl and then edited as zip/XML, so each test shows the one thing that is wrong.
Limits that would need big files are lowered with monkeypatch (the code reads them from the module that uses
them); the hostile cases in tests/cases/hostile/3-import-* run the real sizes through the real entry point.
"""
from __future__ import annotations

import os
import zipfile
from pathlib import Path
from typing import Callable

import pytest
import yaml
from openpyxl import Workbook

from exchange_data import empty_copy, write_data
from powerlist.cli.main import main
from powerlist.exchange import mapping as mapping_mod, table as table_mod, workbook as wb_mod
from powerlist.exchange.basis_text import cn_int, parse_basis
from powerlist.exchange.importer import ImportOptions, read_mapping, run_import
from powerlist.exchange.table import read_table
from powerlist.exchange.workbook import scan_xml
from powerlist.model.errors import InvalidData, UsageError

DEP = "370700-zjj"
HEAD = ["事项名称", "权力类别", "实施依据"]
ROW = ["建筑工程竣工验收备案", "行政许可", "《中华人民共和国建筑法》第七条"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return empty_copy(tmp_path / "data")


def book(path: Path, rows: list[list[object]], *, edit: Callable[[str, bytes], bytes] | None = None,
         title: str = "清单", more: Callable[[Workbook], None] | None = None) -> Path:
    """An .xlsx of ``rows`` on one sheet; ``edit(part, bytes)`` rewrites parts of the saved zip."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if more:
        more(wb)
    wb.save(path)
    if edit:
        tmp = path.with_suffix(".tmp")
        with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info.filename, edit(info.filename, zin.read(info)))
        os.replace(tmp, path)
    return path


def sheet_edit(fn: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: fn(data) if name == "xl/worksheets/sheet1.xml" else data


def merges(*refs: str) -> Callable[[str, bytes], bytes]:
    cells = b"".join(b'<mergeCell ref="%s"/>' % r.encode() for r in refs)
    return sheet_edit(lambda d: d.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">%s</mergeCells>'
                                          % (len(refs), cells)))


def usage(fn: Callable[[], object]) -> str:
    with pytest.raises(UsageError) as exc:
        fn()
    return str(exc.value)


def _items(root: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted((root / "items" / DEP).glob("3*.yaml"))}


# ---- merged ranges ----

def test_a_merge_to_excels_last_cell_is_clipped_to_the_data(root: Path, tmp_path: Path) -> None:
    p = book(tmp_path / "m.xlsx", [HEAD + ["备注"], ROW + ["见附件"]], edit=merges("D2:XFD1048576"))
    t = read_table(p)
    assert t.merges == [(1, 3, 1, 3)] and t.rows[1][3] == "见附件"
    r = run_import(p, ImportOptions(department=DEP, root=root))
    assert [e.data.get("remarks") for e in r.created] == ["见附件"]


def test_a_merge_fills_what_excel_shows(tmp_path: Path) -> None:
    p = book(tmp_path / "m.xlsx", [HEAD, ROW, ["", "", ""], ["x", "", ""]], edit=merges("B2:C3", "A3:A2"))
    t = read_table(p)   # A3:A2 is written backwards: Excel repairs it, so do we
    assert t.rows[1] == ["建筑工程竣工验收备案", "行政许可", "行政许可"]
    assert t.rows[2] == ["建筑工程竣工验收备案", "行政许可", "行政许可"]
    assert t.rows[3] == ["x", "", ""]
    assert t.merge_span(2, 2) == (1, 2) and t.merge_span(2, 0) == (1, 2) and t.merge_span(0, 0) is None


def test_overlapping_merges_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_mod, "MAX_CELLS", 20)
    p = book(tmp_path / "m.xlsx", [HEAD, ROW, ROW, ROW], edit=merges("A1:C4", "A1:C4"))
    assert usage(lambda: read_table(p)) == (f"{p}: the merged ranges overlap: together they cover more than 20 "
                                            "cells; the sheet is damaged")


@pytest.mark.parametrize("ref", ["A0:B2", "AAAA1:B2", "A1:B99999999", "XFE1:XFE2", "A1:", "x"])
def test_a_merge_outside_excels_grid_is_an_error(tmp_path: Path, ref: str) -> None:
    p = book(tmp_path / "m.xlsx", [HEAD, ROW], edit=merges(ref))
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: the merged range {ref.upper()!r} is not a range of "
                                            "Excel's grid; the sheet is damaged")


def test_too_many_merged_ranges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wb_mod, "MAX_MERGED_RANGES", 2)
    p = book(tmp_path / "m.xlsx", [HEAD, ROW], edit=merges("A1:A2", "B1:B2", "C1:C2"))
    assert usage(lambda: read_table(p)) == f"{p} [清单]: more than 2 merged ranges"


# ---- XML parts ----

def test_scan_xml_refuses_dtds_and_long_tokens() -> None:
    ok = b'<?xml version="1.0"?><a b="1"><c>' + b"x" * 400_000 + b"</c><!-- note --></a>"
    scan_xml("f.xlsx", "p", ok)   # long text is fine: XML parsers read text in pieces
    scan_xml("f.xlsx", "p", b"<a><![CDATA[" + b"y" * 400_000 + b"]]></a>")
    scan_xml("f.xlsx", "p", b"<a><!-- short -->" + b"z" * 400_000 + b"</a>")
    cases = {
        b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>': "f.xlsx: part p holds a document type declaration "
        "(<!DOCTYPE or <!ENTITY>), which a workbook never contains; save the sheet again from Excel or WPS",
        b"<a><!--" + b"<x>" * 100_000 + b"--></a>": "f.xlsx: part p holds an XML comment or instruction of "
        "300,007 bytes (at most 256 KiB); save the sheet again from Excel or WPS",
        b"<a><?pi " + b"x" * 300_000 + b"?></a>": "f.xlsx: part p holds an XML comment or instruction of "
        "300,007 bytes (at most 256 KiB); save the sheet again from Excel or WPS",
        b'<a><c r="' + b"1" * 300_000 + b'"/></a>': "f.xlsx: part p holds an XML tag longer than 256 KiB "
        "(at byte 3); save the sheet again from Excel or WPS",
        b'<a><c r="' + b">" * 300_000 + b'"/></a>': "f.xlsx: part p holds an XML tag longer than 256 KiB "
        "(at byte 3); save the sheet again from Excel or WPS",
        b"<a" + b" b" * 200_000: "f.xlsx: part p holds an XML tag longer than 256 KiB (at byte 0); save the "
        "sheet again from Excel or WPS",
        b"<a><!-- never closed": "f.xlsx: the workbook is damaged or incomplete (part p ends inside an XML "
        "comment or instruction); save it again from Excel or WPS, or copy it again",
        b" " * 300_000 + b"<a/>": "f.xlsx: the workbook is damaged or incomplete (part p is not XML); save it "
        "again from Excel or WPS, or copy it again",
    }
    for data, message in cases.items():
        with pytest.raises(UsageError) as exc:
            scan_xml("f.xlsx", "p", data)
        assert str(exc.value) == message, data[:40]


def test_scan_xml_counts_comments(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wb_mod, "MAX_SPECIAL_TOKENS", 3)
    scan_xml("f", "p", b"<?xml?><a><!--1--><!--2--></a>")
    with pytest.raises(UsageError, match="^f: part p holds more than 3 XML comments or instructions; "):
        scan_xml("f", "p", b"<?xml?><a><!--1--><!--2--><?x?></a>")


def test_a_huge_xml_comment_in_the_sheet_is_refused(root: Path, tmp_path: Path) -> None:
    p = book(tmp_path / "c.xlsx", [HEAD, ROW], edit=sheet_edit(lambda d: b"<!--" + os.urandom(150_000).hex().encode()
                                                               + b"-->" + d))
    assert usage(lambda: run_import(p, ImportOptions(department=DEP, root=root))) == (
        f"{p}: part xl/worksheets/sheet1.xml holds an XML comment or instruction of 300,007 bytes (at most 256 KiB);"
        " save the sheet again from Excel or WPS")


def test_parts_a_table_does_not_need_are_not_read(root: Path, tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        if name.startswith(("xl/comments", "xl/drawings", "docProps/", "xl/theme/")):
            return b"<!DOCTYPE x><not-xml"   # would be refused if it were read
        return data

    def comment(wb: Workbook) -> None:
        from openpyxl.comments import Comment
        wb.active["A2"].comment = Comment("说明", "编制人")

    p = book(tmp_path / "c.xlsx", [HEAD, ROW], edit=edit, more=comment)
    assert len(run_import(p, ImportOptions(department=DEP, root=root)).created) == 1


# ---- the zip ----

def test_a_zip_bomb_part_is_refused(tmp_path: Path) -> None:
    p = book(tmp_path / "z.xlsx", [HEAD, ROW], edit=sheet_edit(lambda d: d.replace(b"<sheetData>",
                                                                                   b"<sheetData>" + b" " * 3_000_000)))
    msg = usage(lambda: read_table(p))
    assert msg.startswith(f"{p}: part xl/worksheets/sheet1.xml would expand ")
    assert msg.endswith(" times (at most 100): this is a zip bomb, not a workbook")


def test_part_size_entries_and_directory_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = book(tmp_path / "z.xlsx", [HEAD, ROW])
    size = zipfile.ZipFile(p).getinfo("[Content_Types].xml").file_size
    monkeypatch.setattr(wb_mod, "MAX_OTHER_PART_BYTES", size - 1)
    assert usage(lambda: read_table(p)) == (f"{p}: part [Content_Types].xml is {size:,} bytes uncompressed (at most "
                                            f"{size - 1:,} bytes is read)")
    monkeypatch.undo()
    count = len(zipfile.ZipFile(p).infolist())
    monkeypatch.setattr(wb_mod, "MAX_ZIP_ENTRIES", count - 1)
    assert usage(lambda: read_table(p)) == f"{p}: the workbook holds {count:,} parts (at most {count - 1:,})"
    monkeypatch.setattr(wb_mod, "MAX_ZIP_ENTRIES", 10_000)
    monkeypatch.setattr(wb_mod, "MAX_DIRECTORY_BYTES", 100)
    assert usage(lambda: read_table(p)).startswith(f"{p}: the workbook's zip directory is ")


def test_an_encrypted_zip_entry_is_refused(tmp_path: Path) -> None:
    p = book(tmp_path / "e.xlsx", [HEAD, ROW])
    data = bytearray(p.read_bytes())
    at = data.index(b"PK\x01\x02")           # first central directory entry: set its 'encrypted' flag
    while at >= 0:
        data[at + 8] |= 1
        at = data.find(b"PK\x01\x02", at + 4)
    p.write_bytes(bytes(data))
    assert usage(lambda: read_table(p)).startswith(f"{p}: the workbook is protected with a password (encrypted)")


def test_truncated_and_damaged_workbooks(tmp_path: Path) -> None:
    p = book(tmp_path / "t.xlsx", [HEAD] + [[f"事项{i}", "行政许可", "建筑法第七条"] for i in range(300)])
    data = p.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[:len(data) // 2])
    assert usage(lambda: read_table(cut)) == (f"{cut}: the workbook is damaged or incomplete (the zip directory at "
                                              "its end is missing: the file was cut short); save it again from "
                                              "Excel or WPS, or copy it again")
    info = zipfile.ZipFile(p).getinfo("xl/worksheets/sheet1.xml")
    at = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data[:at] + bytes(64) + data[at + 64:])
    assert usage(lambda: read_table(bad)).startswith(f"{bad}: the workbook is damaged or incomplete (part "
                                                     "xl/worksheets/sheet1.xml: ")


@pytest.mark.parametrize("content, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptionInfo".encode("utf-16-le"),
     "the workbook is protected with a password (encrypted); open it in Excel, remove the password "
     "(文件 → 信息 → 保护工作簿 → 用密码进行加密) and save it as .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "this is an old Excel 97-2003 (.xls) or other binary Office file, not .xlsx; open it in Excel or WPS and "
     "save it as .xlsx (另存为 Excel 工作簿)"),
    ("事项名称,权力类别\n甲,行政许可\n".encode("gbk"),
     "this is a text file, not an .xlsx workbook; if it is a CSV list, name it .csv"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "not an .xlsx workbook (the file is not a zip package); open it in Excel or WPS and save it as .xlsx"),
    (b"", "the file is empty (0 bytes); save the workbook again"),
])
def test_files_that_are_not_workbooks(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "x.xlsx"
    p.write_bytes(content)
    assert usage(lambda: read_table(p)) == f"{p}: {message}"


def test_a_zip_without_a_workbook(tmp_path: Path) -> None:
    p = tmp_path / "doc.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
    assert usage(lambda: read_table(p)) == (f"{p}: no workbook in the file (a Word or PowerPoint document named "
                                            ".xlsx?); give an Excel .xlsx workbook")
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("a.txt", "x")
    assert usage(lambda: read_table(p)) == (f"{p}: the workbook is damaged or incomplete (no [Content_Types].xml: "
                                            "not an Office package); save it again from Excel or WPS, or copy it "
                                            "again")


# ---- sheets ----

def test_sheets_chart_sheets_and_the_sheet_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def more(wb: Workbook) -> None:
        wb.create_chartsheet("图表")
        other = wb.create_sheet("行政处罚")
        other.append(HEAD)

    p = book(tmp_path / "s.xlsx", [HEAD, ROW], more=more)
    assert read_table(p).other_sheets == ["行政处罚"]
    assert read_table(p, "行政处罚").rows == [HEAD]
    assert usage(lambda: read_table(p, "图表")) == (f"{p}: sheet '图表' is not a worksheet (a chart sheet?); the "
                                                    "worksheets are: 清单, 行政处罚")
    assert usage(lambda: read_table(p, "无")) == f"{p}: no sheet named '无'; the sheets are: 清单, 行政处罚"
    monkeypatch.setattr(wb_mod, "MAX_SHEETS", 2)
    assert usage(lambda: read_table(p)) == f"{p}: the workbook lists 3 sheets (at most 2)"


# ---- rows, columns, cells ----

def test_rows_columns_and_area_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = book(tmp_path / "r.xlsx", [HEAD] + [ROW] * 5)
    monkeypatch.setattr(wb_mod, "MAX_ROWS", 4)
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: row 5 holds data; at most 4 rows are read (delete what "
                                            "lies below the list, or split the list)")
    monkeypatch.setattr(wb_mod, "MAX_ROWS", 100)
    monkeypatch.setattr(wb_mod, "MAX_COLUMNS", 2)
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: row 1 holds data in column C; at most 2 columns (B) are "
                                            "read (delete what lies right of the list)")
    monkeypatch.setattr(wb_mod, "MAX_COLUMNS", 100)
    monkeypatch.setattr(wb_mod, "MAX_CELLS", 10)
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: the data reaches row 4 and column C: more than 10 cells "
                                            "(delete what lies below or right of the list, or split the list)")


def test_formatted_empty_cells_far_away_are_not_data(tmp_path: Path) -> None:
    from openpyxl.styles import PatternFill

    def more(wb: Workbook) -> None:
        wb.active["XFD900000"].fill = PatternFill("solid", fgColor="FFFF00")

    t = read_table(book(tmp_path / "f.xlsx", [HEAD, ROW], more=more))
    assert t.rows == [HEAD, ROW]


def test_row_numbers_and_cells_beyond_excel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = book(tmp_path / "n.xlsx", [HEAD, ROW], edit=sheet_edit(lambda d: d.replace(b'<row r="2"', b'<row r="2000000"')))
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: row number 2,000,000 is beyond Excel's last row "
                                            "(1,048,576); the sheet is damaged")
    cells = b"<c/>" * 300
    p = book(tmp_path / "w.xlsx", [HEAD, ROW], edit=sheet_edit(lambda d: d.replace(b"</row>", cells + b"</row>", 1)))
    monkeypatch.setattr(wb_mod, "EXCEL_COLUMNS", 30)
    assert usage(lambda: read_table(p)) == (f"{p} [清单]: row element 1 holds more than 30 cells, more than Excel "
                                            "allows; the sheet is damaged")
    monkeypatch.setattr(wb_mod, "MAX_XML_CELLS", 100)
    assert usage(lambda: read_table(p)).startswith(f"{p} [清单]: the sheet holds more than 100 cells (formatted "
                                                   "empty cells count too); ")


def test_long_cells_and_excel_errors_make_their_row_need_attention(root: Path, tmp_path: Path) -> None:
    long = ("长" * 40_000).encode()   # openpyxl cuts what it writes to 32,767 characters: write the XML
    p = book(tmp_path / "l.xlsx", [HEAD + ["内部编号"], ["LONG", "行政许可", ROW[2], ""], ["施工许可", "#N/A", ROW[2], ""],
                                   ["竣工备案", "行政许可", ROW[2], "LONG"]],
             edit=sheet_edit(lambda d: d.replace(b">LONG<", b">" + long + b"<")))
    r = run_import(p, ImportOptions(department=DEP, root=root))
    attention = {e.row: e.messages for e in r.attention}
    assert attention[2] == ["事项名称 (column A): the cell holds 40,000 characters; a cell holds at most 32,767 "
                            "(Excel's limit)"]
    assert "权力类别 (column B): the cell holds the Excel error #N/A; correct the formula or type the value in" \
        in attention[3]
    assert [e.row for e in r.created] == [4]   # a long cell in a column not imported does not matter


def test_formulas_dates_and_numbers(root: Path, tmp_path: Path) -> None:
    import datetime as dt

    p = book(tmp_path / "f.xlsx", [HEAD + ["状态", "调整文件", "调整日期"],
                                   [12345, "行政许可", ROW[2], "取消", "国发〔2020〕5号", dt.datetime(2020, 5, 1)],
                                   ["=A2&\"x\"", "行政许可", ROW[2], "", "", ""]])
    r = run_import(p, ImportOptions(department=DEP, root=root))
    assert [(e.data["name"], e.data["decision"]["date"]) for e in r.created] == [("12345", "2020-05-01")]
    assert [(e.row, e.messages) for e in r.attention] == [(3, ["事项名称 is empty"])]  # no cached value: reported


def test_the_report_names_rows_and_columns_not_imported(root: Path, tmp_path: Path) -> None:
    def more(wb: Workbook) -> None:
        ws = wb.active
        ws.merge_cells("A6:E6")
        wb.create_sheet("行政处罚")

    p = book(tmp_path / "r.xlsx", [HEAD + ["备注"], ROW + ["", "多余"], HEAD + ["备注"], ["施工许可"] + ROW[1:] + [""],
                                   [], ["注：本表由市住建局编制。"]], more=more)
    lines = list(run_import(p, ImportOptions(department=DEP, root=root, dry_run=True)).report_lines())
    assert lines[1:5] == [
        "  rows not read as items (the header repeated): 3",
        "  rows not read as items (a note merged across the sheet): 6",
        "  note: sheet '清单': columns without a header hold data that is not imported: E (first in row 2) (give "
        "them a header)",
        "  note: sheets without a header naming 事项名称 in their first rows (not read): 行政处罚",
    ]


# ---- the file ----

def test_only_regular_files_within_the_size_limit(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    assert usage(lambda: read_table(fifo)) == (f"{fifo}: is not a regular file (a device, FIFO or socket); only "
                                               "regular files are read")
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert usage(lambda: read_table(folder)) == f"{folder}: is a folder; give the file itself"
    assert usage(lambda: read_table(tmp_path / "none.csv")) == f"file not found: {tmp_path / 'none.csv'}"
    p = tmp_path / "big.csv"
    p.write_text("事项名称\n甲\n", "utf-8")
    monkeypatch.setattr(table_mod, "MAX_INPUT_BYTES", 5)
    assert usage(lambda: read_table(p)) == f"{p}: the file is 17 bytes; at most 5 bytes is read"


# ---- CSV ----

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig", "gb18030"])
def test_csv_encodings_with_byte_order_marks(root: Path, tmp_path: Path, encoding: str) -> None:
    text = "事项名称,权力类别,实施依据\n施工许可,行政许可,《中华人民共和国建筑法》第七条\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    p = tmp_path / "l.csv"
    p.write_bytes(data)
    [e] = run_import(p, ImportOptions(department=DEP, root=root)).created
    assert e.data["name"] == "施工许可"


def test_broken_csv_files(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    cases = {
        "事项名称,权力类别\n甲,行政许可\n".encode("utf-16-le"):
            "the file holds NUL bytes (the first at offset 9): it is UTF-16 without a byte-order mark, or not a "
            "text file; save it as 'CSV UTF-8' (or give --encoding utf-16-le)",
        b"\xff\xfe\x00\xd8a\x00":
            "the file starts with a UTF-16 byte-order mark but is not valid UTF-16 (byte 2 cannot be decoded); "
            "save it again as 'CSV UTF-8'",
        '事项名称,权力类别\n"甲,行政许可\n乙,行政许可\n'.encode():
            "the row starting on line 2 never ends: a quote (\") opened there is not closed",
        '事项名称,权力类别\n"甲"乙,行政许可\n'.encode():
            "line 2: ',' expected after '\"' (a quote (\") inside a quoted cell must be doubled: \"\")",
        ("事项名称" + ",x" * 300 + "\n").encode():
            "row 1 has 301 columns; at most 256 are read (is the delimiter ',' right?)",
        b"PK\x03\x04rest": "this is an Excel workbook (.xlsx), not a CSV file; name it .xlsx",
    }
    for data, message in cases.items():
        p.write_bytes(data)
        assert usage(lambda: read_table(p)) == f"{p}: {message}", data[:30]
    p.write_bytes("事项名称\n甲\n".encode("latin-1", "replace") + b"\x00")
    assert usage(lambda: read_table(p, encoding="latin-1")) == (f"{p}: the text holds a NUL character (line 3): not "
                                                                "a text file, or the wrong --encoding")


def test_csv_very_long_cells_and_many_rows(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = tmp_path / "l.csv"
    p.write_text("事项名称,权力类别,实施依据\n" + "甲" * 200_000 + ",行政许可,建筑法第七条\n施工许可,行政许可,建筑法第七条\n",
                 "utf-8")
    r = run_import(p, ImportOptions(department=DEP, root=root))
    assert [e.messages for e in r.attention] == [["事项名称 (column A): the cell holds 200,000 characters; a cell "
                                                  "holds at most 32,767 (Excel's limit)"]]
    assert [e.data["name"] for e in r.created] == ["施工许可"]
    monkeypatch.setattr(table_mod, "MAX_ROWS", 2)
    assert usage(lambda: read_table(p)) == f"{p}: row 3 holds data; at most 2 rows are read (split the list)"


# ---- the --mapping file ----

def test_mapping_files(tmp_path: Path) -> None:
    m = tmp_path / "map.yaml"
    m.write_text("审批项目: name\n法规条款: basis\n", "utf-8")
    assert read_mapping(m).columns == {"审批项目": "name", "法规条款": "basis"}
    tail = ("\nA mapping file maps column names to fields, one per line, e.g. '审批项目名称: name' (and may have "
            "'departments:' and 'values:' sections)")
    m.write_bytes("# 列名\n审批项目: name\n".encode("gbk"))
    assert usage(lambda: read_mapping(m)) == (
        f"{m}:1:3: the mapping file is not UTF-8 (it looks like GBK/GB18030, as Windows Notepad saves Chinese "
        "text): byte 0xc1 cannot be decoded; save it as UTF-8 (另存为, 编码 UTF-8)")
    m.write_text("审批项目: name\n类别:\n依据: [basis]\n说明: 12\n编号: nonsense\n", "utf-8")
    fields = "accountability basis category code contact.consult contact.supervise decision.date " \
             "decision.document decision.to department department_name fee.charged fee.items handling ignore " \
             "levels name office parent remarks responsibilities seq source source_code status structured " \
             "sub_code sub_name summary time_limit.promised time_limit.statutory"
    assert usage(lambda: read_mapping(m)) == "\n".join([
        f"{m}:2:4: '类别' names no field; write one of: {fields}",
        f"{m}:3:5: '依据': the field must be one word, one of: {fields}",
        f"{m}:4:5: '说明': the field must be one word, one of: {fields}",
        f"{m}:5:5: '编号: nonsense': unknown field 'nonsense'; one of: {fields}",
    ]) + tail
    m.write_text("- 审批项目\n- name\n", "utf-8")
    assert usage(lambda: read_mapping(m)).startswith(f"{m}:1:1: the file must hold a mapping")
    m.write_text('a: &x [1, 2]\n审批项目: *x\n', "utf-8")
    assert "YAML anchors and aliases (&name / *name) are not allowed" in usage(lambda: read_mapping(m))


def test_mapping_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = tmp_path / "map.yaml"
    m.write_text("".join(f"列{i}: ignore\n" for i in range(5)), "utf-8")
    monkeypatch.setattr(mapping_mod, "MAX_MAPPING_ENTRIES", 4)
    assert usage(lambda: read_mapping(m)) == f"{m}: 5 column names; a mapping file holds at most 4"
    monkeypatch.setattr(mapping_mod, "MAX_MAPPING_BYTES", 10)
    assert usage(lambda: read_mapping(m)) == f"{m}: the mapping file is 65 bytes; at most 10 bytes is read"
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    assert usage(lambda: read_mapping(fifo)) == (f"{fifo}: is not a regular file (a device, FIFO or socket); only "
                                                 "regular files are read")


def test_cli_mapping_problem_is_exit_2(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = book(tmp_path / "l.xlsx", [HEAD, ROW])
    m = tmp_path / "map.yaml"
    m.write_bytes("审批项目: name\n".encode("gbk"))
    assert main(["import", str(src), "--department", DEP, "--root", str(root), "--mapping", str(m)]) == 2
    assert capsys.readouterr().err.startswith(f"powerlist: error: {m}:1:1: the mapping file is not UTF-8")


# ---- the data folder the importer reads ----

def test_unreadable_data_files_stop_the_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_data(tmp_path / "data")
    src = book(tmp_path / "l.xlsx", [HEAD, ROW])
    item = root / "items" / DEP / "370700-XK-00009.yaml"
    item.write_text("code: 370700-XK-00009\nname: &n 甲\ncategory: *n\n", "utf-8")
    (root / "laws" / "gbk.yaml").write_bytes("id: gbk\ntitle: 条例\n".encode("gbk"))
    before = sorted(p.name for p in (root / "items" / DEP).iterdir())
    with pytest.raises(InvalidData) as exc:
        run_import(src, ImportOptions(department=DEP, root=root))
    msgs = [p.format() for p in exc.value.problems]
    assert msgs == [
        "items/370700-zjj/370700-XK-00009.yaml:2:7: YAML anchors and aliases (&name / *name) are not allowed; "
        "write the value out (the import reads this file: fix it first; nothing was imported)",
        "laws/gbk.yaml:2:8: the file is not UTF-8 (byte 0xcc cannot be decoded); save it as UTF-8 (GBK/GB2312 "
        "files must be converted) (the import reads this file: fix it first; nothing was imported)",
    ]
    assert sorted(p.name for p in (root / "items" / DEP).iterdir()) == before
    assert main(["import", str(src), "--department", DEP, "--root", str(root)]) == 1
    assert "nothing was imported" in capsys.readouterr().err


def test_a_fifo_among_the_items_does_not_hang(tmp_path: Path) -> None:
    root = write_data(tmp_path / "data")
    os.mkfifo(root / "items" / DEP / "370700-XK-00009.yaml")
    with pytest.raises(InvalidData) as exc:
        run_import(book(tmp_path / "l.xlsx", [HEAD, ROW]), ImportOptions(department=DEP, root=root))
    assert [p.format() for p in exc.value.problems] == [
        "items/370700-zjj/370700-XK-00009.yaml: a named pipe (FIFO) is not a data file; only regular files are read "
        "(the import reads this file: fix it first; nothing was imported)"]


def test_a_broken_department_file(tmp_path: Path) -> None:
    root = empty_copy(tmp_path / "data")
    (root / "items" / DEP / "_department.yaml").write_text("id: [\n", "utf-8")
    with pytest.raises(InvalidData) as exc:
        run_import(book(tmp_path / "l.xlsx", [HEAD, ROW]), ImportOptions(department=DEP, root=root))
    [problem] = exc.value.problems
    assert problem.file == "items/370700-zjj/_department.yaml"
    assert problem.message.endswith("(the import reads this file: fix it first; nothing was imported)")


# ---- cells that would cost time ----

def test_basis_cells_with_too_many_parts_or_huge_numbers(root: Path, tmp_path: Path) -> None:
    many = "\n".join(["《中华人民共和国建筑法》第七条"] * 201)
    assert len(parse_basis(many).citations) == 201
    assert cn_int("一" * 13) is None
    huge = parse_basis("《中华人民共和国建筑法》第" + "万" * 5000 + "条")   # no article number: read as text
    assert [(c.title, c.article) for c in huge.citations] == [("中华人民共和国建筑法", None)]
    p = tmp_path / "b.csv"
    p.write_text("事项名称,权力类别,实施依据\n甲," + "(" * 30_000 + ',"' + many + '"\n', "utf-8")
    [e] = run_import(p, ImportOptions(department=DEP, root=root)).attention
    assert e.messages[0].startswith("权力类别 '((((((") and e.messages[0].endswith("…' is not one of 行政许可、"
                                                                               "行政处罚、行政强制、行政征收、行政给付、行政检查、"
                                                                               "行政确认、行政奖励、行政裁决、其他行政权力")
    assert "实施依据: 201 citations in one cell; at most 200 are read (is this the right column?)" in e.messages


def test_a_header_cell_of_brackets_is_no_column(tmp_path: Path) -> None:
    from powerlist.exchange.columns import field_for

    assert field_for("(" * 100_000) is None
    assert field_for("事项名称（必填）") == "name"


def test_header_row_must_be_positive(root: Path, tmp_path: Path) -> None:
    p = book(tmp_path / "l.xlsx", [HEAD, ROW])
    assert usage(lambda: run_import(p, ImportOptions(department=DEP, root=root, header_row=0))) == (
        "--header-row 0: rows are numbered from 1")


def test_a_failed_write_says_what_was_written(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    p = book(tmp_path / "l.xlsx", [HEAD, ROW, ["施工许可"] + ROW[1:]])
    real = os.replace
    calls: list[str] = []

    def replace(src: str | Path, dst: str | Path) -> None:   # the disk fills up at the second item
        calls.append(str(dst))
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    msg = usage(lambda: run_import(p, ImportOptions(department=DEP, root=root)))
    assert msg == ("cannot write items/370700-zjj/370700-XK-00002.yaml: No space left on device; 1 file(s) "
                   "were written before it, e.g. items/370700-zjj/370700-XK-00001.yaml")
    assert sorted(x.name for x in (root / "items" / DEP).iterdir()) == ["370700-XK-00001.yaml", "_department.yaml"]


@pytest.mark.parametrize("ref", [b"A1:XFD1048576", b"A1:A1", b"B7"])
def test_the_declared_dimension_is_not_trusted(tmp_path: Path, ref: bytes) -> None:
    p = book(tmp_path / "d.xlsx", [HEAD, ROW], edit=sheet_edit(lambda d: d.replace(b'<dimension ref="A1:C2"/>',
                                                                                   b'<dimension ref="' + ref + b'"/>')))
    assert b'<dimension ref="' + ref in zipfile.ZipFile(p).read("xl/worksheets/sheet1.xml")
    assert read_table(p).rows == [HEAD, ROW]


def raw_book(path: Path, rows: list[list[str]]) -> Path:
    """A minimal workbook written by hand, as other tools write them: shared strings, an 'x:' prefix for the
    spreadsheet namespace, no styles, no document properties."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate(rows, 1):
        cells = []
        for c, v in enumerate(row):
            strings.append(v)
            cells.append(f'<x:c r="{chr(65 + c)}{r}" t="s"><x:v>{len(strings) - 1}</x:v></x:c>')
        xml_rows.append(f'<x:row r="{r}">{"".join(cells)}</x:row>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                   'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/strings.xml" ContentType="application/vnd.'
                   'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("xl/workbook.xml", f'<x:workbook xmlns:x="{ns}" xmlns:r="{rel}"><x:sheets><x:sheet name="表" '
                   'sheetId="1" r:id="rId1"/></x:sheets></x:workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                   f'relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="/xl/s/one.xml"/>'
                   '</Relationships>')
        z.writestr("xl/s/one.xml", f'<x:worksheet xmlns:x="{ns}"><x:sheetData>{"".join(xml_rows)}</x:sheetData>'
                   '<x:mergeCells count="1"><x:mergeCell ref="C2:C3"/></x:mergeCells></x:worksheet>')
        z.writestr("xl/strings.xml", f'<x:sst xmlns:x="{ns}">'
                   + "".join(f"<x:si><x:t>{v}</x:t></x:si>" for v in strings) + "</x:sst>")
    return path


def test_a_hand_written_workbook_and_the_shared_strings_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = raw_book(tmp_path / "s.xlsx", [HEAD, ROW, ["施工许可", "行政许可", ""]])
    t = read_table(p)
    assert (t.sheet, t.rows) == ("表", [HEAD, ROW, ["施工许可", "行政许可", ROW[2]]])
    monkeypatch.setattr(wb_mod, "MAX_SHARED_STRINGS", 8)
    assert usage(lambda: read_table(p)) == f"{p}: part xl/strings.xml holds more than 8 strings"
    monkeypatch.setattr(wb_mod, "MAX_SHARED_STRINGS", 100)
    monkeypatch.setattr(wb_mod, "MAX_XML_CELLS", 8)
    assert usage(lambda: read_table(p)).startswith(f"{p} [表]: the sheet holds more than 8 cells")


def test_styles_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    p = book(tmp_path / "s.xlsx", [HEAD, ROW])
    tags = zipfile.ZipFile(p).read("xl/styles.xml").count(b"<")
    monkeypatch.setattr(wb_mod, "MAX_OTHER_PART_TAGS", tags - 1)
    assert usage(lambda: read_table(p)) == (f"{p}: part xl/styles.xml holds more than {tags - 1:,} XML tags (too many "
                                            "cell formats); copy just the list into a new workbook (选择性粘贴 → 数值) "
                                            "and import that")
    monkeypatch.setattr(wb_mod, "MAX_OTHER_PART_TAGS", tags)
    assert read_table(p).rows == [HEAD, ROW]


def test_strict_open_xml_is_named(tmp_path: Path) -> None:
    p = book(tmp_path / "s.xlsx", [HEAD, ROW], edit=lambda name, d: d.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        b"http://purl.oclc.org/ooxml/spreadsheetml/main") if name == "xl/workbook.xml" else d)
    assert usage(lambda: read_table(p)) == (f"{p}: the workbook is saved as 'Strict Open XML', which cannot be read; "
                                            "save it again as a normal Excel workbook (.xlsx)")


def test_tsv_with_a_title_line(root: Path, tmp_path: Path) -> None:
    p = tmp_path / "l.tsv"
    p.write_text("潍坊市行政权力清单\n" + "\t".join(HEAD) + "\n" + "\t".join(ROW) + "\n", "utf-8")
    assert [e.data["name"] for e in run_import(p, ImportOptions(department=DEP, root=root)).created] == [ROW[0]]


def test_a_fifo_department_file_does_not_hang(tmp_path: Path) -> None:
    root = empty_copy(tmp_path / "data")
    dep = root / "items" / DEP / "_department.yaml"
    dep.unlink()
    os.mkfifo(dep)
    with pytest.raises(InvalidData) as exc:
        run_import(book(tmp_path / "l.xlsx", [HEAD, ROW]), ImportOptions(department=DEP, root=root))
    assert [p.format() for p in exc.value.problems] == [
        "items/370700-zjj/_department.yaml: a named pipe (FIFO) is not a data file; only regular files are read "
        "(the import reads this file: fix it first; nothing was imported)"]

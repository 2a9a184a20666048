from __future__ import annotations

import csv
import hashlib
import io
import re
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl import load_workbook

from exchange_data import DEPARTMENTS, ITEMS, write_data
from hostile_text import APOSTROPHE_DEPARTMENT, LONG_REMARKS, NASTY, decode_xstring, with_fields
from powerlist.cli.main import main
from powerlist.exchange.columns import EXPORT_HEADERS
from powerlist.exchange.contribution import site_contribution, write_exports
from powerlist.exchange.export import (CUT_MARK, XLSX_CELL_MAX, ExportCounter, all_exports, check_counts,
                                       export_bytes, neutralise, sheet_title, xlsx_cell)
from powerlist.exchange.xlsx import column_letters, rows_xml, xstring
from powerlist.model.catalog import Catalog
from powerlist.model.errors import PowerlistError
from powerlist.output.contribution import BuildContext
from powerlist.source.load import load_catalog

SCHEMA = Path(__file__).resolve().parents[1] / "powerlist" / "schema" / "item.schema.json"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_data(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def catalog(root: Path) -> Catalog:
    return load_catalog(root)


@pytest.fixture(scope="module")
def files(catalog: Catalog) -> dict[str, bytes]:
    return all_exports(catalog, commit="0" * 40, commit_date="2024-03-05T10:00:00+08:00")


def test_every_file_is_there(files: dict[str, bytes]) -> None:
    expected = {"data/items.json", "data/items.ndjson", "data/items.ndjson.sha256", "data/items.csv",
                "data/items.xlsx", "api/departments.json", "api/laws.json"}
    expected |= {f"data/departments/{d}.{ext}" for d in DEPARTMENTS for ext in ("csv", "xlsx")}
    expected |= {f"api/items/{it['code']}.json" for it in ITEMS}
    assert set(files) == expected


def test_counts_equal_the_catalog(files: dict[str, bytes], catalog: Catalog) -> None:
    n = len(catalog.items)
    doc = json.loads(files["data/items.json"])
    assert doc["count"] == len(doc["items"]) == n
    assert [r["item"]["code"] for r in doc["items"]] == list(catalog.items)
    assert len(files["data/items.ndjson"].decode().splitlines()) == n
    rows = list(csv.reader(io.StringIO(files["data/items.csv"].decode("utf-8-sig"))))
    assert len(rows) == n + 1
    wb = load_workbook(io.BytesIO(files["data/items.xlsx"]))
    assert sum(ws.max_row - 1 for ws in wb.worksheets[1:]) == n
    deps = json.loads(files["api/departments.json"])
    assert sum(d["derived"]["item_count"] for d in deps["departments"]) == n


def test_json_items_validate_against_the_published_schema(files: dict[str, bytes], catalog: Catalog) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    if not SCHEMA.is_file():
        pytest.skip("item.schema.json not written yet")
    validator = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8")))
    records = json.loads(files["data/items.json"])["items"]
    records += [json.loads(line) for line in files["data/items.ndjson"].decode().splitlines()]
    records += [json.loads(b) for p, b in files.items() if p.startswith("api/items/")]
    assert len(records) == 3 * len(catalog.items)
    for rec in records:
        errors = list(validator.iter_errors(rec["item"]))
        assert not errors, (rec["item"]["code"], [e.message for e in errors])
    # and the schema is not vacuous: a wrong record fails
    bad = dict(records[0]["item"], category="不存在的类别")
    assert list(validator.iter_errors(bad))


def test_api_item_has_derived_fields(files: dict[str, bytes]) -> None:
    rec = json.loads(files["api/items/370700-XK-00001.json"])
    assert rec["item"]["code"] == "370700-XK-00001"
    assert rec["derived"]["department_name"] == "潍坊市住房和城乡建设局"
    assert rec["derived"]["basis_text"] == ["《中华人民共和国建筑法》第七条",
                                            "《中华人民共和国行政许可法》第十二条第一款第（二）项（依法应当取得许可的情形）"]
    assert rec["derived"]["children"] == ["370700-XK-00001-001"]
    sub = json.loads(files["api/items/370700-XK-00001-001.json"])
    assert sub["derived"]["parent_name"] == "建筑工程施工许可证核发"
    laws = json.loads(files["api/laws.json"])
    jz = next(x for x in laws["laws"] if x["law"]["id"] == "jianzhufa")
    assert jz["derived"]["cited_articles"] == [7, 64]
    assert jz["law"]["articles"]["7"].startswith("建筑工程开工前")


def test_ndjson_checksum(files: dict[str, bytes]) -> None:
    digest = hashlib.sha256(files["data/items.ndjson"]).hexdigest()
    assert files["data/items.ndjson.sha256"] == f"{digest}  items.ndjson\n".encode()


def test_csv_is_utf8_with_bom_and_neutralises_formulas(files: dict[str, bytes]) -> None:
    raw = files["data/items.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    by_code = {r["事项编码"]: r for r in rows}
    assert by_code["370700-XK-00001"]["备注"] == "'=SUM(A1:A2) 不应被执行"
    assert by_code["370700-QT-00001"]["事项名称"] == "'-危险名称+测试"
    assert by_code["370700-QT-00001"]["调整文件"] == "'@国发〔2020〕5号"
    assert by_code["370700-XK-00001"]["咨询电话"] == "0536-1234567"  # not at the start: untouched
    for r in rows:
        assert not any(v.startswith(("=", "+", "-", "@", "\t", "\r")) for v in r.values())


@pytest.mark.parametrize("value,expected", [("=1+1", "'=1+1"), ("+86", "'+86"), ("-x", "'-x"), ("@a", "'@a"),
                                            ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=b", "a=b"), ("", "")])
def test_neutralise(value: str, expected: str) -> None:
    assert neutralise(value) == expected


def test_xlsx_is_a_real_workbook_without_formulas(files: dict[str, bytes]) -> None:
    wb = load_workbook(io.BytesIO(files["data/items.xlsx"]))
    assert wb.sheetnames == ["总览", "潍坊市住房和城乡建设局", "潍城区住房和城乡建设局"]
    ws = wb["潍坊市住房和城乡建设局"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].value == "序号" and ws["A1"].font.bold
    values = []
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    values.append(c.value)
    # inline strings are never run as formulas: the text is shown as written, with no guard quote (CSV keeps it)
    assert "=SUM(A1:A2) 不应被执行" in values
    assert "-危险名称+测试" in values and "@国发〔2020〕5号" in values
    assert not any(v.startswith("'") for v in values)
    raw = zipfile.ZipFile(io.BytesIO(files["data/items.xlsx"])).read("xl/worksheets/sheet2.xml").decode()
    assert ' t="inlineStr"><is><t>=SUM(A1:A2) 不应被执行</t></is></c>' in raw and "<f>" not in raw
    overview = wb["总览"]
    assert overview["A1"].value == "部门代码"
    assert [r[3] for r in overview.iter_rows(min_row=2, values_only=True)] == [4, 1, 5]


def test_exports_are_deterministic(catalog: Catalog, files: dict[str, bytes]) -> None:
    again = all_exports(catalog, commit="0" * 40, commit_date="2024-03-05T10:00:00+08:00")
    assert again == files
    z = zipfile.ZipFile(io.BytesIO(files["data/items.xlsx"]))
    assert all(i.date_time == (2000, 1, 1, 0, 0, 0) for i in z.infolist())
    core = z.read("docProps/core.xml").decode()
    assert "2024-03-05T00:00:00Z" in core
    plain = export_bytes(catalog, "xlsx")
    assert plain == export_bytes(catalog, "xlsx")
    assert "2000-01-01T00:00:00Z" in zipfile.ZipFile(io.BytesIO(plain)).read("docProps/core.xml").decode()


def test_xlsx_package_is_well_formed(files: dict[str, bytes]) -> None:
    from lxml import etree

    for path in ("data/items.xlsx", "data/departments/370700-zjj.xlsx"):
        z = zipfile.ZipFile(io.BytesIO(files[path]))
        assert z.testzip() is None  # every entry's CRC and size agree with its data
        names = z.namelist()
        assert names[0] == "[Content_Types].xml" and len(names) == len(set(names))
        for name in names:
            etree.fromstring(z.read(name))  # raises on XML that is not well formed
        types = z.read("[Content_Types].xml").decode()
        sheets = [n for n in names if n.startswith("xl/worksheets/")]
        assert all(f'PartName="/{n}"' in types for n in sheets)
    whole = zipfile.ZipFile(io.BytesIO(files["data/items.xlsx"]))
    own = zipfile.ZipFile(io.BytesIO(files["data/departments/370700-zjj.xlsx"]))
    # the department's sheet (second tab after 总览) is the same part in both workbooks
    assert whole.read("xl/worksheets/sheet2.xml") == own.read("xl/worksheets/sheet1.xml")


def test_xlsx_text_cells_keep_spaces_and_escape_markup() -> None:
    from powerlist.exchange.xlsx import column_letters, rows_xml

    assert column_letters(28)[-3:] == ["Z", "AA", "AB"]
    xml = rows_xml([[1, " a<b>&c ", "", "x\ny"]], 2, column_letters(4))
    assert '<c r="A2"><v>1</v></c>' in xml
    assert '<t xml:space="preserve"> a&lt;b&gt;&amp;c </t>' in xml
    assert 'r="C2"' not in xml  # empty text: no cell
    assert '<t xml:space="preserve">x\ny</t>' in xml


def test_department_export_only_has_that_department(catalog: Catalog) -> None:
    data = export_bytes(catalog, "csv", "370702-zjj")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["事项编码"] for r in rows] == ["370702-CF-00001"]
    wb = load_workbook(io.BytesIO(export_bytes(catalog, "xlsx", "370702-zjj")))
    assert wb.sheetnames == ["潍城区住房和城乡建设局"]


def test_missing_items_fail_the_count_check(catalog: Catalog, files: dict[str, bytes]) -> None:
    broken = dict(files)
    del broken["api/items/370700-XK-00001.json"]
    with pytest.raises(PowerlistError, match="the catalog has 5 items but api/items/: 4"):
        check_counts(catalog, broken)


def test_count_check_reads_the_records_of_items_json(catalog: Catalog, files: dict[str, bytes]) -> None:
    data = files["data/items.json"]
    lines = data.split(b"\n")
    dropped = b"\n".join(lines[:1] + lines[2:])            # one record line less, header unchanged
    with pytest.raises(PowerlistError, match="data/items.json: -1"):
        check_counts(catalog, dict(files, **{"data/items.json": dropped}))
    recount = re.sub(rb'"count":\d+', b'"count":4', dropped, count=1)
    with pytest.raises(PowerlistError, match="data/items.json: 4"):
        check_counts(catalog, dict(files, **{"data/items.json": recount}))


def test_site_contribution(catalog: Catalog, root: Path, tmp_path: Path) -> None:
    build = BuildContext(catalog, {}, root, tmp_path, commit="a" * 40, commit_date="2024-03-05")
    first = site_contribution(build)     # what item pages need: the nav link and the files to come
    promised = [a.path for a in first.assets]
    assert [n.url for n in first.nav] == ["downloads/"] and not first.pages and first.later is not None
    assert not list(tmp_path.iterdir())          # nothing is made until the deferred part runs
    c = first.later(build)
    paths = [a.path for a in c.assets]
    assert paths == promised and len(paths) == len(set(paths))
    assert "data/items.xlsx" in paths and "api/items/370702-CF-00001.json" in paths
    [page] = c.pages
    assert page.url == "downloads/" and page.template == "downloads.html"
    entry = next(f for f in page.context["download_files"] if f["path"] == "data/items.csv")
    assert c.assets_written and all(a.data == b"" for a in c.assets)  # written as made, not held
    data = (tmp_path / "data" / "items.csv").read_bytes()
    assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == sorted(paths)
    deps = page.context["download_departments"]
    assert [d["count"] for d in deps] == [4, 1]


def test_downloads_template_renders(catalog: Catalog, root: Path, tmp_path: Path) -> None:
    jinja2 = pytest.importorskip("jinja2")
    theme = Path(__file__).resolve().parents[1] / "theme" / "templates"
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(theme)), autoescape=True)
    build = BuildContext(catalog, {}, root, tmp_path, commit="a" * 40)
    c = write_exports(build)
    html = env.get_template("downloads.html").render(SITEURL="", SITENAME="权力清单", nav_links=[],
                                                     site_pages=[], **c.pages[0].context)
    assert "数据下载" in html and "items.xlsx" in html and "api/items/" in html
    for f in c.pages[0].context["download_files"]:
        assert f["sha256"] in html
    assert ("其中的文字均为文本单元格，按原样显示，不会被当作公式。Excel 单元格最多容纳 32767 个字符，超出的内容在单元格"
            "末尾注明后截去，全文请使用 CSV 或 JSON 文件。") in html


def test_cli_export(root: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["export", "--format", "ndjson", "--root", str(root), "--department", "370702-zjj"]) == 0
    out = capsysbinary.readouterr().out
    assert [json.loads(x)["item"]["code"] for x in out.decode().splitlines()] == ["370702-CF-00001"]
    assert main(["export", "--format", "xlsx", "--root", str(root), "-o", str(tmp_path)]) == 0
    assert load_workbook(tmp_path / "items.xlsx").sheetnames[0] == "总览"
    assert main(["export", "--format", "csv", "--root", str(root), "--department", "nope"]) == 2


def test_sheet_titles_are_valid_even_from_odd_department_names() -> None:
    used: set[str] = set()
    assert sheet_title("潍坊市\x01住建局[试点]/二", used) == "潍坊市住建局_试点__二"
    assert sheet_title("潍坊市\x01住建局[试点]/二", used) == "潍坊市住建局_试点__二(2)"  # unique, case-insensitively
    assert sheet_title("'" * 3, used) == "Sheet"
    assert len(sheet_title("长" * 40, used)) == 31


@pytest.mark.parametrize("names,titles", [
    # cut to 31, the 31st character an apostrophe: LibreOffice would drop the whole sheet
    ([APOSTROPHE_DEPARTMENT], ["潍" * 30]),
    (["'" + "潍" * 29 + "''局"], ["潍" * 29]),
    # the unique suffix cuts the name further; again no apostrophe before it
    (["潍" * 27 + "'局甲乙"] * 2, ["潍" * 27 + "'局甲乙", "潍" * 27 + "(2)"]),
    # nothing left, or only what a title cannot hold
    (["", "'", "\uffff\x00\x85", "\ufffe"], ["Sheet", "Sheet(2)", "Sheet(3)", "Sheet(4)"]),
    (["A:B", "a_b", "a?b", "A*B"], ["A_B", "a_b(2)", "a_b(3)", "A_B(4)"]),
    # Excel's reserved name, in any case
    (["History", "history"], ["History(2)", "history(3)"]),
    # 31 UTF-16 code units, as Excel counts: an emoji takes two, and is never cut in half
    (["😀" * 20], ["😀" * 15]),
    (["甲" * 30 + "😀"], ["甲" * 30]),
])
def test_sheet_titles_every_client_accepts(names: list[str], titles: list[str]) -> None:
    used = {"总览"}
    got = [sheet_title(n, used) for n in names]
    assert got == titles
    for t in got:
        assert 0 < len(t.encode("utf-16-le")) // 2 <= 31 and not t.startswith("'") and not t.endswith("'")
        assert not re.search(r"[\[\]:*?/\\\x00-\x1f\ufffe\uffff]", t)
    assert len({t.lower() for t in got}) == len(got)


# ---- text that XML or Excel cannot take as it is

@pytest.mark.parametrize("text,written", [
    ("\uffff", "_xFFFF_"), ("\ufffe", "_xFFFE_"), ("\x00", "_x0000_"), ("\x0b", "_x000B_"), ("\x1f", "_x001F_"),
    ("\ud800", "_xD800_"),
    ("_x0041_", "_x005F_x0041_"), ("_x00e9_", "_x005F_x00e9_"), ("__x0041_", "__x005F_x0041_"),
    ("_X0041_", "_X0041_"), ("_x12_", "_x12_"), ("_x00G1_", "_x00G1_"), ("\t\n\r", "\t\n\r"),
    ("\x85\u2028\ufffd😀", "\x85\u2028\ufffd😀"), ("=SUM(A1)", "=SUM(A1)"),
])
def test_xstring_escapes_what_xml_cannot_hold_and_keeps_escapes_literal(text: str, written: str) -> None:
    assert xstring(text) == written
    assert decode_xstring(written) == text


_EDGE = st.sampled_from(["_", "x", "X", "0", "4", "1", "F", "f", "_x", "_x0041_", "\uffff", "\ufffe", "\x00", "\x01",
                         "\x0b", "\r", "\n", "\t", "\ud800", "\udfff", "😀", "<", "&", "]]>", "甲"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_EDGE, st.text(max_size=5)), max_size=30).map("".join))
def test_any_text_makes_a_well_formed_cell_that_decodes_back(text: str) -> None:
    from lxml import etree

    xml = rows_xml([[text, 1]], 2, column_letters(2))
    doc = etree.fromstring(f'<sheetData xmlns="urn:x">{xml}</sheetData>'.encode("utf-8"))
    cells = doc.findall(".//{urn:x}t")
    if text:
        # as UTF-16 (what Excel holds): two lone surrogates in a row are read back as the pair they form
        utf16 = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        assert len(cells) == 1 and decode_xstring(cells[0].text or "") == utf16
    else:
        assert not cells  # empty text: no cell


def test_workbooks_hold_hostile_text_whole_and_long_text_cut_visibly(catalog: Catalog) -> None:
    from lxml import etree

    cat = with_fields(catalog, items={"370700-XK-00001": {"remarks": NASTY},
                                      "370702-CF-00001": {"remarks": LONG_REMARKS, "name": "=HYPERLINK(\"x\")"}},
                      departments={"370702-zjj": {"name": APOSTROPHE_DEPARTMENT}})
    for dep in (None, "370702-zjj"):
        data = export_bytes(cat, "xlsx", dep)
        z = zipfile.ZipFile(io.BytesIO(data))
        for name in z.namelist():
            etree.fromstring(z.read(name))
        wb = load_workbook(io.BytesIO(data))
        assert wb.sheetnames == (["总览", "潍坊市住房和城乡建设局"] if dep is None else []) + ["潍" * 30]
    wb = load_workbook(io.BytesIO(export_bytes(cat, "xlsx")))
    rows = {r[1]: r for ws in wb.worksheets[1:] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert list(rows) == list(cat.items)  # every row there
    remarks = EXPORT_HEADERS.index("备注")
    assert rows["370700-XK-00001"][remarks] == xstring(NASTY) and decode_xstring(rows["370700-XK-00001"][remarks]) == NASTY
    long = rows["370702-CF-00001"][remarks]
    assert len(long) == XLSX_CELL_MAX and long.endswith(CUT_MARK) and long == LONG_REMARKS[:len(long) - len(CUT_MARK)] + CUT_MARK
    assert CUT_MARK == "……【超出 Excel 单元格 32767 字的上限，以下从略；全文见 JSON 或 CSV 导出】"
    cell = wb["潍" * 30]["C2"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"
    # the whole text in CSV and JSON
    assert LONG_REMARKS + ",,,\r\n" in export_bytes(cat, "csv").decode("utf-8-sig")
    record = json.loads(export_bytes(cat, "ndjson").decode().splitlines()[-1])
    assert record["item"]["remarks"] == LONG_REMARKS


@pytest.mark.parametrize("text,cut", [
    ("长" * XLSX_CELL_MAX, False),
    ("长" * (XLSX_CELL_MAX + 1), True),
    ("😀" * (XLSX_CELL_MAX // 2), False),            # 32,766 code units
    ("😀" * (XLSX_CELL_MAX // 2 + 1), True),          # 32,768
    ("a" * 20000 + "😀" * 7000, True),                 # 34,000 code units in 27,000 characters
])
def test_cells_fit_excels_limit_in_utf16_code_units(text: str, cut: bool) -> None:
    out = xlsx_cell(text)
    assert (out != text) is cut
    units = len(out.encode("utf-16-le")) // 2
    assert units <= XLSX_CELL_MAX
    if cut:
        assert out.endswith(CUT_MARK) and text.startswith(out[:-len(CUT_MARK)])
        assert units >= XLSX_CELL_MAX - 1  # filled up to the limit (one short when an emoji would not fit)


# ---- counting what was written, at any field length

def test_exports_with_fields_beyond_the_csv_modules_limit(catalog: Catalog) -> None:
    cat = with_fields(catalog, items={"370700-XK-00001": {"remarks": LONG_REMARKS, "summary": '"引号", 逗号\r\n换行'}})
    files = all_exports(cat)  # counts every export: the CSV reader used to stop at 131,072 characters
    rows = files["data/items.csv"].decode("utf-8-sig").split("\r\n")
    assert sum(LONG_REMARKS in r for r in rows) == 1
    assert ExportCounter._csv_rows(files["data/items.csv"]) == len(cat.items)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='ab,"\r\n\u2028 ', max_size=8), min_size=1, max_size=4), max_size=6))
def test_csv_row_count_agrees_with_a_csv_reader(rows: list[list[str]]) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["h"])
    w.writerows(rows)
    data = ("\ufeff" + buf.getvalue()).encode("utf-8")
    assert ExportCounter._csv_rows(data) == len(list(csv.reader(io.StringIO(buf.getvalue(), newline="")))) - 1 \
        == len(rows)

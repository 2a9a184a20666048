from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from openpyxl import Workbook

from exchange_data import empty_copy, write_data
from powerlist.cli.main import main
from powerlist.exchange.export import export_bytes
from powerlist.exchange.importer import ImportOptions, run_import
from powerlist.model.errors import UsageError
from powerlist.source.load import load_catalog

DEP = "370700-zjj"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return empty_copy(tmp_path / "data")


def _items(root: Path) -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted((root / "items" / DEP).glob("3*.yaml"))}


def real_looking_workbook(path: Path) -> Path:
    """Title rows, a two-row header, a main item over three rows with sub-items (merged cells), a stray
    blank row, numbers stored as text, full-width characters, and a footnote merged across the sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = "权力清单"
    ws.append(["潍坊市住房和城乡建设局行政权力清单"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "事项名称", None, "职权类型", "实施依据", "办理时限", None, "备注"])
    ws.append([None, "主项", "子项", None, None, "法定", "承诺", None])
    for rng in ("A2:A3", "B2:C2", "D2:D3", "E2:E3", "F2:G2", "H2:H3"):
        ws.merge_cells(rng)
    ws.append(["1", "建筑工程施工许可证核发", "新办", "行政许可类",
               "《中华人民共和国建筑法》第七条；《行政许可法》第十二条第一款第（二）项", "15日", "３个工作日", None])
    ws.append([None, None, "变更", None, "《中华人民共和国建筑法》第七条", "15日", "3个工作日", None])
    ws.append([None, None, "延期", None, "《中华人民共和国建筑法》第七条", "15日", "1个工作日", "  须在期满前\n申请 "])
    for rng in ("A4:A6", "B4:B6", "D4:D6"):
        ws.merge_cells(rng)
    ws.append([None] * 8)
    ws.append(["２", "对未取得施工许可证擅自施工的处罚", None, "处罚", "中华人民共和国建筑法第64条", None, None, None])
    ws.append(["3", "某项许可", None, "许可", "《不存在的条例》第三条", None, None, None])
    ws.append(["4", "另一项", None, "审批", "《中华人民共和国建筑法》第七条", None, None, None])
    ws.append(["5", "拆迁许可", None, "许可", "《城市房屋拆迁管理条例》第六条", None, None, None])
    ws.append(["注：本表由市住建局编制。"])
    ws.merge_cells("A12:H12")
    wb.save(path)
    return path


def test_real_looking_workbook(root: Path, tmp_path: Path) -> None:
    src = real_looking_workbook(tmp_path / "list.xlsx")
    result = run_import(src, ImportOptions(department=DEP, root=root, date="2024-05-06"))
    assert result.header_rows == [2, 3]
    assert len(result.created) == 6  # main + 3 sub-items + the penalty + the item citing a law not in laws/
    items = _items(root)
    main_item = items["370700-XK-00001"]
    assert main_item["name"] == "建筑工程施工许可证核发"
    assert main_item["basis"] == [{"law": "jianzhufa", "article": 7},
                                  {"law": "xingzheng-xukefa", "article": 12, "paragraph": 1, "item": 2}]
    subs = {c: d for c, d in items.items() if d.get("parent") == "370700-XK-00001"}
    assert sorted(d["name"] for d in subs.values()) == ["变更", "延期", "新办"]
    assert set(subs) == {"370700-XK-00001-001", "370700-XK-00001-002", "370700-XK-00001-003"}
    new = items["370700-XK-00001-001"]
    assert new["time_limit"] == {"statutory": "15日", "promised": "3个工作日"}  # full-width digit normalised
    assert items["370700-XK-00001-003"]["remarks"] == "须在期满前\n申请"
    penalty = items["370700-CF-00001"]
    assert penalty["category"] == "行政处罚"
    assert penalty["basis"] == [{"law": "jianzhufa", "article": 64}]
    # a title not in laws/ becomes a generated law file
    assert items["370700-XK-00002"]["basis"] == [{"law": "bucun-zaide-tiaoli", "article": 3}]
    assert yaml.safe_load((root / "laws" / "bucun-zaide-tiaoli.yaml").read_text("utf-8")) == {
        "id": "bucun-zaide-tiaoli", "title": "不存在的条例", "level": "行政法规", "issuer": "国务院",
        "status": "现行有效", "generated": {"by": "powerlist import", "source": "list.xlsx", "date": "2024-05-06"}}
    assert result.laws == [("bucun-zaide-tiaoli", "不存在的条例", 0, "laws/bucun-zaide-tiaoli.yaml")]
    # the rows that could not become items, and why
    attention = {e.row: " ".join(e.messages) for e in result.attention}
    assert set(attention) == {10, 11}
    assert "权力类别 '审批' is not one of" in attention[10]
    assert "repealed" in attention[11]
    lines = list(result.report_lines())
    assert lines[-1] == "created 6 (1 with notes), skipped 0, needs attention 2; 0 new departments, 1 generated law"
    assert "[权力清单] row 11: needs attention: 拆迁许可: 实施依据: 《城市房屋拆迁管理条例》 is repealed (已废止); " \
           "cite the law in force" in lines
    load_catalog(root)  # the written files are valid


def test_never_overwrites_without_force_and_dry_run_writes_nothing(root: Path, tmp_path: Path) -> None:
    src = real_looking_workbook(tmp_path / "list.xlsx")
    dry = run_import(src, ImportOptions(department=DEP, root=root, dry_run=True))
    assert len(dry.created) == 6 and not _items(root) and not (root / "laws" / "bucun-zaide-tiaoli.yaml").exists()
    assert list(dry.report_lines())[-1].startswith("dry run, nothing written: created 6")
    run_import(src, ImportOptions(department=DEP, root=root))
    f = root / "items" / DEP / "370700-CF-00001.yaml"
    f.write_text(f.read_text("utf-8").replace("status: 保留", "status: 保留\nremarks: 手工修改"), "utf-8")
    again = run_import(src, ImportOptions(department=DEP, root=root))
    assert len(again.skipped) == 6 and not again.created  # same names → same codes, kept
    assert not again.laws   # the law generated the first time is in laws/ now
    assert "手工修改" in f.read_text("utf-8")
    assert len(_items(root)) == 6
    forced = run_import(src, ImportOptions(department=DEP, root=root, force=True))
    assert len(forced.by_status("overwritten")) == 6
    assert "手工修改" not in f.read_text("utf-8")


def test_header_row_option_and_mapping(root: Path, tmp_path: Path) -> None:
    p = tmp_path / "m.csv"
    p.write_text("说明文字,,\n审批项目,法规条款,类别\n施工许可,《中华人民共和国建筑法》第七条,许可\n", "utf-8")
    with pytest.raises(UsageError, match="no header naming the 事项名称 column"):
        run_import(p, ImportOptions(department=DEP, root=root))
    mapping = {"审批项目": "name", "法规条款": "basis"}
    r = run_import(p, ImportOptions(department=DEP, root=root, header_row=2, mapping=mapping))
    assert [e.data["code"] for e in r.created] == ["370700-XK-00001"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(root: Path, tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "list.csv"
    text = "事项编码,事项名称,权力类别,实施依据\n３７０７００－ＸＫ－０００２７,施工许可　（新办）,行政许可,《中华人民共和国建筑法》第七条\n"
    p.write_bytes(text.encode(encoding))
    r = run_import(p, ImportOptions(department=DEP, root=root))
    [e] = r.created
    assert e.data["code"] == "370700-XK-00027"
    assert e.data["name"] == "施工许可（新办）"


def test_undecodable_csv_is_a_clear_error(root: Path, tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_bytes("事项名称\n施工许可\n".encode("gbk"))
    with pytest.raises(UsageError) as exc:
        run_import(p, ImportOptions(department=DEP, root=root, encoding="utf-8"))
    assert str(exc.value) == (f"{p}: not valid utf-8: byte 0xca at line 1, column 1 cannot be decoded; "
                              "check --encoding (e.g. utf-8, gbk)")
    p.write_bytes("事项名称\n".encode() + b"\x81\x20\xff\xfe\x81\n")
    with pytest.raises(UsageError) as exc:
        run_import(p, ImportOptions(department=DEP, root=root))
    assert str(exc.value) == (f"{p}: the file is neither UTF-8 nor GBK/GB18030 (byte 0x81 at line 2, column 1 "
                              "is not UTF-8); save it as 'CSV UTF-8' or give --encoding")
    with pytest.raises(UsageError, match="^unknown encoding 'nope'$"):
        run_import(p, ImportOptions(department=DEP, root=root, encoding="nope"))


def test_codes_invalid_duplicate_and_other_department(tmp_path: Path) -> None:
    root = write_data(tmp_path / "data")
    p = tmp_path / "c.csv"
    p.write_text("事项编码,事项名称,权力类别,实施依据\n"
                 "370700-XK-00009,甲,行政许可,建筑法第七条\n"
                 "370700-XK-00009,乙,行政许可,建筑法第七条\n"
                 "370702-CF-00001,丙,行政处罚,建筑法第六十四条\n"
                 "999999-XK-00001,丁,行政许可,建筑法第七条\n"
                 "370700-CF-00002,戊,行政许可,建筑法第七条\n", "utf-8")
    r = run_import(p, ImportOptions(department=DEP, root=root))
    codes = {e.data["name"]: e.data.get("code") for e in r.entries}
    assert codes["甲"] == "370700-XK-00009"
    assert codes["乙"] == "370700-XK-00010"  # duplicate → next free (after the 00001 on disk and 00009)
    assert codes["丁"] == "370700-XK-00011"
    assert codes["戊"] == "370700-XK-00012"  # letters disagree with the category
    notes = {e.data["name"]: " ".join(e.notes + e.messages) for e in r.entries}
    assert "is used by an earlier row" in notes["乙"]
    assert "has region 999999" in notes["丁"]
    assert "has letters CF" in notes["戊"]
    assert "already used by items/370702-zjj/370702-CF-00001.yaml" in notes["丙"]
    load_catalog(root)


def test_status_and_decision(root: Path, tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("事项名称,权力类别,状态,实施依据,调整文件,调整日期,调整去向\n"
                 "甲,行政许可,取消,,国发〔2020〕5号,2020年5月1日,\n"
                 "乙,行政许可,下放,建筑法第七条,潍政发〔2023〕1号,2023/6/1,潍城区住房和城乡建设局\n"
                 "丙,行政许可,冻结,建筑法第七条,,,\n"
                 "丁,行政许可,作废,建筑法第七条,,,\n", "utf-8")
    r = run_import(p, ImportOptions(department=DEP, root=root))
    by_name = {e.data["name"]: e for e in r.entries}
    assert by_name["甲"].data["decision"] == {"document": "国发〔2020〕5号", "date": "2020-05-01"}
    assert "basis" not in by_name["甲"].data
    assert by_name["乙"].data["decision"]["to"] == "370702-zjj"
    assert by_name["丙"].status == "attention" and "调整文件 and 调整日期 are required" in by_name["丙"].messages[0]
    assert by_name["丁"].status == "attention" and "状态 '作废'" in by_name["丁"].messages[0]
    load_catalog(root)


def test_missing_department_folder(tmp_path: Path) -> None:
    root = empty_copy(tmp_path / "data")
    p = tmp_path / "x.csv"
    p.write_text("事项名称\n甲\n", "utf-8")
    with pytest.raises(UsageError, match="_department.yaml not found"):
        run_import(p, ImportOptions(department="370799-nope", root=root))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_round_trip_export_then_import(tmp_path: Path, fmt: str) -> None:
    src = write_data(tmp_path / "src")
    catalog = load_catalog(src)
    dst = empty_copy(tmp_path / "dst")
    for dep in catalog.departments:
        f = tmp_path / f"{dep}.{fmt}"
        f.write_bytes(export_bytes(catalog, fmt, dep))
        result = run_import(f, ImportOptions(department=dep, root=dst))
        assert not result.attention, list(result.report_lines())
    back = load_catalog(dst)
    assert list(back.items) == list(catalog.items)
    for code, item in catalog.items.items():
        assert back.items[code].to_dict() == item.to_dict()


def test_whole_list_export_skips_other_departments(tmp_path: Path) -> None:
    src = write_data(tmp_path / "src")
    f = tmp_path / "items.csv"
    f.write_bytes(export_bytes(load_catalog(src), "csv"))
    r = run_import(f, ImportOptions(department="370702-zjj", root=empty_copy(tmp_path / "dst")))
    assert [e.data["code"] for e in r.created] == ["370702-CF-00001"]
    assert len(r.skipped) == 4 and "--department 370700-zjj" in r.skipped[0].messages[0]


def test_cli_import(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = real_looking_workbook(tmp_path / "list.xlsx")
    code = main(["import", str(src), "--department", DEP, "--root", str(root), "--dry-run"])
    out = capsys.readouterr().out
    assert code == 1  # some rows need attention
    assert "needs attention 2" in out and "would create items/370700-zjj/370700-XK-00001.yaml" in out
    mapping = tmp_path / "map.yaml"
    mapping.write_text("审批项目: nonsense\n", "utf-8")
    assert main(["import", str(src), "--department", DEP, "--root", str(root), "--mapping", str(mapping)]) == 2
    assert "unknown field 'nonsense'" in capsys.readouterr().err
    assert main(["import", str(src), "--department", DEP, "--root", str(root), "--sheet", "无此表"]) == 2
    assert "no sheet named '无此表'" in capsys.readouterr().err


def test_the_sample_sites_export_imports_back_into_identical_files(tmp_path: Path) -> None:
    """Issue 14: `powerlist export --format xlsx` of the sample site, imported into a folder holding its laws and
    departments, gives back the same items, and leaves every law file as it was."""
    import shutil

    repo = Path(__file__).resolve().parent.parent
    src = load_catalog(repo)
    book = tmp_path / "items.xlsx"
    assert main(["export", "--format", "xlsx", "--root", str(repo), "-o", str(book)]) == 0
    dst = tmp_path / "dst"
    shutil.copytree(repo / "laws", dst / "laws")
    for dep in src.departments:
        (dst / "items" / dep).mkdir(parents=True)
        shutil.copy(repo / "items" / dep / "_department.yaml", dst / "items" / dep / "_department.yaml")
    result = run_import(book, ImportOptions(root=dst))
    assert not result.attention and not result.laws and not result.departments, list(result.report_lines())
    back = load_catalog(dst)
    assert list(back.items) == list(src.items)
    for code, item in src.items.items():
        assert back.items[code].to_dict() == item.to_dict(), code
    for law in (repo / "laws").glob("*.yaml"):
        assert (dst / "laws" / law.name).read_bytes() == law.read_bytes()

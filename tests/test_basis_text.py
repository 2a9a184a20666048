"""The basis parser (powerlist.exchange.basis_text) on real published cells, on each form issue 14 lists, and on
random text.

Corpus expectations: ``tests/data/real-lists-expected/<folder>.json`` holds, for every row of tests/data/real-lists/,
what :func:`parse_basis` reads from its 实施依据/依据 cell. They were generated once by tests/real_lists_expected.py
and then reviewed by hand, row by row, against the verbatim cell (titles, tags, edition notes, 文号, every pinpoint,
and where each pasted text starts and ends); the parser was corrected until each expectation is what a careful
reader extracts. A failing row is a change of behaviour to look at, not a file to regenerate.

The focused tests below each cite the corpus row that shows the form; forms no real source shows are in
tests/test_basis_text_synthetic.py, marked synthetic.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from powerlist.exchange.basis_text import TextCitation, _parse, cn_int, parse_basis
from powerlist.model.citation import cn_number
from real_lists_expected import folders, expected_path, load_rows, parse_row

SETTINGS = settings(max_examples=int(os.environ.get("POWERLIST_PROPERTY_EXAMPLES", "300")), deadline=None,
                    derandomize="POWERLIST_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow])

CASES = [(f, row, n) for f in folders() for n, row in enumerate(load_rows(f))]


def _expected(folder_name: str) -> list[dict[str, Any]]:
    folder = next(f for f in folders() if f.name == folder_name)
    rows: list[dict[str, Any]] = json.loads(expected_path(folder).read_text(encoding="utf-8"))["rows"]
    return rows


@pytest.mark.parametrize("folder,row,n", CASES,
                         ids=[f"{f.name}:{r.get('sheet') or ''}:{r['source_row']}" for f, r, _ in CASES])
def test_corpus_row_basis_parses_as_reviewed(folder: Any, row: dict[str, Any], n: int) -> None:
    expected = _expected(folder.name)[n]
    assert (expected["sheet"], expected["source_row"]) == (row.get("sheet"), row["source_row"])
    got = json.loads(json.dumps(parse_row(row), ensure_ascii=False))
    assert got.get("basis") == expected.get("basis")


def test_every_corpus_folder_has_reviewed_expectations() -> None:
    for folder in folders():
        assert expected_path(folder).is_file(), f"no expectations for {folder.name}: run tests/real_lists_expected.py"


# ------------------------------------------------------------------------------------------- corpus helpers

def cell(folder: str, source_row: int, sheet: str | None = None) -> str:
    for f in folders():
        if f.name == folder:
            for row in load_rows(f):
                if row["source_row"] == source_row and (sheet is None or row.get("sheet") == sheet):
                    cells: dict[str, str] = row["cells"]
                    return cells["依据"] if "依据" in cells else cells["实施依据"]
    raise LookupError((folder, source_row, sheet))


def cites(folder: str, source_row: int, sheet: str | None = None) -> list[TextCitation]:
    p = parse_basis(cell(folder, source_row, sheet))
    assert p.problems == []
    return p.citations


def pins(cs: list[TextCitation]) -> list[tuple[Any, ...]]:
    return [(c.title, c.article, c.paragraph, c.item) for c in cs]


LN = "liaoning-zhiquan-catalogue-sample"
XA = "shaanxi-xian-quanze-platform"
KM = "xinjiang-karamay-"


# ------------------------------------------------------------------------------------------- several laws per cell

def test_laws_numbered_1_dun() -> None:            # 西安 row 8: 1、《…》 … 2、《…》 after a run of spaces
    cs = cites(XA, 8)
    assert pins(cs) == [("中华人民共和国土地管理法", 77, 1, None), ("中华人民共和国土地管理法实施条例", 57, 2, None)]
    assert cs[0].text is not None and cs[0].text.endswith("依法追究刑事责任。")
    assert cs[1].text is not None and cs[1].text.endswith("依照《土地管理法》第七十七条的规定处罚 。")


def test_laws_numbered_1_dot_after_a_tag() -> None:   # 辽宁 row 24: 【法律】1.《…》
    cs = cites(LN, 24)
    assert [(c.title, c.rank, c.article) for c in cs] == [
        ("中华人民共和国税收征收管理法", "法律", 25), ("中华人民共和国个人所得税法", "法律", 2),
        ("中华人民共和国个人所得税法", "法律", 6), ("中华人民共和国个人所得税法实施条例", "行政法规", 15)]


def test_laws_separated_by_newlines_only() -> None:   # 辽宁 row 14 (CRLF)
    assert [c.title for c in cites(LN, 14)] == ["中华人民共和国保守国家秘密法", "中华人民共和国保守国家秘密法实施条例",
                                             "涉密信息系统集成资质管理办法"]


def test_laws_separated_by_a_run_of_spaces() -> None:  # 西安 row 7
    cs = cites(XA, 7)
    assert pins(cs) == [("中华人民共和国药品管理法", 51, None, None), ("中华人民共和国药品管理法实施条例", 12, None, None)]
    assert cs[0].text is not None and cs[0].text.endswith("不得经营药品。")


# ------------------------------------------------------------------------------------------- rank tags

@pytest.mark.parametrize("folder,row,sheet,index,tag,rank", [
    (LN, 1, None, 0, "法律", "法律"),
    (LN, 2, None, 0, "行政法规", "行政法规"),
    (LN, 1, None, 1, "地方性法规", "地方性法规"),
    (KM + "xfjyzd-2025", 47, "Sheet1", 0, "部门规章", "部门规章"),
    (LN, 5, None, 0, "规章", None),
    (LN, 2, None, 1, "规范性文件", "规范性文件"),
    (KM + "czj-2025", 4, "Sheet1", 0, "法规", None),
    (KM + "nyncj-2024", 81, "行政处罚（254项）", 1, "国务院决定", None),
    (KM + "tjj-2025", 5, "Sheet1", 0, "法律", "法律"),             # 【 法律】
    (KM + "jgswj-2024", 4, "机关事务管理局", 3, "政府规章", "地方政府规章"),
    (KM + "zjj-2024", 206, "准确版", 0, "部令", "部门规章"),
    (KM + "wtglj-2024", 352, "打印版（全）", 0, "行法规", "行政法规"),
    (KM + "wtglj-2024", 494, "打印版（全）", 1, "地方法规", "地方性法规"),
    (KM + "jgswj-2024", 5, "机关事务管理局", 2, "党内法规", None),
    (KM + "yjj-2024", 614, "Sheet1", 4, "标准", None),
    (LN, 30, None, 0, "行政法规", "行政法规"),                        # 【行政法规】：《…》
])
def test_rank_tags(folder: str, row: int, sheet: str | None, index: int, tag: str, rank: str | None) -> None:
    p = parse_basis(cell(folder, row, sheet))
    c = p.citations[index]
    assert (c.rank_tag, c.rank) == (tag, rank)


def test_a_tag_belongs_to_its_own_entry_only() -> None:   # 辽宁 row 12: 【法律】《A》… then untagged 《B》
    cs = cites(LN, 12)
    assert [(c.title, c.rank_tag) for c in cs][:2] == [("中华人民共和国科学技术普及法", "法律"),
                                                       ("中华人民共和国促进科技成果转化法", None)]


def test_year_in_brackets_inside_a_document_number_is_not_a_tag() -> None:   # 辽宁 row 28: 辽政发【2017】33号
    cs = cites(LN, 28)
    assert [(c.title, c.document, c.document_key) for c in cs[1:]] == [
        ("辽宁省矿产资源权益金制度改革实施方案", "辽政发【2017】33号", "辽政发〔2017〕33号"),
        ("矿业权出让收益征收管理暂行办法", "财综【2017】35号", "财综〔2017〕35号")]
    assert all(c.rank_tag == "行政法规" for c in cs)


def test_a_tag_inside_a_sentence_is_text() -> None:   # 农业农村局 row 81: …依照【法规】《饲料和饲料添加剂管理条例》第三十八条处罚。
    cs = cites(KM + "nyncj-2024", 81, "行政处罚（254项）")
    assert len(cs) == 3
    assert cs[2].text is not None and cs[2].text.endswith("依照【法规】《饲料和饲料添加剂管理条例》第三十八条处罚。")


# ------------------------------------------------------------------------------------------- edition notes, 文号

def test_edition_note_year_revision() -> None:    # 西安 row 5: 《中华人民共和国文物保护法》（2017修正）
    c = cites(XA, 5)[0]
    assert (c.title, c.edition, c.title_key) == ("中华人民共和国文物保护法", "2017修正", "中华人民共和国文物保护法")


def test_edition_note_with_order_number() -> None:   # 西安 row 4
    c = cites(XA, 4)[0]
    assert c.edition == "国务院令第439号公布，2020年11月29日国务院令第732号第四次修订"
    assert c.document is None


def test_edition_note_written_with_html_entities() -> None:   # 西安 row 16: &#40;2010修订&#41;
    c = cites(XA, 16)[0]
    assert (c.title, c.edition, c.article) == ("中华人民共和国水土保持法", "2010修订", 57)


def test_edition_note_not_closed_ends_with_its_line() -> None:   # 财政局 row 5: (1985年…施行。\n 第四十条：
    c = cites(KM + "czj-2025", 5, "Sheet1")[0]
    assert c.edition is not None and c.edition.endswith("自2024年7月1日起施行") and c.article == 40


def test_edition_note_wrapped_over_two_lines() -> None:   # 统计局 row 3: （…根据2024\n年9月13日…修正 ）
    c = cites(KM + "tjj-2025", 3, "Sheet1")[0]
    assert c.edition is not None and "根据2024年9月13日" in c.edition and c.article == 44


def test_title_followed_by_an_order_number_without_brackets() -> None:   # 西安 row 29: 《…治安管理处罚法》主席令第72号
    c = cites(XA, 29)[0]
    assert (c.edition, c.article) == ("主席令第72号", 48)


def test_document_cited_whole_by_its_number() -> None:   # 辽宁 row 2: 《残疾退役军人医疗保障办法》退役军人部发〔2022〕3号
    c = cites(LN, 2)[1]
    assert (c.title, c.document, c.article, c.point, c.text) == ("残疾退役军人医疗保障办法", "退役军人部发〔2022〕3号",
                                                                None, None, None)


def test_document_number_in_square_brackets() -> None:   # 人防 行政许可 row 6: 新发改规[2021]10号
    c = cites(KM + "rfxt-guidance", 6, "行政许可（3项）")[3]
    assert (c.document, c.document_key) == ("新发改规[2021]10号", "新发改规〔2021〕10号")


def test_document_number_in_round_brackets_inside_the_note() -> None:   # 西安 row 30: （市编办（2015）123号 ）
    c = cites(XA, 30)[1]
    assert (c.document, c.document_key) == ("市编办（2015）123号", "市编办〔2015〕123号")
    assert c.text == "二 内设机构（3）法律事务部  办理暂准进口货物海关单证册（ATA）。"


def test_document_number_ending_a_long_note() -> None:   # 财政局 row 19: （2012年…，国发〔2012〕52号）
    c = cites(KM + "czj-2025", 19, "Sheet1")[1]
    assert c.document == "国发〔2012〕52号" and c.edition is not None and c.edition.startswith("2012年9月23日")


# ------------------------------------------------------------------------------------------- pinpoints

def test_pinpoint_article_paragraph() -> None:   # 辽宁 row 3: 第二十六条第一款区域性…
    c = cites(LN, 3)[0]
    assert (c.article, c.paragraph, c.item) == (26, 1, None)
    assert c.text is not None and c.text.startswith("区域性批发企业")


def test_pinpoint_article_item() -> None:   # 财政局 row 17: 第二十六条第四项：
    assert (cites(KM + "czj-2025", 17, "Sheet1")[0].article, cites(KM + "czj-2025", 17, "Sheet1")[0].item) == (26, 4)


def test_pinpoint_article_bracketed_item() -> None:   # 辽宁 row 29: 第五条第（一）项
    c = cites(LN, 29)[0]
    assert (c.article, c.paragraph, c.item) == (5, None, 1)


def test_pinpoints_article_bracketed_items_without_di() -> None:   # 西安 row 32: 第十条（二）项, 第十四条（二）、（五）项
    cs = cites(XA, 32)
    assert [(c.article, c.item) for c in cs] == [(10, 2), (14, 2), (14, 5), (32, None)]
    assert cs[1].text == cs[2].text and cs[1].text is not None and cs[1].text.startswith("在城市饮用水地表水源准保护区内")


def test_pinpoint_in_arabic_numerals() -> None:   # 医保局 row 8: 第3条第6款
    c = cites(KM + "ybj-2024", 8, "Sheet1")[0]
    assert (c.article, c.paragraph, c.document) == (3, 6, "新党厅字〔2018〕172号")


def test_header_list_of_pinpoints_then_each_pasted() -> None:   # 农业农村局 row 9: 第六条、第七条\n第六条 …\n第七条 …
    cs = cites(KM + "nyncj-2024", 9, "行政许可（11项）")
    assert [(c.title, c.article) for c in cs][:2] == [("中华人民共和国航标条例", 6), ("中华人民共和国航标条例", 7)]
    assert cs[0].text is not None and cs[0].text.startswith("航标由航标管理机关统一设置")


def test_header_list_with_paragraphs_and_items() -> None:   # 消防 row 4: 第十五条、第五十八条第一款第（四）项和第三款：
    cs = cites(KM + "xfjyzd-2025", 4, "Sheet1")
    assert [(c.article, c.paragraph, c.item, c.text is not None) for c in cs] == [
        (15, None, None, True), (58, 1, 4, False), (58, 3, None, False), (58, None, None, True)]


def test_paragraph_continuing_the_article_after_a_semicolon() -> None:   # 财政局 row 8: 第二条第一款：…；第四款：…
    cs = cites(KM + "czj-2025", 8, "Sheet1")
    assert [(c.article, c.paragraph) for c in cs[:2]] == [(2, 1), (2, 4)]


def test_article_then_colon_then_item() -> None:   # 财政局 row 19: 第一条:第（七）项 按照…
    c = cites(KM + "czj-2025", 19, "Sheet1")[-2]
    assert (c.article, c.item, c.text) == (1, 7, "按照中央金融监管部门制定的规则，负责典当行的设立、变更审批。")


def test_article_written_without_di() -> None:   # 财政局 row 20: 三十八条：
    assert cites(KM + "czj-2025", 20, "Sheet1")[0].article == 38


def test_chapter_before_the_article_is_ignored() -> None:   # 文旅局 row 531: 第三章第十八条：“…
    c = cites(KM + "wtglj-2024", 531, "打印版（全）")[0]
    assert c.article == 18 and c.text is not None and c.text.startswith("“省、自治区、直辖市人民政府建立")  # unclosed quote kept


def test_part_of_a_document_is_a_label() -> None:   # 档案局 row 74: 第一部分第六条：
    c = cites(KM + "daj-2024", 74, "Sheet1")[1]
    assert (c.article, c.point_label) == (None, "第一部分第六条")


def test_clause_number_of_a_standard_is_a_label() -> None:   # 应急局 row 614: 第4.3条：
    c = cites(KM + "yjj-2024", 614, "Sheet1")[4]
    assert (c.title, c.article, c.point_label) == ("企业安全生产标准化基本规范", None, "第4.3条")


def test_odd_pinpoint_inside_pasted_text_is_text() -> None:   # 人社局 row 30: 违反本规定第三条（二）中第五项…
    cs = cites(KM + "rsj-2024", 30, "附表1")
    assert [(c.title, c.article) for c in cs] == [("工人考核条例", 27), ("职业技能鉴定规定", 27)]


# ------------------------------------------------------------------------------------------- separators and noise

@pytest.mark.parametrize("folder,row,sheet,index,start", [
    (LN, 2, None, 0, "国家对一级至六级残疾军人"),            # two spaces
    (LN, 1, None, 0, "未经专利权人许可"),                    # U+3000
    (LN, 5, None, 0, "商业银行有下列行为之一的"),            # ：
    (LN, 7, None, 0, "县级以上人民政府环境保护主管部门"),    # :
    (LN, 22, None, 0, "从事本法规定的监督检验"),            # glued: 第五十条从事本法…
    (LN, 4, None, 0, "各级国家档案馆保管的档案"),            # ：“…” wrapping quotes
    (LN, 21, None, 0, "义务兵服现役期间"),                  # “…” right after the pinpoint
    (XA, 26, None, 0, "任何单位和个人都应当依法"),           # &ensp;&ensp;
    (KM + "jgswj-2024", 10, "机关事务管理局", 0, "县级以上人民政府应当建立健全"),   # 第二十一条，县级…
    (KM + "nyncj-2024", 186, "行政处罚（254项）", 0, "农业机械维修经营者"),    # NBSP
])
def test_separator_after_the_pinpoint_is_not_text(folder: str, row: int, sheet: str | None, index: int,
                                                  start: str) -> None:
    c = parse_basis(cell(folder, row, sheet)).citations[index]
    assert c.text is not None and c.text.startswith(start)


def test_pinpoint_alone_on_its_line_then_text_on_the_next() -> None:   # 西安 row 1: 《…消防法》\n第六十条 …
    c = cites(XA, 1)[0]
    assert (c.article, c.text is not None and c.text.startswith("单位违反本法规定")) == (60, True)


def test_pasted_text_keeps_enumerated_lines_and_loses_indentation() -> None:   # 辽宁 row 18
    c = cites(LN, 18)[0]
    assert c.text is not None and "\n（一）未建立医疗技术临床应用管理专门组织" in c.text and "\u3000" not in c.text
    assert c.text.endswith("培训权益的。")


def test_pasted_text_with_half_width_brackets_and_html_entities() -> None:   # 西安 row 17: &#40;一&#41;
    c = cites(XA, 17)[0]
    assert c.text is not None and "\n(一)未经批准，擅自变更台名" in c.text


def test_pasted_text_with_ellipsis() -> None:   # 辽宁 row 16
    c = cites(LN, 16)[0]
    assert c.text == "……饮用水供水单位从事生产或者供应活动，应当依法取得卫生许可证。"


def test_curly_quote_entities() -> None:   # 西安 row 27: &ldquo;…&rdquo;
    c = cites(XA, 27)[1]
    assert c.text is not None and c.text.startswith("指出：“对安全生产标准化一级企业") and c.text.endswith("制定。”")


def test_crlf_inside_a_cell() -> None:   # 辽宁 row 10
    c = cites(LN, 10)[0]
    assert c.text is not None and "\r" not in c.text and c.text.count("\n") == 3


def test_leading_blank_lines_spaces_and_trailing_noise() -> None:   # 西安 rows 3 (\n\n), 4 (spaces), 9 (\n \n \n)
    assert cites(XA, 3)[0].article == 66
    assert cites(XA, 4)[0].title == "营业性演出管理条例"
    assert cites(XA, 9)[0].text is not None and cites(XA, 9)[0].text.endswith("五百元以下罚款。")


def test_quotes_wrapping_the_whole_cell() -> None:   # 辽宁 row 23: "…"
    cs = cites(LN, 23)
    assert [c.title for c in cs] == ["辽宁省建设工程造价管理办法", "房屋建筑和市政基础设施工程施工分包管理办法"]
    assert cs[1].text == "分包工程发包人应当在订立分包合同后7个工作日内，将合同送工程所在地县级以上地方人民政府建设行政主管部门备案。"


def test_leading_stray_semicolon() -> None:   # 辽宁 row 21: ;1、《…》
    assert pins(cites(LN, 21)) == [("军人抚恤优待条例", 33, None, None)]


# ------------------------------------------------------------------------------------------- documents and points

def test_annex_point_of_a_state_council_decision() -> None:   # 辽宁 row 13
    cs = cites(LN, 13)
    assert [(c.point, c.point_label) for c in cs] == [
        (193, "附件第193项"), (37, "附件2《国务院决定下放管理层级的行政审批项目目录》第37项")]
    assert cs[0].text == "设立经营性互联网文化单位审批（实施机关：文化部）。"
    assert cs[1].document == "国发〔2010〕21号"


def test_numbered_point_without_annex() -> None:   # 人社局 row 3: 第86项： 第88项：
    cs = cites(KM + "rsj-2024", 3, "附表1")
    assert [(c.point, c.point_label, c.text) for c in cs[1:3]] == [
        (86, "第86项", "设立人才中介服务机构及其业务范围审批。"), (88, "第88项", "职业介绍机构资格认定。")]


def test_whole_law_cited_without_article() -> None:   # 文旅局 row 3: 【法律】《中华人民共和国文物保护法》
    c = cites(KM + "wtglj-2024", 3, "打印版（全）")[0]
    assert (c.title, c.article, c.text, c.point_label) == ("中华人民共和国文物保护法", None, None, None)


# ------------------------------------------------------------------------------------------- laws inside pasted text

def test_law_named_inside_pasted_text_is_not_a_citation() -> None:   # 辽宁 row 1: 依照《中华人民共和国行政诉讼法》向人民法院起诉
    cs = cites(LN, 1)
    assert [c.title for c in cs] == ["中华人民共和国专利法", "辽宁省专利条例"]
    assert cs[0].text is not None and "依照《中华人民共和国行政诉讼法》向人民法院起诉" in cs[0].text


def test_no_title_holds_pasted_text_the_old_bug() -> None:   # 西安 row 1: the old parser made 《（一）消防设施》, 《器材的》
    cs = cites(XA, 1)
    assert [c.title for c in cs] == ["中华人民共和国消防法"]


def test_new_law_after_a_sentence_end_when_a_citation_head_follows() -> None:   # 西安 row 30: …罚款。《西安市…通知》（市编办…）
    assert len(cites(XA, 30)) == 2


def test_title_without_book_quotes_after_a_tag_and_a_supplement_label() -> None:   # 辽宁 row 9
    cs = cites(LN, 9)
    assert [(c.title, c.prefix, c.article) for c in cs] == [("港口危险货物安全管理规定", None, 58),
                                                         ("港口经营管理规定", "增补依据：", 29)]
    assert cs[0].text is not None and cs[0].text.endswith("并向本单位从业人员公布。")


def test_title_embedding_another_title_at_a_line_start() -> None:   # 医保局 row 3: 实施《…社会保险法》若干规定 第二十五条：
    assert cites(KM + "ybj-2024", 3, "Sheet1")[2].title == "实施《中华人民共和国社会保险法》若干规定"


def test_issuer_before_the_title_after_a_tag() -> None:   # 商务局 row 19: 【规范性文件】新疆…办公厅《关于…的通知》
    c = cites(KM + "swj-2024", 19, "1")[1]
    assert (c.title, c.title_key) == ("新疆维吾尔自治区人民政府办公厅《关于下放行政权力事项的通知》",
                                      "新疆维吾尔自治区人民政府办公厅关于下放行政权力事项的通知")


def test_order_number_before_the_title_is_a_prefix() -> None:   # 住建局 row 206: 【部令】 2017年3月1日国务院令第676号《…》
    c = cites(KM + "zjj-2024", 206, "准确版")[0]
    assert (c.title, c.prefix, c.article) == ("城市市容和环境卫生管理条例", "2017年3月1日国务院令第676号", 33)


def test_stray_closing_quote_inside_a_title() -> None:   # 商务局 row 4: 《报废机动车回收管理办法》实施细则》
    assert cites(KM + "swj-2024", 4, "1")[2].title == "报废机动车回收管理办法实施细则"


def test_title_opened_with_a_bracket() -> None:   # 人社局 row 65: 【法规】（禁止使用童工规定》
    assert cites(KM + "rsj-2024", 65, "附表1")[0].title == "禁止使用童工规定"


# ------------------------------------------------------------------------------------------- problems, exact wording

def test_unclosed_title_is_read_and_reported() -> None:   # 机关事务局 row 4
    p = parse_basis(cell(KM + "jgswj-2024", 4, "机关事务管理局"))
    assert p.problems == ["title not closed by 》 (书名号未闭合): read as 「新疆维吾尔自治区实施<公共机构节能条例>办法」"]
    assert p.citations[3].edition is not None and p.citations[3].edition.startswith("2012年2月21日")


def test_article_without_a_law_is_reported() -> None:   # 财政局 row 12 starts with 第七十八条：
    p = parse_basis(cell(KM + "czj-2025", 12, "Sheet1"))
    assert p.problems == ["article reference without a law title (条文前没有法规名称): "
                          "第七十八条：采购代理机构在代理政府采购业务中有违法行为的，按照有关法律规定处以罚…"]


def test_second_title_at_once_is_reported() -> None:   # 农业农村局 row 2: 《A》《A again》（新政发【2020】53号）文第三章第十条
    p = parse_basis(cell(KM + "nyncj-2024", 2, "行政许可（11项）"))
    assert p.problems == ["a second title follows the first at once, read as the same entry (书名后紧接第二个书名，"
                          "按同一依据读取): 「新疆维吾尔自治工种畜禽生产经营许可证管理办法以」"]
    c = p.citations[-1]
    assert (c.title, c.document, c.article) == ("新疆维吾尔自治区种畜禽生产经营许可证管理办法", "新政发【2020】53号", 10)


# ------------------------------------------------------------------------------------------- numbers

def test_cn_int_is_the_inverse_of_cn_number() -> None:
    for n in range(1, 10_000):
        assert cn_int(cn_number(n)) == n
        assert cn_int(str(n)) == n


@pytest.mark.parametrize("text,value", [("一〇一", 101), ("两百", 200), ("１２", 12), ("十", 10), ("〇", None),
                                        ("0", None), ("", None), ("十十", None), ("二十三四", None), ("一" * 13, None),
                                        ("123456", None), ("abc", None)])
def test_cn_int_edge_cases(text: str, value: int | None) -> None:
    assert cn_int(text) == value


# ------------------------------------------------------------------------------------------- properties

ALPHABET = st.sampled_from(
    list("《》〈〉<>【】[]〔〕（）()第条款项章之一二三四五六七八九十百千零〇两0123456789０１２、，,。；;：:“”\"…①②") +
    ["\n", "\r\n", " ", "  ", "\u3000", "\u00a0", "&#40;", "&#41;", "&ensp;", "&ldquo;", "&rdquo;", "&amp;",
     "法", "条例", "规定", "办法", "中华人民共和国", "附件", "号", "令", "国发", "年", "修正", "法律", "规章",
     "依照", "规定的", "增补依据：", "本法"])


@SETTINGS
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_never_raises_and_titles_hold_no_pasted_text(text: str) -> None:
    p = _parse(text)      # the parser itself, without parse_basis's last-resort guard
    for c in p.citations:
        assert c.title and not re.search(r"[。；;\n]", c.title)
        assert not re.search(r"第\s*[0-9０-９一二三四五六七八九十百千零〇两]+\s*[条款项]", c.title)
        for n in (c.article, c.paragraph, c.item, c.point):
            assert n is None or (isinstance(n, int) and n > 0)
    assert all(isinstance(m, str) and m for m in p.problems)


@SETTINGS
@given(st.text(max_size=300))
def test_never_raises_on_any_text(text: str) -> None:
    _parse(text)


TITLES = ["中华人民共和国行政许可法", "中华人民共和国消防法", "危险化学品安全管理条例", "新疆维吾尔自治区消防条例",
          "城市生活垃圾管理办法", "国务院关于加强食品等产品安全监督管理的特别规定"]
SENTENCES = ["违反本法规定的，由县级以上人民政府责令改正。", "依照《中华人民共和国行政诉讼法》向人民法院起诉。",
             "有下列情形之一的，处五千元以上五万元以下罚款：\n（一）未经许可的；\n（二）超出范围的。",
             "本法第十条规定的事项，依照本条例第七条、第八条的规定办理。", "……具体办法由国务院规定。",
             "按照《执业医师法》第三十九条规定处理。"]


Want = list[tuple[str, int, "int | None", str]]


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, Want]:
    """A cell in a published style and the citations it holds (title, article, paragraph, text). The same
    pinpoint drawn twice in one entry with the same text is one citation (see _flush)."""
    n = draw(st.integers(1, 4))
    numbered = draw(st.booleans())
    parts: list[str] = []
    want: Want = []
    for k in range(n):
        title = draw(st.sampled_from(TITLES))
        tag = draw(st.sampled_from(["", "【法律】", "【法规】", "【规章】 "]))
        edition = draw(st.sampled_from(["", "（2019修正）", "&#40;国务院令第439号公布，2020年11月29日修订&#41;"]))
        head = f"{tag}{f'{k + 1}、' if numbered else ''}《{title}》{edition}"
        body: list[str] = []
        entry: Want = []
        for _ in range(draw(st.integers(1, 3))):
            article = draw(st.integers(1, 300))
            paragraph = draw(st.one_of(st.none(), st.integers(1, 5)))
            sep = draw(st.sampled_from([" ", "\u3000", "：", ":", "&ensp;&ensp;", "\n"]))
            text = "".join(draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3)))
            pin = f"第{cn_number(article)}条" + (f"第{cn_number(paragraph)}款" if paragraph else "")
            body.append(f"{pin}{sep}{text}")
            if (title, article, paragraph, text) not in entry:
                entry.append((title, article, paragraph, text))
        want.extend(entry)
        parts.append(head + draw(st.sampled_from(["\n", "", " "])) + "\n".join(body))
    joiner = draw(st.sampled_from(["\n", "\r\n", "        "]))
    return joiner.join(parts), want


@SETTINGS
@given(cells())
def test_generated_cells_parse_back_to_their_citations(case: tuple[str, Want]) -> None:
    text, want = case
    p = parse_basis(text)
    assert [(c.title, c.article, c.paragraph, c.text) for c in p.citations] == want
    assert p.problems == []

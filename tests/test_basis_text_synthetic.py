"""SYNTHETIC cells for forms of issue 14 that no real source in tests/data/real-lists/ shows (see its README's
"Forms we did not find"), and for our own export format. Every cell here was written by us for the test; none is a
published row. Real cells are tested in tests/test_basis_text.py."""
from __future__ import annotations

import pytest

from powerlist.exchange.basis_text import (MAX_CELL, MAX_PROBLEMS, RANKS, cn_int, document_key, parse_basis,
                                           title_aliases, title_key)


def pins(text: str) -> list[tuple[object, ...]]:
    p = parse_basis(text)
    assert p.problems == []
    return [(c.title, c.article, c.paragraph, c.item) for c in p.citations]


def test_laws_numbered_with_circled_digits() -> None:   # synthetic: ① ② (not found in the corpus)
    text = "①《中华人民共和国行政许可法》第十二条 下列事项可以设定行政许可。②《中华人民共和国消防法》第十五条　公众聚集场所…"
    assert pins(text) == [("中华人民共和国行政许可法", 12, None, None), ("中华人民共和国消防法", 15, None, None)]


def test_laws_numbered_with_bracketed_digits() -> None:   # synthetic: (1)《…》 (2)《…》 on separate lines
    text = "(1)《城市生活垃圾管理办法》第十六条：单位和个人应当按照规定投放。\n(2)《危险化学品安全管理条例》第七条：…"
    assert [c.title for c in parse_basis(text).citations] == ["城市生活垃圾管理办法", "危险化学品安全管理条例"]


def test_tag_local_government_rule() -> None:   # synthetic: 【地方政府规章】 (real lists write 【政府规章】)
    c = parse_basis("【地方政府规章】《辽宁省建设工程造价管理办法》第十八条 建设工程发包人应当…").citations[0]
    assert (c.rank_tag, c.rank) == ("地方政府规章", "地方政府规章")


def test_every_level_of_the_format_has_a_tag() -> None:
    assert {v for v in RANKS.values() if v} == {"法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件"}


def test_unknown_tag_keeps_the_tag_without_a_level() -> None:   # synthetic
    c = parse_basis("【其他】《某某工作规范》第三条：…").citations[0]
    assert (c.rank_tag, c.rank, c.title) == ("其他", None, "某某工作规范")


def test_bracketed_items_with_di_as_a_pinpoint() -> None:   # synthetic: 第二十一条第（一）、（二）项 outside pasted text
    assert pins("《娱乐场所管理办法》第二十一条第（一）、（二）项：游艺娱乐场所经营应当符合以下规定") == [
        ("娱乐场所管理办法", 21, None, 1), ("娱乐场所管理办法", 21, None, 2)]


def test_items_joined_with_he() -> None:   # synthetic: 第十六条第七项和第八项
    assert pins("《工程监理企业资质管理规定》第十六条第七项和第八项") == [
        ("工程监理企业资质管理规定", 16, None, 7), ("工程监理企业资质管理规定", 16, None, 8)]


def test_article_range_is_expanded() -> None:   # synthetic, the form of the 责任事项依据 columns: 第二十九条至第三十一条
    assert pins("《中华人民共和国行政许可法》第二十九条至第三十一条、第四十五条") == [
        ("中华人民共和国行政许可法", a, None, None) for a in (29, 30, 31, 45)]


def test_article_range_too_long_is_reported() -> None:   # synthetic
    p = parse_basis("《某法》第一条至第五百条")
    assert [c.article for c in p.citations] == [1, 500]
    assert p.problems == ["article range 第一条至第五百条 not expanded, only its ends cited (条文范围未展开，只引用首尾两条)"]


def test_our_export_format_reads_back_with_its_notes() -> None:   # synthetic: what powerlist export writes
    text = "《中华人民共和国行政许可法》第十二条第一款第（二）项（依法应当取得许可的情形）\n《中华人民共和国行政处罚法》第二十条"
    p = parse_basis(text)
    assert [(c.title, c.article, c.paragraph, c.item, c.note, c.text) for c in p.citations] == [
        ("中华人民共和国行政许可法", 12, 1, 2, "依法应当取得许可的情形", None),
        ("中华人民共和国行政处罚法", 20, None, None, None, None)]


def test_tidy_list_with_semicolons_and_continued_articles() -> None:   # synthetic: the form the old parser read
    assert pins("《中华人民共和国行政许可法》第十二条第一款第二项、第十四条；《中华人民共和国行政处罚法》第三条") == [
        ("中华人民共和国行政许可法", 12, 1, 2), ("中华人民共和国行政许可法", 14, None, None),
        ("中华人民共和国行政处罚法", 3, None, None)]


def test_title_without_book_quotes_at_the_start_of_a_cell() -> None:   # synthetic: 中华人民共和国行政许可法第12条第1款
    assert pins("中华人民共和国行政许可法第12条第1款") == [("中华人民共和国行政许可法", 12, 1, None)]


def test_item_without_an_article_is_reported() -> None:   # synthetic
    p = parse_basis("《某法》第三条：…。\n第二款：…")
    assert [(c.article, c.paragraph) for c in p.citations] == [(3, None), (3, 2)]
    p = parse_basis("《某法》\n第二款：有下列情形之一的")
    assert p.problems == ["paragraph or item without an article (款项前没有条): 第二款"]


def test_lead_word_before_the_title() -> None:   # synthetic: 依据《…》第…条
    c = parse_basis("依据《中华人民共和国行政许可法》第十二条").citations[0]
    assert (c.title, c.prefix, c.article) == ("中华人民共和国行政许可法", "依据", 12)


def test_text_before_the_first_title_is_reported() -> None:   # synthetic
    p = parse_basis("见下列法规：\n《某条例》第一条")
    assert p.problems == ["text before the first law title not read (首个法规名称前的文字未读取): 见下列法规"]


def test_no_title_at_all_is_reported() -> None:
    assert parse_basis("按有关规定执行").problems == ["no law title found (未找到法规名称): 按有关规定执行"]


def test_empty_and_odd_input() -> None:
    for text in ("", "   \n\u3000", '""', None):
        p = parse_basis(text)  # type: ignore[arg-type]
        assert p.citations == [] and p.problems == []
    assert parse_basis(12).problems == ["no law title found (未找到法规名称): 12"]  # type: ignore[arg-type]


def test_overlong_cell_is_cut_and_reported() -> None:
    p = parse_basis("《某法》第一条" + "文" * (MAX_CELL + 10))
    assert p.problems == [f"cell longer than {MAX_CELL} characters, read up to there "
                          f"(单元格过长，只读取前{MAX_CELL}个字符)"]
    assert p.citations[0].text is not None and len(p.citations[0].text) == MAX_CELL - len("《某法》第一条")


def test_problems_are_capped() -> None:
    p = parse_basis("\n".join(f"第{n}条 文字" for n in range(1, 40)))
    assert len(p.problems) == MAX_PROBLEMS + 1
    assert p.problems[-1] == "… and 19 more problems in this cell (另有19处无法读取)"


def test_title_holding_a_pinpoint_is_not_a_title() -> None:   # synthetic, the old bug's shape
    assert parse_basis("《第五条》的规定").citations == []
    assert [c.title for c in parse_basis("《消防法》第六十条：（一）消防设施、器材的；").citations] == ["消防法"]


# ------------------------------------------------------------------------------------------- matching keys

@pytest.mark.parametrize("title,key", [
    ("中华人民共和国土地管理法 ", "中华人民共和国土地管理法"),
    ("中华人民共和国文物保护法（2017修正）", "中华人民共和国文物保护法"),
    ("政府核准的投资项目目录（2016年本）", "政府核准的投资项目目录"),
    ("新疆维吾尔自治区政府制定价格成本监审办法实施细则（试行）", "新疆维吾尔自治区政府制定价格成本监审办法实施细则(试行)"),
    ("关于印发<融资担保公司监督管理条例>四项配套制度的通知", "关于印发融资担保公司监督管理条例四项配套制度的通知"),
    ("关于印发〈融资担保公司监督管理条例〉四项配套制度的通知", "关于印发融资担保公司监督管理条例四项配套制度的通知"),
    ("财政部 税务总局关于明确国有农用地出租等增值税政策的公告", "财政部税务总局关于明确国有农用地出租等增值税政策的公告"),
    ("Ｗ１２法", "W12法"),
])
def test_title_key(title: str, key: str) -> None:
    assert title_key(title) == key


def test_title_aliases_add_or_drop_the_country_prefix() -> None:
    assert title_aliases("中华人民共和国档案法") == ("档案法",)
    assert title_aliases("档案法") == ("中华人民共和国档案法",)
    assert title_aliases("") == ()


@pytest.mark.parametrize("number,key", [("辽政发【2017】33号", "辽政发〔2017〕33号"), ("新政发〔 2013 〕82号", "新政发〔2013〕82号"),
                                        ("市编办（2015）123号", "市编办〔2015〕123号"), ("国发[2012]52号", "国发〔2012〕52号"),
                                        ("新金规﹝2021﹞1号", "新金规〔2021〕1号")])
def test_document_key(number: str, key: str) -> None:
    assert document_key(number) == key


def test_cn_int_bounds() -> None:
    assert cn_int("九万九千") is None and cn_int("99999") == 99999 and cn_int("100000") is None


def test_article_provides_right_after_the_title() -> None:   # synthetic: 《…》第十五条规定：…
    c = parse_basis("《中华人民共和国消防法》第十五条规定：公众聚集场所投入使用、营业前…").citations[0]
    assert (c.article, c.text) == (15, "公众聚集场所投入使用、营业前…")
    c = parse_basis("依据《中华人民共和国行政许可法》第十二条规定，下列事项可以设定行政许可").citations[0]
    assert (c.prefix, c.article, c.text) == ("依据", 12, "下列事项可以设定行政许可")


def test_inserted_article_is_a_label() -> None:   # synthetic: 第一百二十条之一 has no article number of its own
    c = parse_basis("《中华人民共和国刑法》第一百二十条之一 帮助恐怖活动的…").citations[0]
    assert (c.article, c.point_label, c.text) == (None, "第一百二十条之一", "帮助恐怖活动的…")


def test_a_cell_starting_with_a_title_cites_it() -> None:   # synthetic: the reference after it is text
    c = parse_basis("《某某法》第十条规定的事项依照执行").citations[0]
    assert (c.title, c.article, c.text) == ("某某法", None, "第十条规定的事项依照执行")

"""Law and department ids made by the importer: readable pinyin, valid ids, deterministic and unique."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from powerlist.exchange.lawreg import edition_facts, guess_issuer, guess_level
from powerlist.exchange.slug import MAX_SLUG, initials, law_slug, unique
from powerlist.model.records import ID_RE


def test_readable_slugs() -> None:
    assert law_slug("中华人民共和国城市房地产管理法") == "chengshi-fangdichan-guanlifa"   # as the sample's laws/
    assert law_slug("中华人民共和国行政许可法") == "xingzheng-xukefa"
    assert law_slug("工伤保险条例") == "gongshang-baoxian-tiaoli"
    assert law_slug("档案法实施条例") == "danganfa-shishi-tiaoli"
    assert law_slug("国务院关于第五批取消和下放管理层级行政审批项目的决定", "国发〔2010〕21号") == "guofa-2010-21"
    assert law_slug("辽宁省人民政府关于取消调整一批行政职权事项的决定", "辽政发【2017】33号") == "liaozhengfa-2017-33"
    assert initials("财政局") == "czj"


@settings(deadline=None)   # the first call loads pypinyin's dictionaries
@given(st.text(max_size=60), st.one_of(st.none(), st.text(max_size=20)))
def test_slugs_are_ids_and_deterministic(title: str, document: str | None) -> None:
    slug = law_slug(title, document)
    assert ID_RE.match(slug) and len(slug) <= MAX_SLUG
    assert slug == law_slug(title, document)


def test_unique_suffixes() -> None:
    taken = {"xiaofangfa"}
    assert [unique("xiaofangfa", taken) for _ in range(3)] == ["xiaofangfa-2", "xiaofangfa-3", "xiaofangfa-4"]


def test_levels_and_issuers_guessed() -> None:
    assert guess_level("中华人民共和国消防法", None, None) == "法律"
    assert guess_level("新疆维吾尔自治区消防条例", None, None) == "地方性法规"
    assert guess_level("道路运输条例", None, None) == "行政法规"
    assert guess_level("新疆维吾尔自治区实施办法", None, None) == "地方政府规章"
    assert guess_level("某某规定", None, "交通运输部令2019年第1号") == "部门规章"
    assert guess_level("国务院关于…的决定", None, "国发〔2010〕21号") == "规范性文件"
    assert guess_level("某某办法", "行政法规", None) == "行政法规"      # the rank tag wins
    assert guess_issuer("新疆维吾尔自治区消防条例", "地方性法规", None) == "新疆维吾尔自治区人民代表大会常务委员会"
    assert guess_issuer("国务院关于…的决定", "规范性文件", None) == "国务院"
    assert guess_issuer("某某办法", "部门规章", None) == "待核实"
    assert edition_facts("国务院令第439号公布，2020年11月29日国务院令第732号第四次修订") == {"document": "国务院令第732号"}
    assert edition_facts("2019年4月23日公布，自2019年10月1日起施行") == {"promulgated": "2019-04-23",
                                                                        "effective": "2019-10-01"}

"""Safe Markdown, citation links and JSON-LD escaping (powerlist/render.py)."""
from __future__ import annotations

import json

from powerlist.model import Citation, Law
from powerlist.render import citation_html, json_ld, markdown_safe, nl2br

LAWS = {"xingzheng-xukefa": Law(id="xingzheng-xukefa", title="中华人民共和国行政许可法", level="法律",
                                issuer="全国人民代表大会常务委员会", status="现行有效")}


def test_markdown_renders_basic_formatting():
    html = str(markdown_safe("**重要** 事项\n\n- 一\n- 二"))
    assert "<strong>重要</strong>" in html
    assert "<li>一</li>" in html


def test_raw_html_is_shown_as_text_not_executed():
    html = str(markdown_safe("<script>alert(1)</script> <img src=x onerror=alert(1)>"))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.replace("&gt;", "&gt;")
    assert "onerror=alert(1)" in html  # as visible text, inside no tag
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_javascript_links_are_removed():
    html = str(markdown_safe("[点我](javascript:alert(1)) [官网](https://example.gov.cn/)"))
    assert "javascript:" not in html
    assert 'href="https://example.gov.cn/"' in html
    assert 'rel="noopener noreferrer"' in html


def test_event_handler_attributes_cannot_survive():
    html = str(markdown_safe('[x](https://a.example/ "t" onclick="alert(1)")'))
    assert "onclick" not in html.split(">")[0]


def test_empty_summary():
    assert str(markdown_safe(None)) == "" and str(markdown_safe("")) == ""


def test_citation_links_to_article_anchor_with_chinese_numerals():
    c = Citation(law="xingzheng-xukefa", article=12, paragraph=1, item=2, note="<b>情形</b>")
    html = str(citation_html(c, LAWS, "../.."))
    assert html.startswith('<a class="cite" href="../../laws/xingzheng-xukefa/#art-12">')
    assert "《中华人民共和国行政许可法》第十二条第一款第（二）项</a>" in html
    assert "&lt;b&gt;情形&lt;/b&gt;" in html


def test_citation_unknown_law_falls_back_to_id_escaped():
    html = str(citation_html(Citation(law="x<y", article=3), {}, "."))
    assert "《x&lt;y》第三条" in html


def test_json_ld_cannot_close_the_script_element():
    out = str(json_ld({"name": "</script><script>alert(1)</script>&"}))
    assert "</script>" not in out and "<" not in out and "&" not in out
    assert json.loads(out)["name"] == "</script><script>alert(1)</script>&"


def test_nl2br_escapes_each_line():
    assert str(nl2br("a<b\nc")) == "a&lt;b<br>c"


# ---- the plain-prose fast path of markdown_safe equals the Markdown + nh3 path

from hypothesis import given, settings, strategies as st  # noqa: E402

from powerlist import render  # noqa: E402


def _full_path(text: str) -> str:
    """markdown_safe without its fast path."""
    saved = render.plain_paragraphs
    render.plain_paragraphs = lambda _t: None  # type: ignore[assignment]
    try:
        return str(markdown_safe(text))
    finally:
        render.plain_paragraphs = saved


_PIECES = list("办理许可证，。、；：“”（）《》！？abcXYZ019 \n\n一二三\u3000\u00a0\t\u200b\x85\u2028😀\x80\x9f\ufeffé") + [
    "  ", "\n\n\n", " \n", "\n "]
_PROSE = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_PROSE, st.text(max_size=40)))
def test_plain_fast_path_equals_markdown(text: str) -> None:
    fast = render.plain_paragraphs(text)
    if fast is not None and text:
        assert fast == _full_path(text)


def test_plain_fast_path_applies_to_prose_and_not_to_markup() -> None:
    prose = "本事项适用于本行政区域内的管理活动，由市城市管理局依法实施。\n\n依法需要听证的，所需时间不计算在办理时限内。"
    assert render.plain_paragraphs(prose) == _full_path(prose)
    assert render.plain_paragraphs("处**一千元以上**罚款") is None
    assert render.plain_paragraphs("1. 受理\n2. 审查") is None
    assert render.plain_paragraphs("    缩进") is None
    assert render.plain_paragraphs("<script>alert(1)</script>") is None

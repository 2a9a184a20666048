"""Safe Markdown, citation links and JSON-LD escaping (powerlist/site/render.py)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from markupsafe import Markup

from powerlist.model.records import Citation, Law
from powerlist.site.render import citation_html, json_ld, markdown_safe, nl2br

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

from powerlist.site import render  # noqa: E402


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


# ---- code spans show what the author typed; no raw HTML runs

@pytest.mark.parametrize("source,html", [
    ("用 `a<b && c>d` 表示", "<p>用 <code>a&lt;b &amp;&amp; c&gt;d</code> 表示</p>"),
    ("`&lt;` 与 `&amp;`", "<p><code>&amp;lt;</code> 与 <code>&amp;amp;</code></p>"),
    ("`</code><script>alert(1)</script>`", "<p><code>&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code></p>"),
    ("    if a < b && c:\n        <img src=x onerror=alert(1)>",
     "<pre><code>if a &lt; b &amp;&amp; c:\n    &lt;img src=x onerror=alert(1)&gt;\n</code></pre>"),
    ("| 条件 | 写法 |\n|---|---|\n| 小于 | `x<y` |",
     "<td><code>x&lt;y</code></td>"),
    ("正文 <b>不是粗体</b> & `<b>`", "<p>正文 &lt;b&gt;不是粗体&lt;/b&gt; &amp; <code>&lt;b&gt;</code></p>"),
])
def test_code_spans_show_the_text_as_typed(source: str, html: str) -> None:
    out = str(markdown_safe(source))
    assert html in out
    assert "<script" not in out and "<img" not in out and "<b>" not in out


# ---- code points HTML forbids never reach a page

FORBIDDEN = ["\x00", "\x01", "\x08", "\x0b", "\x0e", "\x1f", "\x7f", "\x85", "\x9f", "\ud800", "\udfff", "\ufdd0",
             "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"]
ALLOWED = ["\t", "\n", "\x0c", "\r", " ", "\xa0", "\u2028", "\ufdcf", "\ufdf0", "\ufffd", "\U0001f600", "\U0001fffd"]


@pytest.mark.parametrize("ch", FORBIDDEN)
def test_html_chars_replaces_each_forbidden_code_point(ch: str) -> None:
    out = render.html_chars(f"<p>甲{ch}乙</p>")
    assert str(out) == "<p>甲\ufffd乙</p>" and isinstance(out, Markup)
    str(out).encode("utf-8")  # writable


def test_html_chars_leaves_everything_else_as_it_is() -> None:
    text = "<p>" + "".join(ALLOWED) + "&lt;中文&amp;</p>"
    assert str(render.html_chars(text)) == text


@pytest.mark.parametrize("ch", FORBIDDEN)
def test_json_ld_writes_forbidden_code_points_as_json_escapes(ch: str) -> None:
    out = str(json_ld({"remarks": f"甲{ch}乙"}))
    assert not render.HTML_FORBIDDEN.search(out)
    assert json.loads(out) == {"remarks": f"甲{ch}乙"}


def test_every_page_goes_through_html_chars() -> None:
    """base.html renders the whole document through the filter, so a page template that forgets nothing can
    still not put a forbidden code point on the page; without the filter (Pelican's own generators) the page
    is rendered as it is."""
    from jinja2 import Environment, FileSystemLoader

    theme = Path(__file__).resolve().parents[1] / "theme" / "templates"
    child = '{% extends "base.html" %}{% block content %}<p>{{ text }}</p>{{ text|nl2br }}{% endblock %}'

    def render_with(filters: dict) -> str:
        env = Environment(loader=FileSystemLoader(str(theme)), autoescape=True)
        env.filters.update(filters)
        return env.from_string(child).render(text="名称\uffff\x01 <b>", SITEURL="", SITENAME="清单",
                                             nav_links=[], site_pages=[], page_url="x/")

    page = render_with(render.jinja_filters())
    assert "名称\ufffd\ufffd &lt;b&gt;" in page and not render.HTML_FORBIDDEN.search(page)
    assert page.startswith("<!DOCTYPE html>\n<html") and page.endswith("</html>")
    plain = render_with({k: v for k, v in render.jinja_filters().items() if k != "html_chars"})
    assert "名称\uffff\x01 &lt;b&gt;" in plain
    assert plain.replace("\uffff", "\ufffd").replace("\x01", "\ufffd") == page


def test_a_link_whose_address_is_removed_becomes_its_text() -> None:
    """nh3 drops a javascript:/data: address but would leave <a rel=…> behind, which HTML forbids without href."""
    html = str(markdown_safe('[点我](javascript:alert(1)) [t](data:text/html,x "题>目") [**粗**](vbscript:x) '
                             '[官网](https://example.gov.cn/ "官网") [相对](../x/)'))
    assert html == ('<p>点我 t <strong>粗</strong> <a href="https://example.gov.cn/" title="官网" '
                    'rel="noopener noreferrer">官网</a> <a href="../x/" rel="noopener noreferrer">相对</a></p>')

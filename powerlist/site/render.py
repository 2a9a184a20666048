"""Text rendering shared by the site templates: safe Markdown, citations, JSON-LD.

Everything here returns either plain text (escaped later by Jinja's autoescape) or :class:`Markup` that has
been made safe here (sanitized with nh3, or built from escaped parts). Nothing from the data reaches the page
unescaped.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

import markdown as _markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from ..model.citation import article_anchor, article_label, cn_number, format_citation
from ..model.records import Citation, Law

#: Tags a summary may use after Markdown. No images (they would be external requests), no raw HTML.
SUMMARY_TAGS: frozenset[str] = frozenset({
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td", "del", "sub", "sup",
})
SUMMARY_ATTRIBUTES: dict[str, set[str]] = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES: frozenset[str] = frozenset({"http", "https", "mailto", "tel"})
#: ``rel`` of every summary link.
LINK_REL = "noopener noreferrer"
#: A link whose address the sanitizer removed (javascript:, data: …): nh3 still gives it ``rel``, which HTML
#: allows only with ``href``. Such a link becomes its text. (nh3 writes the attributes it keeps in this
#: order, values quoted with ``"`` escaped; a link cannot contain a link, so the first ``</a>`` is its end.)
_DEAD_LINK = re.compile(rf'<a(?: title="[^"]*")? rel="{LINK_REL}">(.*?)</a>', re.S)


_MD: _markdown.Markdown | None = None


class _CodeUnescape(Treeprocessor):
    """Undo the second escaping of code spans and code blocks. :func:`markdown_safe` escapes ``&`` and ``<``
    before Markdown runs, and Markdown escapes code text again (``&lt;`` → ``&amp;lt;``), so a code span would
    show ``&lt;`` instead of ``<``. In code, Markdown wrote each ``&`` of its input as ``&amp;`` and each ``>``
    as ``&gt;`` (its input holds no ``<``); turning each ``&amp;`` back into ``&`` leaves the text escaped
    exactly once, so code shows what the author typed and still holds no markup."""

    def run(self, root: Any) -> None:
        for el in root.iter("code"):
            if el.text and "&amp;" in el.text:
                el.text = type(el.text)(el.text.replace("&amp;", "&"))


class _CodeUnescapeExtension(Extension):
    def extendMarkdown(self, md: _markdown.Markdown) -> None:  # noqa: N802 - Markdown's API
        md.treeprocessors.register(_CodeUnescape(md), "powerlist_code_unescape", 0)


def _md() -> _markdown.Markdown:
    """One Markdown converter, reused (building one per call costs more than converting)."""
    global _MD
    if _MD is None:
        _MD = _markdown.Markdown(extensions=["tables", "sane_lists", _CodeUnescapeExtension()],
                                 output_format="html")
    return _MD


def markdown_safe(text: str | None) -> Markup:
    """Render item Markdown (``summary``) to sanitized HTML.

    Raw HTML in the source is shown as text (``<`` and ``&`` are escaped before Markdown runs, so
    ``<script>`` appears literally; code spans and blocks show them as typed), then the Markdown output is
    sanitized with nh3: no scripts, no event handler attributes, only http(s)/mailto/tel links (a link to
    anything else becomes its text).
    """
    if not text:
        return Markup("")
    plain = plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)
    pre = text.replace("&", "&amp;").replace("<", "&lt;")
    md = _md()
    html = md.reset().convert(pre)
    clean = nh3.clean(html, tags=set(SUMMARY_TAGS), attributes={k: set(v) for k, v in SUMMARY_ATTRIBUTES.items()},
                      url_schemes=set(URL_SCHEMES), link_rel=LINK_REL, strip_comments=True)
    if "<a " in clean and _DEAD_LINK.search(clean):
        clean = _DEAD_LINK.sub(r"\1", clean)
    return Markup(clean)



#: Text that Markdown leaves as plain paragraphs: no ASCII punctuation (every Markdown and HTML syntax character
#: is one), no control characters and no whitespace but single spaces inside lines and newlines.
_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f!-/:-@\[-`{-\x7f]|[^\S \n]|^ | $| {2}", re.M)


def plain_paragraphs(text: str) -> str | None:
    """The HTML that :func:`markdown_safe` makes of ``text`` when it is plain prose (most summaries are:
    Chinese sentences with full-width punctuation), without running Markdown and the sanitizer; None when
    ``text`` may contain Markdown or HTML syntax. Tested equal to the full path."""
    if _NOT_PLAIN.search(text):
        return None
    paras = [p for p in re.split(r"\n{2,}", text.strip("\n")) if p]
    return "\n".join(f"<p>{p}</p>" for p in paras)


def citation_text(c: Citation, laws: Mapping[str, Law]) -> str:
    """《中华人民共和国行政许可法》第十二条第一款第（二）项 (plain text; Jinja escapes it)."""
    return format_citation(c, laws)


def law_url(law_id: str) -> str:
    """The law page URL relative to the site root."""
    return f"laws/{law_id}/"


def citation_href(c: Citation) -> str:
    """Link target of a citation: the article anchor on the law page (relative to the site root); the law page
    itself for a citation without an article."""
    if c.article is None:
        return law_url(c.law)
    return f"{law_url(c.law)}#{article_anchor(c.article)}"


def citation_html(c: Citation, laws: Mapping[str, Law], siteurl: str) -> Markup:
    """A citation linked to its article on the law page: <a href=…>《title》</a>第…条."""
    law = laws.get(c.law)
    title = law.title if law else c.law
    label = article_label(c)
    href = f"{siteurl}/{citation_href(c)}"
    out = Markup('<a class="cite" href="{}">《{}》{}</a>').format(href, title, label)
    if c.note:
        out += Markup('<span class="cite-note">（{}）</span>').format(c.note)
    return out


def json_ld(obj: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block, safe against ``</script>`` in the data; code
    points HTML forbids (see :data:`HTML_FORBIDDEN`) are written as JSON escapes, so the data stays whole."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if HTML_FORBIDDEN.search(text):
        text = HTML_FORBIDDEN.sub(lambda m: json.dumps(m.group())[1:-1], text)
    return Markup(text)


#: Code points that make an HTML page invalid wherever they stand (the HTML standard's parse errors
#: "control-character-in-input-stream", "noncharacter-in-input-stream", "surrogate-in-input-stream" and
#: "unexpected-null-character"; a character reference to them is no better): C0 controls but tab, LF, FF and
#: CR; DEL and the C1 controls; the noncharacters U+FDD0–U+FDEF and U+xFFFE/U+xFFFF of every plane; lone
#: surrogates (which cannot even be written as UTF-8).
HTML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                            + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
                            + "]")


def html_chars(html: str) -> Markup:
    """A whole rendered page with each code point HTML forbids (:data:`HTML_FORBIDDEN`) replaced by U+FFFD
    (shown as �, as a browser shows undecodable text). Validation rejects them in the data; this is the last
    line for whatever still carries one (a template, a feature's fragment, a data set checked by an older
    validator), so that no text can make a page invalid HTML or unwritable. ``base.html`` applies it to every
    page; pages without them come out unchanged."""
    if HTML_FORBIDDEN.search(html):
        html = HTML_FORBIDDEN.sub("\ufffd", html)
    return Markup(html)


def nl2br(text: str | None) -> Markup:
    """Plain text with line breaks kept (escaped)."""
    if not text:
        return Markup("")
    return Markup("<br>").join(escape(line) for line in text.splitlines())


def jinja_filters() -> dict[str, Any]:
    """Filters registered in the theme's Jinja environment."""
    return {
        "cn_number": cn_number,
        "article_label": article_label,
        "article_anchor": article_anchor,
        "markdown_safe": markdown_safe,
        "json_ld": json_ld,
        "nl2br": nl2br,
        "html_chars": html_chars,
    }

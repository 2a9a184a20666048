"""The 实施依据 cell of a published power list → citations and the article texts pasted with them.

Pure text → data: no laws/, no Catalog, no Pelican. :func:`parse_basis` reads what governments actually publish
(real rows in ``tests/data/real-lists/``)::

    【法律】《中华人民共和国消防法》（2021修正）第十五条、第五十八条第一款第（四）项和第三款：
        第十五条　公众聚集场所投入使用、营业前……
    1、《中华人民共和国土地管理法 》（2019修正）第七十七条第一款 未经批准……   2、《…实施条例》…
    【规范性文件】《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）
    附件2《国务院决定下放管理层级的行政审批项目目录》第37项：“设立经营性互联网文化单位审批”……

How the cell is read (a left-to-right scan over *boundaries*):

* Boundaries are the cell start, every line start, the end of a run of two or more spaces (U+3000, NBSP and
  &ensp; count as spaces), the end of a sentence (。；;) and every rank tag 【…】. Only at a boundary can a new
  law entry or a new article pinpoint begin; anywhere else 《…》 and 第X条 are part of pasted text, so
  ``…依照《中华人民共和国行政诉讼法》向人民法院起诉`` inside an article is text, never a citation.
* An *entry* is [number][【tag】][number][prefix]《title》[（edition note）|文号], or a title written without
  《》 after a tag or at a line start when an article pinpoint follows. At a boundary without a tag, 《…》 starts an
  entry only when what follows it looks like a citation head (line end, an edition note, a 文号, a pinpoint, a
  colon or quote) or when it opens the cell, so a sentence that merely begins with 《…》 stays text.
* A *pinpoint* is a list such as 第十四条（二）、（五）项 or 第十二条第一款、第二款 (one citation each) or a point of a
  document (附件第193项, 附件2《…目录》第37项, 第86项). A pinpoint followed by 规定/的/所/之… is a reference inside
  text, not a pinpoint (except 第X条规定： right after a title). The text between a pinpoint and the next event
  is that pinpoint's pasted text; 第4.3条, 第一百二十条之一, 第一部分第六条 are kept as labels.

A rank tag belongs to the entry it stands before, never to the following untagged entries (every tagged list in
the corpus tags each entry). Nothing here raises: what cannot be read is reported in ``problems``.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["TextCitation", "BasisParse", "parse_basis", "cn_int", "title_key", "title_aliases", "document_key",
           "RANKS", "MAX_CELL", "MAX_PROBLEMS"]

#: At most this many problems are listed for one cell; the rest are counted in one last line.
MAX_PROBLEMS = 20
#: Cells longer than this are read up to here only (Excel's own cell limit is 32,767 characters).
MAX_CELL = 100_000

#: Rank tags as written (spaces removed, NFKC) → the format's law level, or None when the tag does not say
#: which level: 【规章】 (部门 or 地方政府), 【法规】 (行政 or 地方性), 【国务院决定】 (a 国务院令 decision has the
#: force of 行政法规, a 国发 document is 规范性文件), 【党内法规】 and 【标准】 (not law levels of the format).
RANKS: dict[str, str | None] = {
    "法律": "法律",
    "行政法规": "行政法规", "行法规": "行政法规", "国务院行政法规": "行政法规",
    "地方性法规": "地方性法规", "地方法规": "地方性法规", "自治条例": "地方性法规", "单行条例": "地方性法规",
    "部门规章": "部门规章", "部令": "部门规章", "部委规章": "部门规章",
    "地方政府规章": "地方政府规章", "政府规章": "地方政府规章", "省政府规章": "地方政府规章",
    "规范性文件": "规范性文件", "其他规范性文件": "规范性文件", "行政规范性文件": "规范性文件",
    "规章": None, "法规": None, "国务院决定": None, "党内法规": None, "标准": None,
}


@dataclass(frozen=True, slots=True)
class TextCitation:
    """One citation read from a basis cell. Numbers are positive ints or None."""

    #: the law or document title as written, without 《》 and without an edition note
    title: str
    #: the matching form of the title (see :func:`title_key`)
    title_key: str
    #: the format's law level from the rank tag, or None (no tag, or a tag that does not say, e.g. 【规章】)
    rank: str | None = None
    #: the rank tag as written without 【】 and spaces (法律, 规章, 国务院决定…), or None
    rank_tag: str | None = None
    #: the edition note as written (2019修正; 国务院令第439号公布，…第四次修订), or None
    edition: str | None = None
    #: the 文号 as written when the title is followed by one (国发〔2010〕21号), or None
    document: str | None = None
    #: the matching form of ``document`` (see :func:`document_key`)
    document_key: str | None = None
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    #: a numbered point of a document (附件第193项 → 193)
    point: int | None = None
    #: the pinpoint as written when it is not a 条/款/项 of the title: 附件第193项, 附件2《…目录》第37项,
    #: 第一部分第六条, 第五章
    point_label: str | None = None
    #: the text pasted after the pinpoint (separators, indentation and wrapping quotes removed), or None
    text: str | None = None
    #: a bracketed remark that followed the pinpoint and nothing else (our own exports write notes so)
    note: str | None = None
    #: text written before the title that is neither a tag nor a number: an issuer (新疆…办公厅), an order
    #: number (2017年3月1日国务院令第676号) or a label (增补依据：)
    prefix: str | None = None


@dataclass(slots=True)
class BasisParse:
    """What :func:`parse_basis` read: the citations in cell order and what it could not read."""

    citations: list[TextCitation] = field(default_factory=list)
    #: one line each, English then Chinese, for an import report
    problems: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------------------------- numbers

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_MAX_NUMBER = 99_999


def cn_int(text: str) -> int | None:
    """Chinese or Arabic numerals → a positive int (十二 → 12, 一百零一 → 101, 一〇一 → 101, １２ → 12), else None.

    Bounded (at most 12 characters, values up to 99,999) and iterative. Chosen over cn2an (PyPI): pinpoints
    only need small integers, and cn2an is ~20x slower per call, returns floats for full-width digits in its
    smart mode and adds a dependency.
    """
    s = text.strip()
    if not s or len(s) > 12:
        return None
    if s.isdecimal():
        try:
            n = int(unicodedata.normalize("NFKC", s))
        except ValueError:
            return None
        return n if 0 < n <= _MAX_NUMBER else None
    if all(ch in _CN_DIGIT for ch in s):            # 一〇一: digit by digit
        n = 0
        for ch in s:
            n = n * 10 + _CN_DIGIT[ch]
        return n if 0 < n <= _MAX_NUMBER else None
    total = num = 0
    digit_seen = False
    last_unit = 10_000
    for ch in s:
        if ch in _CN_DIGIT:
            if digit_seen and num and _CN_DIGIT[ch]:  # 二三 inside a unit number: not a number
                return None
            num = _CN_DIGIT[ch]
            digit_seen = True
        elif ch in _CN_UNIT:
            unit = _CN_UNIT[ch]
            if unit >= last_unit:                   # 十百, 百百: units must fall
                return None
            total += (num if digit_seen else 1) * unit
            num, digit_seen, last_unit = 0, False, unit
        else:
            return None
    total += num
    return total if 0 < total <= _MAX_NUMBER else None


# ----------------------------------------------------------------------------------------------- matching keys

_EDITION_WORDS = ("修正", "修订", "修改", "公布", "施行", "实施", "通过", "发布", "颁布", "批准", "版", "令")
_EDITION_TAIL = re.compile(r"\s*[（(]([^（）()]*(?:\d|" + "|".join(_EDITION_WORDS) + r")[^（）()]*)[）)]\s*$")
_QUOTE_MARKS = str.maketrans("", "", "<>《》〈〉«»")
_CHINA = "中华人民共和国"


@functools.lru_cache(maxsize=8192)      # titles recur across thousands of rows
def title_key(title: str) -> str:
    """The matching form of a title: NFKC (full-width → half-width), no whitespace, no title quotes 《》〈〉<>
    (关于印发〈X〉的通知 = 关于印发《X》的通知 = 关于印发<X>的通知), no trailing edition note （2019修正）, no trailing
    。. Keeps 中华人民共和国 (see :func:`title_aliases`)."""
    s = unicodedata.normalize("NFKC", title)
    s = _SPACES.sub("", s).translate(_QUOTE_MARKS)
    for _ in range(3):
        m = _EDITION_TAIL.search(s)
        if not m or m.start() == 0:
            break
        s = s[:m.start()]
    return s.rstrip("。.")


def title_aliases(key: str) -> tuple[str, ...]:
    """Other keys the same law may be written under: with or without the 中华人民共和国 prefix.

    Kept apart from :func:`title_key` because the prefix is not always redundant: use an alias only when it
    matches exactly one law (中华人民共和国档案法 and 档案法 are one law; a registry holding two laws under the
    two forms must ask, not pick).
    """
    if key.startswith(_CHINA) and len(key) > len(_CHINA) + 1:
        return (key[len(_CHINA):],)
    if key and not key.startswith(_CHINA):
        return (_CHINA + key,)
    return ()


_SPACES = re.compile(r"\s+")
_CLAUSE_SPLIT = re.compile(r"[，,；;。]")
_WORDY = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
_YEAR_BRACKETS = re.compile(r"[〔\[【(（［﹝]\s*(\d{4})\s*[〕\]】)）］﹞]")


@functools.lru_cache(maxsize=8192)
def document_key(number: str) -> str:
    """The matching form of a 文号: NFKC, no whitespace, the year in 〔〕 (辽政发【2017】33号 → 辽政发〔2017〕33号)."""
    s = _SPACES.sub("", unicodedata.normalize("NFKC", number))
    return _YEAR_BRACKETS.sub(r"〔\1〕", s)


# ----------------------------------------------------------------------------------------------- lexical pieces

_IWS = r"[^\S\n]"                                         # inline whitespace (U+3000, NBSP, &ensp; included)
_WS_CHARS = " \t\u3000\u00a0\u2002\u2003\u2009\u202f\u205f\u2000\u2001\u2004\u2005\u2006\u2007\u2008\u200a"
_NUM = r"(?:[0-9０-９]{1,5}|[零〇○一二两三四五六七八九十百千]{1,8})"
_CJK = r"\u3400-\u9fff\uf900-\ufaff"

_BOUNDARY = re.compile(rf"\n{_IWS}*|{_IWS}{{2,}}|[。；;]+{_IWS}*|(?=【)")
_TAG = re.compile(rf"【{_IWS}*(?P<tag>[{_CJK}]{{1,8}}){_IWS}*】")
_NUMBERING = re.compile(rf"(?:[0-9０-９]{{1,2}}{_IWS}*[、.．:：](?![0-9０-９])|[（(][0-9０-９]{{1,2}}[）)]|[①-⑳])"
                        rf"{_IWS}*")
_LEAD = re.compile(rf"(?:增补|补充|法律|法定|设定|实施|相关)?(?:依据|根据|依照|按照){_IWS}*[：:]?{_IWS}*(?=《)")
_PREFIX = re.compile(rf"[^\n《》【】。；;，,：:“”\"]{{1,40}}?(?=《)")
_TRAILING_LABEL = re.compile(rf"(?:增补|补充|法律|法定|设定|实施|相关)?依据{_IWS}*[：:]{_IWS}*$")
_BARE = re.compile(rf"(?:[^\s《》〈〉【】。，,；;：:、“”\"'‘’（()）第0-9０-９]|《[^《》\n]{{1,60}}》){{2,60}}")
_SUFFIXES = r"(?:法|条例|规定|办法|细则|规则|决定|意见|通知|规程|目录|方案|标准|公告|解释|纲要|制度|批复|章程|准则|规范)"
_BARE_SUFFIX_ANY = re.compile(_SUFFIXES)
_STRAY_CLOSE = re.compile(r"[^\s《》【】（）()，,。；;：:、“”\"]{1,12}》")
_BARE_NOT_START = re.compile(r"(?:附件|本|依|按|根据|违反|对|由|经|在|从|有|其|该|前|上|下|各|凡|除|如|未|不|应|可|"
                             r"须|以|为|向|自|将|把|被|因|当|若|所|即|并|和|或|及|但)")
_PIN_IN_TITLE = re.compile(rf"第{_IWS}*{_NUM}{_IWS}*[条款项]")
_DOCNO = [
    re.compile(r"^[^\s()（）《》〈〉<>，,]{0,12}[〔\[【(（]\d{4}[〕\]】)）]第?\d{1,5}号$"),
    re.compile(r"^[〔\[【(（]\d{4}[〕\]】)）][^\s()（）《》〈〉<>，,]{1,12}第?\d{1,5}号$"),
    re.compile(r"^[^\s()（）《》〈〉<>，,]{0,20}公告\d{4}年第?\d{1,5}号$"),
]
_BARE_DOCNO = re.compile(
    rf"[^\s《》【】（）()，,。；;：:、“”\"]{{0,20}}?(?:令{_IWS}*第?{_IWS}*{_NUM}{_IWS}*号"
    rf"|[〔\[【(（]{_IWS}*\d{{4}}{_IWS}*[〕\]】)）]{_IWS}*\d{{1,5}}{_IWS}*号)")
_NOTE_LIKE = re.compile(r"\d|" + "|".join(_EDITION_WORDS) + r"|号")

# Pinpoint tokens. ``lastgroup`` names the outer alternative.
_TOK = re.compile(rf"""
  (?P<ws>{_IWS}+)
| (?P<range>第{_IWS}*(?P<r1>{_NUM}){_IWS}*(?:条{_IWS}*)?(?:至|到|—|－|-|~|～){_IWS}*第?{_IWS}*(?P<r2>{_NUM}){_IWS}*条)
| (?P<chap>第{_IWS}*(?P<c>{_NUM}){_IWS}*(?:章|节|编))
| (?P<part>第{_IWS}*{_NUM}{_IWS}*部分)
| (?P<clause>第{_IWS}*[0-9０-９]{{1,3}}(?:[.．][0-9０-９]{{1,3}}){{1,4}}{_IWS}*条)
| (?P<artof>第{_IWS}*{_NUM}{_IWS}*条之[一二三四五六七八九十]{{1,3}})
| (?P<art>第{_IWS}*(?P<a>{_NUM}){_IWS}*条)
| (?P<para>第{_IWS}*(?P<p>{_NUM}){_IWS}*款)
| (?P<itemn>第{_IWS}*(?P<i>{_NUM}){_IWS}*项)
| (?P<itemp>(?P<itemp_di>第)?{_IWS}*[（(]{_IWS}*(?P<ip>{_NUM}){_IWS}*[）)])
| (?P<xiang>项)
| (?P<art2>(?P<a2>{_NUM}){_IWS}*条)
| (?P<art3>第{_IWS}*(?P<a3>{_NUM})(?=[、，,]))
| (?P<sep>以及|、|，|,|和|及|与)
| (?P<colon>[:：])
""", re.X)
_COMPONENTS = {"range", "chap", "part", "clause", "artof", "art", "para", "itemn", "itemp", "art2", "art3"}
_PAREN_ITEMS = re.compile(rf"[（(]{_IWS}*{_NUM}{_IWS}*[）)](?:{_IWS}*[、，,和及]{_IWS}*第?{_IWS}*[（(]{_IWS}*{_NUM}"
                          rf"{_IWS}*[）)])*{_IWS}*项")
_POINT = re.compile(rf"(?P<label>附件{_IWS}*(?:[0-9０-９]{{1,3}}|[一二三四五六七八九十]{{1,3}})?{_IWS}*(?:目录)?{_IWS}*"
                    rf"(?:《[^《》\n]{{1,80}}》)?{_IWS}*第{_IWS}*(?P<n>{_NUM}){_IWS}*项)")
_NO_DI_ARTICLE = re.compile(rf"(?P<a>{_NUM}){_IWS}*条(?={_IWS}*[：:])")
#: what makes a 第X条 a reference inside a sentence rather than a pinpoint
_CONTINUES = re.compile(r"规定|的|所|之|中(?!华)|或|与|及|和|至|到|等|以下|以上|项下|、|条|款")
_TYPO_STOP = re.compile(r"[）)《]")
_OPEN_BRACKET = re.compile(r"[（(]")
_ARTICLE_ANYWHERE = re.compile(rf"第{_IWS}*{_NUM}{_IWS}*条")
_SENTENCE_END = re.compile(r"[。；;]")
_PROVIDES = re.compile(rf"规定{_IWS}*[：:，,]")       # 第十五条规定： right after a title
_STRICT_SEP = re.compile(rf"{_IWS}*[：:]|{_IWS}+\S|{_IWS}*[“\"‘「]")
_QUOTES = {"“": "”", '"': '"', "‘": "’", "「": "」", "『": "』"}
_LEADING_JUNK = ";；,，、。.：: \t\n" + _WS_CHARS


def _snippet(s: str, n: int = 40) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= n else s[:n] + "…"


def _clean_inline(s: str) -> str:
    """An edition note or title as one line: line breaks (Excel wraps) joined, ends trimmed."""
    return "".join(part.strip(_WS_CHARS) for part in s.split("\n")).strip(_WS_CHARS)


def _clean_edition(s: str) -> str:
    return _clean_inline(s).rstrip("。.，,；;").strip(_WS_CHARS)


# ----------------------------------------------------------------------------------------------- heads


@dataclass(slots=True)
class _Head:
    end: int
    title: str
    rank_tag: str | None = None
    edition: str | None = None
    document: str | None = None
    prefix: str | None = None
    problem: str | None = None


def _close(s: str, i: int, opening: str, closing: str, limit: int, stop: str) -> int:
    """Index of the bracket closing the one at ``i`` (nesting counted), or -1 (limit reached or a stop char)."""
    depth = 0
    end = min(len(s), i + limit)
    j = i
    while j < end:
        ch = s[j]
        if ch in opening:
            depth += 1
        elif ch in closing:
            depth -= 1
            if depth == 0:
                return j
        elif ch in stop:
            return -1
        j += 1
    return -1


def _line_end(s: str, i: int) -> int:
    j = s.find("\n", i)
    return len(s) if j < 0 else j


def _note_end(s: str, i: int) -> tuple[int, bool]:
    """(index of the bracket closing the note at ``i``, closed?). An unclosed note ends with its line; a note
    may go on over a wrapped line, but not into a line that starts a pinpoint, a title or a tag."""
    depth = 0
    end = min(len(s), i + 400)
    j = i
    while j < end:
        ch = s[j]
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth -= 1
            if depth == 0:
                return j, True
        elif ch == "\n":
            k = j + 1
            while k < len(s) and s[k] in _WS_CHARS:
                k += 1
            if k >= len(s) or s[k] in "《【第\n" or _NUMBERING.match(s, k):
                return j, False
        j += 1
    return _line_end(s, i), False


def _classify_note(inner: str) -> tuple[str | None, str | None]:
    """(edition, document) from the text inside an edition bracket."""
    text = _clean_edition(inner)
    if not text:
        return None, None
    flat = _SPACES.sub("", unicodedata.normalize("NFKC", text))
    if _is_docno(flat):
        return None, text
    last = _CLAUSE_SPLIT.split(text)[-1].strip(_WS_CHARS)
    if last and last != text and _is_docno(_SPACES.sub("", unicodedata.normalize("NFKC", last))):
        return text, last
    return text, None


def _is_docno(flat: str) -> bool:
    return "令" not in flat and any(p.match(flat) for p in _DOCNO)


def _title_at(s: str, i: int, strong: bool, typo: bool) -> tuple[str, int, str | None] | None:
    """(title, index after it, problem) for a title starting at ``i``: 《…》, （…》 (typo) or a bare title.

    ``strong`` (after a tag or a number): an unclosed 《 is read up to its edition note or line end."""
    n = len(s)
    if i >= n:
        return None
    if s[i] == "《" or typo:
        j = s.find("》", i) if typo else _close(s, i, "《", "》", 160, "。；;")
        if j > i:
            title = _clean_inline(s[i + 1:j])
            k = j + 1
            m = _STRAY_CLOSE.match(s, k)          # 《报废机动车回收管理办法》实施细则》
            if m and not _PIN_IN_TITLE.search(m.group()):
                title += m.group()[:-1].strip(_WS_CHARS)
                k = m.end()
            if title and not _PIN_IN_TITLE.search(title):
                while k < n and s[k] == "》":          # 《报废机动车回收管理办法》》
                    k += 1
                return title, k, None
        return _unclosed_title(s, i) if strong else None
    m = _BARE.match(s, i)
    if not m:
        return None
    run = m.group()
    end = 0
    for suffix in _BARE_SUFFIX_ANY.finditer(run):     # the longest run ending in 法/条例/规定/通知…
        p = suffix.end()
        while p < len(run) and run[p] == "》":
            p += 1
        if run.count("《", 0, p) == run.count("》", 0, p):
            end = p
    title = run[:end].strip(_WS_CHARS)
    if not title or not strong and _PIN_IN_TITLE.search(title):
        return None
    return title, i + end, None


def _typo_title(s: str, i: int) -> bool:
    """（禁止使用童工规定》: a title opened with （ but closed with 》 on the same line."""
    line = s[i + 1:_line_end(s, i)]
    close = line.find("》")
    return close > 0 and not _TYPO_STOP.search(line[:close])


def _unclosed_title(s: str, i: int) -> tuple[str, int, str | None] | None:
    """A title whose 》 is missing: it ends before its edition note or pinpoint, else with its line."""
    end = _line_end(s, i)
    line = s[i + 1:end]
    cut = len(line)
    for m in _OPEN_BRACKET.finditer(line):
        if _NOTE_LIKE.search(line[m.start():m.start() + 40]):
            cut = m.start()
            break
    pin = _ARTICLE_ANYWHERE.search(line)
    if pin and pin.start() < cut:
        cut = pin.start()
    title = _clean_inline(line[:cut])
    if not title or len(title) > 100 or _SENTENCE_END.search(title):
        return None
    problem = f"title not closed by 》 (书名号未闭合): read as 「{title}」"
    return title, i + 1 + cut, problem


def _head(s: str, b: int, kind: str) -> _Head | None:
    """An entry head starting at boundary ``b`` ([number][【tag】][number][prefix] title [notes]), or None."""
    n = len(s)
    i = b
    numbered = False
    if kind != "tag":
        m = _NUMBERING.match(s, i)
        if m:
            numbered, i = True, m.end()
    tag = None
    m = _TAG.match(s, i)
    if m:
        tag = m.group("tag")
        i = m.end()
        while i < n and (s[i] in _WS_CHARS or s[i] in "：:"):
            i += 1
        m = _NUMBERING.match(s, i)
        if m and not numbered:
            numbered, i = True, m.end()
    elif kind == "tag":
        return None
    if i >= n:
        return None
    strong = tag is not None or numbered
    typo = strong and s[i] in "（(" and _typo_title(s, i)
    prefix = None
    if s[i] != "《" and not typo:
        m = _LEAD.match(s, i)
        if m and kind != "soft":
            prefix, i = m.group().strip(_WS_CHARS), m.end()
        elif strong and _title_at(s, i, strong, False) is None:
            m = _PREFIX.match(s, i)
            if m and not _OPEN_BRACKET.search(m.group()) and ")" not in m.group() and "）" not in m.group() \
                    and not _PIN_IN_TITLE.search(m.group()):
                prefix, i = m.group().strip(_WS_CHARS), m.end()
    bare = s[i] != "《" and not typo
    if bare and not (strong or kind in ("start", "line", "spaces")):
        return None
    if bare and tag is None and _BARE_NOT_START.match(s, i):
        return None
    got = _title_at(s, i, strong, typo)
    if got is None:
        return None
    title, j, problem = got
    head = _Head(end=j, title=title, rank_tag=tag, prefix=prefix or None, problem=problem)
    noted = _notes(s, head)
    if head.end < n and s[head.end] == "《" and not bare:    # 《A》《A written again》（文号）
        again = _title_at(s, head.end, False, False)
        if again is not None:
            head.problem = (f"a second title follows the first at once, read as the same entry (书名后紧接第二个书名，"
                            f"按同一依据读取): 「{again[0]}」")
            head.end = again[1]
            noted = _notes(s, head) or noted
    if head.end < n and s[head.end] == "文" and (head.document or head.edition or "").endswith("号"):
        head.end += 1                                     # （新政发【2020】53号）文第三章第十条
    if tag is not None:
        return head
    # Without a tag, the title must be followed by what a citation head has.
    k = head.end
    while k < n and s[k] in _WS_CHARS:
        k += 1
    if bare:
        return head if _pinpoint_ok(s, k) else None
    if k >= n or s[k] == "\n" or noted or s[k] in "：:“\"‘" or kind == "start" or _pinpoint_ok(s, k):
        return head                         # a cell that starts with 《…》 cites it, whatever follows
    return None


def _notes(s: str, head: _Head) -> bool:
    """Read the edition notes and 文号 after a title into ``head``; True if there was an edition-like note."""
    n = len(s)
    m = _EDITION_TAIL.search(head.title)
    noted = False
    if m and m.start() > 0 and not head.title.endswith(("（试行）", "(试行)")):
        head.edition = _clean_edition(m.group(1))
        head.title = head.title[:m.start()].strip(_WS_CHARS)
        noted = True
    for _ in range(3):
        k = head.end
        while k < n and s[k] in _WS_CHARS:
            k += 1
        if k < n and s[k] in "（(":
            close, closed = _note_end(s, k)
            inner = s[k + 1:close]
            if not _NOTE_LIKE.search(inner[:60]):
                break
            edition, document = _classify_note(inner)
            if document and head.document is None:
                head.document = document
            if edition:
                head.edition = edition if head.edition is None else f"{head.edition}；{edition}"
            head.end = close + 1 if closed else close
            noted = True
            continue
        m = _BARE_DOCNO.match(s, k)
        if m and k - head.end <= 2:
            value = m.group().strip(_WS_CHARS)
            flat = _SPACES.sub("", unicodedata.normalize("NFKC", value))
            if _is_docno(flat) and head.document is None:
                head.document = value
            elif head.edition is None:
                head.edition = value
            head.end = m.end()
            noted = True
            continue
        break
    return noted


# ----------------------------------------------------------------------------------------------- pinpoints

# A unit is (article, paragraph, item, point, label).
_Unit = tuple[int | None, int | None, int | None, int | None, str | None]


@dataclass(slots=True)
class _Pins:
    end: int
    units: list[_Unit]
    problems: list[str] = field(default_factory=list)


def _num(m: re.Match[str], group: str) -> int | None:
    return cn_int(_SPACES.sub("", m.group(group)))


def _next_component(s: str, j: int) -> str | None:
    m = _TOK.match(s, j)
    while m and m.lastgroup == "ws":
        m = _TOK.match(s, m.end())
    return m.lastgroup if m and m.lastgroup in _COMPONENTS else None


def _pinpoint_list(s: str, i: int) -> _Pins | None:
    """第十五条、第五十八条第一款第（四）项和第三款 → one unit per cited point; None if no pinpoint at ``i``."""
    units: list[_Unit] = []
    problems: list[str] = []
    a: int | None = None
    p: int | None = None
    it: int | None = None
    label: str | None = None
    open_ = False
    end = i
    j = i
    after_sep = False

    def emit() -> None:
        units.append((a, p, it, None, label))

    while True:
        m = _TOK.match(s, j)
        if not m:
            break
        g = m.lastgroup
        if g == "ws":
            j = m.end()
            continue
        if g == "sep":
            if open_ or units:
                if _next_component(s, m.end()):
                    j, after_sep = m.end(), True
                    continue
            break
        if g == "colon":                            # 第一条:第（七）项
            if open_ and it is None and _next_component(s, m.end()) in ("itemn", "itemp", "para"):
                j = m.end()
                continue
            break
        if g == "xiang":
            if it is None:
                break
            j = end = m.end()
            continue
        if g in ("art2", "art3") and not after_sep:
            break
        if g == "itemp" and not m.group("itemp_di") and not _PAREN_ITEMS.match(s, m.start()):
            break
        after_sep = False
        if g == "range":
            r1, r2 = _num(m, "r1"), _num(m, "r2")
            if r1 is None or r2 is None:
                break
            if open_:
                emit()
            label = None
            if r1 < r2 <= r1 + 200:
                for art in range(r1, r2):
                    units.append((art, None, None, None, None))
            elif r2 != r1:
                problems.append(f"article range {m.group().strip()} not expanded, only its ends cited "
                                f"(条文范围未展开，只引用首尾两条)")
                units.append((r1, None, None, None, None))
            a, p, it, open_ = r2, None, None, True
        elif g in ("clause", "artof"):      # 第4.3条 of a standard, 第一百二十条之一: a label, not an article number
            if open_:
                emit()
            a, p, it, label, open_ = None, None, None, _clean_inline(m.group()), True
        elif g in ("chap", "part"):
            if open_:
                emit()
            text = m.group().strip()
            nxt = _TOK.match(s, m.end())
            while nxt and nxt.lastgroup == "ws":
                nxt = _TOK.match(s, nxt.end())
            if nxt and nxt.lastgroup == "art":
                if g == "part":                     # 第一部分第六条: numbering restarts by part
                    label = _clean_inline(s[m.start():nxt.end()])
                    a, p, it, open_ = None, None, None, True
                    j = end = nxt.end()
                    continue
                j = m.end()                         # 第三章第十八条: articles are numbered through chapters
                label = None
                continue
            a, p, it, label, open_ = None, None, None, text, True
        elif g in ("art", "art2", "art3"):
            value = _num(m, {"art": "a", "art2": "a2", "art3": "a3"}[g])
            if value is None:
                break
            if open_:
                emit()
            a, p, it, label, open_ = value, None, None, None, True
        elif g == "para":
            value = _num(m, "p")
            if value is None:
                break
            if open_ and (p is not None or it is not None or label is not None):
                emit()
                label = None
            elif not open_ and units:
                a = units[-1][0]
            p, it, open_ = value, None, True
        elif g in ("itemn", "itemp"):
            value = _num(m, "i" if g == "itemn" else "ip")
            if value is None:
                break
            if open_ and (it is not None or label is not None):
                emit()
                label = None
            elif not open_ and units:
                a, p = units[-1][0], units[-1][1]
            it, open_ = value, True
        j = end = m.end()
    if open_:
        emit()
    if not units:
        return None
    return _Pins(end=end, units=units, problems=problems)


def _pin_at(s: str, i: int, kind: str, in_entry: bool) -> _Pins | None:
    """A pinpoint starting at boundary ``i``: an article list, a document point or 三十八条： (第 missing)."""
    n = len(s)
    while i < n and s[i] in _WS_CHARS:
        i += 1
    if i >= n:
        return None
    m = _POINT.match(s, i)
    if m and s[i] == "附":
        if not _continues(s, m.end()):
            return _Pins(end=m.end(), units=[(None, None, None, _num(m, "n"), _clean_inline(m.group("label")))])
        return None
    pins = _pinpoint_list(s, i)
    if pins is not None and kind == "body" and _PROVIDES.match(s, pins.end):
        pins.end += 2                       # 《…》第十五条规定：… right after the title
        return pins
    if pins is None:
        if kind in ("start", "line"):
            m = _NO_DI_ARTICLE.match(s, i)
            value = _num(m, "a") if m else None
            if m and value is not None:
                return _Pins(end=m.end(), units=[(value, None, None, None, None)])
        return None
    if _continues(s, pins.end):
        return None
    first = pins.units[0]
    tok = _TOK.match(s, i)
    partial = tok is not None and tok.lastgroup in ("para", "itemn", "itemp")
    if partial and kind != "body" and not _STRICT_SEP.match(s, pins.end):
        return None
    if first[0] is None and first[4] is None and not in_entry:
        return None
    return pins


def _continues(s: str, j: int) -> bool:
    return _CONTINUES.match(s, j) is not None


def _pinpoint_ok(s: str, k: int) -> bool:
    """True if a pinpoint (or document point) that is not a reference inside a sentence starts at ``k``."""
    if k >= len(s):
        return False
    if s[k] == "附":
        point = _POINT.match(s, k)
        return point is not None and not _continues(s, point.end())
    pins = _pinpoint_list(s, k)
    return pins is not None and (not _continues(s, pins.end) or _PROVIDES.match(s, pins.end) is not None)


# ----------------------------------------------------------------------------------------------- text


def _clean_text(seg: str) -> tuple[str | None, str | None]:
    """(text, note) from what followed a pinpoint: separators, indentation, blank lines and wrapping quotes
    removed, line breaks kept; a lone bracketed remark is a note."""
    lines = [ln.strip(_WS_CHARS) for ln in seg.split("\n")]
    t = "\n".join(ln for ln in lines if ln).lstrip(_LEADING_JUNK).strip(_WS_CHARS + "\n")
    if not t or not _WORDY.search(t):
        return None, None
    if t[0] in "（(" and t[-1] in "）)" and _close(t, 0, "（(", "）)", len(t), "") == len(t) - 1:
        inner = t[1:-1].strip()
        if inner and not re.fullmatch(r"[一二三四五六七八九十0-9]+", inner):
            return None, inner
    close = _QUOTES.get(t[0])
    if close:
        body = t[1:]
        tail = ""
        if body.endswith(("。", ".")) and body[:-1].endswith(close):
            body, tail = body[:-1], ""
        if body.endswith(close) and t[0] not in body[:-1] and close not in body[:-1]:
            t = body[:-1].strip(_WS_CHARS + "\n") + tail
    return (t or None), None


_ODD_TABLE = {0x0D: "\n", 0x2028: "\n", 0x2029: "\n", 0x85: "\n", 0x0B: "\n", 0x0C: "\n", 0x200B: None,
              0x200C: None, 0x200D: None, 0xFEFF: None}
_ODD_CHARS = re.compile("[" + "".join(chr(c) for c in _ODD_TABLE) + "]")


def _prepare(text: object) -> tuple[str, list[str]]:
    problems: list[str] = []
    s = text if isinstance(text, str) else ("" if text is None else str(text))
    if "&" in s:
        s = html.unescape(s)
    if len(s) > MAX_CELL:
        problems.append(f"cell longer than {MAX_CELL} characters, read up to there (单元格过长，只读取前"
                        f"{MAX_CELL}个字符)")
        s = s[:MAX_CELL]
    if "\r" in s:
        s = s.replace("\r\n", "\n")
    if _ODD_CHARS.search(s):
        s = s.translate(_ODD_TABLE)
    s = s.strip(_WS_CHARS + "\n")
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':      # a spreadsheet export's quoting
        s = s[1:-1].replace('""', '"').strip(_WS_CHARS + "\n")
    return s.lstrip(_LEADING_JUNK), problems


# ----------------------------------------------------------------------------------------------- the scan


@dataclass(slots=True)
class _Event:
    start: int
    end: int
    head: _Head | None = None
    pins: _Pins | None = None


_STARTERS = frozenset("《【第附（(①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳0123456789０１２３４５６７８９" + _WS_CHARS)


_PAREN_START = re.compile(rf"[（(][0-9０-９]{{1,2}}[）)]{_IWS}*[《【]|[（(]{_NUM}[）)][^\n]{{0,40}}?项")


def _may_start(s: str, pos: int, kind: str) -> bool:
    """A cheap first look: can an entry or a pinpoint start at ``pos``? (Most boundaries are sentence ends inside
    pasted text.) Only a line start may hold a title without 《》 (or a 依据/prefix), and then a pinpoint (第/附)
    must follow on the same line."""
    ch = s[pos]
    if ch in "（(":                         # (1)《…》 or （二）、（五）项; not the （一） lines of pasted text
        return _PAREN_START.match(s, pos) is not None
    if ch in _STARTERS:
        return True
    if kind == "soft" or kind == "tag":
        return False
    if ch in "一二三四五六七八九十百":              # 三十八条： (第 missing) at a line start
        return True
    end = s.find("\n", pos, pos + 120)
    window = s[pos:end if end >= 0 else pos + 120]
    return "第" in window or "附" in window or "《" in window


def _scan(s: str) -> list[_Event]:
    events: list[_Event] = []
    consumed = 0
    in_entry = False
    candidates: list[tuple[int, str]] = [(0, "start")]
    for m in _BOUNDARY.finditer(s):
        c = m.group()
        kind = "tag" if not c else "line" if c[0] == "\n" else "soft" if c[0] in "。；;" else "spaces"
        candidates.append((m.end(), kind))
    for pos, kind in candidates:
        if pos < consumed or pos >= len(s):
            continue
        if kind == "tag" and pos > 0 and (s[pos - 1].isalnum()):
            continue                        # 依照【法规】《…》第三十八条处罚: a tag inside a sentence
        if not _may_start(s, pos, kind):
            continue
        head = _head(s, pos, kind)
        if head is not None:
            events.append(_Event(pos, head.end, head=head))
            consumed = head.end
            in_entry = True
            pins = _pin_at(s, head.end, "body", True)
            if pins is not None:
                events.append(_Event(head.end, pins.end, pins=pins))
                consumed = pins.end
            continue
        if kind == "tag":
            continue
        pins = _pin_at(s, pos, kind, in_entry)
        if pins is not None:
            events.append(_Event(pos, pins.end, pins=pins))
            consumed = pins.end
    return events


def parse_basis(text: str) -> BasisParse:
    """Read one 实施依据 cell. Never raises; see the module docstring for how the cell is read."""
    try:
        return _parse(text)
    except Exception as exc:  # noqa: BLE001 - a parser of published text must not take an import down
        return BasisParse([], [f"basis text could not be read ({type(exc).__name__}) (依据无法读取)"])


def _parse(text: str) -> BasisParse:
    s, problems = _prepare(text)
    out = BasisParse(problems=problems)
    if not s:
        return out
    events = _scan(s)
    if not events:
        out.problems.append(f"no law title found (未找到法规名称): {_snippet(s)}")
        return out
    lead = s[:events[0].start].strip(_LEADING_JUNK)
    if lead:
        out.problems.append(f"text before the first law title not read (首个法规名称前的文字未读取): "
                            f"{_snippet(lead)}")
    entry: _Head | None = None
    group: list[TextCitation] = []       # the citations of the current entry
    last_article: int | None = None
    for n, ev in enumerate(events):
        nxt = events[n + 1] if n + 1 < len(events) else None
        seg = s[ev.end:nxt.start if nxt else len(s)]
        if nxt is not None and nxt.head is not None:
            tail = _TRAILING_LABEL.search(seg)
            if tail and nxt.head.prefix is None:
                nxt.head.prefix = tail.group().strip(_WS_CHARS)
                seg = seg[:tail.start()]
        pasted, note = _clean_text(seg)
        if ev.head is not None:
            _flush(out, group)
            entry, group, last_article = ev.head, [], None
            if entry.problem:
                out.problems.append(entry.problem)
            group.append(_citation(entry, (None, None, None, None, None), pasted, note))
            continue
        pins = ev.pins
        assert pins is not None
        out.problems.extend(pins.problems)
        if entry is None:
            out.problems.append(f"article reference without a law title (条文前没有法规名称): "
                                f"{_snippet(s[ev.start:nxt.start if nxt else len(s)])}")
            continue
        if len(group) == 1 and group[0].text is None and group[0].note is None and _whole(group[0]):
            group.clear()                   # the entry's header is only a title: its pinpoints replace it
        for unit in pins.units:
            a, p, it, point, label = unit
            if a is None and label is None and point is None:
                if p is None and it is not None and last_article is None:
                    point, label, it = it, _clean_inline(s[ev.start:ev.end]), None
                elif last_article is None:
                    out.problems.append(f"paragraph or item without an article (款项前没有条): "
                                        f"{_snippet(s[ev.start:ev.end])}")
                    continue
                else:
                    a = last_article
            if a is not None:
                last_article = a
            group.append(_citation(entry, (a, p, it, point, label), pasted, note))
    _flush(out, group)
    if len(out.problems) > MAX_PROBLEMS:
        more = len(out.problems) - MAX_PROBLEMS
        out.problems[MAX_PROBLEMS:] = [f"… and {more} more problems in this cell (另有{more}处无法读取)"]
    return out


def _whole(c: TextCitation) -> bool:
    return c.article is None and c.point is None and c.point_label is None


def _citation(head: _Head, unit: _Unit, text: str | None, note: str | None) -> TextCitation:
    a, p, it, point, label = unit
    tag = head.rank_tag
    rank = RANKS.get(unicodedata.normalize("NFKC", tag)) if tag else None
    return TextCitation(
        title=head.title, title_key=title_key(head.title), rank=rank, rank_tag=tag, edition=head.edition,
        document=head.document, document_key=document_key(head.document) if head.document else None,
        article=a, paragraph=p, item=it, point=point, point_label=label, text=text, note=note,
        prefix=head.prefix)


def _flush(out: BasisParse, group: list[TextCitation]) -> None:
    """Add one entry's citations: a pinpoint listed in the header and repeated with its text is one citation, and
    the same point pasted twice with the same text is one; pasted twice with different texts, both are kept."""
    kept: list[TextCitation] = []
    by_key: dict[tuple[object, ...], list[int]] = {}
    for c in group:
        seen = by_key.setdefault((c.article, c.paragraph, c.item, c.point, c.point_label), [])
        if any(kept[i].text == c.text and kept[i].note == c.note for i in seen):
            continue
        bare = c.text is None and c.note is None
        empty = next((i for i in seen if kept[i].text is None and kept[i].note is None), None)
        if empty is not None and not bare:
            kept[empty] = c
            continue
        if bare and seen:
            continue
        seen.append(len(kept))
        kept.append(c)
    out.citations.extend(kept)

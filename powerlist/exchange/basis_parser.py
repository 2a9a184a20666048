"""Legal-basis text → structured citations, matched against the ``laws/`` registry.

Understands what departments write in their 实施依据 cells::

    《中华人民共和国行政许可法》第十二条第一款第二项、第十四条；《行政处罚法》第（三）项
    中华人民共和国行政许可法第12条第1款（note in brackets）

Lists are separated by 、 ； ; and newlines (and by ， when the next part starts a new title or article);
a part starting with 第 continues the previous law (and article, for 第二款 / 第三项). Titles are matched
exactly, then normalised (no 中华人民共和国 prefix, no version note like （2019年修正）, half-width brackets).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterable

from ..model.records import Citation

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUM = r"[0-9０-９零〇一二两三四五六七八九十百千万]+"
#: an article, paragraph or item number longer than this is refused (一千二百六十三 is 7; big numbers would only
#: cost time: 万 multiplies)
MAX_NUMBER_CHARS = 12


def cn_to_int(text: str) -> int:
    """Chinese or Arabic numerals to int: 十二 → 12, 一百零一 → 101, 一千二百六十 → 1260, １２ → 12.

    The inverse of :func:`powerlist.model.citation.cn_number`. Raises ValueError on anything else.
    """
    s = unicodedata.normalize("NFKC", text.strip())
    if not s:
        raise ValueError("empty number")
    if len(s) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(s):,} characters is no article, paragraph or item number")
    if s.isdigit() and s.isascii():
        return int(s)
    total = section = num = 0
    seen_digit = False
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
            seen_digit = True
        elif ch in _CN_UNITS:
            section += (num if seen_digit else 1) * _CN_UNITS[ch]
            num, seen_digit = 0, False
        elif ch == "万":
            total += (section + num) * 10000
            section = num = 0
            seen_digit = False
        else:
            raise ValueError(f"not a number: {text!r}")
    return total + section + num


_PREFIX = "中华人民共和国"
_VERSION_NOTE = re.compile(r"\((?:\d{4}年)?[^()]*(?:修正|修订|修改|版)\)$")


def norm_title(title: str) -> str:
    """The matching form of a law title: NFKC, no spaces or 《》, no 中华人民共和国 prefix, no version note."""
    s = unicodedata.normalize("NFKC", title)
    s = re.sub(r"\s+", "", s).strip("《》<>")
    s = _VERSION_NOTE.sub("", s)
    if s.startswith(_PREFIX) and len(s) > len(_PREFIX):
        s = s[len(_PREFIX):]
    return s


class LawIndex:
    """Law titles → law ids, exact first, then normalised (ambiguous normalised titles match nothing)."""

    def __init__(self, titles: Iterable[tuple[str, str]]):
        self.exact: dict[str, str] = {}
        normed: dict[str, set[str]] = {}
        for law_id, title in titles:
            self.exact.setdefault(title, law_id)
            normed.setdefault(norm_title(title), set()).add(law_id)
        self.normed = {k: next(iter(v)) for k, v in normed.items() if len(v) == 1}
        # for titles written without 《》 at the start of a part: every title, and their lengths, longest first
        self._titles = set(self.exact) | set(self.normed)
        self._lengths = sorted({len(t) for t in self._titles}, reverse=True)

    def find(self, title: str) -> str | None:
        t = title.strip().strip("《》")
        return self.exact.get(t) or self.normed.get(norm_title(t))

    def split_bare(self, part: str) -> tuple[str, str] | None:
        """A part written without 《》: (law id, the rest) when it starts with exactly one known title."""
        for cand in (part, unicodedata.normalize("NFKC", part)):
            for n in self._lengths:   # the longest title the part starts with (one lookup per length)
                t = cand[:n]
                if len(t) == n and t in self._titles:
                    law = self.exact.get(t) or self.normed.get(t)
                    if law:
                        return law, cand[n:]
        m = re.match(rf"^(.+?)(第{_NUM}条.*)$", part)
        if m:
            law = self.find(m.group(1))
            if law:
                return law, m.group(2)
        return None


@dataclass
class ParsedBasis:
    citations: list[Citation] = field(default_factory=list)
    #: law titles (as written) that are not in laws/
    unmatched: list[str] = field(default_factory=list)
    #: parts that could not be read as a citation, with the reason
    errors: list[str] = field(default_factory=list)


_OPEN, _CLOSE = "《（([〔【", "》）)]〕】"
_SEPARATORS = "、；;\n\r"
_FILLER = re.compile(r"^(?:之|的)?(?:规定|等规定|等|相关规定|有关规定)?[。.，,:：]*$")
_ART = re.compile(
    rf"^第\s*(?P<article>{_NUM})\s*条"
    rf"(?:\s*第\s*(?P<paragraph>{_NUM})\s*款)?"
    rf"(?:\s*第?\s*[（(]?\s*(?P<item>{_NUM})\s*[）)]?\s*项)?"
)
_PARA_ONLY = re.compile(rf"^第\s*(?P<paragraph>{_NUM})\s*款(?:\s*第?\s*[（(]?\s*(?P<item>{_NUM})\s*[）)]?\s*项)?")
_ITEM_ONLY = re.compile(rf"^第?\s*[（(]?\s*(?P<item>{_NUM})\s*[）)]?\s*项")
_NOTE = re.compile(r"^[（(](?P<note>.*)[）)]$", re.S)


def split_parts(text: str) -> list[str]:
    """Split a basis cell at separators outside brackets; ， splits only before 《 or 第."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        split = depth == 0 and (ch in _SEPARATORS or (ch in "，," and text[i + 1:i + 2] in ("《", "第")))
        if split:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip(" \t\u3000。.，,") for p in parts if p.strip(" \t\u3000。.，,")]


def _int(s: str | None) -> int | None:
    return None if s is None else cn_to_int(s)


def _tail_note(rest: str) -> tuple[str | None, str | None]:
    """(note, error) from the text after the article reference."""
    rest = rest.strip()
    if not rest or _FILLER.match(rest):
        return None, None
    m = _NOTE.match(rest)
    if m and m.group("note").strip():
        return m.group("note").strip(), None
    return None, f"unexpected text after the article: {_shown(rest)}"


def _shown(part: str) -> str:
    return repr(part) if len(part) <= 60 else repr(part[:59] + "…")


def parse_basis(text: str, laws: LawIndex, max_parts: int | None = None) -> ParsedBasis:
    """Parse one 实施依据 cell. Unknown titles go to ``unmatched``, unreadable parts to ``errors``. With
    ``max_parts``, a cell of more parts is one error (its parts are not read)."""
    out = ParsedBasis()
    parts = split_parts(text)
    if max_parts is not None and len(parts) > max_parts:
        out.errors.append(f"{len(parts):,} citations in one cell; at most {max_parts} are read "
                          "(is this the right column?)")
        return out
    unmatched: set[str] = set()
    law: str | None = None          # the law the current part continues
    title_ok = True                 # False after an unmatched title: its articles are skipped silently
    last: Citation | None = None
    for part in parts:
        part = re.sub(r"^(?:依据|根据|按照|依照)", "", part).strip()
        rest: str
        if part.startswith("《"):
            end = part.find("》")
            if end < 0:
                out.errors.append(f"unclosed 《 in {_shown(part)}")
                title_ok = False
                continue
            title = part[1:end]
            law = laws.find(title)
            title_ok = law is not None
            last = None
            if law is None:
                if title not in unmatched:
                    unmatched.add(title)
                    out.unmatched.append(title)
                continue
            rest = part[end + 1:].strip()
        elif part.startswith("第") or _ITEM_ONLY.match(part):
            if not title_ok:
                continue
            if law is None:
                out.errors.append(f"{_shown(part)} names no law")
                continue
            rest = part
        else:
            bare = laws.split_bare(part)
            if bare is None:
                m = re.match(rf"^(.+?)第{_NUM}条", part)
                title = m.group(1) if m else part
                if title not in unmatched:
                    unmatched.add(title)
                    out.unmatched.append(title)
                title_ok, law, last = False, None, None
                continue
            law, rest = bare
            title_ok, last = True, None
            rest = rest.strip()
        assert law is not None
        try:
            cit, tail = _article(rest, law, last)
        except ValueError as exc:
            out.errors.append(f"{_shown(part)}: {exc}")
            continue
        if cit is None:
            out.errors.append(f"{_shown(part)}: no article (第…条) given")
            continue
        note, err = _tail_note(tail)
        if err:
            out.errors.append(f"{_shown(part)}: {err}")
            continue
        if note:
            cit = Citation(cit.law, cit.article, cit.paragraph, cit.item, note)
        out.citations.append(cit)
        last = cit
    return out


def _article(rest: str, law: str, last: Citation | None) -> tuple[Citation | None, str]:
    """The citation at the start of ``rest`` (continuing ``last`` for 第二款 / 第三项) and the text after it."""
    m = _ART.match(rest)
    if m:
        return Citation(law, cn_to_int(m.group("article")), _int(m.group("paragraph")),
                        _int(m.group("item"))), rest[m.end():]
    if last is not None and last.law == law:
        m = _PARA_ONLY.match(rest)
        if m:
            return Citation(law, last.article, cn_to_int(m.group("paragraph")), _int(m.group("item"))), rest[m.end():]
        m = _ITEM_ONLY.match(rest)
        if m:
            return Citation(law, last.article, last.paragraph, cn_to_int(m.group("item"))), rest[m.end():]
    return None, rest

"""Readable ASCII ids for laws and departments made by the importer: pinyin slugs (pypinyin from PyPI).

``law_slug('中华人民共和国城市房地产管理法')`` → ``chengshi-fangdichan-guanlifa``: the 中华人民共和国 prefix dropped,
words from pypinyin's own segmenter (:mod:`pypinyin.contrib.mmseg`, which knows the words of its phrase
dictionary), runs of single characters paired, a one-character ending (法, 令) joined to the word before it. A long
title with a 文号 takes the number instead (国发〔2010〕21号 → ``guofa-2010-21``). ``initials('财政局')`` → ``czj``
for department ids (``650200-czj``). The caller makes them unique (:func:`unique`).
"""
from __future__ import annotations

import re
import unicodedata

from pypinyin import Style, lazy_pinyin
from pypinyin.contrib.mmseg import seg

__all__ = ["law_slug", "initials", "unique", "MAX_SLUG"]

#: the longest id made from a title (cut at a word boundary)
MAX_SLUG = 48
_CHINA = "中华人民共和国"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")
_ENDINGS = frozenset("法令")


def _ascii(text: str) -> str:
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9]+", "-", text.lower())).strip("-")


def _groups(text: str) -> list[str]:
    """Words of ``text`` as pinyin (ASCII runs kept, other characters dropped). Runs of characters the segmenter
    does not join are paired; a character left over joins the word before it (消防 + 法 → xiaofangfa), and 法
    ends a run (档案法 | 实施条例)."""
    out: list[str] = []
    singles: list[str] = []

    def flush() -> None:
        for i in range(0, len(singles), 2):
            chunk = singles[i:i + 2]
            word = "".join(lazy_pinyin("".join(chunk)))
            if len(chunk) == 1 and out:
                out[-1] += word
            else:
                out.append(word)
        singles.clear()

    for piece in seg.cut(text):
        if _CJK.fullmatch(piece):
            singles.append(piece)
            if piece in _ENDINGS:
                flush()
            continue
        flush()
        if _CJK.match(piece):
            out.append("".join(lazy_pinyin(piece)))
        else:
            out.extend(m.lower() for m in _ASCII_RUN.findall(piece))
    flush()
    return [_ascii(g) for g in out if _ascii(g)]


def law_slug(title: str, document: str | None = None) -> str:
    """An id for a law or document from its title (or its 文号, for a long title that has one)."""
    t = "".join(unicodedata.normalize("NFKC", title).split())
    if t.startswith(_CHINA) and len(t) > len(_CHINA):
        t = t[len(_CHINA):]
    if document and len(t) > 16:
        d = unicodedata.normalize("NFKC", document)
        head = re.match(r"[\u3400-\u9fff]+", d)
        numbers = re.findall(r"\d+", d)
        if head and numbers:
            return _ascii("".join(lazy_pinyin(head.group().rstrip("第"))) + "-" + "-".join(numbers))[:MAX_SLUG]
    groups = _groups(t)
    out = ""
    for g in groups:
        if out and len(out) + 1 + len(g) > MAX_SLUG:
            break
        out = f"{out}-{g}" if out else g[:MAX_SLUG]
    return out or "law"


def initials(name: str) -> str:
    """The pinyin initials of a name's Chinese characters (财政局 → czj), ASCII letters and digits kept."""
    letters = lazy_pinyin(unicodedata.normalize("NFKC", name), style=Style.FIRST_LETTER)
    return _ascii("".join(letters)).replace("-", "")


def unique(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken; the result is added to ``taken``."""
    cand, n = base, 1
    while cand in taken:
        n += 1
        cand = f"{base}-{n}"
    taken.add(cand)
    return cand

"""Chinese rendering of legal citations: 《中华人民共和国行政许可法》第十二条第一款第（二）项."""
from __future__ import annotations

import functools
from typing import Mapping

from .model import Citation, Law

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


@functools.lru_cache(maxsize=4096)   # article, paragraph and item numbers recur across thousands of items
def cn_number(n: int) -> str:
    """Write a positive integer below 100,000 in Chinese numerals as statutes do (十二, 一百零一, 一千二百六十)."""
    if n < 0:
        raise ValueError("negative number")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + cn_number(low)
        return cn_number(high) + "万" + rest
    out = []
    zero = False
    for unit, name in _UNITS:
        d, n = divmod(n, unit)
        if d:
            if zero:
                out.append("零")
                zero = False
            out.append(_DIGITS[d] + name)
        elif out:
            zero = True
    if n:
        if zero:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


def article_label(c: Citation) -> str:
    """第十二条第一款第（二）项 — the part after the title."""
    s = f"第{cn_number(c.article)}条"
    if c.paragraph:
        s += f"第{cn_number(c.paragraph)}款"
    if c.item:
        s += f"第（{cn_number(c.item)}）项"
    return s


def format_citation(c: Citation, laws: Mapping[str, Law]) -> str:
    """Full citation text; an unknown law id falls back to the id itself."""
    law = laws.get(c.law)
    title = law.title if law else c.law
    return f"《{title}》{article_label(c)}"


def article_anchor(article: int) -> str:
    """The HTML id of an article on a law page, shared by the site and its links."""
    return f"art-{article}"

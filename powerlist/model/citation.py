"""Chinese rendering of legal citations: 《中华人民共和国行政许可法》第十二条第一款第（二）项."""
from __future__ import annotations

import functools
from typing import Mapping

from .records import Citation, Law

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


@functools.lru_cache(maxsize=4096)   # article, paragraph and item numbers recur across thousands of items
def cn_number(n: int) -> str:
    """Write a non-negative integer in Chinese numerals as statutes do (十二, 一百零一, 一千二百六十, 一万零一,
    一亿零一万). Iterative over groups of four digits, so any size works (the validator bounds the numbers)."""
    if n < 0:
        raise ValueError("negative number")
    if n < 10000:
        return _DIGITS[0] if n == 0 else _below_10000(n, leading=True)
    groups: list[int] = []                      # groups of four digits, lowest first
    while n:
        n, g = divmod(n, 10000)
        groups.append(g)
    out: list[str] = []
    gap = False                                 # a zero group since the last written one
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out.append("零")
        out.append(_below_10000(g, leading=not out) + "万" * (i % 2) + "亿" * (i // 2))
        gap = False
    return "".join(out)


def _below_10000(n: int, leading: bool) -> str:
    """1 ≤ n ≤ 9999; ``leading``: the first group of the number, where 10–19 are written 十… rather than 一十…."""
    if leading and 10 <= n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
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
    """第十二条第一款第（二）项 — the part after the title. Without an article: the point as written (附件第193项),
    第193项 for a bare point number, and nothing for a whole document."""
    if c.article is None:
        if c.point_label:
            return c.point_label
        return f"第{c.point}项" if c.point is not None else ""
    s = f"第{cn_number(c.article)}条"
    if c.paragraph:
        s += f"第{cn_number(c.paragraph)}款"
    if c.item:
        s += f"第（{cn_number(c.item)}）项"
    return s


def format_citation(c: Citation, laws: Mapping[str, Law]) -> str:
    """Full citation text (《国务院关于…的决定》附件第193项, 《…》第十二条); an unknown law id falls back to the id
    itself."""
    law = laws.get(c.law)
    title = law.title if law else c.law
    return f"《{title}》{article_label(c)}"


def article_anchor(article: int) -> str:
    """The HTML id of an article on a law page, shared by the site and its links."""
    return f"art-{article}"

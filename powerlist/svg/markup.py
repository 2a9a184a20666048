"""SVG markup that every drawing shares: the font stack, escaping, number format and stable ids."""
from __future__ import annotations

import hashlib

from .text import XML_BAD

FONT_FAMILY = ("'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',"
               "'WenQuanYi Micro Hei',sans-serif")


def esc(text: str) -> str:
    """Escape for XML text and double-quoted attributes."""
    out = _ESCAPED.get(text)
    if out is None:
        out = (XML_BAD.sub("", text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
               .replace('"', "&quot;"))
        if len(_ESCAPED) < 65536 and len(text) <= 64:  # step names, actors and lines recur across flows
            _ESCAPED[text] = out
    return out


_ESCAPED: dict[str, str] = {}


_NUMS: dict[float, str] = {}


def num(v: float) -> str:
    """A coordinate as SVG text: one decimal, none when it is 0 ("12", "12.5")."""
    s = _NUMS.get(v)
    if s is None:
        s = f"{round(v, 1) + 0.0:.1f}"
        s = s[:-2] if s.endswith(".0") else s
        if len(_NUMS) < 65536:
            _NUMS[v] = s
    return s


def chart_id(*parts: object) -> str:
    """A short id, the same for the same input, so that several charts on one page do not clash."""
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:10]

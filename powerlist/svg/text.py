"""Text in the drawings: how wide a text is, where it breaks into lines, and what XML cannot carry.

Shared by the flowchart and the charts. Widths are estimates in em (no font files are read at build time):
CJK and full-width characters 1 em, ASCII about 0.55 em.
"""
from __future__ import annotations

import re
import unicodedata

LINE = 1.35            # line height, in em

_NO_LINE_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}%…·")
_NO_LINE_END = set("（《「『【〈“‘([{")
#: characters XML 1.0 cannot carry (control characters from old data): dropped from every text drawn
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TOKEN = re.compile(r"[A-Za-z0-9_\-./@%+#&'=]+|\s+|.", re.S)


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in "WF":
        return 1.0
    if unicodedata.combining(ch):
        return 0.0
    if ch == " ":
        return 0.3
    return 0.62 if ch.isupper() else 0.56


_EM: dict[str, float] = {}


def char_em(ch: str) -> float:
    """Estimated advance of one character in em: CJK and full-width 1, ASCII about 0.55."""
    w = _EM.get(ch)
    if w is None:
        w = _EM[ch] = _char_em(ch)
    return w


def text_em(text: str) -> float:
    total: float = 0     # summed left to right from int 0, exactly as sum() does
    get = _EM.get
    for c in text:
        w = get(c)
        total += char_em(c) if w is None else w
    return total


def clean_text(text: str) -> str:
    """Drop characters XML cannot carry and fold whitespace (names come from YAML)."""
    return " ".join(XML_BAD.sub("", text).split())


def wrap_text(text: str, max_em: float) -> list[str]:
    """Greedy line breaking by estimated width: CJK breaks anywhere, ASCII words stay whole when they fit,
    closing punctuation never starts a line and opening punctuation never ends one."""
    lines: list[str] = []
    cur = ""

    def push(piece: str) -> None:
        nonlocal cur
        if not cur or text_em(cur + piece) <= max_em:
            cur += piece
            return
        if piece[0] in _NO_LINE_START and len(cur) > 1:   # carry the last character along
            lines.append(cur[:-1])
            cur = cur[-1] + piece
            return
        carry = ""
        while len(cur) > 1 and cur[-1] in _NO_LINE_END:
            carry, cur = cur[-1] + carry, cur[:-1]
        lines.append(cur.rstrip())
        cur = carry + piece.lstrip()

    for tok in _TOKEN.findall(clean_text(text)):
        if tok.isspace():
            if cur and text_em(cur + " ") <= max_em:
                cur += " "
            continue
        if text_em(tok) > max_em:       # a word longer than a line: own line(s), broken by character
            if cur.strip():
                lines.append(cur.rstrip())
            cur = ""
            for ch in tok:
                push(ch)
        else:
            push(tok)
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]

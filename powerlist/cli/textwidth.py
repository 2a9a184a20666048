"""Terminal tables that line up with Chinese text (wide characters take two columns)."""
from __future__ import annotations

import unicodedata
from typing import Sequence


def width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def pad(s: str, n: int, right: bool = False) -> str:
    fill = " " * max(0, n - width(s))
    return fill + s if right else s + fill


def table(header: Sequence[str], rows: Sequence[Sequence[object]], *, numeric_from: int = 1) -> str:
    """A plain-text table; columns from ``numeric_from`` on are right-aligned."""
    cells = [[str(c) for c in header]] + [[str(c) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(pad(c, widths[i], right=i >= numeric_from) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)

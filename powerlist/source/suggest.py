"""'Did you mean …?': the nearest known word for a mistyped key, id or code."""
from __future__ import annotations

import bisect
import difflib
from typing import Iterable


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' or ''."""
    m = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{m[0]}'?" if m else ""


class Near:
    """:func:`suggest` over many choices (the codes of 100,000 items) with bounded work: difflib compares the
    word with every choice (0.1 s for 10,000 codes, so 300 mistyped parent codes took 45 s); here it sees only
    the choices next to the word in sorted order and next to it in the order of the reversed strings. A typo
    keeps either the part before it or the part after it, so the intended choice is among those neighbours.
    Small sets are searched whole, as before; each distinct word is searched once."""

    SMALL = 500
    WINDOW = 64

    def __init__(self, choices: Iterable[str]):
        self.given = choices
        self.choices: list[str] = []
        self.rev: list[str] | None = None
        self.seen: dict[tuple[str, str | None], str] = {}

    def __call__(self, word: str, exclude: str | None = None) -> str:
        """The suggestion for ``word``, never ``exclude`` (an item's own code)."""
        got = self.seen.get((word, exclude))
        if got is None:
            near = self._near(word)
            got = self.seen[(word, exclude)] = suggest(word, (c for c in near if c != exclude))
        return got

    def _near(self, word: str) -> list[str]:
        if not self.seen:       # sorted on first use: most loads need no suggestion at all
            self.choices = sorted(set(self.given))
        if len(self.choices) <= self.SMALL:
            return self.choices
        if self.rev is None:
            self.rev = sorted(c[::-1] for c in self.choices)
        w = self.WINDOW
        i = bisect.bisect_left(self.choices, word)
        j = bisect.bisect_left(self.rev, word[::-1])
        return sorted(set(self.choices[max(0, i - w):i + w]) | {c[::-1] for c in self.rev[max(0, j - w):j + w]})

"""Item codes during an import: keep the sheet's codes when valid, otherwise assign the next free one.

Codes are filled in from the site's code pattern (``POWERLIST_CODE_PATTERN``) when it is made of the named
groups ``region``, ``letters``, ``main`` and optionally ``sub`` with literal separators, as the default
``^(?P<region>\\d{6})-(?P<letters>[A-Z]{2})-(?P<main>\\d{5})(?:-(?P<sub>\\d{3}))?$`` is.
"""
from __future__ import annotations

import re

from ..model.settings import Settings
from .entry import Entry
from .normalize import shown

#: a 事项编码 cell longer than this is not a code (and is not matched against the code pattern)
MAX_CODE_CHARS = 100

_GROUP = re.compile(r"\(\?P<(region|letters|main)>(?:\\d|\[0-9\])\{(\d+)\}\)|\(\?P<letters>\[A-Z\]\{(\d+)\}\)")
_SUB = re.compile(r"\(\?:((?:\\.|[^()\\])*)\(\?P<sub>(?:\\d|\[0-9\])\{(\d+)\}\)\)\?")


def _literal(s: str) -> str | None:
    """Unescape a regex fragment made only of literal characters, else None."""
    out = []
    i = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\" and i + 1 < len(s) and not s[i + 1].isalnum():
            out.append(s[i + 1])
            i += 2
            continue
        if ch in ".^$*+?{}[]()|\\":
            return None
        out.append(ch)
        i += 1
    return "".join(out)


def code_template(pattern: str) -> tuple[str, str | None] | None:
    """(main format, sub suffix format) for str.format, e.g. ('{region}-{letters}-{main:05d}', '-{sub:03d}')."""
    p = pattern
    if p.startswith("^"):
        p = p[1:]
    if p.endswith("$"):
        p = p[:-1]
    sub_fmt: str | None = None
    m = _SUB.search(p)
    if m:
        sep = _literal(m.group(1))
        if sep is None or m.end() != len(p):
            return None
        sub_fmt = sep.replace("{", "{{").replace("}", "}}") + "{sub:0%sd}" % m.group(2)
        p = p[:m.start()]
    parts: list[str] = []
    pos = 0
    seen: set[str] = set()
    for g in _GROUP.finditer(p):
        lit = _literal(p[pos:g.start()])
        if lit is None:
            return None
        parts.append(lit.replace("{", "{{").replace("}", "}}"))
        name = g.group(1) or "letters"
        seen.add(name)
        parts.append("{main:0%sd}" % g.group(2) if name == "main" else "{%s}" % name)
        pos = g.end()
    tail = _literal(p[pos:])
    if tail is None or "main" not in seen:
        return None
    parts.append(tail.replace("{", "{{").replace("}", "}}"))
    return "".join(parts), sub_fmt


class CodeAllocator:
    """Claims valid codes from the sheet and hands out the next free ones (unique across the site)."""

    def __init__(self, settings: Settings, existing: dict[str, str]):
        self.settings = settings
        self.re = settings.code_re
        self.template = code_template(settings.code_pattern)
        self.region = ""
        self.existing = existing
        self.department = ""
        self.claimed: set[str] = set()
        self.main_max: dict[tuple[str, str], int] = {}
        self.sub_max: dict[str, int] = {}
        self.has_sub = "sub" in self.re.groupindex
        for code in existing:
            self._note(code)

    def _note(self, code: str) -> None:
        m = self.re.match(code)
        if not m:
            return
        g = m.groupdict()
        if g.get("sub") and g["sub"].isdigit():
            main = code[:m.start("sub")].rstrip("-_.")
            self.sub_max[main] = max(self.sub_max.get(main, 0), int(g["sub"]))
        elif g.get("main") and g["main"].isdigit():
            key = (g.get("region") or "", g.get("letters") or "")
            self.main_max[key] = max(self.main_max.get(key, 0), int(g["main"]))

    def _problem(self, code: str, e: Entry) -> str | None:
        m = self.re.match(code)
        if not m:
            return f"does not match the code pattern {self.settings.code_pattern}"
        g = m.groupdict()
        if g.get("region") and g["region"] != self.region:
            return f"has region {g['region']}, the department's is {self.region}"
        letters = self.settings.category_letters.get(e.data.get("category", ""))
        if g.get("letters") and letters and g["letters"] != letters:
            return f"has letters {g['letters']}, the category {e.data.get('category')} has {letters}"
        is_sub = e.parent_entry is not None or bool(e.parent_code)
        if self.has_sub and is_sub and not g.get("sub"):
            return "is a main-item code, but the row is a sub-item"
        if self.has_sub and not is_sub and g.get("sub"):
            return "is a sub-item code, but the row has no main item"
        if code in self.claimed:
            return "is used by an earlier row"
        return None

    def at(self, region: str, department: str) -> CodeAllocator:
        """Work for this department (codes stay unique across all of them)."""
        self.region, self.department = region, department
        return self

    def claim(self, e: Entry) -> None:
        code = e.given_code
        if not code or "category" not in e.data:
            return
        if len(code) > MAX_CODE_CHARS:
            e.notes.append(f"事项编码 '{shown(code)}' is {len(code):,} characters long, no code; a new code was "
                           "assigned")
            return
        other = self.existing.get(code)
        if other is not None and other != self.department:
            e.messages.append(f"事项编码 '{code}' is already used by items/{other}/{code}.yaml")
            return
        why = self._problem(code, e)
        if why:
            if not self.re.match(code):         # a code of another system: kept beside the site's own
                e.data.setdefault("source_code", code)
                e.notes.append(f"事项编码 '{shown(code)}' {why}: kept as source_code (原编码); a new code was "
                               "assigned")
            else:
                e.notes.append(f"事项编码 '{shown(code)}' {why}; a new code was assigned")
            return
        e.data["code"] = code
        self.claimed.add(code)
        self._note(code)

    def assign(self, e: Entry, by_name: dict[tuple[str, str, str, str], str]) -> None:
        """A code for an entry without a valid one: the existing item of the same name, else the next free."""
        cat = e.data.get("category")
        if cat is None:
            return  # needs attention anyway
        parent_code = ""
        if e.parent_entry is not None:
            parent_code = e.parent_entry.data.get("code", "")
            if not parent_code:
                return  # its main item has no code: attention is reported there
        elif e.parent_code:
            parent_code = e.parent_code
        same = by_name.get((self.department, e.data.get("name", ""), cat, parent_code))
        if same and same not in self.claimed:
            e.data["code"] = same
            self.claimed.add(same)
            return
        code = self._next(cat, parent_code)
        if code is None:
            e.messages.append("no valid 事项编码 in the sheet, and codes of the pattern "
                              f"{self.settings.code_pattern} cannot be assigned automatically")
            return
        e.data["code"] = code
        self.claimed.add(code)
        self._note(code)

    def _next(self, category: str, parent_code: str) -> str | None:
        if self.template is None:
            return None
        main_fmt, sub_fmt = self.template
        if parent_code:
            if sub_fmt is None:
                return None
            n = self.sub_max.get(parent_code, 0) + 1
            while True:
                code = parent_code + sub_fmt.format(sub=n)
                if code not in self.claimed and code not in self.existing:
                    return code if self.re.match(code) else None
                n += 1
        letters = self.settings.category_letters.get(category, "")
        key = (self.region if "{region}" in main_fmt else "", letters if "{letters}" in main_fmt else "")
        n = self.main_max.get(key, 0) + 1
        while True:
            code = main_fmt.format(region=self.region, letters=letters, main=n)
            if not self.re.match(code):
                return None
            if code not in self.claimed and code not in self.existing:
                return code
            n += 1


__all__ = ["CodeAllocator", "code_template"]

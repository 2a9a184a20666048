"""The kinds of value a ``POWERLIST_*`` setting can hold, each with one check (like mkdocs' config_options).

An option turns what a settings file wrote into the typed value powerlist reads, or raises :class:`Invalid`
with what was expected and what was found. ``None`` and ``""`` mean "not set" (the declared default), as they
always have: ``publishconf.py`` passes unset environment variables through as ``""``.
"""
from __future__ import annotations

import re
from typing import Any, Generic, Sequence, TypeVar

T = TypeVar("T")

#: A dotted Python module name (``powerlist.search.contribution``).
_MODULE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


class Invalid(ValueError):
    """A value a setting cannot take; the message completes "setting POWERLIST_X …"."""


def _shown(value: Any, limit: int = 80) -> str:
    """``repr`` of a found value, cut to ``limit`` characters (a message is one line)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class Option(Generic[T]):
    """One kind of setting. ``kind`` names it in docs/settings.md; ``expected`` completes "must be …"."""

    kind = ""
    expected = ""

    def unset(self, value: Any) -> bool:
        """True when ``value`` means "use the default"."""
        return value is None or value == ""

    def convert(self, value: Any) -> T:
        """The typed value of a set ``value``; :class:`Invalid` when it is not one."""
        raise NotImplementedError

    def wrong(self, value: Any) -> Invalid:
        return Invalid(f"must be {self.expected}, not {_shown(value)}")


class WholeNumber(Option[int]):
    """An int, or text of ASCII decimal digits (environment variables): ``"8"`` is 8; booleans, 2.5 and ``"²"``
    are not."""

    def __init__(self, minimum: int = 1):
        self.minimum = minimum
        self.kind = f"whole number ≥ {minimum}"
        self.expected = f"a whole number of at least {minimum}"

    def convert(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, (int, str)) \
                or (isinstance(value, str) and not re.fullmatch(r"\s*[0-9]{1,18}\s*", value)) \
                or int(value) < self.minimum:
            raise self.wrong(value)
        return int(value)


class Text(Option[str]):
    """One line of text (a git branch name, …)."""

    kind = "text"
    expected = "one line of text"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not value.strip() or any(c in value for c in "\r\n\t\0"):
            raise self.wrong(value)
        return value.strip()


class OptionalText(Option["str | None"]):
    """Text, or None (``""`` is None too): a git revision that may be absent."""

    kind = "text or None"
    expected = Text.expected

    def convert(self, value: Any) -> str | None:
        return Text().convert(value)


class WebAddress(Option[str]):
    """An absolute http(s) address, kept without its trailing slashes (links are made by appending paths)."""

    kind = "http(s) URL, or empty"
    expected = "an absolute http(s) address such as 'https://github.com/org/powerlist', or empty"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+(/\S*)?$", value.strip()):
            raise self.wrong(value)
        return value.strip().rstrip("/")


class Pattern(Option[str]):
    """A regular expression (Python's ``re``)."""

    kind = "regular expression"
    expected = "a regular expression"

    def convert(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self.wrong(value)
        try:
            re.compile(value)
        except re.error as exc:
            raise Invalid(f"must be a regular expression, not {_shown(value)} ({exc})") from None
        return value


class Categories(Option[tuple[tuple[str, str], ...]]):
    """Ordered ``(name, letters)`` pairs of text, names unique. An empty list means the default, as before."""

    kind = "list of (name, letters) pairs"
    expected = "a list of (name, letters) pairs of text, such as [('行政许可', 'XK'), ('行政处罚', 'CF')]"

    def unset(self, value: Any) -> bool:
        return value is None or (isinstance(value, (list, tuple)) and not value)

    def convert(self, value: Any) -> tuple[tuple[str, str], ...]:
        if not isinstance(value, (list, tuple)):
            raise self.wrong(value)
        pairs: list[tuple[str, str]] = []
        for entry in value:
            if not isinstance(entry, (list, tuple)) or len(entry) != 2 \
                    or not all(isinstance(s, str) and s.strip() for s in entry):
                raise Invalid(f"must be {self.expected}; {_shown(entry)} is not such a pair")
            pairs.append((entry[0], entry[1]))
        names = [name for name, _ in pairs]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise Invalid(f"names the category {'、'.join(twice)} more than once")
        return tuple(pairs)


class ModuleNames(Option[tuple[str, ...]]):
    """A list of dotted module names (an empty list is allowed: no modules)."""

    kind = "list of module names"
    expected = "a list of module names such as ['powerlist.search.contribution']"

    def unset(self, value: Any) -> bool:
        return value is None

    def convert(self, value: Any) -> tuple[str, ...]:
        if isinstance(value, str) or not isinstance(value, Sequence):
            raise self.wrong(value)
        bad = [v for v in value if not isinstance(v, str) or not _MODULE_NAME.match(v)]
        if bad:
            raise Invalid(f"must be {self.expected}; {_shown(bad[0])} is not a module name")
        return tuple(value)

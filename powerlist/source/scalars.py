"""What a text or a number in a data file may hold, and how to say what is wrong with it.

Texts end up in HTML pages, XML (SVG flowcharts, XLSX sheets) and CSV files: characters those formats cannot
carry (C0 and C1 controls, lone surrogates, Unicode noncharacters such as U+FFFE) are refused here, once, with
the position inside the text, instead of breaking an export later. A one-line field also refuses every line
break YAML or a reader might honour (CR, NEL, U+2028, U+2029), and a tab.

Numbers that carry legal meaning (article, paragraph and item numbers) are plain decimal integers written as
such: YAML 1.1 reads ``010`` as octal 8, ``0x10`` as 16, ``1:30`` as 90 and ``1_0`` as 10, and leaves
``１０`` (full-width) or ``1e3`` as text; :func:`not_decimal` explains each with the number to write instead.
"""
from __future__ import annotations

import re
import unicodedata

import yaml

from ..model.spec import ONE_LINE_MAX, TEXT_MAX
from .yamlfast import FLOAT, INT, MAX_NUMBER_CHARS, typed_value

_NONCHARS = "\ufdd0-\ufdef\ufffe\uffff" + "".join(chr(p << 16 | 0xFFFE) + chr(p << 16 | 0xFFFF) for p in range(1, 17))
#: what a one-line text may not hold (searched in the stripped value)
BAD_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_NONCHARS}]")
#: what a multi-line text may not hold: controls but line feed and tab, lone surrogates, noncharacters
BAD_MULTI_LINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARS}]")
_BREAKS = "\r\x85\u2028\u2029"
_CONTROL_NAMES = {"\x00": "NUL", "\t": "tab", "\r": "carriage return", "\x1b": "escape", "\x7f": "DELETE",
                  "\x85": "NEXT LINE", "\x0b": "vertical tab", "\x0c": "form feed", "\x08": "backspace"}


def char_name(ch: str) -> str:
    """'U+2028 (LINE SEPARATOR)', 'U+000D (carriage return)', 'U+FFFE'."""
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def text_problem(value: str, one_line: bool) -> str | None:
    """What is wrong with a text (already stripped when one-line), or None. Called for every text: the common
    case is one regex search and a length comparison."""
    limit = ONE_LINE_MAX if one_line else TEXT_MAX
    m = (BAD_ONE_LINE if one_line else BAD_MULTI_LINE).search(value)
    if m is None:
        if len(value) <= limit:
            return None
        if one_line:
            return f"is too long ({len(value):,} characters); a one-line field holds at most {limit:,}"
        return (f"is too long ({len(value):,} characters); a text holds at most {limit:,} "
                "(the most a spreadsheet cell holds)")
    ch, at = m.group(), m.start() + 1
    if ch == "\n":
        return "must be a single line"
    if ch in _BREAKS and one_line:
        return f"must be a single line: remove the line break {char_name(ch)} at character {at}"
    if ch == "\t":
        return f"must be a single line of text: replace the tab at character {at} with a space"
    if "\ud800" <= ch <= "\udfff":
        return f"holds {char_name(ch)} at character {at}, half of a surrogate pair and not a character; remove it"
    if unicodedata.category(ch) == "Cc":
        return f"holds the control character {char_name(ch)} at character {at}; remove it"
    return f"holds {char_name(ch)} at character {at}, which is not a character (a Unicode noncharacter); remove it"


_RADIX = re.compile(r"0(?:[xX][0-9a-fA-F]+|[oO][0-7]+|[bB][01]+)")
_RESOLVER = yaml.resolver.Resolver()


def decimal_for(text: str) -> int | None:
    """The whole number a person most likely meant by a number written another way, or None when unclear:
    '010' → 10, '+5' → 5, '1_0' → 10, '１０' (any script's digits) → 10, '0x10' → 16, '1e3' and '10.0' → 1000, 10."""
    t = text.strip()
    if not t or len(t) > MAX_NUMBER_CHARS:
        return None
    sign = ""
    if t[0] in "+-":
        sign, t = ("-" if t[0] == "-" else ""), t[1:]
    t = t.replace("_", "")
    if t and all(unicodedata.decimal(c, None) is not None for c in t):
        return int(sign + "".join(str(unicodedata.decimal(c)) for c in t))
    if _RADIX.fullmatch(t):
        return int(sign + t, 0)
    try:
        f = float(sign + t)
    except ValueError:
        return None
    return int(f) if f.is_integer() and abs(f) < 1e15 else None


def yaml_number(text: str) -> int | float | None:
    """The number YAML 1.1 reads a plain scalar as, or None when it reads it as something else."""
    if not text or len(text) > MAX_NUMBER_CHARS:
        return None
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag not in (INT, FLOAT):
        return None
    try:
        value = typed_value(tag, text)
    except ValueError:      # '0x_'
        return None
    return value if isinstance(value, (int, float)) else None


def not_decimal(text: str, what: str, yaml_value: object = None) -> str:
    """The message for a number written other than as a plain decimal integer. ``yaml_value``: what YAML read
    it as, when that is a number (shown when it differs from the number suggested)."""
    n = decimal_for(text)
    shown = text if len(text) <= 30 else text[:29] + "…"
    reading = ""
    if (isinstance(yaml_value, (int, float)) and not isinstance(yaml_value, bool) and yaml_value != n
            and str(yaml_value) != text):
        reading = f" (YAML reads it as {yaml_value})"
    if n is None:
        return f"{shown!r} is not a plain decimal number{reading}; write {what} as a plain decimal integer such as 12"
    return f"{shown!r} is not a plain decimal number{reading}; write {what} as a plain decimal integer: {n}"

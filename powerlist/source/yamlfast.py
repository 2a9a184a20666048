"""A fast reader for the plain block YAML that power-list files are written in.

PyYAML composes every value into node objects (with start and end marks) before we build Python values from
them; at 10,000 item files that is half of the loading time. Item files use a small part of YAML: block
mappings with word keys, block sequences, plain / single-quoted / double-quoted one-line scalars, literal
block scalars (``|``, ``|-``) and comments. :func:`read_simple` reads exactly that part, line by line, and
gives the same values PyYAML gives (scalar types come from PyYAML's own resolver and constructors) plus the
positions of the values :mod:`powerlist.source.yamlsrc` records eagerly.

Anything else — flow collections with content, folded or keep-chomped blocks, escapes in double quotes,
multi-line plain or quoted scalars, anchors, tags, tabs, directives, unusual line breaks, duplicate keys,
numbers not written as plain decimal integers (``010``, ``0x10``, ``1.5``: the full reader keeps their text for
the validator), errors of any kind — raises :class:`NotSimple`, and the caller reads the file with PyYAML instead, which
produces the exact values or the exact problems. ``tests/test_yamlfast.py`` holds the two readers equal on
generated documents and on every data file of the repository.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

PathKey = tuple[Any, ...]
Pos = tuple[int, int]


class NotSimple(Exception):
    """The text uses YAML this reader leaves to PyYAML."""


#: characters that make a text leave this reader: tabs and lone CRs (indentation and breaks), YAML's other
#: line breaks (NEL, LS, PS: they shift line numbers), BOM inside the text, and everything YAML refuses
_BAD_CHARS = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
#: ``key: rest`` (rest without its leading spaces; empty when the value follows on the next lines)
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*|[0-9]+):(?: +|$)(.*)")
#: first characters of a value that is not a plain scalar (or that this reader leaves to PyYAML)
_SPECIAL = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: a plain scalar cannot start with these (``-``, ``?`` and ``:`` can, before a non-space; left to PyYAML)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
#: first characters with which a plain scalar may be typed (numbers, booleans, null, dates, merge, value)
MAYBE_TYPED = frozenset("yYnNtTfFoO-+0123456789.<~=")
TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TIMESTAMP = (TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
#: the scalar types a data file may hold (anything else is a tag the reader refuses)
SCALAR_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TIMESTAMP})
MAX_DEPTH = 40
#: the longest number text read as a number (longer ones are refused: Python will not convert an int of more than
#: 4,300 digits, and no number in a power list needs more than a few)
MAX_NUMBER_CHARS = 100
_DECIMAL = re.compile(r"0|-?[1-9][0-9]*")


def is_decimal(text: str) -> bool:
    """Whether ``text`` is a plain decimal integer as people write it: ASCII digits, no leading zero, no sign but
    '-', no '_' (YAML 1.1 reads ``010`` as octal 8, ``0x10`` as 16, ``1:30`` as 90, ``1_0`` as 10)."""
    return _DECIMAL.fullmatch(text) is not None and len(text) <= MAX_NUMBER_CHARS
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_TYPED: dict[str, Any] = {}


def typed_value(tag: str, value: str) -> Any:
    """The value of a scalar of one of :data:`SCALAR_TAGS`, as PyYAML's safe constructor gives it, except that
    dates stay text (YYYY-MM-DD; the validator checks their form). Shared with :mod:`powerlist.source.yamlsrc`.
    Raises ValueError for the few texts PyYAML types as numbers but cannot convert (``0x_``, ``._``)."""
    if tag == STR or tag == TIMESTAMP:
        return value
    if tag == NULL:
        return None
    node = yaml.ScalarNode(tag, value)
    if tag == BOOL:
        return _constructor.construct_yaml_bool(node)
    if tag == INT:
        return _constructor.construct_yaml_int(node)
    return _constructor.construct_yaml_float(node)


def _key(text: str) -> Any:
    """A mapping key: a word as it is, a plain decimal number (a law's article) as an int; any other number form
    (``010:``) is left to :mod:`powerlist.source.yamlsrc`, which keeps its text and marks it for the validator."""
    if text[0] > "9":
        return text
    if not is_decimal(text):   # 010: (octal to YAML 1.1), or too long: the full reader keeps and marks its text
        raise NotSimple("number key")
    return int(text)


def _plain(value: str) -> Any:
    """A plain scalar's value, typed exactly as PyYAML types it."""
    if value[0] not in MAYBE_TYPED:
        return value
    if value in _TYPED:
        return _TYPED[value]
    tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
    if tag not in SCALAR_TAGS:  # '=' and '<<' (value, merge): left to the full reader
        raise NotSimple(value)
    if tag == FLOAT or (tag == INT and not is_decimal(value)):  # the full reader keeps their text (numtext)
        raise NotSimple(value)
    try:
        out = typed_value(tag, value)
    except ValueError:
        raise NotSimple(value) from None
    if len(value) <= 24 and len(_TYPED) < 8192:
        _TYPED[value] = out
    return out


_FLOW_BAD = re.compile(r"[\[\]{}\"'#?:]")


def _flow_items(inner: str) -> list[Any]:
    """The items of a one-line flow sequence of plain scalars (``[review, decide]``)."""
    if not inner.strip(" "):
        return []
    if _FLOW_BAD.search(inner):
        raise NotSimple("flow sequence item")
    out = []
    for part in inner.split(","):
        item = part.strip(" ")
        if not item or item[0] in _INDICATORS:
            raise NotSimple("flow sequence item")
        out.append(_plain(item))
    return out


class _Reader:
    __slots__ = ("lines", "inds", "n", "refpos", "ref_keys")

    def __init__(self, text: str, ref_keys: frozenset[str]) -> None:
        self.lines = lines = text.split("\n")
        self.n = len(lines)
        #: per line: its indentation, or -1 for a blank or comment line
        self.inds = [-1 if not (st := line.lstrip(" ")) or st[0] == "#" else len(line) - len(st) for line in lines]
        self.refpos: dict[PathKey, Pos] = {}
        self.ref_keys = ref_keys

    def skip(self, i: int) -> tuple[int, int]:
        """(index, indentation) of the first line at or after ``i`` with content; (n, -1) at the end."""
        inds, n = self.inds, self.n
        while i < n:
            k = inds[i]
            if k >= 0:
                return i, k
            i += 1
        return n, -1

    def is_item(self, i: int, ind: int) -> bool:
        line = self.lines[i]
        return line[ind] == "-" and (len(line) == ind + 1 or line[ind + 1] == " ")

    def block(self, i: int, ind: int, path: PathKey, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise NotSimple("deep")
        if self.is_item(i, ind):
            return self.seq(i, ind, path, depth)
        return self.mapping(i, ind, path, depth)

    def mapping(self, i: int, ind: int, path: PathKey, depth: int) -> tuple[dict[Any, Any], int]:
        """The block mapping whose keys start at column ``ind``, from line ``i``; returns it and the index of
        the first line with content after it."""
        out: dict[Any, Any] = {}
        lines, inds, n, ref_keys = self.lines, self.inds, self.n, self.ref_keys
        while True:
            line = lines[i]
            m = _KEY_LINE.match(line, ind)
            if m is None:
                raise NotSimple("key")
            key = _key(m.group(1))
            rest = m.group(2)
            if key in out:
                raise NotSimple("duplicate")
            if not rest or rest[0] == "#":
                if key in ref_keys:
                    raise NotSimple("ref without inline value")
                j, jind = self.skip(i + 1)
                if jind > ind:
                    out[key], i = self.block(j, jind, path + (key,), depth + 1)
                elif jind == ind and self.is_item(j, ind):
                    out[key], i = self.seq(j, ind, path + (key,), depth + 1)
                else:
                    out[key], i = None, j
            else:
                col = m.start(2)
                if key in ref_keys:
                    self.refpos[path + (key,)] = (i + 1, col + 1)
                if rest[0] in _SPECIAL:
                    out[key], i = self.inline(i, col, ind, rest, path + (key,))
                else:
                    cut = rest.find(" #")
                    value = (rest if cut < 0 else rest[:cut]).rstrip(" ")
                    if ": " in value or value[-1] == ":":
                        raise NotSimple("colon in plain scalar")
                    out[key] = value if value[0] not in MAYBE_TYPED else _plain(value)
                    i += 1
            nind = inds[i] if i < n else -1
            if nind < 0:
                i, nind = self.skip(i)
            if nind != ind:
                if nind < ind:
                    return out, i
                raise NotSimple("indent")
            if lines[i][ind] == "-" and lines[i][ind + 1:ind + 2] in ("", " "):
                raise NotSimple("sequence after mapping key")

    def seq(self, i: int, ind: int, path: PathKey, depth: int) -> tuple[list[Any], int]:
        """The block sequence whose dashes are at column ``ind``, from line ``i``. A line at the same
        indentation that is not an item ends it (the key after a sequence written at its key's indentation);
        anything deeper is left to PyYAML."""
        out: list[Any] = []
        lines = self.lines
        while True:
            line = lines[i]
            rest = line[ind + 1:].lstrip(" ")
            vpath = path + (len(out),)
            if not rest or rest[0] == "#":
                j, jind = self.skip(i + 1)
                if jind > ind:
                    value, i = self.block(j, jind, vpath, depth + 1)
                else:
                    value, i = None, j
            else:
                col = len(line) - len(rest)
                if rest[0] == "-" and (len(rest) == 1 or rest[1] == " "):
                    raise NotSimple("nested sequence on one line")
                if _KEY_LINE.match(line, col):
                    if depth > MAX_DEPTH:
                        raise NotSimple("deep")
                    value, i = self.mapping(i, col, vpath, depth + 1)
                else:
                    value, i = self.inline(i, col, ind, rest, vpath)
                    i, _ = self.skip(i)
            out.append(value)
            nind = self.inds[i] if i < self.n else -1
            if nind < ind or not self.is_item(i, ind):
                if nind > ind:
                    raise NotSimple("sequence item")
                return out, i
            if nind > ind:
                raise NotSimple("sequence item")

    def flow_map(self, inner: str, col: int, i: int, path: PathKey) -> dict[Any, Any]:
        """A one-line flow mapping of plain scalars (``{law: jianzhufa, article: 7}``) whose text ``inner``
        starts at column ``col`` of line ``i``."""
        out: dict[Any, Any] = {}
        if not inner.strip(" "):
            return out
        if _FLOW_BAD.search(inner.replace(": ", "  ")):  # (a key's own colon is the only one allowed)
            raise NotSimple("flow mapping entry")
        for part in inner.split(","):
            m = _KEY_LINE.match(part, len(part) - len(part.lstrip(" ")))
            if m is None:
                raise NotSimple("flow mapping key")
            key = _key(m.group(1))
            vcol = col + m.start(2)
            value = m.group(2).rstrip(" ")
            if not value or value[0] in _INDICATORS or ": " in value or value.endswith(":") or key in out:
                raise NotSimple("flow mapping value")
            if key in self.ref_keys:
                self.refpos[path + (key,)] = (i + 1, vcol + 1)
            out[key] = _plain(value)
            col += len(part) + 1
        return out

    def inline(self, i: int, col: int, ind: int, rest: str, path: PathKey) -> tuple[Any, int]:
        """The value that starts at column ``col`` of line ``i`` (inside a block of indentation ``ind``);
        returns it and the index of the line after it."""
        c = rest[0]
        if c == '"':
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[:end]:
                raise NotSimple("double-quoted")
            self.tail(rest[end + 1:])
            return rest[1:end], i + 1
        if c == "'":
            k = 1
            while True:
                end = rest.find("'", k)
                if end < 0:
                    raise NotSimple("single-quoted")
                if rest[end + 1:end + 2] == "'":
                    k = end + 2
                    continue
                break
            self.tail(rest[end + 1:])
            return rest[1:end].replace("''", "'"), i + 1
        if c == "|":
            return self.literal(i, ind, rest)
        if c == "[":
            end = rest.find("]")
            if end < 0:
                raise NotSimple("flow sequence")
            self.tail(rest[end + 1:])
            return _flow_items(rest[1:end]), i + 1
        if c == "{":
            end = rest.find("}")
            if end < 0:
                raise NotSimple("flow mapping")
            self.tail(rest[end + 1:])
            return self.flow_map(rest[1:end], col + 1, i, path), i + 1
        if c in _INDICATORS:
            raise NotSimple("indicator")
        cut = rest.find(" #")
        value = (rest if cut < 0 else rest[:cut]).rstrip(" ")
        if ": " in value or value.endswith(":"):
            raise NotSimple("colon in plain scalar")
        return _plain(value), i + 1  # a more indented line after it (a continuation) stops the caller

    @staticmethod
    def tail(after: str) -> None:
        """What may follow a closed quote or flow: spaces, then a comment or nothing."""
        stripped = after.lstrip(" ")
        if stripped and (stripped[0] != "#" or stripped == after):
            raise NotSimple("text after a quoted value")

    def literal(self, i: int, ind: int, header: str) -> tuple[str, int]:
        """A literal block scalar (``|`` or ``|-``): its text and the index of the line after it."""
        h = header.split(" #", 1)[0].rstrip(" ")
        if h not in ("|", "|-"):
            raise NotSimple("block scalar header")
        lines = self.lines
        j = i + 1
        content_ind = -1
        leading_blank_max = 0
        while j < self.n:
            line = lines[j]
            s = line.lstrip(" ")
            if s:
                content_ind = len(line) - len(s)
                break
            leading_blank_max = max(leading_blank_max, len(line))
            j += 1
        if content_ind <= ind or leading_blank_max > content_ind:
            raise NotSimple("block scalar indentation")
        body: list[str] = []
        k = i + 1
        last = -1  # the last line with content
        margin = " " * content_ind
        while k < self.n:
            line = lines[k]
            if not line.strip(" "):
                if len(line) > content_ind:
                    raise NotSimple("spaces-only line")
                body.append("")
            elif line.startswith(margin):
                body.append(line[content_ind:])
                last = k
            else:
                break
            k += 1
        while body and body[-1] == "":
            body.pop()
        text = "\n".join(body)
        if h == "|" and body and last < self.n - 1:  # clip: the final line break, when the text has one
            text += "\n"
        return text, k  # the caller checks what follows


def read_simple(text: str, ref_keys: frozenset[str]) -> tuple[dict[Any, Any], dict[PathKey, Pos]]:
    """The mapping a simple item file holds and the positions of its ``ref_keys`` values (also of the mapping
    itself, at path ``()``). Raises NotSimple for anything beyond the simple form."""
    if _BAD_CHARS.search(text):
        if "\r" not in text or _BAD_CHARS.search(text.replace("\r\n", "\n")):
            raise NotSimple("characters")
        text = text.replace("\r\n", "\n")
    r = _Reader(text, ref_keys)
    first, ind = r.skip(0)
    if first == r.n or ind != 0:
        raise NotSimple("empty or indented")
    if r.lines[first].startswith(("---", "...", "%")):
        raise NotSimple("document marker")
    if r.is_item(first, 0):
        raise NotSimple("not a mapping")
    data, i = r.mapping(first, 0, (), 0)
    if i < r.n:
        raise NotSimple("trailing text")
    r.refpos[()] = (first + 1, 1)
    return data, r.refpos


__all__ = ["NotSimple", "read_simple"]

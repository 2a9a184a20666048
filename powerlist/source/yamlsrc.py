"""Safe YAML reading that remembers where every value came from.

PyYAML composes the document into nodes (the C parser when available); we build plain Python values from the
nodes ourselves so that we can (1) record the line/column of every value and key, (2) accept only the plain YAML
types (no ``!!python/...`` or custom tags, no merge keys), (3) refuse anchors and aliases (so a "billion laughs"
document can never expand), (4) report duplicate keys, which PyYAML would silently overwrite, and (5) keep the
source text of every number whose text is not a plain decimal integer (``010`` is octal 8 to YAML 1.1), so the
validator can refuse it instead of silently changing its meaning.

:func:`read_yaml_file` is the one safe way to read a YAML file of the project (data files, and the importer's
mapping file and existing items): only regular files, at most a size limit, never blocking on a FIFO.

Positions are those a text editor shows: lines break at ``\n``, ``\r\n`` and ``\r`` only (PyYAML also breaks at
NEL, U+2028 and U+2029, which would shift every later line), columns count characters, not bytes.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

import yaml

from ..model.errors import Problem
from .files import FOLDER, GREW, SPECIAL, TOO_LARGE, FileRefused, read_regular
from .yamlfast import (FLOAT, INT, MAX_DEPTH, MAX_NUMBER_CHARS, MAYBE_TYPED, SCALAR_TAGS, STR, TAG, NotSimple,
                       is_decimal, read_simple, typed_value)

try:  # the C parser is ~10x faster; fall back to pure Python where libyaml is missing
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader



class _Loader(_Base):  # type: ignore[misc,valid-type]
    """The safe loader with a fast path in tag resolution: Chinese text (most values) skips the regexes."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            if value and value[0] not in MAYBE_TYPED:
                return STR
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 24 and len(_RESOLVED) < 8192:  # keys and short values recur in every file
                    _RESOLVED[value] = tag
            return tag  # type: ignore[no-any-return]
        return super().resolve(kind, value, implicit)  # type: ignore[no-any-return]


_RESOLVED: dict[str, str] = {}

PathKey = tuple[Union[str, int], ...]
Pos = tuple[int, int]

#: the most bytes a data file may hold: an item or a department file, and a law file (which carries the text of
#: its articles: the longest Chinese code, the Civil Code, is about 0.35 MB in UTF-8)
MAX_FILE_BYTES = 1 << 20
MAX_LAW_FILE_BYTES = 4 << 20

#: YAML's line breaks that editors do not break lines at (VS Code breaks at \n, \r\n and \r only)
_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n?|\n")
_EDITOR_BREAK_BYTES = re.compile(b"\r\n?|\n")

_MAP, _SEQ = TAG + "map", TAG + "seq"
_VALUE, _MERGE = TAG + "value", TAG + "merge"
#: keys whose values point at other files, or that cross-file rules point at (status, category); their positions
#: are recorded as they are read
REF_KEYS = frozenset({"code", "department", "law", "article", "parent", "to", "status", "category"})


@dataclass
class Document:
    """One YAML file: its value, the parsed node tree (for positions), and the problems met reading it.

    Positions are looked up on demand by walking the node tree (``where``), so reading stays fast and
    nothing per-value is stored. Paths are tuples of keys and list indexes, e.g. ``("basis", 1, "article")``.
    """

    file: str
    data: Any = None
    root: Any = None
    problems: list[Problem] = field(default_factory=list)
    #: positions of the values that refer to other files (recorded while reading: they are always needed)
    refpos: dict[PathKey, Pos] = field(default_factory=dict)
    #: the text, when it was read by the fast reader: the node tree is composed from it only if a position
    #: beyond ``refpos`` is asked for (a problem to report)
    text: str | None = None
    #: the source text of each value that YAML typed as a number although its text is not a plain decimal
    #: integer (``010``, ``0x10``, ``1:30``, ``1_0``, ``+5``, ``1.5`` …): the validator refuses those in number
    #: fields and quotes the text as written elsewhere. Also each mapping key written so (kept as its text, at
    #: the key's own path), so that a plain ``010:`` is told apart from a quoted ``'010':``
    numtext: dict[PathKey, str] = field(default_factory=dict)
    #: where each editor line starts (character offsets), when the text holds line breaks PyYAML counts and
    #: editors do not; None when PyYAML's line numbers are an editor's
    starts: list[int] | None = None
    #: id of a large mapping node → its keys' entries (see ``_entry``), made when a position in it is asked for
    maps: dict[int, dict[Any, Any]] | None = None

    def pos(self, mark: Any) -> Pos:
        """(line, column) of a PyYAML mark, 1-based, as an editor shows them."""
        if self.starts is None:
            return (mark.line + 1, mark.column + 1)
        return editor_pos(self.starts, mark.index)

    def where(self, path: PathKey, *, key: bool = False) -> Pos:
        """(line, col) of the value at ``path`` (or of its key), else of the nearest enclosing value."""
        if not key and path in self.refpos:
            return self.refpos[path]
        if self.root is None and self.text is not None:
            text, self.text = self.text, None
            try:
                self.root = _compose(text)
            except yaml.YAMLError:  # pragma: no cover - the fast reader takes only what PyYAML reads cleanly
                self.root = None
        node = self.root
        if node is None:
            return (1, 1)
        found = self.pos(node.start_mark)
        for i, p in enumerate(path):
            nxt = None
            if isinstance(node, yaml.MappingNode):
                entry = self._entry(node, p)
                if entry is not None:
                    if key and i == len(path) - 1:
                        return self.pos(entry[0].start_mark)
                    nxt = entry[1]
            elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and 0 <= p < len(node.value):
                nxt = node.value[p]
            if nxt is None:
                return found
            node = nxt
            found = self.pos(node.start_mark)
        return found

    def _entry(self, node: yaml.MappingNode, p: Any) -> tuple[Any, Any] | None:
        """The first (key node, value node) of a mapping whose key is ``p``. A large mapping is indexed once,
        so that locating every one of its keys (100,000 unknown keys, say) stays linear."""
        if len(node.value) <= 16:
            for knode, vnode in node.value:
                if isinstance(knode, yaml.ScalarNode) and _key_matches(knode, p):
                    return knode, vnode
            return None
        if self.maps is None:
            self.maps = {}
        index = self.maps.get(id(node))
        if index is None:
            index = self.maps[id(node)] = {}
            for knode, vnode in node.value:
                if isinstance(knode, yaml.ScalarNode):
                    try:
                        k = knode.value if knode.tag == STR else _key_of(knode)
                    except _Refused:
                        continue
                    index.setdefault((type(k) is str, k), (knode, vnode))
        return index.get((isinstance(p, str), p))

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> None:
        line, col = self.where(path, key=key)
        self.problems.append(Problem(self.file, line, col, format_path(path), message))


def editor_pos(starts: list[int], index: int) -> Pos:
    """(line, column), 1-based, of the character at ``index`` given where each line starts."""
    i = bisect.bisect_right(starts, index) - 1
    return (i + 1, index - starts[i] + 1)


def line_starts(text: str) -> list[int]:
    """Where each line starts as an editor breaks lines (``\n``, ``\r\n``, ``\r``)."""
    return [0] + [m.end() for m in _EDITOR_BREAK.finditer(text)]


def _key_of(knode: yaml.ScalarNode) -> Any:
    """The key a scalar key node gives in the built mapping (see ``_build``)."""
    key = _scalar(knode)
    if type(key) is not str and (type(key) is not int or not is_decimal(knode.value)):
        return knode.value  # `yes:`, `null:`, `1.5:`, `010:`, `0x10:` as keys: the text as written
    return key


def _key_matches(knode: yaml.ScalarNode, p: Any) -> bool:
    if knode.tag == STR:
        return knode.value == p and type(p) is str
    try:
        key = _key_of(knode)
    except _Refused:
        return False
    return key == p and isinstance(key, str) == isinstance(p, str)


class IntKey(int):
    """A whole-number mapping key in a path (a law's article number), told apart from a list position:
    ``('articles', IntKey(9))`` prints as ``articles.9``, ``('basis', 1)`` as ``basis[1]``."""

    __slots__ = ()


def format_path(path: PathKey) -> str:
    """('basis', 1, 'article') → 'basis[1].article'; ('articles', IntKey(9)) → 'articles.9'."""
    out = ""
    for p in path:
        if isinstance(p, IntKey):
            out += f"{'.' if out else ''}{int(p)}"
        elif isinstance(p, int):
            out += f"[{p}]"
        else:
            s = str(p)
            out += ("." if out else "") + (s if s.isprintable() else repr(s))  # one line, whatever the key
    return out


class _Refused(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


def refusal_message(exc: FileRefused) -> str:
    """How a refused data file is reported (the loader's wording of :func:`powerlist.source.files.read_regular`'s
    refusals): what the path is, or the size limit, or the system's reason."""
    if exc.reason in (FOLDER, SPECIAL):
        return f"{exc.kind} is not a data file; only regular files are read"
    if exc.reason in (TOO_LARGE, GREW):
        return too_large(exc.size, exc.limit)
    return f"cannot read the file: {exc.strerror}"


def too_large(size: int | None, limit: int) -> str:
    """The message for a file over the size limit (``size`` None: it grew past the limit while being read)."""
    limit_text = f"{limit >> 20} MiB ({limit:,} bytes)" if limit >= 1 << 20 and limit % (1 << 20) == 0 \
        else f"{limit:,} bytes"
    found = f"more than {limit_text}" if size is None else f"{size:,} bytes; the limit is {limit_text}"
    return f"the file is too large ({found}); one file holds one item, department or law"


def read_yaml_file(path: str | Path, file: str, *, limit: int = MAX_FILE_BYTES) -> Document:
    """Read one YAML file safely: a regular file of at most ``limit`` bytes (see :func:`read_regular`),
    UTF-8, one mapping, no aliases or custom tags, nesting and numbers bounded; ``file`` names it in problems.
    Never raises for bad input: problems are collected on the Document (``data`` is None when unusable).

    The project's one entry point for reading a YAML file from disk (data files, the importer's mapping file
    and existing items)."""
    try:
        data = read_regular(path, limit)
    except FileRefused as exc:
        doc = Document(file)
        doc.problems.append(Problem(file, 0, 0, "", refusal_message(exc)))
        return doc
    return read_yaml_text(data, file)


def read_yaml_text(text: bytes | str, file: str, *, fast: bool = True) -> Document:
    """Parse one YAML document. Never raises for bad input: problems are collected on the Document.
    Plain files are read by :mod:`powerlist.source.yamlfast` (``fast=False``: always through PyYAML)."""
    doc = Document(file)
    if isinstance(text, bytes):
        if text.startswith(b"\xef\xbb\xbf"):
            text = text[3:]
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            breaks = list(_EDITOR_BREAK_BYTES.finditer(raw, 0, exc.start))
            line_start = breaks[-1].end() if breaks else 0
            col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1  # characters, as editors count
            doc.problems.append(Problem(file, len(breaks) + 1, col, "", (
                f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded); "
                "save it as UTF-8 (GBK/GB2312 files must be converted)")))
            return doc
    elif text.startswith("\ufeff"):
        text = text[1:]
    if fast:
        try:
            data, refpos = read_simple(text, REF_KEYS)
        except NotSimple:
            pass  # anything beyond the plain form: PyYAML below gives the values, or the exact problems
        else:
            doc.data, doc.refpos, doc.text = data, refpos, text
            return doc
    if _ODD_BREAKS.search(text):
        doc.starts = line_starts(text)
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = doc.pos(mark) if mark else (1, 1)
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        if "expected a single document" in what:
            what = "the file holds more than one YAML document ('---'); keep one item per file"
        doc.problems.append(Problem(file, line, col, "", f"YAML syntax error: {what}"))
        return doc
    except yaml.YAMLError as exc:  # ReaderError (control characters) and the like
        pos = getattr(exc, "position", None)
        ch = getattr(exc, "character", None)
        if isinstance(ch, int) and chr(ch) in text:
            pos = text.index(chr(ch))  # the C reader's position counts UTF-8 bytes, not characters
        line, col = 1, 1
        if isinstance(pos, int):
            line, col = editor_pos(doc.starts or line_starts(text), pos)
        doc.problems.append(Problem(file, line, col, "", f"YAML error: {exc}".splitlines()[0]))
        return doc
    if node is None:
        doc.problems.append(Problem(file, 1, 1, "", "the file is empty; it must hold a mapping of keys (key: value)"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        line, col = doc.pos(node.start_mark)
        doc.problems.append(Problem(file, line, col, "",
                                    f"the file must hold a mapping (key: value lines), found {kind}"))
        return doc
    doc.root = node
    # Aliases need an anchor ('&name') first: without any '&' in the text there can be none to track.
    seen: set[int] | None = set() if "&" in text else None
    try:
        doc.data = _build(node, (), doc, seen, 0)
    except _Refused as exc:
        line, col = doc.pos(exc.node.start_mark)
        doc.problems.append(Problem(file, line, col, "", exc.message))
        doc.data = None
    return doc


def _compose(text: str) -> Any:
    """The node tree of a one-document text (raises PyYAML's errors)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


_ALIAS = "YAML anchors and aliases (&name / *name) are not allowed; write the value out"


def _build(node: yaml.Node, path: PathKey, doc: Document, seen: set[int] | None, depth: int) -> Any:
    if seen is not None:
        if id(node) in seen:
            raise _Refused(node, _ALIAS)
        seen.add(id(node))
    if node.tag == STR and type(node) is yaml.ScalarNode:
        return node.value
    if depth > MAX_DEPTH:
        raise _Refused(node, f"the document is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if (node.tag == INT and not is_decimal(node.value)) or node.tag == FLOAT:
            doc.numtext[path] = node.value
        return value
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed")
        return [_build(child, path + (i,), doc, seen, depth + 1) for i, child in enumerate(node.value)]
    if node.tag != _MAP:
        raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed")
    out: dict[Any, Any] = {}
    first_keys: dict[Any, yaml.Node] | None = None  # made on the first duplicate (no quadratic search)
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise _Refused(knode, "a mapping key must be a plain word, not a list or mapping")
        if seen is not None:
            if id(knode) in seen:
                raise _Refused(knode, _ALIAS)
            seen.add(id(knode))
        if knode.tag == TAG + "merge":
            raise _Refused(knode, "YAML merge keys (<<) are not allowed; write the keys out")
        key = knode.value if knode.tag == STR else _key_of(knode)
        if type(key) is str and (knode.tag == INT or knode.tag == FLOAT):    # 010:, 0x10:, 1:30:, 1.5: as keys
            doc.numtext[path + (key,)] = knode.value
        if key in out:
            if first_keys is None:
                first_keys = {}
                for kn, _ in node.value:
                    k = kn.value if kn.tag == STR else _key_of(kn)
                    first_keys.setdefault(k, kn)
            kpath = path + (IntKey(key) if type(key) is int else key,)
            first = doc.pos(first_keys[key].start_mark)
            line, col = doc.pos(knode.start_mark)
            doc.problems.append(Problem(doc.file, line, col, format_path(kpath),
                                        f"duplicate key {str(key)!r} (first given on line {first[0]}); keep one"))
            continue
        if key in REF_KEYS:
            doc.refpos[path + (key,)] = doc.pos(vnode.start_mark)
        out[key] = _build(vnode, path + (key,), doc, seen, depth + 1)
    return out


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _VALUE or tag == _MERGE:  # a plain '=' or '<<' as a value is just text
        return node.value
    if tag not in SCALAR_TAGS:
        raise _Refused(node, f"the YAML tag {tag!r} is not allowed (only plain text, numbers, true/false and dates)")
    if (tag == INT or tag == FLOAT) and len(node.value) > MAX_NUMBER_CHARS:
        raise _Refused(node, f"a number of {len(node.value):,} characters (at most {MAX_NUMBER_CHARS} are read); "
                             "if it is text, put it in quotes")
    try:
        return typed_value(tag, node.value)
    except ValueError:  # '0x_', '._': YAML 1.1 types them as numbers that PyYAML cannot convert
        raise _Refused(node, f"{node.value!r} looks like a number to YAML but is none; put it in quotes if it is "
                             "text") from None

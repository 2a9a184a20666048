"""Safe YAML reading that remembers where every value came from.

PyYAML composes the document into nodes (the C parser when available); we build plain Python values from the
nodes ourselves so that we can (1) record the line/column of every value and key, (2) accept only the plain YAML
types (no ``!!python/...`` or custom tags, no merge keys), (3) refuse anchors and aliases (so a "billion laughs"
document can never expand), and (4) report duplicate keys, which PyYAML would silently overwrite.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import yaml

from .errors import Problem
from .yamlfast import MAX_DEPTH, MAYBE_TYPED, SCALAR_TAGS, STR, TAG, NotSimple, read_simple, typed_value

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

_MAP, _SEQ = TAG + "map", TAG + "seq"
_VALUE, _MERGE = TAG + "value", TAG + "merge"
#: keys whose values point at other files; their positions are recorded as they are read
REF_KEYS = frozenset({"code", "department", "law", "article", "parent", "to"})


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
        found = (node.start_mark.line + 1, node.start_mark.column + 1)
        for i, p in enumerate(path):
            nxt = None
            if isinstance(node, yaml.MappingNode):
                for knode, vnode in node.value:
                    if isinstance(knode, yaml.ScalarNode) and _key_matches(knode, p):
                        if key and i == len(path) - 1:
                            return (knode.start_mark.line + 1, knode.start_mark.column + 1)
                        nxt = vnode
                        break
            elif isinstance(node, yaml.SequenceNode) and isinstance(p, int) and 0 <= p < len(node.value):
                nxt = node.value[p]
            if nxt is None:
                return found
            node = nxt
            found = (node.start_mark.line + 1, node.start_mark.column + 1)
        return found

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> None:
        line, col = self.where(path, key=key)
        self.problems.append(Problem(self.file, line, col, format_path(path), message))


def _key_matches(knode: yaml.ScalarNode, p: Any) -> bool:
    if knode.value == p:
        return True
    if isinstance(p, int) and not isinstance(p, bool):
        try:
            return _scalar(knode) == p
        except _Refused:
            return False
    return False


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


def read_yaml_text(text: bytes | str, file: str, *, fast: bool = True) -> Document:
    """Parse one YAML document. Never raises for bad input: problems are collected on the Document.
    Plain files are read by :mod:`powerlist.yamlfast` (``fast=False``: always through PyYAML)."""
    doc = Document(file)
    if isinstance(text, bytes):
        if text.startswith(b"\xef\xbb\xbf"):
            text = text[3:]
        raw = text
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            doc.problems.append(Problem(file, line, col, "", (
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
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
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
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        doc.problems.append(Problem(file, line, col, "", f"YAML error: {exc}".splitlines()[0]))
        return doc
    if node is None:
        doc.problems.append(Problem(file, 1, 1, "", "the file is empty; it must hold a mapping of keys (key: value)"))
        return doc
    if not isinstance(node, yaml.MappingNode):
        kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
        doc.problems.append(Problem(file, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                    f"the file must hold a mapping (key: value lines), found {kind}"))
        return doc
    doc.root = node
    # Aliases need an anchor ('&name') first: without any '&' in the text there can be none to track.
    seen: set[int] | None = set() if "&" in text else None
    try:
        doc.data = _build(node, (), doc, seen, 0)
    except _Refused as exc:
        m = exc.node.start_mark
        doc.problems.append(Problem(file, m.line + 1, m.column + 1, "", exc.message))
        doc.data = None
    return doc


def _compose(text: str) -> Any:
    """The node tree of a one-document text (raises PyYAML's errors)."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _build(node: yaml.Node, path: PathKey, doc: Document, seen: set[int] | None, depth: int) -> Any:
    if seen is not None:
        if id(node) in seen:
            raise _Refused(node, "YAML anchors and aliases (&name / *name) are not allowed; write the value out")
        seen.add(id(node))
    if node.tag == STR and type(node) is yaml.ScalarNode:
        return node.value
    if depth > MAX_DEPTH:
        raise _Refused(node, f"the document is nested more than {MAX_DEPTH} levels deep")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != _SEQ:
            raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed")
        return [_build(child, path + (i,), doc, seen, depth + 1) for i, child in enumerate(node.value)]
    if node.tag != _MAP:
        raise _Refused(node, f"the YAML tag {node.tag!r} is not allowed")
    out: dict[Any, Any] = {}
    for knode, vnode in node.value:
        if not isinstance(knode, yaml.ScalarNode):
            raise _Refused(knode, "a mapping key must be a plain word, not a list or mapping")
        if seen is not None:
            if id(knode) in seen:
                raise _Refused(knode, "YAML anchors and aliases (&name / *name) are not allowed; write the value out")
            seen.add(id(knode))
        if knode.tag == TAG + "merge":
            raise _Refused(knode, "YAML merge keys (<<) are not allowed; write the keys out")
        key = _scalar(knode)
        if isinstance(key, bool) or key is None or isinstance(key, float):
            key = knode.value  # `yes:` / `null:` as a key: keep the text, the validator reports it as unknown
        if key in out:
            kpath = path + (IntKey(key) if type(key) is int else key,)
            first = doc.where(kpath, key=True)
            doc.problems.append(Problem(doc.file, knode.start_mark.line + 1, knode.start_mark.column + 1,
                                        format_path(kpath),
                                        f"duplicate key {str(key)!r} (first given on line {first[0]}); keep one"))
            continue
        if key in REF_KEYS:
            doc.refpos[path + (key,)] = (vnode.start_mark.line + 1, vnode.start_mark.column + 1)
        out[key] = _build(vnode, path + (key,), doc, seen, depth + 1)
    return out


def _scalar(node: yaml.ScalarNode) -> Any:
    tag = node.tag
    if tag == _VALUE or tag == _MERGE:  # a plain '=' or '<<' as a value is just text
        return node.value
    if tag not in SCALAR_TAGS:
        raise _Refused(node, f"the YAML tag {tag!r} is not allowed (only plain text, numbers, true/false and dates)")
    return typed_value(tag, node.value)

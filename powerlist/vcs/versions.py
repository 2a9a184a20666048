"""Versions of data files read from git blobs, compared field by field without parsing more than needed.

A history of 2,000 commits over 10,000 items holds tens of thousands of file versions; parsing each whole
file would dominate the time. Editors' files are block-style YAML mappings, so a version is first split into
its top-level key blocks (``name: …``, ``basis:`` and its indented lines, …); two versions are compared block
by block, and only the blocks whose text differs are parsed (with the project's safe reader, block values
cached by their text). Anything that does not split cleanly (flow style, quoted keys, document markers,
a byte-order mark) is parsed whole instead — the result is the same, only slower.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from ..source.yamlsrc import read_yaml_text
from .fieldchanges import Names, field_changes

_TOP_KEY = re.compile(rb"([a-z_][a-z0-9_]*):(?:[ \t]|\r?$)")
_NAME_KEY = {"item": "name", "department": "name", "law": "title"}


def _read(data: bytes, file: str) -> tuple[Any, bool]:
    """(value, ok): the plain value of a YAML text through the project's reader (anchors, tags refused)."""
    doc = read_yaml_text(data, file)
    return doc.data, not doc.problems and doc.data is not None


#: a line that cannot be part of a plain block-style top-level mapping (document markers, flow style, quoted
#: or odd keys, a byte-order mark): such a file is parsed whole
_ODD_LINE = re.compile(rb"(?m)^(?:---|\.\.\.|(?=[^\r\n])(?![ \t#-])(?![a-z_][a-z0-9_]*:(?:[ \t]|\r?$)))")
_KEY_LINE = re.compile(rb"(?m)^([a-z_][a-z0-9_]*):(?:[ \t]|\r?$)")
#: a one-line plain scalar that needs no YAML parsing: no quotes, no comment, no flow or block indicators
_PLAIN = re.compile(r"[^\s\"'&*!|>%@`#{}\[\],?:-][^#\n]*?")


def split_blocks(data: bytes) -> dict[str, bytes] | None:
    """Top-level key → the bytes of its block, or None when the text is not plain block style."""
    if _ODD_LINE.search(data):
        return None
    starts = [(m.start(), m.group(1).decode("ascii")) for m in _KEY_LINE.finditer(data)]
    if not starts:
        return None
    for line in data[:starts[0][0]].splitlines():
        if line.strip() and not line.lstrip().startswith(b"#"):
            return None  # indented text or a list before the first key: not a mapping document
    blocks: dict[str, bytes] = {}
    for i, (pos, key) in enumerate(starts):
        if key in blocks:
            return None  # a duplicate key: let the full reader report it
        end = starts[i + 1][0] if i + 1 < len(starts) else len(data)
        blocks[key] = data[pos:end]
    return blocks


def _plain_value(block: bytes, key: str) -> str | None:
    """The value of ``key: value`` when the block is one line holding a plain scalar that YAML would read as
    that same string; None otherwise (then the block is parsed)."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        return None
    line, _, rest = text.partition("\n")
    if rest.strip():
        return None
    value = line[len(key) + 1:].strip()
    if not value or not _PLAIN.fullmatch(value) or ": " in value or " #" in value:
        return None
    if value.lower() in ("null", "true", "false", "yes", "no", "on", "off", "~") or value[0].isdigit() \
            or value[0] in ".+":
        return None
    return value


class Versions:
    """Blob contents by hash, with cached splitting and parsing."""

    def __init__(self, blobs: Mapping[str, bytes]):
        self.blobs = blobs
        self._blocks: dict[str, dict[str, bytes] | None] = {}
        self._full: dict[str, tuple[Any, bool]] = {}
        self._values: dict[bytes, tuple[Any, bool]] = {}

    def blocks(self, sha: str) -> dict[str, bytes] | None:
        if sha not in self._blocks:
            data = self.blobs.get(sha)
            self._blocks[sha] = split_blocks(data) if data is not None else None
        return self._blocks[sha]

    def full(self, sha: str) -> tuple[Any, bool]:
        if sha not in self._full:
            data = self.blobs.get(sha)
            self._full[sha] = _read(data, sha) if data is not None else (None, False)
        return self._full[sha]

    def _block_value(self, key: str, block: bytes) -> tuple[Any, bool]:
        got = self._values.get(block)
        if got is None:
            value, ok = _read(block, key)
            got = (value.get(key) if ok and isinstance(value, dict) else None, ok and isinstance(value, dict))
            self._values[block] = got
        return got

    def name(self, kind: str, sha: str) -> str:
        """The item's name, department's name or law's title in this version ('' when unreadable)."""
        key = _NAME_KEY[kind]
        blocks = self.blocks(sha)
        if blocks is not None and key in blocks:
            plain = _plain_value(blocks[key], key)
            if plain is not None:
                return plain
            value, ok = self._block_value(key, blocks[key])
            if ok:
                return "" if value is None else str(value)
        data, ok = self.full(sha)
        v = data.get(key) if isinstance(data, dict) else None
        return "" if v is None else str(v)

    def parses(self, sha: str) -> bool:
        blocks = self.blocks(sha)
        if blocks is not None:
            return all(self._block_value(k, b)[1] for k, b in blocks.items())
        return self.full(sha)[1]

    def changes(self, kind: str, old_sha: str, new_sha: str, names: Names) -> list[str]:
        """Field-level change sentences from version ``old_sha`` to ``new_sha`` (see fieldchanges)."""
        bo, bn = self.blocks(old_sha), self.blocks(new_sha)
        if bo is not None and bn is not None:
            keys = [k for k in {**bo, **bn} if bo.get(k) != bn.get(k)]
            old: dict[str, Any] = {}
            new: dict[str, Any] = {}
            ok = True
            for k in keys:
                for blocks, out in ((bo, old), (bn, new)):
                    if k in blocks:
                        value, good = self._block_value(k, blocks[k])
                        ok = ok and good
                        out[k] = value
            if ok:
                return field_changes(kind, old, new, names)
        return field_changes(kind, self.full(old_sha)[0], self.full(new_sha)[0], names)

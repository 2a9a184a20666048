"""What checking one file produces: its cleaned data and the references it makes to other files.

Shared by the per-file checks (``validate``) and the cross-file checks (``references``, ``citations``); kept small
and picklable, because on large data sets files are checked in worker processes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .yamlsrc import Document, PathKey, format_path


@dataclass(slots=True)
class Ref:
    """A reference from one file to something defined elsewhere, with where it was written."""

    kind: str          # "law" | "department" | "parent" | "decision_to"
    target: str
    file: str
    line: int
    col: int
    path: str
    extra: Any = None  # law refs: (article, its path, its (line, col)); decision_to: the item's status

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:   # compact pickling (results of worker processes)
        return (Ref, (self.kind, self.target, self.file, self.line, self.col, self.path, self.extra))


@dataclass(slots=True)
class Checked:
    """The outcome of checking one file: cleaned data (None when unusable) and outgoing references."""

    kind: str
    file: str
    data: dict[str, Any] | None
    refs: list[Ref] = field(default_factory=list)
    line: int = 1
    #: the model object, built where the file was checked (in a worker process for large data sets); ``data``
    #: then keeps only the keys the cross-file checks read (ITEM_REF_KEYS), so less crosses between processes
    model: Any = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Checked, (self.kind, self.file, self.data, self.refs, self.line, self.model))


#: what check_references reads of an item's data
ITEM_REF_KEYS = ("department", "category", "parent", "status", "decision")


def make_ref(doc: Document, kind: str, target: str, path: PathKey, extra: Any = None) -> Ref:
    """A reference written at ``path`` of ``doc``, with its line and column."""
    line, col = doc.where(path)
    return Ref(kind, target, doc.file, line, col, format_path(path), extra)

"""One item to be during an import (shared by the importer, the row reader and the code allocator)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import normalize as nz
from .basis_text import TextCitation


@dataclass
class Entry:
    """One item to be: where it came from, its data, and what happened to it."""

    row: int
    data: dict[str, Any]
    given_code: str = ""
    parent_entry: Entry | None = None
    parent_code: str = ""
    messages: list[str] = field(default_factory=list)   # why it needs attention
    notes: list[str] = field(default_factory=list)      # written, but worth a look
    status: str = "pending"   # created | overwritten | skipped | attention
    file: str = ""
    #: the sheet the row is on ('' for CSV)
    sheet: str = ""
    #: the department id the item goes to ('' until known)
    department: str = ""
    #: the citations read from its 实施依据 cells, resolved to law ids after every row is read
    cites: list[TextCitation] = field(default_factory=list)

    @property
    def label(self) -> str:
        return nz.shown(self.data.get("name") or "", 200) or "(no name)"

    @property
    def where(self) -> str:
        """'[sheet] row N' or 'row N', as the report names a row."""
        return f"[{self.sheet}] row {self.row}" if self.sheet else f"row {self.row}"

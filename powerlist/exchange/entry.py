"""One item to be during an import (shared by the importer and the code allocator)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import normalize as nz


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

    @property
    def label(self) -> str:
        return nz.shown(self.data.get("name") or "", 200) or "(no name)"

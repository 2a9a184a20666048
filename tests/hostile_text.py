"""Text that real clients choke on, and catalogs that carry it past validation (the validator rejects most of
it; the writers must still be safe on their own)."""
from __future__ import annotations

import dataclasses
import re
from typing import Any

from powerlist.model.catalog import Catalog

#: XML 1.0 cannot hold U+FFFE, U+FFFF and most C0 controls; "_x0041_" is what SpreadsheetML readers decode
#: as an escape; "=…" looks like a formula. (No lone surrogates: no loader can produce them.)
NASTY = "坏\uffff字\ufffe符\x01\x0b\x1f|_x0041_|_X00e9_|_x12_|=SUM(A1)"
#: A department name whose 31st character is an apostrophe, so a title cut to 31 would end in one.
APOSTROPHE_DEPARTMENT = "潍" * 30 + "'局"
#: Remarks longer than Excel's 32,767 characters per cell, and than the csv module's 131,072 per field.
LONG_REMARKS = "长" * 140_000 + "完"


def with_fields(catalog: Catalog, items: dict[str, dict[str, Any]] | None = None,
                departments: dict[str, dict[str, Any]] | None = None,
                laws: dict[str, dict[str, Any]] | None = None) -> Catalog:
    """A copy of ``catalog`` with some fields of some items, departments and laws replaced, not validated."""
    def swap(objs: dict[str, Any], changes: dict[str, dict[str, Any]] | None) -> dict[str, Any]:
        changes = changes or {}
        return {k: dataclasses.replace(v, **changes[k]) if k in changes else v for k, v in objs.items()}

    return Catalog(departments=swap(catalog.departments, departments), items=swap(catalog.items, items),
                   laws=swap(catalog.laws, laws), settings=catalog.settings, root=catalog.root)


def decode_xstring(text: str) -> str:
    """What Excel and LibreOffice show for SpreadsheetML text (ECMA-376 ST_Xstring: ``_xHHHH_`` is one UTF-16
    code unit); openpyxl and pandas show the escapes as written."""
    units = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")

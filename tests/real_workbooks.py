"""Real-style workbooks rebuilt from the corpus (tests/data/real-lists/): each published sheet's title rows, its
header row, its kept rows verbatim at their published row numbers and the merged ranges among them
(sheets.json), so the importer meets what departments publish. Used by the import tests and the benchmark."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import range_boundaries

CORPUS = Path(__file__).resolve().parent / "data" / "real-lists"
#: 克拉玛依 departments whose published sheets share one layout (a city's whole list, several departments)
KARAMAY = ("xinjiang-karamay-czj-2025", "xinjiang-karamay-daj-2024", "xinjiang-karamay-jgswj-2024",
           "xinjiang-karamay-kjj-2024", "xinjiang-karamay-nyncj-2024", "xinjiang-karamay-scjgj-2024",
           "xinjiang-karamay-wtglj-2024", "xinjiang-karamay-ybj-2024", "xinjiang-karamay-zjj-2024",
           "xinjiang-karamay-xfjyzd-2025")


def rows_of(folder: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (CORPUS / folder / "rows.jsonl").read_text("utf-8").splitlines()]


def sheets_of(folder: str) -> list[dict[str, Any]]:
    return list(json.loads((CORPUS / folder / "sheets.json").read_text("utf-8"))["sheets"])


def _column_of(header: str, headers: list[str]) -> int | None:
    m = re.match(r"^(.*)@([A-Z]+)$", header)
    if m:
        letters = m.group(2)
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        return n
    return headers.index(header) + 1 if header in headers else None


def add_sheets(wb: Workbook, folder: str, prefix: str) -> dict[tuple[str, int], tuple[str, int]]:
    """Add the folder's sheets to ``wb``; returns (corpus sheet, source row) → (workbook sheet, row)."""
    rows = rows_of(folder)
    where: dict[tuple[str, int], tuple[str, int]] = {}
    for info in sheets_of(folder):
        kept = [r for r in rows if r.get("sheet") == info["sheet"]]
        if not kept:
            continue
        title = re.sub(r"[\\/*?:\[\]]", "", f"{prefix}{info['sheet']}")[:31]
        ws = wb.create_sheet(title)
        for n, above in enumerate(info.get("rows_above_header") or [], 1):
            for c, v in enumerate(above, 1):
                if v:
                    ws.cell(n, c, v)
        hr = info["header_row"]
        for c, h in enumerate(info["headers"], 1):
            if h:
                ws.cell(hr, c, h)
        used = set(range(1, hr + 1))
        for r in kept:
            n = r["source_row"]
            used.add(n)
            where[(info["sheet"], n)] = (title, n)
            for h, v in r["cells"].items():
                c = _column_of(h, info["headers"])
                if c is not None and v != "":
                    ws.cell(n, c, v)
        for rng in info.get("merged_ranges") or []:
            c0, r0, c1, r1 = range_boundaries(rng)
            if all(x in used for x in range(r0, r1 + 1)):
                ws.merge_cells(rng)
    return where


def karamay_workbook(path: Path, folders: tuple[str, ...] = KARAMAY) -> dict[tuple[str, str, int], tuple[str, int]]:
    """One workbook of several 克拉玛依 departments' sheets (the city's whole list as one file)."""
    wb = Workbook()
    wb.remove(wb.active)
    where: dict[tuple[str, str, int], tuple[str, int]] = {}
    for k, folder in enumerate(folders):
        for (sheet, n), at in add_sheets(wb, folder, f"{k + 1}").items():
            where[(folder, sheet, n)] = at
    wb.save(path)
    return where

"""Integrity of the corpus of real published power-list rows (tests/data/real-lists/, see its README.md).

The corpus is data the basis parser and the importer are tested on; this test only checks that it stays well formed
and sourced: every folder has a SOURCE.md naming where the rows came from, a rows.jsonl whose lines parse and carry
the agreed keys, cells keyed by their published headers, and a line in the README's index with the right row count.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).parent / "data" / "real-lists"
README = CORPUS / "README.md"
KEYS = {"source_row", "headers", "cells", "complete"}
OPTIONAL_KEYS = {"sheet"}
# Characters the README promises are written as JSON escapes, so that no editor silently drops them.
INVISIBLE = ["\u3000", "\u00a0", "\u200b", "\ufeff", "\u2028", "\u2029"]


def folders() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell_keys(headers: list[str]) -> list[str]:
    """The keys rows.jsonl uses: the header, or ``header@COLUMN`` when it is empty or repeats an earlier one."""
    keys: list[str] = []
    seen: set[str] = set()
    for i, header in enumerate(headers):
        keys.append(header if header and header not in seen else f"{header}@{column_letter(i)}")
        seen.add(header)
    return keys


def readme_index() -> dict[str, int]:
    index: dict[str, int] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\| `([^`]+)` \|(.*)\|$", line)
        if match:
            cells = [c.strip() for c in match.group(2).split("|")]
            index[match.group(1)] = int(cells[3])
    return index


def load_rows(folder: Path) -> list[dict]:
    text = (folder / "rows.jsonl").read_text(encoding="utf-8")
    assert text.endswith("\n"), f"{folder.name}/rows.jsonl must end with a newline"
    rows = []
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        assert line.strip(), f"{folder.name}/rows.jsonl:{number}: empty line"
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as err:  # pragma: no cover - the message is the point
            pytest.fail(f"{folder.name}/rows.jsonl:{number}: not JSON: {err}")
    return rows


def test_corpus_exists_with_readme() -> None:
    assert README.is_file()
    assert len(folders()) >= 2


def test_readme_index_lists_every_folder_with_its_row_count() -> None:
    index = readme_index()
    names = {f.name for f in folders()}
    assert set(index) == names, (
        f"README index and folders differ: missing from index {sorted(names - set(index))}, "
        f"listed but absent {sorted(set(index) - names)}")
    for folder in folders():
        assert index[folder.name] == len(load_rows(folder)), f"README row count for {folder.name}"


@pytest.mark.parametrize("folder", folders(), ids=lambda p: p.name)
def test_source_md_names_where_the_rows_came_from(folder: Path) -> None:
    source = folder / "SOURCE.md"
    assert source.is_file(), f"{folder.name} has no SOURCE.md"
    text = source.read_text(encoding="utf-8")
    assert re.search(r"^- \*\*(URL as found|Repository)\*\*: .*(https?://|`[^`]+/[^`]+`)", text, re.M), (
        f"{folder.name}/SOURCE.md needs a 'URL as found' or 'Repository' line")
    assert "How found" in text and "What was kept" in text, f"{folder.name}/SOURCE.md: say how found and what kept"


@pytest.mark.parametrize("folder", folders(), ids=lambda p: p.name)
def test_rows_are_well_formed(folder: Path) -> None:
    raw = (folder / "rows.jsonl").read_text(encoding="utf-8")
    assert not raw.startswith("\ufeff")
    for char in INVISIBLE:
        assert char not in raw, f"{folder.name}: write U+{ord(char):04X} as a JSON escape"
    rows = load_rows(folder)
    assert rows, f"{folder.name}/rows.jsonl is empty"
    seen: set[tuple[object, object]] = set()
    for number, row in enumerate(rows, start=1):
        where = f"{folder.name}/rows.jsonl:{number}"
        assert KEYS <= set(row) <= KEYS | OPTIONAL_KEYS, f"{where}: keys {sorted(row)}"
        assert row["source_row"] is None or (isinstance(row["source_row"], int) and row["source_row"] > 0), where
        assert isinstance(row["complete"], bool), where
        headers, cells = row["headers"], row["cells"]
        assert isinstance(headers, list) and headers and all(isinstance(h, str) for h in headers), where
        assert isinstance(cells, dict) and cells, f"{where}: no cells"
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in cells.items()), f"{where}: cells are text"
        # A row may hold nothing but spaces (one real sheet has such a row); it may not be wholly empty.
        assert any(cells.values()), f"{where}: every cell is empty"
        keys = cell_keys(headers)
        assert set(cells) <= set(keys), f"{where}: cells not keyed by headers: {sorted(set(cells) - set(keys))}"
        if row["complete"]:
            assert set(cells) == set(keys), f"{where}: a complete row has a cell for every header"
        if row["source_row"] is not None:
            key = (row.get("sheet"), row["source_row"])
            assert key not in seen, f"{where}: row {key} kept twice"
            seen.add(key)


@pytest.mark.parametrize("folder", [f for f in folders() if (f / "sheets.json").exists()], ids=lambda p: p.name)
def test_sheet_layout_matches_the_kept_rows(folder: Path) -> None:
    layout = json.loads((folder / "sheets.json").read_text(encoding="utf-8"))
    kept = {(s["sheet"], r) for s in layout["sheets"] for r in s["kept_rows"]}
    rows = load_rows(folder)
    assert kept == {(r.get("sheet"), r["source_row"]) for r in rows}
    by_sheet = {s["sheet"]: s for s in layout["sheets"]}
    for row in rows:
        sheet = by_sheet[row["sheet"]]
        assert row["headers"] == sheet["headers"], f"{folder.name} row {row['source_row']}: headers"
        assert row["source_row"] > sheet["header_row"], f"{folder.name} row {row['source_row']}: above the header"

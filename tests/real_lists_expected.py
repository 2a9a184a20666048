"""What the text parsers read from each row of the real-list corpus, as data (tests/data/real-lists-expected/).

``tests/test_basis_text.py`` and ``tests/test_duty_text.py`` compare :func:`parse_row` with the stored files. The files
were written once by ``python tests/real_lists_expected.py`` and then reviewed by hand, row by row, against the
verbatim cells; a difference is a change of behaviour to review, never something to regenerate blindly. The script
only writes files for corpus folders that have none yet (a new source), so that they can be reviewed the same way.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from powerlist.exchange.basis_text import TextCitation, parse_basis  # noqa: E402
from powerlist.exchange.duty_text import parse_phones, parse_stages, read_situations  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "real-lists"
EXPECTED = ROOT / "tests" / "data" / "real-lists-expected"

BASIS_COLUMNS = ("实施依据", "依据")
STAGE_COLUMNS = ("责任事项", "责任事项内容")
PHONE_COLUMNS = ("监管电话", "监督电话", "咨询电话")


def citation_dict(c: TextCitation) -> dict[str, Any]:
    return {k: getattr(c, k) for k in TextCitation.__slots__ if getattr(c, k) is not None}


def parse_row(row: dict[str, Any]) -> dict[str, Any]:
    """The parse of every basis, 责任事项, 追责情形 and phone cell of one corpus row."""
    cells: dict[str, str] = row["cells"]
    out: dict[str, Any] = {"sheet": row.get("sheet"), "source_row": row["source_row"]}
    for column in BASIS_COLUMNS:
        if column in cells:
            p = parse_basis(cells[column])
            out["basis"] = {"column": column, "citations": [citation_dict(c) for c in p.citations],
                            "problems": p.problems}
            break
    for column in STAGE_COLUMNS:
        if column in cells:
            out["stages"] = {"column": column, "stages": [
                {k: getattr(s, k) for k in ("number", "group", "stage", "label", "duty") if getattr(s, k) is not None}
                for s in parse_stages(cells[column])]}
            break
    situations = []
    for column in cells:
        if column.startswith("追责情形"):
            p = read_situations(cells[column])
            situations.append({"column": column, "preamble": p.preamble, "situations": p.situations,
                               "problems": p.problems})
    if situations:
        out["situations"] = situations
    for column in PHONE_COLUMNS:
        if column in cells:
            out["phones"] = {"column": column, "phones": parse_phones(cells[column])}
    return out


def load_rows(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (folder / "rows.jsonl").read_text(encoding="utf-8").splitlines()]


def folders() -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


def expected_path(folder: Path) -> Path:
    return EXPECTED / f"{folder.name}.json"


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for folder in folders():
        path = expected_path(folder)
        if path.exists():
            continue
        data = {"source": folder.name, "rows": [parse_row(r) for r in load_rows(folder)]}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}: review it row by row before committing")


if __name__ == "__main__":
    main()

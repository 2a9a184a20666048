"""Text parsers of real lists: 10,000 basis (实施依据) cells, 10,000 责任事项 cells, 10,000 追责情形 cells and
10,000 phone cells, drawn in turn from the real published rows of tests/data/real-lists/ (average basis cell ~490
characters, most with pasted article texts). Goal: the four together well inside the 15 s budget of a
10,000-row import (issue 14): ≤ 3 s.
"""
from __future__ import annotations

import json
from typing import Any

N = 10_000


def _cells(root: Any) -> dict[str, list[str]]:
    cells: dict[str, list[str]] = {"basis": [], "stages": [], "situations": [], "phones": []}
    for folder in sorted((root / "tests" / "data" / "real-lists").iterdir()):
        if not folder.is_dir():
            continue
        for line in (folder / "rows.jsonl").read_text(encoding="utf-8").splitlines():
            for column, text in json.loads(line)["cells"].items():
                if column in ("实施依据", "依据"):
                    cells["basis"].append(text)
                elif column in ("责任事项", "责任事项内容"):
                    cells["stages"].append(text)
                elif column.startswith("追责情形"):
                    cells["situations"].append(text)
                elif column in ("监管电话", "监督电话", "咨询电话"):
                    cells["phones"].append(text)
    return cells


def run(ctx: Any) -> list[dict[str, Any]]:
    from powerlist.exchange.basis_text import parse_basis
    from powerlist.exchange.duty_text import parse_phones, parse_situations, parse_stages

    n = 2_000 if ctx.quick else N
    cells = _cells(ctx.root)
    parsers = {"basis": parse_basis, "stages": parse_stages, "situations": parse_situations, "phones": parse_phones}
    work = {kind: [texts[i % len(texts)] for i in range(n)] for kind, texts in cells.items()}

    def parse_all(kind: str) -> None:
        fn = parsers[kind]
        for text in work[kind]:
            fn(text)

    rows: list[dict[str, Any]] = []
    total = 0.0
    for kind, what in (("basis", "basis cells (实施依据)"), ("stages", "责任事项 cells"),
                       ("situations", "追责情形 cells"), ("phones", "phone cells")):
        seconds, _ = ctx.measure(lambda kind=kind: parse_all(kind))
        total += seconds
        rows.append({"benchmark": f"parse {n:,} {what}", "value": round(seconds, 2), "unit": "s", "goal": "",
                     "ok": True})
    rows.append({"benchmark": f"parse {n:,} rows' text cells (all four)", "value": round(total, 2), "unit": "s",
                 "goal": "≤ 3 s"})
    return rows

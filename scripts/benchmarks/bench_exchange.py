"""Exchange benchmarks: export of 10,000 items in every format; import of a 10,000-row workbook."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any


def _workbook(catalog: Any, path: Path, n: int) -> None:
    """A department-style sheet of n rows (no codes: the importer assigns them, the slow path)."""
    from openpyxl import Workbook

    from powerlist.exchange.columns import EXPORT_HEADERS, row_maker

    make = row_maker(catalog)
    drop = {EXPORT_HEADERS.index(h) for h in ("事项编码", "主项编码", "部门代码", "调整去向")}
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("清单")
    ws.append(list(EXPORT_HEADERS))
    items = [it for it in catalog.items.values() if it.status == "保留" and not it.parent]
    for i in range(n):
        it = items[i % len(items)]
        row = make(i + 1, it)
        row[EXPORT_HEADERS.index("事项名称")] = f"{it.name}（{i + 1}）"
        ws.append(["" if k in drop else v for k, v in enumerate(row)])
    wb.save(path)


def run(ctx: Any) -> list[dict[str, Any]]:
    from powerlist.exchange.export import all_exports
    from powerlist.exchange.importer import ImportOptions, run_import
    from powerlist.source.load import load_catalog

    n = 2000 if ctx.quick else 10_000
    src = ctx.synth(n)
    catalog = load_catalog(src)
    rows: list[dict[str, Any]] = []

    seconds, rss = ctx.measure(lambda: all_exports(catalog, "0" * 40, "2024-01-01") and None)
    rows.append({"benchmark": f"export {len(catalog.items):,} items, all formats + API", "value": round(seconds, 2),
                 "unit": "s", "goal": "≤ 10 s", "ok": seconds <= 10})
    files = all_exports(catalog)
    size = sum(len(b) for b in files.values())
    rows.append({"benchmark": "export total size", "value": round(size / 1e6, 1), "unit": "MB", "goal": "",
                 "ok": True})

    dep_id = next(iter(catalog.departments))
    dst = ctx.tmp / "import-root"
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src / "laws", dst / "laws")
    (dst / "items" / dep_id).mkdir(parents=True)
    shutil.copy(src / "items" / dep_id / "_department.yaml", dst / "items" / dep_id / "_department.yaml")
    book = ctx.tmp / "import.xlsx"
    _workbook(catalog, book, n)

    def do_import() -> None:
        result = run_import(book, ImportOptions(department=dep_id, root=dst, settings=catalog.settings))
        if len(result.created) != n:
            raise RuntimeError(f"import created {len(result.created)} of {n}: "
                               + "; ".join(list(result.report_lines())[-3:]))

    seconds, rss = ctx.measure(do_import)
    rows.append({"benchmark": f"import a {n:,}-row workbook", "value": round(seconds, 2), "unit": "s",
                 "goal": "≤ 10 s", "ok": seconds <= 10})
    return rows

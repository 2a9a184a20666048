"""Exchange benchmarks: export of 10,000 items in every format; import of a 10,000-row workbook; import of a
10,000-row real-style city workbook citing 3,000 distinct laws into an empty data folder (issue 14)."""
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


_CHARS = "安全生产环境保护食品药品市场监督交通运输城乡规划建设住房消防文物档案统计财政审计价格税收土地矿产森林草原水利渔业畜牧种子农药"
_SUFFIXES = ("管理条例", "实施办法", "管理办法", "若干规定", "实施细则", "条例")
_TAGS = ("【法律】", "【行政法规】", "【地方性法规】", "【规章】", "【规范性文件】", "")
_CATEGORIES = ("行政许可", "行政处罚", "行政强制", "行政检查", "行政确认", "其他行政权力")
_TEXT = ("有下列情形之一的，由县级以上人民政府有关主管部门责令改正，给予警告，可以并处一万元以上五万元以下的罚款：\n"
         "（一）未按照规定办理登记的；\n（二）提供虚假材料的；\n（三）拒绝、阻碍监督检查的。")
_DUTY = ("1.受理阶段责任：依法受理或者不予受理，并一次性告知需要补正的材料。\n2.审查阶段责任：对申请材料进行审查，提出审查意见。\n"
         "3.决定阶段责任：作出准予或者不予许可的决定，不予许可的说明理由。\n4.送达阶段责任：依法送达并公开。\n5.其他：法律法规规定应履行的其他责任。")
_ACCOUNT = ("因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任：\n1.对符合法定条件的申请不予受理的；\n"
            "2.对不符合法定条件的申请准予许可的；\n3.在办理过程中滥用职权、玩忽职守的；\n4.其他违反法律法规规定的行为。")


def real_style_workbook(path: Path, rows: int, laws: int, seed: int = 14) -> int:
    """A city's whole list as departments publish it (title row, header, 实施主体 per row, tagged and numbered
    bases with edition notes and pasted article texts, 责任事项 and 追责情形 cells), citing ``laws`` distinct
    titles; made from corpus-like templates with a fixed seed. Returns the number of distinct titles."""
    import random

    from openpyxl import Workbook

    rnd = random.Random(seed)
    titles: list[str] = []
    seen: set[str] = set()
    while len(titles) < laws:
        t = "新疆维吾尔自治区" * (rnd.random() < 0.3) + "".join(rnd.sample(_CHARS, 4)) + rnd.choice(_SUFFIXES)
        if t not in seen:
            seen.add(t)
            titles.append(t)
    deps = [f"克拉玛依市第{k}局" for k in range(1, 41)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("权责清单")
    ws.append(["克拉玛依市权责清单（示例，由基准程序生成）"])
    ws.append(["序号", "事项名称", "子项名称", "权力类型", "实施依据", "行使主体", "承办机构", "实施层级及权限",
               "责任事项内容", "追责情形", "监管电话", "备注"])
    for i in range(rows):
        cited = [i % laws] + rnd.sample(range(laws), rnd.randint(0, 2))
        parts = []
        for n, k in enumerate(dict.fromkeys(cited), 1):
            art = rnd.randint(1, 120)
            parts.append(f"{rnd.choice(_TAGS)}{n}.《{titles[k]}》（2019年修正）第{_cn(art)}条第一款　{_TEXT}"
                         if rnd.random() < 0.2 else f"{rnd.choice(_TAGS)}{n}.《{titles[k]}》第{_cn(art)}条：{_TEXT}")
        ws.append([i + 1, f"对违反规定行为的处理（{i + 1}）", "", rnd.choice(_CATEGORIES), "\n".join(parts),
                   deps[i % len(deps)], "执法科", "市级", _DUTY, _ACCOUNT, "0990-6231234", ""])
    wb.save(path)
    return len(titles)


def _cn(n: int) -> str:
    from powerlist.model.citation import cn_number

    return cn_number(n)


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

    # issue 14: a real-style city workbook into an empty data folder (departments and laws made as it goes)
    laws = 600 if ctx.quick else 3000
    city = ctx.tmp / "city.xlsx"
    real_style_workbook(city, n, laws)
    empty = ctx.tmp / "import-empty"

    def do_city() -> None:
        shutil.rmtree(empty, ignore_errors=True)
        (empty / "items").mkdir(parents=True)
        (empty / "laws").mkdir()
        result = run_import(city, ImportOptions(root=empty, region="650200", region_name="克拉玛依市", level="市级",
                                                settings=catalog.settings, date="2025-01-01"))
        if len(result.created) != n or len(result.laws) != laws:
            raise RuntimeError(f"city import: {result.summary()}")

    seconds, rss = ctx.measure(do_city)
    rows.append({"benchmark": f"import a real-style {n:,}-row city workbook citing {laws:,} laws into an empty "
                              "folder", "value": round(seconds, 2), "unit": "s", "goal": "≤ 15 s", "ok": seconds <= 15})
    rows.append({"benchmark": "… its peak memory (RSS)", "value": round(rss / 2**20), "unit": "MiB",
                 "goal": "≤ 1024 MiB", "ok": rss <= 2**30})
    return rows

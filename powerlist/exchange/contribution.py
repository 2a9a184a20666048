"""What exchange adds to the site: the 数据下载 page, every export file (JSON, NDJSON, CSV, XLSX, per department)
and the static JSON API (:func:`site_contribution`)."""
from __future__ import annotations

import os
from typing import Any

from ..output.contribution import Asset, BuildContext, Contribution, NavLink, Page
from ..output.stamp import Stamp, write_stamped
from .columns import EXPORT_COLUMNS
from .export import ExportCounter, export_paths, iter_exports

#: Chinese descriptions of the whole-list files on the 数据下载 page.
FILE_LABELS: dict[str, tuple[str, str]] = {
    "data/items.json": ("JSON", "全部事项，一个 JSON 文档（items 数组，每条含 item 与 derived）"),
    "data/items.ndjson": ("NDJSON", "全部事项，每行一条 JSON 记录，适合流式处理"),
    "data/items.ndjson.sha256": ("SHA-256", "items.ndjson 的校验值（sha256sum -c 可核对）"),
    "data/items.csv": ("CSV", "全部事项，UTF-8（带 BOM，Excel 可直接打开）"),
    "data/items.xlsx": ("Excel", "全部事项，含总览工作表和每个部门一个工作表"),
    "api/departments.json": ("JSON", "部门列表及各部门事项编码"),
    "api/laws.json": ("JSON", "法律依据目录及引用它们的事项"),
}

#: Field meanings shown on the page (the file-form keys, see docs/item-format).
ITEM_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("code", "事项编码", "全站唯一的事项编码，如 370700-XK-00012；子项在主项编码后加 -001"),
    ("name", "事项名称", "权力事项的名称"),
    ("category", "权力类别", "行政许可、行政处罚等"),
    ("department", "实施主体", "实施部门的代码（部门名称见 derived.department_name）"),
    ("status", "状态", "保留、取消、下放、冻结、合并、转出"),
    ("basis", "实施依据", "引用列表：law 为法律依据标识，article 条、paragraph 款、item 项，note 为说明"),
    ("parent", "主项编码", "子项所属主项的编码"),
    ("source", "权力来源", "法定本级行使、上级下放等"),
    ("office", "承办机构", "具体承办的内设机构"),
    ("summary", "事项说明", "Markdown 文本"),
    ("handling", "办件类型", "即办件或承诺件"),
    ("time_limit", "办理时限", "statutory 法定时限，promised 承诺时限"),
    ("fee", "收费", "charged 是否收费，items 收费项目（name 名称、standard 标准、basis 依据）"),
    ("flow", "运行流程", "流程步骤：id、name 环节、actor 承办人、time_limit 时限、next 下一步"),
    ("responsibilities", "责任事项", "stage 环节、duty 职责、basis 依据"),
    ("accountability", "追责情形", "situation 情形、basis 依据"),
    ("risks", "廉政风险点", "stage 环节、risk 风险、level 等级（高中低）、measure 防控措施"),
    ("contact", "联系方式", "consult 咨询电话、supervise 监督电话"),
    ("decision", "调整依据", "document 文件、date 日期、url 链接、to 下放或合并去向"),
    ("remarks", "备注", "其他说明"),
)
DERIVED_FIELDS: tuple[tuple[str, str], ...] = (
    ("department_name", "实施主体名称"),
    ("region / region_name", "行政区划代码及名称（来自部门）"),
    ("basis_text", "实施依据的中文引文，如《中华人民共和国行政许可法》第十二条第一款第（二）项"),
    ("parent_name", "主项名称（仅子项）"),
    ("children", "子项编码列表（仅有子项的主项）"),
)


def _file_entry(path: str, meta: tuple[int, str], fmt: str, label: str) -> dict[str, Any]:
    size, digest = meta
    return {"path": path, "name": path.rsplit("/", 1)[-1], "format": fmt, "label": label, "size": size,
            "size_text": human_size(size), "sha256": digest}


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def downloads_context(build: BuildContext, files: dict[str, tuple[int, str]]) -> dict[str, Any]:
    """What downloads.html shows: whole-list files (size, SHA-256 by path), per-department files, API
    endpoints, field meanings."""
    catalog = build.catalog
    whole = [_file_entry(p, files[p], *FILE_LABELS[p]) for p in FILE_LABELS if p in files]
    departments = []
    for dep_id, dep in catalog.departments.items():
        entries = [_file_entry(p, files[p], fmt, "") for fmt, p in (
            ("CSV", f"data/departments/{dep_id}.csv"), ("Excel", f"data/departments/{dep_id}.xlsx"))]
        departments.append({"id": dep_id, "name": dep.name, "count": len(catalog.by_department.get(dep_id, [])),
                            "files": entries})
    example = next(iter(catalog.items), None)
    return {
        "download_files": whole,
        "download_departments": departments,
        "item_count": len(catalog.items),
        "item_fields": ITEM_FIELDS,
        "derived_fields": DERIVED_FIELDS,
        "csv_columns": [h for h, _ in EXPORT_COLUMNS],
        "api_example_code": example,
        "source_commit": build.commit,
    }


def site_contribution(build: BuildContext) -> Contribution:
    """The 数据下载 nav link and the list of export files (so item pages can link to their JSON); the files
    and the page are made by :func:`write_exports`, which item pages do not wait for."""
    return Contribution(
        assets=[Asset(path, b"") for path in export_paths(build.catalog)],
        nav=[NavLink(url="downloads/", label="数据下载", order=80)],
        assets_written=True,
        later=write_exports,
    )


def write_exports(build: BuildContext) -> Contribution:
    """The exports and the 数据下载 page. Each export file is written into the output as soon as it is made
    (the Contribution lists them with ``assets_written``), so at most one is held in memory."""
    out = os.fspath(build.output_path)
    meta: dict[str, tuple[int, str]] = {}
    stamps: dict[str, Stamp] = {}
    made: set[str] = set()
    counter = ExportCounter()
    for path, data in iter_exports(build.catalog, build.commit, build.commit_date):
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(os.path.join(out, folder), exist_ok=True)
            made.add(folder)
        stamp = stamps[path] = write_stamped(os.path.join(out, path), data)
        meta[path] = (len(data), stamp.sha256)
        counter.add(path, data)
    counter.check(build.catalog)
    return Contribution(
        pages=[Page(url="downloads/", template="downloads.html", context=downloads_context(build, meta),
                    title="数据下载")],
        assets=[Asset(path, b"", stamps[path]) for path in meta],
        assets_written=True,
    )

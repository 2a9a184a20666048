"""Spreadsheet columns: the flat table form of an item (export), and the column names departments use (import).

The exported table and the importer share one vocabulary of *fields* (``code``, ``name``, ``basis`` …), so a
workbook written by ``powerlist export`` reads back with ``powerlist import`` without a mapping file.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Callable, Mapping

from ..model.catalog import Catalog
from ..model.citation import format_citation
from ..model.records import Item

# ---- export: the flat table ----

#: (header, field) in the order of the exported sheets. ``field`` is the importer's name for the column.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("序号", "seq"),
    ("事项编码", "code"),
    ("事项名称", "name"),
    ("主项编码", "parent"),
    ("权力类别", "category"),
    ("实施主体", "department_name"),
    ("部门代码", "department"),
    ("状态", "status"),
    ("实施依据", "basis"),
    ("权力来源", "source"),
    ("承办机构", "office"),
    ("办件类型", "handling"),
    ("法定时限", "time_limit.statutory"),
    ("承诺时限", "time_limit.promised"),
    ("是否收费", "fee.charged"),
    ("收费项目及标准", "fee.items"),
    ("咨询电话", "contact.consult"),
    ("监督电话", "contact.supervise"),
    ("调整文件", "decision.document"),
    ("调整日期", "decision.date"),
    ("调整去向", "decision.to"),
    ("事项说明", "summary"),
    ("备注", "remarks"),
    ("原编码", "source_code"),
    ("行使层级", "levels"),
    ("结构化字段（JSON）", "structured"),
)
EXPORT_HEADERS: tuple[str, ...] = tuple(h for h, _ in EXPORT_COLUMNS)

#: Suggested column widths (characters) for XLSX sheets.
EXPORT_WIDTHS: dict[str, int] = {"序号": 6, "事项编码": 22, "事项名称": 36, "主项编码": 22, "实施主体": 20,
                                 "实施依据": 48, "承办机构": 16, "事项说明": 40, "备注": 24, "调整文件": 24,
                                 "收费项目及标准": 24}


def citation_text(item: Item, catalog: Catalog) -> list[str]:
    """Each basis citation as text, with its note in brackets: 《…》第十二条第一款第（二）项（note）."""
    out = []
    for c in item.basis:
        s = format_citation(c, catalog.laws)
        if c.note:
            s += f"（{c.note}）"
        out.append(s)
    return out


def fee_items_text(item: Item) -> str:
    if not item.fee:
        return ""
    return "\n".join(f"{fi.name}：{fi.standard}" if fi.standard else fi.name for fi in item.fee.items)


def structured_text(item: Item) -> str:
    """The fields a table cannot hold losslessly (flow, risks, duties and fees with their citations) as JSON, so
    that ``powerlist import`` reads an export back into the same item files; empty when the item has none."""
    d = item.to_dict()
    out: dict[str, Any] = {k: d[k] for k in ("flow", "risks", "responsibilities", "accountability") if k in d}
    if item.fee and any(fi.basis for fi in item.fee.items):
        out["fee"] = d["fee"]
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) if out else ""


def _getters(catalog: Catalog) -> dict[str, Callable[[Item], str]]:
    def dep_name(it: Item) -> str:
        dep = catalog.departments.get(it.department)
        return dep.name if dep else it.department

    return {
        "code": lambda it: it.code,
        "name": lambda it: it.name,
        "parent": lambda it: it.parent or "",
        "category": lambda it: it.category,
        "department_name": dep_name,
        "department": lambda it: it.department,
        "status": lambda it: it.status,
        "basis": lambda it: "\n".join(citation_text(it, catalog)),
        "source": lambda it: it.source or "",
        "office": lambda it: it.office or "",
        "handling": lambda it: it.handling or "",
        "time_limit.statutory": lambda it: (it.time_limit.statutory or "") if it.time_limit else "",
        "time_limit.promised": lambda it: (it.time_limit.promised or "") if it.time_limit else "",
        "fee.charged": lambda it: "" if it.fee is None else ("是" if it.fee.charged else "否"),
        "fee.items": fee_items_text,
        "contact.consult": lambda it: (it.contact.consult or "") if it.contact else "",
        "contact.supervise": lambda it: (it.contact.supervise or "") if it.contact else "",
        "decision.document": lambda it: it.decision.document if it.decision else "",
        "decision.date": lambda it: it.decision.date if it.decision else "",
        "decision.to": lambda it: (it.decision.to or "") if it.decision else "",
        "summary": lambda it: it.summary or "",
        "remarks": lambda it: it.remarks or "",
        "source_code": lambda it: it.source_code or "",
        "levels": lambda it: "、".join(it.levels),
        "structured": structured_text,
    }


def row_maker(catalog: Catalog, cache: dict[str, list[str]] | None = None) -> Callable[[int, Item], list[str | int]]:
    """A function giving the exported row of an item (``seq`` is its 1-based position in the table). With
    ``cache`` (item code → the row's other cells), a row wanted by several tables is made once."""
    getters = _getters(catalog)
    fields = [f for _, f in EXPORT_COLUMNS]
    at = fields.index("seq")
    others = [getters[f] for f in fields if f != "seq"]

    def make(seq: int, it: Item) -> list[str | int]:
        cells = cache.get(it.code) if cache is not None else None
        if cells is None:
            cells = [get(it) for get in others]
            if cache is not None:
                cache[it.code] = cells
        return [*cells[:at], seq, *cells[at:]]

    return make


# ---- import: recognising the columns departments use ----

#: Field → column names seen in departments' lists (compared after :func:`norm_header`).
ALIASES: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "顺序号", "行号"),
    "code": ("事项编码", "编码", "权力编码", "事项代码", "权力事项编码", "职权编码", "基本编码", "权力代码",
             "事项编号", "权力编号", "实施编码", "业务办理项编码"),
    "name": ("事项名称", "权力名称", "权力事项名称", "职权名称", "名称", "项目名称", "主项名称", "主项",
             "行政权力名称", "行政权力事项名称", "事项名称主项", "主项事项名称", "权责事项名称", "服务事项",
             "实施事项"),
    "sub_name": ("子项名称", "子项", "子项事项名称", "事项名称子项", "子项名"),
    "sub_code": ("子项编码", "子项代码", "子项编号"),
    "parent": ("主项编码", "主项代码", "主项编号"),
    "category": ("权力类别", "职权类型", "权力类型", "事项类型", "类别", "类型", "事项类别", "职权类别",
                 "权力分类", "权责类型"),
    "department_name": ("实施主体", "实施机关", "实施部门", "责任主体", "行使主体", "行驶主体", "实施单位", "部门名称",
                        "法定主体", "实施机构"),
    "department": ("部门代码",),
    "status": ("状态", "事项状态", "调整情况", "处理意见"),
    "basis": ("实施依据", "设定依据", "法律依据", "依据", "设定和实施依据", "设定依据实施依据", "法定依据",
              "实施依据设定依据", "依据设定依据", "依据实施依据", "法律法规依据", "职权依据", "具体条款"),
    "source": ("权力来源", "来源"),
    "office": ("承办机构", "承办科室", "内设机构", "责任科室", "承办处室", "承办单位", "责任处室", "办理机构"),
    "handling": ("办件类型",),
    "time_limit.statutory": ("法定时限", "法定办结时限", "法定期限", "时限法定", "办理时限法定", "法定办理时限"),
    "time_limit.promised": ("承诺时限", "承诺办结时限", "承诺期限", "时限承诺", "办理时限承诺", "承诺办理时限"),
    "fee.charged": ("是否收费", "收费", "收费情况"),
    "fee.items": ("收费项目及标准", "收费标准", "收费项目"),
    "contact.consult": ("咨询电话", "咨询方式"),
    "contact.supervise": ("监督电话", "监督投诉电话", "投诉电话", "监督方式", "监管电话", "诉求渠道", "救助渠道"),
    "decision.document": ("调整文件", "调整依据", "调整依据文件"),
    "decision.date": ("调整日期", "调整时间"),
    "decision.to": ("调整去向", "下放至", "合并至"),
    "summary": ("事项说明", "说明", "事项描述"),
    "remarks": ("备注", "附注"),
    "levels": ("行使层级", "实施层级", "实施层级及权限", "层级", "行使层级及权限"),
    "responsibilities": ("责任事项", "责任事项内容"),
    "accountability": ("追责情形", "追责情形及追责依据", "问责依据"),
    "source_code": ("原编码",),
    "structured": ("结构化字段",),
}
FIELDS: frozenset[str] = frozenset(ALIASES) | {"ignore"}

_BRACKETED = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")


def norm_header(text: str) -> str:
    """A header cell reduced for matching: NFKC, no whitespace, no *, no bracketed hints like （必填）."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s).replace("*", "").replace("＊", "")
    stripped = _BRACKETED.sub("", s)
    return stripped or s


_ALIAS_INDEX: dict[str, str] = {norm_header(a): f for f, names in ALIASES.items() for a in names}


#: a header cell longer than this names no column (and is not normalised: that would cost time for nothing)
MAX_HEADER_CHARS = 200


def norm_mapping(mapping: Mapping[str, str]) -> dict[str, str]:
    """A --mapping with its column names normalised (:func:`norm_header`); the first of equal names wins."""
    out: dict[str, str] = {}
    for k, v in mapping.items():
        if len(k) <= MAX_HEADER_CHARS:
            out.setdefault(norm_header(k), v)
    return out


def field_for(header: str, mapping: Mapping[str, str] | None = None, *,
              normalized: Mapping[str, str] | None = None) -> str | None:
    """The field a header names (an explicit mapping wins over the built-in names), or None. ``normalized`` is
    a mapping already passed through :func:`norm_mapping` (faster for many headers)."""
    if not header or len(header) > MAX_HEADER_CHARS:
        return None
    key = norm_header(header)
    if mapping:
        normalized = norm_mapping(mapping)
    if normalized and key in normalized:
        return normalized[key]
    return _ALIAS_INDEX.get(key)

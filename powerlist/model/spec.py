"""The file format as data: one description of every key, used both by the validator and to generate the
published JSON Schema, so the two cannot disagree. Chinese titles/descriptions are what editors see in IDEs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .records import (DEPARTMENT_LEVELS, DEPARTMENT_NATURES, HANDLING, LAW_LEVELS, LAW_STATUSES, RISK_LEVELS, SOURCES,
                      STATUSES)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
STEP_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"    # ASCII digits: Python's \d takes full-width ones too
REGION_PATTERN = r"^[0-9]{6}$"

# ---- limits: whatever the validator accepts, every part of the build (site pages, flowcharts, CSV and XLSX
# exports) handles; docs/item-format.md gives the reasons
#: characters in a one-line text (names, titles, phone numbers, step names …)
ONE_LINE_MAX = 500
#: characters in a multi-line text (summary, remarks, duties, a law's article …): Excel's cell limit, so that
#: every text fits one spreadsheet cell
TEXT_MAX = 32767
#: article numbers (条) go from 1 to this; paragraphs (款) and items (项) from 1 to PART_MAX
ARTICLE_MAX = 9999
PART_MAX = 99
#: a department's ``order`` lies within ±ORDER_MAX
ORDER_MAX = 999_999_999
#: a flow (运行流程) has at most this many steps, branches per step, and branches in all (real flows have at most
#: a dozen steps and three branches per step; these bounds keep every flowchart drawn in well under a second)
FLOW_MAX_STEPS = 60
FLOW_MAX_NEXT = 6
FLOW_MAX_EDGES = 120


class Spec:
    """Base of the value specs."""


@dataclass
class Text(Spec):
    one_line: bool = True
    pattern: str | None = None
    hint: str = ""          # what a valid value looks like, for messages
    fmt: str | None = None  # "date" | "url" | "region": extra checks

    @property
    def max_len(self) -> int:
        return ONE_LINE_MAX if self.one_line else TEXT_MAX


@dataclass
class Integer(Spec):
    minimum: int | None = 1
    maximum: int | None = None
    what: str = "the number"   # for messages: "write the article number as …"


@dataclass
class Boolean(Spec):
    pass


@dataclass
class Enum(Spec):
    values: tuple[str, ...] = ()
    setting: str | None = None  # the values come from a site setting (categories)


@dataclass
class ListOf(Spec):
    of: Spec = field(default_factory=Spec)
    min_items: int = 0
    max_items: int | None = None
    #: the message when there are more than ``max_items`` ({n} is the count)
    too_many: str = ""


@dataclass
class Field:
    key: str
    title: str
    description: str
    spec: Spec
    required: bool = False


@dataclass
class Obj(Spec):
    name: str = ""
    fields: list[Field] = field(default_factory=list)
    #: old key → new key, so the validator can explain renamed keys
    renamed: dict[str, str] = field(default_factory=dict)
    #: key → the key it needs beside it (a 款 needs its 条)
    requires: dict[str, str] = field(default_factory=dict)
    #: pairs of keys that cannot both be given
    exclusive: tuple[tuple[str, str], ...] = ()

    def field_map(self) -> dict[str, Field]:
        """key → Field, computed once (the validator asks for it for every mapping it checks)."""
        cached = self.__dict__.get("_field_map")
        if cached is None:
            cached = self.__dict__["_field_map"] = {f.key: f for f in self.fields}
        return cached  # type: ignore[no-any-return]

    def required_fields(self) -> list[Field]:
        """The required fields, in order, computed once."""
        cached = self.__dict__.get("_required")
        if cached is None:
            cached = self.__dict__["_required"] = [f for f in self.fields if f.required]
        return cached  # type: ignore[no-any-return]


@dataclass
class ArticleMap(Spec):
    """laws/*.yaml ``articles``: article number → text."""


@dataclass
class FlowNext(Spec):
    """A flow step's ``next``: a list of step ids or {to, when} mappings."""

    max_items: int = FLOW_MAX_NEXT


CITATION = Obj("citation", [
    Field("law", "法律依据", "laws/ 目录中法律文件的标识（文件名），如 xingzheng-xukefa", Text(pattern=ID_PATTERN,
          hint="a law id such as 'xingzheng-xukefa'"), True),
    Field("article", "条", f"条的序号（阿拉伯数字，1–{ARTICLE_MAX}），如第十二条写 12；引用整个文件或文件的某一项时省略",
          Integer(maximum=ARTICLE_MAX, what="the article number")),
    Field("paragraph", "款", f"款的序号（可选，1–{PART_MAX}）", Integer(maximum=PART_MAX, what="the paragraph number")),
    Field("item", "项", f"项的序号（可选，1–{PART_MAX}），如第（二）项写 2", Integer(maximum=PART_MAX, what="the item number")),
    Field("point", "文件项号", f"不分条的文件（如国务院决定的目录）中的项号（1–{ARTICLE_MAX}），如附件第193项写 193",
          Integer(maximum=ARTICLE_MAX, what="the point number")),
    Field("point_label", "引用位置", "不是条款项时的引用位置，照原文写，如 附件第193项、第五章", Text()),
    Field("note", "说明", "对该依据的简要说明（可选）", Text(one_line=False)),
], renamed={"law_id": "law", "tiao": "article", "kuan": "paragraph", "xiang": "item"},
    requires={"paragraph": "article", "item": "article"},
    exclusive=(("article", "point"), ("article", "point_label")))

CITATIONS = ListOf(CITATION)

FLOW_STEP = Obj("flow step", [
    Field("id", "步骤标识", "本流程内唯一的英文标识，如 accept、review", Text(pattern=STEP_ID_PATTERN,
          hint="letters, digits, '-' or '_', e.g. 'accept'"), True),
    Field("name", "步骤名称", "如 受理、审查、决定", Text(), True),
    Field("actor", "承办人员/岗位", "执行该步骤的岗位或机构", Text()),
    Field("time_limit", "时限", "如 1个工作日", Text()),
    Field("next", "下一步", f"后续步骤：省略表示列表中的下一步；[] 表示办结；分支写 {{to, when}}（至多 {FLOW_MAX_NEXT} 个）", FlowNext()),
])

ITEM = Obj("item", [
    Field("code", "事项编码", "与文件名一致，如 370700-XK-00012；子项如 370700-XK-00012-001", Text(), True),
    Field("name", "事项名称", "权力事项的名称（一行）", Text(), True),
    Field("category", "权力类别", "站点配置的权力类别之一，如 行政许可、行政处罚", Enum(setting="categories"), True),
    Field("department", "实施主体", "部门代码，须与所在目录名一致", Text(pattern=ID_PATTERN), True),
    Field("status", "状态", "保留、取消、下放、冻结、合并、转出", Enum(STATUSES), True),
    Field("basis", "实施依据", "法律依据列表；状态为取消时可为空", CITATIONS),
    Field("parent", "主项编码", "本事项为子项时，填写主项的事项编码", Text()),
    Field("source", "权力来源", "法定本级行使、上级下放、上级授权、同级授权、上级委托、同级委托", Enum(SOURCES)),
    Field("office", "承办机构", "部门内具体承办的机构", Text()),
    Field("summary", "事项说明", "Markdown 文本，安全渲染（不执行 HTML）", Text(one_line=False)),
    Field("handling", "办件类型", "即办件、承诺件", Enum(HANDLING)),
    Field("time_limit", "办理时限", "法定时限与承诺时限", Obj("time_limit", [
        Field("statutory", "法定时限", "如 20个工作日", Text()),
        Field("promised", "承诺时限", "如 7个工作日", Text()),
    ])),
    Field("fee", "收费", "是否收费及收费项目", Obj("fee", [
        Field("charged", "是否收费", "true 或 false", Boolean(), True),
        Field("items", "收费项目", "收费项目列表", ListOf(Obj("fee item", [
            Field("name", "收费项目名称", "", Text(), True),
            Field("standard", "收费标准", "", Text(one_line=False)),
            Field("basis", "收费依据", "", CITATIONS),
        ]))),
    ])),
    Field("flow", "运行流程", f"流程步骤列表，生成运行流程图（至多 {FLOW_MAX_STEPS} 步）", ListOf(
        FLOW_STEP, max_items=FLOW_MAX_STEPS,
        too_many=f"the flow has {{n}} steps; at most {FLOW_MAX_STEPS} are allowed (a flowchart of more cannot be "
                 "read: summarise steps or split the procedure)")),
    Field("responsibilities", "责任事项", "各环节的责任", ListOf(Obj("responsibility", [
        Field("stage", "环节", "如 受理、审查、决定", Text(), True),
        Field("duty", "责任事项", "该环节应履行的责任", Text(one_line=False), True),
        Field("basis", "责任依据", "", CITATIONS),
    ]))),
    Field("accountability", "追责情形", "应当追究责任的情形", ListOf(Obj("accountability", [
        Field("situation", "追责情形", "", Text(one_line=False), True),
        Field("basis", "追责依据", "", CITATIONS),
    ]))),
    Field("risks", "廉政风险点", "廉政风险点及防控措施", ListOf(Obj("risk", [
        Field("stage", "环节", "", Text()),
        Field("risk", "风险点", "", Text(one_line=False), True),
        Field("level", "风险等级", "高、中、低", Enum(RISK_LEVELS), True),
        Field("measure", "防控措施", "", Text(one_line=False), True),
    ]))),
    Field("contact", "联系方式", "省略时使用部门的咨询、监督电话", Obj("contact", [
        Field("consult", "咨询电话", "", Text()),
        Field("supervise", "监督电话", "", Text()),
    ])),
    Field("decision", "调整依据", "状态不是保留时必填：文件名称、日期，下放/合并时的去向", Obj("decision", [
        Field("document", "文件", "如 潍政发〔2023〕5号", Text(), True),
        Field("date", "日期", "YYYY-MM-DD", Text(pattern=DATE_PATTERN, fmt="date", hint="a date YYYY-MM-DD"), True),
        Field("url", "链接", "文件的 https 链接", Text(fmt="url")),
        Field("to", "去向", "下放：接收部门代码；合并：并入事项编码", Text()),
    ])),
    Field("remarks", "备注", "", Text(one_line=False)),
    Field("source_code", "原编码", "导入时清单中的编码（不符合本站编码规则时保留在此）", Text()),
    Field("levels", "行使层级", "清单所列的行使层级，如 市级、县级、分级管理", ListOf(Text())),
], renamed={"law_id": "law", "title": "name", "type": "category", "dept": "department",
            "legal_basis": "basis", "process": "flow", "note": "remarks", "notes": "remarks"})

DEPARTMENT = Obj("department", [
    Field("id", "部门代码", "与目录名一致，如 370700-zjj", Text(pattern=ID_PATTERN), True),
    Field("name", "部门名称", "", Text(), True),
    Field("region", "行政区划代码", "6 位数字（GB/T 2260），如 370700", Text(pattern=REGION_PATTERN, fmt="region",
          hint="6 digits such as '370700'"), True),
    Field("region_name", "行政区划", "如 潍坊市", Text(), True),
    Field("level", "层级", "省级、市级、县级、乡镇级", Enum(DEPARTMENT_LEVELS), True),
    Field("nature", "主体性质", "法定机关、授权组织、受委托组织", Enum(DEPARTMENT_NATURES)),
    Field("order", "排序", "列表中的顺序（整数，小的在前）", Integer(minimum=-ORDER_MAX, maximum=ORDER_MAX,
          what="the order")),
    Field("address", "地址", "", Text()),
    Field("website", "网站", "https 链接", Text(fmt="url")),
    Field("consult", "咨询电话", "", Text()),
    Field("supervise", "监督电话", "", Text()),
])

LAW = Obj("law", [
    Field("id", "标识", "与文件名一致，如 xingzheng-xukefa", Text(pattern=ID_PATTERN), True),
    Field("title", "名称", "全称，不含书名号，如 中华人民共和国行政许可法", Text(), True),
    Field("level", "效力位阶", "法律、行政法规、部门规章、地方性法规、地方政府规章、规范性文件", Enum(LAW_LEVELS), True),
    Field("issuer", "制定机关", "", Text(), True),
    Field("document", "文号", "如 主席令第七号", Text()),
    Field("promulgated", "公布日期", "YYYY-MM-DD", Text(pattern=DATE_PATTERN, fmt="date", hint="a date YYYY-MM-DD")),
    Field("effective", "施行日期", "YYYY-MM-DD", Text(pattern=DATE_PATTERN, fmt="date", hint="a date YYYY-MM-DD")),
    Field("status", "时效性", "现行有效、已修改、已废止、尚未生效", Enum(LAW_STATUSES), True),
    Field("url", "链接", "官方文本的 https 链接", Text(fmt="url")),
    Field("edition", "版本", "清单引用的版本，照原文写，如 2019修正", Text()),
    Field("generated", "自动生成", "由程序（powerlist import）生成、尚未核对时的标记；核对名称、位阶、制定机关、文号和条文后删除",
          Obj("generated", [
              Field("by", "生成程序", "如 powerlist import", Text(), True),
              Field("source", "来源文件", "导入的清单文件名", Text(), True),
              Field("date", "生成日期", "YYYY-MM-DD", Text(pattern=DATE_PATTERN, fmt="date", hint="a date YYYY-MM-DD"),
                    True),
          ])),
    Field("articles", "条文", "条号 → 条文全文；提供时，引用的条号须在其中（自动生成的文件除外）", ArticleMap()),
])

SPECS: dict[str, Obj] = {"item": ITEM, "department": DEPARTMENT, "law": LAW}


def all_titles(obj: Obj) -> dict[str, str]:
    """Chinese title → key, for explaining keys written in Chinese (名称: → name)."""
    return {f.title: f.key for f in obj.fields}



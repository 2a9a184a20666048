"""Typed records of a power list: items, departments, legal sources, and the values their fields take.

Everything downstream of the loader (site, search, exports, diff) reads these objects, never YAML; the
:class:`~powerlist.model.catalog.Catalog` holds them. ``to_dict()`` on each record gives back the file form
(the keys of ``item-format.md``), which is the canonical data form used by exports, the JSON API and the
semantic diff.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

STATUSES: tuple[str, ...] = ("保留", "取消", "下放", "冻结", "合并", "转出")
SOURCES: tuple[str, ...] = ("法定本级行使", "上级下放", "上级授权", "同级授权", "上级委托", "同级委托")
HANDLING: tuple[str, ...] = ("即办件", "承诺件")
RISK_LEVELS: tuple[str, ...] = ("高", "中", "低")
DEPARTMENT_LEVELS: tuple[str, ...] = ("省级", "市级", "县级", "乡镇级")
DEPARTMENT_NATURES: tuple[str, ...] = ("法定机关", "授权组织", "受委托组织")
LAW_LEVELS: tuple[str, ...] = ("法律", "行政法规", "部门规章", "地方性法规", "地方政府规章", "规范性文件")
LAW_STATUSES: tuple[str, ...] = ("现行有效", "已修改", "已废止", "尚未生效")

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class _Record:
    """Base of the slotted model records: pickles as ``cls(*fields)`` (what crosses from the loader's
    worker processes), much cheaper than the generic per-field state dataclasses give slotted classes."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        names: tuple[str, ...] = self.__slots__  # the generated class's field names, in __init__ order
        return (self.__class__, tuple(getattr(self, n) for n in names))


def _prune(d: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None so ``to_dict`` mirrors what an editor writes."""
    return {k: v for k, v in d.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Citation(_Record):
    """One legal citation: 《law》第article条第paragraph款第（item）项; or, without an article, a whole document
    (《国务院关于…的决定》) or a numbered point of it (``point`` 193, ``point_label`` 附件第193项)."""

    law: str
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    note: str | None = None
    #: a numbered point of a document that has no articles (附件第193项 → 193)
    point: int | None = None
    #: how a pinpoint that is not an article is written (附件第193项, 附件2《…目录》第37项, 第五章)
    point_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _prune({"law": self.law, "article": self.article, "paragraph": self.paragraph,
                       "item": self.item, "point": self.point, "point_label": self.point_label,
                       "note": self.note})


@dataclass(frozen=True, slots=True)
class FlowEdge(_Record):
    to: str
    when: str | None = None


@dataclass(frozen=True, slots=True)
class FlowStep(_Record):
    """A step of the 运行流程. ``next`` is resolved: the implicit "next step in the list" is explicit here,
    and an empty tuple marks an end step. ``next_raw`` keeps what the file said (None = omitted)."""

    id: str
    name: str
    actor: str | None = None
    time_limit: str | None = None
    next: tuple[FlowEdge, ...] = ()
    next_raw: tuple[FlowEdge, ...] | None = None

    @property
    def is_end(self) -> bool:
        return not self.next

    def to_dict(self) -> dict[str, Any]:
        nxt: list[Any] | None
        if self.next_raw is None:
            nxt = None
        else:
            nxt = [e.to if e.when is None else {"to": e.to, "when": e.when} for e in self.next_raw]
        return _prune({"id": self.id, "name": self.name, "actor": self.actor,
                       "time_limit": self.time_limit, "next": nxt})


@dataclass(frozen=True, slots=True)
class TimeLimit(_Record):
    statutory: str | None = None
    promised: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _prune({"statutory": self.statutory, "promised": self.promised})


@dataclass(frozen=True, slots=True)
class FeeItem(_Record):
    name: str
    standard: str | None = None
    basis: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _prune({"name": self.name, "standard": self.standard,
                       "basis": [c.to_dict() for c in self.basis] or None})


@dataclass(frozen=True, slots=True)
class Fee(_Record):
    charged: bool
    items: tuple[FeeItem, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"charged": self.charged}
        if self.items:
            d["items"] = [i.to_dict() for i in self.items]
        return d


@dataclass(frozen=True, slots=True)
class Responsibility(_Record):
    stage: str
    duty: str
    basis: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _prune({"stage": self.stage, "duty": self.duty,
                       "basis": [c.to_dict() for c in self.basis] or None})


@dataclass(frozen=True, slots=True)
class Accountability(_Record):
    situation: str
    basis: tuple[Citation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _prune({"situation": self.situation, "basis": [c.to_dict() for c in self.basis] or None})


@dataclass(frozen=True, slots=True)
class Risk(_Record):
    risk: str
    level: str
    measure: str
    stage: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _prune({"stage": self.stage, "risk": self.risk, "level": self.level, "measure": self.measure})


@dataclass(frozen=True, slots=True)
class Contact(_Record):
    consult: str | None = None
    supervise: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _prune({"consult": self.consult, "supervise": self.supervise})


@dataclass(frozen=True, slots=True)
class Decision(_Record):
    """调整依据: the document that changed an item's status."""

    document: str
    date: str
    url: str | None = None
    to: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _prune({"document": self.document, "date": self.date, "url": self.url, "to": self.to})


@dataclass(frozen=True, slots=True)
class Item(_Record):
    """One power item (权力事项). ``file`` is the path relative to the data root, with '/' separators."""

    code: str
    name: str
    category: str
    department: str
    status: str
    basis: tuple[Citation, ...] = ()
    parent: str | None = None
    source: str | None = None
    office: str | None = None
    summary: str | None = None
    handling: str | None = None
    time_limit: TimeLimit | None = None
    fee: Fee | None = None
    flow: tuple[FlowStep, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    accountability: tuple[Accountability, ...] = ()
    risks: tuple[Risk, ...] = ()
    contact: Contact | None = None
    decision: Decision | None = None
    remarks: str | None = None
    #: the code the item had in the list it was imported from, when it does not fit the site's code pattern
    source_code: str | None = None
    #: 行使层级 as the list gives them (市级, 县级, 分级管理 …)
    levels: tuple[str, ...] = ()
    file: str = ""

    @property
    def active(self) -> bool:
        return self.status == "保留"

    def all_citations(self) -> Iterator[Citation]:
        """Every citation in the item: basis, fees, responsibilities, accountability."""
        yield from self.basis
        if self.fee:
            for fi in self.fee.items:
                yield from fi.basis
        for r in self.responsibilities:
            yield from r.basis
        for a in self.accountability:
            yield from a.basis

    def to_dict(self) -> dict[str, Any]:
        """The item in file form (keys in the order of the format document)."""
        return _prune({
            "code": self.code,
            "name": self.name,
            "category": self.category,
            "department": self.department,
            "status": self.status,
            "basis": [c.to_dict() for c in self.basis],
            "parent": self.parent,
            "source": self.source,
            "office": self.office,
            "summary": self.summary,
            "handling": self.handling,
            "time_limit": self.time_limit.to_dict() if self.time_limit else None,
            "fee": self.fee.to_dict() if self.fee else None,
            "flow": [s.to_dict() for s in self.flow] or None,
            "responsibilities": [r.to_dict() for r in self.responsibilities] or None,
            "accountability": [a.to_dict() for a in self.accountability] or None,
            "risks": [r.to_dict() for r in self.risks] or None,
            "contact": self.contact.to_dict() if self.contact else None,
            "decision": self.decision.to_dict() if self.decision else None,
            "remarks": self.remarks,
            "source_code": self.source_code,
            "levels": list(self.levels) or None,
        })


@dataclass(frozen=True, slots=True)
class Department(_Record):
    """实施主体."""

    id: str
    name: str
    region: str
    region_name: str
    level: str
    nature: str | None = None
    order: int | None = None
    address: str | None = None
    website: str | None = None
    consult: str | None = None
    supervise: str | None = None
    file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _prune({"id": self.id, "name": self.name, "region": self.region,
                       "region_name": self.region_name, "level": self.level, "nature": self.nature,
                       "order": self.order, "address": self.address, "website": self.website,
                       "consult": self.consult, "supervise": self.supervise})


@dataclass(frozen=True, slots=True)
class Generated(_Record):
    """The mark of a law file written by a program (``powerlist import``) and not yet checked by an editor."""

    by: str
    source: str
    date: str

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "source": self.source, "date": self.date}


@dataclass(frozen=True, slots=True)
class Law(_Record):
    """A legal source in the ``laws/`` registry. ``articles`` maps article number to its text."""

    id: str
    title: str
    level: str
    issuer: str
    status: str
    document: str | None = None
    promulgated: str | None = None
    effective: str | None = None
    url: str | None = None
    articles: dict[int, str] = field(default_factory=dict)
    #: the edition the list cited (2019修正; 国务院令第439号公布，…修订), as written
    edition: str | None = None
    #: set while the file is as a program wrote it (see :class:`Generated`)
    generated: Generated | None = None
    file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _prune({"id": self.id, "title": self.title, "level": self.level, "issuer": self.issuer,
                       "document": self.document, "promulgated": self.promulgated,
                       "effective": self.effective, "status": self.status, "url": self.url,
                       "edition": self.edition,
                       "generated": self.generated.to_dict() if self.generated else None,
                       "articles": dict(self.articles) or None})

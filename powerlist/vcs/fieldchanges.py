"""Field-level changes between two versions of a data file, as short Chinese sentences for people.

``状态：保留 → 下放``, ``实施依据：新增《中华人民共和国行政许可法》第十二条``, ``承办机构：新增 行政审批科``.
Both git history (two blobs of one file) and the semantic diff (two Catalog records, via ``to_dict()``)
compare the file form, key by key, in the order of the format document; field titles come from
:mod:`powerlist.model.spec`, the same source as the JSON Schema, so the wording matches what editors see.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from ..model.citation import article_label, cn_number
from ..model.records import Citation
from ..model.spec import SPECS, Field, ListOf, Obj

#: Values longer than this (or spanning lines) are reported as "已修改" instead of quoted.
MAX_QUOTED = 60


@dataclass
class Names:
    """Display names used in sentences: law titles and department names by id (unknown ids print as is)."""

    laws: Mapping[str, str] = field(default_factory=dict)
    departments: Mapping[str, str] = field(default_factory=dict)

    def law(self, law_id: str) -> str:
        return self.laws.get(law_id, law_id)

    def department(self, dep_id: str) -> str:
        name = self.departments.get(dep_id)
        return f"{name}（{dep_id}）" if name else dep_id


def citation_label(c: Any, names: Names) -> str:
    """《title》第十二条第一款第（二）项 from a citation mapping of the file form (tolerates bad values)."""
    if not isinstance(c, Mapping):
        return _quote(c)
    try:
        cit = Citation(str(c.get("law", "?")), int(c["article"]) if c.get("article") else None,
                       int(c["paragraph"]) if c.get("paragraph") else None,
                       int(c["item"]) if c.get("item") else None, None,
                       int(c["point"]) if c.get("point") else None,
                       str(c["point_label"]) if c.get("point_label") else None)
        label = article_label(cit)
    except (TypeError, ValueError):
        return _quote(dict(c))
    return f"《{names.law(cit.law)}》{label}"


def _quote(v: Any) -> str:
    if v is None:
        return "（空）"
    if isinstance(v, bool):
        return "是" if v else "否"
    s = str(v)
    return s


def _is_long(v: Any) -> bool:
    return isinstance(v, str) and ("\n" in v.strip() or len(v) > MAX_QUOTED)


def _scalar(title: str, old: Any, new: Any, display: Callable[[Any], str] = _quote) -> list[str]:
    if old == new:
        return []
    if old is None:
        return [f"{title}：已填写" if _is_long(new) else f"{title}：新增 {display(new)}"]
    if new is None:
        return [f"{title}：已删除" if _is_long(old) else f"{title}：删除 {display(old)}"]
    if _is_long(old) or _is_long(new) or isinstance(old, (list, dict)) or isinstance(new, (list, dict)):
        return [f"{title}：已修改"]
    return [f"{title}：{display(old)} → {display(new)}"]


def _as_list(v: Any) -> list[Any]:
    if v is None:
        return []
    return list(v) if isinstance(v, list) else [v]


def _citations(title: str, old: Any, new: Any, names: Names) -> list[str]:
    """Citations keyed by their reference (law, article, paragraph, item); notes compared per reference."""
    def key(c: Any) -> tuple[Any, ...]:
        if isinstance(c, Mapping):
            return (str(c.get("law")), str(c.get("article")), str(c.get("paragraph")), str(c.get("item")))
        return ("?", repr(c), "", "")

    o, n = _as_list(old), _as_list(new)
    ok, nk = [key(c) for c in o], [key(c) for c in n]
    out: list[str] = []
    odict = {k: c for k, c in zip(ok, o)}
    ndict = {k: c for k, c in zip(nk, n)}
    for k, c in zip(nk, n):
        if k not in odict:
            out.append(f"{title}：新增{citation_label(c, names)}")
    for k, c in zip(ok, o):
        if k not in ndict:
            out.append(f"{title}：删除{citation_label(c, names)}")
    for k, c in zip(nk, n):
        if k in odict and odict[k] != c:
            before = odict[k].get("note") if isinstance(odict[k], Mapping) else None
            after = c.get("note") if isinstance(c, Mapping) else None
            for s in _scalar("说明", before, after):
                out.append(f"{title}：{citation_label(c, names)}的{s}")
    if not out and o != n:
        out.append(f"{title}：调整顺序")
    return out


#: How list elements are identified and named in sentences: (key of the identity, noun).
_LIST_KEYS: dict[str, tuple[str, str]] = {
    "flow": ("id", "步骤"),
    "responsibilities": ("stage", "环节"),
    "accountability": ("situation", "情形"),
    "risks": ("risk", "风险点"),
    "items": ("name", "收费项目"),
}
_LABEL_KEYS: dict[str, str] = {"flow": "name"}


def _short(s: str, n: int = 24) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[:n] + "…"


def _records(title: str, key: str, old: Any, new: Any) -> list[str]:
    ident, noun = _LIST_KEYS.get(key, ("", "条目"))
    label_key = _LABEL_KEYS.get(key, ident)

    def k(e: Any, i: int) -> Any:
        return str(e.get(ident)) if isinstance(e, Mapping) and ident and ident in e else f"#{i}"

    def label(e: Any, i: int) -> str:
        if isinstance(e, Mapping) and label_key in e:
            return f"「{_short(e[label_key])}」"
        return f"第{cn_number(i + 1)}项"

    o, n = _as_list(old), _as_list(new)
    om = {k(e, i): (i, e) for i, e in enumerate(o)}
    nm = {k(e, i): (i, e) for i, e in enumerate(n)}
    out: list[str] = []
    for kk, (i, e) in nm.items():
        if kk not in om:
            out.append(f"{title}：新增{noun}{label(e, i)}")
    for kk, (i, e) in om.items():
        if kk not in nm:
            out.append(f"{title}：删除{noun}{label(e, i)}")
    for kk, (i, e) in nm.items():
        if kk in om and om[kk][1] != e:
            out.append(f"{title}：修改{noun}{label(e, i)}")
    if not out and o != n:
        out.append(f"{title}：调整顺序")
    return out


def _articles(title: str, old: Any, new: Any) -> list[str]:
    o = old if isinstance(old, Mapping) else {}
    n = new if isinstance(new, Mapping) else {}

    def num(a: Any) -> str:
        try:
            return f"第{cn_number(int(a))}条"
        except (TypeError, ValueError):
            return str(a)

    def order(a: Any) -> tuple[int, str]:
        try:
            return (int(a), "")
        except (TypeError, ValueError):
            return (1 << 30, str(a))

    added = sorted((a for a in n if a not in o), key=order)
    removed = sorted((a for a in o if a not in n), key=order)
    changed = sorted((a for a in n if a in o and o[a] != n[a]), key=order)
    out = [f"{title}：新增{num(a)}" for a in added]
    out += [f"{title}：删除{num(a)}" for a in removed]
    out += [f"{title}：修改{num(a)}" for a in changed]
    return out


def _display_for(kind: str, key: str, names: Names) -> Callable[[Any], str]:
    if kind == "item" and key == "department":
        return lambda v: names.department(str(v))
    return _quote


def _compare_obj(obj: Obj, old: Mapping[str, Any], new: Mapping[str, Any], names: Names, kind: str,
                 prefix: str = "") -> list[str]:
    out: list[str] = []
    fields = obj.field_map()
    keys = [f.key for f in obj.fields] + sorted(k for k in set(old) | set(new) if k not in fields)
    for key in keys:
        a, b = old.get(key), new.get(key)
        if a == b or (a in (None, [], {}) and b in (None, [], {})):
            continue
        f: Field | None = fields.get(key)
        title = f"{prefix}{f.title if f else key}"
        spec = f.spec if f else None
        if key in ("basis",) and isinstance(spec, ListOf):
            out += _citations(title, a, b, names)
        elif isinstance(spec, ListOf) and isinstance(spec.of, Obj):
            out += _records(title, key, a, b)
        elif isinstance(spec, Obj) and (isinstance(a, Mapping) or a is None) and (isinstance(b, Mapping) or b is None):
            if a is None or b is None:
                whole: Mapping[str, Any] = b if a is None else a  # type: ignore[assignment]
                out.append(f"{title}：{'新增' if a is None else '删除'} {_summary(spec, whole, names)}".rstrip())
            else:
                sub = _compare_obj(spec, a, b, names, kind, prefix=f"{title}·")
                out += sub or [f"{title}：已修改"]
        elif kind == "law" and key == "articles":
            out += _articles(title, a, b)
        else:
            disp = _decision_to(names) if obj.name == "decision" and key == "to" else _display_for(kind, key, names)
            out += _scalar(title, a, b, disp)
    return out


def _summary(obj: Obj, value: Mapping[str, Any], names: Names) -> str:
    """"文件 潍政发〔2024〕2号，日期 2024-01-05" — a whole sub-record in one line (scalars only)."""
    parts = []
    for f in obj.fields:
        v = value.get(f.key)
        if v is None or isinstance(v, (list, dict)) or _is_long(v):
            continue
        shown = _decision_to(names)(v) if obj.name == "decision" and f.key == "to" else _quote(v)
        parts.append(f"{f.title} {shown}")
    return "，".join(parts)


def _decision_to(names: Names) -> Callable[[Any], str]:
    def show(v: Any) -> str:
        s = str(v)
        return names.department(s) if s in names.departments else s
    return show


def field_changes(kind: str, old: Any, new: Any, names: Names | None = None) -> list[str]:
    """Sentences describing how ``old`` became ``new`` (file-form mappings of an item, a department or a law,
    ``kind`` = "item" | "department" | "law"). Non-mapping values (unparsable files) compare as empty."""
    names = names or Names()
    o = old if isinstance(old, Mapping) else {}
    n = new if isinstance(new, Mapping) else {}
    return _compare_obj(SPECS[kind], o, n, names, kind)

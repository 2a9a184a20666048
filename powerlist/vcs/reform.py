"""The reform report (reform/): the list at a baseline revision (``POWERLIST_BASELINE``) against the current one.

Counts of 保留 items before and after by department and category with the reduction (“由 1648 项压减为 216
项，压减比例 86.9%”), the items cancelled, delegated, frozen, merged, turned out and added since the baseline
with their decision documents, and a chart. Built on :func:`powerlist.vcs.diff.diff_catalogs`.
"""
from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model.catalog import Catalog
from ..model.errors import InvalidData, PowerlistError
from ..model.records import Item
from ..output.contribution import BuildContext, Page
from ..output.urls import DEPARTMENT_URL, ITEM_URL
from ..svg.charts import stacked_bar_chart_svg
from .diff import (CatalogDiff, category_totals, department_totals, diff_catalogs, load_revision, reduction_ratio,
                   reduction_sentence)
from .git import Repo, commit_info, find_repo

#: The lists of the report: (status, heading, what the decision's ``to`` means).
STATUS_LISTS: tuple[tuple[str, str, str], ...] = (
    ("取消", "取消的事项", ""),
    ("下放", "下放的事项", "承接部门"),
    ("冻结", "冻结的事项", ""),
    ("合并", "合并的事项", "并入事项"),
    ("转出", "转出的事项", ""),
)


def _entry(cat: Catalog, it: Item, before: Item | None) -> dict[str, Any]:
    dec = it.decision
    to_label = ""
    to_url = ""
    if dec and dec.to:
        if dec.to in cat.departments:
            to_label, to_url = cat.departments[dec.to].name, DEPARTMENT_URL.format(id=dec.to)
        elif dec.to in cat.items:
            to_label, to_url = f"{cat.items[dec.to].name}（{dec.to}）", ITEM_URL.format(code=dec.to)
        else:
            to_label = dec.to
    dep = cat.departments.get(it.department)
    return {"code": it.code, "name": it.name, "url": ITEM_URL.format(code=it.code), "category": it.category,
            "department": it.department, "department_name": dep.name if dep else it.department,
            "status": it.status, "before_status": before.status if before else None,
            "document": dec.document if dec else "", "date": dec.date if dec else "",
            "document_url": dec.url if dec and dec.url and dec.url.startswith(("https://", "http://")) else "",
            "to": to_label, "to_url": to_url}


def reform_context(baseline: Catalog, current: Catalog, d: CatalogDiff) -> dict[str, Any]:
    """Everything reform.html shows (plain data; the chart is added by :func:`reform_page`)."""
    lists = []
    for status, heading, to_label in STATUS_LISTS:
        entries = [_entry(current, it, baseline.items.get(code)) for code, it in current.items.items()
                   if it.status == status and (code not in baseline.items or baseline.items[code].status != status)]
        lists.append({"status": status, "heading": heading, "to_label": to_label, "entries": entries})
    added = [_entry(current, it, None) for code, it in current.items.items() if code not in baseline.items]
    removed = [_entry(baseline, it, it) for code, it in baseline.items.items() if code not in current.items]
    deps = department_totals(d.counts)
    return {
        "summary": d.summary, "before": d.before, "after": d.after, "ratio": reduction_ratio(d.before, d.after),
        "rows": [{"department": r.department, "department_name": r.department_name, "category": r.category,
                  "before": r.before, "after": r.after, "ratio": r.ratio, "sentence": reduction_sentence(r.before, r.after)}
                 for r in d.counts],
        "department_rows": [{"department": r.department, "department_name": r.department_name, "before": r.before,
                             "after": r.after, "ratio": r.ratio, "sentence": reduction_sentence(r.before, r.after)}
                            for r in deps],
        "category_rows": [{"category": r.category, "before": r.before, "after": r.after, "ratio": r.ratio,
                           "sentence": reduction_sentence(r.before, r.after)} for r in category_totals(d.counts)],
        "status_lists": lists,
        "added": added,
        "removed": removed,
        "transitions": d.transitions,
    }


def reform_chart(ctx: dict[str, Any]) -> Markup | None:
    """Per department: the items still kept and the items cut since the baseline, stacked (SVG)."""
    rows = ctx["department_rows"]
    if not rows:
        return None
    svg = stacked_bar_chart_svg([(r["department_name"], [r["after"], max(r["before"] - r["after"], 0)]) for r in rows],
                                ["现行保留", "已压减"], title="各部门保留事项：现行与压减")
    return Markup(svg)


def _unavailable(reason: str, baseline: str) -> Page:
    return Page(url="reform/", template="reform.html", title="改革报告",
                context={"reform_available": False, "reform_reason": reason, "baseline": baseline,
                         "page_title": "改革报告"})


def reform_page(build: BuildContext, baseline: str) -> Page:
    """The reform/ page comparing ``baseline`` (a revision or tag) with the catalog being built.

    Without usable git history (no repository, shallow clone) or when the baseline's data does not load,
    the page explains why and the build warns; a baseline that names no revision is a configuration error.
    """
    repo: Repo | None = find_repo(build.data_root)
    if repo is None or repo.head is None:
        build.warn(f"reform report: {build.data_root} is not in a git repository; baseline {baseline} unavailable")
        return _unavailable("数据目录不在 git 仓库中，无法读取基准版本。", baseline)
    if repo.shallow:
        build.warn(f"reform report: shallow clone; baseline {baseline} may be missing")
    try:
        base_commit = commit_info(repo, baseline)
        old = load_revision(repo, baseline, build.catalog.settings)
    except InvalidData as err:
        build.warn(f"reform report: the data at baseline {baseline} does not load ({len(err.problems)} problem(s))")
        return _unavailable(f"基准版本 {baseline} 的数据无法通过当前校验，改革报告暂不可用。", baseline)
    except PowerlistError as err:
        if repo.shallow:
            return _unavailable(f"数据仓库是浅克隆，找不到基准版本 {baseline}。", baseline)
        raise PowerlistError(f"POWERLIST_BASELINE: {err}") from err
    d = diff_catalogs(old, build.catalog, old_label=baseline, new_label="现行")
    ctx = reform_context(old, build.catalog, d)
    ctx.update({"reform_available": True, "baseline": baseline, "baseline_commit": base_commit.sha,
                "baseline_short": base_commit.short, "baseline_date": base_commit.date,
                "baseline_day": base_commit.date[:10], "reform_chart": reform_chart(ctx),
                "page_title": "改革报告"})
    return Page(url="reform/", template="reform.html", context=ctx, title="改革报告")

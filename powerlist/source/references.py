"""Cross-file rules, over the cleaned data of every file: unique codes, departments that exist, a code's region
equal to its department's, citations (``citations``), parents of sub-items, and dispositions (下放, 合并: where
``decision.to`` points)."""
from __future__ import annotations

from typing import Any, Callable

from ..model.errors import Problem
from ..model.records import DEPARTMENT_LEVELS
from ..model.settings import Settings
from .checked import Checked, Ref
from .citations import LawRefs
from .suggest import Near

#: reports a problem at a reference
Report = Callable[[Ref, str], None]


def check_references(items: list[Checked], departments: dict[str, Checked], laws: dict[str, Checked],
                     settings: Settings) -> list[Problem]:
    """Cross-file rules, over the cleaned data of every file."""
    problems: list[Problem] = []

    def bad(r: Ref, msg: str) -> None:
        problems.append(Problem(r.file, r.line, r.col, r.path, msg))

    codes, item_data = _unique_codes(items, bad)
    near_code, near_dep = Near(codes), Near(sorted(departments))
    law_refs = LawRefs(laws, Near(laws))
    for it in items:
        data = it.data or {}
        for r in it.refs:
            if r.kind == "department":
                if r.target not in departments:
                    bad(r, f"department '{r.target}' has no _department.yaml in items/{r.target}/"
                        + near_dep(r.target))
            elif r.kind == "region":
                msg = _region_problem(r, data, departments)
                if msg:
                    bad(r, msg)
            elif r.kind == "law":
                law_refs.problems(r, problems)
            elif r.kind == "parent":
                _parent_problems(r, item_data, near_code, bad, problems)
            elif r.kind == "decision_to":
                msg = _disposition_problem(r, it, departments, item_data, near_dep, near_code)
                if msg:
                    bad(r, msg)
    return problems


def _unique_codes(items: list[Checked], bad: Report) -> tuple[dict[str, Ref], dict[str, dict[str, Any]]]:
    """Every item code, first use first (a second use is reported), and each code's item data."""
    codes: dict[str, Ref] = {}
    item_data: dict[str, dict[str, Any]] = {}
    for it in items:
        for r in it.refs:
            if r.kind == "code":
                if r.target in codes:
                    first = codes[r.target]
                    bad(r, f"code '{r.target}' is used twice (also in {first.file}:{first.line})")
                else:
                    codes[r.target] = r
                    if it.data is not None:
                        item_data[r.target] = it.data
    return codes, item_data


def _region_problem(r: Ref, data: dict[str, Any], departments: dict[str, Checked]) -> str | None:
    """The region in an item's code differs from its department's. The department is the folder's (department =
    folder), so a wrong ``department:`` is reported only once."""
    parts = r.file.split("/")
    dep = departments.get(parts[-2] if len(parts) > 1 else data.get("department", ""))
    region = dep.data.get("region") if dep and dep.data else None
    if region and region != r.target:
        return f"code region '{r.target}' does not match the department's region '{region}'"
    return None


def _parent_problems(r: Ref, item_data: dict[str, dict[str, Any]], near_code: Near, bad: Report,
                     problems: list[Problem]) -> None:
    """A sub-item's parent exists, is a main item, has the same category, and is in force when the sub-item is."""
    category, status, category_pos, status_pos = r.extra
    parent = item_data.get(r.target)
    if parent is None:
        bad(r, f"parent item '{r.target}' does not exist" + near_code(r.target))
    elif parent.get("parent"):
        bad(r, f"parent item '{r.target}' is itself a sub-item; sub-items have one level")
    else:
        if category and parent.get("category") and parent["category"] != category:
            problems.append(Problem(r.file, category_pos[0], category_pos[1], "category", (
                f"a sub-item's category ({category}) must equal its parent's ({parent['category']})")))
        if status == "保留" and parent.get("status") and parent["status"] != "保留":
            problems.append(Problem(r.file, status_pos[0], status_pos[1], "status", (
                f"status is 保留 but the parent item '{r.target}' is {parent['status']}: a sub-item "
                "in force needs its main item in force; change this status or the parent's")))


def _level_of(departments: dict[str, Checked], dep: Any) -> int | None:
    """The rank of a department's level (0 省级 … 3 乡镇级), None when unknown."""
    d = departments.get(dep) if isinstance(dep, str) else None
    level = (d.data or {}).get("level") if d is not None else None
    return DEPARTMENT_LEVELS.index(level) if level in DEPARTMENT_LEVELS else None


def _disposition_problem(r: Ref, it: Checked, departments: dict[str, Checked], item_data: dict[str, dict[str, Any]],
                         near_dep: Near, near_code: Near) -> str | None:
    """What contradicts an item's disposition (its status and decision.to), or None. 下放 goes to another
    department at a lower level; 合并 goes into an item in force (保留), never round a cycle."""
    status, target, data = r.extra, r.target, it.data or {}
    if status == "下放":
        if target not in departments:
            return f"decision.to '{target}' is not a department id" + near_dep(target)
        own = data.get("department")
        if target == own:
            return (f"decision.to names the item's own department '{target}'; 下放 hands the power down to a "
                    "department at a lower level")
        mine, theirs = _level_of(departments, own), _level_of(departments, target)
        if mine is not None and theirs is not None and theirs <= mine:
            return (f"decision.to '{target}' is a {DEPARTMENT_LEVELS[theirs]} department, not below this item's "
                    f"{DEPARTMENT_LEVELS[mine]} department; 下放 hands the power down to a lower level")
        return None
    if status == "合并":
        me = next((x.target for x in it.refs if x.kind == "code"), None)
        if target not in item_data:
            return f"decision.to '{target}' is not an item code" + near_code(target, exclude=me)
        return _merge_problem(target, me, item_data)
    if target not in departments and target not in item_data:
        return f"decision.to '{target}' is neither a department id nor an item code"
    return None


def _merge_problem(target: str, me: str | None, item_data: dict[str, dict[str, Any]]) -> str | None:
    """An item (code ``me``) merged (合并) into ``target``: the target is in force, or the chain of merges from it
    ends in an item in force (then name that one) and never comes back to ``me``."""
    into = item_data[target].get("status")
    if into == "保留" or not into:
        return None
    chain = [target]
    while item_data.get(chain[-1], {}).get("status") == "合并":   # follow the merges until one stops
        nxt = (item_data[chain[-1]].get("decision") or {}).get("to")
        if not isinstance(nxt, str) or nxt not in item_data or nxt in chain or nxt == me:
            if nxt == me and me is not None:
                return (f"merge cycle: {' → '.join([me] + chain + [me])}; an item is merged into an item in "
                        "force (保留)")
            break
        chain.append(nxt)
    final = chain[-1]
    if len(chain) > 1 and item_data[final].get("status") == "保留":
        return (f"decision.to '{target}' is itself merged (合并) into '{final}'; an item is merged into an item "
                f"in force (保留): write '{final}'")
    return f"decision.to '{target}' has status {into}; an item can only be merged into an item in force (保留)"

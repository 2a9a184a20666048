"""Validation: every rule of the format document, every problem collected.

Two passes. ``check_item``, ``check_department`` and ``check_law`` check one file against its spec (types,
required and unknown keys, enumerations, id syntax: ``values``; the flow graph: ``flows``; citations:
``citations``) and return the cleaned value plus the references it makes to other files, each with its position
(``checked``). ``check_references`` (``references``) then resolves those references across the whole data set
(departments, laws, articles, parents, decisions, code uniqueness, region/letters agreement). Positions are not
kept past that, so memory stays small for 100,000 items.
"""
from __future__ import annotations

import re
from typing import Any

from ..model.errors import WARNING, Problem
from ..model.settings import CODE_PATTERN_DEFAULT, Settings
from ..model.spec import DEPARTMENT, ID_PATTERN, ITEM, LAW, Obj
from .checked import ITEM_REF_KEYS, Checked, Ref, make_ref
from .citations import check_basis_given, item_citation_refs
from .flows import check_flow
from .references import check_references
from .values import INVALID, ValueChecker
from .yamlsrc import Document

__all__ = ["ITEM_REF_KEYS", "Checked", "Ref", "check_department", "check_id", "check_item", "check_law",
           "check_references"]

ID_RE = re.compile(ID_PATTERN)
SAFE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")


def check_item(doc: Document, settings: Settings, folder: str, stem: str) -> Checked:
    """Check one item file (items/<folder>/<stem>.yaml)."""
    data = ValueChecker(doc, settings).obj(doc.data, ITEM, ()) if doc.data is not None else INVALID
    if data is INVALID:
        return Checked("item", doc.file, None)
    refs: list[Ref] = []
    code = data.get("code")
    if code is not None:
        _code_rules(doc, settings, data, code, stem, refs)
        refs.append(make_ref(doc, "code", code, ("code",)))
    dep = data.get("department")
    if dep is not None:
        if dep != folder:
            doc.problem(("department",), f"department '{dep}' differs from the folder '{folder}' the file is in")
        refs.append(make_ref(doc, "department", dep, ("department",)))
    status = data.get("status")
    check_basis_given(doc, status)
    item_citation_refs(doc, data, refs)
    _fee_rules(doc, data.get("fee"))
    if "flow" in data:
        check_flow(doc, data["flow"])
    parent = data.get("parent")
    if parent is not None:
        if parent == code:
            doc.problem(("parent",), "an item cannot be its own parent")
        else:
            refs.append(make_ref(doc, "parent", parent, ("parent",), (
                data.get("category"), status, doc.where(("category",)), doc.where(("status",)))))
    _decision_rules(doc, data, code, status, refs)
    return Checked("item", doc.file, data, refs, doc.where(())[0])


def _code_rules(doc: Document, settings: Settings, data: dict[str, Any], code: str, stem: str,
                refs: list[Ref]) -> None:
    """The code matches the code pattern and the file name, its letters the category; its region is checked
    against the department's later (a ``region`` reference)."""
    if not SAFE_CODE_RE.match(code) or not settings.code_re.match(code):
        doc.problem(("code",), f"{code!r} does not match the code pattern {settings.code_pattern}"
                    + (" (e.g. 370700-XK-00012)" if settings.code_pattern == CODE_PATTERN_DEFAULT else ""))
    elif code != stem:
        doc.problem(("code",), f"code '{code}' differs from the file name '{stem}.yaml'; "
                    f"rename the file to '{code}.yaml' or fix the code")
    else:
        m = settings.code_re.match(code)
        assert m is not None
        groups = m.groupdict()
        letters = settings.category_letters.get(data.get("category", ""))
        if groups.get("letters") and letters and groups["letters"] != letters:
            doc.problem(("code",), f"code letters '{groups['letters']}' do not match category "
                        f"{data['category']} ({letters})")
        if groups.get("region"):
            refs.append(make_ref(doc, "region", groups["region"], ("code",)))


def _fee_rules(doc: Document, fee: Any) -> None:
    """fee.charged agrees with the fee items listed."""
    if fee and fee.get("charged") is True and not fee.get("items"):
        doc.problem(("fee", "charged"), "fee.charged is true: list the fee items (items: [{name, standard, basis}])")
    if fee and fee.get("charged") is False and fee.get("items"):
        doc.problem(("fee", "items"), "fee.charged is false but fee items are listed")


def _decision_rules(doc: Document, data: dict[str, Any], code: Any, status: Any, refs: list[Ref]) -> None:
    """A status other than 保留 needs a decision; 下放 and 合并 need decision.to, which cannot be the item itself
    (where it points is checked later: a ``decision_to`` reference)."""
    decision = data.get("decision")
    if status and status != "保留" and "decision" not in doc.data:
        doc.problem(("status",), f"status is {status}: 'decision' (调整依据: document, date) is required")
    if status in ("下放", "合并") and decision is not None and "to" not in decision and "to" not in _invalid_keys(
            doc, "decision"):
        what = "the receiving department id" if status == "下放" else "the code of the item it was merged into"
        doc.problem(("status",), f"status is {status}: decision.to must name {what}")
    if decision and "to" in decision and decision["to"] == code:
        doc.problem(("decision", "to"), "decision.to names this item itself")
    elif decision and "to" in decision:
        refs.append(make_ref(doc, "decision_to", decision["to"], ("decision", "to"), status))


def _invalid_keys(doc: Document, key: str) -> set[str]:
    """Keys that were present in the file (so a separate 'missing' message would be noise)."""
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    return set(raw) if isinstance(raw, dict) else ({key} if raw is not None else set())


def _check_with_id(doc: Document, settings: Settings, spec: Obj, kind: str, expected: str,
                   named: str) -> Checked:
    """A department or law file: its spec, and an ``id`` equal to the folder or file name it is in."""
    data = ValueChecker(doc, settings).obj(doc.data, spec, ()) if doc.data is not None else INVALID
    if data is INVALID:
        return Checked(kind, doc.file, None)
    if "id" in data and data["id"] != expected:
        doc.problem(("id",), f"id '{data['id']}' differs from the {named}")
    return Checked(kind, doc.file, data)


def check_department(doc: Document, settings: Settings, folder: str) -> Checked:
    """Check one department file (items/<folder>/_department.yaml)."""
    return _check_with_id(doc, settings, DEPARTMENT, "department", folder, f"folder name '{folder}'")


def check_law(doc: Document, settings: Settings, stem: str) -> Checked:
    """Check one law file (laws/<stem>.yaml). A law written by ``powerlist import`` and not yet checked
    (``generated``) is a warning."""
    checked = _check_with_id(doc, settings, LAW, "law", stem, f"file name '{stem}.yaml'")
    gen = (checked.data or {}).get("generated")
    if gen and {"by", "source", "date"} <= set(gen):
        line, col = doc.where(("generated",), key=True)
        arts = (checked.data or {}).get("articles") or {}
        doc.problems.append(Problem(doc.file, line, col, "generated", (
            f"written by {gen['by']} from {gen['source']} on {gen['date']} and not yet checked: compare the title, "
            f"level, issuer, document and the {len(arts)} article text(s) with the official text, then delete "
            "'generated' (from then on, citations are checked against the articles listed)"), WARNING))
    return checked


def check_id(name: str, what: str) -> str | None:
    """A message when a folder/file name cannot be an id, else None."""
    if not ID_RE.match(name):
        return (f"{what} '{name}' is not a valid id: use lowercase ASCII letters, digits and '-' "
                "(it becomes a URL and a file name)")
    return None

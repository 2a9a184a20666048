"""Citation rules (实施依据 and every other ``basis``): in one item file, and across files against laws/.

In the file: an item in force needs at least one citation in ``basis``; every citation with a law and an article
becomes a reference. Across files: the law exists, is not repealed, and lists the cited article.
"""
from __future__ import annotations

from typing import Any, Callable

from ..model.errors import Problem
from ..model.spec import ITEM
from .checked import Checked, Ref, make_ref
from .yamlsrc import Document, PathKey, format_path


def check_basis_given(doc: Document, status: Any) -> None:
    """An item that is not 取消 cites at least one law in ``basis``. The problem points at the line that causes
    it: ``basis`` when written empty, else the status."""
    if status and status != "取消" and ("basis" not in doc.data or doc.data["basis"] == []) and not any(
            ITEM.renamed.get(k) == "basis" for k in doc.data):
        doc.problem(("basis",) if "basis" in doc.data else ("status",), "at least one citation is required in "
                    "'basis' (实施依据) unless the status is 取消")


def item_citation_refs(doc: Document, data: dict[str, Any], refs: list[Ref]) -> None:
    """The law references of every citation list of an item: basis, fee items, responsibilities, accountability."""
    _citation_refs(doc, data.get("basis"), ("basis",), refs)
    for i, fi in enumerate((data.get("fee") or {}).get("items", [])):
        _citation_refs(doc, fi.get("basis"), ("fee", "items", i, "basis"), refs)
    for key in ("responsibilities", "accountability"):
        for i, r in enumerate(data.get(key) or []):
            _citation_refs(doc, r.get("basis"), (key, i, "basis"), refs)


def _citation_refs(doc: Document, cits: Any, path: PathKey, refs: list[Ref]) -> None:
    for i, c in enumerate(cits or []):
        if "law" in c:
            apath = path + (i, "article")
            refs.append(make_ref(doc, "law", c["law"], path + (i, "law"),
                                 (c.get("article"), apath, doc.where(apath) if "article" in c else (0, 0))))


class LawRefs:
    """Resolves the law references of every item against the laws; the article ranges of a law (for the message
    on a missing article) are worked out once per law."""

    def __init__(self, laws: dict[str, Checked], near_law: Callable[[str], str]):
        self.laws = laws
        self.near_law = near_law
        self.ranges: dict[str, str] = {}         # law id → its article numbers as ranges, for messages

    def problems(self, r: Ref, out: list[Problem]) -> None:
        """Append what is wrong with the citation ``r`` (a ``law`` reference) to ``out``."""
        article, apath, (aline, acol) = r.extra
        law = self.laws.get(r.target)
        if law is None:
            out.append(Problem(r.file, r.line, r.col, r.path, f"unknown law id '{r.target}' (no laws/{r.target}.yaml)"
                               + self.near_law(r.target)))
            return
        ld = law.data or {}
        if ld.get("status") == "已废止":
            out.append(Problem(r.file, r.line, r.col, r.path,
                               f"cites {ld.get('title', r.target)}, which is repealed (已废止)"))
        arts = ld.get("articles")
        # a generated law lists the articles the imported list pasted, not all of them
        if arts and article is not None and article not in arts and not ld.get("generated"):
            listed = self.ranges.get(r.target)
            if listed is None:
                listed = self.ranges[r.target] = _ranges(sorted(arts))
            out.append(Problem(r.file, aline, acol, format_path(apath),
                               f"article {article} is not in laws/{r.target}.yaml "
                               f"(it lists {len(arts)} articles: {listed})"))


def _ranges(nums: list[int]) -> str:
    """Article numbers as ranges ('1-5, 7, 9-12'), cut to 80 characters."""
    out: list[str] = []
    for n in nums:
        if out and isinstance(out[-1], str) and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    s = ", ".join(out)
    return s if len(s) < 80 else s[:77] + "…"

"""The Catalog: the whole, cross-checked power list, and the indexes every page and export reads.

The loader (:mod:`powerlist.source.load`) builds it; everything downstream reads it and never YAML.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from .records import STATUSES, Contact, Department, Item, Law
from .settings import Settings


@dataclass
class Catalog:
    """The whole, cross-checked power list. Built only by :func:`powerlist.source.load.load_catalog`.

    ``items`` is ordered by department order then code; ``departments`` by (order, id); ``laws`` by id.
    """

    departments: dict[str, Department]
    items: dict[str, Item]
    laws: dict[str, Law]
    settings: Settings = field(default_factory=Settings)
    root: str = ""

    # ---- indexes (computed once, on first use) ----
    @cached_property
    def by_department(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {d: [] for d in self.departments}
        for it in self.items.values():
            out.setdefault(it.department, []).append(it)
        return out

    @cached_property
    def by_category(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {c: [] for c in self.settings.category_names}
        for it in self.items.values():
            out.setdefault(it.category, []).append(it)
        return out

    @cached_property
    def by_status(self) -> dict[str, list[Item]]:
        out: dict[str, list[Item]] = {s: [] for s in STATUSES}
        for it in self.items.values():
            out[it.status].append(it)
        return out

    @cached_property
    def children(self) -> dict[str, list[Item]]:
        """Sub-items (子项) by parent code."""
        out: dict[str, list[Item]] = {}
        for it in self.items.values():
            if it.parent:
                out.setdefault(it.parent, []).append(it)
        return out

    @cached_property
    def citing(self) -> dict[str, dict[int, list[Item]]]:
        """Reverse index: law id → article → items citing it (each item once per article)."""
        out: dict[str, dict[int, list[Item]]] = {law: {} for law in self.laws}
        for it in self.items.values():
            seen: set[tuple[str, int]] = set()
            for c in it.all_citations():
                if (c.law, c.article) in seen:
                    continue
                seen.add((c.law, c.article))
                out.setdefault(c.law, {}).setdefault(c.article, []).append(it)
        for arts in out.values():
            for lst in arts.values():
                lst.sort(key=lambda i: i.code)
        return out

    def items_citing(self, law_id: str) -> list[Item]:
        """Items citing a law at any article, ordered by code, each once."""
        seen: dict[str, Item] = {}
        for lst in self.citing.get(law_id, {}).values():
            for it in lst:
                seen[it.code] = it
        return [seen[c] for c in sorted(seen)]

    def department_of(self, item: Item) -> Department:
        return self.departments[item.department]

    def contact_for(self, item: Item) -> Contact:
        """The item's contact, each field falling back to its department's."""
        dep = self.departments.get(item.department)
        c = item.contact or Contact()
        return Contact(consult=c.consult or (dep.consult if dep else None),
                       supervise=c.supervise or (dep.supervise if dep else None))

    def iter_items(self, department: str | None = None) -> Iterable[Item]:
        if department is None:
            return self.items.values()
        return self.by_department.get(department, [])

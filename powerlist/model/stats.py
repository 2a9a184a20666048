"""Counts of a Catalog: department × category and by status (for ``powerlist stats`` and the site)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalog import Catalog
from .records import STATUSES


@dataclass
class Stats:
    categories: list[str]
    #: (department id, department name, counts per category of items in force (保留), total in force)
    by_department: list[tuple[str, str, list[int], int]]
    by_status: list[tuple[str, int]]
    total: int
    active: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "total": self.total, "active": self.active, "categories": self.categories,
            "by_department": [{"id": d, "name": n, "counts": dict(zip(self.categories, c)), "total": t}
                              for d, n, c, t in self.by_department],
            "by_status": dict(self.by_status),
        }


def compute(catalog: Catalog) -> Stats:
    """Items in force (保留) by department × category, and all items by status."""
    cats = catalog.settings.category_names
    col = {c: i for i, c in enumerate(cats)}
    rows = []
    for dep_id, dep in catalog.departments.items():
        counts = [0] * len(cats)
        for it in catalog.by_department.get(dep_id, []):
            if it.active:
                counts[col[it.category]] += 1
        rows.append((dep_id, dep.name, counts, sum(counts)))
    by_status = [(s, len(catalog.by_status.get(s, []))) for s in STATUSES]
    active = len(catalog.by_status.get("保留", []))
    return Stats(cats, rows, by_status, len(catalog.items), active)

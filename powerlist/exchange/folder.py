"""The data folder as the importer sees it: departments, item codes and the laws/ registry, read the safe way.

Every YAML file it reads (departments, items, laws) is read as ``validate`` reads it (:func:`read_data_yaml` →
:func:`powerlist.source.yamlsrc.read_yaml_file`: regular files within the loader's size limits, no anchors or
aliases, so no file can expand); a data file that cannot be read stops the import before anything is written.
"""
from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import InvalidData, Problem
from ..source.yamlsrc import MAX_FILE_BYTES, MAX_LAW_FILE_BYTES, Document, read_yaml_file

__all__ = ["read_data_yaml", "Folder", "read_folder", "ExistingLaw", "name_key"]


def read_data_yaml(path: Path, rel: str) -> Document:
    """A YAML file of the data folder, read as ``validate`` reads it (a regular file within the loader's size
    limit for its kind, no anchors, aliases or custom tags). Problems are on the Document, never raised."""
    limit = MAX_LAW_FILE_BYTES if rel.startswith("laws/") else MAX_FILE_BYTES
    return read_yaml_file(path, rel, limit=limit)


def name_key(name: str) -> str:
    """The matching form of a department name: NFKC, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@dataclass(frozen=True)
class ExistingLaw:
    id: str
    title: str
    status: str
    articles: frozenset[int]
    document: str | None = None


@dataclass
class Folder:
    """What the import needs to know of the data folder it writes into."""

    root: Path
    #: department id → its file's data
    departments: dict[str, dict[str, Any]] = field(default_factory=dict)
    laws: dict[str, ExistingLaw] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)                      # existing code → department folder
    #: (department, name, category, parent) → code, for items already in the folder
    by_name: dict[tuple[str, str, str, str], str] = field(default_factory=dict)

    def item_file(self, code: str, dep: str) -> Path:
        return self.root / "items" / dep / f"{code}.yaml"

    def read_item(self, code: str) -> Document | None:
        """The item file of an existing code (any department), read the safe way; None for an unknown code."""
        dep = self.codes.get(code)
        if dep is None:
            return None
        return read_data_yaml(self.item_file(code, dep), f"items/{dep}/{code}.yaml")

    def department_by_name(self) -> dict[str, str]:
        """Department name (matching form) → id, for names used by one department only."""
        seen: dict[str, set[str]] = {}
        for dep_id, d in self.departments.items():
            if d.get("name"):
                seen.setdefault(name_key(str(d["name"])), set()).add(dep_id)
        return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _usable(doc: Document, problems: list[Problem]) -> dict[str, Any] | None:
    """The mapping a file holds, or None (its reading problems go to ``problems``)."""
    if doc.problems:
        problems.extend(Problem(p.file, p.line, p.col, p.path, p.message + " (the import reads this file: fix it "
                                "first; nothing was imported)") for p in doc.problems)
        return None
    return doc.data if isinstance(doc.data, dict) else None


def read_folder(root: Path, *, items_of: set[str] | None = None) -> Folder:
    """Departments, codes, laws and (for the departments in ``items_of``, all when None) the items' names."""
    folder = Folder(root)
    problems: list[Problem] = []
    items_dir = root / "items"
    for d in sorted(items_dir.iterdir()) if items_dir.is_dir() else []:
        if not d.is_dir():
            continue
        dep_file = d / "_department.yaml"
        if os.path.lexists(dep_file):
            data = _usable(read_data_yaml(dep_file, f"items/{d.name}/_department.yaml"), problems)
            folder.departments[d.name] = data or {}
        for f in sorted(d.glob("*.yaml")):
            if not f.name.startswith("_"):
                folder.codes.setdefault(f.stem, d.name)
    for f in sorted((root / "laws").glob("*.yaml")):
        ld = _usable(read_data_yaml(f, f"laws/{f.name}"), problems)
        if isinstance(ld, dict) and ld.get("title"):
            arts = ld.get("articles") or {}
            nums = frozenset(k for k in arts if isinstance(k, int)) if isinstance(arts, dict) else frozenset()
            doc_no = ld.get("document")
            folder.laws[f.stem] = ExistingLaw(f.stem, str(ld["title"]), str(ld.get("status", "")), nums,
                                              str(doc_no) if doc_no else None)
    for code, dep in folder.codes.items():
        if items_of is not None and dep not in items_of:
            continue
        doc = folder.read_item(code)
        data = _usable(doc, problems) if doc is not None else None
        if data and data.get("name"):
            key = (dep, str(data["name"]), str(data.get("category", "")), str(data.get("parent") or ""))
            folder.by_name.setdefault(key, code)
    if problems:
        raise InvalidData(problems)
    return folder

"""The ``--mapping`` file of ``powerlist import``: column names, departments and values the sheet writes its own way.

```yaml
审批项目名称: name              # column name → field (also under a 'columns:' section)
departments:                    # 实施主体 as the sheet writes it → a department
  克拉玛依市财政局: {id: 650200-czj, region: '650200', region_name: 克拉玛依市, level: 市级}
  市级: 650200-zf               # a name → the id of a department (in items/ or above)
values:                         # cell values → the format's values, per field
  category: {许可: 行政许可, '01': 行政许可}
  status: {有效: 保留}
  levels: {'3': 市级}
```
Any problem is a UsageError naming the file, line and column; nothing is imported then.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import Problem, UsageError
from ..model.records import DEPARTMENT_LEVELS, ID_RE
from ..source.yamlsrc import Document, read_yaml_text
from . import normalize as nz
from .columns import FIELDS
from .limits import MAX_MAPPING_BYTES, MAX_MAPPING_ENTRIES, read_input

__all__ = ["MappingFile", "DepartmentSpec", "read_mapping", "VALUE_FIELDS"]

#: fields whose values a ``values:`` section may map
VALUE_FIELDS = ("category", "status", "source", "handling", "levels")
_SECTIONS = ("columns", "departments", "values")


@dataclass(frozen=True)
class DepartmentSpec:
    """A department named in the mapping file: its id, and what a new ``_department.yaml`` needs."""

    id: str
    region: str | None = None
    region_name: str | None = None
    level: str | None = None
    name: str | None = None


@dataclass
class MappingFile:
    columns: dict[str, str] = field(default_factory=dict)
    departments: dict[str, DepartmentSpec] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def _decode_check(path: str | Path, data: bytes) -> None:
    raw = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[start:exc.start].decode("utf-8", "replace")) + 1
        try:
            raw.decode("gb18030")
            guess = " (it looks like GBK/GB18030, as Windows Notepad saves Chinese text)"
        except UnicodeDecodeError:
            guess = ""
        raise UsageError(f"{path}:{line}:{col}: the mapping file is not UTF-8{guess}: byte 0x{raw[exc.start]:02x} "
                         "cannot be decoded; save it as UTF-8 (另存为, 编码 UTF-8)") from None


class _Reader:
    def __init__(self, path: str | Path, doc: Document):
        self.path, self.doc = str(path), doc
        self.problems: list[Problem] = []
        self.out = MappingFile()

    def bad(self, where: tuple[Any, ...], why: str, key: bool = False) -> None:
        line, col = self.doc.where(where, key=key)
        self.problems.append(Problem(self.path, line, col, "", why))

    def column(self, k: Any, v: Any, where: tuple[Any, ...]) -> None:
        key = str(k)
        fields = " ".join(sorted(FIELDS))
        if isinstance(v, str) and v in FIELDS:
            self.out.columns[key] = v
        elif v is None:
            self.bad(where, f"'{nz.shown(key)}' names no field; write one of: {fields}")
        elif isinstance(v, str):
            self.bad(where, f"'{nz.shown(key)}: {nz.shown(v)}': unknown field '{nz.shown(v)}'; one of: {fields}")
        else:
            self.bad(where, f"'{nz.shown(key)}': the field must be one word, one of: {fields}")

    def department(self, k: Any, v: Any, where: tuple[Any, ...]) -> None:
        name = str(k)
        if isinstance(v, str):
            v = {"id": v}
        if not isinstance(v, dict):
            self.bad(where, f"departments: '{nz.shown(name)}' must map to a department id or to "
                     "{id, region, region_name, level}")
            return
        unknown = sorted(str(x) for x in v if x not in ("id", "region", "region_name", "level", "name"))
        if unknown:
            self.bad(where + (unknown[0],), f"departments: '{nz.shown(name)}': unknown key '{unknown[0]}' (allowed: "
                     "id, name, region, region_name, level)", key=True)
            return
        dep_id = str(v.get("id") or "")
        if not ID_RE.match(dep_id):
            self.bad(where, f"departments: '{nz.shown(name)}': id '{nz.shown(dep_id)}' is not a department id "
                     "(lowercase ASCII letters, digits, '-')")
            return
        region = v.get("region")
        region_s = str(region) if region is not None else None
        if region_s is not None and not (len(region_s) == 6 and region_s.isascii() and region_s.isdigit()):
            self.bad(where + ("region",), f"departments: '{nz.shown(name)}': region '{nz.shown(region_s)}' is not 6 "
                     "digits (GB/T 2260, e.g. '650200')")
            return
        level = v.get("level")
        if level is not None and level not in DEPARTMENT_LEVELS:
            self.bad(where + ("level",), f"departments: '{nz.shown(name)}': level '{nz.shown(str(level))}' is not "
                     f"one of {'、'.join(DEPARTMENT_LEVELS)}")
            return
        self.out.departments[name] = DepartmentSpec(
            dep_id, region_s, str(v["region_name"]) if v.get("region_name") else None,
            str(level) if level else None, str(v["name"]) if v.get("name") else None)

    def value_section(self, v: Any, where: tuple[Any, ...]) -> None:
        if not isinstance(v, dict):
            self.bad(where, f"values: must map fields ({', '.join(VALUE_FIELDS)}) to 'cell value: value' lines")
            return
        for fname, table in v.items():
            if fname not in VALUE_FIELDS:
                self.bad(where + (fname,), f"values: '{nz.shown(str(fname))}' is not a field whose values are "
                         f"mapped; one of: {', '.join(VALUE_FIELDS)}", key=True)
                continue
            if not isinstance(table, dict) or not all(isinstance(x, (str, int)) for x in table.values()):
                self.bad(where + (fname,), f"values: {fname}: write 'cell value: value' lines")
                continue
            self.out.values[str(fname)] = {str(a).strip(): str(b).strip() for a, b in table.items()}


def read_mapping(path: str | Path) -> MappingFile:
    """The --mapping file (see the module docstring). Any problem is a UsageError naming the file and line."""
    data = read_input(path, MAX_MAPPING_BYTES, "mapping file")
    _decode_check(path, data)
    doc = read_yaml_text(data, str(path), fast=False)
    reader = _Reader(path, doc)
    problems = reader.problems
    problems.extend(doc.problems)
    if not doc.problems and isinstance(doc.data, dict):
        entries = sum(len(v) if isinstance(v, dict) and k in _SECTIONS else 1 for k, v in doc.data.items())
        if entries > MAX_MAPPING_ENTRIES:
            raise UsageError(f"{path}: {entries:,} column names; a mapping file holds at most "
                             f"{MAX_MAPPING_ENTRIES:,}")
        for k, v in doc.data.items():
            if k in _SECTIONS and isinstance(v, dict):
                if k == "columns":
                    for ck, cv in v.items():
                        reader.column(ck, cv, (k, ck))
                elif k == "departments":
                    for dk, dv in v.items():
                        reader.department(dk, dv, (k, dk))
                else:
                    reader.value_section(v, (k,))
            else:
                reader.column(k, v, (k,))
    if problems:
        shown = [p.format() for p in sorted(problems)[:20]]
        more = f"\n({len(problems) - 20} more)" if len(problems) > 20 else ""
        raise UsageError("\n".join(shown) + more + "\nA mapping file maps column names to fields, one per line, "
                         "e.g. '审批项目名称: name' (and may have 'departments:' and 'values:' sections)")
    return reader.out

"""``powerlist import``: a published power list (Excel/CSV, one department or a whole city) → a data folder.

Every worksheet whose header names a 事项名称 column is read (title rows above the header skipped, merged cells
filled); rows become items (:mod:`.rows`) in the department their 实施主体 names — or the one ``--department``
gives — and a department not yet in ``items/`` gets its ``_department.yaml`` (id, region and level from the
options or the mapping file). The 实施依据 cells are read by :mod:`.basis_text`; their titles are matched against
``laws/`` and those not there become generated law files (:mod:`.lawreg`). Codes are kept when valid or
allocated. Everything is checked with the validator's own rules before anything is written, rows that cannot
become a valid item are reported with the reason, and existing files are never overwritten without ``force``
(law and department files never are).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..model.records import DEPARTMENT_LEVELS, ID_RE
from ..model.settings import Settings
from . import normalize as nz
from .entry import Entry
from .folder import Folder, name_key, read_data_yaml, read_folder
from .mapping import DepartmentSpec, MappingFile, read_mapping
from .report import ImportResult, SheetInfo
from .rows import RowContext, build_entries
from .slug import initials, unique
from .table import Header, Table, detect_header, read_tables
from .workbook import column_letter
from .writeout import finish

__all__ = ["ImportOptions", "ImportResult", "run_import", "read_mapping", "read_data_yaml", "LEVEL_NAME"]

#: 实施主体 cells that name a level, not an organ (市级, 县市区级, 地州市级 …)
LEVEL_NAME = re.compile(r"^(?:国家|省|自治区|地州市|地州|州|市|市本|县市区|县区|县|区|乡镇|街道|乡镇（街道）|乡镇\(街道\))级$")


@dataclass
class ImportOptions:
    department: str | None = None
    root: Path = Path(".")
    header_row: int | None = None
    sheet: str | None = None
    mapping: dict[str, str] | None = None
    encoding: str | None = None
    dry_run: bool = False
    force: bool = False
    settings: Settings = field(default_factory=Settings)
    #: the rest of the --mapping file: departments by name, value mappings
    departments: dict[str, DepartmentSpec] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: what a new department gets when the mapping file does not say
    region: str | None = None
    region_name: str | None = None
    level: str | None = None
    #: the date written in generated law files (default: SOURCE_DATE_EPOCH, else today)
    date: str | None = None

    def use_mapping(self, m: MappingFile) -> None:
        self.mapping = m.columns or None
        self.departments, self.values = m.departments, m.values


def _today() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


class _Departments:
    """Finds the department of each row, and plans the new ones."""

    def __init__(self, opts: ImportOptions, folder: Folder):
        self.opts, self.folder = opts, folder
        self.by_name = folder.department_by_name()
        self.mapped = {name_key(k): v for k, v in opts.departments.items()}
        self.new: dict[str, dict[str, Any]] = {}          # id → _department.yaml data
        self.new_by_key: dict[str, str] = {}
        self.taken = set(folder.departments) | {p.name for p in (folder.root / "items").glob("*")}
        self.level_rows: list[str] = []

    def region_of(self, dep: str) -> str:
        d = self.folder.departments.get(dep) or self.new.get(dep) or {}
        return str(d.get("region") or "")

    def __call__(self, raw_id: str, raw_name: str, e: Entry) -> str | None:
        if self.opts.department:
            dep = nz.ascii_code(raw_id)
            if dep and dep != self.opts.department:
                e.status = "skipped"
                e.messages.append(f"部门代码 is '{nz.shown(dep)}': import it with --department {nz.shown(dep)}")
                return None
            return self.opts.department
        dep = nz.ascii_code(raw_id)
        if dep:
            if dep in self.folder.departments or dep in self.new:
                return dep
            e.messages.append(f"部门代码 '{nz.shown(dep)}' has no items/{nz.shown(dep)}/_department.yaml")
            return None
        name = nz.one_line(raw_name)
        if not name:
            e.messages.append("实施主体 is empty: give --department ID, or fill the 实施主体 column")
            return None
        key = name_key(name)
        spec = self.mapped.get(key)
        if spec is not None:
            return self._from_spec(name, spec, e)
        if key in self.by_name:
            return self.by_name[key]
        if LEVEL_NAME.match(key):
            self.level_rows.append(e.where)
            e.messages.append(f"实施主体 is '{nz.shown(name)}', a level, not an organ: name the department in the "
                              "departments: section of a --mapping file, or import with --department ID")
            return None
        if key in self.new_by_key:
            return self.new_by_key[key]
        return self._create(name, DepartmentSpec("", None, None, None), e)

    def _from_spec(self, name: str, spec: DepartmentSpec, e: Entry) -> str | None:
        if spec.id in self.folder.departments or spec.id in self.new:
            return spec.id
        return self._create(spec.name or name, spec, e)

    def _create(self, name: str, spec: DepartmentSpec, e: Entry) -> str | None:
        region = spec.region or self.opts.region
        region_name = spec.region_name or self.opts.region_name
        level = spec.level or self.opts.level
        if not (region and region_name and level):
            missing = [w for w, v in (("--region", region), ("--region-name", region_name), ("--level", level))
                       if not v]
            e.messages.append(f"department '{nz.shown(name)}' is not in items/: give {', '.join(missing)} for new "
                              "departments (or a departments: section in the --mapping file)")
            return None
        dep_id = spec.id
        if not dep_id:
            short = name[len(region_name):] if name.startswith(region_name) and len(name) > len(region_name) \
                else name
            dep_id = unique(f"{region}-{initials(short) or 'bm'}", self.taken)
        self.taken.add(dep_id)
        self.new[dep_id] = {"id": dep_id, "name": name, "region": region, "region_name": region_name,
                            "level": level}
        self.new_by_key[name_key(name)] = dep_id
        return dep_id


def _check_options(opts: ImportOptions, folder: Folder) -> None:
    if opts.department is not None:
        if not ID_RE.match(opts.department):
            raise UsageError(f"'{opts.department}' is not a department id (lowercase ASCII letters, digits, '-')")
        dep_file = opts.root / "items" / opts.department / "_department.yaml"
        if opts.department not in folder.departments:
            known = sorted(folder.departments)
            raise UsageError(f"{dep_file} not found: create the department first (items/{opts.department}/"
                             "_department.yaml with id, name, region, region_name, level)"
                             + (f"; known departments: {', '.join(known)}" if known else ""))
        if not folder.departments[opts.department].get("region"):
            raise UsageError(f"{dep_file}: no region; fix the department file first (powerlist validate)")
    if opts.region is not None and not re.fullmatch(r"[0-9]{6}", opts.region):
        raise UsageError(f"--region '{opts.region}' is not 6 digits (GB/T 2260, e.g. 650200)")
    if opts.level is not None and opts.level not in DEPARTMENT_LEVELS:
        raise UsageError(f"--level '{opts.level}' is not one of {'、'.join(DEPARTMENT_LEVELS)}")


def _read_sheets(path: str | Path, opts: ImportOptions) -> tuple[list[tuple[Table, Header]], list[str]]:
    """The sheets whose header is found, and the names of those without one (reported, not read)."""
    tables = read_tables(path, opts.sheet, opts.encoding)
    found: list[tuple[Table, Header]] = []
    without: list[str] = []
    first_error: UsageError | None = None
    for t in tables:
        try:
            found.append((t, detect_header(t, opts.mapping, opts.header_row)))
        except UsageError as exc:
            if len(tables) == 1:
                raise
            first_error = first_error or exc
            without.append(t.sheet or "")
    if not found:
        assert first_error is not None
        raise first_error
    return found, without


def _unlabelled_data(table: Table, header: Header) -> str | None:
    """A note when columns without a header hold data below it (those cells are not imported)."""
    width = max((len(r) for r in table.rows), default=0)
    hdr = set(header.labels)
    cols: dict[int, int] = {}
    for i in range(header.rows[-1] + 1, len(table.rows)):
        if i in table.banner:
            continue
        row = table.rows[i]
        for c in range(width):
            if c not in hdr and c not in cols and row[c].strip():
                cols[c] = table.numbers[i]
        if len(cols) + len(hdr) >= width:
            break
    if not cols:
        return None
    where = f"sheet '{table.sheet}': " if table.sheet else ""
    return (f"{where}columns without a header hold data that is not imported: " + ", ".join(
        f"{column_letter(c + 1)} (first in row {r})" for c, r in sorted(cols.items())) + " (give them a header)")


def run_import(path: str | Path, opts: ImportOptions) -> ImportResult:
    """Read the workbook, build and check the items, departments and laws, and write them (unless dry run)."""
    root = Path(opts.root)
    folder = read_folder(root, items_of={opts.department} if opts.department else None)
    _check_options(opts, folder)
    sheets, without = _read_sheets(path, opts)
    deps = _Departments(opts, folder)
    ctx = RowContext(opts.settings, opts.values, deps,
                     {str(d.get("name")): i for i, d in folder.departments.items() if d.get("name")})
    result = ImportResult(str(path), [], opts.dry_run)
    for table, header in sheets:
        not_items: dict[str, list[int]] = {}
        result.entries.extend(build_entries(table, header, ctx, not_items))
        result.sheets.append(SheetInfo(table.sheet or "", [table.numbers[i] for i in header.rows],
                                       [(header.labels[c], f) for c, f in sorted(header.fields.items())],
                                       [lbl for c, lbl in sorted(header.labels.items()) if c not in header.fields],
                                       not_items))
        note = _unlabelled_data(table, header)
        if note:
            result.notes.append(note)
    if without:
        result.notes.append("sheets without a header naming 事项名称 in their first rows (not read): "
                            + "、".join(without))
    result.level_rows = deps.level_rows
    finish(result, opts, folder, deps, Path(path).name, opts.date or _today())
    return result


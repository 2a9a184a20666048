"""validate, new, stats: the editor's everyday commands."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..model.errors import UsageError, os_error_message
from ..model.schema import write_schemas
from ..model.settings import settings_for_root
from ..model.stats import compute
from ..source.load import collect_problems, load_catalog
from ..source.scaffold import create_item, parse_basis
from .arguments import add_command, add_data, add_settings
from .report import FORMATS, print_problems
from .textwidth import table


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every file under DATA/items and DATA/laws and list every problem (file, line, column, field),
    sorted, with a count.

    Exit status: 0 valid, 1 invalid data, 2 usage error (a bad settings file included).

    Example:
      powerlist validate . --format github
    """
    settings = settings_for_root(args.root, args.settings)
    catalog, problems = collect_problems(args.root, settings)
    if problems:
        print_problems(problems, args.format)
        return 1
    assert catalog is not None
    if args.format == "json":
        print(json.dumps({"valid": True, "count": 0, "problems": [], "items": len(catalog.items),
                          "departments": len(catalog.departments), "laws": len(catalog.laws)},
                         ensure_ascii=False, indent=2))
    elif args.format == "text":
        print(f"ok: {len(catalog.items)} items, {len(catalog.departments)} departments, "
              f"{len(catalog.laws)} laws; no problems")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Create a new item file in DATA/items/DEPARTMENT/ with the next free code, valid as written.

    The optional sections are included as commented hints. Without --basis, the department's most
    used citation for the category is filled in (marked for checking).

    Example:
      powerlist new . --department 370700-zjj --category 行政许可 --name 建筑工程施工许可证核发 --basis jianzhufa:7
    """
    settings = settings_for_root(args.root, args.settings)
    catalog = load_catalog(args.root, settings)
    basis = [parse_basis(b) for b in args.basis or []]
    try:
        path, prefilled = create_item(catalog, Path(args.root), args.department, args.category, args.name, basis,
                                      args.code)
    except OSError as exc:
        raise UsageError(f"cannot write the new item file: {os_error_message(exc)}") from None
    print(f"created {path}")
    if prefilled:
        print("note: basis was prefilled from similar items of the department; check it", file=sys.stderr)
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Count items in force (保留) by department × category, and all items by status.

    Example:
      powerlist stats . --format json
    """
    catalog = load_catalog(args.root, settings_for_root(args.root, args.settings))
    st = compute(catalog)
    if args.format == "json":
        print(json.dumps(st.to_dict(), ensure_ascii=False, indent=2))
        return 0
    rows: list[list[object]] = [[name, *counts, total] for _, name, counts, total in st.by_department]
    totals = [sum(counts[i] for _, _, counts, _ in st.by_department) for i in range(len(st.categories))]
    rows.append(["合计", *totals, st.active])
    print("在用事项（保留）：部门 × 权力类别")
    print(table(["部门"] + st.categories + ["合计"], rows))
    print()
    print("全部事项：按状态")
    print(table(["状态", "事项数"], [[s, n] for s, n in st.by_status] + [["合计", st.total]]))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schema files (item, department, law) for the categories and code pattern of DATA's
    settings.

    Point yaml-language-server at them to get Chinese titles, completion and checks in the editor.

    Example:
      powerlist schema . --out schema/
    """
    settings = settings_for_root(args.root, args.settings)
    try:
        written = write_schemas(Path(args.out), settings)
    except OSError as exc:
        raise UsageError(f"cannot write the schema files into {args.out}: {os_error_message(exc)}") from None
    for p in written:
        print(f"wrote {p}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = add_command(sub, "validate", cmd_validate, "check the data and list every problem")
    add_data(p)
    add_settings(p)
    p.add_argument("--format", choices=FORMATS, default="text", help="text (default), json, or github annotations")

    p = add_command(sub, "new", cmd_new, "create a new item file")
    add_data(p)
    add_settings(p)
    p.add_argument("--department", required=True, help="department id, e.g. 370700-zjj")
    p.add_argument("--category", required=True, help="权力类别, e.g. 行政许可")
    p.add_argument("--name", help="事项名称")
    p.add_argument("--code", help="use this code instead of the next free one")
    p.add_argument("--basis", action="append", metavar="LAW:ARTICLE[:PARA[:ITEM]]",
                   help="a citation (repeatable), e.g. jianzhufa:7 or xingzheng-xukefa:12:0:1")

    p = add_command(sub, "stats", cmd_stats, "counts by department, category and status")
    add_data(p)
    add_settings(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")

    p = add_command(sub, "schema", cmd_schema, "write the JSON Schema files")
    add_data(p)
    add_settings(p)
    p.add_argument("--out", default="schema", help="output folder (default: schema/)")

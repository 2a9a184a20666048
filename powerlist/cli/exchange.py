"""``powerlist export`` and ``powerlist import``: thin commands over :mod:`powerlist.exchange`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..model.settings import settings_for_root
from ..source.load import load_catalog
from .arguments import add_command, add_data, add_settings


def register(sub: Any) -> None:
    p = add_command(sub, "export", cmd_export, "write the list as JSON, NDJSON, CSV or XLSX")
    add_data(p)
    add_settings(p)
    p.add_argument("--format", choices=("json", "ndjson", "csv", "xlsx"), default="json",
                   help="json (default), ndjson, csv or xlsx")
    p.add_argument("--department", metavar="ID", help="only this department's items")
    p.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="output file, or a folder for items.<format>; default: standard output "
                        "(xlsx: ./items.xlsx)")

    p = add_command(sub, "import", cmd_import, "turn a department's Excel/CSV list into item files")
    p.add_argument("file", metavar="FILE.xlsx|FILE.csv", help="the department's list")
    add_data(p)
    add_settings(p)
    p.add_argument("--department", required=True, metavar="ID", help="the department folder under items/")
    p.add_argument("--header-row", type=int, metavar="N", help="the (first) header row, 1-based")
    p.add_argument("--sheet", metavar="NAME", help="the worksheet (default: the first)")
    p.add_argument("--mapping", metavar="FILE.yaml", help="column name → field, for columns not recognised")
    p.add_argument("--encoding", metavar="ENC", help="CSV encoding (default: UTF-8, else GBK)")
    p.add_argument("--dry-run", action="store_true", help="show what would happen; write nothing")
    p.add_argument("--force", action="store_true", help="overwrite existing item files")


def cmd_export(args: argparse.Namespace) -> int:
    """Write the whole list of DATA (or one department's) in an open format.

    Example:
      powerlist export . --format xlsx --department 370700-zjj -o zjj.xlsx
    """
    from ..exchange.export import export_bytes   # only for this command (start-up of the CLI)

    catalog = load_catalog(args.root, settings_for_root(args.root, args.settings))
    data = export_bytes(catalog, args.format, args.department)
    name = f"{args.department or 'items'}.{args.format}"
    if args.output is None and args.format != "xlsx":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return 0
    out = Path(args.output or name)
    if out.is_dir() or (args.output or "").endswith(("/", "\\")):
        out.mkdir(parents=True, exist_ok=True)
        out = out / name
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from None
    count = len(catalog.by_department.get(args.department, [])) if args.department else len(catalog.items)
    print(f"wrote {out} ({count} items, {len(data)} bytes)", file=sys.stderr)
    return 0


def read_mapping(path: str) -> dict[str, str]:
    """The --mapping file (see :func:`powerlist.exchange.importer.read_mapping`)."""
    from ..exchange.importer import read_mapping as read   # the importer loads only for import (start-up)

    return read(path)


def cmd_import(args: argparse.Namespace) -> int:
    """Read a department's power list (.xlsx or .csv) and write one YAML file per item into
    DATA/items/ID/. Rows that cannot become a valid item are reported, not written; existing files are
    kept unless --force.

    A --mapping file maps other column names to fields, e.g.
      审批项目名称: name
      法律法规依据: basis
      内部编号: ignore
    The fields:
      code name sub_name sub_code parent category status basis source office handling
      time_limit.statutory time_limit.promised fee.charged fee.items contact.consult
      contact.supervise decision.document decision.date decision.to summary remarks ignore

    Example:
      powerlist import 住建局权力清单.xlsx . --department 370700-zjj --dry-run
    """
    from ..exchange.importer import ImportOptions, run_import   # only for this command (start-up of the CLI)

    settings = settings_for_root(args.root, args.settings)
    opts = ImportOptions(department=args.department, root=Path(args.root), header_row=args.header_row,
                         sheet=args.sheet, mapping=read_mapping(args.mapping) if args.mapping else None,
                         encoding=args.encoding, dry_run=args.dry_run, force=args.force,
                         settings=settings)
    result = run_import(args.file, opts)
    for line in result.report_lines():
        print(line)
    return 1 if result.attention else 0

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

    p = add_command(sub, "import", cmd_import,
                    "turn a published power list (Excel/CSV) into item, department and law files")
    p.add_argument("file", metavar="FILE.xlsx|FILE.csv", help="the published list")
    add_data(p)
    add_settings(p)
    p.add_argument("--department", metavar="ID", help="put every row into this department folder under items/")
    p.add_argument("--header-row", type=int, metavar="N", help="the (first) header row, 1-based")
    p.add_argument("--sheet", metavar="NAME", help="only this worksheet (default: every sheet with a header)")
    p.add_argument("--mapping", metavar="FILE.yaml", help="column names, departments and values not recognised")
    p.add_argument("--encoding", metavar="ENC", help="CSV encoding (default: UTF-8, else GBK)")
    p.add_argument("--region", metavar="CODE", help="region code (6 digits) of new departments, e.g. 650200")
    p.add_argument("--region-name", metavar="NAME", help="region name of new departments, e.g. 克拉玛依市")
    p.add_argument("--level", metavar="LEVEL", help="level of new departments: 省级, 市级, 县级 or 乡镇级")
    p.add_argument("--report", metavar="FILE.md|FILE.json", help="also write the report to this file")
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


def cmd_import(args: argparse.Namespace) -> int:
    """Read a power list (.xlsx or .csv: one department's, or a whole city's with a 实施主体 column) and
    write one YAML file per item into DATA/items/<department>/. Every worksheet with a header is read. A
    department not in items/ gets its _department.yaml (region and level from --region, --region-name,
    --level or the mapping file); a law title not in laws/ gets a law file marked 'generated' (powerlist
    validate warns until it is checked). Rows that cannot become a valid item are reported, not written;
    existing files are kept unless --force.

    A --mapping file maps other column names to fields, department names to departments and cell values
    to the format's values, e.g.
      审批项目名称: name
      内部编号: ignore
      departments: {市级: 650200-zf}
      values: {category: {'01': 行政许可, '02': 行政处罚}}
    The fields:
      code name sub_name sub_code parent category status basis source office handling
      time_limit.statutory time_limit.promised fee.charged fee.items contact.consult
      contact.supervise decision.document decision.date decision.to summary remarks levels
      responsibilities accountability source_code department department_name ignore

    Example:
      powerlist import 住建局权力清单.xlsx . --department 370700-zjj --dry-run
      powerlist import 权责清单.xlsx DATA --region 650200 --region-name 克拉玛依市 --level 市级
    """
    # the importer loads only for this command (start-up of the CLI)
    from ..exchange.importer import ImportOptions, read_mapping, run_import

    report = Path(args.report) if args.report else None
    if report is not None and report.suffix.lower() not in (".md", ".json"):
        raise UsageError(f"--report {args.report}: name a .md (Markdown) or .json file")
    opts = ImportOptions(department=args.department, root=Path(args.root), header_row=args.header_row,
                         sheet=args.sheet, encoding=args.encoding, dry_run=args.dry_run, force=args.force,
                         settings=settings_for_root(args.root, args.settings), region=args.region,
                         region_name=args.region_name, level=args.level)
    if args.mapping:
        opts.use_mapping(read_mapping(args.mapping))
    result = run_import(args.file, opts)
    for line in result.report_lines():
        print(line)
    if report is not None:
        text = result.to_json() if report.suffix.lower() == ".json" else result.to_markdown()
        try:
            report.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write the report {report}: {exc.strerror or exc}") from None
    return 1 if result.attention else 0

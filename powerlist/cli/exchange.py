"""``powerlist export`` and ``powerlist import``: thin commands over :mod:`powerlist.exchange`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..model.settings import settings_for_root
from ..source.load import load_catalog


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="write the list as JSON, NDJSON, CSV or XLSX",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Write the whole list (or one department's) in an open format.\n\n"
                    "Example:\n  powerlist export --format xlsx --department 370700-zjj -o zjj.xlsx")
    p.add_argument("--format", choices=("json", "ndjson", "csv", "xlsx"), default="json")
    p.add_argument("--department", metavar="ID", help="only this department's items")
    p.add_argument("--root", default=".", metavar="DIR", help="the data folder (items/, laws/); default: .")
    p.add_argument("-o", "--output", metavar="FILE|DIR",
                   help="output file, or a folder for items.<format>; default: standard output "
                        "(xlsx: ./items.xlsx)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import", help="turn a published power list (Excel/CSV) into item, department and law files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read a power list (.xlsx or .csv: one department's, or a whole city's with a 实施主体 column)\n"
                    "and write one YAML file per item into DATA_ROOT/items/<department>/. Every worksheet with a\n"
                    "header is read. A department not in items/ gets its _department.yaml (region and level from\n"
                    "--region, --region-name, --level or the mapping file); a law title not in laws/ gets a law\n"
                    "file marked 'generated' (powerlist validate warns until it is checked). Rows that cannot\n"
                    "become a valid item are reported, not written; existing files are kept unless --force.\n\n"
                    "A --mapping file maps other column names to fields, department names to departments and\n"
                    "cell values to the format's values, e.g.\n"
                    "  审批项目名称: name\n  内部编号: ignore\n"
                    "  departments:\n    市级: 650200-zf\n"
                    "  values:\n    category: {'01': 行政许可, '02': 行政处罚}\n"
                    "Fields: code name sub_name sub_code parent category status basis source office handling\n"
                    "  time_limit.statutory time_limit.promised fee.charged fee.items contact.consult\n"
                    "  contact.supervise decision.document decision.date decision.to summary remarks levels\n"
                    "  responsibilities accountability source_code department department_name ignore\n\n"
                    "Examples:\n  powerlist import 住建局权力清单.xlsx --department 370700-zjj --dry-run\n"
                    "  powerlist import 克拉玛依市权责清单.xlsx --region 650200 --region-name 克拉玛依市 --level 市级 "
                    "--report import.md")
    p.add_argument("file", metavar="FILE.xlsx|FILE.csv")
    p.add_argument("--department", metavar="ID", help="put every row into this department folder under items/")
    p.add_argument("--root", default=".", metavar="DATA_ROOT", help="the data folder; default: .")
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
    p.set_defaults(func=cmd_import)


def _settings(root: str) -> Any:
    return settings_for_root(root)


def cmd_export(args: argparse.Namespace) -> int:
    from ..exchange.export import export_bytes   # only for this command (start-up of the CLI)

    catalog = load_catalog(args.root, _settings(args.root))
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
    # the importer loads only for this command (start-up of the CLI)
    from ..exchange.importer import ImportOptions, read_mapping, run_import

    report = Path(args.report) if args.report else None
    if report is not None and report.suffix.lower() not in (".md", ".json"):
        raise UsageError(f"--report {args.report}: name a .md (Markdown) or .json file")
    opts = ImportOptions(department=args.department, root=Path(args.root), header_row=args.header_row,
                         sheet=args.sheet, encoding=args.encoding, dry_run=args.dry_run, force=args.force,
                         settings=_settings(args.root), region=args.region, region_name=args.region_name,
                         level=args.level)
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

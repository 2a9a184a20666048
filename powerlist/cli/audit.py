"""Commands for reviewers and auditors: ``diff``, ``history``, ``verify-site``."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..model.errors import UsageError
from ..model.settings import settings_for_root
from ..site.manifest import verify_manifest
from ..site.verify import rebuild_and_compare
from .arguments import add_command, add_data, add_settings


def register(sub: Any) -> None:
    p = add_command(sub, "diff", cmd_diff, "semantic diff of the power list between two revisions or folders")
    p.add_argument("rev1", metavar="REV1", help="git revision/tag, or a data folder")
    p.add_argument("rev2", metavar="REV2", nargs="?", default=None,
                   help="git revision/tag or data folder (default: the working tree of DATA)")
    add_data(p, help="the data folder inside the git repository (default: the current folder); give REV2 too")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (default), markdown (for a pull-request comment) or json")
    add_settings(p)
    p.add_argument("-o", "--output", default=None, help="write to this file instead of standard output")

    h = add_command(sub, "history", cmd_history, "revisions of one item (or law, or department) from git")
    h.add_argument("code", metavar="CODE", nargs="?", default=None,
                   help="item code, law id or department id (omitted: every change, newest first)")
    add_data(h, help="the data folder (default: the current folder); a single argument that is a data folder "
                     "is DATA")
    h.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    h.add_argument("-n", "--limit", type=int, default=0, help="show at most N revisions")

    v = add_command(sub, "verify-site", cmd_verify_site,
                    "check a built site against its manifest (and optionally a rebuild)")
    v.add_argument("output_dir", metavar="SITE", help="the published site folder (holds manifest.json)")
    add_data(v, default=None, aliases=("--rebuild", "--root"),
             help="a checkout of the source commit (its data folder): rebuild it and compare every file byte "
                  "for byte (default: no rebuild)",
             alias_help="the same as the DATA argument")
    add_settings(v, help="settings file for the rebuild (default: the one manifest.json records, e.g. "
                         "DATA/publishconf.py for a site published with it; for a manifest without that record, "
                         "DATA/pelicanconf.py if present, else the project's pelicanconf.py)")


def _is_data_folder(p: Path) -> bool:
    return p.is_dir() and ((p / "items").is_dir() or (p / "laws").is_dir())


def cmd_diff(args: argparse.Namespace) -> int:
    """Semantic diff of the power list: items added and removed, status changes with their decision
    documents, field changes in words, grouped by department, and the count of 保留 items by department and
    category before and after (由 X 项压减为 Y 项，压减比例 Z%).

    REV1 and REV2 are git revisions of the repository holding DATA (commits, tags, branches), or data
    folders. REV2 defaults to the working tree of DATA; to name DATA as an argument, give REV2 too
    (--root DATA names it alone).

    Example:
      powerlist diff v2023 HEAD . --format markdown > diff.md
    """
    # git and the field-level comparison are loaded only when a diff is asked for (start-up of the CLI)
    from ..vcs.diff import semantic_diff
    from ..vcs.diff_render import RENDERERS

    settings = settings_for_root(args.root, args.settings)
    d = semantic_diff(args.rev1, args.rev2, root=args.root, settings=settings)
    text = RENDERERS[args.format](d)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Revisions of an item, a law or a department, read from git (commit, date, author, message, and the
    field-level changes), newest first; without CODE, every change of DATA.

    Example:
      powerlist history 370700-XK-00012 .
    """
    from ..vcs.history import History, history_json, read_history   # only for this command (start-up of the CLI)

    if args.code and not args.data_given and _is_data_folder(Path(args.code)):
        args.root, args.code = args.code, None   # `powerlist history DATA`: every change of that folder

    hist = read_history(args.root)
    if not hist.available:
        raise UsageError(hist.reason)
    if args.code:
        revs = hist.for_item(args.code) or hist.for_law(args.code) or hist.for_department(args.code)
        if not revs:
            raise UsageError(f"no history for '{args.code}' (not an item code, law id or department id in {args.root})")
    else:
        revs = hist.revisions
    if args.limit:
        revs = revs[:args.limit]
    if args.format == "json":
        sys.stdout.write(history_json(History(True, "", [], revs)) + "\n")
        return 0
    for r in revs:
        print(f"{r.commit.short} {r.commit.date[:10]} {r.commit.author}  {r.commit.subject}")
        print(f"    {r.action} {r.key} {r.name}")
        for c in r.changes:
            print(f"      · {c}")
    return 0


def cmd_verify_site(args: argparse.Namespace) -> int:
    """Check a published site: recompute the SHA-256 of every file against manifest.json (modified, missing
    and extra files are reported). With DATA (a checkout of the source commit; --rebuild DATA says the
    same), also build it into a temporary folder with the settings file the manifest records
    (DATA/publishconf.py for a site published with it; --settings FILE to choose another) and compare
    every file byte for byte with the published one.
    Exit 0 when everything matches, 1 otherwise, 2 when the manifest cannot be read.

    Example:
      powerlist verify-site output/ .
    """
    out = Path(args.output_dir)
    problems = verify_manifest(out)
    for p in problems:
        print(p)
    if args.root:
        diffs = rebuild_and_compare(out, Path(args.root), settings_file=args.settings)
        for p in diffs:
            print(p)
        problems += diffs
    if problems:
        print(f"verify-site: {len(problems)} difference(s)", file=sys.stderr)
        return 1
    print("verify-site: OK" + ("（已重新构建并逐字节比对）" if args.root else ""))
    return 0

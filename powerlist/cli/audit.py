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


def register(sub: Any) -> None:
    p = sub.add_parser("diff", help="semantic diff of the power list between two revisions or folders",
                       description=cmd_diff.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rev1", metavar="REV1", help="git revision/tag, or a data folder")
    p.add_argument("rev2", metavar="REV2", nargs="?", default=None,
                   help="git revision/tag or data folder (default: the working tree)")
    p.add_argument("--root", default=".", help="the data folder inside the repository (default: .)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    p.add_argument("--settings", default=None, help="pelicanconf-style settings file (default: ROOT/pelicanconf.py "
                   "if present, else the project's pelicanconf.py)")
    p.add_argument("-o", "--output", default=None, help="write to this file instead of standard output")
    p.set_defaults(func=cmd_diff)

    h = sub.add_parser("history", help="revisions of one item (or law, or department) from git",
                       description=cmd_history.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    h.add_argument("code", metavar="CODE", nargs="?", default=None,
                   help="item code, law id or department id (omitted: every change, newest first)")
    h.add_argument("--root", default=".", help="the data folder (default: .)")
    h.add_argument("--format", choices=("text", "json"), default="text")
    h.add_argument("-n", "--limit", type=int, default=0, help="show at most N revisions")
    h.set_defaults(func=cmd_history)

    v = sub.add_parser("verify-site", help="check a built site against its manifest (and optionally a rebuild)",
                       description=cmd_verify_site.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    v.add_argument("output_dir", metavar="OUTPUT_DIR", help="the published site folder (holds manifest.json)")
    v.add_argument("--rebuild", metavar="CHECKOUT", default=None,
                   help="a checkout of the source commit: rebuild it and compare every file byte for byte")
    v.add_argument("--settings", default=None, help="settings file for the rebuild (default: the one manifest.json "
                   "records, e.g. CHECKOUT/publishconf.py for a site published with it; for a manifest without "
                   "that record, CHECKOUT/pelicanconf.py if present, else the project's pelicanconf.py)")
    v.set_defaults(func=cmd_verify_site)


def cmd_diff(args: argparse.Namespace) -> int:
    """Semantic diff of the power list: items added and removed, status changes with their decision
    documents, field changes in words, grouped by department, and the count of 保留 items by department and
    category before and after (由 X 项压减为 Y 项，压减比例 Z%).

    REV1 and REV2 are git revisions of the repository holding --root (commits, tags, branches), or data
    folders. REV2 defaults to the working tree.

    Example:
      powerlist diff v2023 HEAD --format markdown > diff.md
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
    field-level changes), newest first.

    Example:
      powerlist history 370700-XK-00012
    """
    from ..vcs.history import History, history_json, read_history   # only for this command (start-up of the CLI)

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
    and extra files are reported). With --rebuild CHECKOUT, also build the checkout into a temporary folder
    with the settings file the manifest records (CHECKOUT/publishconf.py for a site published with it;
    --settings FILE to choose another) and compare every file byte for byte with the published one.
    Exit 0 when everything matches, 1 otherwise, 2 when the manifest cannot be read.

    Example:
      powerlist verify-site output/ --rebuild .
    """
    out = Path(args.output_dir)
    problems = verify_manifest(out)
    for p in problems:
        print(p)
    if args.rebuild:
        diffs = rebuild_and_compare(out, Path(args.rebuild), settings_file=args.settings)
        for p in diffs:
            print(p)
        problems += diffs
    if problems:
        print(f"verify-site: {len(problems)} difference(s)", file=sys.stderr)
        return 1
    print("verify-site: OK" + ("（已重新构建并逐字节比对）" if args.rebuild else ""))
    return 0

"""``powerlist build`` and ``powerlist devserver``: the public site."""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ..model.errors import InvalidData, PowerlistError, UsageError
from ..model.settings import resolve_settings_file
from ..site.build import build_site
from .arguments import add_command, add_data, add_settings
from .report import print_problems

WATCHED = ("items", "laws", "content", "theme")


def register(subparsers: Any) -> None:
    p = add_command(subparsers, "build", cmd_build, "build the public website")
    add_data(p)
    p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    add_settings(p)
    p.add_argument("--format", choices=("text", "json", "github"), default="text", help="problem report format")

    d = add_command(subparsers, "devserver", cmd_devserver, "rebuild on changes and serve the site on 127.0.0.1")
    add_data(d)
    d.add_argument("-o", "--output", default="output", help="output folder (default: output)")
    d.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    add_settings(d)
    d.add_argument("--interval", type=float, default=1.0, help="seconds between checks for changes (default: 1)")


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site for the data folder DATA into OUTPUT (all-or-nothing: on any problem the old OUTPUT
    stays).

    OUTPUT must be a new or empty folder, or a site powerlist built (it is replaced as a whole); a folder
    of the data, or one holding anything else, is refused. The settings file is --settings, else
    DATA/pelicanconf.py if present, else the project's pelicanconf.py (the same rule as validate).

    Example:
      powerlist build . -o output --settings publishconf.py
    """
    result = build_site(args.root, args.output, settings_file=args.settings)
    commit = f" from commit {result.commit[:10]}" if result.commit else ""
    print(f"built {result.items} items into {result.output} ({result.files} files){commit}; "
          f"settings {result.settings_file}", file=sys.stderr)
    if not (result.output / "sitemap.xml").exists():
        print("note: no sitemap.xml: a sitemap needs an absolute http(s) SITEURL (set it in the settings, as "
              "publishconf.py does)", file=sys.stderr)
    return 0


def _snapshot(folders: list[Path], conf: Path | None = None) -> dict[str, float]:
    """mtime of every file under the watched folders, and of the settings file (a cheap poll; no watcher
    dependency)."""
    out: dict[str, float] = {}
    if conf is not None:
        try:
            out[str(conf)] = os.stat(conf).st_mtime
        except OSError:
            pass
    for folder in folders:
        for dirpath, _, files in os.walk(folder):
            for f in files:
                p = os.path.join(dirpath, f)
                try:
                    out[p] = os.stat(p).st_mtime
                except OSError:
                    pass
    return out


def _watched(root: Path, conf: Path | None) -> list[Path]:
    folders = [root / name for name in WATCHED]
    if conf is not None:
        folders += [conf.parent / "content", conf.parent / "theme"]
    seen: list[Path] = []
    for f in folders:
        f = f.resolve()
        if f.is_dir() and f not in seen:
            seen.append(f)
    return seen


def _rebuild(args: argparse.Namespace) -> bool:
    """One build; whatever goes wrong is reported in one line and the previous output stays served."""
    try:
        result = build_site(args.root, args.output, settings_file=args.settings)
    except InvalidData as err:
        print_problems(err.problems, "text")
    except PowerlistError as err:
        print(f"powerlist: error: {err}", file=sys.stderr)
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as err:  # noqa: BLE001 - a failing rebuild must not end the session
        print(f"powerlist: error: the rebuild failed: {type(err).__name__}: {err}", file=sys.stderr)
    else:
        print(f"built {result.items} items into {result.output}", file=sys.stderr)
        return True
    print("build failed; still serving the previous output", file=sys.stderr)
    return False


def cmd_devserver(args: argparse.Namespace) -> int:
    """Build DATA into OUTPUT, serve it on http://127.0.0.1:PORT/, and rebuild when items/, laws/, content/,
    theme/ or the settings file change. A rebuild that fails is reported and the last good site stays
    served. A refused OUTPUT or a bad settings file at the start is an error (exit 2).

    Example:
      powerlist devserver . --port 8000
    """
    root = Path(args.root).resolve()
    out = Path(args.output).resolve()
    conf = resolve_settings_file(root, args.settings)
    try:
        server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                                 functools.partial(_QuietHandler, directory=str(out)))
    except OSError as exc:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port}: {exc.strerror}") from None
    try:
        try:
            result = build_site(args.root, args.output, settings_file=args.settings)
            print(f"built {result.items} items into {result.output}", file=sys.stderr)
        except InvalidData as err:
            print_problems(err.problems, "text")
            print("build failed; serving the previous output", file=sys.stderr)
        out.mkdir(parents=True, exist_ok=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        print(f"serving {out} on http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
        folders = _watched(root, conf)
        state = _snapshot(folders, conf)
        try:
            while True:
                time.sleep(args.interval)
                now = _snapshot(folders, conf)
                if now != state:
                    state = now
                    print("change detected; rebuilding", file=sys.stderr)
                    _rebuild(args)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        server.server_close()
    return 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base class
        pass

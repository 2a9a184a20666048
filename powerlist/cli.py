"""``powerlist`` command line: thin commands over the library.

Each feature module registers its own subcommands (``register(subparsers)``), so this file only parses,
dispatches, and maps library exceptions to exit codes: 0 ok, 1 invalid data, 2 usage error.
"""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn, Sequence

from . import __version__
from .errors import InvalidData, PowerlistError, UsageError

#: Modules that add subcommands; each defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES: tuple[str, ...] = (
    "powerlist.commands.core",      # validate, new, stats
    "powerlist.commands.site",      # build, devserver
    "powerlist.commands.audit",     # diff, history, verify-site
    "powerlist.commands.exchange",  # import, export
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep that, but be brief
        self.print_usage(sys.stderr)
        print(f"powerlist: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="powerlist", description="行政权力清单 (administrative power list) tools.",
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"powerlist {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        try:
            mod = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        mod.register(sub)
    return parser


def report_invalid(err: InvalidData, fmt: str = "text") -> None:
    """Print every problem in the chosen format (text to stderr; json/github to stdout)."""
    from .report import print_problems

    print_problems(err.problems, fmt)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except InvalidData as err:
        report_invalid(err, getattr(args, "format", "text") or "text")
        return 1
    except UsageError as err:
        print(f"powerlist: error: {err}", file=sys.stderr)
        return 2
    except PowerlistError as err:
        print(f"powerlist: error: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

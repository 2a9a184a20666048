"""``powerlist`` command line: thin commands over the library.

Each feature module registers its own subcommands (``register(subparsers)``), so this file only parses,
dispatches, and maps library exceptions to exit codes: 0 ok, 1 invalid data, 2 usage error (or a problem of
the environment: a full disk, a read-only folder), 130 after Ctrl-C, 143 after SIGTERM. Errors the commands
did not turn into a message themselves (OSError, MemoryError, RecursionError) still end in one line, never
a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import NoReturn, Sequence

from .. import __version__
from ..model.errors import InvalidData, PowerlistError, UsageError, os_error_message
from ..runtime.procs import unwind_on_sigterm
from .arguments import resolve_data
from .report import print_problems

#: Modules that add subcommands; each defines ``register(subparsers)`` and sets ``func`` on its parsers.
COMMAND_MODULES: tuple[str, ...] = (
    "powerlist.cli.core",      # validate, new, stats, schema
    "powerlist.cli.site",      # build, devserver
    "powerlist.cli.audit",     # diff, history, verify-site
    "powerlist.cli.exchange",  # import, export
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on usage errors; keep that, but be brief
        self.print_usage(sys.stderr)
        print(f"powerlist: error: {message}", file=sys.stderr)
        raise SystemExit(2)


DESCRIPTION = """\
行政权力清单 (administrative power list) tools. Every command takes the data folder (holding items/ and
laws/) as its last argument, DATA, default the current folder; `powerlist COMMAND --help` tells more.

Example:
  powerlist validate ."""


def make_parser() -> argparse.ArgumentParser:
    return command_parsers()[0]


def command_parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The ``powerlist`` parser and each command's parser by name, in the order of ``powerlist --help``."""
    parser = _Parser(prog="powerlist", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
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
    return parser, dict(sub.choices)


def report_invalid(err: InvalidData, fmt: str = "text") -> None:
    """Print every problem in the chosen format (text to stderr; json/github to stdout)."""
    print_problems(err.problems, fmt)


def _error(message: str) -> None:
    print(f"powerlist: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    with unwind_on_sigterm():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        resolve_data(args)
        return int(args.func(args) or 0)
    except InvalidData as err:
        report_invalid(err, getattr(args, "format", "text") or "text")
        return 1
    except UsageError as err:
        _error(str(err))
        return 2
    except PowerlistError as err:
        _error(str(err))
        return err.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (``| head``): no message, and none from Python when it flushes at exit
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    # Last resort for what a command did not turn into a message itself: still one line, no traceback.
    except OSError as err:
        _error(os_error_message(err))
        return 2
    except MemoryError:
        _error("out of memory")
        return 2
    except RecursionError:
        _error("the input is nested too deeply to process")
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

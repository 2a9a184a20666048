"""What every command's parser shares: the DATA argument (with ``--root`` as its alias), ``--settings``, and
help texts made from the command functions' docstrings.

The data folder is a positional argument of every command, the last one (``powerlist import FILE [DATA]``,
``powerlist diff REV1 [REV2] [DATA]``); ``--root DATA`` still works, and naming two different folders is a
usage error. A command's ``--help`` is its function's docstring, dedented (:func:`inspect.cleandoc`), ending in
an ``Example:``.
"""
from __future__ import annotations

import argparse
import inspect
import os
import shutil
import textwrap
from typing import Any, Callable

from ..model.errors import UsageError

#: The same rule for every command: powerlist.model.settings.resolve_settings.
SETTINGS_HELP = ("settings file (default: DATA/pelicanconf.py if present, else the project's pelicanconf.py); "
                 "every POWERLIST_* setting in it is checked")
DATA_HELP = "the data folder, holding items/ and laws/ (default: the current folder)"
ROOT_HELP = "the same as the DATA argument (kept for scripts written before DATA was positional)"

Command = Callable[[argparse.Namespace], int]


def description(func: Callable[..., Any]) -> str:
    """The ``--help`` text of a command: its function's docstring without the indentation of the source,
    its paragraphs filled to the terminal's width as argparse fills option help (indented lines, such as the
    example commands, are kept as written)."""
    width = max(shutil.get_terminal_size().columns - 2, 40)
    out: list[str] = []
    para: list[str] = []
    for line in inspect.cleandoc(func.__doc__ or "").splitlines() + [""]:
        if line and not line[0].isspace():
            para.append(line)
            continue
        if para:
            out.append(textwrap.fill(" ".join(para), width, break_on_hyphens=False, break_long_words=False))
            para = []
        out.append(line)
    return "\n".join(out).rstrip()


def add_command(sub: Any, name: str, func: Command, summary: str) -> argparse.ArgumentParser:
    """A subcommand whose description is ``func``'s docstring and whose action is ``func``; ``summary`` is
    its line in ``powerlist --help``."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description(func),
                                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.set_defaults(func=func)
    return p


def add_data(p: argparse.ArgumentParser, *, help: str = DATA_HELP, default: str | None = ".",
             aliases: tuple[str, ...] = ("--root",), alias_help: str = ROOT_HELP) -> None:
    """The optional positional DATA (put it after the command's other positionals) and its option aliases."""
    p.add_argument("data", metavar="DATA", nargs="?", default=None, help=help)
    for opt in aliases:
        p.add_argument(opt, dest=f"alias_{opt.lstrip('-')}", metavar="DATA", default=None,
                       help=alias_help if opt == aliases[0] else f"the same as {aliases[0]}")
    p.set_defaults(data_default=default, data_aliases=aliases)


def add_settings(p: argparse.ArgumentParser, help: str = SETTINGS_HELP) -> None:
    p.add_argument("--settings", metavar="FILE", default=None, help=help)


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def resolve_data(args: argparse.Namespace) -> None:
    """Set ``args.root`` to the data folder, from DATA or one of its aliases (``args.data_given`` says whether
    one was given); a usage error when two different folders are named."""
    if not hasattr(args, "data_aliases"):
        return
    given = [(f"DATA {args.data!r}", args.data)] if args.data is not None else []
    given += [(f"{opt} {getattr(args, 'alias_' + opt.lstrip('-'))!r}", getattr(args, "alias_" + opt.lstrip("-")))
              for opt in args.data_aliases if getattr(args, "alias_" + opt.lstrip("-")) is not None]
    for label, value in given[1:]:
        if not _same(given[0][1], value):
            raise UsageError(f"two data folders: {given[0][0]} and {label}; give one")
    args.data_given = bool(given)
    args.root = given[0][1] if given else args.data_default

"""Printing problems for people (text), programs (JSON) and GitHub Actions (annotations)."""
from __future__ import annotations

import json
import sys
from typing import Sequence, TextIO

from ..model.errors import Problem

FORMATS = ("text", "json", "github")


def _gh_escape(s: str, prop: bool = False) -> str:
    s = s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        s = s.replace(":", "%3A").replace(",", "%2C")
    return s


def format_problems(problems: Sequence[Problem], fmt: str = "text") -> str:
    """All problems, sorted, in one format, ending with a count line for text."""
    ps = sorted(problems)
    if fmt == "json":
        return json.dumps({"valid": all(p.is_warning for p in ps), "count": len(ps),
                           "problems": [p.to_dict() for p in ps]},
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        lines = []
        for p in ps:
            props = f"file={_gh_escape(p.file, True)}"
            if p.line:
                props += f",line={p.line},col={p.col}"
            msg = f"{p.path}: {p.message}" if p.path else p.message
            lines.append(f"::{p.severity} {props}::{_gh_escape(msg)}")
        return "".join(line + "\n" for line in lines)
    out = [p.format() for p in ps]
    files = len({p.file for p in ps})
    warned = sum(1 for p in ps if p.is_warning)
    errors = len(ps) - warned
    counts = ([f"{errors} problem{'s' if errors != 1 else ''}"] if errors else []) + (
        [f"{warned} warning{'s' if warned != 1 else ''}"] if warned else [])
    out.append(f"{' and '.join(counts)} in {files} file{'s' if files != 1 else ''}")
    return "\n".join(out) + "\n"


def print_problems(problems: Sequence[Problem], fmt: str = "text", stream: TextIO | None = None) -> None:
    if stream is None:
        stream = sys.stderr if fmt == "text" else sys.stdout
    stream.write(format_problems(problems, fmt))

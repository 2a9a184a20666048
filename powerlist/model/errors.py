"""The library's exceptions and the located Problem record. The CLI maps these to exit codes."""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the data, located as precisely as we can (line/col are 1-based; 0 = unknown).

    ``severity`` is "error" (the data is invalid) or "warning" (valid, but worth a look: a law file generated
    by the importer and not yet checked); ``powerlist validate`` exits 0 on warnings, 1 with ``--strict``."""

    file: str
    line: int
    col: int
    path: str
    message: str
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING

    def format(self) -> str:
        loc = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        if self.is_warning:
            loc += ": warning"
        return f"{loc}: {self.path}: {self.message}" if self.path else f"{loc}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        d: dict[str, object] = {"file": self.file, "line": self.line, "col": self.col, "path": self.path,
                                "message": self.message}
        if self.is_warning:
            d["severity"] = WARNING
        return d


WARNING = "warning"


class PowerlistError(Exception):
    """Base of every error the library raises on purpose (the CLI reports these without a traceback)."""

    exit_code = 1


class InvalidData(PowerlistError):
    """The data folder has problems; ``problems`` lists all of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in the data")


class UsageError(PowerlistError):
    """Bad command-line usage or configuration (exit 2)."""

    exit_code = 2


def os_error_message(exc: OSError) -> str:
    """'Permission denied: /path' for an OSError (its text when it has no errno)."""
    if exc.strerror is None:
        return str(exc) or type(exc).__name__
    names = [n for n in (exc.filename, exc.filename2) if n is not None]
    shown = [os.fsdecode(n) if isinstance(n, (str, bytes)) else str(n) for n in names]
    return exc.strerror + (": " + " -> ".join(shown) if shown else "")

"""Which settings file a command uses, the site settings that affect validation, and reading a setting.

One resolver (:func:`resolve_settings_file`) decides the settings file for every command — validate, new,
stats, schema, diff, build, devserver, verify-site, import, export — so that a data folder that validates also
builds: an explicit ``--settings FILE``, else ``ROOT/pelicanconf.py`` when the data folder has one, else the
project's own ``pelicanconf.py``. A settings file that cannot be executed is a :class:`UsageError` saying
which file and line, never a traceback.
"""
from __future__ import annotations

import hashlib
import re
import runpy
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from .errors import UsageError

#: The project folder (holds pelicanconf.py, theme/, content/) when installed from a checkout.
PROJECT_DIR = Path(__file__).resolve().parents[2]
#: The settings file a data folder may hold, and the project's default one.
SETTINGS_NAME = "pelicanconf.py"
DEFAULT_SETTINGS_FILE = PROJECT_DIR / SETTINGS_NAME

#: Module names a settings file may still use from before the package was split into layers (powerlist 0.1):
#: a build that meets one stops with a message naming the new module (PLUGINS, POWERLIST_CONTRIBUTORS).
MOVED_PLUGINS = {"powerlist.pelican_plugin": "powerlist.site.pelican"}
MOVED_CONTRIBUTORS = {"powerlist.search": "powerlist.search.contribution",
                      "powerlist.history": "powerlist.vcs.contribution",
                      "powerlist.exchange": "powerlist.exchange.contribution"}

CATEGORIES_DEFAULT: tuple[tuple[str, str], ...] = (
    ("行政许可", "XK"),
    ("行政处罚", "CF"),
    ("行政强制", "QZ"),
    ("行政征收", "ZS"),
    ("行政给付", "GF"),
    ("行政检查", "JC"),
    ("行政确认", "QR"),
    ("行政奖励", "JL"),
    ("行政裁决", "CJ"),
    ("其他行政权力", "QT"),
)
CODE_PATTERN_DEFAULT = r"^(?P<region>\d{6})-(?P<letters>[A-Z]{2})-(?P<main>\d{5})(?:-(?P<sub>\d{3}))?$"


@dataclass(frozen=True)
class Settings:
    """Site-wide settings that change what is valid (``POWERLIST_*`` in pelicanconf.py)."""

    categories: tuple[tuple[str, str], ...] = CATEGORIES_DEFAULT
    code_pattern: str = CODE_PATTERN_DEFAULT

    @cached_property
    def code_re(self) -> re.Pattern[str]:
        return re.compile(self.code_pattern)

    @cached_property
    def category_letters(self) -> dict[str, str]:
        return dict(self.categories)

    @cached_property
    def category_names(self) -> list[str]:
        return [name for name, _ in self.categories]


def resolve_settings_file(root: str | Path, settings_file: str | Path | None = None) -> Path | None:
    """The settings file that applies to the data folder ``root`` (absolute), or None when there is none.

    ``settings_file`` when given (it must be a file), else ``ROOT/pelicanconf.py`` when it exists, else the
    project's ``pelicanconf.py`` when powerlist runs from a checkout."""
    if settings_file is not None:
        p = Path(settings_file)
        if not p.is_file():
            what = "is a folder, not a file" if p.is_dir() else "not found"
            raise UsageError(f"settings file {what}: {p}")
        return p.resolve()
    conf = Path(root) / SETTINGS_NAME
    if conf.is_file():
        return conf.resolve()
    return DEFAULT_SETTINGS_FILE if DEFAULT_SETTINGS_FILE.is_file() else None


def settings_error(path: str | Path, exc: BaseException) -> UsageError:
    """A one-line error for a settings file that failed to execute: the file, the line, what went wrong."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return UsageError(f"settings file {path}: {where}{type(exc).__name__}: {exc.msg}")
    line = None
    target = str(Path(path).resolve())
    for frame in traceback.extract_tb(exc.__traceback__):
        try:
            if str(Path(frame.filename).resolve()) == target:
                line = frame.lineno
        except (OSError, ValueError):  # pragma: no cover - frames of odd loaders
            continue
    where = f"line {line}: " if line else ""
    if isinstance(exc, SystemExit):
        return UsageError(f"settings file {path}: {where}it called exit({exc.code!r})")
    return UsageError(f"settings file {path}: {where}{type(exc).__name__}: {exc}")


def read_settings_file(path: str | Path) -> dict[str, Any]:
    """Execute a pelicanconf-style file and return its UPPER_CASE names."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"settings file not found: {p}")
    try:
        ns = runpy.run_path(str(p))
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - anything a settings file does is the user's
        raise settings_error(p, exc) from None
    return {k: v for k, v in ns.items() if k.isupper()}


def settings_from_mapping(d: Mapping[str, Any]) -> Settings:
    """Settings from ``POWERLIST_CATEGORIES`` and ``POWERLIST_CODE_PATTERN`` (defaults where absent)."""
    cats = d.get("POWERLIST_CATEGORIES") or CATEGORIES_DEFAULT
    try:
        categories = tuple((str(name), str(letters)) for name, letters in cats)
    except (TypeError, ValueError):
        raise UsageError("POWERLIST_CATEGORIES must be a list of (name, letters) pairs") from None
    pattern = d.get("POWERLIST_CODE_PATTERN") or CODE_PATTERN_DEFAULT
    try:
        re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise UsageError(f"POWERLIST_CODE_PATTERN is not a valid regular expression: {exc}") from None
    return Settings(categories=categories, code_pattern=pattern)


def settings_for_root(root: str | Path, settings_file: str | Path | None = None) -> Settings:
    """The settings that apply to a data folder, from the file :func:`resolve_settings_file` chooses
    (the defaults when there is no settings file at all)."""
    conf = resolve_settings_file(root, settings_file)
    if conf is None:
        return Settings()
    return settings_from_mapping(read_settings_file(conf))


def settings_record(conf: Path, data_root: Path) -> dict[str, str]:
    """How ``manifest.json`` names the settings file of a build: its path relative to the data folder when it
    lies inside it (``{"path": "publishconf.py", "sha256": …}``), else its name (``{"name": …, "sha256": …}``);
    never an absolute path, so the same commit builds the same bytes on every machine."""
    h = hashlib.sha256(Path(conf).read_bytes()).hexdigest()
    conf, data_root = Path(conf).resolve(), Path(data_root).resolve()
    if conf.is_relative_to(data_root):
        return {"path": conf.relative_to(data_root).as_posix(), "sha256": h}
    return {"name": conf.name, "sha256": h}


def int_setting(settings: Any, name: str, default: int, minimum: int = 1) -> int:
    """A whole-number ``POWERLIST_*`` setting (``default`` when unset); a clear UsageError for anything else."""
    value = settings.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit() \
            or int(value) < minimum:
        raise UsageError(f"setting {name} must be a whole number of at least {minimum}, not {value!r}")
    return int(value)

"""Site settings that affect validation, read from a Pelican settings mapping or a pelicanconf.py file."""
from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any, Mapping

from .errors import UsageError
from .model import CATEGORIES_DEFAULT, CODE_PATTERN_DEFAULT, Settings


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
    except re.error as exc:
        raise UsageError(f"POWERLIST_CODE_PATTERN is not a valid regular expression: {exc}") from None
    return Settings(categories=categories, code_pattern=pattern)


def read_settings_file(path: str | Path) -> dict[str, Any]:
    """Execute a pelicanconf-style file and return its UPPER_CASE names."""
    p = Path(path)
    if not p.is_file():
        raise UsageError(f"settings file not found: {p}")
    ns = runpy.run_path(str(p))
    return {k: v for k, v in ns.items() if k.isupper()}


def settings_for_root(root: str | Path, settings_file: str | Path | None = None) -> Settings:
    """The settings that apply to a data folder: an explicit file, else ROOT/pelicanconf.py, else defaults."""
    if settings_file is not None:
        return settings_from_mapping(read_settings_file(settings_file))
    conf = Path(root) / "pelicanconf.py"
    if conf.is_file():
        return settings_from_mapping(read_settings_file(conf))
    return Settings()

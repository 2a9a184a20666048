"""``powerlist build``: load the Catalog, run Pelican with our plugin and theme into a temporary folder next to
OUTPUT, check that nothing was dropped, write the integrity manifest, then swap the folder in.

All-or-nothing: invalid data, a Pelican error or a missing page raises :class:`InvalidData` listing every
problem, and the previous OUTPUT stays exactly as it was.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateSyntaxError

from .gcutil import collector_frozen
from .manifest import Stamp, write_hashes
from .errors import InvalidData, PowerlistError, Problem, UsageError
from .model import Catalog

log = logging.getLogger(__name__)

#: The project folder (holds pelicanconf.py, theme/, content/) when installed from a checkout.
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SETTINGS_FILE = PROJECT_DIR / "pelicanconf.py"
PLUGIN = "powerlist.pelican_plugin"

_ITEM_LINK_RE = re.compile(r'href="[^"]*?items/([^/"#?]+)/"')


@dataclass
class BuildResult:
    output: Path
    items: int
    files: int
    commit: str | None
    problems: list[Problem] = field(default_factory=list)


def git_commit(data_root: Path) -> tuple[str | None, str | None, str]:
    """(full hash, committer date ISO 8601, path prefix of data_root inside the repository) or Nones outside git."""
    def git(*args: str) -> str | None:
        try:
            out = subprocess.run(["git", "-C", str(data_root), *args], capture_output=True, text=True,
                                 timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return out.stdout.strip() if out.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if not commit:
        return None, None, ""
    return commit, git("log", "-1", "--format=%cI", "HEAD"), git("rev-parse", "--show-prefix") or ""


class _ErrorCollector(logging.Handler):
    """Pelican logs a failing file and carries on; we turn every ERROR it logs into a build problem."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # pragma: no cover - a broken log call is still an error
            self.messages.append(str(record.msg))


def pelican_settings(settings_file: Path, data_root: Path, output: Path, catalog: Catalog | None,
                     extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican settings from ``settings_file``, pointed at ``data_root`` and ``output``, with our plugin on."""
    from pelican.settings import read_settings

    override: dict[str, Any] = {"OUTPUT_PATH": str(output), "POWERLIST_DATA_ROOT": str(data_root),
                                "DELETE_OUTPUT_DIRECTORY": False}
    settings = read_settings(str(settings_file), override=override)
    plugins = list(settings.get("PLUGINS") or [])
    if PLUGIN not in plugins:
        plugins.append(PLUGIN)
    settings["PLUGINS"] = plugins
    jinja_env = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja_env["autoescape"] = True
    settings["JINJA_ENVIRONMENT"] = jinja_env
    if catalog is not None:
        settings["POWERLIST_CATALOG"] = catalog
    if extra:
        settings.update(extra)
    return settings


def check_output(catalog: Catalog, out: Path) -> list[Problem]:
    """Every item has its own page and is linked from its department page and its category page."""
    from .pelican_plugin import CATEGORY_URL, DEPARTMENT_URL, ITEM_URL, category_slug

    problems: list[Problem] = []

    def links(rel: str) -> set[str] | None:
        """Item codes linked from the page at ``rel`` and from its continuation pages ``rel/page/N/``."""
        p = out / rel / "index.html"
        try:
            found = set(_ITEM_LINK_RE.findall(p.read_text(encoding="utf-8")))
            for more in (out / rel / "page").glob("*/index.html"):
                found.update(_ITEM_LINK_RE.findall(more.read_text(encoding="utf-8")))
        except OSError:
            problems.append(Problem(rel, 0, 0, "", "page was not written"))
            return None
        return found

    dep_links = {d: links(DEPARTMENT_URL.format(id=d)) for d in catalog.departments}
    letters = catalog.settings.category_letters
    cat_links = {c: links(CATEGORY_URL.format(slug=category_slug(letters.get(c, c))))
                 for c in catalog.settings.category_names}
    root = os.fspath(out)
    isfile = os.path.isfile
    for code, item in catalog.items.items():
        if not isfile(f"{root}/{ITEM_URL.format(code=code)}index.html"):
            problems.append(Problem(item.file, 0, 0, "", f"item page {ITEM_URL.format(code=code)} was not written"))
        dl = dep_links.get(item.department)
        if dl is not None and code not in dl:
            problems.append(Problem(item.file, 0, 0, "", f"item {code} is missing from its department page"))
        cl = cat_links.get(item.category)
        if cl is not None and code not in cl:
            problems.append(Problem(item.file, 0, 0, "", f"item {code} is missing from its category page"))
    return problems


def _swap_in(tmp: Path, output: Path, *, background_delete: bool = True) -> None:
    """Replace ``output`` by ``tmp`` with two renames. The old folder is deleted afterwards, by a detached
    process when ``background_delete`` (deleting 100,000 pages takes seconds and the new site is already live)."""
    old: Path | None = None
    if output.exists() or output.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{output.name}-old-", dir=output.parent))
        os.rmdir(old)
        os.rename(output, old)
    try:
        os.rename(tmp, output)
    except OSError:
        if old is not None:
            os.rename(old, output)
        raise
    if old is None:
        return
    if background_delete:
        try:
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)", str(old)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Old folders that an interrupted build or deletion left next to OUTPUT."""
    for p in output.parent.glob(f".{output.name}-old-*"):
        shutil.rmtree(p, ignore_errors=True)


def build_site(root: str | Path = ".", output: str | Path = "output", *, settings_file: str | Path | None = None,
               catalog: Catalog | None = None, extra_settings: dict[str, Any] | None = None,
               background_delete: bool = True) -> BuildResult:
    """Build the site for the data in ``root`` into ``output``; raises InvalidData (nothing written) on any problem."""
    data_root = Path(root).resolve()
    out = Path(output).resolve()
    conf = Path(settings_file).resolve() if settings_file else DEFAULT_SETTINGS_FILE
    if not conf.is_file():
        raise UsageError(f"settings file not found: {conf}")
    if out == data_root or data_root.is_relative_to(out):
        raise UsageError(f"the output folder {out} would contain the data folder; choose another -o")
    if catalog is None:
        from .load import load_catalog
        from .settings import read_settings_file, settings_from_mapping
        catalog = load_catalog(data_root, settings_from_mapping(read_settings_file(conf)))
    # The catalog (millions of objects at 100,000 items) lives until the end: out of the cyclic collector's
    # sight, whose full scans of it would otherwise cost seconds over a build.
    with collector_frozen():
        return _build(catalog, data_root, out, conf, extra_settings, background_delete)


def _build(catalog: Catalog, data_root: Path, out: Path, conf: Path, extra_settings: dict[str, Any] | None,
           background_delete: bool) -> BuildResult:
    commit, commit_date, prefix = git_commit(data_root)
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the published folder must be readable
    collector = _ErrorCollector()
    pelican_log = logging.getLogger("pelican")
    try:
        stamps: dict[str, Stamp] = {}    # files the generator wrote from bytes in hand, with their hashes
        extra = {"POWERLIST_COMMIT": commit, "POWERLIST_COMMIT_DATE": commit_date,
                 "POWERLIST_REPO_PREFIX": prefix, "POWERLIST_FILE_STAMPS": stamps, **(extra_settings or {})}
        settings = pelican_settings(conf, data_root, tmp, catalog, extra)
        from pelican import Pelican

        from pelican.log import console

        pelican_log.addHandler(collector)
        quiet, console.quiet = console.quiet, True  # Pelican's own "Done: …" line; we print our summary
        try:
            Pelican(settings).run()
        except TemplateError as exc:
            where = f" ({exc.filename}:{exc.lineno})" if isinstance(exc, TemplateSyntaxError) else ""
            raise PowerlistError(f"site template error{where}: {type(exc).__name__}: {exc}") from exc
        finally:
            console.quiet = quiet
            pelican_log.removeHandler(collector)
        problems = [Problem("(pelican)", 0, 0, "", m) for m in collector.messages]
        problems += check_output(catalog, tmp)
        if problems:
            raise InvalidData(problems)
        n_files = len(write_hashes(tmp, commit, stamps)) + 1   # every file but the manifest, and the manifest
        _swap_in(tmp, out, background_delete=background_delete)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(output=out, items=len(catalog.items), files=n_files, commit=commit)

"""``powerlist build``: load the Catalog, run Pelican with our plugin and theme into a temporary folder next to
OUTPUT, check that nothing was dropped, write the integrity manifest, then swap the folder in.

All-or-nothing: invalid data, a Pelican error or a missing page raises :class:`InvalidData` listing every
problem, and the previous OUTPUT stays exactly as it was.

Nothing but our own output is ever replaced or deleted. The build refuses (:class:`OutputRefused`, exit 2) an
OUTPUT that is, lies inside or contains a folder the build reads (the data folder, its items/, laws/, content/,
theme/, the settings' PATH, THEME and plugin folders, the targets of links in items/ and laws/) or the settings
file; a file; and an existing folder that is neither empty nor a site powerlist built (recognised by its
manifest.json, every file of which the manifest lists). Its temporary folders next to OUTPUT
(``.NAME-build-*``, ``.NAME-old-*``) each hold a marker naming the process that made them; a later build
removes such a folder only when that process is gone (a build killed with ``kill -9``), and never a folder
without the marker.
"""
from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import os
import re
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from jinja2 import TemplateError, TemplateSyntaxError

from ..model.catalog import Catalog
from ..model.errors import InvalidData, PowerlistError, Problem, UsageError
from ..model.settings import (DEFAULT_SETTINGS_FILE, MOVED_PLUGINS, resolve_settings, settings_error,
                              settings_from_mapping, settings_record)
from ..output.stamp import Stamp
from ..output.urls import CATEGORY_URL, DEPARTMENT_URL, ITEM_URL, category_slug
from ..runtime.gcutil import collector_frozen
from ..source.load import load_catalog
from ..vcs.git import git_commit
from .manifest import MANIFEST, read_own_manifest, site_files, write_hashes
from .render import html_chars

__all__ = ["BuildResult", "OutputRefused", "build_site", "check_output", "pelican_settings", "prepare_output"]

log = logging.getLogger(__name__)

#: Our Pelican plugin (added to PLUGINS when the settings do not name it).
PLUGIN = "powerlist.site.pelican"

_ITEM_LINK_RE = re.compile(r'href="[^"]*?items/([^/"#?]+)/"')

#: The marker file inside each temporary folder a build makes next to OUTPUT, and the folder holding the site.
HOLDER_MARKER = "powerlist-holder.json"
HOLDER_SITE = "site"
#: An old output of at most this many files is deleted before the build returns; a larger one (deleting
#: 100,000 pages takes seconds and the new site is already live) by a detached process.
SYNC_DELETE_MAX_FILES = 20000


class OutputRefused(UsageError):
    """The output folder is one the build must not write or replace (exit 2)."""


@dataclass
class BuildResult:
    output: Path
    items: int
    files: int
    commit: str | None
    problems: list[Problem] = field(default_factory=list)
    settings_file: Path | None = None


#: Pelican's warnings when it could not copy a static file (a full disk, a FIFO in the theme): the site would
#: be published without it.
_COPY_WARNINGS = ("While copying", "A problem occurred copying", "Cannot copy", "Skipped copy")


class _ErrorCollector(logging.Handler):
    """Pelican logs a failing file and carries on; we turn every ERROR it logs into a build problem, and every
    static file it could not copy into a build failure."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []
        self.copy_failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # pragma: no cover - a broken log call is still an error
            msg = str(record.msg)
        if record.levelno >= logging.ERROR:
            self.messages.append(msg)
        elif isinstance(record.msg, str) and record.msg.startswith(_COPY_WARNINGS):
            self.copy_failures.append(msg)


def pelican_settings(settings_file: Path, data_root: Path, output: Path, catalog: Catalog | None,
                     extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican settings from ``settings_file``, pointed at ``data_root`` and ``output``, with our plugin on.
    A settings file that fails, or a plugin in PLUGINS that cannot be imported, is a :class:`UsageError`."""
    from pelican.settings import read_settings   # Pelican only when a command builds (start-up of the CLI)

    override: dict[str, Any] = {"OUTPUT_PATH": str(output), "POWERLIST_DATA_ROOT": str(data_root),
                                "DELETE_OUTPUT_DIRECTORY": False}
    try:
        settings = read_settings(str(settings_file), override=override)
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - anything a settings file does is the user's
        raise settings_error(settings_file, exc) from None
    plugins = list(settings.get("PLUGINS") or [])
    if PLUGIN not in plugins:
        plugins.append(PLUGIN)
    settings["PLUGINS"] = plugins
    jinja_env = dict(settings.get("JINJA_ENVIRONMENT") or {})
    jinja_env["autoescape"] = True
    settings["JINJA_ENVIRONMENT"] = jinja_env
    # Pelican's own pages (content/*.md) go through the theme's base.html too: it needs the same filter.
    settings["JINJA_FILTERS"] = {"html_chars": html_chars, **(settings.get("JINJA_FILTERS") or {})}
    if catalog is not None:
        settings["POWERLIST_CATALOG"] = catalog
    if extra:
        settings.update(extra)
    settings["DELETE_OUTPUT_DIRECTORY"] = False
    _import_plugins(settings, settings_file)
    return settings


def _where(exc: BaseException) -> str:
    """' (file, line N)' of the place an exception was raised, for one-line messages."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" ({exc.filename}, line {exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    return f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""


def _import_plugins(settings: dict[str, Any], settings_file: Path) -> None:
    """Import every plugin PLUGINS names now. Pelican only logs a plugin that fails to import and builds the
    site without it (a typo in flowchart.py would publish a site without flowcharts); here it stops the build."""
    for name in settings.get("PLUGINS") or []:
        if not isinstance(name, str):
            continue
        if name in MOVED_PLUGINS:
            raise UsageError(f"plugin {name} (PLUGINS in {settings_file}) is now {MOVED_PLUGINS[name]}: "
                             "change the name in PLUGINS")
        try:
            importlib.import_module(name)
            continue
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name == exc.name or name.startswith(exc.name + ".")):
                raise UsageError(f"plugin {name} (PLUGINS in {settings_file}) cannot be imported: "
                                 f"{type(exc).__name__}: {exc}{_where(exc)}") from None
        except KeyboardInterrupt:
            raise
        except (Exception, SystemExit) as exc:  # noqa: BLE001 - a broken plugin, whatever it raised
            raise UsageError(f"plugin {name} (PLUGINS in {settings_file}) cannot be imported: "
                             f"{type(exc).__name__}: {exc}{_where(exc)}") from None
        # not a module of that name: Pelican also looks among its namespace plugins and in PLUGIN_PATHS
        # (where a plugin that fails is logged as an error, which fails the build)
        if settings.get("PLUGIN_PATHS") or _namespace_plugin(name):
            continue
        raise UsageError(f"plugin {name} (PLUGINS in {settings_file}) not found: no module of that name is installed")


def _namespace_plugin(name: str) -> bool:
    try:
        return importlib.util.find_spec(f"pelican.plugins.{name}") is not None
    except (ImportError, ValueError):
        return False


def check_output(catalog: Catalog, out: Path) -> list[Problem]:
    """Every item has its own page and is linked from its department page and its category page."""
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


# ---- the output folder: what may be written, and our temporary folders next to it ----

def _resolve_output(output: Path) -> Path:
    try:
        return Path(os.path.realpath(output, strict=False))
    except (OSError, RuntimeError, ValueError) as exc:   # a link loop
        raise OutputRefused(f"-o {output}: cannot follow it ({exc})") from None


def _read_folders(data_root: Path, settings: dict[str, Any], conf: Path) -> list[tuple[Path, str]]:
    """Everything the build reads that an output folder could clobber, with how to name it (resolved paths;
    the data folder first)."""
    found: list[tuple[Path, str]] = [(data_root, "data folder")]
    found += [(data_root / n, f"{n}/ folder of the data") for n in ("items", "laws", "content", "theme")]
    for key in ("PATH", "THEME"):
        v = settings.get(key)
        if isinstance(v, str) and v:
            found.append((Path(v), f"folder {key} in the settings names"))
    for key in ("PLUGIN_PATHS", "THEME_TEMPLATES_OVERRIDES"):
        v = settings.get(key)
        for f in (v if isinstance(v, (list, tuple)) else []):
            if isinstance(f, str) and f:
                found.append((Path(f), f"folder {key} in the settings names"))
    found.append((conf, "settings file"))
    # links in items/ and laws/ (department folders, files) lead to what the build reads too
    for sub in ("items", "laws"):
        stack = [(data_root / sub, 0)]
        while stack:
            folder, depth = stack.pop()
            try:
                with os.scandir(folder) as it:
                    for e in it:
                        if e.is_symlink():
                            found.append((Path(e.path), f"target of the link {Path(e.path).relative_to(data_root)}"))
                        elif depth == 0 and e.is_dir(follow_symlinks=False):
                            stack.append((Path(e.path), 1))
            except OSError:
                continue
    return [(Path(os.path.realpath(p)), label) for p, label in found]


def _check_target(shown: Path, out: Path, read: list[tuple[Path, str]]) -> None:
    """Refuse an output that is, lies inside or contains anything the build reads (the data folder itself
    may hold the output, e.g. DATA/output)."""
    for p, label in read:
        if out == p:
            raise OutputRefused(f"-o {shown} is the {label} ({p}); choose another output folder")
    for p, label in read:
        if p.is_relative_to(out):
            raise OutputRefused(f"-o {shown} contains the {label} ({p}); the build replaces its output folder "
                                "as a whole: choose one that holds no data")
        if out.is_relative_to(p) and label != "data folder":
            raise OutputRefused(f"-o {shown} is inside the {label} ({p}); choose an output folder outside it")


def _check_existing(shown: Path, out: Path) -> int:
    """Refuse an existing output that is a file, or a folder that is neither empty nor a site powerlist built
    with nothing added since. Returns how many files the old output has (0: none, or empty)."""
    if not os.path.lexists(out):
        for a in out.parents:
            if os.path.lexists(a):
                if not os.path.isdir(a):
                    raise OutputRefused(f"cannot create the output folder {out}: {a} is a file, not a folder")
                break
        return 0
    if os.path.islink(out):   # what realpath could not follow: a loop of links
        raise OutputRefused(f"-o {shown} is a symbolic link that leads nowhere (a loop of links)")
    if not os.path.isdir(out):
        link = f" (a link to {out})" if os.path.islink(shown) else ""
        raise OutputRefused(f"-o {shown}{link} is a file, not a folder; choose another output folder")
    try:
        if not os.listdir(out):
            return 0
        doc = read_own_manifest(out)
        if doc is None:
            raise OutputRefused(f"-o {shown} is a folder that powerlist did not build (it is not empty and has no "
                                f"powerlist {MANIFEST}); choose a new or empty folder: the build replaces the "
                                "whole folder")
        listed = doc["files"]
        extra = [f for f in site_files(out) if f not in listed]
    except OSError as exc:
        raise UsageError(f"cannot read the output folder {out}: {exc.strerror}") from None
    if extra:
        raise OutputRefused(f"-o {shown} holds {len(extra)} file(s) that powerlist did not build there, e.g. "
                            f"{extra[0]}; move them out of it first: the build replaces the whole folder")
    return len(listed)


def prepare_output(root: str | Path, output: str | Path, settings: dict[str, Any], conf: Path) -> tuple[Path, int]:
    """Check that ``output`` may receive the build of ``root`` (:class:`OutputRefused` if not); returns the
    resolved output folder and how many files its previous version holds."""
    shown = Path(output)
    out = _resolve_output(shown)
    _check_target(shown, out, _read_folders(Path(root).resolve(), settings, conf))
    return out, _check_existing(shown, out)


def _new_holder(out: Path, kind: str) -> Path:
    """A new private folder ``.NAME-KIND-*`` next to ``out`` with our marker in it: this process, this host."""
    holder = Path(tempfile.mkdtemp(prefix=f".{out.name}-{kind}-", dir=out.parent))
    try:
        mark = {"powerlist": kind, "pid": os.getpid(), "host": socket.gethostname()}
        (holder / HOLDER_MARKER).write_text(json.dumps(mark) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(holder, ignore_errors=True)
        raise
    return holder


#: Deletes a holder folder (its site, then its marker, then itself): run by a detached process.
_DELETE_HOLDER = ("import os, shutil, sys\n"
                  "h = sys.argv[1]\n"
                  "shutil.rmtree(os.path.join(h, sys.argv[2]), ignore_errors=True)\n"
                  "for f in (lambda: os.unlink(os.path.join(h, sys.argv[3])), lambda: os.rmdir(h)):\n"
                  "    try:\n"
                  "        f()\n"
                  "    except OSError:\n"
                  "        pass\n")


def _delete_holder(holder: Path) -> None:
    """Delete one of our temporary folders: the site it holds, then the marker, then the folder (anything
    else found in it is left, and the folder with it)."""
    site = holder / HOLDER_SITE
    if os.path.islink(site):
        site.unlink()
    elif os.path.isdir(site):
        shutil.rmtree(site, ignore_errors=True)
    for rm in (lambda: os.unlink(holder / HOLDER_MARKER), lambda: os.rmdir(holder)):
        try:
            rm()
        except OSError:
            pass


def _holder_mark(path: Path, kind: str) -> dict[str, Any] | None:
    """The marker of a folder one of our builds made, or None."""
    try:
        if not stat.S_ISDIR(os.lstat(path).st_mode):
            return None
        mark_file = path / HOLDER_MARKER
        st = os.lstat(mark_file)
        if not stat.S_ISREG(st.st_mode) or st.st_size > 4096:
            return None
        mark = json.loads(mark_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (isinstance(mark, dict) and mark.get("powerlist") == kind and type(mark.get("pid")) is int
            and isinstance(mark.get("host"), str)):
        return mark
    return None


def _alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running (unsure counts as running; a zombie does not)."""
    if pid <= 0 or sys.platform == "win32":   # Windows' os.kill(pid, 0) would send Ctrl-C, not probe
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rpartition(b")")[2].split()[0]
        return state != b"Z"
    except (OSError, IndexError):
        return True


def _remove_leftovers(out: Path) -> None:
    """Temporary folders next to OUTPUT that a killed build left: marked as ours, made on this host by a
    process that is gone. Nothing else is touched."""
    try:
        names = os.listdir(out.parent)
    except OSError:
        return
    host = socket.gethostname()
    for kind in ("build", "old"):
        prefix = f".{out.name}-{kind}-"
        for name in names:
            if name.startswith(prefix):
                mark = _holder_mark(out.parent / name, kind)
                if mark is not None and mark["host"] == host and not _alive(mark["pid"]):
                    _delete_holder(out.parent / name)


@contextmanager
def _swap_lock(folder: Path) -> Iterator[None]:
    """Builds into the same folder swap one at a time (an exclusive ``flock`` on the folder, where there is
    one; elsewhere no lock)."""
    try:
        import fcntl   # POSIX only: elsewhere builds swap without a lock
        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)


def _swap_in(site: Path, output: Path) -> Path | None:
    """Replace ``output`` by ``site`` with two renames; returns the holder of the old output (to delete), or
    None. The old output is checked once more under the lock: a racing build may have replaced it (with a
    site of ours, fine), nobody else may have."""
    with _swap_lock(output.parent):
        old: Path | None = None
        if os.path.lexists(output):
            if not os.path.isdir(output) or os.path.islink(output) or (os.listdir(output)
                                                                       and read_own_manifest(output) is None):
                raise OutputRefused(f"{output} was replaced during the build by something powerlist did not build; "
                                    "it was left as it is")
            old = _new_holder(output, "old")
            try:
                os.rename(output, old / HOLDER_SITE)
            except BaseException:
                _delete_holder(old)
                raise
        try:
            os.rename(site, output)
        except BaseException:
            if old is not None:
                try:
                    os.rename(old / HOLDER_SITE, output)
                except OSError:
                    os.unlink(old / HOLDER_MARKER)   # no longer ours to delete: the user must see it
                    raise UsageError(f"could not put the previous site back: it is in {old / HOLDER_SITE}") from None
                _delete_holder(old)
            raise
    return old


def _discard(old: Path, n_files: int, background: bool) -> None:
    """Delete the holder of an old output: at once when small, else by a detached process."""
    if background and n_files > SYNC_DELETE_MAX_FILES:
        try:
            subprocess.Popen([sys.executable, "-c", _DELETE_HOLDER, str(old), HOLDER_SITE, HOLDER_MARKER],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
            return
        except OSError:
            pass
    _delete_holder(old)


def _write_error(exc: OSError, out: Path, site: Path | None, existed: bool) -> UsageError:
    """One line for an OSError while building: what failed, where in the site, and that the old site stays."""
    where = ""
    name = exc.filename
    if isinstance(name, str) and name:
        p = Path(name)
        if site is not None and p.is_relative_to(site) and p != site:
            where = f" (writing {p.relative_to(site).as_posix()})"
        elif p.parent == out.parent and p.name.startswith(f".{out.name}-"):
            where = f" (making a temporary folder in {out.parent})"
        elif p != out:
            where = f": {name}"
    kept = "; the previous site is unchanged" if existed else ""
    return UsageError(f"cannot build the site into {out}: {exc.strerror or exc}{where}{kept}")


def build_site(root: str | Path = ".", output: str | Path = "output", *, settings_file: str | Path | None = None,
               catalog: Catalog | None = None, extra_settings: dict[str, Any] | None = None,
               background_delete: bool = True) -> BuildResult:
    """Build the site for the data in ``root`` into ``output``; raises InvalidData (nothing written) on any
    problem, :class:`OutputRefused` for an output it must not write, UsageError for a bad settings file or a
    failing disk. The settings file is :func:`powerlist.model.settings.resolve_settings_file`'s choice."""
    data_root = Path(root).resolve()
    conf = resolve_settings(data_root, settings_file).path   # checks every POWERLIST_* setting
    if conf is None:
        raise UsageError(f"no settings file: {data_root} has no {DEFAULT_SETTINGS_FILE.name}; pass --settings FILE")
    settings = pelican_settings(conf, data_root, Path(output), catalog, extra_settings)
    out, old_files = prepare_output(data_root, output, settings, conf)
    if catalog is None:
        catalog = load_catalog(data_root, settings_from_mapping(settings))
        settings["POWERLIST_CATALOG"] = catalog
    # The catalog (millions of objects at 100,000 items) lives until the end: out of the cyclic collector's
    # sight, whose full scans of it would otherwise cost seconds over a build.
    with collector_frozen():
        return _build(catalog, data_root, out, conf, settings, extra_settings or {}, old_files, background_delete)


def _build(catalog: Catalog, data_root: Path, out: Path, conf: Path, settings: dict[str, Any],
           extra_settings: dict[str, Any], old_files: int, background_delete: bool) -> BuildResult:
    commit, commit_date, prefix = git_commit(data_root)
    existed = os.path.lexists(out)
    holder: Path | None = None
    site: Path | None = None
    old: Path | None = None
    collector = _ErrorCollector()
    pelican_log = logging.getLogger("pelican")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(out)
        holder = _new_holder(out, "build")
        site = holder / HOLDER_SITE
        site.mkdir()   # the holder is private (mkdtemp); the published folder gets the usual permissions
        stamps: dict[str, Stamp] = {}    # files the generator wrote from bytes in hand, with their hashes
        settings["OUTPUT_PATH"] = str(site)
        ours = {"POWERLIST_COMMIT": commit, "POWERLIST_COMMIT_DATE": commit_date, "POWERLIST_REPO_PREFIX": prefix,
                "POWERLIST_FILE_STAMPS": stamps}
        settings.update({k: v for k, v in ours.items() if k not in extra_settings})
        from pelican import Pelican   # Pelican only when a command builds (start-up of the CLI)
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
        if collector.copy_failures:
            kept = "; the previous site is unchanged" if existed else ""
            raise UsageError(f"cannot build the site into {out}: {collector.copy_failures[0]}{kept}")
        problems = [Problem("(pelican)", 0, 0, "", m) for m in collector.messages]
        problems += check_output(catalog, site)
        if problems:
            raise InvalidData(problems)
        record = settings_record(conf, data_root)
        n_files = len(write_hashes(site, commit, stamps, record)) + 1   # every file but the manifest, and it
        old = _swap_in(site, out)
    except OSError as exc:
        raise _write_error(exc, out, site, existed) from None
    finally:
        if holder is not None:
            _delete_holder(holder)   # after the swap it holds only the marker
    if old is not None:
        _discard(old, old_files, background_delete)
    return BuildResult(output=out, items=len(catalog.items), files=n_files, commit=commit, settings_file=conf)

"""Every ``POWERLIST_*`` setting, declared once; the settings file a command uses; checking it once.

:class:`Settings` is the declaration: each field is one setting (``categories`` is ``POWERLIST_CATEGORIES``)
with its kind of value (:mod:`powerlist.model.setting_types`), its default and its help in Chinese and English.
docs/settings.md is generated from it (``make docs``) and ``make test`` checks that it is current.

One resolver (:func:`resolve_settings`) decides and checks the settings file for every command — validate,
new, stats, schema, diff, build, devserver, verify-site, import, export — so that a data folder that validates
also builds: an explicit ``--settings FILE``, else ``DATA/pelicanconf.py`` when the data folder has one, else
the project's own ``pelicanconf.py``. Every problem of a settings file is reported at once, as one
:class:`SettingsError` (exit 2): an unknown ``POWERLIST_*`` name (with the nearest known one), a value of the
wrong kind, a file that cannot be executed (its line). Modules read the typed :class:`Settings`, never
``settings.get("POWERLIST_…")``.
"""
from __future__ import annotations

import difflib
import hashlib
import re
import runpy
import traceback
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping, TypeVar

from .errors import UsageError
from .setting_types import (Categories, Invalid, ModuleNames, Option, OptionalText, Pattern, Text, WebAddress,
                            WholeNumber)

T = TypeVar("T")

#: The project folder (holds pelicanconf.py, theme/, content/) when installed from a checkout.
PROJECT_DIR = Path(__file__).resolve().parents[2]
#: The settings file a data folder may hold, and the project's default one.
SETTINGS_NAME = "pelicanconf.py"
DEFAULT_SETTINGS_FILE = PROJECT_DIR / SETTINGS_NAME
PREFIX = "POWERLIST_"

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
#: Feature modules asked for pages and files, in this order (each defines ``site_contribution(build)``).
CONTRIBUTORS_DEFAULT: tuple[str, ...] = (
    "powerlist.search.contribution",
    "powerlist.vcs.contribution",
    "powerlist.exchange.contribution",
)

#: ``POWERLIST_*`` names that powerlist sets while it builds; a settings file must not set them.
INTERNAL = {
    "POWERLIST_DATA_ROOT": "the data folder is the command's DATA argument",
    "POWERLIST_CATALOG": "powerlist build sets it to the loaded data",
    "POWERLIST_COMMIT": "powerlist build sets it to the source commit",
    "POWERLIST_COMMIT_DATE": "powerlist build sets it to the source commit's date",
    "POWERLIST_REPO_PREFIX": "powerlist build sets it to the data folder's place in its git repository",
    "POWERLIST_FILE_STAMPS": "powerlist build records the files it writes there",
}
#: Settings that were removed, and why.
REMOVED = {
    "POWERLIST_FEEDS": "it never had an effect: every build writes the change feed feeds/changes.atom.xml",
}
#: Environment variables (not settings) that publishconf.py reads, and the setting each one fills.
ENVIRONMENT = {
    "POWERLIST_SITEURL": "SITEURL",
    "POWERLIST_REPO_URL": "POWERLIST_REPO_URL",
    "POWERLIST_REPO_BRANCH": "POWERLIST_REPO_BRANCH",
}


def setting(option: Option[T], default: T, *, zh: str, en: str) -> T:
    """Declare one setting: a field of :class:`Settings` whose value is of ``option``'s kind."""
    return field(default=default, metadata={"option": option, "zh": zh, "en": en})


@dataclass(frozen=True)
class Settings:
    """Every ``POWERLIST_*`` setting of a site, typed: field ``jobs`` is ``POWERLIST_JOBS``."""

    categories: tuple[tuple[str, str], ...] = setting(
        Categories(), CATEGORIES_DEFAULT,
        zh="权力类别及其编码字母，按顺序列出 (名称, 字母)；该顺序也是部门页、类别页和统计页中的分组顺序。"
           "默认为全国通用的十类。",
        en="The power categories as ordered (name, letters) pairs; the letters appear in item codes, and the "
           "order is the order of the groups on department pages, the category pages and the statistics. "
           "Default: the ten national categories.")
    code_pattern: str = setting(
        Pattern(), CODE_PATTERN_DEFAULT,
        zh="事项编码的正则表达式；命名分组 region 和 letters 分别与部门的行政区划代码、权力类别的编码字母核对。",
        en="Regular expression for item codes; the named groups region and letters are checked against the "
           "department's region code and the category's letters.")
    repo_url: str = setting(
        WebAddress(), "",
        zh="数据仓库的网址（如 https://github.com/org/powerlist）。设置后，每个事项页有指向其文件的「纠错建议」"
           "链接，页脚链接到源提交；为空则不加这些链接。",
        en="Web address of the data repository (e.g. https://github.com/org/powerlist). When set, each item "
           "page links its file (纠错建议) and the footer links the source commit; empty: no such links.")
    repo_branch: str = setting(
        Text(), "main",
        zh="上述链接指向的分支。",
        en="The branch those links point to.")
    baseline: str | None = setting(
        OptionalText(), None,
        zh="改革报告的基准版本（git 标签或提交）：设置后生成改革报告页 reform/，对比该版本与当前清单"
           "（取消、下放、冻结、合并、新增）；None 表示不生成。",
        en="Git revision (tag or commit) the reform report compares the current list with (cancelled, "
           "delegated, frozen, merged, added), on the page reform/; None: no reform report.")
    category_page_size: int = setting(
        WholeNumber(1), 500,
        zh="每个类别页列出的事项数；更大的类别续在 categories/<slug>/page/2/ 等页，每页都有部门索引。",
        en="Items per category page; a larger category continues on categories/<slug>/page/2/, …, with a "
           "department index on every page.")
    changes_per_page: int = setting(
        WholeNumber(1), 100,
        zh="变更记录每页列出的变更数。",
        en="Changes per page of the change log (变更记录).")
    home_changes: int = setting(
        WholeNumber(0), 8,
        zh="首页列出的最近变更数；0 表示不列出。",
        en="Latest changes listed on the home page; 0: none.")
    feed_commits: int = setting(
        WholeNumber(1), 50,
        zh="Atom 订阅（feeds/changes.atom.xml）包含的最近提交数。",
        en="Latest commits in the Atom feed (feeds/changes.atom.xml).")
    jobs: int = setting(
        WholeNumber(1), 1,
        zh="生成事项页的进程数（fork 进程池）；1 表示不另开进程。",
        en="Processes that render the item pages (a fork-based pool); 1: none besides the build's own.")
    jobs_min_items: int = setting(
        WholeNumber(1), 500,
        zh="事项少于此数时由一个进程生成全部页面（进程池只在大型清单上划算）。",
        en="Below this many items one process writes every page (a pool pays off on large lists only).")
    contributors: tuple[str, ...] = setting(
        ModuleNames(), CONTRIBUTORS_DEFAULT,
        zh="为网站提供页面和文件的功能模块，按此顺序调用（每个模块定义 site_contribution）；空列表表示不加"
           "这些功能。",
        en="Feature modules asked for pages and files, in this order (each defines site_contribution); an "
           "empty list: none of these features.")

    @cached_property
    def code_re(self) -> re.Pattern[str]:
        return re.compile(self.code_pattern)

    @cached_property
    def category_letters(self) -> dict[str, str]:
        return dict(self.categories)

    @cached_property
    def category_names(self) -> list[str]:
        return [name for name, _ in self.categories]


@dataclass(frozen=True)
class Declaration:
    """One declared setting, as docs/settings.md shows it."""

    key: str
    attr: str
    option: Option[Any]
    default: Any
    zh: str
    en: str


def declarations() -> list[Declaration]:
    """Every setting, in the order of :class:`Settings`."""
    return [Declaration(PREFIX + f.name.upper(), f.name, f.metadata["option"], f.default, f.metadata["zh"],
                        f.metadata["en"]) for f in fields(Settings)]


_DECLARED = {d.key: d for d in declarations()}


class SettingsError(UsageError):
    """Every problem of one settings file (or settings mapping), reported together (exit 2)."""

    def __init__(self, problems: list[str], path: str | Path | None = None):
        self.problems = problems
        self.path = path
        where = f"settings file {path}: " if path is not None else ""
        if len(problems) == 1:
            text = where + problems[0]
        else:
            text = f"{where or 'settings: '}{len(problems)} problems:" + "".join(f"\n  {p}" for p in problems)
        super().__init__(text)


def _unknown(name: str) -> str:
    """The message for a ``POWERLIST_*`` name that is not a setting."""
    if name in INTERNAL:
        return f"{name} is not set in a settings file ({INTERNAL[name]}): remove it"
    if name in REMOVED:
        return f"setting {name} was removed ({REMOVED[name]}): remove it"
    if name in ENVIRONMENT and ENVIRONMENT[name] not in _DECLARED:
        return (f"unknown setting {name}: that is the environment variable publishconf.py reads; in a settings "
                f"file set {ENVIRONMENT[name]}")
    near = _nearest(name)
    hint = f"; did you mean {near}?" if near else " (every setting is listed in docs/settings.md)"
    return f"unknown setting {name}{hint}"


def _nearest(name: str) -> str | None:
    """The declared setting ``name`` was most likely meant to be: by the part after ``POWERLIST_`` (every
    name shares the prefix), or, for a name without the prefix, by the whole name and only when very close
    (``POWERLST_JOBS``; Pelican's own names are far from every setting)."""
    if name.startswith(PREFIX):
        near = difflib.get_close_matches(name[len(PREFIX):], [k[len(PREFIX):] for k in _DECLARED], n=1, cutoff=0.6)
        return PREFIX + near[0] if near else None
    near = difflib.get_close_matches(name, list(_DECLARED), n=1, cutoff=0.85)
    return near[0] if near else None


def check_settings(names: Mapping[str, Any], *, internal_ok: bool = False) -> tuple[Settings, list[str]]:
    """The typed settings of ``names`` (a settings file's UPPER_CASE names) and every problem, sorted by name.

    ``internal_ok`` accepts the names powerlist sets itself (:data:`INTERNAL`): Pelican's settings dict of a
    build holds them. A name that is not ``POWERLIST_*`` but nearly one (``POWERLST_JOBS``) is a problem too."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name in sorted(n for n in names if isinstance(n, str)):
        decl = _DECLARED.get(name)
        if decl is None:
            if name.startswith(PREFIX):
                if not (internal_ok and name in INTERNAL):
                    problems.append(_unknown(name))
            elif name.isupper() and _nearest(name):
                problems.append(_unknown(name))
            continue
        value = names[name]
        if decl.option.unset(value):
            continue
        try:
            values[decl.attr] = decl.option.convert(value)
        except Invalid as exc:
            problems.append(f"setting {name} {exc}")
    return Settings(**values), problems


def settings_from_mapping(d: Mapping[str, Any]) -> Settings:
    """The typed settings of a settings mapping (Pelican's settings dict of a build: powerlist's own names
    allowed); a :class:`SettingsError` listing every problem."""
    settings, problems = check_settings(d, internal_ok=True)
    if problems:
        raise SettingsError(problems)
    return settings


@dataclass(frozen=True)
class ResolvedSettings:
    """The settings file a command uses (None: there is none, the defaults apply) and its checked settings."""

    path: Path | None
    settings: Settings


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


def load_settings_file(path: str | Path) -> Settings:
    """Execute a settings file and check every ``POWERLIST_*`` name in it: the typed settings, or one
    :class:`SettingsError` naming the file and listing every problem."""
    settings, problems = check_settings(read_settings_file(path))
    if problems:
        raise SettingsError(problems, path)
    return settings


def resolve_settings(root: str | Path, settings_file: str | Path | None = None) -> ResolvedSettings:
    """The settings file that applies to the data folder ``root`` (:func:`resolve_settings_file`), executed
    and checked once: what every command calls before it reads the data (the defaults without a file)."""
    conf = resolve_settings_file(root, settings_file)
    return ResolvedSettings(conf, Settings() if conf is None else load_settings_file(conf))


def settings_for_root(root: str | Path, settings_file: str | Path | None = None) -> Settings:
    """The checked settings that apply to a data folder (:func:`resolve_settings`)."""
    return resolve_settings(root, settings_file).settings


def settings_record(conf: Path, data_root: Path) -> dict[str, str]:
    """How ``manifest.json`` names the settings file of a build: its path relative to the data folder when it
    lies inside it (``{"path": "publishconf.py", "sha256": …}``), else its name (``{"name": …, "sha256": …}``);
    never an absolute path, so the same commit builds the same bytes on every machine."""
    h = hashlib.sha256(Path(conf).read_bytes()).hexdigest()
    conf, data_root = Path(conf).resolve(), Path(data_root).resolve()
    if conf.is_relative_to(data_root):
        return {"path": conf.relative_to(data_root).as_posix(), "sha256": h}
    return {"name": conf.name, "sha256": h}


def int_setting(settings: Mapping[str, Any], name: str, default: int, minimum: int = 1) -> int:
    """A whole-number setting from Pelican's settings dict (``default`` when unset); a clear UsageError for
    anything else. Kept for the site layer until it reads :class:`Settings` (``settings_from_mapping``)."""
    option = WholeNumber(minimum)
    value = settings.get(name)
    if option.unset(value):
        return default
    try:
        return option.convert(value)
    except Invalid as exc:
        raise UsageError(f"setting {name} {exc}") from None

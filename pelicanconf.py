"""Development settings of the powerlist site (``make html``, ``make devserver``).

Relative URLs, so the output works from file:// and from any subfolder. ``publishconf.py`` adds the production
settings on top. Paths are relative to this file.

Which settings file a command uses (the same rule for validate, new, stats, schema, diff, build, devserver,
export, import and verify-site): ``--settings FILE`` when given, else ``pelicanconf.py`` in the data folder
when it has one, else this file. ``manifest.json`` of a built site records it (its path relative to the data
folder, or its name when it lies outside, and its SHA-256); ``verify-site --rebuild`` rebuilds with it.

powerlist settings (``POWERLIST_*``):

- ``POWERLIST_DATA_ROOT``: the folder holding ``items/`` and ``laws/`` (default: this folder). ``powerlist build
  ROOT`` and ``make html DATA=…`` override it.
- ``POWERLIST_CATEGORIES``: ordered list of ``(name, letters)`` power categories; the order is the order of the
  groups on department pages, the category pages and statistics. Default: the ten national categories.
- ``POWERLIST_CODE_PATTERN``: regular expression for item codes (named groups ``region`` and ``letters`` are
  cross-checked with the department and category). Default: ``^(?P<region>\\d{6})-(?P<letters>[A-Z]{2})-…``.
- ``POWERLIST_REPO_URL``: web address of the data repository (e.g. ``https://github.com/org/powerlist``). When
  set, each item page gets a 「纠错建议」 link to its file and the footer links the source commit. Empty: no links.
- ``POWERLIST_REPO_BRANCH``: the branch those links point to (default ``main``).
- ``POWERLIST_BASELINE``: a git revision (tag or commit) that the change pages and the reform report compare
  against (read by the history feature); None: the whole history.
- ``POWERLIST_CHANGES_PER_PAGE`` (default 100 changes per page of 变更记录), ``POWERLIST_HOME_CHANGES`` (default 8
  on the home page), ``POWERLIST_FEED_COMMITS`` (default 50 commits in the Atom feed).
- ``POWERLIST_CATEGORY_PAGE_SIZE``: items per category page (default 500); a larger category continues on
  ``categories/<slug>/page/2/``, … with a department index on every page.
- ``POWERLIST_JOBS``: processes used to render item pages (fork-based pool); 1 = none.
  ``POWERLIST_JOBS_MIN_ITEMS`` (default 500): below this many items one process writes every page.
- ``POWERLIST_CONTRIBUTORS``: feature modules asked for pages and files (default:
  ``powerlist.site.pelican.CONTRIBUTORS``: ``powerlist.search.contribution``, ``powerlist.vcs.contribution``,
  ``powerlist.exchange.contribution``).

Set by ``powerlist build`` itself, not here: ``POWERLIST_CATALOG`` (the loaded Catalog), ``POWERLIST_COMMIT``,
``POWERLIST_COMMIT_DATE`` (source commit shown in the footer), ``POWERLIST_REPO_PREFIX`` and
``POWERLIST_FILE_STAMPS`` (size, time and hash of each file written from bytes in hand, for the manifest).
"""
from __future__ import annotations

import os

SITENAME = "潍坊市行政权力清单"
SITESUBTITLE = "权力事项、实施依据、运行流程与责任事项公开"
SITEURL = ""
RELATIVE_URLS = True
DEFAULT_LANG = "zh-CN"
TIMEZONE = "Asia/Shanghai"
DEFAULT_DATE = None

PATH = "content"
PAGE_PATHS = [""]
ARTICLE_PATHS: list[str] = []
STATIC_PATHS: list[str] = []
OUTPUT_PATH = "output"
THEME = "theme"
PLUGINS = ["powerlist.site.pelican"]

PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
PAGE_ORDER_BY = "order"
DIRECT_TEMPLATES: list[str] = []
ARTICLE_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
INDEX_SAVE_AS = ""

# No feeds in development; publishconf.py turns on the change feed.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [], "autoescape": True}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False

# ---- powerlist ----
POWERLIST_DATA_ROOT = os.path.dirname(os.path.abspath(__file__))
POWERLIST_CATEGORIES = [
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
]
POWERLIST_CODE_PATTERN = r"^(?P<region>\d{6})-(?P<letters>[A-Z]{2})-(?P<main>\d{5})(?:-(?P<sub>\d{3}))?$"
POWERLIST_REPO_URL = ""
POWERLIST_REPO_BRANCH = "main"
POWERLIST_BASELINE = None
POWERLIST_JOBS = min(2, os.cpu_count() or 1)

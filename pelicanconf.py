"""Development settings of the powerlist site (``make html``, ``make devserver``).

Relative URLs, so the output works from file:// and from any subfolder. ``publishconf.py`` adds the production
settings on top. Paths are relative to this file.

Which settings file a command uses (the same rule for validate, new, stats, schema, diff, build, devserver,
export, import and verify-site): ``--settings FILE`` when given, else ``pelicanconf.py`` in the data folder
when it has one, else this file. ``manifest.json`` of a built site records it (its path relative to the data
folder, or its name when it lies outside, and its SHA-256); ``verify-site SITE DATA`` rebuilds with it.

powerlist settings (``POWERLIST_*``) are declared, with their kinds, defaults and help in Chinese and English,
in ``powerlist/model/settings.py`` (class ``Settings``); docs/settings.md lists them all. Every command checks
the settings file once: an unknown ``POWERLIST_*`` name (with the nearest known one), a value of the wrong kind
or a file that fails stops it with every problem listed (exit 2). This file sets:

- ``POWERLIST_CATEGORIES``: ordered ``(name, letters)`` power categories (here the ten national ones, the
  default); the order is the order of the groups on department pages, the category pages and statistics.
- ``POWERLIST_CODE_PATTERN``: regular expression for item codes (named groups ``region`` and ``letters`` are
  cross-checked with the department and category); here the default.
- ``POWERLIST_REPO_URL``: web address of the data repository; when set, item pages get a 「纠错建议」 link to
  their file and the footer links the source commit. Empty: no links. ``POWERLIST_REPO_BRANCH``: their branch.
- ``POWERLIST_BASELINE``: a git revision (tag or commit) the reform report (reform/) compares the list with;
  None: no reform report.
- ``POWERLIST_JOBS``: processes that render item pages (fork-based pool) on lists of at least
  ``POWERLIST_JOBS_MIN_ITEMS`` (default 500) items; 1 = none.

Left at their defaults (docs/settings.md): ``POWERLIST_CATEGORY_PAGE_SIZE`` (500 items per category page),
``POWERLIST_CHANGES_PER_PAGE`` (100), ``POWERLIST_HOME_CHANGES`` (8), ``POWERLIST_FEED_COMMITS`` (50) and
``POWERLIST_CONTRIBUTORS`` (the search, history and data-download features).

The data folder is the command's DATA argument (``powerlist build DATA``, ``make html DATA=…``), never a setting.
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

# Pelican's own feeds are off (the site has no articles). The change feed, feeds/changes.atom.xml, is written
# by powerlist's history feature in every build; an absolute SITEURL (publishconf.py) makes its links absolute.
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

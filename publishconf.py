"""Production settings (``make publish``, ``make github``): everything in pelicanconf.py, plus an absolute
SITEURL, feeds and the repository links. Edit SITEURL and POWERLIST_REPO_URL for your deployment."""
from __future__ import annotations

import os

# pelicanconf.py next to this file, by path: an import by name could find another pelicanconf module that
# a build earlier in the same process (devserver, verify-site, tests) had loaded.
_pelicanconf = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")
with open(_pelicanconf, encoding="utf-8") as _f:
    exec(compile(_f.read(), _pelicanconf, "exec"))  # noqa: S102 - our own settings file

SITEURL = os.environ.get("POWERLIST_SITEURL", "https://powerlist.example.gov.cn")
RELATIVE_URLS = False

# The change feed (atom) is written by the history feature (powerlist.vcs.contribution) under feeds/;
# FEED_DOMAIN makes its links absolute.
FEED_DOMAIN = SITEURL
POWERLIST_FEEDS = True

POWERLIST_REPO_URL = os.environ.get("POWERLIST_REPO_URL", "")
POWERLIST_REPO_BRANCH = os.environ.get("POWERLIST_REPO_BRANCH", "main")

DELETE_OUTPUT_DIRECTORY = False  # powerlist build writes a fresh folder and swaps it in

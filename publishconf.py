"""Production settings (``make publish``, ``make github``): everything in pelicanconf.py, plus an absolute
SITEURL and the repository links. Edit SITEURL and POWERLIST_REPO_URL for your deployment, or set the
environment variables ``POWERLIST_SITEURL``, ``POWERLIST_REPO_URL`` and ``POWERLIST_REPO_BRANCH`` (these are
environment variables read here, not settings; unset, they leave the defaults below)."""
from __future__ import annotations

import os

# pelicanconf.py next to this file, by path: an import by name could find another pelicanconf module that
# a build earlier in the same process (devserver, verify-site, tests) had loaded.
_pelicanconf = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pelicanconf.py")
with open(_pelicanconf, encoding="utf-8") as _f:
    exec(compile(_f.read(), _pelicanconf, "exec"))  # noqa: S102 - our own settings file

# The pages, the change feed (feeds/changes.atom.xml, written in every build) and sitemap.xml take their
# absolute links from SITEURL.
SITEURL = os.environ.get("POWERLIST_SITEURL", "https://powerlist.example.gov.cn")
RELATIVE_URLS = False

POWERLIST_REPO_URL = os.environ.get("POWERLIST_REPO_URL", "")
POWERLIST_REPO_BRANCH = os.environ.get("POWERLIST_REPO_BRANCH", "main")

DELETE_OUTPUT_DIRECTORY = False  # powerlist build writes a fresh folder and swaps it in

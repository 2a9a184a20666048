"""Settings of this data folder: the project's, with one more category (行政监督)."""
import os

_repo = os.environ["REPO"]
exec(open(os.path.join(_repo, "pelicanconf.py"), encoding="utf-8").read())
PATH = os.path.join(_repo, "content")
THEME = os.path.join(_repo, "theme")
POWERLIST_CATEGORIES = POWERLIST_CATEGORIES + [("行政监督", "JD")]  # noqa: F821 - defined by the exec above

"""Settings for the hostile cases that signal a build: the project's, plus the slow test plugin and two workers."""
import os

_repo = os.environ["REPO"]
exec(open(os.path.join(_repo, "pelicanconf.py"), encoding="utf-8").read())
PATH = os.path.join(_repo, "content")
THEME = os.path.join(_repo, "theme")
PLUGINS = PLUGINS + ["slowplugin"]  # noqa: F821 - defined by the exec above
POWERLIST_JOBS = 2
POWERLIST_JOBS_MIN_ITEMS = 1

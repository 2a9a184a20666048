"""The project's settings plus a plugin that fails while $WORK/boom exists."""
import os

_repo = os.environ["REPO"]
exec(open(os.path.join(_repo, "pelicanconf.py"), encoding="utf-8").read())
PATH = os.path.join(_repo, "content")
THEME = os.path.join(_repo, "theme")
PLUGINS = PLUGINS + ["boomplugin"]  # noqa: F821 - defined by the exec above
POWERLIST_CONTRIBUTORS = ()

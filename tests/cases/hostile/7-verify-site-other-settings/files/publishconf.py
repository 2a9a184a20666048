"""Production settings of this data folder: the project's, with an absolute SITEURL and feeds."""
import os

_repo = os.environ["REPO"]
exec(open(os.path.join(_repo, "pelicanconf.py"), encoding="utf-8").read())
PATH = os.path.join(_repo, "content")
THEME = os.path.join(_repo, "theme")
SITEURL = "https://qingdan.example.gov.cn"
RELATIVE_URLS = False
FEED_DOMAIN = SITEURL

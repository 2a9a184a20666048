"""What search adds to the site: the page ``search/``, the sharded index under ``search/`` (see
:mod:`powerlist.search.index`), lunr.js (copied from the project's ``node_modules``, installed by ``make
install``) and our two scripts. :func:`powerlist.search.query.search` answers a query in Python over a built
index, with the browser's semantics.
"""
from __future__ import annotations

from pathlib import Path

from ..model.errors import PowerlistError
from ..output.contribution import Asset, BuildContext, Contribution, NavLink, Page
from .index import build_search_index

JS_DIR = Path(__file__).resolve().parents[2] / "theme" / "static" / "js"
SCRIPTS = ("tokenize.js", "search.js")


def find_lunr_js(start: Path | None = None) -> Path:
    """node_modules/lunr/lunr.min.js, looked for above the package and above the working directory."""
    bases = [Path(__file__).resolve().parent, (start or Path.cwd()).resolve()]
    for base in bases:
        for d in (base, *base.parents):
            p = d / "node_modules" / "lunr" / "lunr.min.js"
            if p.is_file():
                return p
    raise PowerlistError("lunr.js not found in node_modules: run `make install` (npm install)")


def site_contribution(build: BuildContext) -> Contribution:
    """The 搜索 nav link; the index, the scripts and the page are made by :func:`write_search`, which item
    pages do not wait for."""
    return Contribution(nav=[NavLink("search/", "搜索", 90)], later=write_search)


def write_search(build: BuildContext) -> Contribution:
    index = build_search_index(build.catalog)
    assets = [Asset(path, data) for path, data in sorted(index.files.items())]
    assets.append(Asset("search/lunr.min.js", find_lunr_js(build.data_root).read_bytes()))
    for name in SCRIPTS:
        assets.append(Asset(f"search/{name}", (JS_DIR / name).read_bytes()))
    page = Page(url="search/", template="search.html", title="搜索",
                context={"search_items": index.items})
    return Contribution(pages=[page], assets=assets)

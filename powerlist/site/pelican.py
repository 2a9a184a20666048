"""Pelican glue: a generator that renders the power list site from the Catalog.

Registered through Pelican's ``get_generators`` signal. Every page goes through Pelican's writer (so
``content_written`` and other plugins see it) with the theme's templates. The Catalog comes from
``settings["POWERLIST_CATALOG"]`` when ``powerlist build`` already loaded it, otherwise it is loaded once from
``POWERLIST_DATA_ROOT`` — there is never a second YAML read.

Large sites: item pages may be rendered by a fork-based pool of worker processes (``POWERLIST_JOBS``); the
parent still registers every written file with the writer and sends ``content_written`` for it.

The plugin's name in PLUGINS is ``powerlist.site.pelican`` (``powerlist build`` adds it when missing).
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing as mp
import os
import pickle
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, NamedTuple, Sequence
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape as xml_escape

from jinja2 import TemplateNotFound
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator
from pelican.utils import get_relative_path, path_to_url, sanitised_join

from ..model.catalog import Catalog
from ..model.citation import article_anchor
from ..model.errors import UsageError
from ..model.records import STATUSES, Department, Item
from ..model.settings import MOVED_CONTRIBUTORS, int_setting, settings_from_mapping
from ..output.contribution import Asset, BuildContext, Contribution, NavLink, Page
from ..output.stamp import Stamp, write_stamped
from ..output.urls import CATEGORY_URL, DEPARTMENT_URL, ITEM_URL, LAW_URL, STATS_URL, category_slug
from ..runtime.gcutil import collector_frozen
from ..runtime.procs import worker_init
from ..source.load import load_catalog
from ..svg.charts import bar_chart_svg, stacked_bar_chart_svg
from ..svg.flowchart import render_flow_svg
from ..vcs.git import git_commit
from . import jinja_fast, render

log = logging.getLogger(__name__)

#: Feature modules asked for a contribution, in this order (``POWERLIST_CONTRIBUTORS`` overrides it). Each
#: defines ``site_contribution(build) -> Contribution`` (see :mod:`powerlist.output.contribution`).
CONTRIBUTORS: tuple[str, ...] = (
    "powerlist.search.contribution",
    "powerlist.vcs.contribution",
    "powerlist.exchange.contribution",
)

_ITEMS_PREFIX = ITEM_URL.split("{")[0]   # the folder of every item page's folder
#: Items per category page; a larger category continues on categories/<slug>/page/2/, … (the 行政处罚 page of a
#: city with 5,000 of them would otherwise be a 2 MB page on a phone). ``POWERLIST_CATEGORY_PAGE_SIZE``.
CATEGORY_PAGE_SIZE = 500
#: Pools pay off above this many item pages (forking and collecting results cost ~0.1 s; the search index and
#: the exports then run beside the pages: 2,000 items take 1.45 s instead of 2.3 s on two cores).
PARALLEL_MIN_ITEMS = 500


class SiteLink(NamedTuple):
    """A content page (关于本清单, …) in the footer."""
    url: str
    title: str


@dataclass
class SiteCounts:
    total: int
    active: int
    by_status: list[tuple[str, int]]
    by_category: list[tuple[str, str, int]]           # (name, slug, count)
    by_department: list[tuple[Department, int]]


def _counts(cat: Catalog) -> SiteCounts:
    by_status = [(s, len(cat.by_status.get(s, []))) for s in STATUSES]
    by_category = [(name, category_slug(letters), len(cat.by_category.get(name, [])))
                   for name, letters in cat.settings.categories]
    by_department = [(d, len(cat.by_department.get(d.id, []))) for d in cat.departments.values()]
    return SiteCounts(total=len(cat.items), active=len(cat.by_status.get("保留", [])), by_status=by_status,
                      by_category=by_category, by_department=by_department)


def group_by_category(cat: Catalog, items: Iterable[Item]) -> list[tuple[str, str, list[Item]]]:
    """Items grouped by category in the configured order (empty groups left out)."""
    groups: dict[str, list[Item]] = {name: [] for name in cat.settings.category_names}
    for it in items:
        groups.setdefault(it.category, []).append(it)
    letters = cat.settings.category_letters
    return [(name, category_slug(letters.get(name, name)), lst) for name, lst in groups.items() if lst]


def group_by_status(items: Iterable[Item]) -> list[tuple[str, list[Item]]]:
    """Items that are not 保留, grouped by status in the format's order."""
    groups: dict[str, list[Item]] = {s: [] for s in STATUSES if s != "保留"}
    for it in items:
        if it.status != "保留":
            groups.setdefault(it.status, []).append(it)
    return [(s, lst) for s, lst in groups.items() if lst]


def group_by_department(cat: Catalog, items: Iterable[Item]) -> list[tuple[Department, list[Item]]]:
    groups: dict[str, list[Item]] = {}
    for it in items:
        groups.setdefault(it.department, []).append(it)
    return [(cat.departments[d], groups[d]) for d in cat.departments if d in groups]


def page_url(first: str, number: int) -> str:
    """URL of page ``number`` of a paginated listing whose first page is ``first`` (``…/page/2/``, …)."""
    return first if number == 1 else f"{first}page/{number}/"


def paginate_groups(groups: Sequence[tuple[Department, list[Item]]], size: int,
                    first_url: str) -> list[dict[str, Any]]:
    """Split department groups over pages of at most ``size`` items, in order; a group that does not fit is
    continued on the next page. Returns one context per page: ``groups`` as ``(department, items, continued,
    continues, group_total)``, ``page_size``, ``pagination`` (as the change log's) and ``department_index`` — ``(department, count, url)``
    with the URL of the page and anchor where each department's group starts."""
    size = max(1, size)
    pages: list[list[tuple[Department, list[Item], bool, bool, int]]] = [[]]
    room = size
    starts: list[tuple[Department, int, int]] = []
    for dep, items in groups:
        rest = items
        continued = False
        while rest:
            if room == 0:
                pages.append([])
                room = size
            if not continued:
                starts.append((dep, len(items), len(pages)))
            part, rest = rest[:room], rest[room:]
            pages[-1].append((dep, part, continued, bool(rest), len(items)))
            room -= len(part)
            continued = True
    n = len(pages)
    index = [(dep, count, f"{page_url(first_url, k)}#dep-{dep.id}") for dep, count, k in starts]
    total = sum(len(items) for _, items in groups)
    return [{"groups": grp, "department_index": index, "page_size": size,
             "pagination": {"number": k, "count": n, "total_entries": total,
                            "prev_url": page_url(first_url, k - 1) if k > 1 else "",
                            "next_url": page_url(first_url, k + 1) if k < n else "",
                            "first_url": first_url, "last_url": page_url(first_url, n)}}
            for k, grp in enumerate(pages, start=1)]


def flow_text(item: Item) -> list[dict[str, Any]]:
    """The flow as an ordered list for screen readers and print: each step with its exits by name."""
    names = {s.id: s.name for s in item.flow}
    out = []
    for s in item.flow:
        out.append({"step": s, "next": [(names.get(e.to, e.to), e.when) for e in s.next]})
    return out


def law_articles(cat: Catalog, law_id: str) -> list[dict[str, Any]]:
    """Articles shown on a law page: every article with text or citations, in number order."""
    law = cat.laws[law_id]
    citing = cat.citing.get(law_id, {})
    numbers = sorted(set(law.articles) | set(citing))
    return [{"number": n, "anchor": article_anchor(n), "text": law.articles.get(n),
             "citing": citing.get(n, [])} for n in numbers]


def item_json_ld(cat: Catalog, item: Item, siteurl_abs: str | None) -> dict[str, Any]:
    dep = cat.departments.get(item.department)
    legislation = []
    seen: set[tuple[str, int | None, int | None, int | None]] = set()
    for c in item.basis:
        key = (c.law, c.article, c.paragraph, c.item)
        if key in seen:
            continue
        seen.add(key)
        law = cat.laws.get(c.law)
        leg: dict[str, Any] = {"@type": "Legislation", "name": render.citation_text(c, cat.laws),
                               "legislationIdentifier": law.document if law and law.document else c.law}
        if law and law.url:
            leg["url"] = law.url
        if law:
            leg["legislationType"] = law.level
        legislation.append(leg)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": item.name,
        "identifier": item.code,
        "serviceType": item.category,
        "subjectOf": legislation,
    }
    if dep:
        data["provider"] = {"@type": "GovernmentOrganization", "name": dep.name,
                            "identifier": dep.id}
        data["areaServed"] = {"@type": "AdministrativeArea", "name": dep.region_name,
                              "identifier": dep.region}
    if item.summary:
        data["description"] = item.summary
    if siteurl_abs:
        data["url"] = f"{siteurl_abs}/{ITEM_URL.format(code=item.code)}"
    return data


def _git_prefix(settings: dict[str, Any]) -> str:
    prefix = settings.get("POWERLIST_REPO_PREFIX") or ""
    return prefix if not prefix or prefix.endswith("/") else prefix + "/"


class PowerlistGenerator(Generator):
    """Writes home, department, category, law, item, statistics, 404, sitemap and robots pages, and every
    page, asset and fragment that the feature modules in :data:`CONTRIBUTORS` contribute."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.autoescape = True
        jinja_fast.install(self.env)  # the same pages, compiled to cheaper Python
        # Templates do not change during a build (a devserver rebuild makes new generators): no stat() of the
        # template file on every page's get_template, extends and include.
        self.env.auto_reload = False
        self.env.filters.update(render.jinja_filters())
        self.catalog: Catalog = self._catalog()
        # settings read later, checked now: a bad value stops the build before anything is written
        self._jobs()
        self._parallel(0)
        self.category_page_size = int_setting(self.settings, "POWERLIST_CATEGORY_PAGE_SIZE", CATEGORY_PAGE_SIZE)
        if "POWERLIST_COMMIT" not in self.settings:  # plain `pelican` run, not `powerlist build`
            root = Path(self.settings.get("POWERLIST_DATA_ROOT") or os.curdir)
            commit, date, prefix = git_commit(root)
            self.settings.update({"POWERLIST_COMMIT": commit, "POWERLIST_COMMIT_DATE": date,
                                  "POWERLIST_REPO_PREFIX": prefix})
        laws = self.catalog.laws
        cites: dict[tuple[Any, str], Markup] = {}   # the same articles are cited by many items

        def cite(c: Any, siteurl: str) -> Markup:
            key = (c, siteurl)
            html = cites.get(key)
            if html is None:
                html = cites[key] = render.citation_html(c, laws, siteurl)
            return html

        self.env.globals["cite"] = cite
        self.env.globals["cite_text"] = lambda c: render.citation_text(c, laws)
        deps = self.catalog.departments
        self.env.globals["department_name"] = lambda d: deps[d].name if d in deps else d
        self.written: list[str] = []           # every page this generator wrote (output-relative)
        # files written from bytes in hand, with their hashes (the build's manifest need not read them back)
        stamps = self.settings.get("POWERLIST_FILE_STAMPS")
        self.stamps: dict[str, Stamp] = stamps if isinstance(stamps, dict) else {}
        self.contributions: list[Contribution] = []

    # ---- context ----
    def _catalog(self) -> Catalog:
        cat = self.settings.get("POWERLIST_CATALOG")
        if isinstance(cat, Catalog):
            return cat
        model_settings = settings_from_mapping(self.settings)
        root = self.settings.get("POWERLIST_DATA_ROOT") or os.curdir
        cat = load_catalog(root, model_settings)
        self.settings["POWERLIST_CATALOG"] = cat
        return cat

    def build_context(self) -> BuildContext:
        return BuildContext(catalog=self.catalog, settings=self.settings,
                            data_root=Path(self.settings.get("POWERLIST_DATA_ROOT") or os.curdir).resolve(),
                            output_path=Path(self.output_path),
                            commit=self.settings.get("POWERLIST_COMMIT"),
                            commit_date=self.settings.get("POWERLIST_COMMIT_DATE"),
                            warn=_warn)

    def _collect_contributions(self) -> None:
        """Ask every contributor for its Contribution, in the parent process: what item pages depend on
        (修订记录, nav links, the list of export files) is quick to make; heavy work a contributor defers
        (``later``) runs with the item pages (:meth:`_start_items`)."""
        build = self.build_context()
        for name in self.settings.get("POWERLIST_CONTRIBUTORS", CONTRIBUTORS):
            fn = getattr(_import_contributor(name), "site_contribution", None)
            if not callable(fn):
                raise UsageError(f"feature module {name} (POWERLIST_CONTRIBUTORS) has no site_contribution function")
            contrib = fn(build)
            if contrib is not None:
                self.contributions.append(contrib)

    def _jobs(self) -> int:
        return int_setting(self.settings, "POWERLIST_JOBS", 1)

    def _parallel(self, n_items: int) -> bool:
        min_items = int_setting(self.settings, "POWERLIST_JOBS_MIN_ITEMS", PARALLEL_MIN_ITEMS)
        return self._jobs() > 1 and n_items >= min_items and hasattr(os, "fork")

    def generate_context(self) -> None:
        cat = self.catalog
        self._collect_contributions()
        s = self.settings
        nav = [NavLink("departments/", "部门", 10), NavLink("categories/", "权力类别", 20),
               NavLink("laws/", "法律依据", 30), NavLink(STATS_URL, "统计", 40)]
        global_ctx: dict[str, Any] = {}
        item_partials: list[str] = []
        home_partials: list[str] = []
        self.item_context: dict[str, dict[str, Any]] = {}
        self.asset_paths: set[str] = set()
        self.deferred: list[Callable[[BuildContext], Contribution]] = []
        for c in self.contributions:
            if c.later is not None:
                self.deferred.append(c.later)
            nav.extend(c.nav)
            global_ctx.update(c.global_context)
            item_partials.extend(c.item_partials)
            home_partials.extend(c.home_partials)
            for code, ctx in c.item_context.items():
                self.item_context.setdefault(code, {}).update(ctx)
            self.asset_paths.update(a.path for a in c.assets)
            # Write the verbatim files now and drop their bytes: on large sites exports are hundreds of MB,
            # and the item-page workers forked later should not carry them.
            if not c.assets_written:  # else written already by a forked contributor
                for a in c.assets:
                    self._write_asset(a)
                c.assets = [Asset(a.path, b"") for a in c.assets]
            self._take_stamps(c.assets)
        item_partials = [t for t in item_partials if self._template_exists(t)]
        home_partials = [t for t in home_partials if self._template_exists(t)]
        nav.sort(key=lambda n: (n.order, n.url))
        commit = s.get("POWERLIST_COMMIT")
        repo = (s.get("POWERLIST_REPO_URL") or "").rstrip("/")
        siteurl = s.get("SITEURL") or ""
        self.context.update(global_ctx)
        self.context.update({
            "catalog": cat,
            "departments": list(cat.departments.values()),
            "laws_list": list(cat.laws.values()),
            "counts": _counts(cat),
            "categories": [(name, category_slug(letters)) for name, letters in cat.settings.categories],
            "category_slugs": {name: category_slug(letters) for name, letters in cat.settings.categories},
            "statuses": STATUSES,
            "nav_links": nav,
            "item_partials": item_partials,
            "home_partials": home_partials,
            "commit": commit,
            "commit_short": commit[:10] if commit else None,
            "commit_date": s.get("POWERLIST_COMMIT_DATE"),
            "commit_url": f"{repo}/commit/{commit}" if repo and commit else None,
            "repo_url": repo or None,
            # as plain (url, title) pairs: a Pelican Page computes its url anew on every access
            "site_pages": [SiteLink(p.url, p.title) for p in sorted(self.context.get("pages", []),
                                                                    key=lambda p: (int(getattr(p, "order", 50)), p.slug))],
            "absolute_siteurl": siteurl if siteurl.startswith(("http://", "https://")) else None,
        })

    def _template_exists(self, name: str) -> bool:
        try:
            self.env.get_template(name)
        except TemplateNotFound:
            log.warning("theme template %s (contributed by a feature) does not exist; left out", name)
            return False
        return True

    # ---- writing ----
    def _write(self, writer: Any, url: str, template: str, **kwargs: Any) -> None:
        name = url + "index.html" if url.endswith("/") or url == "" else url
        writer.write_file(name, self.get_template(template), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], page_url=url, **kwargs)
        self.written.append(name)

    def generate_output(self, writer: Any) -> None:
        cat = self.catalog
        # On large sites the item pages and deferred work start first, in worker processes, and the parent
        # writes the other pages meanwhile.
        pool = self._start_items()
        try:
            self._write(writer, "", "index", page_name="index")
            self._write(writer, "departments/", "departments", page_title="部门")
            for dep in cat.departments.values():
                items = cat.by_department.get(dep.id, [])
                self._write(writer, DEPARTMENT_URL.format(id=dep.id), "department", department=dep,
                            page_title=dep.name,
                            active_groups=group_by_category(cat, (i for i in items if i.status == "保留")),
                            status_groups=group_by_status(items), department_items=items)
            self._write(writer, "categories/", "categories", page_title="权力类别")
            for name, letters in cat.settings.categories:
                first = CATEGORY_URL.format(slug=category_slug(letters))
                for ctx in paginate_groups(group_by_department(cat, cat.by_category.get(name, [])),
                                           self.category_page_size, first):
                    k = ctx["pagination"]["number"]
                    self._write(writer, page_url(first, k), "category", category_name=name,
                                category_letters=letters, page_title=name if k == 1 else f"{name}（第 {k} 页）",
                                **ctx)
            self._write(writer, "laws/", "laws", page_title="法律依据")
            for law in cat.laws.values():
                self._write(writer, LAW_URL.format(id=law.id), "law", law=law, page_title=law.title,
                            articles=law_articles(cat, law.id), citing_items=cat.items_citing(law.id))
            self._write(writer, STATS_URL, "stats", page_title="统计", **self._stats_context())
            self._write(writer, "404.html", "404", page_title="页面不存在")
        except BaseException:
            if pool is not None:
                pool.abort()
            raise
        if pool is None:
            self._write_items(writer)
        else:
            pool.finish(writer)
        for contrib in self.contributions:
            for page in contrib.pages:
                self._write_contributed(writer, page)
        self._write_sitemap()

    def _write_contributed(self, writer: Any, page: Page) -> None:
        template = page.template[:-5] if page.template.endswith(".html") else page.template
        if not self._template_exists(template + ".html"):
            return
        self._write(writer, page.url, template, **{"page_title": page.title, **page.context})

    def _write_asset(self, asset: Asset) -> None:
        self.stamps[asset.path] = write_asset(self.output_path, asset)

    def _take_stamps(self, assets: Iterable[Asset]) -> None:
        for a in assets:
            if a.stamp is not None:
                self.stamps[a.path] = a.stamp

    # ---- item pages ----
    def item_kwargs(self, item: Item) -> dict[str, Any]:
        cat = self.catalog
        s = self.settings
        repo = (s.get("POWERLIST_REPO_URL") or "").rstrip("/")
        flow_svg = None
        if item.flow:
            flow_svg = Markup(render_flow_svg(item.flow, title=item.name))
        json_path = f"api/items/{item.code}.json"
        to_item = to_dep = None
        if item.decision and item.decision.to:
            to_item = cat.items.get(item.decision.to)
            to_dep = cat.departments.get(item.decision.to)
        kw: dict[str, Any] = {
            "item": item,
            "page_title": item.name,
            "department": cat.departments.get(item.department),
            "contact": cat.contact_for(item),
            "parent_item": cat.items.get(item.parent) if item.parent else None,
            "children": cat.children.get(item.code, []),
            "flow_svg": flow_svg,
            "flow_steps": flow_text(item),
            "category_slug": category_slug(cat.settings.category_letters.get(item.category, item.category)),
            "edit_url": (f"{repo}/blob/{s.get('POWERLIST_REPO_BRANCH') or 'main'}/{_git_prefix(s)}{item.file}"
                         if repo and item.file else None),
            "json_url": json_path if json_path in self.asset_paths else None,
            "jsonld": item_json_ld(cat, item, self.context.get("absolute_siteurl")),
            "decision_item": to_item,
            "decision_department": to_dep,
        }
        extra = self.item_context.get(item.code)
        if extra:
            kw.update(extra)
        return kw

    def _write_items(self, writer: Any) -> None:
        """Item pages, then the work contributors deferred (exports, search index), in this process."""
        for item in self.catalog.items.values():
            self._write(writer, ITEM_URL.format(code=item.code), "item", **self.item_kwargs(item))
        build = self.build_context()
        for later in self.deferred:
            self._add_deferred(_run_later(later, build))

    def _start_items(self) -> _ItemPool | None:
        """On large sites, a pool of worker processes that takes the deferred work first (the longest tasks)
        and then the item pages in slices as workers come free; None when the pages are written serially."""
        items = list(self.catalog.items.values())
        if not self._parallel(len(items)):
            return None
        return _ItemPool(self, items, self._jobs())

    def _add_deferred(self, contrib: Contribution) -> None:
        """A deferred contribution's pages are written with the other contributed pages; its files are
        already written."""
        extra = [k for k in ("nav", "item_partials", "item_context", "home_partials", "global_context")
                 if getattr(contrib, k)]
        if extra:
            log.warning("deferred contribution sets %s, which is too late for the pages written already; ignored",
                        ", ".join(extra))
        self.asset_paths.update(a.path for a in contrib.assets)
        self._take_stamps(contrib.assets)
        self.contributions.append(Contribution(pages=contrib.pages, assets=contrib.assets, assets_written=True))

    def _render_item_file(self, template: Any, item: Item) -> tuple[str, Stamp]:
        """Render one item page exactly as ``Writer.write_file`` would (pools run where text files are written
        with '\\n' line ends), and write it; returns its name and stamp."""
        url = ITEM_URL.format(code=item.code)
        name = url + "index.html"
        simple = _simple_segment(item.code)
        local = self.context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if self.settings["RELATIVE_URLS"]:
            rel = self._item_rel if simple else path_to_url(get_relative_path(name))
            local["SITEURL"] = rel
            local["localsiteurl"] = rel
        local["output_file"] = name
        local["page_url"] = url
        local.update(self.item_kwargs(item))
        html = template.render(local).encode("utf-8")
        if simple:  # what sanitised_join gives for one plain path segment, without its path arithmetic
            folder = f"{self._items_dir}/{item.code}"
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            return name, write_stamped(f"{folder}/index.html", html)
        path = sanitised_join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return name, write_stamped(path, html)

    @cached_property
    def _items_dir(self) -> str:
        """The absolute folder of the item pages (made on first use)."""
        d = sanitised_join(self.output_path, _ITEMS_PREFIX)
        os.makedirs(d, exist_ok=True)
        return d

    @cached_property
    def _item_rel(self) -> str:
        """SITEURL seen from an item page (every item page is at the same depth)."""
        return path_to_url(get_relative_path(ITEM_URL.format(code="x") + "index.html"))

    # ---- stats ----
    def _stats_context(self) -> dict[str, Any]:
        cat = self.catalog
        cats = [(name, letters) for name, letters in cat.settings.categories]
        matrix = []
        for dep in cat.departments.values():
            counts = {name: 0 for name, _ in cats}
            for it in cat.by_department.get(dep.id, []):
                counts[it.category] = counts.get(it.category, 0) + 1
            matrix.append((dep, [counts[name] for name, _ in cats], sum(counts.values())))
        col_totals = [sum(row[1][k] for row in matrix) for k in range(len(cats))]
        status_rows = [(s, len(cat.by_status.get(s, []))) for s in STATUSES]
        chart_dep = chart_status = None
        used = [k for k, total in enumerate(col_totals) if total]
        if matrix:
            chart_dep = Markup(stacked_bar_chart_svg([(dep.name, [counts[k] for k in used])
                                                      for dep, counts, _ in matrix],
                                                     [cats[k][0] for k in used], title="各部门权力事项数量（按类别）"))
        chart_status = Markup(bar_chart_svg(status_rows, title="权力事项状态分布"))
        return {"matrix": matrix, "matrix_categories": cats, "col_totals": col_totals,
                "status_rows": status_rows, "chart_department": chart_dep, "chart_status": chart_status}

    # ---- sitemap, robots ----
    #: The most <url> entries in one sitemap file (sitemaps.org); a larger site gets sitemap-1.xml,
    #: sitemap-2.xml … listed by a sitemap index in sitemap.xml.
    SITEMAP_MAX_URLS = 50_000

    def _write_sitemap(self) -> None:
        """robots.txt, and sitemap.xml naming every page once, when SITEURL is an absolute http(s) URL: a
        sitemap's <loc> values must be absolute (the sitemaps.org schema and search engines reject relative
        ones), and only SITEURL says where the site will live. Without it: no sitemap, a robots.txt that names
        none, and an info line saying why. Page paths are percent-encoded and XML-escaped; no <lastmod> (a page
        has no date of its own: the site is built from one commit)."""
        setting = str(self.settings.get("SITEURL") or "")
        siteurl = setting.rstrip("/")
        parts = urlsplit(siteurl)
        robots = ["User-agent: *", "Allow: /"]
        if parts.scheme not in ("http", "https") or not parts.netloc:
            log.info("sitemap.xml not written: SITEURL %r is not an absolute http(s) URL (set it, e.g. in "
                     "publishconf.py, to list the pages for search engines)", setting)
            self._write_asset(Asset("robots.txt", ("\n".join(robots) + "\n").encode("utf-8")))
            return
        paths: set[str] = set()
        for name in self.written:
            if name != "404.html":
                paths.add(name[: -len("index.html")] if name.endswith("index.html") else name)
        paths.update(page.url for page in self.context.get("pages", []))
        locs = [xml_escape(f"{siteurl}/{quote(path, safe='/')}") for path in sorted(paths)]
        head = '<?xml version="1.0" encoding="UTF-8"?>'
        ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'

        def urlset(chunk: Sequence[str]) -> bytes:
            lines = [head, f"<urlset {ns}>", *(f"<url><loc>{loc}</loc></url>" for loc in chunk), "</urlset>"]
            return ("\n".join(lines) + "\n").encode("utf-8")

        size = self.SITEMAP_MAX_URLS
        if len(locs) <= size:
            self._write_asset(Asset("sitemap.xml", urlset(locs)))
        else:
            index = [head, f"<sitemapindex {ns}>"]
            for k in range(0, len(locs), size):
                name = f"sitemap-{k // size + 1}.xml"
                self._write_asset(Asset(name, urlset(locs[k:k + size])))
                index.append(f"<sitemap><loc>{xml_escape(f'{siteurl}/{name}')}</loc></sitemap>")
            index.append("</sitemapindex>")
            self._write_asset(Asset("sitemap.xml", ("\n".join(index) + "\n").encode("utf-8")))
        robots.append(f"Sitemap: {siteurl}/sitemap.xml")
        self._write_asset(Asset("robots.txt", ("\n".join(robots) + "\n").encode("utf-8")))


_FORK_STATE: tuple[PowerlistGenerator, Any, Sequence[Item], list[Callable[[BuildContext], Contribution]],
                   BuildContext] | None = None
#: item pages per task of the worker pool (small enough that workers finish together)
ITEM_SLICE = 500


class _ItemPool:
    """Item pages and deferred contributions rendered by ``jobs`` forked workers while the parent writes the
    other pages. :meth:`finish` waits, then registers every page with the writer (duplicate detection) and
    sends ``content_written`` like the writer does."""

    def __init__(self, gen: PowerlistGenerator, items: Sequence[Item], jobs: int) -> None:
        global _FORK_STATE
        self.gen = gen
        template = gen.get_template("item")
        template.render  # noqa: B018 - compiled in the parent, shared with the workers
        # the shared objects stay out of the workers' collections (less copy-on-write)
        self.frozen = ExitStack()
        self.frozen.enter_context(collector_frozen())
        self.build = gen.build_context()
        _FORK_STATE = (gen, template, items, gen.deferred, self.build)
        n = len(items)
        self.n_slices = max(jobs * 4, (n + ITEM_SLICE - 1) // ITEM_SLICE)
        tasks: list[tuple[int, int, int]] = [(-1 - k, 0, 0) for k in range(len(gen.deferred))]
        tasks += [(k, k * n // self.n_slices, (k + 1) * n // self.n_slices) for k in range(self.n_slices)]
        try:
            self.pool = mp.get_context("fork").Pool(jobs, initializer=worker_init, initargs=(os.getpid(),))
            self.results = self.pool.imap_unordered(_run_task, tasks, chunksize=1)
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        global _FORK_STATE
        _FORK_STATE = None
        self.frozen.close()

    def abort(self) -> None:
        try:
            self.pool.terminate()
            self.pool.join()
        finally:
            self._release()

    def finish(self, writer: Any) -> None:
        """Wait for the workers. Each slice of pages is registered as soon as it and the slices before it are
        back (in slice order, so the order never depends on timing), while the workers go on with the rest."""
        gen = self.gen
        arrived: dict[int, list[tuple[str, Stamp]]] = {}
        next_slice = 0
        later: list[Contribution | _Failed] = [_FAILED] * len(gen.deferred)
        try:
            for k, result in self.results:
                if k < 0:
                    later[-1 - k] = result
                    continue
                arrived[k] = result
                while next_slice in arrived:
                    self._register(writer, arrived.pop(next_slice))
                    next_slice += 1
            self.pool.close()
            self.pool.join()
        except BaseException:
            self.pool.terminate()
            self.pool.join()
            raise
        finally:
            self._release()
        if next_slice != self.n_slices:  # pragma: no cover - every slice reports back, or the pool raised
            raise RuntimeError(f"item pages: {self.n_slices - next_slice} slices did not report back")
        for fn, res in zip(gen.deferred, later):
            gen._add_deferred(_run_later(fn, self.build) if isinstance(res, _Failed) else res)

    def _register(self, writer: Any, written: list[tuple[str, Stamp]]) -> None:
        """Register written pages with Pelican's writer (duplicate detection) and send ``content_written``."""
        gen = self.gen
        items_dir = gen._items_dir
        for name, stamp in written:
            gen.stamps[name] = stamp
            code = name[len(_ITEMS_PREFIX):-len("/index.html")]
            path = (f"{items_dir}/{code}/index.html" if name.startswith(_ITEMS_PREFIX) and _simple_segment(code)
                    else sanitised_join(gen.output_path, name))
            if path in writer._written_files:
                raise RuntimeError(f"{name} written twice")
            writer._written_files.add(path)
            signals.content_written.send(path, context=gen.context)
            gen.written.append(name)


class _Failed:
    """Marks deferred work that must run again in the parent (its result could not be sent back)."""


_FAILED = _Failed()


def _run_later(later: Callable[[BuildContext], Contribution], build: BuildContext) -> Contribution:
    """Run deferred work and write its files; the Contribution keeps only their names (at 100,000 items the
    exports are hundreds of MB, which would otherwise be held, or sent between processes, at once)."""
    result = later(build)
    if not result.assets_written:
        result.assets = [Asset(a.path, b"", write_asset(build.output_path, a)) for a in result.assets]
        result.assets_written = True
    return result


def _run_task(task: tuple[int, int, int]) -> tuple[int, Any]:
    """A worker's task: deferred work number ``-1 - k`` when ``k < 0``, else item pages ``lo:hi``."""
    assert _FORK_STATE is not None, "item workers run only in a forked pool"
    gen, template, items, deferred, build = _FORK_STATE
    k, lo, hi = task
    if k >= 0:
        return k, [gen._render_item_file(template, items[i]) for i in range(lo, hi)]
    build.warn = _warn
    result = _run_later(deferred[-1 - k], build)
    try:
        pickle.dumps(result)
    except Exception:  # noqa: BLE001 - anything unpicklable: run it again in the parent
        return k, _FAILED
    return k, result


def _simple_segment(code: str) -> bool:
    """Whether ``code`` is one plain path segment (item codes are, unless a site's code pattern allows more)."""
    return (bool(code) and code != "." and code != ".." and "/" not in code and "\\" not in code
            and "\0" not in code and os.sep not in code)


def write_asset(output_path: str | Path, asset: Asset) -> Stamp:
    """Write one verbatim file of a contribution into the output folder; returns its stamp."""
    path = sanitised_join(str(output_path), asset.path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return write_stamped(path, asset.data)


def _import_contributor(name: str) -> Any:
    """A feature module named in POWERLIST_CONTRIBUTORS; one that cannot be imported stops the build (a site
    without its search or its history is not a smaller site, it is a wrong one)."""
    if name in MOVED_CONTRIBUTORS:
        raise UsageError(f"feature module {name} (POWERLIST_CONTRIBUTORS) is now {MOVED_CONTRIBUTORS[name]}: "
                         "change the name in POWERLIST_CONTRIBUTORS")
    try:
        return importlib.import_module(name)
    except KeyboardInterrupt:
        raise
    except (Exception, SystemExit) as exc:  # noqa: BLE001 - whatever the module raised
        raise UsageError(f"feature module {name} (POWERLIST_CONTRIBUTORS) cannot be imported: "
                         f"{type(exc).__name__}: {exc}") from None


def _warn(msg: str) -> None:
    log.warning("%s", msg)


def get_generators(pelican: Any) -> type[Generator]:
    return PowerlistGenerator


def register() -> None:
    signals.get_generators.connect(get_generators)


__all__ = ["PowerlistGenerator", "register", "get_generators"]

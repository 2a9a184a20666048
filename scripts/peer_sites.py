"""The same items as Markdown sites for peer generators (Hugo, Pelican), for the peer benchmark (bench_peers).

    .venv/bin/python scripts/peer_sites.py hugo DATA OUT      # OUT/config.toml, content/, themes/minimal/
    .venv/bin/python scripts/peer_sites.py pelican DATA OUT   # OUT/pelicanconf.py, content/
    hugo --quiet --source OUT --destination SITE             # then build it
    .venv/bin/pelican OUT/content -s OUT/pelicanconf.py -o SITE

Every item of the powerlist data folder DATA becomes one Markdown page: title, code, department and category
(the last two as taxonomies) in the front matter; the body holds the item's summary (Markdown as written), its
basis citations as text (《title》第…条) and its responsibilities. No flowcharts, no search, no exports: the site
issue 18 compares powerlist's cold build with. The Hugo site carries its own minimal theme (themes/minimal:
baseof, single, list and taxonomy templates; term pages use the list template), so nothing is downloaded; lists
are paginated at 500 items, as powerlist's category pages are; RSS, sitemap and robots.txt are turned off (the
peers build pages only). Pelican uses its built-in default theme with the same pagination and no feeds.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from powerlist.model.catalog import Catalog
    from powerlist.model.records import Item

PAGE_SIZE = 500
HUGO_THEME = "minimal"

HUGO_TEMPLATES = {
    "baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} - {{ end }}{{ site.Title }}</title></head>
<body>
<header><p><a href="{{ "/" | relURL }}">{{ site.Title }}</a></p>
<nav><a href="{{ "/departments/" | relURL }}">部门</a> · <a href="{{ "/categories/" | relURL }}">权力类别</a>
· <a href="{{ "/items/" | relURL }}">全部事项</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "single.html": """{{ define "main" }}<article>
<p>{{ range .GetTerms "categories" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}
· <code>{{ .Params.code }}</code></p>
<h1>{{ .Title }}</h1>
<p>实施主体：{{ range .GetTerms "departments" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ .Content }}
</article>{{ end }}
""",
    "list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ with .Params.code }} <code>{{ . }}</code>{{ end }}</li>
{{- end }}</ul>
{{ if gt $pager.TotalPages 1 }}<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }}
{{ $pager.PageNumber }} / {{ $pager.TotalPages }}
{{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</nav>{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.LinkTitle }}</a>（{{ .Count }}）</li>
{{- end }}</ul>{{ end }}
""",
}


def hugo_version(text: str) -> tuple[int, int, int] | None:
    """(0, 111, 3) from the output of ``hugo version`` ("hugo v0.111.3+extended linux/amd64 …")."""
    m = re.search(r"\bv(\d+)\.(\d+)\.(\d+)", text)
    return (int(m[1]), int(m[2]), int(m[3])) if m else None


def hugo_config(version: tuple[int, int, int] | None) -> str:
    """config.toml; Hugo 0.128 renamed ``paginate`` to ``[pagination] pagerSize``."""
    new = version is not None and version >= (0, 128, 0)
    return ('baseURL = "/"\n'
            'languageCode = "zh-CN"\n'
            'title = "行政权力清单（Hugo）"\n'
            f'theme = "{HUGO_THEME}"\n'
            "hasCJKLanguage = true\n"
            "disablePathToLower = true\n"
            'disableKinds = ["RSS", "sitemap", "robotsTXT"]\n'
            + ("" if new else f"paginate = {PAGE_SIZE}\n")
            + '[taxonomies]\n  department = "departments"\n  category = "categories"\n'
            + (f"[pagination]\n  pagerSize = {PAGE_SIZE}\n" if new else ""))


def item_body(item: Item, catalog: Catalog) -> str:
    """The Markdown body of an item's page: summary, basis citations as text, responsibilities."""
    from powerlist.model.citation import format_citation

    parts: list[str] = []
    if item.summary:
        parts.append(item.summary.strip())
    if item.basis:
        parts.append("## 实施依据\n\n" + "\n".join(
            f"- {format_citation(c, catalog.laws)}" + (f"（{c.note}）" if c.note else "") for c in item.basis))
    if item.responsibilities:
        lines = []
        for r in item.responsibilities:
            cites = "、".join(format_citation(c, catalog.laws) for c in r.basis)
            lines.append(f"- **{r.stage}**：{r.duty}" + (f"（依据：{cites}）" if cites else ""))
        parts.append("## 责任事项\n\n" + "\n".join(lines))
    return "\n\n".join(parts) + "\n"


def _q(s: str) -> str:
    """A YAML (and TOML) double-quoted string."""
    return json.dumps(s, ensure_ascii=False)


def hugo_page(item: Item, catalog: Catalog) -> str:
    department = catalog.departments[item.department].name
    return (f"---\ntitle: {_q(item.name)}\ncode: {_q(item.code)}\ndepartments: [{_q(department)}]\n"
            f"categories: [{_q(item.category)}]\n---\n\n" + item_body(item, catalog))


def write_hugo_site(catalog: Catalog, out: Path, version: tuple[int, int, int] | None = None) -> int:
    """A Hugo site of every item in ``out`` (which must not exist); returns the number of item pages."""
    out.mkdir(parents=True)
    (out / "config.toml").write_text(hugo_config(version), encoding="utf-8")
    layouts = out / "themes" / HUGO_THEME / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name, text in HUGO_TEMPLATES.items():
        (layouts / name).write_text(text, encoding="utf-8")
    content = out / "content" / "items"
    content.mkdir(parents=True)
    (content / "_index.md").write_text('---\ntitle: "全部事项"\n---\n', encoding="utf-8")
    for item in catalog.items.values():
        (content / f"{item.code}.md").write_text(hugo_page(item, catalog), encoding="utf-8")
    return len(catalog.items)


PELICAN_CONF = f'''"""Pelican settings for the peer benchmark: the same Markdown pages, the default theme, no feeds."""
AUTHOR = "bench"
SITENAME = "行政权力清单（Pelican）"
SITEURL = ""
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
DEFAULT_DATE = (2024, 1, 1)
DEFAULT_PAGINATION = {PAGE_SIZE}
ARTICLE_URL = "items/{{slug}}/"
ARTICLE_SAVE_AS = "items/{{slug}}/index.html"
CATEGORY_URL = "categories/{{slug}}/"
CATEGORY_SAVE_AS = "categories/{{slug}}/index.html"
TAG_URL = "departments/{{slug}}/"
TAG_SAVE_AS = "departments/{{slug}}/index.html"
TAGS_SAVE_AS = "departments/index.html"
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
'''


def pelican_page(item: Item, catalog: Catalog) -> str:
    """Pelican's Markdown metadata header (Key: value lines): the department is the tag."""
    department = catalog.departments[item.department].name
    return (f"Title: {item.name}\nSlug: {item.code}\nCode: {item.code}\nCategory: {item.category}\n"
            f"Tags: {department}\n\n" + item_body(item, catalog))


def write_pelican_site(catalog: Catalog, out: Path) -> int:
    """A Pelican project of every item in ``out`` (which must not exist); returns the number of item pages."""
    out.mkdir(parents=True)
    (out / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    content = out / "content"
    content.mkdir()
    for item in catalog.items.values():
        (content / f"{item.code}.md").write_text(pelican_page(item, catalog), encoding="utf-8")
    return len(catalog.items)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a powerlist data folder's items as a Hugo or Pelican site.")
    ap.add_argument("kind", choices=("hugo", "pelican"))
    ap.add_argument("data", type=Path, help="powerlist data folder (items/, laws/)")
    ap.add_argument("out", type=Path, help="new folder to write the site into")
    ap.add_argument("--hugo-version", default="", help="the output of `hugo version` (default: Hugo < 0.128)")
    args = ap.parse_args(argv)
    if args.out.exists():
        print(f"peer_sites: {args.out} exists; give a new folder", file=sys.stderr)
        return 2
    from powerlist.source.load import load_catalog

    catalog = load_catalog(args.data)
    if args.kind == "hugo":
        n = write_hugo_site(catalog, args.out, hugo_version(args.hugo_version))
    else:
        n = write_pelican_site(catalog, args.out)
    print(f"wrote {n} item pages into {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

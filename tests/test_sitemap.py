"""sitemap.xml and robots.txt: written only for an absolute http(s) SITEURL, every page once, and valid against
the sitemaps.org schema (the XSD the npm package ``sitemap`` ships, a devDependency: nothing is downloaded)."""
from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import unquote

import pytest
from lxml import etree

from powerlist.site.build import build_site
from powerlist.site.pelican import PowerlistGenerator

from site_fixtures import make_data

PROJECT = Path(__file__).resolve().parents[1]
XSD = PROJECT / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE = "https://qingdan.example.gov.cn"
CONTENT_PAGE = """Title: 说明与附录
Slug: 说明&附录

正文。
"""


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    assert XSD.is_file(), "run `make install` (npm devDependency 'sitemap' ships the sitemaps.org XSD)"
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("sitemap")
    content = base / "content"
    content.mkdir()
    (content / "appendix.md").write_text(CONTENT_PAGE, encoding="utf-8")
    return {"data": make_data(base / "data", in_git=False), "content": content}


def build(data: dict[str, Path], out: Path, siteurl: str, **extra: object) -> Path:
    settings = {"SITEURL": siteurl, "PATH": str(data["content"]), **extra}
    build_site(data["data"], out, extra_settings=settings)
    return out


def page_urls(out: Path) -> set[str]:
    """The site-relative URL of every HTML page but 404.html, from the files themselves."""
    urls = set()
    for p in out.rglob("*.html"):
        rel = p.relative_to(out).as_posix()
        if rel != "404.html":
            urls.add(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


def locs(doc: etree._ElementTree) -> list[str]:
    return [el.text for el in doc.iter(f"{NS}loc")]


def test_a_relative_siteurl_writes_no_sitemap_and_says_why(data, tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="powerlist.site.pelican")
    out = build(data, tmp_path / "o", "")
    assert not (out / "sitemap.xml").exists()
    assert (out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert ("sitemap.xml not written: SITEURL '' is not an absolute http(s) URL (set it, e.g. in publishconf.py, "
            "to list the pages for search engines)") in caplog.messages
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "sitemap" in r.getMessage()]


@pytest.mark.parametrize("siteurl", ["/weifang", "qingdan.example.gov.cn", "https://", "ftp://example.org",
                                     "//qingdan.example.gov.cn"])
def test_no_sitemap_without_an_absolute_http_siteurl(data, tmp_path, siteurl):
    out = build(data, tmp_path / "o", siteurl, POWERLIST_CONTRIBUTORS=())
    assert not (out / "sitemap.xml").exists()
    assert "Sitemap:" not in (out / "robots.txt").read_text(encoding="utf-8")


def test_an_absolute_siteurl_lists_every_page_once_and_the_schema_accepts_it(data, tmp_path, schema):
    out = build(data, tmp_path / "o", SITE + "/")  # a trailing slash gives no '//' in the addresses
    doc = etree.parse(str(out / "sitemap.xml"))
    schema.assertValid(doc)
    found = locs(doc)
    assert len(found) == len(set(found))
    assert all(u.startswith(SITE + "/") and "//" not in u[len("https://"):] for u in found)
    pages = page_urls(out)
    assert {unquote(u[len(SITE) + 1:]) for u in found} == pages
    assert {"", "items/370700-XK-00001/", "search/", "changes/", "downloads/", "说明&附录/"} <= pages
    # a path is percent-encoded (RFC 3986), then XML-escaped
    assert f"{SITE}/%E8%AF%B4%E6%98%8E%26%E9%99%84%E5%BD%95/" in found
    assert (out / "robots.txt").read_text(encoding="utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE}/sitemap.xml\n")
    assert b"<lastmod>" not in (out / "sitemap.xml").read_bytes()


def test_the_schema_rejects_what_the_old_sitemap_held(schema):
    """The check can fail: relative and empty <loc> values, as the default build used to write them."""
    old = (b'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
           b"<url><loc></loc></url>\n<url><loc>items/370700-XK-00001/</loc></url>\n</urlset>\n")
    assert not schema.validate(etree.fromstring(old))


def test_a_large_site_gets_a_sitemap_index(data, tmp_path, schema, monkeypatch):
    monkeypatch.setattr(PowerlistGenerator, "SITEMAP_MAX_URLS", 7)
    out = build(data, tmp_path / "o", SITE, POWERLIST_CONTRIBUTORS=())
    index = etree.parse(str(out / "sitemap.xml"))
    assert index.getroot().tag == f"{NS}sitemapindex"
    parts = locs(index)
    pages = page_urls(out)
    assert len(parts) == -(-len(pages) // 7) >= 2
    assert parts == [f"{SITE}/sitemap-{k}.xml" for k in range(1, len(parts) + 1)]
    found: list[str] = []
    for k in range(1, len(parts) + 1):
        doc = etree.parse(str(out / f"sitemap-{k}.xml"))
        schema.assertValid(doc)
        assert len(locs(doc)) <= 7
        found += locs(doc)
    assert len(found) == len(set(found)) and {unquote(u[len(SITE) + 1:]) for u in found} == pages

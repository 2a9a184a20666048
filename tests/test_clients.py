"""Real clients read what the build writes: openpyxl and pandas open the workbooks, the sitemaps.org schema
accepts the sitemap, and the W3C Nu HTML checker (npm ``vnu-jar``, run with Java) finds no error on any page.

Two sites: the repository's sample data (as published, absolute SITEURL) and the mini fixture with text that
clients choke on (U+FFFF, controls, ``_xHHHH_`` look-alikes, 140,000-character remarks, a department name
whose 31st character is an apostrophe, code spans with ``<``). The validator rejects some of that text; the
hostile catalog is made in memory past it (``build_site(catalog=…)``), so the writers are tested on their
own. One JVM checks every page of both sites, and a page it must reject, at once.
"""
from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from powerlist.exchange.columns import EXPORT_HEADERS
from powerlist.exchange.export import CUT_MARK, XLSX_CELL_MAX
from powerlist.exchange.xlsx import xstring
from powerlist.site.build import build_site
from powerlist.site.render import HTML_FORBIDDEN
from powerlist.source.load import load_catalog

from hostile_text import APOSTROPHE_DEPARTMENT, LONG_REMARKS, NASTY, decode_xstring, with_fields
from site_fixtures import make_data

pytestmark = pytest.mark.slow

PROJECT = Path(__file__).resolve().parents[1]
VNU = PROJECT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
XSD = PROJECT / "node_modules" / "sitemap" / "schema" / "sitemap.xsd"
SITE = "https://qingdan.example.gov.cn"
HOSTILE_ITEM = "370700-XK-00001"     # has a flow (flowchart SVG), a summary, citations
HOSTILE_DEPARTMENT = "370702-zjj"
SUMMARY = "用 `a<b && c>d` 表示；" + NASTY + "\n\n    if a < b:\n        pass"

#: Nu checker messages that are not errors of ours, each with why it is allowed. Everything else it reports
#: (errors, and warnings not listed here) fails the test.
ALLOWED_WARNINGS: dict[str, str] = {
    "This document appears to be written in": (
        "language detection guesses from the text; the 数据下载 page is mostly file names, sizes and SHA-256 "
        "hashes, which it takes for Norwegian. The page is Chinese and says so (lang=zh-CN)."),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("clients")
    sample = base / "sample"
    build_site(PROJECT, sample, settings_file=PROJECT / "publishconf.py", extra_settings={"SITEURL": SITE})
    data = make_data(base / "data")
    cat = load_catalog(data)
    item = cat.items[HOSTILE_ITEM]
    flow = tuple(dataclasses.replace(s, name=s.name + NASTY) for s in item.flow)
    hostile_cat = with_fields(
        cat,
        items={HOSTILE_ITEM: {"name": "许可" + NASTY, "summary": SUMMARY, "remarks": NASTY, "flow": flow},
               "370702-CF-00001": {"remarks": LONG_REMARKS}},
        departments={HOSTILE_DEPARTMENT: {"name": APOSTROPHE_DEPARTMENT}},
        laws={"jianzhufa": {"title": "建筑法" + NASTY}})
    hostile = base / "hostile"
    build_site(data, hostile, catalog=hostile_cat)
    return {"sample": sample, "hostile": hostile}


# ---- spreadsheets: openpyxl and pandas

def test_openpyxl_and_pandas_read_every_row_of_the_hostile_workbooks(sites):
    from openpyxl import load_workbook
    import pandas as pd

    out = sites["hostile"]
    for path, sheets in ((out / "data" / "items.xlsx", ["总览", "潍坊市住房和城乡建设局", "潍" * 30]),
                         (out / "data" / "departments" / f"{HOSTILE_DEPARTMENT}.xlsx", ["潍" * 30])):
        wb = load_workbook(path)
        assert wb.sheetnames == sheets
        frames = pd.read_excel(path, sheet_name=None, dtype=str)
        assert list(frames) == sheets
        if sheets[0] == "总览":
            ws = wb["潍坊市住房和城乡建设局"]
            row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == HOSTILE_ITEM)
            assert row[2] == xstring("许可" + NASTY) and decode_xstring(row[2]) == "许可" + NASTY
            remarks = EXPORT_HEADERS.index("备注")
            assert row[remarks] == xstring(NASTY) and row[remarks - 1] == xstring(SUMMARY)
            df = frames["潍坊市住房和城乡建设局"].set_index("事项编码")
            assert decode_xstring(df.loc[HOSTILE_ITEM, "备注"]) == NASTY
            assert list(df.index) == [it for it in df.index if it.startswith("370700-")] and len(df) == 4
        long = frames["潍" * 30].set_index("事项编码").loc["370702-CF-00001", "备注"]
        assert len(long) == XLSX_CELL_MAX and long.endswith(CUT_MARK)
    assert LONG_REMARKS in (out / "data" / "items.csv").read_text(encoding="utf-8-sig")
    api = json.loads((out / "api" / "items" / "370702-CF-00001.json").read_text(encoding="utf-8"))
    assert api["item"]["remarks"] == LONG_REMARKS


def test_pandas_reads_the_sample_workbook_like_the_csv(sites):
    import pandas as pd

    out = sites["sample"]
    book = pd.read_excel(out / "data" / "items.xlsx", sheet_name=None, dtype=str, keep_default_na=False)
    rows = pd.concat([df for name, df in book.items() if name != "总览"], ignore_index=True)
    table = pd.read_csv(out / "data" / "items.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(rows) == len(table) == len(load_catalog(PROJECT).items)
    by_code = rows.drop(columns="序号").set_index("事项编码").sort_index()
    assert by_code.equals(table.drop(columns="序号").set_index("事项编码").sort_index())


# ---- the sitemap

def test_the_published_sample_sitemap_is_valid_and_complete(sites):
    assert XSD.is_file(), "run `make install` (npm devDependency 'sitemap' ships the sitemaps.org XSD)"
    out = sites["sample"]
    doc = etree.parse(str(out / "sitemap.xml"))
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(doc)
    locs = [el.text for el in doc.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    pages = {p.relative_to(out).as_posix() for p in out.rglob("*.html")} - {"404.html"}
    assert sorted(locs) == sorted(f"{SITE}/{p[:-len('index.html')] if p.endswith('index.html') else p}"
                                  for p in pages)
    assert not (sites["hostile"] / "sitemap.xml").exists()  # default settings: no absolute SITEURL


# ---- HTML: the W3C Nu checker

def _java() -> str:
    java = shutil.which("java")
    if java is None:
        if os.environ.get("CI"):
            pytest.fail("java is required in CI for the Nu HTML checker (.ci/run installs default-jre-headless)")
        pytest.skip("java is not installed (apt-get install default-jre-headless) to run the Nu HTML checker")
    assert VNU.is_file(), "run `make install` (npm devDependency vnu-jar ships vnu.jar)"
    return java


def test_every_page_passes_the_nu_html_checker(sites, tmp_path):
    java = _java()
    files: list[Path] = []
    for out in sites.values():
        files += sorted(out.rglob("*.html"))
    files += sorted((sites["sample"] / "theme").rglob("*.css"))
    sample = sites["sample"]
    kinds = ["index.html", "404.html", "stats/index.html", "search/index.html", "changes/index.html",
             "downloads/index.html", "about/index.html", "departments/index.html", "categories/index.html",
             "laws/index.html", "departments/370700-zjj/index.html", "categories/xk/index.html",
             "laws/xingzheng-xukefa/index.html", "items/370700-XK-00501/index.html"]
    assert all(sample / k in files for k in kinds), [k for k in kinds if sample / k not in files]
    assert "<svg" in (sample / "items/370700-XK-00501/index.html").read_text(encoding="utf-8")  # a flowchart
    hostile_page = (sites["hostile"] / "items" / HOSTILE_ITEM / "index.html").read_text(encoding="utf-8")
    assert "<svg" in hostile_page and "\ufffd" in hostile_page and not HTML_FORBIDDEN.search(hostile_page)
    assert "<code>a&lt;b &amp;&amp; c&gt;d</code>" in hostile_page
    # and a page the checker must fail, in the same run: what html_chars replaces is an error to it
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>t</title></head>'
                   "<body><p>坏\uffff字\x01</p></body></html>", encoding="utf-8")

    proc = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--stdout", "--exit-zero-always",
                           "--also-check-css", str(bad), *map(str, files)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    messages = json.loads(proc.stdout)["messages"]
    bad_url = f"file:{bad}"  # as the checker writes it
    assert [m["message"] for m in messages if m.get("url") == bad_url and m["type"] == "error"] == [
        "Forbidden code point U+ffff.", "Forbidden code point U+0001."]
    problems = [f"{m.get('url', '')}:{m.get('lastLine', '')}: {m.get('type')}/{m.get('subType', '')}: "
                f"{m.get('message')}" for m in messages if m.get("url") != bad_url and (
                    m.get("type") in ("error", "non-document-error")
                    or (m.get("type") == "info" and m.get("subType") == "warning"
                        and not any(m.get("message", "").startswith(w) for w in ALLOWED_WARNINGS)))]
    assert problems == [], "\n".join(problems[:40])
    assert len(files) > 150

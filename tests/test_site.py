"""Whole-site tests on the mini fixture: pages, exact listings, links, determinism, all-or-nothing builds."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from powerlist.model.catalog import Catalog
from powerlist.model.citation import format_citation
from powerlist.model.errors import InvalidData
from powerlist.site.build import build_site, check_output
from powerlist.source.load import load_catalog

from site_fixtures import XSS_NAME, make_data
from site_html import Node, broken_links, item_codes, parse_file

REPO = "https://git.example.org/weifang/powerlist"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("site")
    data = make_data(base / "data")
    # Only this generator's own pages here (features' contributions are covered by test_site_sample.py).
    extra = {"POWERLIST_REPO_URL": REPO, "POWERLIST_REPO_BRANCH": "main", "POWERLIST_CONTRIBUTORS": ()}
    out = base / "out"
    result = build_site(data, out, extra_settings=extra)
    out2 = base / "out2"
    build_site(data, out2, extra_settings=extra)
    return {"data": data, "out": out, "out2": out2, "result": result, "catalog": load_catalog(data), "base": base}


def page(out: Path, url: str) -> Node:
    return parse_file(out / url / "index.html")


main_item_codes = item_codes


def test_every_item_page_has_its_fields_citations_and_flow(site):
    cat: Catalog = site["catalog"]
    out: Path = site["out"]
    for code, item in cat.items.items():
        doc = page(out, f"items/{code}")
        h1 = doc.find("h1")
        assert h1 is not None and h1.text().strip() == item.name
        assert doc.find("html").attrs["lang"] == "zh-CN"
        cites = [a for a in doc.find_all("a", class_="cite")]
        texts = {a.text() for a in cites}
        for c in item.basis:
            assert format_citation(c, cat.laws) in texts
        for a in cites:
            path, _, frag = a.attrs["href"].partition("#")
            assert frag.startswith("art-")
            target = (out / "items" / code / path / "index.html").resolve()
            assert parse_file(target).by_id(frag) is not None, f"{code}: {a.attrs['href']} has no anchor"
        if item.flow:
            assert doc.find("svg") is not None, f"{code}: no flowchart"
            steps = doc.find("ol", class_="flow-steps")
            assert steps is not None and len(list(steps.find_all("li", id=""))) >= 0
            names = [li.find("strong").text() for li in steps.children if not isinstance(li, str)]
            assert names == [s.name for s in item.flow]
        if item.status != "保留":
            banner = doc.find("div", class_="status-banner")
            assert banner is not None and item.decision is not None
            assert item.decision.document in banner.text()
        ld = doc.find("script", type="application/ld+json")
        data = json.loads(ld.text())
        assert data["@type"] == "GovernmentService" and data["identifier"] == code
        assert all(x["@type"] == "Legislation" for x in data["subjectOf"])


def test_item_page_details(site):
    doc = page(site["out"], "items/370700-XK-00001")
    text = doc.find("main").text()
    for needle in ("建筑市场监管科", "15日", "3个工作日", "受理责任", "对符合法定条件的申请不予受理的", "降低标准审查",
                   "0536-1234567", "0536-0000002", "不收费", "示例数据"):
        assert needle in text, needle
    assert "《中华人民共和国行政许可法》第十二条第一款第（二）项" in text
    sub = doc.find("h2", id="children-title")
    assert sub is not None
    assert "370700-XK-00001-001" in main_item_codes(doc)
    edit = [a for a in doc.iter("a") if a.attrs.get("href", "").startswith(REPO)]
    assert edit and edit[0].attrs["href"] == f"{REPO}/blob/main/items/370700-zjj/370700-XK-00001.yaml"
    footer = doc.find("footer")
    commit = site["result"].commit
    assert commit and commit[:10] in footer.text()
    assert any(a.attrs.get("href") == f"{REPO}/commit/{commit}" for a in footer.iter("a"))
    child = page(site["out"], "items/370700-XK-00001-001")
    assert "370700-XK-00001" in main_item_codes(child)  # link to the main item


def test_department_pages_list_exactly_their_items(site):
    cat: Catalog = site["catalog"]
    for dep_id, items in cat.by_department.items():
        doc = page(site["out"], f"departments/{dep_id}")
        assert sorted(set(main_item_codes(doc))) == sorted(i.code for i in items)


def test_department_status_sections_are_separate(site):
    doc = page(site["out"], "departments/370700-zjj")
    sections = list(doc.find_all("section", class_="status-section"))
    listed = {code for s in sections for code in main_item_codes(s)}
    assert listed == {"370700-CF-00001", "370700-ZS-00001"}
    active = doc.find("h2", id="active-title")
    assert active is not None
    headings = " ".join(s.find("h2").text() for s in sections)
    assert "已取消的事项" in headings and "已下放的事项" in headings


def test_category_pages_list_exactly_their_items(site):
    cat: Catalog = site["catalog"]
    for name, letters in cat.settings.categories:
        doc = page(site["out"], f"categories/{letters.lower()}")
        assert sorted(set(main_item_codes(doc))) == sorted(i.code for i in cat.by_category.get(name, []))


def test_paginate_groups_splits_and_continues_groups() -> None:
    from powerlist.model.records import Department
    from powerlist.site.pelican import paginate_groups

    def dep(i: str) -> Department:
        return Department(id=i, name=i, region="370700", region_name="潍坊市", level="市级")

    a, b, c = dep("a"), dep("b"), dep("c")
    items = {d.id: [object()] * n for d, n in ((a, 3), (b, 1), (c, 4))}
    pages = paginate_groups([(a, items["a"]), (b, items["b"]), (c, items["c"])], 3, "categories/xk/")
    shape = [[(d.id, len(lst), cont, more, total) for d, lst, cont, more, total in p["groups"]] for p in pages]
    assert shape == [[("a", 3, False, False, 3)],
                     [("b", 1, False, False, 1), ("c", 2, False, True, 4)],
                     [("c", 2, True, False, 4)]]
    assert [p["pagination"]["number"] for p in pages] == [1, 2, 3]
    assert pages[0]["pagination"]["prev_url"] == "" and pages[0]["pagination"]["next_url"] == "categories/xk/page/2/"
    assert pages[2]["pagination"]["prev_url"] == "categories/xk/page/2/" and pages[2]["pagination"]["next_url"] == ""
    assert pages[1]["department_index"] == [(a, 3, "categories/xk/#dep-a"), (b, 1, "categories/xk/page/2/#dep-b"),
                                            (c, 4, "categories/xk/page/2/#dep-c")]
    assert paginate_groups([], 3, "categories/xk/")[0]["groups"] == []


def test_large_categories_are_paginated(site, tmp_path):
    """With 1 item per page every category page lists at most 1 item, the pages chain by prev/next links,
    together they list exactly the category's items, and every link resolves."""
    cat: Catalog = site["catalog"]
    out = tmp_path / "out"
    build_site(site["data"], out, extra_settings={"POWERLIST_CONTRIBUTORS": (), "POWERLIST_CATEGORY_PAGE_SIZE": 1})
    paginated = 0
    for name, letters in cat.settings.categories:
        url: str | None = f"categories/{letters.lower()}/"
        listed: list[str] = []
        number = 0
        while url:
            number += 1
            doc = parse_file(out / url / "index.html")
            main = doc.find("main")
            codes = [c for s in main.find_all("section") for c in main_item_codes(s)]
            assert len(set(codes)) <= 1
            listed += sorted(set(codes))
            nxt = [a for a in main.find_all("a") if a.attrs.get("rel") == "next"]
            if number > 1:
                assert f"第 {number} 页" in doc.find("title").text()
                paginated += 1
            url = (Path(url) / nxt[0].attrs["href"]).as_posix() + "/" if nxt else None
            if url:
                url = os.path.normpath(url).replace(os.sep, "/") + "/"
        assert sorted(listed) == sorted(i.code for i in cat.by_category.get(name, []))
    assert paginated > 0
    assert broken_links(out) == []
    assert check_output(cat, out) == []
    page2 = next(out.glob("categories/*/page/2/index.html"))
    page2.write_text(page2.read_text(encoding="utf-8").replace("/items/", "/x/"), encoding="utf-8")
    assert any("missing from its category page" in p.message for p in check_output(cat, out))


def test_law_pages_reverse_index(site):
    cat: Catalog = site["catalog"]
    for law_id, law in cat.laws.items():
        doc = page(site["out"], f"laws/{law_id}")
        assert law.title in doc.find("h1").text()
        for article, items in cat.citing[law_id].items():
            art = doc.by_id(f"art-{article}")
            assert art is not None
            assert sorted(set(main_item_codes(art))) == sorted(i.code for i in items)
            if article in law.articles:
                assert law.articles[article][:20] in art.text()


def test_home_and_stats(site):
    cat: Catalog = site["catalog"]
    home = page(site["out"], ".")
    forms = list(home.find_all("form", role="search"))
    assert len(forms) == 2 and all(f.attrs["action"].endswith("search/") for f in forms)
    assert all(f.find("input", name="q") is not None for f in forms)
    assert str(len(cat.items)) in home.find("ul", class_="totals").text()
    stats = page(site["out"], "stats")
    table = stats.find("table", class_="matrix")
    total_row = table.find("tfoot").find_all("td")
    assert [td.text() for td in total_row][-1] == str(len(cat.items))


def test_hostile_text_is_escaped(site):
    raw = (site["out"] / "items" / "370702-QT-00001" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw
    assert "<img" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw  # shown as text
    doc = page(site["out"], "items/370702-QT-00001")
    assert doc.find("h1").text() == XSS_NAME
    scripts = list(doc.iter("script"))
    assert [s.attrs.get("type") for s in scripts] == ["application/ld+json"]
    assert not any(k.startswith("on") for n in doc.iter() for k in n.attrs)
    assert not any(v.strip().lower().startswith("javascript:") for n in doc.iter() for v in n.attrs.values())
    assert "[点我]" not in doc.find("main").text() and "点我" in doc.find("main").text()


def test_every_internal_link_resolves(site):
    assert broken_links(site["out"]) == []


def test_sitemap_and_robots(site):
    out: Path = site["out"]
    # the default settings have no absolute SITEURL: no sitemap (its addresses must be absolute, see
    # test_sitemap.py), and robots.txt names none
    assert not (out / "sitemap.xml").exists()
    assert (out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    assert (out / "404.html").is_file()


PROJECT = Path(__file__).resolve().parents[1]


def tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(site):
    a, b = tree_hashes(site["out"]), tree_hashes(site["out2"])
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_completeness_check_finds_dropped_items(site, tmp_path):
    import shutil
    out = tmp_path / "copy"
    shutil.copytree(site["out"], out)
    dep = out / "departments" / "370700-zjj" / "index.html"
    dep.write_text(dep.read_text(encoding="utf-8").replace("items/370700-XK-00001/", "x/"), encoding="utf-8")
    (out / "items" / "370702-CF-00001" / "index.html").unlink()
    msgs = [p.message for p in check_output(site["catalog"], out)]
    assert "item 370700-XK-00001 is missing from its department page" in msgs
    assert "item page items/370702-CF-00001/ was not written" in msgs
    assert check_output(site["catalog"], site["out"]) == []


def test_failed_build_keeps_previous_output(site, tmp_path):
    import shutil
    data = tmp_path / "data"
    shutil.copytree(site["data"], data, ignore=shutil.ignore_patterns(".git"))
    out = tmp_path / "out"
    shutil.copytree(site["out"], out)
    before = tree_hashes(out)
    bad = data / "items" / "370700-zjj" / "370700-XK-00001.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("article: 7", "article: 9999")
                   .replace("status: 保留", "status: 作废"), encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        build_site(data, out)
    assert len(err.value.problems) >= 2
    assert tree_hashes(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out-")] == []


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "powerlist.cli", *args], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(PROJECT)})


def own_settings(tmp_path: Path) -> str:
    """The project's settings with no feature contributions (this file tests the site generator alone)."""
    conf = tmp_path / "conf.py"
    conf.write_text(f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                    f"PATH = {str(PROJECT / 'content')!r}\nTHEME = {str(PROJECT / 'theme')!r}\n"
                    "POWERLIST_CONTRIBUTORS = ()\n", encoding="utf-8")
    return str(conf)


def test_cli_build_exit_codes(site, tmp_path):
    import shutil
    conf = own_settings(tmp_path)
    ok = run_cli("build", str(site["data"]), "-o", str(tmp_path / "o"), "--settings", conf, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "o" / "items" / "370700-XK-00001" / "index.html").is_file()
    data = tmp_path / "bad"
    shutil.copytree(site["data"], data, ignore=shutil.ignore_patterns(".git"))
    (data / "items" / "370700-zjj" / "370700-ZS-00001.yaml").write_text("code: 370700-ZS-00001\nname: x\n",
                                                                       encoding="utf-8")
    bad = run_cli("build", str(data), "-o", str(tmp_path / "o"), "--settings", conf, cwd=tmp_path)
    assert bad.returncode == 1
    assert "370700-ZS-00001.yaml" in bad.stderr + bad.stdout
    assert "Traceback" not in bad.stderr
    assert (tmp_path / "o" / "items" / "370700-XK-00001" / "index.html").is_file()


def test_parallel_item_pages_are_identical_to_serial(site, tmp_path):
    extra = {"POWERLIST_REPO_URL": REPO, "POWERLIST_REPO_BRANCH": "main", "POWERLIST_CONTRIBUTORS": (),
             "POWERLIST_JOBS": 2, "POWERLIST_JOBS_MIN_ITEMS": 1}
    build_site(site["data"], tmp_path / "par", extra_settings=extra)
    assert tree_hashes(tmp_path / "par") == tree_hashes(site["out"])


def test_rebuild_replaces_output_and_cleans_up(site, tmp_path):
    """A page of an earlier build that the data no longer has (listed in that build's manifest) goes."""
    import shutil
    out = tmp_path / "o"
    shutil.copytree(site["out"], out)
    (out / "stale.html").write_text("old", encoding="utf-8")
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    doc["files"]["stale.html"] = hashlib.sha256(b"old").hexdigest()
    (out / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    extra = {"POWERLIST_REPO_URL": REPO, "POWERLIST_REPO_BRANCH": "main", "POWERLIST_CONTRIBUTORS": ()}
    build_site(site["data"], out, extra_settings=extra, background_delete=False)
    assert not (out / "stale.html").exists()
    assert tree_hashes(out) == tree_hashes(site["out"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_publish_settings_make_absolute_urls(site, tmp_path):
    out = tmp_path / "pub"
    build_site(site["data"], out, settings_file=PROJECT / "publishconf.py",
               extra_settings={"SITEURL": "https://qingdan.example.gov.cn", "POWERLIST_CONTRIBUTORS": ()})
    doc = page(out, "items/370700-XK-00001")
    css = [n.attrs["href"] for n in doc.iter("link") if n.attrs.get("rel") == "stylesheet"]
    assert css and all(h.startswith("https://qingdan.example.gov.cn/theme/css/") for h in css)
    ld = json.loads(doc.find("script", type="application/ld+json").text())
    assert ld["url"] == "https://qingdan.example.gov.cn/items/370700-XK-00001/"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://qingdan.example.gov.cn/items/370700-XK-00001/</loc>" in sitemap
    assert "Sitemap: https://qingdan.example.gov.cn/sitemap.xml" in (out / "robots.txt").read_text()


def test_a_broken_content_page_fails_the_build(site, tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    (content / "broken.md").write_text("没有标题的页面\n", encoding="utf-8")
    out = tmp_path / "o"
    with pytest.raises(InvalidData) as err:
        build_site(site["data"], out, extra_settings={"PATH": str(content), "POWERLIST_CONTRIBUTORS": ()})
    assert any("broken.md" in p.message for p in err.value.problems)
    assert not out.exists()


def test_build_leaves_the_collector_as_it_found_it(site, tmp_path):
    """The build keeps the catalog out of the cyclic collector's scans while it runs, and no longer."""
    import gc

    extra = {"POWERLIST_CONTRIBUTORS": ()}
    gc.unfreeze()
    build_site(site["data"], tmp_path / "a", extra_settings=extra)
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        build_site(site["data"], tmp_path / "b", extra_settings=extra)
        assert gc.get_freeze_count() > 0      # the caller's own freeze stays
    finally:
        gc.unfreeze()


def test_a_template_error_while_workers_render_stops_them_and_keeps_the_output(site, tmp_path):
    """In a parallel build the workers are already rendering item pages when the parent writes the other pages;
    a template error there ends the build cleanly: a clear error, no worker left, the old output untouched."""
    import multiprocessing
    import shutil

    from powerlist.model.errors import PowerlistError

    theme = tmp_path / "theme"
    shutil.copytree(PROJECT / "theme", theme)
    dep = theme / "templates" / "department.html"
    dep.write_text(dep.read_text(encoding="utf-8").replace("<h1>", "{{ no_such_function() }}<h1>", 1),
                   encoding="utf-8")
    out = tmp_path / "o"
    shutil.copytree(site["out"], out)
    before = tree_hashes(out)
    extra = {"THEME": str(theme), "POWERLIST_CONTRIBUTORS": (), "POWERLIST_JOBS": 2, "POWERLIST_JOBS_MIN_ITEMS": 1}
    with pytest.raises(PowerlistError, match="site template error"):
        build_site(site["data"], out, extra_settings=extra)
    assert multiprocessing.active_children() == []
    assert tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o", "theme"]


@pytest.mark.parametrize("name, value", [("POWERLIST_CATEGORY_PAGE_SIZE", "abc"), ("POWERLIST_CATEGORY_PAGE_SIZE", 0),
                                         ("POWERLIST_JOBS", -1), ("POWERLIST_JOBS", True),
                                         ("POWERLIST_JOBS_MIN_ITEMS", "many"),
                                         ("POWERLIST_CHANGES_PER_PAGE", "ten"), ("POWERLIST_FEED_COMMITS", 2.5)])
def test_a_bad_number_setting_is_a_clear_error_and_keeps_the_output(site, tmp_path, name, value):
    import shutil

    from powerlist.model.errors import UsageError

    out = tmp_path / "o"
    shutil.copytree(site["out"], out)
    before = tree_hashes(out)
    with pytest.raises(UsageError, match=f"setting {name} must be a whole number"):
        build_site(site["data"], out, extra_settings={name: value})
    assert tree_hashes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_int_setting_reads_whole_numbers_and_defaults() -> None:
    from powerlist.model.settings import int_setting

    assert int_setting({}, "X", 7) == 7
    assert int_setting({"X": None}, "X", 7) == 7
    assert int_setting({"X": 3}, "X", 7) == 3
    assert int_setting({"X": " 12 "}, "X", 7) == 12
    assert int_setting({"X": 0}, "X", 7, minimum=0) == 0


@pytest.mark.parametrize("code", ["370700-XK-00001", "370700-XK-00001-002", "a b", "x..y", "甲-1"])
def test_item_page_paths_without_path_arithmetic_are_pelicans(code, tmp_path):
    from pelican.utils import sanitised_join

    from powerlist.output.urls import ITEM_URL
    from powerlist.site.pelican import _simple_segment

    assert _simple_segment(code)
    items_dir = sanitised_join(str(tmp_path), ITEM_URL.split("{")[0])
    assert f"{items_dir}/{code}/index.html" == sanitised_join(str(tmp_path), ITEM_URL.format(code=code) + "index.html")


@pytest.mark.parametrize("code", ["", ".", "..", "a/b", "../x", "a\\b", "a\0b"])
def test_codes_that_are_not_one_segment_take_pelicans_checked_join(code):
    from powerlist.site.pelican import _simple_segment

    assert not _simple_segment(code)


def test_content_pages_go_through_html_chars_too(site, tmp_path):
    """Pelican renders content/*.md with its own environment: the build gives it the html_chars filter, so a
    code point HTML forbids in an editor's page becomes U+FFFD there as on the catalog's pages."""
    import shutil
    content = tmp_path / "content"
    shutil.copytree(PROJECT / "content", content)
    (content / "odd.md").write_text("Title: 说明\nSlug: odd\n\n甲\ufdd0乙\n", encoding="utf-8")
    out = tmp_path / "o"
    build_site(site["data"], out, extra_settings={"PATH": str(content), "POWERLIST_CONTRIBUTORS": ()})
    html = next(out.rglob("odd*.html")) if not (out / "odd" / "index.html").exists() else out / "odd" / "index.html"
    text = html.read_text(encoding="utf-8")
    assert "甲\ufffd乙" in text and "\ufdd0" not in text

"""The search page in headless Chromium on the built sample site: typing, URL state, filters, back button,
hostile input, and agreement with the Python engine on the same index."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
from pathlib import Path
from typing import Any, Iterator

import pytest

from powerlist.search.query import SearchIndex
from powerlist.site.build import build_site
from search_helpers import ROOT
from site_fixtures import XSS_NAME, make_data

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.slow]
if not Path(CHROMIUM).exists() and not os.environ.get("CI"):
    pytestmark.append(pytest.mark.skip(reason="Debian chromium is not installed"))

HOSTILE = [":", "~", "^", "*", "+", "-", "a:b~c^d*e+f-g", '"施工"', "'", "施工" * 1000, "😀😀", "   ",
           "，。、；：？！「」", "<script>alert(1)</script>", "name:施工", "施工~2", "+许可 -施工", "%", "\\"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    if not (ROOT / "items").is_dir():
        pytest.skip("no sample data")
    out = tmp_path_factory.mktemp("site") / "out"
    build_site(ROOT, out)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", out
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context()
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    pg.errors = errors
    yield pg
    ctx.close()
    assert not errors, errors


def wait_done(pg: Any) -> None:
    pg.wait_for_selector("#search-app[data-state=done]", timeout=15000)


def results(pg: Any) -> list[str]:
    hrefs = pg.eval_on_selector_all("#search-results a", "els => els.map(e => e.getAttribute('href'))")
    return [re.search(r"items/([^/]+)/$", h).group(1) for h in hrefs]  # type: ignore[union-attr]


def count(pg: Any) -> int:
    m = re.search(r"找到 (\d+) 项", pg.inner_text("#search-message"))
    return int(m.group(1)) if m else 0


def test_query_from_url_matches_python(site: tuple[str, Path], page: Any) -> None:
    base, out = site
    idx = SearchIndex(out / "search")
    for q in ["施工许可", "公安", "行政处罚", "行政许可法", "局", "公安 许可"]:
        page.goto(base + "search/?q=" + q)
        wait_done(page)
        want = idx.search(q)
        assert want, q
        assert count(page) == len(want), q
        assert results(page) == want[:20], q


def test_header_form_from_home_page(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base)
    page.fill("#q-header", "施工许可")
    page.press("#q-header", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    wait_done(page)
    names = page.inner_text("#search-results")
    assert "施工许可" in names
    assert page.eval_on_selector_all("#search-results mark", "els => els.map(e => e.textContent)")


def test_typing_filters_url_and_back_button(site: tuple[str, Path], page: Any) -> None:
    base, out = site
    page.goto(base + "search/")
    wait_done(page)
    page.fill("#search-q", "许可")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"q=%E8%AE%B8%E5%8F%AF"))
    wait_done(page)
    total = count(page)
    assert total == len(SearchIndex(out / "search").search("许可"))
    options = page.eval_on_selector_all("#search-dept option", "els => els.map(e => e.value)")
    assert len(options) >= 2
    page.select_option("#search-dept", options[1])
    page.wait_for_url(re.compile(r"dept="))
    wait_done(page)
    assert "筛选后" in page.inner_text("#search-message")
    filtered = results(page)
    assert filtered and len(filtered) <= total
    page.go_back()
    page.wait_for_url(re.compile(r"^(?!.*dept=)"))
    wait_done(page)
    assert page.input_value("#search-q") == "许可"
    assert count(page) == total and "筛选后" not in page.inner_text("#search-message")
    # the result list is announced to screen readers
    assert page.get_attribute("#search-message", "aria-live") == "polite"


def test_keyboard_only(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base + "search/")
    wait_done(page)
    page.focus("#search-q")
    page.keyboard.type("公安")
    page.keyboard.press("Enter")
    wait_done(page)
    assert results(page)
    page.keyboard.press("Tab")  # to the search button, then the filters: all reachable
    assert page.evaluate("document.activeElement.tagName") in ("BUTTON", "SELECT")


def test_hostile_queries(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base + "search/")
    wait_done(page)
    for q in HOSTILE:
        page.fill("#search-q", q)
        page.press("#search-q", "Enter")
        wait_done(page)
        msg = page.inner_text("#search-message")
        assert msg and "失败" not in msg, (q, msg)
    page.goto(base + "search/?q=" + "%E6%96%BD" * 2000)  # 2,000 characters in the URL
    wait_done(page)
    assert "查询过长" in page.inner_text("#search-message")


def test_without_javascript_links_to_lists(site: tuple[str, Path], browser: Any) -> None:
    base, _ = site
    ctx = browser.new_context(java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(base + "search/?q=公安")
    html = pg.content()
    ctx.close()
    assert "<noscript>" in html and "departments/" in html and "categories/" in html


def test_hostile_item_name_is_text(tmp_path_factory: pytest.TempPathFactory, browser: Any) -> None:
    data = make_data(tmp_path_factory.mktemp("x") / "data", in_git=False)
    out = tmp_path_factory.mktemp("xo") / "out"
    build_site(data, out)
    handler = functools.partial(_Quiet, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        ctx = browser.new_context()
        pg = ctx.new_page()
        dialogs: list[str] = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        pg.goto(f"http://127.0.0.1:{server.server_address[1]}/search/?q=测试事项")
        wait_done(pg)
        assert XSS_NAME in pg.inner_text("#search-results")
        assert pg.eval_on_selector_all("#search-results script, #search-results img", "els => els.length") == 0
        assert not dialogs
        ctx.close()
    finally:
        server.shutdown()
        server.server_close()
        shutil.rmtree(out, ignore_errors=True)


def test_results_stream_in_as_display_blocks_arrive(site: tuple[str, Path], page: Any) -> None:
    """With the display blocks held back, the result list already shows one busy placeholder per result (in
    rank order); each is filled in when its block arrives, and the final list equals the Python engine's."""
    base, out = site
    held: list[Any] = []
    page.route(re.compile(r"/search/d/\d+\.json$"), lambda route: held.append(route))
    page.goto(base + "search/?q=公安")
    page.wait_for_selector("#search-results li[aria-busy=true]", timeout=15000)
    want = SearchIndex(out / "search").search("公安")[:20]
    assert page.eval_on_selector_all("#search-results li", "els => els.length") == len(want)
    assert results(page) == []
    page.wait_for_timeout(200)
    assert held, "no display block was requested"
    while held:
        held.pop(0).continue_()
        page.wait_for_timeout(50)
    wait_done(page)
    assert page.eval_on_selector_all("#search-results li[aria-busy]", "els => els.length") == 0
    assert results(page) == want

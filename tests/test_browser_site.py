"""Browser tests of the built site (Playwright + Debian chromium): accessibility with axe-core, hostile text that
must not execute, no horizontal scrolling at 360 px, no requests outside the site."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from powerlist.site.build import build_site

from site_fixtures import XSS_NAME, make_data

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = pytest.mark.browser
if not CHROMIUM and not os.environ.get("CI"):
    pytestmark = [pytest.mark.browser, pytest.mark.skip(reason="Debian chromium is not installed")]

PAGES = {
    "home": "",
    "department": "departments/370700-zjj/",
    "item": "items/370700-XK-00001/",
    "law": "laws/xingzheng-xukefa/",
    "stats": "stats/",
}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    data = make_data(root / "data")
    out = root / "out"
    build_site(data, out)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM:
        pytest.fail("chromium is required in CI (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                                               "--disable-background-networking"])
        yield b
        b.close()


def open_page(browser, url: str, width: int = 1280):
    page = browser.new_page(viewport={"width": width, "height": 900})
    events: dict[str, list[str]] = {"dialogs": [], "requests": [], "errors": []}
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: events["requests"].append(r.url))
    page.on("pageerror", lambda e: events["errors"].append(str(e)))
    page.goto(url)
    page.wait_for_load_state("load")
    return page, events


@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_serious_violations(browser, base_url, name):
    assert AXE.is_file(), "run npm install (axe-core is a devDependency)"
    page, events = open_page(browser, base_url + PAGES[name])
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""")
    bad = [v for v in result if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{name}: {bad}"
    page.close()


def test_pages_make_no_requests_outside_the_site(browser, base_url):
    host = urlsplit(base_url).netloc
    for name, url in PAGES.items():
        page, events = open_page(browser, base_url + url)
        outside = [u for u in events["requests"] if urlsplit(u).netloc != host and not u.startswith("data:")]
        assert outside == [], name
        page.close()


def test_hostile_item_executes_nothing_and_shows_text(browser, base_url):
    page, events = open_page(browser, base_url + "items/370702-QT-00001/")
    page.wait_for_timeout(300)
    assert events["dialogs"] == []
    assert events["errors"] == []
    assert page.inner_text("h1").strip() == XSS_NAME
    summary = page.inner_text(".summary")
    assert "<script>alert(1)</script>" in summary and "<img src=x onerror=alert(1)>" in summary
    assert page.evaluate("document.querySelectorAll('main img, main script').length") == 0
    hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href') || '')")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    page.click("text=点我")  # a link whose javascript: URL was removed does nothing
    page.wait_for_timeout(200)
    assert events["dialogs"] == []
    page.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_horizontal_scroll_at_360px(browser, base_url, name, tmp_path):
    page, _ = open_page(browser, base_url + PAGES[name], width=360)
    page.screenshot(path=str(tmp_path / f"{name}-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: page is {width}px wide at a 360px viewport"
    page.close()


def test_skip_link_and_focus_are_visible(browser, base_url):
    page, _ = open_page(browser, base_url + PAGES["item"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect(); return r.top; })()")
    assert box >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()

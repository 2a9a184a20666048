"""Search at 10,000 and 100,000 synthetic items (10,000 only with --quick): index build time, index size
(raw and gzip), bytes a visitor downloads for a first query (fresh browser, gzip sizes of the files fetched,
scripts included), and query latency in headless Chromium once the shards a query needs are loaded.

The index is built with ``powerlist.search.index.build_search_index`` (not the whole site) and served with
http.server on 127.0.0.1 to a page that loads lunr.js, tokenize.js and search.js and runs the same engine the
search page uses (query + the first page of 20 results).
"""
from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import statistics
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

CHROMIUM = "/usr/bin/chromium"
QUERIES = ["施工许可", "公安", "行政处罚", "行政许可法", "许可", "局", "370700-XK-00012", "食品 处罚",
           "建设工程", "监督检查"]
FIRST_QUERY = "施工许可"
GOAL_FIRST_KB = 300
GOAL_P50_MS = 50
GOAL_P95_MS = 150
REPEAT = 5

PAGE = """<!DOCTYPE html><meta charset="utf-8"><title>bench</title>
<script src="search/lunr.min.js"></script><script src="search/tokenize.js"></script>
<script src="search/search.js"></script>
<script>
var engine = PowerlistSearch.createEngine(lunr, PowerlistTokenize, function (rel) {
  return fetch("search/" + rel).then(function (r) { return r.status === 404 ? null : r.json(); });
});
async function runQuery(q) {
  var t = performance.now();
  var r = await engine.query(q);
  await engine.attrs(r.results.map(function (x) { return x[0]; }));  /* filters and counts, as the page does */
  await engine.docs(r.results.slice(0, 20).map(function (x) { return x[0]; }));
  return { ms: performance.now() - t, n: r.results.length };
}
</script>"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _gz(p: Path) -> int:
    return len(gzip.compress(p.read_bytes(), 6, mtime=0))


def _browser_figures(site: Path) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: dict[str, int] = {}

    def size(url: str) -> int:
        rel = unquote(urlparse(url).path).lstrip("/")
        if rel not in sizes:
            p = site / rel
            sizes[rel] = _gz(p) if p.is_file() else 0
        return sizes[rel]

    out: dict[str, Any] = {"first": {}, "lat": {}}
    try:
        with sync_playwright() as pw:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for q in QUERIES:  # each a first query in a fresh browser context (empty cache)
                ctx = b.new_context()
                pg = ctx.new_page()
                urls: list[str] = []
                pg.on("request", lambda r, urls=urls: urls.append(r.url))
                pg.goto(base + "index.html")
                res = pg.evaluate("q => runQuery(q)", q)
                pg.wait_for_load_state("networkidle")
                data = sum(size(u) for u in set(urls) if "/search/" in u and u.endswith(".json"))
                total = sum(size(u) for u in set(urls) if "/search/" in u)
                out["first"][q] = {"index": data, "total": total, "ms": res["ms"], "n": res["n"]}
                ctx.close()
            ctx = b.new_context()
            pg = ctx.new_page()
            pg.goto(base + "index.html")
            for q in QUERIES:  # load what each query needs
                pg.evaluate("q => runQuery(q)", q)
            times = []
            for _ in range(REPEAT):
                for q in QUERIES:
                    times.append(pg.evaluate("q => runQuery(q)", q)["ms"])
            out["times"] = sorted(times)
            ctx.close()
            b.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def _one(ctx: Any, n: int) -> list[dict[str, Any]]:
    from powerlist.search.contribution import JS_DIR, find_lunr_js
    from powerlist.search.index import build_search_index
    from powerlist.source.load import load_catalog

    catalog = load_catalog(ctx.synth(n))
    t0 = time.perf_counter()
    index = build_search_index(catalog)
    build_s = time.perf_counter() - t0
    site = ctx.tmp / f"site-{n}"
    shutil.rmtree(site, ignore_errors=True)
    for rel, data in index.files.items():
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    shutil.copy(find_lunr_js(ctx.root), site / "search" / "lunr.min.js")
    for name in ("tokenize.js", "search.js"):
        shutil.copy(JS_DIR / name, site / "search" / name)
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    raw = index.size()
    gz = sum(_gz(site / rel) for rel in index.files)
    label = f"search {n:,} items"
    rows: list[dict[str, Any]] = [
        {"benchmark": f"{label}: index build", "value": build_s, "unit": "s", "goal": "minutes at 100,000"},
        {"benchmark": f"{label}: index size raw ({len(index.files):,} files)", "value": raw / 2**20, "unit": "MB",
         "goal": ""},
        {"benchmark": f"{label}: index size gzip", "value": gz / 2**20, "unit": "MB", "goal": ""},
    ]
    if not Path(CHROMIUM).exists():
        rows.append({"benchmark": f"{label}: browser figures", "value": "skipped", "unit": "",
                     "goal": "needs /usr/bin/chromium", "ok": False})
        return rows
    fig = _browser_figures(site)
    first = fig["first"][FIRST_QUERY]
    rows.append({"benchmark": f"{label}: first query '{FIRST_QUERY}' download (gzip, scripts included)",
                 "value": first["total"] / 1024, "unit": "KB", "goal": f"≤ {GOAL_FIRST_KB} KB",
                 "ok": first["total"] / 1024 <= GOAL_FIRST_KB})
    worst_q = max(fig["first"], key=lambda q: fig["first"][q]["total"])
    worst = fig["first"][worst_q]
    totals = sorted(v["total"] for v in fig["first"].values())
    rows.append({"benchmark": f"{label}: first query download, median of {len(QUERIES)} queries",
                 "value": statistics.median(totals) / 1024, "unit": "KB", "goal": f"≤ {GOAL_FIRST_KB} KB",
                 "ok": statistics.median(totals) / 1024 <= GOAL_FIRST_KB})
    rows.append({"benchmark": f"{label}: first query download, worst ('{worst_q}', {worst['n']:,} results)",
                 "value": worst["total"] / 1024, "unit": "KB", "goal": f"≤ {GOAL_FIRST_KB} KB",
                 "ok": worst["total"] / 1024 <= GOAL_FIRST_KB})
    rows.append({"benchmark": f"{label}: first query '{FIRST_QUERY}' time incl. download (local server)",
                 "value": first["ms"], "unit": "ms", "goal": ""})
    times = fig["times"]
    p50 = statistics.median(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    rows.append({"benchmark": f"{label}: query p50, shards cached ({len(times)} runs)", "value": p50, "unit": "ms",
                 "goal": f"≤ {GOAL_P50_MS} ms", "ok": p50 <= GOAL_P50_MS})
    rows.append({"benchmark": f"{label}: query p95, shards cached", "value": p95, "unit": "ms",
                 "goal": f"≤ {GOAL_P95_MS} ms", "ok": p95 <= GOAL_P95_MS})
    rows.append({"benchmark": f"{label}: per-query first download KB",
                 "value": json.dumps({q: round(v["total"] / 1024) for q, v in fig["first"].items()},
                                     ensure_ascii=False), "unit": "", "goal": ""})
    return rows


def run(ctx: Any) -> list[dict[str, Any]]:
    rows = []
    for n in (10_000,) if ctx.quick else (10_000, 100_000):
        rows += _one(ctx, n)
    return rows

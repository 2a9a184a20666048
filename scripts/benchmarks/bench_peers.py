"""Peers side by side, in one run (issue 18): Hugo (and Pelican) building the same synthetic items as powerlist, and
Pagefind indexing and searching powerlist's own built site next to powerlist's search.

At 10,000 items (always) and 100,000 items (not with --quick):

Cold builds
    ``powerlist build DATA -o OUT`` and ``hugo --quiet`` on the same items written as a Hugo site by
    scripts/peer_sites.py (one Markdown page per item: title, code, department and category as taxonomies;
    summary, basis citations as text and responsibilities in the body; a minimal theme written there; no
    flowcharts, search or exports). Each is a whole command timed from start to exit (``ctx.measure_command``
    for powerlist, :func:`run_peer` for the peers), into a fresh output folder; at 10,000 items three runs
    each, interleaved (powerlist, Hugo, powerlist, …) so that this shared VM's changing CPU speed hits both
    alike, and the best counts (all runs are listed, with the ratio of the best times); at 100,000 one run each.
    Pelican (the same Markdown, its default theme) runs once at 10,000 items, not with --quick nor at 100,000.
    The cold build is cold only while powerlist keeps its build cache in the output folder: a cache kept
    elsewhere must be switched off or removed here.
Pagefind
    ``pagefind --site OUT`` (the npm devDependency's runner and binary) over the site powerlist just built
    (every page, as Pagefind indexes by default: no ``data-pagefind-body`` in our templates): index time,
    index size. Next to it: powerlist's ``build_search_index`` time (in-process, catalog loaded) and the size of
    the site's ``search/`` index. Sizes count index data only (powerlist: ``search/**/*.json``; Pagefind:
    ``*.pf_meta``, ``*.pf_index``, ``*.pf_fragment`` and ``pagefind-entry.json``), not the engines' scripts or
    WebAssembly; "served" is the sum over files of min(raw, gzip -6) (Pagefind stores its files gzip-compressed).
Recall
    Queries: ``QUERIES_PER_FIELD`` per field kind (name, code, department name, category, cited law title),
    drawn with a fixed seed: a random item, one of its values of that field (a random cited law for law
    titles), a random length of 2–4 characters and a random start; a substring that is not made only of
    letters and digits (``str.isalnum``: Han characters count, punctuation such as ``-`` or ``（`` does not) is
    drawn again. Expected items of a query: every item with an indexed field containing the query (NFKC,
    case-folded, as powerlist normalizes), over the fields powerlist indexes: name, code, department name,
    category, status, titles of cited laws (the definition of tests/test_search_recall.py). Recall = found
    (query, expected item) pairs / all (query, expected item) pairs; an item is found by powerlist when its
    code is in ``SearchIndex.search(query)`` (powerlist/search_query.py, the browser's semantics) and by
    Pagefind when its own page (``/items/<code>/``) is among the results of ``pagefind.search(query)`` in
    headless Chromium (results from other pages do not count). Also printed: the mean over queries of each
    query's recall, and the pair recall per field kind.

A peer that is absent is a row saying so ("hugo not installed — skipped"), never an error: the benchmark installs
nothing. Hugo is the Debian package ``hugo``; Pagefind is ``pagefind`` in package.json (``make install``). A peer
whose processes hold more than ``PEER_MAX_RSS`` (8 GB, or 60% of the memory available when it starts) is
stopped and its row says at how much: Pagefind 1.6 indexing the 100,000-item site grows past 20 GB.
"""
from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

N = 10_000
BIG = 100_000
RUNS = 3
QUERIES_PER_FIELD = 100
FIELDS = ("name", "code", "department", "category", "law")
FIELD_LABELS = {"name": "name", "code": "code", "department": "department name", "category": "category",
                "law": "cited law title"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PAGEFIND_INDEX_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment")
ITEM_URL = re.compile(r"^/items/([^/]+)/$")
QUERY_PAGE = "peers-pagefind.html"
#: a peer whose processes together hold more memory than this is stopped (Pagefind needs over 20 GB for
#: 100,000 items); also never more than PEER_MEMORY_SHARE of the memory available when it starts
PEER_MAX_RSS = 8 * 2**30
PEER_MEMORY_SHARE = 0.6
PEER_TIMEOUT = 3600
#: queries listed (with found/expected counts) in the row of each tool's misses; --json keeps the row whole
MISSED_SHOWN = 20

Row = dict[str, Any]


def _fmt_runs(runs: Iterable[float]) -> str:
    return " / ".join(f"{s:.2f}" for s in runs)


def skip_row(label: str, reason: str) -> Row:
    """A row for a peer that cannot run here: says why, counts as neither pass nor failure."""
    return {"benchmark": f"{label}: {reason} — skipped", "value": "skipped", "unit": "", "goal": ""}


def stopped_row(label: str, exc: BaseException) -> Row:
    """A peer stopped for its memory use: says at how much; not an error of the benchmark."""
    return {"benchmark": f"{label}: {exc}", "value": "stopped", "unit": "", "goal": ""}


def failed_row(label: str, exc: BaseException) -> Row:
    msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return {"benchmark": label, "value": "error", "unit": "", "goal": "", "ok": False, "error": msg}


# ---------------------------------------------------------------- finding the peers (never installing them)

def find_hugo() -> tuple[str | None, str]:
    """(path, ``hugo version`` output) or (None, why not)."""
    path = shutil.which("hugo")
    if path is None:
        return None, "hugo not installed (Debian: apt-get install hugo)"
    try:
        proc = subprocess.run([path, "version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"hugo does not run ({type(exc).__name__})"
    if proc.returncode != 0:
        return None, f"`hugo version` failed (exit {proc.returncode})"
    return path, proc.stdout.strip()


def find_pagefind(root: Path) -> tuple[list[str] | None, str]:
    """(argv that runs Pagefind, its version) or (None, why not): the npm package's runner under node_modules."""
    runner = root / "node_modules" / "pagefind" / "lib" / "runner" / "bin.cjs"
    if not runner.is_file():
        return None, "pagefind not installed (npm devDependency: make install)"
    node = shutil.which("node")
    if node is None:
        return None, "node not installed"
    argv = [node, str(runner)]
    try:
        proc = subprocess.run([*argv, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"pagefind does not run ({type(exc).__name__})"
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip()).splitlines()[-1:] or [f"exit {proc.returncode}"]
        return None, f"pagefind has no working binary here ({last[0][:80]})"
    return argv, proc.stdout.strip()


def chromium_missing() -> str | None:
    """Why Pagefind cannot be queried in headless Chromium here, or None."""
    if not Path(CHROMIUM).exists():
        return f"needs Debian chromium at {CHROMIUM}"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "needs Playwright for Python (make install)"
    return None


# ---------------------------------------------------------------- recall: queries and expected items

def item_fields(catalog: Any) -> tuple[list[str], list[dict[str, list[str]]], list[str]]:
    """(codes in catalog order, per item the raw values of each sampled field kind, per item the normalized
    text of every indexed field joined by NUL): the material for :func:`sample_queries` and :func:`expected`."""
    from powerlist.search.tokenize import normalize

    codes, values, blobs = [], [], []
    for it in catalog.items.values():
        dept = catalog.departments[it.department].name
        laws = sorted({catalog.laws[c.law].title for c in it.all_citations() if c.law in catalog.laws})
        codes.append(it.code)
        values.append({"name": [it.name], "code": [it.code], "department": [dept], "category": [it.category],
                       "law": laws})
        blobs.append("\0".join(normalize(x).lower() for x in (it.name, it.code, dept, it.category, it.status,
                                                              *laws)))
    return codes, values, blobs


def sample_queries(values: Sequence[dict[str, list[str]]], seed: int,
                   per_field: int | None = None) -> list[tuple[str, str]]:
    """(field kind, query) pairs: ``per_field`` (default :data:`QUERIES_PER_FIELD`) random 2–4 character
    substrings of each field kind (see the module docstring); the same seed and items give the same queries."""
    per_field = QUERIES_PER_FIELD if per_field is None else per_field
    rng = random.Random(f"bench-peers-{seed}")
    out: list[tuple[str, str]] = []
    for kind in FIELDS:
        got, attempts = 0, 0
        while got < per_field:
            attempts += 1
            if attempts > 1000 * per_field:
                raise ValueError(f"cannot draw {per_field} queries from the {kind} field (too few usable values)")
            choices = values[rng.randrange(len(values))][kind]
            if not choices:
                continue
            text = rng.choice(choices)
            length = rng.randint(2, 4)
            if len(text) < length:
                continue
            start = rng.randrange(len(text) - length + 1)
            q = text[start:start + length]
            if not all(c.isalnum() for c in q):
                continue
            out.append((kind, q))
            got += 1
    return out


def expected(blobs: Sequence[str], query: str) -> bytearray:
    """Flags (1 = expected) over items in catalog order: the items with an indexed field containing the query."""
    from powerlist.search.tokenize import normalize

    needle = normalize(query).lower()
    return bytearray(needle in b for b in blobs)


def count_found(flags: bytearray, found: Iterable[int]) -> int:
    """How many expected items (flag 1) are among the found item numbers (each counted once)."""
    return sum(flags[o] for o in set(found))


def summarize(results: Sequence[dict[str, Any]], tool: str) -> dict[str, float]:
    """Recall of one tool from per-query results ``{"field", "expected", <tool>: found expected items}``:
    ``all`` = pair recall, ``mean`` = mean per-query recall, and pair recall per field kind."""
    out: dict[str, float] = {}
    want = sum(r["expected"] for r in results)
    out["all"] = sum(r[tool] for r in results) / want if want else float("nan")
    per_query = [r[tool] / r["expected"] for r in results if r["expected"]]
    out["mean"] = statistics.fmean(per_query) if per_query else float("nan")
    for kind in FIELDS:
        rs = [r for r in results if r["field"] == kind]
        w = sum(r["expected"] for r in rs)
        out[kind] = sum(r[tool] for r in rs) / w if w else float("nan")
    return out


# ---------------------------------------------------------------- sizes

def served(data: bytes) -> int:
    return min(len(data), len(gzip.compress(data, 6, mtime=0)))


def index_sizes(files: Iterable[Path]) -> tuple[int, int, int]:
    """(files, raw bytes, served bytes) of index files."""
    n = raw = srv = 0
    for p in files:
        data = p.read_bytes()
        n += 1
        raw += len(data)
        srv += served(data)
    return n, raw, srv


def powerlist_index_files(site: Path) -> list[Path]:
    return sorted((site / "search").rglob("*.json"))


def pagefind_index_files(site: Path) -> list[Path]:
    root = site / "pagefind"
    return sorted(p for p in root.rglob("*") if p.is_file()
                  and (p.suffix in PAGEFIND_INDEX_SUFFIXES or p.name == "pagefind-entry.json"))


def pagefind_urls(site: Path) -> dict[str, str]:
    """Pagefind result id (its fragment's file name) → page URL, read from the fragments it wrote."""
    out = {}
    for p in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(p.read_bytes())
        raw = raw.removeprefix(b"pagefind_dcd")
        out[p.stem] = json.loads(raw)["url"]
    return out


# ---------------------------------------------------------------- measuring

class PeerStopped(Exception):
    """A peer went over its memory limit and was stopped (the message says at how much)."""


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants (Linux /proc; 0 where there is none)."""
    total, todo, seen = 0, [pid], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def memory_limit() -> int:
    """PEER_MAX_RSS, or less when this machine has less available (MemAvailable in /proc/meminfo)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return min(PEER_MAX_RSS, int(int(line.split()[1]) * 1024 * PEER_MEMORY_SHARE))
    except (OSError, ValueError):
        pass
    return PEER_MAX_RSS


def run_peer(argv: Sequence[str], *, cwd: Path | None = None, limit: int | None = None,
             timeout: float = PEER_TIMEOUT) -> tuple[float, int]:
    """(wall seconds, peak RSS bytes of the process tree) of a peer's command, like ``ctx.measure_command`` but
    stopped (:class:`PeerStopped`) when its processes together go over ``limit`` bytes (default
    :func:`memory_limit`): on a shared machine an indexer that wants 20 GB must not take the others down.
    RuntimeError when it fails or times out."""
    limit = memory_limit() if limit is None else limit
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        peak, next_check, why = 0, 0.0, ""
        try:
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid:
                    break
                now = time.perf_counter()
                if now >= next_check:
                    peak = max(peak, tree_rss(proc.pid))
                    next_check = now + 0.05
                    if peak > limit:
                        why = (f"stopped at {peak / 2**30:.1f} GB after {now - t0:.0f} s, "
                               f"over the {limit / 2**30:.1f} GB limit")
                    elif now - t0 > timeout:
                        why = f"timed out after {timeout:.0f} s"
                    if why:
                        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the runner and what it started
                        _, status, usage = os.wait4(proc.pid, 0)
                        break
                time.sleep(0.002)
        except BaseException:  # Ctrl-C included: its own session does not get the terminal's SIGINT
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        seconds = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if why.startswith("stopped"):
        raise PeerStopped(why)
    if why:
        raise RuntimeError(f"{Path(argv[0]).name} {why}")
    if proc.returncode != 0:
        last = [ln.strip() for ln in stderr.strip().splitlines() if ln.strip()][-3:]
        raise RuntimeError(f"{Path(argv[0]).name} … failed (exit {proc.returncode})"
                           + (": " + " | ".join(last) if last else ""))
    return seconds, max(peak, usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024))


def _powerlist_argv(ctx: Any, data: Path, out: Path) -> list[str]:
    exe = Path(ctx.python).with_name("powerlist")
    if not exe.exists():
        raise RuntimeError(f"{exe} not found: run make install")
    return [str(exe), "build", str(data), "-o", str(out)]


def _write_sources(data: Path, hugo_src: Path | None, hugo_version: str, pelican_src: Path | None) -> int:
    """In a child: the Hugo and Pelican sources of the items (peer_sites.py)."""
    import peer_sites
    from powerlist.source.load import load_catalog

    catalog = load_catalog(data)
    if hugo_src is not None:
        peer_sites.write_hugo_site(catalog, hugo_src, peer_sites.hugo_version(hugo_version))
    if pelican_src is not None:
        peer_sites.write_pelican_site(catalog, pelican_src)
    return len(catalog.items)


def _index_seconds(data: Path) -> float:
    """In a child: powerlist's build_search_index on a loaded catalog (what the build spends on search)."""
    import time

    from powerlist.source.load import load_catalog
    from powerlist.search.index import build_search_index

    catalog = load_catalog(data)
    t0 = time.perf_counter()
    build_search_index(catalog)
    return time.perf_counter() - t0


def _pagefind_page(site: Path) -> None:
    (site / QUERY_PAGE).write_text(
        '<!DOCTYPE html><html lang="zh-CN"><meta charset="utf-8"><title>pagefind bench</title>\n'
        '<script type="module">import * as pf from "./pagefind/pagefind.js"; await pf.init(); '
        "window.pf = pf; window.pfReady = true;</script>\n", encoding="utf-8")


def _pagefind_results(site: Path, queries: Sequence[str]) -> list[list[str]]:
    """Result ids of ``pagefind.search(q)`` for each query, in headless Chromium (the site served on 127.0.0.1)."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's signature
            pass

    _pagefind_page(site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out: list[list[str]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{QUERY_PAGE}")
            page.wait_for_function("window.pfReady === true", timeout=120_000)
            for q in queries:
                out.append(page.evaluate(
                    "async q => { const s = await window.pf.search(q); return s ? s.results.map(r => r.id) : []; }",
                    q))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def _recall(data: Path, site: Path, seed: int, with_pagefind: bool) -> list[dict[str, Any]]:
    """In a child: per query its field, text, number of expected items and how many of them each tool found."""
    from powerlist.source.load import load_catalog
    from powerlist.search.query import SearchIndex

    catalog = load_catalog(data)
    codes, values, blobs = item_fields(catalog)
    del catalog
    ordinal = {c: i for i, c in enumerate(codes)}
    queries = sample_queries(values, seed)
    index = SearchIndex(site / "search")
    flags = [expected(blobs, q) for _, q in queries]
    results = []
    for (kind, q), want in zip(queries, flags):
        found = [ordinal[c] for c in index.search(q) if c in ordinal]
        results.append({"field": kind, "query": q, "expected": sum(want), "powerlist": count_found(want, found)})
    if with_pagefind:
        urls = pagefind_urls(site)
        for r, want, ids in zip(results, flags, _pagefind_results(site, [q for _, q in queries])):
            found = []
            for i in ids:
                m = ITEM_URL.match(urls.get(i, ""))
                if m and m[1] in ordinal:
                    found.append(ordinal[m[1]])
            r["pagefind"] = count_found(want, found)
    return results


def _best(runs: Sequence[tuple[Any, ...]]) -> tuple[float, int]:
    """(fastest seconds, highest peak RSS) of (seconds, peak RSS, …) runs."""
    return min(r[0] for r in runs), max(r[1] for r in runs)


def _guard(label: str, rows: list[Row], fn: Callable[[], list[Row]]) -> None:
    """Append fn()'s rows, or one row saying it was stopped or failed: a peer never stops the run."""
    try:
        rows += fn()
    except PeerStopped as exc:
        rows.append(stopped_row(label, exc))
    except Exception as exc:  # noqa: BLE001 - reported as a row
        rows.append(failed_row(label, exc))


def _size(ctx: Any, n: int, runs: int, pelican: bool) -> list[Row]:
    rows: list[Row] = []
    tag = f"peers {n:,} items"
    data = ctx.synth(n)
    work = ctx.tmp / f"n{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    hugo, hugo_about = find_hugo()
    hugo_src = work / "hugo-src" if hugo else None
    pelican_src = work / "pelican-src" if pelican else None
    if hugo_src or pelican_src:
        ctx.measure_call(lambda: _write_sources(data, hugo_src, hugo_about, pelican_src))
    hugo_label = f"Hugo {m[0]}" if hugo and (m := re.search(r"v\d+\.\d+\.\d+", hugo_about)) else "Hugo"

    # ---- cold builds, interleaved
    pl_runs: list[tuple[float, int, str]] = []
    hugo_runs: list[tuple[float, int]] = []
    hugo_error: Exception | None = None
    for k in range(runs):
        # Every output is kept until the runs are over: deleting a site just before the next build slows this
        # machine's disk down (see bench_site).
        pl_runs.append(ctx.measure_command(_powerlist_argv(ctx, data, work / f"powerlist-{k}")))
        if hugo and hugo_src and hugo_error is None:
            try:
                hugo_runs.append(run_peer(
                    [hugo, "--quiet", "--source", str(hugo_src), "--destination", str(work / f"hugo-{k}"),
                     "--cacheDir", str(work / "hugo-cache")]))
            except Exception as exc:  # noqa: BLE001 - reported as a row
                hugo_error = exc
    site = work / f"powerlist-{runs - 1}"
    pl_best, pl_rss = _best(pl_runs)
    each = f"best of {runs}" if runs > 1 else "one run"
    rows.append({"benchmark": f"{tag}: powerlist build, cold ({each})", "value": pl_best, "unit": "s", "goal": ""})
    if runs > 1:
        rows.append({"benchmark": f"{tag}: powerlist build, the {runs} runs", "value": _fmt_runs(r[0] for r in pl_runs),
                     "unit": "s", "goal": ""})
    if not hugo:
        rows.append(skip_row(f"{tag}: Hugo", hugo_about))
    elif hugo_error is not None:
        make_row = stopped_row if isinstance(hugo_error, PeerStopped) else failed_row
        rows.append(make_row(f"{tag}: {hugo_label} build", hugo_error))
    else:
        h_best, h_rss = _best(hugo_runs)
        rows.append({"benchmark": f"{tag}: {hugo_label} build, cold, same items as Markdown ({each})",
                     "value": h_best, "unit": "s", "goal": ""})
        if runs > 1:
            rows.append({"benchmark": f"{tag}: {hugo_label} build, the {runs} runs",
                         "value": _fmt_runs(r[0] for r in hugo_runs), "unit": "s", "goal": ""})
        rows.append({"benchmark": f"{tag}: powerlist build time / Hugo's", "value": pl_best / h_best, "unit": "×",
                     "goal": "≤ 1 ×"})
        rows.append({"benchmark": f"{tag}: peak RSS powerlist (main process) / {hugo_label}", "value":
                     f"{pl_rss / 2**20:,.0f} / {h_rss / 2**20:,.0f}", "unit": "MB", "goal": ""})
    if pelican and pelican_src:
        def pelican_rows() -> list[Row]:
            seconds, _ = run_peer(
                [ctx.python, "-m", "pelican", str(pelican_src / "content"), "-s", str(pelican_src / "pelicanconf.py"),
                 "-o", str(work / "pelican-out"), "-q"])
            shutil.rmtree(work / "pelican-out", ignore_errors=True)
            return [{"benchmark": f"{tag}: Pelican build, same Markdown, default theme (one run)", "value": seconds,
                     "unit": "s", "goal": ""}]
        _guard(f"{tag}: Pelican build", rows, pelican_rows)
    for k in range(runs):
        shutil.rmtree(work / f"hugo-{k}", ignore_errors=True)
        if k != runs - 1:
            shutil.rmtree(work / f"powerlist-{k}", ignore_errors=True)
    for name in ("hugo-src", "hugo-cache", "pelican-src"):
        shutil.rmtree(work / name, ignore_errors=True)

    # ---- search: index time and size
    seconds_in_child = ctx.measure_call(lambda: _index_seconds(data))[2]
    pn, praw, psrv = index_sizes(powerlist_index_files(site))
    rows.append({"benchmark": f"{tag}: powerlist search index build (in-process, catalog loaded)",
                 "value": seconds_in_child, "unit": "s", "goal": ""})
    rows.append({"benchmark": f"{tag}: powerlist index size raw / served ({pn:,} files)",
                 "value": f"{praw / 2**20:.1f} / {psrv / 2**20:.1f}", "unit": "MB", "goal": ""})
    pagefind, pf_about = find_pagefind(ctx.root)
    pf_ok = False
    if pagefind is None:
        rows.append(skip_row(f"{tag}: Pagefind", pf_about))
    else:
        pf_label = f"Pagefind {m[0]}" if (m := re.search(r"\d+\.\d+\.\d+", pf_about)) else "Pagefind"

        def pagefind_rows() -> list[Row]:
            seconds, rss = run_peer([*pagefind, "--site", str(site)], cwd=work)
            files = pagefind_index_files(site)
            fn, fraw, fsrv = index_sizes(files)
            frag = sum(p.stat().st_size for p in files if p.suffix == ".pf_fragment")
            return [
                {"benchmark": f"{tag}: {pf_label} index (pagefind --site, whole site)", "value": seconds,
                 "unit": "s", "goal": ""},
                {"benchmark": f"{tag}: {pf_label} index size raw / served ({fn:,} files)",
                 "value": f"{fraw / 2**20:.1f} / {fsrv / 2**20:.1f}", "unit": "MB", "goal": ""},
                {"benchmark": f"{tag}: {pf_label} of which page fragments (raw)", "value": frag / 2**20,
                 "unit": "MB", "goal": ""},
                {"benchmark": f"{tag}: {pf_label} index peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""},
            ]
        before = len(rows)
        _guard(f"{tag}: {pf_label} index", rows, pagefind_rows)
        pf_ok = rows[before]["value"] not in ("error", "stopped")  # recall needs a whole index

    # ---- recall
    browser_missing = chromium_missing() if pf_ok else None
    with_pf = pf_ok and browser_missing is None
    if pf_ok and browser_missing:
        rows.append(skip_row(f"{tag}: Pagefind recall", browser_missing))

    def recall_rows() -> list[Row]:
        results = ctx.measure_call(lambda: _recall(data, site, ctx.seed, with_pf))[2]
        tools = ["powerlist"] + (["pagefind"] if with_pf else [])
        sums = {t: summarize(results, t) for t in tools}
        pairs = sum(r["expected"] for r in results)
        names = {"powerlist": "powerlist", "pagefind": "Pagefind"}
        out: list[Row] = []
        lines = [("all", f"recall, {len(results)} queries, {pairs:,} (query, item) pairs"),
                 ("mean", "recall, mean over queries")]
        lines += [(k, f"recall, {FIELD_LABELS[k]} substrings ({QUERIES_PER_FIELD} queries)") for k in FIELDS]
        for key, label in lines:
            for t in tools:
                out.append({"benchmark": f"{tag}: {label}: {names[t]}", "value": 100 * sums[t][key], "unit": "%",
                            "goal": "= 100 %" if t == "powerlist" else "",
                            **({"ok": sums[t][key] == 1.0} if t == "powerlist" else {})})
        for t in tools:
            missed = [f"{r['query']} ({r[t]}/{r['expected']})" for r in results if r[t] < r["expected"]]
            if missed:
                out.append({"benchmark": f"{tag}: recall, queries {names[t]} misses items for ({len(missed)})",
                            "value": json.dumps(missed[:MISSED_SHOWN], ensure_ascii=False), "unit": "", "goal": ""})
        return out
    _guard(f"{tag}: recall", rows, recall_rows)
    shutil.rmtree(work, ignore_errors=True)
    return rows


def run(ctx: Any) -> list[Row]:
    if str(Path(__file__).resolve().parents[1]) not in sys.path:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    rows = _size(ctx, N, RUNS, pelican=not ctx.quick)
    if ctx.quick:
        rows.append(skip_row(f"peers {N:,} items: Pelican", "not with --quick"))
    else:
        rows += _size(ctx, BIG, 1, pelican=False)
    return rows

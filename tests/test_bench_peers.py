"""scripts/benchmarks/bench_peers.py and scripts/peer_sites.py: the Markdown the peers build, the recall definition,
and a run on the sample data where Hugo and Pagefind are absent (skip rows, never an error). No timings."""
from __future__ import annotations

import gzip
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from powerlist.model.citation import format_citation
from powerlist.source.load import load_catalog
from powerlist.model.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str, path: Path) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


peer_sites = _load("peer_sites", ROOT / "scripts" / "peer_sites.py")
bench = _load("bench", ROOT / "scripts" / "bench.py")
peers = _load("bench_peers", ROOT / "scripts" / "benchmarks" / "bench_peers.py")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(ROOT)


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    assert text.startswith("---\n")
    head, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(head), body


# ---------------------------------------------------------------- peer_sites

def test_hugo_site_has_one_page_per_item_with_taxonomies_and_body(catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "hugo"
    assert peer_sites.write_hugo_site(catalog, out, (0, 111, 3)) == len(catalog.items)
    pages = sorted((out / "content" / "items").glob("*.md"))
    assert sorted(p.stem for p in pages if p.stem != "_index") == sorted(catalog.items)
    item = next(it for it in catalog.items.values() if it.responsibilities and it.summary and it.basis)
    meta, body = _front_matter((out / "content" / "items" / f"{item.code}.md").read_text("utf-8"))
    assert meta == {"title": item.name, "code": item.code,
                    "departments": [catalog.departments[item.department].name], "categories": [item.category]}
    assert body.startswith("\n" + item.summary.strip())
    for c in item.basis:
        assert f"- {format_citation(c, catalog.laws)}" in body
    assert "## 责任事项" in body
    for r in item.responsibilities:
        assert f"- **{r.stage}**：{r.duty}" in body
    for name in ("baseof.html", "single.html", "list.html", "taxonomy.html"):
        assert (out / "themes" / "minimal" / "layouts" / "_default" / name).is_file()
    config = tomllib.loads((out / "config.toml").read_text("utf-8"))
    assert config["taxonomies"] == {"department": "departments", "category": "categories"}
    assert config["theme"] == "minimal" and config["paginate"] == 500
    assert config["disableKinds"] == ["RSS", "sitemap", "robotsTXT"]


def test_hugo_config_follows_the_pagination_rename() -> None:
    assert peer_sites.hugo_version("hugo v0.111.3+extended linux/amd64 BuildDate=2023") == (0, 111, 3)
    assert peer_sites.hugo_version("no version here") is None
    new = tomllib.loads(peer_sites.hugo_config((0, 140, 1)))
    assert new["pagination"] == {"pagerSize": 500} and "paginate" not in new
    assert tomllib.loads(peer_sites.hugo_config(None))["paginate"] == 500


def test_pelican_page_header_and_body(catalog: Catalog, tmp_path: Path) -> None:
    out = tmp_path / "pelican"
    assert peer_sites.write_pelican_site(catalog, out) == len(catalog.items)
    item = next(iter(catalog.items.values()))
    text = (out / "content" / f"{item.code}.md").read_text("utf-8")
    head, body = text.split("\n\n", 1)
    assert head.splitlines() == [f"Title: {item.name}", f"Slug: {item.code}", f"Code: {item.code}",
                                 f"Category: {item.category}", f"Tags: {catalog.departments[item.department].name}"]
    assert body == peer_sites.item_body(item, catalog)
    compile((out / "pelicanconf.py").read_text("utf-8"), "pelicanconf.py", "exec")


def test_peer_sites_refuses_an_existing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert peer_sites.main(["hugo", str(ROOT), str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"peer_sites: {tmp_path} exists; give a new folder\n"


@pytest.mark.skipif(shutil.which("hugo") is None, reason="Debian hugo is not installed")
def test_hugo_builds_the_generated_site(catalog: Catalog, tmp_path: Path) -> None:
    version = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=True).stdout
    peer_sites.write_hugo_site(catalog, tmp_path / "src", peer_sites.hugo_version(version))
    subprocess.run(["hugo", "--quiet", "--source", str(tmp_path / "src"), "--destination", str(tmp_path / "out"),
                    "--cacheDir", str(tmp_path / "cache")], check=True, capture_output=True)
    item = next(it for it in catalog.items.values() if it.basis)
    page = (tmp_path / "out" / "items" / item.code / "index.html").read_text("utf-8")
    assert f"<h1>{item.name}</h1>" in page and f"<code>{item.code}</code>" in page
    assert format_citation(item.basis[0], catalog.laws) in page
    dept = catalog.departments[item.department].name
    assert (tmp_path / "out" / "departments" / dept / "index.html").is_file()
    assert (tmp_path / "out" / "categories" / item.category / "index.html").is_file()
    assert item.name in (tmp_path / "out" / "items" / "index.html").read_text("utf-8")


# ---------------------------------------------------------------- recall definition

def test_queries_are_deterministic_alnum_substrings_of_their_field(catalog: Catalog) -> None:
    codes, values, blobs = peers.item_fields(catalog)
    assert codes == list(catalog.items) and len(values) == len(blobs) == len(codes)
    queries = peers.sample_queries(values, seed=0, per_field=30)
    assert queries == peers.sample_queries(values, seed=0, per_field=30)
    assert queries != peers.sample_queries(values, seed=1, per_field=30)
    assert [k for k, _ in queries] == [k for k in peers.FIELDS for _ in range(30)]
    for kind, q in queries:
        assert 2 <= len(q) <= 4 and all(c.isalnum() for c in q), q
        assert any(q in v for item in values for v in item[kind]), (kind, q)


def test_expected_items_are_those_with_an_indexed_field_containing_the_query(catalog: Catalog) -> None:
    codes, _, blobs = peers.item_fields(catalog)
    flags = peers.expected(blobs, "公安")
    want = {it.code for it in catalog.items.values()
            if "公安" in it.name or "公安" in catalog.departments[it.department].name
            or any("公安" in catalog.laws[c.law].title for c in it.all_citations())}
    assert {codes[i] for i, f in enumerate(flags) if f} == want and want
    law = catalog.laws["xingzheng-xukefa"].title  # 中华人民共和国行政许可法
    citing = {it.code for it in catalog.items.values() if any(c.law == "xingzheng-xukefa" for c in it.all_citations())}
    found = {codes[i] for i, f in enumerate(peers.expected(blobs, law[-5:])) if f}
    assert citing <= found and citing
    upper = peers.expected(blobs, "xk")
    assert upper == peers.expected(blobs, "XK") == peers.expected(blobs, "ＸＫ")  # NFKC and case folded
    assert sum(upper) == sum(1 for c in codes if "XK" in c)


def test_count_found_counts_each_expected_item_once() -> None:
    flags = bytearray([1, 0, 1, 1])
    assert peers.count_found(flags, [0, 0, 1, 2, 2]) == 2
    assert peers.count_found(flags, []) == 0


def test_summarize_pair_recall_mean_and_per_field() -> None:
    results = [{"field": "name", "expected": 4, "powerlist": 4, "pagefind": 1},
               {"field": "name", "expected": 0, "powerlist": 0, "pagefind": 0},
               {"field": "code", "expected": 1, "powerlist": 0, "pagefind": 1}]
    pl = peers.summarize(results, "powerlist")
    pf = peers.summarize(results, "pagefind")
    assert (pl["all"], pl["mean"], pl["name"], pl["code"]) == (4 / 5, 0.5, 1.0, 0.0)
    assert (pf["all"], pf["mean"], pf["name"], pf["code"]) == (2 / 5, (0.25 + 1) / 2, 0.25, 1.0)
    assert pl["law"] != pl["law"]  # no query of that kind: NaN, not 100 %


def test_pagefind_fragments_map_ids_to_urls_and_sizes_count_served_bytes(tmp_path: Path) -> None:
    frag = tmp_path / "pagefind" / "fragment"
    frag.mkdir(parents=True)
    doc = b"pagefind_dcd" + json.dumps({"url": "/items/370700-XK-00001/", "content": "x"}).encode()
    (frag / "zh-cn_abc.pf_fragment").write_bytes(gzip.compress(doc))
    (tmp_path / "pagefind" / "pagefind.js").write_text("js")
    (tmp_path / "pagefind" / "pagefind-entry.json").write_text("{}")
    assert peers.pagefind_urls(tmp_path) == {"zh-cn_abc": "/items/370700-XK-00001/"}
    assert peers.ITEM_URL.match("/items/370700-XK-00001/")[1] == "370700-XK-00001"
    assert peers.ITEM_URL.match("/departments/370700-zjj/") is None
    files = peers.pagefind_index_files(tmp_path)
    assert [p.name for p in files] == ["zh-cn_abc.pf_fragment", "pagefind-entry.json"]
    compressible = tmp_path / "a.json"
    compressible.write_bytes(b"a" * 10_000)
    n, raw, served = peers.index_sizes([compressible, files[0]])
    assert n == 2 and raw == 10_000 + files[0].stat().st_size
    assert served == len(gzip.compress(b"a" * 10_000, 6, mtime=0)) + files[0].stat().st_size


# ---------------------------------------------------------------- absent peers

def test_absent_peers_are_named_not_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(peers.shutil, "which", lambda name: None)
    assert peers.find_hugo() == (None, "hugo not installed (Debian: apt-get install hugo)")
    assert peers.find_pagefind(tmp_path) == (None, "pagefind not installed (npm devDependency: make install)")
    assert peers.skip_row("peers 10 items: Hugo", "hugo not installed") == {
        "benchmark": "peers 10 items: Hugo: hugo not installed — skipped", "value": "skipped", "unit": "", "goal": ""}


class SampleContext(bench.Context):
    def synth(self, n_items: int) -> Path:
        return ROOT


def _sample_context(tmp_path: Path) -> Any:
    ctx = SampleContext(tmp_path / ".bench", root=tmp_path)  # no node_modules/pagefind there
    ctx.tmp = tmp_path / ".bench" / "tmp" / "peers"
    ctx.tmp.mkdir(parents=True)
    return ctx


def test_a_run_without_hugo_and_pagefind_reports_powerlist_and_skips(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole module on the sample data, peers absent: powerlist's rows, one skip row per peer, no error."""
    ctx = _sample_context(tmp_path)
    monkeypatch.setattr(peers, "find_hugo", lambda: (None, "hugo not installed (Debian: apt-get install hugo)"))
    monkeypatch.setattr(peers, "QUERIES_PER_FIELD", 20)
    rows = peers._size(ctx, 110, 1, pelican=False)
    by_name = {r["benchmark"]: r for r in rows}
    assert not [r for r in rows if r.get("error")], rows
    assert by_name["peers 110 items: Hugo: hugo not installed (Debian: apt-get install hugo) — skipped"][
        "value"] == "skipped"
    assert by_name["peers 110 items: Pagefind: pagefind not installed (npm devDependency: make install) — skipped"][
        "value"] == "skipped"
    assert by_name["peers 110 items: powerlist build, cold (one run)"]["value"] > 0
    recall = [r for r in rows if ": recall, " in r["benchmark"] and not r["benchmark"].startswith(
        "peers 110 items: recall, queries")]
    assert len(recall) == 2 + len(peers.FIELDS) and all(r["benchmark"].endswith(": powerlist") for r in recall)
    assert by_name["peers 110 items: recall, name substrings (20 queries): powerlist"]["value"] == 100
    assert not any("Pagefind" in r["benchmark"] and r["value"] != "skipped" for r in rows)
    assert not (ctx.tmp / "n110").exists()  # the sites it built are removed


# ---------------------------------------------------------------- running a peer under a memory limit

@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux only (/proc)")
def test_run_peer_stops_a_process_tree_over_its_memory_limit(tmp_path: Path) -> None:
    """The grandchild (as Pagefind's binary under its node runner) holds the memory; the whole tree is stopped."""
    pidfile = tmp_path / "pid"
    grandchild = (f"import os, time; open({str(pidfile)!r}, 'w').write(str(os.getpid())); "
                  "b = bytearray(300 * 2**20); time.sleep(60)")
    argv = ["sh", "-c", f'"{sys.executable}" -c "{grandchild}"; echo never']
    with pytest.raises(peers.PeerStopped, match=r"^stopped at 0\.\d GB after \d+ s, over the 0\.1 GB limit$"):
        peers.run_peer(argv, limit=100 * 2**20, timeout=120)
    pid = int(pidfile.read_text())
    for _ in range(100):  # reaped by init once killed
        if not Path(f"/proc/{pid}").exists() or "State:\tZ" in Path(f"/proc/{pid}/status").read_text():
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the grandchild is still running")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux only (/proc)")
def test_run_peer_reports_peak_memory_and_failures(tmp_path: Path) -> None:
    seconds, rss = peers.run_peer([sys.executable, "-c", "b = bytearray(80 * 2**20)"], limit=2**30)
    assert seconds > 0 and rss >= 80 * 2**20
    with pytest.raises(RuntimeError, match=r"failed \(exit 3\): no good$"):
        peers.run_peer([sys.executable, "-c", "import sys; print('no good', file=sys.stderr); sys.exit(3)"])
    assert peers.stopped_row("peers 10 items: Pagefind 1.6.0 index", peers.PeerStopped("stopped at 9.0 GB")) == {
        "benchmark": "peers 10 items: Pagefind 1.6.0 index: stopped at 9.0 GB", "value": "stopped", "unit": "",
        "goal": ""}
    assert 0 < peers.memory_limit() <= peers.PEER_MAX_RSS


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="Linux only (/proc)")
def test_a_peer_over_the_memory_limit_is_stopped_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An indexer that outgrows the limit (as Pagefind at 100,000 items): a 'stopped' row, powerlist's recall
    alone, no attempt to query a partial index, no error."""
    ctx = _sample_context(tmp_path)
    hog = [sys.executable, "-c", "import time; b = bytearray(300 * 2**20); time.sleep(60)"]
    monkeypatch.setattr(peers, "find_hugo", lambda: (None, "hugo not installed (Debian: apt-get install hugo)"))
    monkeypatch.setattr(peers, "find_pagefind", lambda root: (hog, "pagefind 1.6.0"))
    monkeypatch.setattr(peers, "PEER_MAX_RSS", 100 * 2**20)
    monkeypatch.setattr(peers, "QUERIES_PER_FIELD", 10)
    rows = peers._size(ctx, 110, 1, pelican=False)
    assert not [r for r in rows if r.get("error")], rows
    stopped = [r for r in rows if r["value"] == "stopped"]
    assert len(stopped) == 1 and re.fullmatch(
        r"peers 110 items: Pagefind 1\.6\.0 index: stopped at 0\.\d GB after \d+ s, over the 0\.1 GB limit",
        stopped[0]["benchmark"])
    recall = [r["benchmark"] for r in rows if ": recall, " in r["benchmark"] and ": recall, queries " not in
              r["benchmark"]]
    assert len(recall) == 2 + len(peers.FIELDS) and all(b.endswith(": powerlist") for b in recall)

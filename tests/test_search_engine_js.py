"""The browser engine (search.js, run in Node) answers exactly as powerlist.search.query on the same files."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from powerlist.search.index import build_search_index, expand_shard
from powerlist.search.query import SearchIndex, lunr_term_scores, _load_index
from search_helpers import ROOT, small_catalog, write_index

QUERIES = ["施工许可", "施工", "许可", "公安", "局", "行政许可法", "370700-XK-00001", "370700-xk", "xk-00002",
           "ISO9001", "iso", "公安 许可", "潍坊 处罚", "取消", "保留 检查", "建筑法", "治安管理", "𠀀字",
           "中华人民共和国", "不存在的词", "a:b~c^d*e+f-g", "“施工”", "施" * 300, "😀", "   ", "，。！",
           "（测试）", "市场监督", "行政", "许"]


def test_engine_parity(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    # tiny thresholds: heavy terms, several shards, several doc and attribute blocks
    files = build_search_index(small_catalog(), heavy_postings=3, shard_postings=4, doc_block=3, attr_block=4)
    d = write_index(files, tmp_path)
    meta = json.loads((d / "meta.json").read_text("utf-8"))
    assert meta["heavy"], "the test data must produce heavy terms"
    idx = SearchIndex(d)
    queries = {q: [[o, s] for o, s in idx.query(q)] for q in QUERIES}
    assert queries["施工许可"] and not queries["不存在的词"]
    shards = []
    for name in sorted(p.stem for p in (d / "t").glob("*.json"))[:6]:
        raw = json.loads((d / "t" / f"{name}.json").read_text("utf-8"))
        expanded = expand_shard(raw, meta["fields"])
        lunr_idx = _load_index(expanded)
        scores = {e[0]: lunr_term_scores(lunr_idx, e[0]) for e in raw["terms"]}
        shards.append({"name": name, "expanded": expanded, "scores": scores})
    exp = tmp_path / "expected.json"
    exp.write_text(json.dumps({"queries": queries, "shards": shards}, ensure_ascii=False), "utf-8")
    env = dict(os.environ, POWERLIST_SEARCH_INDEX=str(d), POWERLIST_SEARCH_EXPECTED=str(exp))
    r = subprocess.run([node, "--test", "tests/js/search_engine.test.mjs"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
    assert "# pass 2" in r.stdout, r.stdout[-2000:]

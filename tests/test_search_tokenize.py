"""The search tokenizer (powerlist/search/tokenize.py) and its parity with the browser one."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from powerlist.search.tokenize import MAX_QUERY_CHARS, clip_query, index_tokens, query_terms, term_family, term_hash

ROOT = Path(__file__).resolve().parent.parent
VECTORS = json.loads((ROOT / "tests/data/tokenizer_vectors.json").read_text("utf-8"))


@pytest.mark.parametrize("v", VECTORS["tokens"], ids=lambda v: v["text"][:12] or "empty")
def test_shared_vectors(v: dict) -> None:
    assert index_tokens(v["text"]) == v["index"]
    assert query_terms(v["text"]) == v["query"]
    assert clip_query(v["text"])[1] == v["clipped"]


@pytest.mark.parametrize("h", VECTORS["hashes"], ids=lambda h: h["term"])
def test_shared_hashes(h: dict) -> None:
    assert term_hash(h["term"]) == h["hash"]
    assert term_family(h["term"]) == h["family"]


def test_substring_query_terms_are_all_in_the_longer_word() -> None:
    assert query_terms("施工许可") == ["施工", "工许", "许可"]
    assert set(query_terms("施工许可")) <= set(index_tokens("建筑工程施工许可证核发"))


def test_one_character_query_is_a_unigram() -> None:
    assert query_terms("局") == ["局"]
    assert "局" in index_tokens("潍坊市公安局")


def test_codes_kept_whole_and_by_parts() -> None:
    toks = index_tokens("370700-XK-00012-001")
    assert {"370700-xk-00012", "xk-00012", "00012", "370700-xk-00012-001"} <= set(toks)
    assert query_terms("370700-xk-00012") == ["370700-xk-00012"]
    assert query_terms("３７０７００－ＸＫ") == ["370700-xk"]  # full-width input


@pytest.mark.parametrize("q", [":~^*+-", "   ", "", "😀😀", "，。！？「」", '""', "-"])
def test_hostile_queries_give_no_terms(q: str) -> None:
    assert query_terms(q) == []


def test_long_query_is_clipped() -> None:
    text, clipped = clip_query("施" * 2000)
    assert clipped and len(text) == MAX_QUERY_CHARS
    assert query_terms("施工" * 1000) == ["施工", "工施"]


def test_node_tokenizer_agrees() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    r = subprocess.run([node, "--test", "tests/js/search_tokenize.test.mjs"], cwd=ROOT,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr

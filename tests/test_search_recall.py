"""Recall on the sample data: every item whose indexed text contains each word of the query is found.

The expected sets come from plain substring matching over the indexed fields (name, code, department name,
category, status, titles of cited laws), so the test fails if the index or the query semantics miss
anything; a few hand-written expectations pin well-known answers.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from powerlist.model.catalog import Catalog
from powerlist.model.records import Item
from powerlist.search.index import build_search_index
from powerlist.search.query import search
from powerlist.search.tokenize import normalize
from powerlist.source.load import load_catalog
from search_helpers import ROOT, write_index

QUERIES = [
    # substring inside a longer word
    "施工许可", "许可证核发", "食品添加剂", "排污许可", "竣工验收", "劳务派遣", "社会保险", "民办学校", "医疗机构",
    # two-character queries
    "公安", "许可", "登记", "奖励", "扣押", "审批",
    # department names
    "公安局", "潍城区", "市场监督管理局", "生态环境局", "卫生健康委员会",
    # categories and statuses
    "行政处罚", "行政许可", "行政确认", "取消", "下放", "冻结",
    # law titles
    "行政许可法", "建筑法", "道路交通安全法", "治安管理处罚法", "医疗机构管理条例", "中华人民共和国",
    # codes
    "370700-XK-00001", "370700-XK-00201-002", "370702", "XK-00302", "00701",
    # space-separated words
    "公安 许可", "食品 处罚", "潍城区 商品房", "建筑法 处罚", "行政处罚 生态环境",
    # one character
    "局", "证",
]
LITERAL = {
    "施工许可": {"370700-XK-00001", "370700-XK-00001-001", "370700-XK-00001-002", "370700-XK-00001-003",
                 "370700-CF-00001"},
    "370700-XK-00001": {"370700-XK-00001", "370700-XK-00001-001", "370700-XK-00001-002",
                        "370700-XK-00001-003"},
}


def _fields(cat: Catalog, it: Item) -> list[str]:
    laws = sorted({cat.laws[c.law].title for c in it.all_citations() if c.law in cat.laws})
    return [normalize(x).lower() for x in [it.name, it.code, cat.departments[it.department].name, it.category,
                                            it.status, *laws]]


def expected(cat: Catalog, query: str) -> set[str]:
    words = normalize(query).lower().split()
    return {it.code for it in cat.items.values()
            if all(any(w in f for f in _fields(cat, it)) for w in words)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Catalog, Path]:
    if not (ROOT / "items").is_dir():
        pytest.skip("no sample data")
    cat = load_catalog(ROOT)
    return cat, write_index(build_search_index(cat), tmp_path_factory.mktemp("recall"))


def test_sample_is_big_enough(sample: tuple[Catalog, Path]) -> None:
    assert len(sample[0].items) >= 90
    assert len(QUERIES) >= 30


@pytest.mark.parametrize("query", QUERIES)
def test_recall(sample: tuple[Catalog, Path], query: str) -> None:
    cat, d = sample
    want = expected(cat, query)
    assert want, f"{query!r} matches nothing in the sample data; pick another query"
    got = set(search(d, query))
    assert want <= got, f"missed {sorted(want - got)}"


@pytest.mark.parametrize("query", sorted(LITERAL))
def test_literal(sample: tuple[Catalog, Path], query: str) -> None:
    cat, d = sample
    assert LITERAL[query] <= set(search(d, query))
    assert LITERAL[query] <= expected(cat, query)


def test_precision(sample: tuple[Catalog, Path]) -> None:
    """Bigrams may match words that are not adjacent; that should stay rare."""
    cat, d = sample
    want = sum(len(expected(cat, q)) for q in QUERIES)
    got = sum(len(search(d, q)) for q in QUERIES)
    assert want / got >= 0.9

"""powerlist/search/index.py and query.py on a small hand-made catalog."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from powerlist.model.catalog import Catalog
from powerlist.model.errors import PowerlistError
from powerlist.search.index import build_search_index, ordered_items
from powerlist.search.query import search
from powerlist.search.query import SearchIndex
from search_helpers import build_small, small_catalog


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_small(tmp_path_factory.mktemp("idx"), heavy_postings=4, shard_postings=5, doc_block=4,
                       attr_block=3)


@pytest.mark.parametrize("query,codes", [
    ("施工许可", {"370700-XK-00001", "370700-XK-00001-001", "370700-CF-00001"}),
    ("公安", {"370700-XK-00003", "370700-CF-00002", "370700-QR-00001"}),  # department name
    ("行政许可法", {"370700-XK-00002", "370700-XK-00003", "370700-QR-00001", "370700-JC-00001",
                    "370700-XK-00004"}),  # cited law title
    ("取消", {"370700-QR-00001"}),  # status
    ("行政检查", {"370700-JC-00001"}),  # category
    ("370700-XK-00001", {"370700-XK-00001", "370700-XK-00001-001"}),  # code and its sub-item
    ("xk-00002", {"370700-XK-00002"}),
    ("ＩＳＯ９００１", {"370700-CF-00003"}),  # full-width Latin
    ("公安 许可", {"370700-XK-00003", "370700-QR-00001"}),  # two words, both required (许可: law title)
    ("𠀀", {"370700-XK-00004"}),  # astral-plane character, one-character query
    ("空白", set()),  # a department without items
    ("未引用", set()),  # a law nobody cites
])
def test_queries(index_dir: Path, query: str, codes: set[str]) -> None:
    assert set(search(index_dir, query)) == codes


def test_name_matches_rank_first(index_dir: Path) -> None:
    got = search(index_dir, "施工许可证核发")
    assert got[0] == "370700-XK-00001"


@pytest.mark.parametrize("q", ["", "   ", ":~^*+-", '"', "😀", "，。、；：？！", "a" * 2000, "施工" * 1000,
                               "name:施工", "施工~2", "+许可 -施工", "许可^10", "施*"])
def test_hostile_queries_do_not_raise(index_dir: Path, q: str) -> None:
    assert isinstance(search(index_dir, q), list)


def test_every_item_indexed_once(index_dir: Path) -> None:
    meta = json.loads((index_dir / "meta.json").read_text("utf-8"))
    cat = small_catalog()
    assert meta["count"] == len(cat.items)
    idx = SearchIndex(index_dir)
    assert sorted(idx.doc(o)[0] for o in range(meta["count"])) == sorted(cat.items)
    # every item is found by its own code
    for code in cat.items:
        assert code in search(index_dir, code)


def test_departments_are_ranges_in_index_order() -> None:
    cat = small_catalog()
    items = ordered_items(cat)
    files = build_search_index(cat)
    meta = json.loads(files.files["search/meta.json"])
    for dep_id, _name, start, count in meta["departments"]:
        assert all(it.department == dep_id for it in items[start:start + count])
    assert sum(d[3] for d in meta["departments"]) == len(items)


def test_output_is_deterministic() -> None:
    a = build_search_index(small_catalog()).files
    b = build_search_index(small_catalog()).files
    assert a == b


def test_unknown_department_is_an_error() -> None:
    cat = small_catalog()
    bad = Catalog(departments={k: v for k, v in cat.departments.items() if k != "wfgaj"}, items=cat.items,
                  laws=cat.laws)
    with pytest.raises(PowerlistError, match="unknown departments"):
        build_search_index(bad)


def test_site_contribution(tmp_path: Path) -> None:
    from powerlist.output.contribution import BuildContext
    from powerlist.search.contribution import site_contribution
    build = BuildContext(catalog=small_catalog(), settings={}, data_root=tmp_path, output_path=tmp_path / "out")
    first = site_contribution(build)     # quick: the nav link; the index is deferred past the item pages
    assert [n.url for n in first.nav] == ["search/"] and not first.pages and not first.assets
    assert first.later is not None
    c = first.later(build)
    assert [(p.url, p.template) for p in c.pages] == [("search/", "search.html")]
    paths = {a.path for a in c.assets}
    assert {"search/meta.json", "search/lunr.min.js", "search/tokenize.js", "search/search.js"} <= paths
    assert b"lunr" in next(a.data for a in c.assets if a.path == "search/lunr.min.js")


def test_missing_lunr_js_says_what_to_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from powerlist.search import contribution as search_mod
    monkeypatch.setattr(search_mod.Path, "is_file", lambda self: False)
    with pytest.raises(PowerlistError, match=r"make install"):
        search_mod.find_lunr_js(tmp_path)

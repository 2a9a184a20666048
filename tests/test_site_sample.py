"""The repository's own sample data built with the project's settings and every feature's contribution."""
from __future__ import annotations

from pathlib import Path

import pytest

from powerlist.model.settings import read_settings_file, settings_from_mapping
from powerlist.site.build import build_site
from powerlist.source.load import load_catalog

from site_html import broken_links, item_codes, parse_file

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow
if not (ROOT / "items").is_dir() or not (ROOT / "laws").is_dir():
    pytestmark = [pytest.mark.slow, pytest.mark.skip(reason="no sample data in items/ and laws/")]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("sample") / "out"
    result = build_site(ROOT, out)
    cat = load_catalog(ROOT, settings_from_mapping(read_settings_file(ROOT / "pelicanconf.py")))
    return {"out": out, "catalog": cat, "result": result}


def test_sample_site_has_every_page(sample):
    out: Path = sample["out"]
    cat = sample["catalog"]
    assert sample["result"].items == len(cat.items) >= 1
    for code, item in cat.items.items():
        doc = parse_file(out / "items" / code / "index.html")
        assert doc.find("h1").text().strip() == item.name
        if item.flow:
            assert doc.find("svg") is not None and doc.find("ol", class_="flow-steps") is not None
    for dep_id, items in cat.by_department.items():
        doc = parse_file(out / "departments" / dep_id / "index.html")
        assert sorted(set(item_codes(doc))) == sorted(i.code for i in items)
    for name, letters in cat.settings.categories:
        doc = parse_file(out / "categories" / letters.lower() / "index.html")
        assert sorted(set(item_codes(doc))) == sorted(i.code for i in cat.by_category.get(name, []))
    for law_id in cat.laws:
        assert (out / "laws" / law_id / "index.html").is_file()
    for url in ("index.html", "stats/index.html", "404.html", "robots.txt", "about/index.html",
                "methodology/index.html", "feedback/index.html"):
        assert (out / url).is_file(), url
    assert not (out / "sitemap.xml").exists()  # pelicanconf.py has no absolute SITEURL (see test_sitemap.py)


def test_sample_site_links_resolve(sample):
    assert broken_links(sample["out"]) == []


def test_sample_site_is_byte_identical_across_builds(sample, tmp_path):
    import hashlib

    def hashes(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    build_site(ROOT, tmp_path / "again")
    a, b = hashes(sample["out"]), hashes(tmp_path / "again")
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_parallel_build_with_contributions_is_identical(sample, tmp_path):
    import hashlib

    def hashes(root: Path) -> dict[str, str]:
        return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(root.rglob("*")) if p.is_file()}

    build_site(ROOT, tmp_path / "par", extra_settings={"POWERLIST_JOBS": 2, "POWERLIST_JOBS_MIN_ITEMS": 1})
    assert hashes(tmp_path / "par") == hashes(sample["out"])

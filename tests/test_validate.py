"""Negative cases as data: every file in tests/cases/invalid/ must produce exactly the problems it lists.

A case is either
- a file ``<name>.yaml`` whose leading comment lines say where it goes and what it must produce::

      # path: items/370700-zjj/370700-XK-00009.yaml
      # expect: items/370700-zjj/370700-XK-00009.yaml:4:11: category: '行政许' is not one of: …

  (the whole file, comments included, is written to that path over a copy of tests/fixtures/base, so the
  expected line numbers count the comment lines), or
- a folder ``<name>/`` holding files laid out as in a data root (overlaid onto the copy; they may hold raw
  bytes) and ``expect.txt`` with ``expect: …`` lines and optional ``delete: <path>`` lines.

The produced problem list must EQUAL the expected list (sorted, formatted as ``path:line:col: field: message``),
so the wording and the positions of every message are pinned.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from powerlist.model.catalog import Catalog
from powerlist.model.settings import settings_for_root
from powerlist.source.load import collect_problems, load_catalog

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
CASES = HERE / "cases" / "invalid"
REPO = HERE.parent


def _header(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {"path": [], "expect": [], "delete": []}
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            s = s[1:].strip()
        elif not s.startswith(("expect:", "delete:", "path:")):
            break
        for key in out:
            if s.startswith(key + ":"):
                out[key].append(s[len(key) + 1:].strip())
    return out


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.suffix == ".yaml" or p.is_dir())


def apply_case(case: Path, root: Path) -> list[str]:
    """Lay the case over a copy of the base data at ``root``; return the expected problem lines."""
    shutil.copytree(BASE, root)
    if case.is_dir():
        spec = _header((case / "expect.txt").read_text(encoding="utf-8"))
        for src in sorted(case.rglob("*")):
            if src.is_file() and src.name != "expect.txt":
                dst = root / src.relative_to(case)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, dst)
    else:
        text = case.read_text(encoding="utf-8")
        spec = _header(text)
        assert len(spec["path"]) == 1, f"{case.name}: give exactly one '# path:' line"
        dst = root / spec["path"][0]
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(text, encoding="utf-8")
    for rel in spec["delete"]:
        target = root / rel
        if target.is_dir():
            shutil.rmtree(target)
        else:
            target.unlink()
    assert spec["expect"], f"{case.name}: no expected problems listed"
    return spec["expect"]


def test_there_are_many_cases() -> None:
    assert len(_case_names()) >= 60


@pytest.mark.parametrize("name", _case_names())
def test_invalid_case(name: str, tmp_path: Path) -> None:
    root = tmp_path / "data"
    expected = apply_case(CASES / name, root)
    catalog, problems = collect_problems(root, settings_for_root(root))
    assert catalog is None
    assert [p.format() for p in problems] == expected
    assert problems == sorted(problems)


def test_base_fixture_is_valid() -> None:
    catalog, problems = collect_problems(BASE)
    assert problems == []
    assert catalog is not None
    assert len(catalog.items) == 4 and len(catalog.departments) == 2 and len(catalog.laws) == 3


# ---- the sample data of the repository ----

@pytest.fixture(scope="module")
def sample() -> Catalog:
    if not (REPO / "items").is_dir():
        pytest.skip("no sample data in this checkout")
    return load_catalog(REPO, settings_for_root(REPO))


def test_sample_data_validates_clean() -> None:
    if not (REPO / "items").is_dir():
        pytest.skip("no sample data in this checkout")
    catalog, problems = collect_problems(REPO, settings_for_root(REPO))
    assert [p.format() for p in problems] == []
    assert catalog is not None


def test_sample_data_meets_the_minimums(sample: Catalog) -> None:
    items = list(sample.items.values())
    assert len(sample.departments) >= 5
    assert len(items) >= 80
    assert {i.category for i in items} == set(sample.settings.category_names)
    assert len(sample.settings.category_names) == 10
    assert sum(1 for i in items if i.flow) >= 30
    assert sum(1 for i in items if i.responsibilities and i.accountability) >= 20
    assert any(i.parent for i in items)
    for status in ("取消", "下放", "冻结"):
        with_status = [i for i in items if i.status == status]
        assert with_status, status
        assert all(i.decision is not None for i in with_status), status
    assert all(i.decision is not None for i in items if not i.active)


def test_every_cited_article_is_in_its_law(sample: Catalog) -> None:
    missing = [(i.code, c.law, c.article) for i in sample.items.values() for c in i.all_citations()
               if c.article not in sample.laws[c.law].articles]
    assert missing == []


def test_suggestions_over_many_codes_find_a_typo_anywhere() -> None:
    """Near searches only the sorted neighbours of a word (bounded work), yet finds one typo at any place."""
    from powerlist.source.suggest import Near, suggest
    codes = [f"3707{r:02d}-{cat}-{n:05d}" for r in range(0, 40) for cat in ("XK", "CF", "QZ") for n in range(1, 60)]
    near = Near(codes)
    assert len(codes) > Near.SMALL
    for typo, meant in [("370712-XK-00O31", "370712-XK-00031"), ("370712-XL-00031", "370712-XK-00031"),
                        ("470712-XK-00031", "370712-XK-00031"), ("370712-XK-000319", "370712-XK-00039"),
                        ("370712-K-00031", "370712-XK-00031")]:
        assert near(typo) == f"; did you mean '{meant}'?" == suggest(typo, codes), typo   # as the whole search
    assert near("370712-XK-00031x", exclude="370712-XK-00031") != "; did you mean '370712-XK-00031'?"
    assert near("完全不同的文字") == ""
    small = Near(["jianzhufa", "xingzheng-xukefa"])
    assert small("jianzufa") == suggest("jianzufa", ["jianzhufa", "xingzheng-xukefa"]) == "; did you mean 'jianzhufa'?"

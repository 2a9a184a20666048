"""Issue 14's "done when", on the corpus: one ``powerlist import`` of a city's whole list (several 克拉玛依
departments' published sheets as one workbook, title rows and merges included) into an empty data folder gives
a folder that validates with warnings for generated laws only, whose citations and article texts are those
published, and that builds into a site."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from powerlist.cli.main import main
from powerlist.exchange.basis_text import parse_basis, title_key
from powerlist.exchange.importer import ImportOptions, run_import
from powerlist.source.load import load_catalog
from real_workbooks import karamay_workbook, rows_of

OPTS = {"region": "650200", "region_name": "克拉玛依市", "level": "市级", "date": "2025-01-01"}
CHINA = "中华人民共和国"


def _group(key: str) -> str:
    return key[len(CHINA):] if key.startswith(CHINA) else key


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object, dict]:
    d = tmp_path_factory.mktemp("karamay")
    where = karamay_workbook(d / "克拉玛依市权责清单.xlsx")
    root = d / "data"
    (root / "items").mkdir(parents=True)
    (root / "laws").mkdir()
    result = run_import(d / "克拉玛依市权责清单.xlsx", ImportOptions(root=root, **OPTS))
    return root, result, where


def test_the_whole_list_imports(imported: tuple[Path, object, dict]) -> None:
    root, result, _ = imported
    assert result.summary() == ("created 115 (5 with notes), skipped 0, needs attention 3; 12 new departments, "
                                "127 generated laws")
    # what is not imported is said, with the sheet row and the reason
    assert sorted((e.sheet, e.row, e.messages[0][:40]) for e in result.attention) == [
        ("1Sheet1", 23, "权力类别 '备注：包括市、区两级行使行政权力事项数量。' is not one "),
        ("1Sheet1", 23, "权力类别 '备注：包括市、区两级行使行政权力事项数量。' is not one "),
        ("5行政许可（11项）", 7, "权力类别 is empty")]
    assert any("sheets without a header naming 事项名称" in n and "10Sheet1" in n for n in result.notes)
    assert ("650200-czj", "克拉玛依市财政局", "items/650200-czj/_department.yaml") in result.departments
    dep = yaml.safe_load((root / "items" / "650200-czj" / "_department.yaml").read_text("utf-8"))
    assert dep == {"id": "650200-czj", "name": "克拉玛依市财政局", "region": "650200", "region_name": "克拉玛依市",
                   "level": "市级"}


def test_it_validates_with_warnings_for_generated_laws_only(imported: tuple[Path, object, dict]) -> None:
    root, result, _ = imported
    catalog = load_catalog(root)
    assert len(catalog.items) == 115 and len(catalog.laws) == 127
    assert {w.file for w in catalog.warnings} == {f"laws/{law}.yaml" for law in catalog.laws}
    assert {w.path for w in catalog.warnings} == {"generated"}
    law = yaml.safe_load((root / "laws" / "danganfa.yaml").read_text("utf-8"))
    assert {k: law[k] for k in ("title", "level", "issuer", "status")} == {
        "title": "中华人民共和国档案法", "level": "法律", "issuer": "全国人民代表大会常务委员会", "status": "现行有效"}
    assert law["generated"] == {"by": "powerlist import", "source": "克拉玛依市权责清单.xlsx", "date": "2025-01-01"}


def test_citations_and_article_texts_are_the_published_ones(imported: tuple[Path, object, dict]) -> None:
    root, result, where = imported
    catalog = load_catalog(root)
    back = {at: key for key, at in where.items()}
    published_texts: dict[tuple[str, int], set[str]] = {}
    checked = 0
    for folder in {k[0] for k in where}:
        for row in rows_of(folder):
            for c in parse_basis(row["cells"].get("实施依据", "")).citations:
                if c.article is not None and c.paragraph is None and c.item is None and c.text:
                    published_texts.setdefault((_group(c.title_key), c.article), set()).add(c.text)
    for e in result.created:
        if any("main item made" in n for n in e.notes):
            continue
        folder, sheet, n = back[(e.sheet, e.row)]
        [row] = [r for r in rows_of(folder) if r.get("sheet") == sheet and r["source_row"] == n]
        if not row["cells"]["实施依据"].strip():
            continue                # a row under a merged 实施依据: the merged cell's text was filled in
        expected = []
        for c in parse_basis(row["cells"]["实施依据"]).citations:
            pin = (c.article, c.paragraph, c.item) if c.article is not None else (c.point, c.point_label)
            if (_group(c.title_key), pin) not in expected:
                expected.append((_group(c.title_key), pin))
        item = catalog.items[e.data["code"]]
        got = [(_group(title_key(catalog.laws[c.law].title)),
                (c.article, c.paragraph, c.item) if c.article is not None else (c.point, c.point_label))
               for c in item.basis]
        assert got == expected, (e.sheet, e.row)
        checked += 1
    assert checked >= 100
    texts = 0
    for law in catalog.laws.values():
        for art, text in law.articles.items():
            assert text in published_texts[(_group(title_key(law.title)), art)]
            texts += 1
    assert texts >= 100


def test_conflicting_texts_are_reported_not_chosen(imported: tuple[Path, object, dict]) -> None:
    root, result, _ = imported
    [c] = [c for c in result.conflicts if (c.law, c.article) == ("kuaijifa", 40)]
    assert [rows for _, rows in c.texts] == [["[1Sheet1] row 5"], ["[1Sheet1] row 9"]]
    assert 40 not in (yaml.safe_load((root / "laws" / "kuaijifa.yaml").read_text("utf-8")).get("articles") or {})


def test_it_builds(imported: tuple[Path, object, dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root, _, _ = imported
    assert main(["validate", str(root)]) == 0
    assert main(["validate", str(root), "--strict"]) == 1
    assert main(["build", str(root), "-o", str(tmp_path / "site")]) == 0
    page = (tmp_path / "site" / "laws" / "danganfa" / "index.html").read_text("utf-8")
    assert "本条目由程序根据清单文件 克拉玛依市权责清单.xlsx 自动生成（2025-01-01）" in page


def test_report_files(imported: tuple[Path, object, dict], tmp_path: Path) -> None:
    _, result, _ = imported
    md = result.to_markdown()
    assert md.startswith("# Import of ") and "## Laws generated" in md and "| danganfa | 中华人民共和国档案法 |" in md
    doc = result.to_dict()
    assert len(doc["laws_generated"]) == 127 and doc["summary"] == result.summary()
    assert {"sheet": "5行政许可（11项）", "row": 7} in [{k: r[k] for k in ("sheet", "row")} for r in doc["rows"]
                                                        if r["status"] == "attention"]

"""The format extensions issue 14 needs: citations of a whole document or of a numbered point of it, item fields
kept from a foreign list (source_code, levels), and law files marked as generated (a warning; validate --strict
fails on it)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from powerlist.cli.main import main
from powerlist.model.citation import article_label, format_citation
from powerlist.model.records import Citation, Law
from powerlist.site.render import citation_href
from powerlist.source.load import load_catalog

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"

DECISION = Law("guofa-2010-21", "国务院关于第五批取消和下放管理层级行政审批项目的决定", "规范性文件", "国务院", "现行有效",
               document="国发〔2010〕21号")


@pytest.mark.parametrize("c,text", [
    (Citation("guofa-2010-21"), "《国务院关于第五批取消和下放管理层级行政审批项目的决定》"),
    (Citation("guofa-2010-21", point=193, point_label="附件第193项"),
     "《国务院关于第五批取消和下放管理层级行政审批项目的决定》附件第193项"),
    (Citation("guofa-2010-21", point=37), "《国务院关于第五批取消和下放管理层级行政审批项目的决定》第37项"),
    (Citation("guofa-2010-21", point_label="第五章"), "《国务院关于第五批取消和下放管理层级行政审批项目的决定》第五章"),
])
def test_citation_without_an_article_is_rendered(c: Citation, text: str) -> None:
    assert format_citation(c, {DECISION.id: DECISION}) == text
    assert citation_href(c) == "laws/guofa-2010-21/"


def test_citation_with_an_article_still_links_to_the_article() -> None:
    assert article_label(Citation("x", 12, 1, 2)) == "第十二条第一款第（二）项"
    assert citation_href(Citation("x", 12)) == "laws/x/#art-12"


GENERATED_LAW = """\
id: guofa-2010-21
title: 国务院关于第五批取消和下放管理层级行政审批项目的决定
level: 规范性文件
issuer: 国务院
document: 国发〔2010〕21号
status: 现行有效
edition: 2010年7月4日
generated:
  by: powerlist import
  source: 清单.xlsx
  date: 2025-01-02
articles:
  3: 第三条的文字
"""

ITEM = """\
code: 370700-XK-00009
name: 测试事项
category: 行政许可
department: 370700-zjj
status: 保留
basis:
  - law: guofa-2010-21
    point: 193
    point_label: 附件第193项
  - law: guofa-2010-21
  - law: guofa-2010-21
    article: 7
source_code: '210973001000'
levels: [市级, 县级]
"""

WARNING = ("laws/guofa-2010-21.yaml:8:1: warning: generated: written by powerlist import from 清单.xlsx on "
           "2025-01-02 and not yet checked: compare the title, level, issuer, document and the 1 article text(s) "
           "with the official text, then delete 'generated' (from then on, citations are checked against the "
           "articles listed)")


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    shutil.copytree(BASE, r)
    (r / "laws" / "guofa-2010-21.yaml").write_text(GENERATED_LAW, encoding="utf-8")
    (r / "items" / "370700-zjj" / "370700-XK-00009.yaml").write_text(ITEM, encoding="utf-8")
    return r


def test_new_fields_load(root: Path) -> None:
    cat = load_catalog(root)
    it = cat.items["370700-XK-00009"]
    assert it.basis == (Citation("guofa-2010-21", point=193, point_label="附件第193项"), Citation("guofa-2010-21"),
                        Citation("guofa-2010-21", 7))
    assert (it.source_code, it.levels) == ("210973001000", ("市级", "县级"))
    law = cat.laws["guofa-2010-21"]
    assert law.generated is not None and law.generated.to_dict() == {"by": "powerlist import", "source": "清单.xlsx",
                                                                    "date": "2025-01-02"}
    assert law.edition == "2010年7月4日"
    # article 7 is not among the articles of a generated law: not an error (it lists what the list pasted)
    assert cat.citing["guofa-2010-21"] == {7: [it]}
    assert cat.citing_document["guofa-2010-21"] == [it]
    assert cat.items_citing("guofa-2010-21") == [it]
    assert [w.format() for w in cat.warnings] == [WARNING]
    assert it.to_dict()["source_code"] == "210973001000" and it.to_dict()["levels"] == ["市级", "县级"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_warns_and_strict_fails(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(root)) == (
        0, "ok: 5 items, 2 departments, 4 laws; 1 warning\n", WARNING + "\n1 warning in 1 file\n")
    assert run(capsys, "validate", str(root), "--strict")[0] == 1
    code, out, _ = run(capsys, "validate", str(root), "--format", "json")
    doc = json.loads(out)
    assert (code, doc["valid"], doc["count"], doc["problems"][0]["severity"]) == (0, True, 1, "warning")
    code, out, _ = run(capsys, "validate", str(root), "--format", "github")
    assert code == 0 and out.startswith("::warning file=laws/guofa-2010-21.yaml,line=8,col=1::generated: written by")


def test_checked_law_is_checked_against_its_articles(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    law = root / "laws" / "guofa-2010-21.yaml"
    law.write_text(GENERATED_LAW.split("generated:")[0] + "articles:\n  3: 第三条的文字\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    assert code == 1
    assert "basis[2].article: article 7 is not in laws/guofa-2010-21.yaml (it lists 1 articles: 3)" in err


def test_warnings_are_listed_beside_errors(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "items" / "370700-zjj" / "370700-XK-00009.yaml").write_text(ITEM.replace("category: 行政许可",
                                                                                      "category: 许可"),
                                                                         encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    assert code == 1
    assert WARNING in err and err.endswith("1 problem and 1 warning in 2 files\n")

"""The reform report page (POWERLIST_BASELINE): counts, lists with decision documents, chart, fallbacks."""
from __future__ import annotations

import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest

from audit_repo import settings_file, shared_story
from powerlist.model.errors import PowerlistError
from powerlist.output.contribution import BuildContext
from powerlist.source.load import load_catalog
from powerlist.vcs.reform import reform_page


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return shared_story(tmp_path_factory.getbasetemp())


def _ctx(root: Path, warnings: list[str]) -> BuildContext:
    return BuildContext(catalog=load_catalog(root), settings={}, data_root=root, output_path=root / "out",
                        warn=warnings.append)


def test_reform_context(story: tuple[Path, dict[str, str]]) -> None:
    root, h = story
    warnings: list[str] = []
    page = reform_page(_ctx(root, warnings), "baseline-2024")
    assert warnings == []
    assert page.url == "reform/" and page.template == "reform.html"
    c = page.context
    assert c["reform_available"] and c["baseline_commit"] == h["init"] and c["baseline_day"] == "2024-01-01"
    assert c["summary"] == "由 3 项压减为 1 项，压减比例 66.7%"
    assert [(r["department_name"], r["before"], r["after"], r["ratio"]) for r in c["department_rows"]] == [
        ("潍坊市住房和城乡建设局", 3, 1, "66.7%")]
    assert [(r["category"], r["before"], r["after"], r["sentence"]) for r in c["category_rows"]] == [
        ("行政许可", 2, 1, "由 2 项压减为 1 项，压减比例 50.0%"), ("行政处罚", 1, 0, "由 1 项压减为 0 项，压减比例 100.0%")]
    lists = {lst["status"]: lst["entries"] for lst in c["status_lists"]}
    assert [(e["code"], e["document"], e["date"]) for e in lists["取消"]] == [
        ("370700-CF-00001", "潍政发〔2024〕1号", "2024-01-04")]
    assert [(e["code"], e["document"], e["to"], e["to_url"]) for e in lists["下放"]] == [
        ("370700-XK-00001", "潍政发〔2024〕2号", "潍城区住房和城乡建设局", "departments/370702-zjj/")]
    assert lists["冻结"] == [] and lists["合并"] == [] and lists["转出"] == []
    assert [e["code"] for e in c["added"]] == ["370700-XK-00003"]
    assert [e["code"] for e in c["removed"]] == ["370700-XK-00002"]


def test_bad_baseline_is_a_configuration_error(story: tuple[Path, dict[str, str]]) -> None:
    with pytest.raises(PowerlistError, match="POWERLIST_BASELINE"):
        reform_page(_ctx(story[0], []), "no-such-tag")


def test_no_git(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story[0], plain, ignore=shutil.ignore_patterns(".git"))
    warnings: list[str] = []
    page = reform_page(_ctx(plain, warnings), "baseline-2024")
    assert page.context["reform_available"] is False
    assert len(warnings) == 1


def _text(html: str) -> str:
    body = re.sub(r"(?s).*<main[^>]*>|</main>.*", "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_reform_page_in_the_site(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    from powerlist.site.build import build_site

    conf = settings_file(tmp_path / "conf.py", POWERLIST_BASELINE="baseline-2024")
    build_site(story[0], tmp_path / "site", settings_file=conf)
    html = (tmp_path / "site" / "reform" / "index.html").read_text(encoding="utf-8")
    text = _text(html)
    assert "现行保留的权力事项由 3 项压减为 1 项，压减比例 66.7%" in text
    assert "取消的事项（1 项）" in text and "潍政发〔2024〕1号 2024-01-04" in text
    assert "下放的事项（1 项）" in text and "潍城区住房和城乡建设局" in text
    assert "新增的事项（1 项）" in text
    assert 'href="../items/370700-CF-00001/"' in html
    try:
        import powerlist.svg.charts  # noqa: F401
    except ImportError:
        pass
    else:
        assert "<svg" in html
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="./reform/"' in home or 'href="reform/"' in home or "/reform/" in home

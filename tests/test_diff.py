"""The semantic diff: revisions and folders, grouped changes, counts and the reduction sentence, formats, CLI."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from audit_repo import shared_story
from powerlist.cli.main import main
from powerlist.model.catalog import Catalog
from powerlist.model.errors import UsageError
from powerlist.model.records import Decision, Department, Item, Law, Citation
from powerlist.vcs.diff import (department_totals, diff_catalogs, load_side, reduction_ratio, reduction_sentence,
                                semantic_diff)
from powerlist.vcs.diff_render import render_json, render_markdown, render_text


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return shared_story(tmp_path_factory.getbasetemp())


def test_reduction_wording() -> None:
    assert reduction_sentence(1648, 216) == "由 1648 项压减为 216 项，压减比例 86.9%"
    assert reduction_sentence(3, 5) == "由 3 项增加为 5 项，增加 2 项"
    assert reduction_sentence(4, 4) == "保持 4 项，数量未变"
    assert reduction_ratio(0, 3) == "—"
    assert reduction_ratio(3, 0) == "100.0%"


def test_diff_between_revisions(story: tuple[Path, dict[str, str]]) -> None:
    root, h = story
    d = semantic_diff(h["init"], "HEAD", root=root)
    assert d.old_label == h["init"][:7] or d.old_label.startswith(h["init"])
    assert [(x.code, x.kind) for x in d.added] == [("370700-XK-00003", "added")]
    assert [(x.code, x.old_status) for x in d.removed] == [("370700-XK-00002", "保留")]
    assert [(x.code, x.old_status, x.new_status, x.decision["document"] if x.decision else None)
            for x in d.status_changes] == [("370700-CF-00001", "保留", "取消", "潍政发〔2024〕1号"),
                                           ("370700-XK-00001", "保留", "下放", "潍政发〔2024〕2号")]
    xk1 = d.status_changes[1]
    assert xk1.decision_to == "潍城区住房和城乡建设局（370702-zjj）"
    assert xk1.changes[:3] == ["事项名称：建筑工程施工许可证核发 → 建筑工程施工许可", "状态：保留 → 下放",
                               "实施依据：新增《中华人民共和国行政许可法》第十二条"]
    assert d.modified == []
    assert d.transitions == {"保留 → 取消": 1, "保留 → 下放": 1}
    assert [(r.department, r.category, r.before, r.after, r.ratio) for r in d.counts] == [
        ("370700-zjj", "行政许可", 2, 1, "50.0%"), ("370700-zjj", "行政处罚", 1, 0, "100.0%")]
    assert [(t.before, t.after) for t in department_totals(d.counts)] == [(3, 1)]
    assert d.summary == "由 3 项压减为 1 项，压减比例 66.7%"
    assert [(o.kind, o.id, o.action, o.changes) for o in d.others] == [
        ("law", "xingzheng-xukefa", "修改", ["条文：新增第十三条"])]
    # every department section is present, grouped in the list's order
    assert [s.id for s in d.sections] == ["370700-zjj", "370702-zjj"]


def test_text_markdown_json(story: tuple[Path, dict[str, str]]) -> None:
    root, h = story
    d = semantic_diff(h["init"], h["cancel"], root=root)
    text = render_text(d)
    assert "保留事项：由 3 项压减为 2 项，压减比例 33.3%" in text
    assert "  * 状态  370700-CF-00001 对未取得施工许可证擅自施工的处罚：保留 → 取消（潍政发〔2024〕1号，2024-01-04）" in text
    assert "  ~ 修改  370700-XK-00001 建筑工程施工许可" in text
    assert "          · 实施依据：新增《中华人民共和国行政许可法》第十二条" in text
    md = render_markdown(d)
    assert "| 潍坊市住房和城乡建设局 | 行政处罚 | 1 | 0 | 100.0% |" in md
    assert "| **全部** | 合计 | 3 | 2 | 33.3% |" in md
    assert "- **保留 → 取消** `370700-CF-00001` 对未取得施工许可证擅自施工的处罚（潍政发〔2024〕1号，2024-01-04）" in md
    doc = json.loads(render_json(d))
    assert doc["summary"]["sentence"] == "由 3 项压减为 2 项，压减比例 33.3%"
    assert doc["departments"][0]["status_changes"][0]["code"] == "370700-CF-00001"
    assert doc["counts"][1] == {"department": "370700-zjj", "department_name": "潍坊市住房和城乡建设局",
                                "category": "行政处罚", "before": 1, "after": 0, "ratio": "100.0%"}


def test_markdown_escapes_data() -> None:
    dep = Department("d", "部门|<b>", "370700", "潍坊市", "市级")
    law = Law("l", "法", "法律", "全国人大", "现行有效")
    a = Catalog({"d": dep}, {}, {"l": law})
    it = Item("370700-XK-00001", "<script>x</script>|*名称*", "行政许可", "d", "保留", (Citation("l", 1),))
    b = Catalog({"d": dep}, {it.code: it}, {"l": law})
    md = render_markdown(diff_catalogs(a, b, old_label="a", new_label="b"))
    assert "<script>" not in md and "&lt;script&gt;" in md
    assert "\\|\\*名称\\*" in md
    assert "部门\\|&lt;b&gt;" in md


def test_working_tree_and_folders(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, h = story
    work = tmp_path / "work"
    shutil.copytree(root, work, ignore=shutil.ignore_patterns(".git"))
    p = work / "items/370700-zjj/370700-XK-00003.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("status: 保留", "status: 冻结")
                 + "decision:\n  document: 冻结通知\n  date: \"2024-02-01\"\n", encoding="utf-8")
    d = semantic_diff(str(root), str(work), root=root)   # two folders
    assert [(x.code, x.new_status) for x in d.status_changes] == [("370700-XK-00003", "冻结")]
    assert d.old_label == str(root)
    same = semantic_diff("HEAD", root=root)               # the working tree equals HEAD
    assert same.empty and "两个版本的清单内容相同。" in render_text(same)
    assert load_side(None, root).label == "工作区"


def test_errors(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a revision"):
        semantic_diff("no-such-tag", root=story[0])
    (tmp_path / "items").mkdir()
    with pytest.raises(UsageError, match="not in a git repository"):
        semantic_diff("HEAD", root=tmp_path)


def test_cli(story: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    root, h = story
    assert main(["diff", h["init"], h["rename"], "--root", str(root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["added"] == 1 and doc["summary"]["removed"] == 1
    out = tmp_path / "diff.md"
    assert main(["diff", h["init"], "--root", str(root), "--format", "markdown", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("### 权力清单变更：")
    assert main(["diff", "nope", "--root", str(root)]) == 2
    assert "'nope' is not a revision" in capsys.readouterr().err


def test_cli_runs_inside_the_repository(story: tuple[Path, dict[str, str]]) -> None:
    root, h = story
    exe = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "powerlist"
    if not exe.exists():
        pytest.skip("the powerlist entry point is not installed in .venv")
    proc = subprocess.run([str(exe), "diff", "HEAD~1"], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "  ~ 修改  370700-XK-00003 建筑业企业资质核准（延续）" in proc.stdout
    assert "事项说明：新增 资质延续" in proc.stdout


def test_history_cli(story: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]) -> None:
    root, _ = story
    assert main(["history", "370700-CF-00001", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "取消处罚事项" in out and "· 状态：保留 → 取消" in out
    assert main(["history", "xingzheng-xukefa", "--root", str(root), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["changes"] for r in doc["revisions"]] == [["条文：新增第十三条"], []]
    assert main(["history", "nothing", "--root", str(root)]) == 2


def test_decision_model_used_in_diff() -> None:
    dep = Department("d", "部门", "370700", "潍坊市", "市级")
    law = Law("l", "法", "法律", "全国人大", "现行有效")
    it = Item("370700-XK-00001", "甲", "行政许可", "d", "保留", (Citation("l", 1),))
    it2 = Item("370700-XK-00002", "乙", "行政许可", "d", "保留", (Citation("l", 1),))
    merged = Item(it.code, "甲", "行政许可", "d", "合并", (Citation("l", 1),),
                  decision=Decision("合并通知", "2024-03-01", to=it2.code))
    d = diff_catalogs(Catalog({"d": dep}, {it.code: it, it2.code: it2}, {"l": law}),
                      Catalog({"d": dep}, {it.code: merged, it2.code: it2}, {"l": law}))
    assert d.status_changes[0].decision_to == "乙（370700-XK-00002）"
    assert d.summary == "由 2 项压减为 1 项，压减比例 50.0%"

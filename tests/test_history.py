"""History from git: revisions per item with field-level changes, renames, merges, non-UTF-8 messages,
shallow clones and folders outside git; the site contribution and the Atom feed."""
from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from audit_repo import XK1, Repo, item_yaml, shared_story
from powerlist.output.contribution import BuildContext
from powerlist.vcs import git as gitrepo, history
from powerlist.vcs.contribution import site_contribution
from powerlist.vcs.fieldchanges import Names, field_changes
from powerlist.vcs.history import UNAVAILABLE_NO_GIT, UNAVAILABLE_SHALLOW, classify, read_history


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    return shared_story(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def hist(story: tuple[Path, dict[str, str]]) -> history.History:
    return read_history(story[0])


def _summary(revs: list[history.Revision]) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [(r.commit.date[:10], r.commit.author, r.commit.subject, r.action, r.changes) for r in revs]


def test_item_history_with_field_changes(hist: history.History, story: tuple[Path, dict[str, str]]) -> None:
    assert hist.available and hist.reason == ""
    assert _summary(hist.for_item("370700-XK-00001")) == [
        ("2024-01-05", "李四", "下放施工许可", "修改",
         ("状态：保留 → 下放",
          "调整依据：新增 文件 潍政发〔2024〕2号，日期 2024-01-05，去向 潍城区住房和城乡建设局（370702-zjj）")),
        ("2024-01-02", "张三", "修改施工许可事项名称和依据", "修改",
         ("事项名称：建筑工程施工许可证核发 → 建筑工程施工许可", "实施依据：新增《中华人民共和国行政许可法》第十二条")),
        ("2024-01-01", "张三", "初始清单", "新增", ()),
    ]
    first = hist.for_item("370700-XK-00001")[0]
    assert first.commit.sha == story[1]["delegate"] and first.commit.short == story[1]["delegate"][:7]
    assert first.path == XK1


def test_cancel(hist: history.History) -> None:
    assert _summary(hist.for_item("370700-CF-00001"))[0] == (
        "2024-01-04", "张三", "取消处罚事项", "修改",
        ("状态：保留 → 取消", "调整依据：新增 文件 潍政发〔2024〕1号，日期 2024-01-04"))


def test_rename_is_followed_and_non_utf8_messages_are_read(hist: history.History) -> None:
    revs = hist.for_item("370700-XK-00003")
    assert _summary(revs) == [
        ("2024-01-09", "张三", "补充 summary", "修改", ("事项说明：新增 资质延续",)),       # GBK bytes, no header
        ("2024-01-08", "wangwu", "调整资质核准名称", "修改",                               # i18n.commitEncoding=GBK
         ("事项名称：建筑业企业资质核准 → 建筑业企业资质核准（延续）",)),
        ("2024-01-03", "张三", "事项重新编号", "移动",
         ("文件：items/370700-zjj/370700-XK-00002.yaml → items/370700-zjj/370700-XK-00003.yaml",
          "事项编码：370700-XK-00002 → 370700-XK-00003")),
        ("2024-01-01", "张三", "初始清单", "新增", ()),
    ]
    assert revs[-1].key == "370700-XK-00002" and revs[0].key == "370700-XK-00003"
    assert hist.for_item("370700-XK-00002") == []  # the old code has no file any more


def test_merge_commit_without_own_changes_adds_no_revision(hist: history.History,
                                                          story: tuple[Path, dict[str, str]]) -> None:
    shas = [c.sha for c in hist.commits]
    h = story[1]
    assert h["merge"] not in shas
    # every other commit is listed once, newest first (commit-date order)
    assert shas == [h["raw"], h["gbk"], h["law"], h["delegate"], h["cancel"], h["rename"], h["edit"], h["init"]]


def test_law_and_department_history(hist: history.History) -> None:
    assert _summary(hist.for_law("xingzheng-xukefa"))[0][2:] == ("行政许可法补充第十三条", "修改", ("条文：新增第十三条",))
    assert [r.action for r in hist.for_department("370702-zjj")] == ["新增"]
    assert len(hist.revisions) == 14
    assert hist.revisions[0].key == "370700-XK-00003"


def test_merge_with_conflict_resolution_is_a_revision(tmp_path: Path) -> None:
    r = Repo(tmp_path / "m")
    r.commit("初始", 1, {XK1: item_yaml("370700-XK-00001", "甲")})
    r.git("checkout", "-q", "-b", "side")
    r.commit("分支改名", 2, {XK1: item_yaml("370700-XK-00001", "乙")})
    r.git("checkout", "-q", "main")
    r.commit("主线改名", 3, {XK1: item_yaml("370700-XK-00001", "丙")})
    proc = subprocess.run(["git", "merge", "-q", "side"], cwd=r.path, env=r.env(4, ("a", "a@x")),
                          capture_output=True)
    assert proc.returncode != 0  # a conflict, resolved by hand below
    merge = r.commit("合并并确定名称", 4, {XK1: item_yaml("370700-XK-00001", "丁")})
    revs = read_history(r.path).for_item("370700-XK-00001")
    assert [(x.commit.subject, x.changes) for x in revs] == [
        ("合并并确定名称", ("事项名称：丙 → 丁",)),   # compared with the first parent
        ("主线改名", ("事项名称：甲 → 丙",)),
        ("分支改名", ("事项名称：甲 → 乙",)),
        ("初始", ()),
    ]
    assert revs[0].commit.sha == merge and len(revs[0].commit.parents) == 2


def test_move_to_another_department_keeps_history(tmp_path: Path) -> None:
    r = Repo(tmp_path / "mv")
    old = "items/370700-zjj/370700-XK-00001.yaml"
    new = "items/370700-fgw/370700-XK-00001.yaml"
    r.commit("初始", 1, {old: item_yaml("370700-XK-00001", "甲")})
    r.git("mv", "items/370700-zjj", "items/370700-fgw")
    r.commit("划转", 2, {new: item_yaml("370700-XK-00001", "甲", department="370700-fgw")})
    revs = read_history(r.path).for_item("370700-XK-00001")
    assert [(x.action, x.changes) for x in revs] == [
        ("移动", (f"文件：{old} → {new}", "实施主体：370700-zjj → 370700-fgw")), ("新增", ())]


def test_deleted_item_leaves_the_change_log_but_not_the_files(tmp_path: Path) -> None:
    r = Repo(tmp_path / "del")
    r.commit("初始", 1, {XK1: item_yaml("370700-XK-00001", "甲")})
    r.commit("删除", 2, {XK1: None})
    h = read_history(r.path)
    assert [(x.action, x.key, x.name) for x in h.revisions] == [("删除", "370700-XK-00001", "甲"),
                                                              ("新增", "370700-XK-00001", "甲")]
    assert h.files == {}


def test_data_folder_below_the_repository_top(tmp_path: Path) -> None:
    r = Repo(tmp_path / "top")
    r.commit("初始", 1, {"data/" + XK1: item_yaml("370700-XK-00001", "甲"), "README.md": "x\n"})
    r.commit("改名", 2, {"data/" + XK1: item_yaml("370700-XK-00001", "乙"), "README.md": "y\n"})
    h = read_history(r.path / "data")
    assert [(x.path, x.changes) for x in h.for_item("370700-XK-00001")] == [
        (XK1, ("事项名称：甲 → 乙",)), (XK1, ())]


def test_one_log_walk_and_one_blob_reader(story: tuple[Path, dict[str, str]],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """However many items and commits: rev-parse (2) + one git log + one cat-file --batch."""
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def popen(args, *a, **kw):  # type: ignore[no-untyped-def]  # subprocess.run goes through Popen too
        calls.append(list(args))
        return real_popen(args, *a, **kw)

    monkeypatch.setattr(subprocess, "Popen", popen)
    read_history(story[0])
    assert [c[0] for c in calls] == ["git"] * len(calls)
    assert sum(1 for c in calls if "log" in c) == 1
    assert sum(1 for c in calls if "cat-file" in c) == 1
    assert len(calls) <= 4


def test_shallow_clone_and_no_git(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{story[0]}", str(shallow)], check=True,
                   capture_output=True)
    h = read_history(shallow)
    assert not h.available and h.reason == UNAVAILABLE_SHALLOW and "修订记录暂不可用" in h.reason
    plain = tmp_path / "plain"
    shutil.copytree(story[0], plain, ignore=shutil.ignore_patterns(".git"))
    h2 = read_history(plain)
    assert not h2.available and h2.reason == UNAVAILABLE_NO_GIT and h2.revisions == []


def test_classify() -> None:
    assert classify("items/a/_department.yaml") == ("department", "a")
    assert classify("items/a/370700-XK-00001.yaml") == ("item", "370700-XK-00001")
    assert classify("laws/jianzhufa.yaml") == ("law", "jianzhufa")
    assert classify("items/a/README.md") is None
    assert classify("items/a/b/c.yaml") is None


def test_field_changes_sentences() -> None:
    names = Names(laws={"xk": "中华人民共和国行政许可法"}, departments={"qu": "潍城区住房和城乡建设局"})
    old = {"code": "X", "name": "甲", "status": "保留", "basis": [{"law": "xk", "article": 10}],
           "office": "审批科", "time_limit": {"statutory": "20个工作日"},
           "flow": [{"id": "a", "name": "受理"}, {"id": "b", "name": "审查"}], "summary": "短"}
    new = {"code": "X", "name": "甲", "status": "合并", "basis": [{"law": "xk", "article": 12, "item": 2}],
           "time_limit": {"statutory": "15个工作日", "promised": "5个工作日"},
           "flow": [{"id": "a", "name": "受理"}, {"id": "b", "name": "审查并决定"}, {"id": "c", "name": "送达"}],
           "summary": "很长的说明" * 20, "decision": {"document": "文件", "date": "2024-01-01", "to": "qu"}}
    assert field_changes("item", old, new, names) == [
        "状态：保留 → 合并",
        "实施依据：新增《中华人民共和国行政许可法》第十二条第（二）项",
        "实施依据：删除《中华人民共和国行政许可法》第十条",
        "承办机构：删除 审批科",
        "事项说明：已修改",
        "办理时限·法定时限：20个工作日 → 15个工作日",
        "办理时限·承诺时限：新增 5个工作日",
        "运行流程：新增步骤「送达」",
        "运行流程：修改步骤「审查并决定」",
        "调整依据：新增 文件 文件，日期 2024-01-01，去向 潍城区住房和城乡建设局（qu）",
    ]
    assert field_changes("item", {"basis": [{"law": "xk", "article": 1}, {"law": "xk", "article": 2}]},
                         {"basis": [{"law": "xk", "article": 2}, {"law": "xk", "article": 1}]}) == ["实施依据：调整顺序"]
    assert field_changes("law", {"articles": {1: "a", 2: "b"}}, {"articles": {2: "c", 3: "d"}}) == [
        "条文：新增第三条", "条文：删除第一条", "条文：修改第二条"]
    assert field_changes("item", {"fee": {"charged": False}}, {"fee": {"charged": True}}) == ["收费·是否收费：否 → 是"]


# ---- the site contribution ----

def _build_ctx(root: Path, warnings: list[str], **settings: object) -> BuildContext:
    from powerlist.source.load import load_catalog
    cat = load_catalog(root)
    return BuildContext(catalog=cat, settings={"SITENAME": "测试清单", **settings}, data_root=root,
                        output_path=root / "out", warn=warnings.append)


def test_site_contribution(story: tuple[Path, dict[str, str]]) -> None:
    warnings: list[str] = []
    c = site_contribution(_build_ctx(story[0], warnings, POWERLIST_CHANGES_PER_PAGE=5,
                                     POWERLIST_REPO_URL="https://example.org/repo"))
    assert warnings == []
    assert c.item_partials == ["partials/item_history.html"] and c.home_partials == ["partials/home_changes.html"]
    revs = c.item_context["370700-XK-00001"]["revisions"]
    assert [r["changes"][0] for r in revs if r["changes"]] == ["状态：保留 → 下放", "事项名称：建筑工程施工许可证核发 → 建筑工程施工许可"]
    assert revs[0]["commit_url"] == f"https://example.org/repo/commit/{revs[0]['hash']}"
    assert [p.url for p in c.pages] == ["changes/", "changes/page/2/", "changes/page/3/"]
    assert c.pages[1].context["pagination"]["prev_url"] == "changes/"
    assert len(c.global_context["recent_changes"]) == 8
    assert [n.url for n in c.nav] == ["changes/"]
    feed = c.assets[0]
    assert feed.path == "feeds/changes.atom.xml"
    root = ET.fromstring(feed.data)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert len(entries) == 8  # the commits with changes (the merge has none of its own)
    assert root.findtext("a:updated", namespaces=ns) == "2024-01-09T10:00:00+08:00"
    assert entries[0].findtext("a:title", namespaces=ns) == "补充 summary"
    # deterministic: the same repository gives the same bytes
    assert site_contribution(_build_ctx(story[0], [], POWERLIST_CHANGES_PER_PAGE=5,
                                        POWERLIST_REPO_URL="https://example.org/repo")).assets[0].data == feed.data


def test_site_contribution_without_git_warns_once(story: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(story[0], plain, ignore=shutil.ignore_patterns(".git"))
    warnings: list[str] = []
    c = site_contribution(_build_ctx(plain, warnings))
    assert len(warnings) == 1 and "修订记录暂不可用" in warnings[0]
    assert c.item_context["370700-XK-00001"] == {"revisions": [], "history_available": False,
                                                  "history_reason": UNAVAILABLE_NO_GIT}
    assert [p.url for p in c.pages] == ["changes/"]
    assert c.pages[0].context["history_available"] is False
    assert b"<entry>" not in c.assets[0].data


def test_block_comparison_matches_whole_file_comparison() -> None:
    """Parsing only the changed top-level blocks gives the same sentences as parsing both files whole;
    files that are not plain block style fall back to the whole-file path."""
    from powerlist.source.yamlsrc import read_yaml_text
    from powerlist.vcs.versions import Versions, split_blocks

    a = item_yaml("370700-XK-00001", "甲", extra="summary: |\n  说明\n\n  第二段\n# 注释\nremarks: 旧\n").encode()
    b = item_yaml("370700-XK-00001", "乙", basis=(("jianzhufa", 7), ("xingzheng-xukefa", 12)),
                  extra="summary: |\n  说明\n\n  第二段\n# 注释\n").encode()
    flow = b'{code: 370700-XK-00001, name: "\xe4\xb8\x99", category: \xe8\xa1\x8c\xe6\x94\xbf\xe8\xae\xb8\xe5\x8f\xaf}\n'
    assert split_blocks(a) is not None and split_blocks(flow) is None
    assert split_blocks(b"---\ncode: X\n") is None and split_blocks(b"code: X\ncode: Y\n") is None
    v = Versions({"a": a, "b": b, "f": flow})
    names = Names(laws={"xingzheng-xukefa": "中华人民共和国行政许可法"})
    for old, new in (("a", "b"), ("b", "a"), ("a", "f"), ("f", "b")):
        whole = field_changes("item", read_yaml_text({"a": a, "b": b, "f": flow}[old], "x").data,
                              read_yaml_text({"a": a, "b": b, "f": flow}[new], "x").data, names)
        assert v.changes("item", old, new, names) == whole
    assert v.changes("item", "a", "b", names) == ["事项名称：甲 → 乙", "实施依据：新增《中华人民共和国行政许可法》第十二条",
                                                 "备注：删除 旧"]
    assert (v.name("item", "a"), v.name("item", "f")) == ("甲", "丙")

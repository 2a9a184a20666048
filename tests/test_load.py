"""Loading a data folder into the Catalog: the model, its order, round trips, and load-level errors."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from powerlist.model.errors import InvalidData, UsageError
from powerlist.model.records import (Accountability, Citation, Contact, Decision, Fee, FeeItem, FlowEdge,
                                     Responsibility, Risk, TimeLimit)
from powerlist.model.settings import Settings
from powerlist.source import load as load_mod
from powerlist.source.load import build_item, collect_problems, load_catalog

BASE = Path(__file__).parent / "fixtures" / "base"

FULL = """\
code: 370700-XK-00002
name: "  建设工程消防设计审查  "
category: 行政许可
department: 370700-zjj
status: 保留
basis:
  - law: xingzheng-xukefa
    article: 12
    paragraph: 1
    item: 2
    note: 依法应当取得许可的情形
source: 法定本级行使
office: 行政审批服务科
summary: |
  **说明**：第一段。

  第二段。
handling: 承诺件
time_limit: {statutory: 20个工作日, promised: 5个工作日}
fee:
  charged: true
  items:
    - name: 审查费
      standard: 每件10元
      basis:
        - law: jianzhufa
          article: 7
flow:
  - id: accept
    name: 受理
    actor: 政务服务窗口
    time_limit: 1个工作日
    next: [review, {to: reject, when: 材料不全}]
  - id: reject
    name: 不予受理
    next: []
  - id: review
    name: 审查
  - id: decide
    name: 决定
responsibilities:
  - stage: 受理
    duty: 依法受理
    basis:
      - law: xingzheng-xukefa
        article: 12
accountability:
  - situation: 对符合法定条件的申请不予受理的
risks:
  - stage: 审查
    risk: 降低审查标准
    level: 中
    measure: 审查、决定分离
contact:
  consult: 0536-1111111
remarks: 备注文字
"""

CANCELLED = """\
code: 370700-QT-00001
name: 已取消的事项
category: 其他行政权力
department: 370700-zjj
status: 取消
decision:
  document: 潍政发〔2020〕2号
  date: 2020-03-01
  url: https://example.gov.cn/doc
"""


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    shutil.copytree(BASE, r)
    (r / "items" / "370700-zjj" / "370700-XK-00002.yaml").write_text(FULL, encoding="utf-8")
    (r / "items" / "370700-zjj" / "370700-QT-00001.yaml").write_text(CANCELLED, encoding="utf-8")
    return r


def test_full_item_model(root: Path) -> None:
    cat = load_catalog(root)
    it = cat.items["370700-XK-00002"]
    assert it.name == "建设工程消防设计审查"  # one-line text is trimmed
    assert it.file == "items/370700-zjj/370700-XK-00002.yaml"
    assert it.basis == (Citation("xingzheng-xukefa", 12, 1, 2, "依法应当取得许可的情形"),)
    assert (it.source, it.office, it.handling) == ("法定本级行使", "行政审批服务科", "承诺件")
    assert it.summary == "**说明**：第一段。\n\n第二段。\n"  # multi-line text is kept as written
    assert it.time_limit == TimeLimit("20个工作日", "5个工作日")
    assert it.fee == Fee(True, (FeeItem("审查费", "每件10元", (Citation("jianzhufa", 7),)),))
    assert it.responsibilities == (Responsibility("受理", "依法受理", (Citation("xingzheng-xukefa", 12),)),)
    assert it.accountability == (Accountability("对符合法定条件的申请不予受理的"),)
    assert it.risks == (Risk("降低审查标准", "中", "审查、决定分离", "审查"),)
    assert it.contact == Contact("0536-1111111")
    assert it.remarks == "备注文字" and it.decision is None and it.parent is None and it.active
    assert list(it.all_citations()) == [Citation("xingzheng-xukefa", 12, 1, 2, "依法应当取得许可的情形"),
                                        Citation("jianzhufa", 7), Citation("xingzheng-xukefa", 12)]


def test_flow_next_is_resolved(root: Path) -> None:
    flow = load_catalog(root).items["370700-XK-00002"].flow
    assert [s.id for s in flow] == ["accept", "reject", "review", "decide"]
    accept, reject, review, decide = flow
    assert accept.actor == "政务服务窗口" and accept.time_limit == "1个工作日"
    assert accept.next == (FlowEdge("review"), FlowEdge("reject", "材料不全"))
    assert accept.next_raw == accept.next
    assert reject.next == () and reject.next_raw == () and reject.is_end
    assert review.next == (FlowEdge("decide"),) and review.next_raw is None  # omitted: the next in the list
    assert decide.next == () and decide.next_raw is None and decide.is_end  # the last step ends


def test_cancelled_item_needs_no_basis(root: Path) -> None:
    it = load_catalog(root).items["370700-QT-00001"]
    assert it.basis == () and not it.active
    assert it.decision == Decision("潍政发〔2020〕2号", "2020-03-01", "https://example.gov.cn/doc")


def test_ordering(root: Path) -> None:
    (root / "items" / "370702-zjj" / "_department.yaml").write_text(
        (root / "items" / "370702-zjj" / "_department.yaml").read_text(encoding="utf-8").replace("order: 2",
                                                                                                   "order: 0"),
        encoding="utf-8")
    cat = load_catalog(root)
    assert list(cat.departments) == ["370702-zjj", "370700-zjj"]  # by order, then id
    assert list(cat.items) == ["370702-CF-00001", "370700-CF-00001", "370700-QT-00001", "370700-XK-00001",
                               "370700-XK-00001-001", "370700-XK-00002"]  # department order, then code
    assert list(cat.laws) == sorted(cat.laws)
    assert list(cat.laws["jianzhufa"].articles) == [7, 64]


def test_departments_without_order_come_last_by_id(tmp_path: Path) -> None:
    r = tmp_path / "d"
    shutil.copytree(BASE, r)
    for dep in ("370700-zjj", "370702-zjj"):
        p = r / "items" / dep / "_department.yaml"
        p.write_text("\n".join(line for line in p.read_text(encoding="utf-8").splitlines()
                               if not line.startswith("order:")) + "\n", encoding="utf-8")
    shutil.copytree(r / "items" / "370702-zjj", r / "items" / "370701-zjj")
    (r / "items" / "370701-zjj" / "370702-CF-00001.yaml").unlink()
    p = r / "items" / "370701-zjj" / "_department.yaml"
    p.write_text(p.read_text(encoding="utf-8").replace("370702-zjj", "370701-zjj").replace("order", "x") + "order: 5\n",
                 encoding="utf-8")
    p.write_text(p.read_text(encoding="utf-8").replace("\nx: 2", "").replace('"370702"', '"370701"'),
                 encoding="utf-8")
    cat = load_catalog(r)
    assert list(cat.departments) == ["370701-zjj", "370700-zjj", "370702-zjj"]


def test_indexes_and_department_model() -> None:
    cat = load_catalog(BASE)
    dep = cat.departments["370700-zjj"]
    assert (dep.name, dep.region, dep.region_name, dep.level, dep.nature, dep.order) == (
        "潍坊市住房和城乡建设局", "370700", "潍坊市", "市级", "法定机关", 1)
    assert dep.file == "items/370700-zjj/_department.yaml"
    assert [i.code for i in cat.children["370700-XK-00001"]] == ["370700-XK-00001-001"]
    assert [i.code for i in cat.by_status["下放"]] == ["370700-CF-00001"]
    assert cat.items["370700-CF-00001"].decision == Decision("潍政发〔2023〕1号（示例）", "2023-06-01", None,
                                                             "370702-zjj")
    assert sorted(cat.citing["jianzhufa"]) == [7, 64]
    assert [i.code for i in cat.items_citing("jianzhufa")] == ["370700-CF-00001", "370700-XK-00001",
                                                               "370700-XK-00001-001", "370702-CF-00001"]
    assert cat.laws["chaiqian-tiaoli"].status == "已废止" and cat.laws["chaiqian-tiaoli"].articles == {}
    # an item without contact falls back to its department's phones
    assert cat.contact_for(cat.items["370700-XK-00001"]) == Contact("0536-0000001", "0536-0000002")
    assert cat.root == str(BASE)


def test_to_dict_round_trip(root: Path) -> None:
    cat = load_catalog(root)
    for it in cat.items.values():
        back = build_item(it.to_dict(), it.file)
        assert back == it, it.code


def test_department_and_law_to_dict_match_the_files() -> None:
    from powerlist.source.yamlsrc import read_yaml_text

    cat = load_catalog(BASE)
    for dep in cat.departments.values():
        assert dep.to_dict() == read_yaml_text((BASE / dep.file).read_bytes(), dep.file).data
    for law in cat.laws.values():
        assert law.to_dict() == read_yaml_text((BASE / law.file).read_bytes(), law.file).data


def test_load_catalog_raises_invalid_data_with_sorted_problems(root: Path) -> None:
    (root / "items" / "370700-zjj" / "370700-XK-00002.yaml").write_text(FULL.replace("承诺件", "慢件"),
                                                                        encoding="utf-8")
    (root / "laws" / "jianzhufa.yaml").write_text("id: jianzhufa\n", encoding="utf-8")
    with pytest.raises(InvalidData) as exc:
        load_catalog(root)
    ps = exc.value.problems
    assert ps == sorted(ps) and len(ps) == 5
    assert [p.file for p in ps] == ["items/370700-zjj/370700-XK-00002.yaml"] + ["laws/jianzhufa.yaml"] * 4
    assert str(exc.value) == "5 problem(s) in the data"
    assert collect_problems(root) == (None, ps)


def test_a_folder_without_data_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="neither items/ nor laws/"):
        collect_problems(tmp_path)


def test_laws_only_folder_loads(tmp_path: Path) -> None:
    shutil.copytree(BASE / "laws", tmp_path / "laws")
    cat = load_catalog(tmp_path)
    assert cat.items == {} and len(cat.laws) == 3


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_broken_link_is_a_problem(root: Path) -> None:
    os.symlink("does-not-exist.yaml", root / "items" / "370700-zjj" / "370700-XK-00003.yaml")
    _, problems = collect_problems(root)
    assert [p.format() for p in problems] == [
        "items/370700-zjj/370700-XK-00003.yaml: a symbolic link to does-not-exist.yaml, which does not exist"]


def test_settings_change_categories_and_codes(tmp_path: Path) -> None:
    r = tmp_path / "d"
    shutil.copytree(BASE, r)
    settings = Settings(categories=(("行政许可", "XK"), ("行政处罚", "CF"), ("行政监督", "JD")))
    cat = load_catalog(r, settings)
    assert cat.settings is settings
    assert list(cat.by_category) == ["行政许可", "行政处罚", "行政监督"]


def test_parallel_check_gives_the_same_result(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = load_catalog(root)
    (root / "items" / "370700-zjj" / "370700-XK-00003.yaml").write_text("code: [\n", encoding="utf-8")
    _, serial_problems = collect_problems(root)
    monkeypatch.setattr(load_mod, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(load_mod, "CHUNK_FILES", 7)    # many chunks, taken by the parent and 3 workers
    monkeypatch.setattr(load_mod.os, "cpu_count", lambda: 4)
    _, parallel_problems = collect_problems(root)
    assert parallel_problems == serial_problems and serial_problems
    (root / "items" / "370700-zjj" / "370700-XK-00003.yaml").unlink()
    parallel = load_catalog(root)
    assert parallel.items == serial.items and parallel.departments == serial.departments
    assert parallel.laws == serial.laws


# ---- what is read: symbolic links inside the data folder only, regular files only (issue 12)

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@needs_symlinks
def test_a_linked_department_inside_the_data_folder_is_read(root: Path) -> None:
    (root / "archive").mkdir()
    shutil.move(root / "items" / "370702-zjj", root / "archive" / "370702-zjj")
    os.symlink("../archive/370702-zjj", root / "items" / "370702-zjj")
    catalog = load_catalog(root)
    assert "370702-CF-00001" in catalog.items
    assert catalog.items["370702-CF-00001"].file == "items/370702-zjj/370702-CF-00001.yaml"


@needs_symlinks
def test_a_linked_department_outside_the_data_folder_is_a_problem_not_skipped(root: Path, tmp_path: Path) -> None:
    shutil.move(root / "items" / "370702-zjj", tmp_path / "370702-zjj")
    os.symlink(tmp_path / "370702-zjj", root / "items" / "370702-zjj")
    _, problems = collect_problems(root)
    assert problems[-1].format() == (
        f"items/370702-zjj: a symbolic link to {tmp_path / '370702-zjj'}, outside the data folder; links are "
        "followed only inside the data folder: copy the files in, or link to a place inside it")


@needs_symlinks
def test_linked_items_and_laws_folders_follow_the_same_rule(root: Path, tmp_path: Path) -> None:
    shutil.move(root / "laws", tmp_path / "laws")
    os.symlink(tmp_path / "laws", root / "laws")
    _, problems = collect_problems(root)
    assert f"laws: a symbolic link to {tmp_path / 'laws'}, outside the data folder" in problems[-1].format()
    (root / "laws").unlink()
    shutil.move(tmp_path / "laws", root / "shared-laws")
    os.symlink("shared-laws", root / "laws")
    assert collect_problems(root)[1] == []


@needs_symlinks
def test_a_link_loop_is_a_problem(root: Path) -> None:
    os.symlink("..", root / "items" / "370700-zjj" / "loop")
    os.symlink(".", root / "items" / "370702-zjj" / "self")
    _, problems = collect_problems(root)
    assert [p.format() for p in problems] == [
        "items/370700-zjj/loop: a symbolic link to .., a folder it is in (a loop)",
        "items/370702-zjj/self: a symbolic link to ., a folder it is in (a loop)"]


@needs_symlinks
def test_a_link_to_a_device_is_refused_unread(root: Path) -> None:
    os.symlink("/dev/zero", root / "items" / "370700-zjj" / "370700-XK-00009.yaml")
    _, problems = collect_problems(root)
    assert [p.format() for p in problems] == [
        "items/370700-zjj/370700-XK-00009.yaml: a symbolic link to /dev/zero, outside the data folder; links are "
        "followed only inside the data folder: copy the files in, or link to a place inside it"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_among_the_items_is_refused_without_blocking(root: Path) -> None:
    os.mkfifo(root / "items" / "370700-zjj" / "370700-XK-00009.yaml")
    os.mkfifo(root / "laws" / "notes.md")       # not a data file by its name: never opened
    _, problems = collect_problems(root)
    assert [p.format() for p in problems] == [
        "items/370700-zjj/370700-XK-00009.yaml: a named pipe (FIFO) is not a data file; only regular files are read"]


def test_size_limits_by_kind(root: Path) -> None:
    assert load_mod.size_limit("item") == load_mod.size_limit("department") == 1 << 20
    assert load_mod.size_limit("law") == 4 << 20
    law = root / "laws" / "big.yaml"
    law.write_text("id: big\ntitle: 大法\nlevel: 法律\nissuer: 全国人大\nstatus: 现行有效\n"
                   + "# 注释\n" * 200000, encoding="utf-8")   # 2.2 MB: a law may be that large
    assert law.stat().st_size > 1 << 20
    assert collect_problems(root)[1] == []


def test_bytes_of_a_revision_have_the_same_limit() -> None:
    src = load_mod.Source("item", "items/370700-zjj/370700-XK-00009.yaml", data=b"#" * ((1 << 20) + 1))
    _, problems = load_mod._check_bytes(src, src.data, Settings())
    assert [p.message for p in problems] == [
        "the file is too large (1,048,577 bytes; the limit is 1 MiB (1,048,576 bytes)); one file holds one item, "
        "department or law"]

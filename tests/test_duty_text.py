"""责任事项, 追责情形 and phone cells (powerlist.exchange.duty_text) on real published cells and on random text.

Corpus expectations: ``tests/data/real-lists-expected/<folder>.json`` holds, for every row of tests/data/real-lists/,
the stages, situations and phone numbers read from its 责任事项/责任事项内容, 追责情形 and 监管电话 cells. They were
generated once by tests/real_lists_expected.py and then reviewed by hand, row by row, against the verbatim cells
(where each numbered item starts and ends, the stage names, the 直接实施/指导监督 headings, the preambles); the
parser was corrected until each expectation is what a careful reader extracts. Focused tests cite the corpus row
that shows each form; cells marked SYNTHETIC were written by us for forms the corpus lacks.
"""
from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from powerlist.exchange.duty_text import (Stage, _situations, _stages, parse_phones, parse_situations, parse_stages,
                                          read_situations)
from real_lists_expected import expected_path, folders, load_rows, parse_row

SETTINGS = settings(max_examples=int(os.environ.get("POWERLIST_PROPERTY_EXAMPLES", "300")), deadline=None,
                    derandomize="POWERLIST_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.too_slow])

CASES = [(f, row, n) for f in folders() for n, row in enumerate(load_rows(f))]


@pytest.mark.parametrize("folder,row,n", CASES,
                         ids=[f"{f.name}:{r.get('sheet') or ''}:{r['source_row']}" for f, r, _ in CASES])
def test_corpus_row_duties_situations_phones_parse_as_reviewed(folder: Any, row: dict[str, Any], n: int) -> None:
    expected = json.loads(expected_path(folder).read_text(encoding="utf-8"))["rows"][n]
    assert (expected["sheet"], expected["source_row"]) == (row.get("sheet"), row["source_row"])
    got = json.loads(json.dumps(parse_row(row), ensure_ascii=False))
    for key in ("stages", "situations", "phones"):
        assert got.get(key) == expected.get(key), key


def cell(folder: str, source_row: int, column: str, sheet: str | None = None) -> str:
    for f in folders():
        if f.name == folder:
            for row in load_rows(f):
                if row["source_row"] == source_row and (sheet is None or row.get("sheet") == sheet):
                    value: str = row["cells"][column]
                    return value
    raise LookupError((folder, source_row, column))


XA = "shaanxi-xian-quanze-platform"
KM = "xinjiang-karamay-"


def stages(folder: str, row: int, sheet: str | None = None, column: str = "责任事项") -> list[Stage]:
    return parse_stages(cell(folder, row, column, sheet))


def names(ss: list[Stage]) -> list[tuple[int | None, str | None]]:
    return [(s.number, s.stage) for s in ss]


# ------------------------------------------------------------------------------------------- 责任事项

def test_stages_numbered_with_dots() -> None:   # 西安 row 1: 1.受案阶段责任：…
    ss = stages(XA, 1)
    assert names(ss) == [(1, "受案"), (2, "调查"), (3, "审查"), (4, "告知"), (5, "决定"), (6, "送达"), (7, "执行"),
                         (8, "其他")]
    assert ss[0].label == "受案阶段责任" and ss[0].duty.startswith("在举报、上级交办")
    assert ss[7].duty == "其他法律法规规章文件规定应履行的责任。"


def test_stages_numbered_with_dun_and_a_run_of_spaces() -> None:   # 西安 row 8: …内容。                     6、送达…
    assert names(stages(XA, 8)) == [(n, s) for n, s in enumerate(["立案", "调查", "审查", "告知", "决定", "送达",
                                                                   "执行"], start=1)]


def test_stages_numbered_with_colons_all_on_one_line() -> None:   # 西安 row 30: 1：受理阶段责任：…理由）2：审核…
    ss = stages(XA, 30)
    assert names(ss) == [(1, "受理"), (2, "审核"), (3, "决定"), (4, "送达"), (5, "事后监督")]
    assert ss[0].duty.endswith("（不予受理的应当告知理由）")


def test_stages_numbered_with_circled_digits() -> None:   # 西安 row 15: ①受理：…②审核：…
    assert names(stages(XA, 15)) == [(1, "受理"), (2, "审核"), (3, "登簿"), (4, "送达")]


def test_stages_on_one_line_with_short_suffix() -> None:   # 西安 row 14: 1.立案责任：…2.调查责任：…
    ss = stages(XA, 14)
    assert [s.label for s in ss] == ["立案责任", "调查责任", "审查责任", "告知责任", "决定责任", "送达阶段责任",
                                     "执行责任", "其他责任"]
    assert ss[7].stage == "其他" and ss[7].duty == "法律法规规章规定应履行的责任。"


def test_stage_written_with_stage_suffix_only() -> None:   # 消防 row 5: 1.受理阶段：…
    assert stages(KM + "xfjyzd-2025", 5, "Sheet1")[1].stage == "调查取证"


def test_stage_name_followed_by_a_comma() -> None:   # 西安 row 17: 1.立案阶段责任，按照线索…
    ss = stages(XA, 17)
    assert (ss[0].stage, ss[0].duty) == ("立案", "按照线索和初步证据，依法立案。")


def test_stage_name_followed_by_a_period() -> None:   # 消防 row 4: 2.现场核查.消防救援机构…
    ss = stages(KM + "xfjyzd-2025", 4, "Sheet1")
    assert [(s.stage, s.label) for s in ss] == [("受理及许可", "受理及许可"), ("现场核查", "现场核查")]


def test_stages_numbered_out_of_order_and_twice() -> None:   # 西安 row 22: … 8、… 7、…
    assert [s.number for s in stages(XA, 22)] == [1, 2, 3, 4, 5, 6, 7, 8, 7]


def test_other_written_as_qita() -> None:   # 西安 row 24: 8.其它法律法规…
    assert stages(XA, 24)[7].stage == "其他"


def test_duties_grouped_under_headings() -> None:   # 财政局 row 4: 直接实施责任：\n1.… 指导监督责任：\n3.…
    ss = stages(KM + "czj-2025", 4, "Sheet1", "责任事项内容")
    assert [(s.number, s.group, s.stage) for s in ss] == [(1, "直接实施", None), (2, "直接实施", None),
                                                         (3, "指导监督", None)]


def test_stage_inside_a_group() -> None:   # 财政局 row 18: 2.监督责任。建立健全监督制度…
    s = stages(KM + "czj-2025", 18, "Sheet1", "责任事项内容")[1]
    assert (s.group, s.stage, s.label) == ("直接实施", "监督", "监督责任")


def test_a_stage_with_nothing_after_it_is_its_own_duty() -> None:   # 财政局 row 20: 3.监督责任。
    s = stages(KM + "czj-2025", 20, "Sheet1", "责任事项内容")[2]
    assert (s.stage, s.duty) == ("监督", "监督责任。")


def test_unnumbered_duty_under_a_heading() -> None:   # 机关事务局 row 5: 指导监督责任：\n指导监督下级…
    s = stages(KM + "jgswj-2024", 5, "机关事务管理局", "责任事项内容")[-1]
    assert (s.number, s.group, s.duty) == (None, "指导监督", "指导监督下级反食品浪费管理工作。")


def test_numbering_restarting_without_a_heading_starts_a_new_list() -> None:   # 人社局 row 3 (the cell repeats)
    ss = stages(KM + "rsj-2024", 3, "附表1", "责任事项内容")
    assert [(s.number, s.group) for s in ss] == [(1, "直接实施"), (2, "直接实施"), (3, "直接实施"), (4, "指导监督"),
                                                 (5, "指导监督"), (6, "指导监督"), (1, None), (2, None), (3, None),
                                                 (4, "指导监督"), (5, "指导监督"), (6, "指导监督")]
    assert ss[5].duty == "指导、监督下级行政机关履行行业管理职责。"      # the stray quote after it is dropped


def test_numbering_restarting_under_a_heading_keeps_it() -> None:   # 机关事务局 row 10: 指导监督责任：\n1.…
    ss = stages(KM + "jgswj-2024", 10, "机关事务管理局", "责任事项内容")
    assert [(s.number, s.group) for s in ss] == [(1, "直接实施"), (2, "直接实施"), (1, "指导监督"), (2, "指导监督")]


def test_cell_wrapped_by_excel_into_short_lines() -> None:   # 统计局 row 3: 直接实施责\n任：\n1.执行上级统\n计部门…
    ss = stages(KM + "tjj-2025", 3, "Sheet1", "责任事项内容")
    assert [(s.number, s.group) for s in ss] == [(1, "直接实施"), (2, "直接实施"), (3, "指导监督"), (4, "指导监督")]
    assert ss[0].duty == "执行上级统计部门制定的行政处罚标准规范 ，也可结合本地实际，细化、量化行政处罚裁量基准的具体标准。"


def test_stages_synthetic_forms() -> None:   # SYNTHETIC: (1) numbering, 一、 numbering, no numbering, sub-numbers
    assert names(parse_stages("(1)受理阶段责任：公示材料。\n(2)审查阶段责任：审查材料。")) == [(1, "受理"), (2, "审查")]
    assert names(parse_stages("一、受理责任：公示材料。\n二、决定责任：作出决定。")) == [(1, "受理"), (2, "决定")]
    assert parse_stages("依法履行监督检查职责，发现问题及时处理。") == [
        Stage(None, "依法履行监督检查职责，发现问题及时处理。")]
    ss = parse_stages("1.审查阶段责任：（1）材料审核；（2）组织专家评审。\n2.决定阶段责任：作出决定。")
    assert names(ss) == [(1, "审查"), (2, "决定")] and ss[0].duty == "（1）材料审核；（2）组织专家评审。"
    assert parse_stages("") == [] and parse_stages("  \n ") == []
    # a short list on short lines is not an Excel-wrapped cell
    assert [s.duty for s in parse_stages("1.受理\n2.审查\n3.决定\n4.送达\n5.其他")] == ["受理", "审查", "决定", "送达",
                                                                                     "其他"]
    # unnumbered stages, one per line
    assert [(s.stage, s.duty) for s in parse_stages("受理责任：公示材料。\n审查责任：审查材料。\n决定责任：作出决定。")] == [
        ("受理", "公示材料。"), ("审查", "审查材料。"), ("决定", "作出决定。")]


# ------------------------------------------------------------------------------------------- 追责情形

def test_situations_with_the_usual_preamble() -> None:   # 财政局 row 5
    p = read_situations(cell(KM + "czj-2025", 5, "追责情形", "Sheet1"))
    assert p.preamble == "因不履行或不正确履行行政职责，有下列情形的行政机关及相关工作人员应承担相应的责任："
    assert len(p.situations) == 14 and p.situations[0] == "超越或者滥用职权的；" and p.problems == []


def test_situations_without_preamble() -> None:   # 财政局 row 4
    p = read_situations(cell(KM + "czj-2025", 4, "追责情形", "Sheet1"))
    assert p.preamble is None and p.situations[-1] == "其他违反法律法规规章文件规定的行为。"


def test_situations_numbered_with_full_width_periods() -> None:   # 财政局 row 17: 1．玩忽职守…
    assert parse_situations(cell(KM + "czj-2025", 17, "追责情形", "Sheet1"))[0] == "玩忽职守，违反规定程序的；"


def test_first_number_glued_to_the_preamble() -> None:   # 生态环境局 row 9: …相应的责任1.不担当…
    p = read_situations(cell(KM + "sthjj-2024", 9, "追责情形"))
    assert p.situations[0] == "不担当，不作为，玩忽职守，贻误工作；" and len(p.situations) == 6
    assert p.preamble == "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应的责任"


def test_item_after_a_run_of_spaces() -> None:   # 医保局 row 8: …娱乐活动；          4.不在法定期限内…
    ss = parse_situations(cell(KM + "ybj-2024", 8, "追责情形"))
    assert len(ss) == 6 and ss[3] == "不在法定期限内完成检查并作出检查结论的；"


def test_situations_wrapped_by_excel() -> None:   # 统计局 row 3
    ss = parse_situations(cell(KM + "tjj-2025", 3, "追责情形"))
    assert len(ss) == 10 and ss[0] == "不具备行政执法资格实施行政处罚的；"


def test_cut_preamble_is_kept_and_reported() -> None:   # 统计局 row 7: the cell starts inside the sentence
    p = read_situations(cell(KM + "tjj-2025", 7, "追责情形"))
    assert p.preamble == "作人员应承担相应的责任："
    assert p.problems == ["text before the first numbered situation kept as the preamble, not as a situation "
                          "(首个编号前的文字作为引言保留): 作人员应承担相应的责任："]


def test_pasted_article_is_one_situation() -> None:   # 消防 row 4: 第七十一条　…（一）…（六）…
    ss = parse_situations(cell(KM + "xfjyzd-2025", 4, "追责情形"))
    assert len(ss) == 1 and ss[0].startswith("第七十一条\u3000住房和城乡建设主管部门") and ss[0].endswith("依法给予处分。")


def test_blank_situations_cell() -> None:   # 农业农村局 row 12: a cell holding one space
    assert parse_situations(cell(KM + "nyncj-2024", 12, "追责情形", "行政许可（11项）")) == []


# ------------------------------------------------------------------------------------------- phones

def test_phones() -> None:
    assert parse_phones(cell(XA, 1, "监管电话")) == ["029-110"]
    assert parse_phones(cell(XA, 11, "监管电话")) == ["02986788409"]
    assert parse_phones(cell(XA, 19, "监管电话")) == ["029-12345", "029-12350"]         # a run of spaces
    assert parse_phones(cell(XA, 20, "监管电话")) == ["029-88668202", "029-89318536"]   # a line break


def test_phones_synthetic_forms() -> None:   # SYNTHETIC: labels, extensions, full-width digits, 或, area code space
    assert parse_phones("咨询电话：0990-6231234转801；监督电话：0990-6231235") == [
        "咨询电话：0990-6231234转801", "监督电话：0990-6231235"]
    assert parse_phones("监督电话：\n０９９０－６２３１２３４") == ["监督电话：0990-6231234"]
    assert parse_phones("0990-6231234或12345") == ["0990-6231234", "12345"]
    assert parse_phones("0990 6231234") == ["0990 6231234"]
    assert parse_phones("0536-12345111（示例号码）") == ["0536-12345111（示例号码）"]
    assert parse_phones("如不服决定，可以申请行政复议") == [] and parse_phones("") == []


# ------------------------------------------------------------------------------------------- properties

TEXT = st.lists(st.sampled_from(list("0123456789１２.．、:：①②（）()一二三十，。；\n ") +
                                ["阶段责任：", "责任：", "直接实施责任：", "指导监督责任：", "受理", "因不履行或不正确履行行政职责，有下列情形的",
                                 "其他", "&#40;", "\u3000", "\r\n", "转", "或", "029-"]), max_size=60).map("".join)


@SETTINGS
@given(st.one_of(TEXT, st.text(max_size=200)))
def test_never_raises(text: str) -> None:
    for s in _stages(text):       # the parsers themselves, without the public functions' last-resort guard
        assert s.duty and (s.number is None or s.number > 0)
    p = _situations(text)
    assert all(p.situations) and p.situations == parse_situations(text)
    assert all(parse_phones(text))

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from powerlist.source.writer import dump_item


def test_key_order_and_block_style() -> None:
    d = {"remarks": "备注", "basis": [{"item": 2, "article": 12, "law": "xingzheng-xukefa"}], "status": "保留",
         "department": "370700-zjj", "category": "行政许可", "name": "施工许可", "code": "370700-XK-00001",
         "decision": {"to": "370702-zjj", "date": "2023-06-01", "document": "潍政发〔2023〕1号"}}
    text = dump_item(d)
    keys = [ln.split(":")[0] for ln in text.splitlines() if ln and not ln.startswith((" ", "-"))]
    assert keys == ["code", "name", "category", "department", "status", "basis", "decision", "remarks"]
    assert "- law: xingzheng-xukefa\n  article: 12\n  item: 2\n" in text
    assert "{" not in text  # block style only
    assert "施工许可" in text  # unicode written as is, not escaped
    assert yaml.safe_load(text) == d


def test_strings_that_look_like_other_types_stay_strings() -> None:
    d = {"code": "370700-XK-00001", "name": "yes", "office": "370700", "remarks": "2020-01-01",
         "summary": "null", "time_limit": {"statutory": "1.5", "promised": "on"}}
    text = dump_item(d)
    assert "office: '370700'" in text
    assert "remarks: '2020-01-01'" in text
    loaded = yaml.safe_load(text)
    assert loaded == d
    assert all(isinstance(v, str) for v in loaded["time_limit"].values())


def test_plain_strings_unquoted_and_multiline_literal() -> None:
    text = dump_item({"code": "370700-XK-00001", "name": "建筑工程施工许可证核发（新办）",
                      "summary": "第一段。\n\n- 材料一\n- 材料二\n"})
    assert "name: 建筑工程施工许可证核发（新办）\n" in text
    assert "summary: |\n  第一段。\n\n  - 材料一\n" in text


def test_repeated_objects_get_no_aliases() -> None:
    cit = {"law": "jianzhufa", "article": 7}
    text = dump_item({"code": "x", "basis": [cit], "responsibilities": [{"stage": "受理", "duty": "d",
                                                                          "basis": [cit]}]})
    assert "&" not in text and "*id" not in text


_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x85\u2028\u2029\ufeff"),
                max_size=30)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["code", "name", "office", "remarks", "summary", "x"]),
                       st.one_of(_text, st.integers(), st.booleans(),
                                 st.lists(st.dictionaries(st.sampled_from(["law", "note"]), _text), max_size=2)),
                       max_size=6))
def test_round_trip_any_plain_dict(d: dict) -> None:
    assert yaml.safe_load(dump_item(d)) == d

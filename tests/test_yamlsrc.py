"""The safe YAML reader: plain values with positions, refusals, encodings."""
from __future__ import annotations

import pytest

from powerlist.errors import Problem
from powerlist.yamlsrc import IntKey, format_path, read_yaml_text

ITEM = "code: 370700-XK-00001\nname: 测试\nbasis:\n  - law: jianzhufa\n    article: 7\n    paragraph: 1\n"


def test_plain_values_and_positions() -> None:
    doc = read_yaml_text(ITEM, "a.yaml")
    assert doc.problems == []
    assert doc.data == {"code": "370700-XK-00001", "name": "测试",
                        "basis": [{"law": "jianzhufa", "article": 7, "paragraph": 1}]}
    assert doc.where(("code",)) == (1, 7)
    assert doc.where(("code",), key=True) == (1, 1)
    assert doc.where(("basis", 0, "article")) == (5, 14)
    assert doc.where(("basis", 0, "paragraph"), key=True) == (6, 5)
    assert doc.where(("basis", 0)) == (4, 5)


def test_where_falls_back_to_nearest_enclosing_value() -> None:
    doc = read_yaml_text(ITEM, "a.yaml")
    assert doc.where(("basis", 5, "law")) == (4, 3)  # no 6th entry: the list itself
    assert doc.where(("nothing",)) == (1, 1)
    assert doc.where(()) == (1, 1)


def test_integer_keys_are_found_by_number() -> None:
    doc = read_yaml_text("articles:\n  7: 七\n  64: 六十四\n", "law.yaml")
    assert doc.data == {"articles": {7: "七", 64: "六十四"}}
    assert doc.where(("articles", 64)) == (3, 7)
    assert doc.where(("articles", 64), key=True) == (3, 3)


@pytest.mark.parametrize("text,value", [
    ("d: 2023-06-01", "2023-06-01"),      # dates stay text
    ("d: '2023-06-01'", "2023-06-01"),
    ("d: yes", True),                     # YAML 1.1 booleans
    ("d: ~", None),
    ("d: 1.5", 1.5),
    ("d: 0x10", 16),
    ("d: 12", 12),
    ("d: '12'", "12"),
    ("d: [a, 1]", ["a", 1]),
    ("d: {x: 1}", {"x": 1}),
    ("d: |\n  两行\n  文本\n", "两行\n文本\n"),
])
def test_scalar_types(text: str, value: object) -> None:
    doc = read_yaml_text(text, "f.yaml")
    assert doc.problems == []
    assert doc.data == {"d": value}


def test_bool_and_null_keys_keep_their_text() -> None:
    doc = read_yaml_text("yes: 1\nnull: 2\n1.5: 3\n", "f.yaml")
    assert doc.data == {"yes": 1, "null": 2, "1.5": 3}


@pytest.mark.parametrize("data", [ITEM.encode(), b"\xef\xbb\xbf" + ITEM.encode(), "\ufeff" + ITEM])
def test_utf8_bom_is_accepted_without_shifting_positions(data: bytes | str) -> None:
    doc = read_yaml_text(data, "a.yaml")
    assert doc.problems == []
    assert doc.data["name"] == "测试"
    assert doc.where(("basis", 0, "article")) == (5, 14)


def test_non_utf8_is_a_located_problem() -> None:
    raw = "code: 1\nname: 测试\n".encode("gbk")
    doc = read_yaml_text(raw, "g.yaml")
    assert doc.data is None
    assert doc.problems == [Problem("g.yaml", 2, 7, "", "the file is not UTF-8 (byte 0xb2 cannot be decoded); "
                                    "save it as UTF-8 (GBK/GB2312 files must be converted)")]


@pytest.mark.parametrize("text,message", [
    ("", "the file is empty"),
    ("   \n\n# only a comment\n", "the file is empty"),
    ("- a\n- b\n", "found a list"),
    ("just text\n", "found a single value"),
    ("42\n", "found a single value"),
    ("a: 1\n---\nb: 2\n", "more than one YAML document"),
    ("a: [1\n", "YAML syntax error"),
    ("a: 1\n\tb: 2\n", "YAML syntax error"),
    ("a: \x00\n", "YAML error: unacceptable character #x0000"),
    ("a: &x 1\nb: *x\n", "anchors and aliases"),
    ("a: &x {k: 1}\n", ""),  # an anchor alone is harmless; only its reuse is refused
    ("<<: {a: 1}\n", "merge keys"),
    ("a: !!python/object:os.system {}\n", "the YAML tag 'tag:yaml.org,2002:python/object:os.system'"),
    ("a: !!python/object/apply:os.system [ls]\n", "is not allowed"),
    ("a: !!str 1\n", ""),  # standard scalar tags are fine
    ("a: !!set {x}\n", "the YAML tag 'tag:yaml.org,2002:set'"),
    ("a: !!omap [x: 1]\n", "the YAML tag 'tag:yaml.org,2002:omap'"),
    ("a: !custom x\n", "the YAML tag '!custom'"),
    ("? [a, b]\n: 1\n", "a mapping key must be a plain word"),
    ("? {a: 1}\n: 1\n", "a mapping key must be a plain word"),
    ("a: 1\na: 2\n", "duplicate key 'a' (first given on line 1)"),
])
def test_refusals(text: str, message: str) -> None:
    doc = read_yaml_text(text, "f.yaml")
    if not message:
        assert doc.problems == []
        return
    assert len(doc.problems) == 1, doc.problems
    p = doc.problems[0]
    assert message in p.message
    assert p.file == "f.yaml" and p.line >= 1 and p.col >= 1


def test_duplicate_key_keeps_the_first_value_and_reports_the_second_position() -> None:
    doc = read_yaml_text("a: 1\nb:\n  - x: 1\n    x: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": 1, "b": [{"x": 1}]}
    assert [(p.line, p.col, p.path) for p in doc.problems] == [(4, 5, "b[0].x"), (5, 1, "a")]
    assert "first given on line 3" in doc.problems[0].message


def test_billion_laughs_is_refused_quickly() -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    doc = read_yaml_text("\n".join(lines) + "\n", "bomb.yaml")
    assert doc.data is None
    assert len(doc.problems) == 1 and "anchors and aliases" in doc.problems[0].message


def test_deep_nesting_is_refused() -> None:
    doc = read_yaml_text("a: " + "[" * 60 + "]" * 60 + "\n", "deep.yaml")
    assert doc.data is None
    assert "nested more than 40 levels" in doc.problems[0].message


def test_control_character_position_counts_characters_not_bytes() -> None:
    doc = read_yaml_text("a: 1\nname: 测试\x07事项\n", "c.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(2, 9)]


def test_crlf_line_ends() -> None:
    doc = read_yaml_text(ITEM.replace("\n", "\r\n").encode(), "w.yaml")
    assert doc.problems == []
    assert doc.where(("basis", 0, "article")) == (5, 14)


def test_problem_method_records_path_and_position() -> None:
    doc = read_yaml_text(ITEM, "a.yaml")
    doc.problem(("basis", 0, "law"), "bad law")
    doc.problem(("basis", 0, "law"), "bad key", key=True)
    assert doc.problems == [Problem("a.yaml", 4, 10, "basis[0].law", "bad law"),
                            Problem("a.yaml", 4, 5, "basis[0].law", "bad key")]


@pytest.mark.parametrize("path,text", [
    ((), ""), (("a",), "a"), (("basis", 1, "article"), "basis[1].article"), ((0, "x"), "[0].x"),
    (("flow", 2, "next", 0), "flow[2].next[0]"),
    (("articles", IntKey(9)), "articles.9"), ((IntKey(7),), "7"),
])
def test_format_path(path: tuple[str | int, ...], text: str) -> None:
    assert format_path(path) == text


def test_problem_format() -> None:
    assert Problem("a.yaml", 3, 5, "name", "bad").format() == "a.yaml:3:5: name: bad"
    assert Problem("a.yaml", 3, 5, "", "bad").format() == "a.yaml:3:5: bad"
    assert Problem("a.yaml", 0, 0, "", "bad").format() == "a.yaml: bad"


def test_a_duplicate_article_number_is_reported_as_a_key() -> None:
    doc = read_yaml_text("articles:\n  7: 七\n  07: 又一个七\n", "law.yaml")
    assert [(p.line, p.col, p.path) for p in doc.problems] == [(3, 3, "articles.7")]

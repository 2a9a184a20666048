"""The safe YAML reader: plain values with positions, refusals, encodings."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from powerlist.model.errors import Problem
from powerlist.source.files import FOLDER, GREW, MISSING, SPECIAL, TOO_LARGE, FileRefused, read_regular
from powerlist.source.yamlsrc import (MAX_FILE_BYTES, MAX_LAW_FILE_BYTES, IntKey, format_path, read_yaml_file,
                                      read_yaml_text, refusal_message)

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
    doc = read_yaml_text("articles:\n  7: 七\n  7: 又一个七\n", "law.yaml")
    assert [(p.line, p.col, p.path) for p in doc.problems] == [(3, 3, "articles.7")]


@pytest.mark.parametrize("fast", [True, False])
def test_keys_in_other_number_forms_keep_their_text(fast: bool) -> None:
    """YAML 1.1 would make 07 (octal) the same article as 7; the reader keeps what was written, so the validator
    can refuse it; a plain 7 and a quoted '7' stay apart (int and text) for the validator to compare."""
    text = "articles:\n  7: 七\n  07: 八\n  0x10: x\n  1_0: y\n  1:30: z\n  '7': w\n  8: v\n"
    doc = read_yaml_text(text, "law.yaml", fast=fast)
    assert doc.problems == []
    assert doc.data == {"articles": {7: "七", "07": "八", "0x10": "x", "1_0": "y", "1:30": "z", "7": "w", 8: "v"}}
    assert [type(k) for k in doc.data["articles"]] == [int, str, str, str, str, str, int]
    assert doc.where(("articles", IntKey(7)), key=True) == (2, 3)
    assert doc.where(("articles", "7"), key=True) == (7, 3)
    assert doc.where(("articles", "07"), key=True) == (3, 3)
    assert doc.where(("articles", IntKey(8)), key=True) == (8, 3)
    assert doc.where(("articles", "8"), key=True) == (2, 3)    # no text key '8': the mapping itself
    # the plain keys YAML types as numbers are marked (a quoted '7' is not)
    assert doc.numtext == {("articles", "07"): "07", ("articles", "0x10"): "0x10", ("articles", "1_0"): "1_0",
                           ("articles", "1:30"): "1:30"}


def test_numbers_in_other_forms_keep_their_text() -> None:
    doc = read_yaml_text("a: 010\nb: [0x10, 7, +5, 1_0]\nc: 1.50\nd: 12\ne: 1:30\nf: '010'\ng: -3\n", "f.yaml")
    assert doc.problems == []
    assert doc.data == {"a": 8, "b": [16, 7, 5, 10], "c": 1.5, "d": 12, "e": 90, "f": "010", "g": -3}
    assert doc.numtext == {("a",): "010", ("b", 0): "0x10", ("b", 2): "+5", ("b", 3): "1_0", ("c",): "1.50",
                           ("e",): "1:30"}


@pytest.mark.parametrize("text", ["a: 0x_\n", "0b_: 1\n", "a: [1, -0x_]\n"])
def test_texts_yaml_types_as_numbers_but_cannot_convert_are_refused(text: str) -> None:
    """PyYAML itself raises ValueError on these (int('', 16)): a located problem instead of a traceback."""
    doc = read_yaml_text(text, "f.yaml")
    assert doc.data is None
    assert [p.message for p in doc.problems] == [
        f"'{text.split()[-1].strip('[]') if text[0] == 'a' else '0b_'}' looks like a number to YAML but is none; "
        "put it in quotes if it is text"]


@pytest.mark.parametrize("text", ["a: " + "9" * 101 + "\n", "a: [" + "1" * 5000 + "]\n", "9" * 200 + ": x\n",
                                  "a: 1." + "5" * 100 + "\n"])
def test_overlong_numbers_are_refused_not_converted(text: str) -> None:
    doc = read_yaml_text(text, "f.yaml")
    assert doc.data is None
    assert len(doc.problems) == 1
    assert "characters (at most 100 are read); if it is text, put it in quotes" in doc.problems[0].message


# ---- positions as an editor shows them

@pytest.mark.parametrize("brk", ["\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("where", ["comment", "quoted"])
def test_unicode_line_breaks_do_not_shift_later_lines(brk: str, where: str) -> None:
    """PyYAML counts NEL, U+2028 and U+2029 as line breaks; editors (VS Code) break only at \\n, \\r\\n, \\r."""
    first = f"# 注释{brk}\n" if where == "comment" else f'note: "一{brk}二"\n'
    doc = read_yaml_text(first + "name: 测试\nbasis:\n  - law: x\n    article: 7\n    bad: [1\n", "f.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(7, 1)], doc.problems   # the end of the file: line 7
    doc = read_yaml_text(first + "name: 测试\nbasis:\n  - law: x\n    article: 7\n", "f.yaml")
    assert doc.problems == []
    assert doc.where(("basis", 0, "article")) == (5, 14)
    assert doc.where(("name",)) == (2, 7)
    assert doc.where(("basis", 0, "law"), key=True) == (4, 5)


def test_unicode_line_break_before_a_duplicate_key() -> None:
    doc = read_yaml_text("a: 1 # x\u2028\nb: 2\na: 3\n", "f.yaml")
    assert [(p.line, p.col, p.message) for p in doc.problems] == [
        (3, 1, "duplicate key 'a' (first given on line 1); keep one")]


def test_text_after_a_unicode_line_break_in_a_comment_is_located_as_an_editor_shows_it() -> None:
    doc = read_yaml_text("# 注释\u2028还是注释\nname: 测试\n", "f.yaml")
    assert [(p.line, p.col, p.message) for p in doc.problems] == [
        (2, 5, "YAML syntax error: mapping values are not allowed in this context")]   # the ':' of line 2
    doc = read_yaml_text("a: 1\n# 注释\u2028还是注释\nname: 测试\n", "f.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(3, 1)]     # PyYAML's own count: line 4


def test_lone_cr_is_a_line_break_for_editors_too() -> None:
    doc = read_yaml_text("a: 1\rb: 2\r\nc: [\n", "f.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(4, 1)]
    doc = read_yaml_text("a: 1\rb: x\x07\n", "f.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(2, 5)]


def test_non_utf8_byte_column_counts_characters() -> None:
    raw = "code: 1\nname: 测试事项".encode() + b"\xff\n"
    doc = read_yaml_text(raw, "g.yaml")
    assert [(p.line, p.col) for p in doc.problems] == [(2, 11)]      # 'name: 测试事项' is 10 characters
    raw = "a: 1\r\n中\rb: 测".encode() + b"\xfe"
    assert [(p.line, p.col) for p in read_yaml_text(raw, "g.yaml").problems] == [(3, 5)]


# ---- reading files: regular files only, bounded

def test_read_yaml_file_reads_a_regular_file(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(ITEM, encoding="utf-8")
    doc = read_yaml_file(f, "a.yaml")
    assert doc.problems == [] and doc.data["name"] == "测试"


def refused(path: object, limit: int = MAX_FILE_BYTES) -> FileRefused:
    """The refusal :func:`read_regular` raises for ``path``."""
    with pytest.raises(FileRefused) as exc:
        read_regular(path, limit)  # type: ignore[arg-type]
    return exc.value


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "a.yaml"
    os.mkfifo(fifo)
    exc = refused(fifo)
    assert (exc.reason, exc.kind) == (SPECIAL, "a named pipe (FIFO)")
    assert refusal_message(exc) == "a named pipe (FIFO) is not a data file; only regular files are read"
    assert read_yaml_file(fifo, "a.yaml").problems == [
        Problem("a.yaml", 0, 0, "", "a named pipe (FIFO) is not a data file; only regular files are read")]


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading_it() -> None:
    exc = refused("/dev/zero")
    assert (exc.reason, exc.kind) == (SPECIAL, "a device")
    assert refusal_message(exc).startswith("a device is not a data file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    exc = refused(tmp_path)
    assert (exc.reason, exc.kind) == (FOLDER, "a folder")
    assert refusal_message(exc).startswith("a folder is not a data file")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    exc = refused(tmp_path / "nope.yaml")
    assert (exc.reason, exc.strerror) == (MISSING, "No such file or directory")
    assert refusal_message(exc) == "cannot read the file: No such file or directory"


def test_the_size_limit(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"a: " + b"x" * 97)
    assert read_regular(f, limit=100) == b"a: " + b"x" * 97
    f.write_bytes(b"a: " + b"x" * 98)
    exc = refused(f, limit=100)
    assert (exc.reason, exc.size, exc.limit) == (TOO_LARGE, 101, 100)
    assert refusal_message(exc) == ("the file is too large (101 bytes; the limit is 100 bytes); one file holds one "
                                    "item, department or law")
    assert MAX_FILE_BYTES == 1 << 20 and MAX_LAW_FILE_BYTES == 4 << 20
    f.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    assert read_yaml_file(f, "a.yaml").problems == [Problem("a.yaml", 0, 0, "", (
        "the file is too large (1,048,577 bytes; the limit is 1 MiB (1,048,576 bytes)); one file holds one item, "
        "department or law"))]


def test_a_file_that_grows_while_read_stops_at_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size seen by stat is not trusted: at most limit + 1 bytes are read, whatever the file holds then."""
    f = tmp_path / "a.yaml"
    f.write_bytes(b"a: 1\n")
    real_fstat = os.fstat
    f_size = f.stat().st_size

    def grow(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        with open(f, "ab") as out:
            out.write(b"#" * 1000)
        return st
    monkeypatch.setattr(os, "fstat", grow)
    exc = refused(f, limit=100)
    assert (exc.reason, exc.limit) == (GREW, 100)
    assert refusal_message(exc).startswith("the file is too large (more than 100 bytes); one file")
    assert f.stat().st_size == f_size + 1000

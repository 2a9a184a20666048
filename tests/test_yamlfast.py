"""The fast reader for plain item files gives exactly what PyYAML gives, or steps aside."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.source.yamlfast import NotSimple, read_simple
from powerlist.source.yamlsrc import REF_KEYS, read_yaml_text

REPO = Path(__file__).resolve().parents[1]


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (1 == True == 1.0 would hide a typing difference)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def check_agrees(text: str) -> bool:
    """When the fast reader takes ``text``, PyYAML reads it without problems to the same values, and every
    position the fast reader recorded is PyYAML's. Returns whether the fast reader took it."""
    try:
        data, refpos = read_simple(text, REF_KEYS)
    except NotSimple:
        return False
    slow = read_yaml_text(text, "f.yaml", fast=False)
    assert slow.problems == [], text
    assert same(data, slow.data), (text, data, slow.data)
    expected = dict(slow.refpos)
    expected[()] = slow.where(())
    assert refpos == expected, text
    return True


def _repo_files() -> list[Path]:
    return sorted(p for top in ("items", "laws", "tests", "examples") for p in (REPO / top).rglob("*.yaml"))


def test_every_data_file_of_the_repository_reads_the_same() -> None:
    taken = 0
    for path in _repo_files():
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            continue
        taken += check_agrees(text)
    assert taken >= 100  # the sample items are plain: nearly all of them take the fast path


def test_a_fast_read_document_still_locates_any_path() -> None:
    text = "code: 370700-XK-00001\nname: 测试\nbasis:\n  - {law: jianzhufa, article: 7}\nflow:\n- id: a\n  name: 受理\n"
    doc = read_yaml_text(text, "a.yaml")
    assert doc.root is None and doc.text is not None          # read fast: no node tree yet
    assert doc.where(("basis", 0, "article")) == (4, 31)       # recorded while reading
    assert doc.where(("flow", 0, "name")) == (7, 9)            # composed on demand
    assert doc.where(("flow", 0, "name"), key=True) == (7, 3)
    assert doc.root is not None


@pytest.mark.parametrize("text,value", [
    ("d: [a, b c, 3]\n", ["a", "b c", 3]),
    ("d: {to: x, when: 条件成立}\n", {"to": "x", "when": "条件成立"}),
    ("d: 'it''s' # note\n", "it's"),
    ('d: "引号"\n', "引号"),
    ("d: |-\n  一\n\n  二\n\n", "一\n\n二"),
    ("d: |\n  一\n    缩进\n", "一\n  缩进\n"),
    ("d:\n- a\n- b\ne: 1\n", None),
    ("d: 08\n", "08"),                              # not a YAML number at all: text
    ("articles:\n  7: 七\n  12: 十二\n", None),
    ("d: yes\ne: ~\nf: 26\ng: 0\nh: 2024-01-02\ni: no # 否\n", None),
    ("a: 1\r\nb: 二\r\n", None),
])
def test_plain_forms_are_taken_and_agree(text: str, value: Any) -> None:
    assert check_agrees(text)
    if value is not None:
        assert same(read_simple(text, REF_KEYS)[0]["d"], value)


@pytest.mark.parametrize("text", [
    "d: >\n  折叠\n", "d: |+\n  保留\n", 'd: "a\\tb"\n', "d: [a, [b]]\n", "d: &x 1\ne: *x\n", "d: !!str 1\n",
    "d: 多行\n  续行\n", "d:\n\t- a\n", "- a\n", "---\nd: 1\n", "d: 1\nd: 2\n", "d: a: b\n", "  d: 1\n",
    "d: 'unclosed\n", "名称: x\n", "<<: {a: 1}\n", "d: 1\n  e: 2\n", "d: x\u2028y\n", "d: {a: 1, a: 2}\n",
    "d:\n  - a\n  e: 1\n", "code:\n  x\n", "d: ---\n", "d: a #b\n  c\n", "d: [a:, b]\n", "d: [a?b]\n",
    "d: {a: b?c}\n", "d: |\n  a\n   \n",
])
def test_everything_else_is_left_to_pyyaml(text: str) -> None:
    with pytest.raises(NotSimple):
        read_simple(text, REF_KEYS)


# ---- generated documents: random structures written in random styles ----

WORDS = ["code", "name", "law", "article", "to", "when", "parent", "id", "basis", "flow", "note", "x_1", "7", "12"]
TEXT = st.text(alphabet=st.sampled_from(list("甲乙丙 ,:#-'\"[]{}|>&*!%@`~?=<0129.xyYNnTtrue\\")), max_size=12)
SCALAR = st.one_of(TEXT, st.sampled_from(["yes", "No", "null", "~", "012", "0x1f", "1.5", "-3", "2024-01-02",
                                          "true", "=", "<<", "a # b", "条件：成立", "a:b", "中文 文本"]),
                   st.integers(-5, 5).map(str))


def _scalar(draw: Any, value: str, indent: int) -> str:
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "literal", "literal-strip"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'
    if style.startswith("literal"):
        pad = " " * (indent + draw(st.integers(1, 3)))
        lines = value.split(" ") or [""]
        return ("|-" if style == "literal-strip" else "|") + "".join("\n" + pad + ln for ln in lines)
    return value


@st.composite
def documents(draw: Any, depth: int = 0, indent: int = 0) -> str:
    keys = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4))
    pad = " " * indent
    out = []
    for key in keys:
        kind = draw(st.sampled_from(["scalar", "scalar", "seq", "map", "flowseq", "flowmap", "empty", "comment"]
                                    if depth < 3 else ["scalar", "flowseq"]))
        if kind == "scalar":
            out.append(f"{pad}{key}: {_scalar(draw, draw(SCALAR), indent)}")
        elif kind == "flowseq":
            out.append(f"{pad}{key}: [{', '.join(draw(st.lists(SCALAR, max_size=3)))}]")
        elif kind == "flowmap":
            pairs = draw(st.lists(st.tuples(st.sampled_from(WORDS), SCALAR), max_size=3))
            out.append(f"{pad}{key}: {{{', '.join(f'{k}: {v}' for k, v in pairs)}}}")
        elif kind == "empty":
            out.append(f"{pad}{key}:")
        elif kind == "comment":
            out.append(f"{pad}{key}: {draw(SCALAR)}  # 注释")
            out.append(f"{pad}# 整行注释")
            out.append("")
        elif kind == "map":
            out.append(f"{pad}{key}:")
            out.append(draw(documents(depth + 1, indent + draw(st.integers(1, 3)))))
        else:
            out.append(f"{pad}{key}:")
            dash = indent + draw(st.sampled_from([0, 2]))
            for _ in range(draw(st.integers(1, 3))):
                if draw(st.booleans()):
                    out.append(" " * dash + "- " + _scalar(draw, draw(SCALAR), dash))
                else:
                    inner = draw(documents(depth + 1, dash + 2))
                    out.append(" " * dash + "- " + inner[dash + 2:])
    return "\n".join(out)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.booleans())
def test_generated_documents_agree_with_pyyaml(text: str, crlf: bool) -> None:
    check_agrees(text.replace("\n", "\r\n") if crlf else text + "\n")

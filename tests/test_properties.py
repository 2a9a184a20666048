"""Property tests: whatever an editor saves, the loader answers with a Catalog or located problems, never a crash.

Random YAML text, random bytes, and random mutations of the valid fixture files (keys deleted, renamed or added,
values replaced by other types) are written over a copy of tests/fixtures/base and loaded.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from powerlist.cli.report import format_problems
from powerlist.model.errors import Problem
from powerlist.model.settings import Settings
from powerlist.source.load import Source, _check_bytes, collect_problems
from powerlist.source.yamlsrc import read_yaml_text

BASE = Path(__file__).parent / "fixtures" / "base"
FILES = sorted(p.relative_to(BASE).as_posix() for p in BASE.rglob("*.yaml"))
ITEM_FILES = [f for f in FILES if f.startswith("items/") and not f.endswith("_department.yaml")]
#: POWERLIST_PROPERTY_EXAMPLES=5000 for a deeper local run; CI keeps the fixed, fast default
SETTINGS = settings(max_examples=int(os.environ.get("POWERLIST_PROPERTY_EXAMPLES", "150")), deadline=None,
                    derandomize="POWERLIST_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    r = tmp_path_factory.mktemp("prop") / "data"
    shutil.copytree(BASE, r)
    return r


def check_outcome(root: Path, changed: str) -> list[Problem]:
    """Load; assert the invariants; restore the changed file."""
    try:
        catalog, problems = collect_problems(root)
    finally:
        shutil.copyfile(BASE / changed, root / changed)
    assert (catalog is None) == bool(problems)
    assert problems == sorted(problems)
    for p in problems:
        assert isinstance(p, Problem)
        assert p.file and (root / p.file).exists() or p.file == changed, p
        assert p.message and "\n" not in p.message, p
        if p.line == 0:
            assert p.col == 0, p  # file-level problem
        else:
            assert p.line >= 1 and p.col >= 1, p
    changed_problems = [p for p in problems if p.file == changed]
    # reading a valid base file again cannot produce problems of its own
    assert all(p.file == changed or p.file in FILES for p in problems)
    for fmt in ("text", "json", "github"):
        out = format_problems(problems, fmt)
        if fmt == "json":
            assert json.loads(out)["count"] == len(problems)
    return changed_problems


def lines_of(data: bytes) -> int:
    """Lines as an editor counts them: breaks at \\n, \\r\\n and \\r."""
    return len(re.findall(rb"\r\n?|\n", data)) + 1


def write_and_check(root: Path, rel: str, data: bytes) -> None:
    (root / rel).write_bytes(data)
    for p in check_outcome(root, rel):
        assert p.line <= lines_of(data) + 1, (p, data)


# ---- random YAML text ----

yaml_chars = st.sampled_from(list("abc:- \n\t#&*!|>'\"{}[],?%@`~0123456789.") + ["行政许可", "law", "code", "\ufeff",
                                                                                "<<", "---", "\r\n", "!!python/"])
yaml_text = st.lists(yaml_chars, max_size=60).map("".join)


@SETTINGS
@given(text=yaml_text | st.text(max_size=200), target=st.sampled_from(FILES))
def test_random_yaml_text(root: Path, text: str, target: str) -> None:
    write_and_check(root, target, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(text=st.text(max_size=300))
def test_read_yaml_text_never_raises(text: str) -> None:
    doc = read_yaml_text(text, "x.yaml")
    assert (doc.data is None) or isinstance(doc.data, dict)
    for p in doc.problems:
        assert p.line >= 1 and p.col >= 1


# ---- random bytes ----

@SETTINGS
@given(target=st.sampled_from(FILES), data=st.data())
def test_random_byte_edits(root: Path, target: str, data: st.DataObject) -> None:
    raw = bytearray((BASE / target).read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(raw)))
        op = data.draw(st.sampled_from(["insert", "replace", "delete"]))
        b = data.draw(st.binary(min_size=1, max_size=3))
        if op == "insert":
            raw[pos:pos] = b
        elif op == "replace":
            raw[pos:pos + len(b)] = b
        else:
            del raw[pos:pos + len(b)]
    write_and_check(root, target, bytes(raw))


# ---- random mutations of valid files ----

scalars = (st.none() | st.booleans() | st.integers(-10, 10 ** 7) | st.floats() | st.text(max_size=12)
           | st.sampled_from(["", " ", "保留", "下放", "行政许可", "jianzhufa", "370700-zjj", "370700-XK-00001",
                              "2023-02-30", "../x", "accept", "review"]))
values = st.recursive(scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.text(max_size=8) | st.integers(0, 99), c, max_size=3), max_leaves=6)
key_names = st.text(max_size=10) | st.sampled_from(["law", "article", "to", "next", "id", "when", "code", "basis",
                                                    "parent", "decision", "flow", "title", "law_id", "名称",
                                                    "status", "charged", "items", "articles"])


def _slots(v: Any, out: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key/index) in a nested value."""
    if isinstance(v, dict):
        for k in list(v):
            out.append((v, k))
            _slots(v[k], out)
    elif isinstance(v, list):
        for i in range(len(v)):
            out.append((v, i))
            _slots(v[i], out)
    return out


@SETTINGS
@given(target=st.sampled_from(FILES), data=st.data())
def test_random_mutations_of_valid_files(root: Path, target: str, data: st.DataObject) -> None:
    doc = yaml.safe_load((BASE / target).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        slots = _slots(doc, [])
        if not slots:
            break
        container, key = data.draw(st.sampled_from(slots))
        op = data.draw(st.sampled_from(["delete", "replace", "rename", "add"]))
        if op == "delete":
            del container[key]
        elif op == "replace":
            container[key] = data.draw(values)
        elif op == "rename" and isinstance(container, dict):
            container[data.draw(key_names)] = container.pop(key)
        elif op == "add" and isinstance(container, dict):
            container[data.draw(key_names)] = data.draw(values)
        elif isinstance(container, list):
            container.insert(key, data.draw(values))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    write_and_check(root, target, text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(target=st.sampled_from(ITEM_FILES), extra=st.sampled_from(
    ["status: 合并\n", "status: 下放\n", "status: 取消\n", "parent: 370700-XK-00001\n", "parent: 370700-CF-00001\n",
     "decision: {document: 文件, date: 2023-01-01, to: 370700-XK-00001}\n", "flow: []\n", "basis: []\n",
     "flow: [{id: a, name: A, next: [a]}]\n", "fee: {charged: true, items: []}\n"]))
def test_rule_edges_on_valid_items(root: Path, target: str, extra: str) -> None:
    text = (BASE / target).read_text(encoding="utf-8")
    key = extra.split(":")[0]
    kept = [ln for ln in text.splitlines(keepends=True)
            if not ln.startswith(key + ":") and not (key == "basis" and ln.startswith("  "))]
    write_and_check(root, target, ("".join(kept) + extra).encode())


def test_base_is_restored_between_examples(root: Path) -> None:
    catalog, problems = collect_problems(root)
    assert problems == [] and catalog is not None


# ---- numbers that carry legal meaning: read as the decimal integer the text shows, or refused ----

#: digits of several scripts, and what YAML 1.1 puts between or around them
_DIGIT = st.sampled_from(list("0123456789") * 3 + ["０", "１", "٣", "۵", "२", "_", "²"])
_CORE = st.one_of(
    st.integers(0, 20000).map(str),
    st.tuples(st.sampled_from(["", "", "+", "-", "0", "00", "0x", "0o", "0b", "0X", " "]),
              st.text(_DIGIT, min_size=1, max_size=6),
              st.sampled_from(["", "", ".0", ".5", "e3", "e+3", ":30", ":5:0", "_0", ".", " ", "条"])).map("".join),
    st.sampled_from([".inf", "-.inf", ".nan", "yes", "no", "on", "off", "null", "~", "true", "1e3", "1E3", "0.",
                     "1.0e+3", "1,000", "一", "十二", "第七条", "7条", "0", "012", "09", "1:00", "٣٣", "１２"]),
    st.text(max_size=4))
_STYLE = st.sampled_from(["plain", "plain", "plain", "single", "double"])


def _written(core: str, style: str) -> str:
    """The scalar as written in a file (quoted content kept free of escapes and quotes)."""
    if style == "single":
        return "'" + core.replace("'", "") + "'"
    if style == "double":
        return '"' + core.replace('"', "").replace("\\", "") + '"'
    return core


def _shown(written: str) -> str:
    """The number the text shows: the scalar's content, unquoted."""
    return written[1:-1] if written[:1] in "'\"" else written.strip()


def _plain_decimal(text: str, low: int, high: int) -> bool:
    return re.fullmatch(r"[1-9][0-9]*", text) is not None and low <= int(text) <= high


@SETTINGS
@given(core=_CORE, style=_STYLE, where=st.sampled_from(["article", "paragraph", "item"]))
def test_citation_numbers_never_change_meaning(core: str, style: str, where: str) -> None:
    written = _written(core, style)
    if "\n" in written or "\r" in written:
        return
    others = {"article": "7", "paragraph": "1", "item": "2"}
    others[where] = written
    text = ("code: 370700-XK-00009\nname: 测试\ncategory: 行政许可\ndepartment: 370700-zjj\nstatus: 保留\n"
            "basis:\n  - law: jianzhufa\n" + "".join(f"    {k}: {v}\n" for k, v in others.items()))
    checked, problems = _check_bytes(Source("item", "items/370700-zjj/370700-XK-00009.yaml"), text.encode(),
                                     Settings())
    if problems:
        return                      # refused: fine, whatever it was
    value = getattr(checked.model.basis[0], where)
    shown = _shown(written)
    assert style == "plain" and _plain_decimal(shown, 1, 9999 if where == "article" else 99), (written, value)
    assert value == int(shown) and type(value) is int, (written, value)


@SETTINGS
@given(core=_CORE, style=_STYLE, second=st.none() | st.tuples(_CORE, _STYLE))
def test_article_keys_never_change_meaning(core: str, style: str, second: tuple[str, str] | None) -> None:
    keys = [_written(core, style)] + ([_written(*second)] if second else [])
    if any("\n" in k or "\r" in k or k.strip() == "" for k in keys):
        return
    text = ("id: x\ntitle: 法\nlevel: 法律\nissuer: 全国人大\nstatus: 现行有效\narticles:\n"
            + "".join(f"  {k}: 条文{i}\n" for i, k in enumerate(keys)))
    checked, problems = _check_bytes(Source("law", "laws/x.yaml"), text.encode(), Settings())
    if problems:
        return
    articles = checked.data["articles"]
    shown = [_shown(k) for k in keys]
    assert all(_plain_decimal(t, 1, 9999) for t in shown), (keys, articles)
    assert list(articles) == [int(t) for t in shown] and all(type(n) is int for n in articles), (keys, articles)
    assert len(set(articles)) == len(keys)     # two keys for one article are refused, never merged

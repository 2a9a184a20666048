"""The published JSON Schema agrees with the validator: same files pass, schema-level bad cases fail both."""
from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import pytest

from powerlist.model.schema import SCHEMA_DIR, render, schema_for
from powerlist.model.spec import SPECS
from powerlist.source.load import collect_problems
from powerlist.source.yamlsrc import read_yaml_text

ROOT = Path(__file__).resolve().parents[1]
BASE = Path(__file__).parent / "fixtures" / "base"


def _jsonable(v):
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_jsonable(x) for x in v]
    return v


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = schema_for(kind)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _kind(path: Path) -> str:
    if path.parent.name == "laws":
        return "law"
    return "department" if path.name == "_department.yaml" else "item"


def _data_files(root: Path) -> list[Path]:
    return sorted(list((root / "items").glob("*/*.yaml")) + list((root / "laws").glob("*.yaml")))


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_published_schema_is_current(kind: str) -> None:
    published = (SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert published == render(kind), "run: powerlist schema --out powerlist/schema"


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_key_has_chinese_title_and_description(kind: str) -> None:
    def walk(s: dict) -> None:
        for key, prop in s.get("properties", {}).items():
            assert prop.get("title") and prop.get("description"), key
            assert any("\u4e00" <= ch <= "\u9fff" for ch in prop["title"]), key
            walk(prop)
            if "items" in prop:
                walk(prop["items"])
    walk(schema_for(kind))


@pytest.mark.parametrize("root", [BASE, ROOT], ids=["fixture", "sample"])
def test_valid_files_pass_the_schema(root: Path) -> None:
    files = _data_files(root)
    if root == ROOT and not files:
        pytest.fail("the sample data set (items/, laws/) is missing")
    _, problems = collect_problems(root)
    assert problems == []
    for f in files:
        data = _jsonable(read_yaml_text(f.read_bytes(), f.name).data)
        errors = list(_validator(_kind(f)).iter_errors(data))
        assert not errors, f"{f}: {errors[0].message}"


ITEM = BASE / "items" / "370700-zjj" / "370700-XK-00001.yaml"


def _mutations():
    yield "unknown key", lambda d: d.update(nmae="x")
    yield "missing name", lambda d: d.pop("name")
    yield "bad category", lambda d: d.update(category="行政审批")
    yield "bad status", lambda d: d.update(status="废止")
    yield "article as text", lambda d: d["basis"][0].update(article="七")
    yield "article zero", lambda d: d["basis"][0].update(article=0)
    yield "no basis", lambda d: d.pop("basis")
    yield "empty basis", lambda d: d.update(basis=[])
    yield "status without decision", lambda d: d.update(status="冻结")
    yield "下放 without to", lambda d: d.update(status="下放", decision={"document": "x", "date": "2023-01-01"})
    yield "bad code", lambda d: d.update(code="370700-xk-1")
    yield "multi-line name", lambda d: d.update(name="a\nb")
    yield "bad step id", lambda d: d["flow"][0].update(id="受理")
    yield "fee charged as text", lambda d: d.update(fee={"charged": "否"})
    yield "bad risk level", lambda d: d.update(risks=[{"risk": "x", "level": "极高", "measure": "y"}])
    yield "bad date", lambda d: d.update(status="取消", decision={"document": "x", "date": "2023/01/01"})
    # the limits and the characters no export can carry (issue 12)
    yield "CR in name", lambda d: d.update(name="a\rb")
    yield "U+2028 in name", lambda d: d.update(name="a\u2028b")
    yield "tab in name", lambda d: d.update(name="a\tb")
    yield "U+FFFE in remarks", lambda d: d.update(remarks="a\ufffeb")
    yield "BEL in remarks", lambda d: d.update(remarks="a\x07b")
    yield "name too long", lambda d: d.update(name="名" * 501)
    yield "remarks too long", lambda d: d.update(remarks="备" * 32768)
    yield "article too large", lambda d: d["basis"][0].update(article=10000)
    yield "paragraph too large", lambda d: d["basis"][0].update(paragraph=100)
    yield "item too large", lambda d: d["basis"][0].update(item=100)
    yield "too many steps", lambda d: d.update(flow=[{"id": f"s{i}", "name": "步"} for i in range(60)]
                                               + [{"id": "end", "name": "办结", "next": []}])
    yield "too many branches", lambda d: d["flow"][0].update(next=["reject"] * 7)
    yield "control character in a branch label", lambda d: d["flow"][0].update(
        next=[{"to": "review", "when": "a\u2029b"}, "reject"])


def test_limits_at_their_bounds_pass_both() -> None:
    """What the limits allow, both the schema and the validator accept (see test_validate for the validator)."""
    data = read_yaml_text(ITEM.read_bytes(), ITEM.name).data
    data.update(name="名" * 500, remarks="备\t注\n" * 8191 + "备注。")
    data["basis"][0].update(article=9999, paragraph=99, item=99)
    assert len(data["remarks"]) == 32767
    assert not list(_validator("item").iter_errors(_jsonable(data)))
    law = {"id": "x", "title": "法", "level": "法律", "issuer": "全国人大", "status": "现行有效",
           "articles": {"9999": "条文", "1": "第一条\n\t第二行"}}
    assert not list(_validator("law").iter_errors(law))
    law["articles"]["10000"] = "条文"
    assert list(_validator("law").iter_errors(law))


@pytest.mark.parametrize("name,mutate", list(_mutations()), ids=[n for n, _ in _mutations()])
def test_schema_level_bad_cases_fail_schema_and_validator(tmp_path: Path, name: str, mutate) -> None:
    import shutil

    import yaml

    data = read_yaml_text(ITEM.read_bytes(), ITEM.name).data
    bad = copy.deepcopy(data)
    mutate(bad)
    assert list(_validator("item").iter_errors(_jsonable(bad))), f"schema accepted: {name}"
    root = tmp_path / "d"
    shutil.copytree(BASE, root)
    (root / "items" / "370700-zjj" / ITEM.name).write_text(yaml.safe_dump(bad, allow_unicode=True), encoding="utf-8")
    _, problems = collect_problems(root)
    assert problems, f"validator accepted: {name}"

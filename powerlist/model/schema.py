"""JSON Schema (draft 2020-12) for item, department and law files, generated from :mod:`powerlist.model.spec`.

The published files in ``powerlist/schema/`` are this output for the default settings; a test keeps them equal.
A site with other categories or code pattern writes its own with ``powerlist schema --out DIR``.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .settings import Settings
from .spec import (ARTICLE_MAX, ONE_LINE_MAX, TEXT_MAX, ArticleMap, Boolean, Enum, Field, FlowNext, Integer, ListOf,
                   Obj, Spec, Text, SPECS, STEP_ID_PATTERN)

SCHEMA_DIR = Path(__file__).parent.parent / "schema"   # powerlist/schema/, shipped as package data
BASE_URI = "https://powerlist.invalid/schema/"
TITLES = {"item": "权力事项", "department": "实施主体（部门）", "law": "法律依据"}


def _ecma(pattern: str) -> str:
    """Python named groups are not ECMA-262; drop the names (the groups still match the same text)."""
    return re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(", pattern)


#: characters the validator refuses in any text (see powerlist.source.scalars), as ECMA-262 and Python regex escapes;
#: lone surrogates and the noncharacters beyond the first plane are left to the validator (a pattern without the
#: 'u' flag sees UTF-16 code units and cannot name them without refusing every character written with a pair)
_BAD_ALWAYS = r"\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufdd0-\ufdef\ufffe\uffff"
#: ... and in a one-line text: every line break and the tab as well
_BAD_ONE_LINE = r"\u0000-\u001f\u007f-\u009f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff"
ONE_LINE_PATTERN = rf"^[^{_BAD_ONE_LINE}]*\S[^{_BAD_ONE_LINE}]*\n?$"
MULTI_LINE_PATTERN = rf"^[^{_BAD_ALWAYS}]*$"


def _text(one_line: bool) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "maxLength": ONE_LINE_MAX if one_line else TEXT_MAX,
            "pattern": ONE_LINE_PATTERN if one_line else MULTI_LINE_PATTERN}


def _spec(spec: Spec, settings: Settings) -> dict[str, Any]:
    if isinstance(spec, Obj):
        return _obj(spec, settings)
    if isinstance(spec, Text):
        s = _text(spec.one_line)
        if spec.pattern:
            s["pattern"] = spec.pattern
        if spec.fmt == "url":
            s["format"] = "uri"
            s["pattern"] = r"^https?://\S+$"
        if spec.fmt == "date":
            s["format"] = "date"
        if spec.fmt == "region":
            return {"anyOf": [s, {"type": "integer", "minimum": 100000, "maximum": 999999}]}
        return s
    if isinstance(spec, Integer):
        i: dict[str, Any] = {"type": "integer"}
        if spec.minimum is not None:
            i["minimum"] = spec.minimum
        if spec.maximum is not None:
            i["maximum"] = spec.maximum
        return i
    if isinstance(spec, Boolean):
        return {"type": "boolean"}
    if isinstance(spec, Enum):
        return {"enum": list(settings.category_names if spec.setting == "categories" else spec.values)}
    if isinstance(spec, ListOf):
        lst: dict[str, Any] = {"type": "array", "items": _spec(spec.of, settings)}
        if spec.min_items:
            lst["minItems"] = spec.min_items
        if spec.max_items is not None:
            lst["maxItems"] = spec.max_items
        return lst
    if isinstance(spec, ArticleMap):
        return {"type": "object", "propertyNames": {"pattern": f"^[1-9][0-9]{{0,{len(str(ARTICLE_MAX)) - 1}}}$"},
                "additionalProperties": _text(False)}
    if isinstance(spec, FlowNext):
        step = {"type": "string", "pattern": STEP_ID_PATTERN}
        return {"type": "array", "maxItems": spec.max_items, "items": {"anyOf": [step, {
            "type": "object", "required": ["to"], "additionalProperties": False,
            "properties": {"to": dict(step, title="目标步骤"), "when": dict(_text(True), title="条件")}}]}}
    raise TypeError(spec)  # pragma: no cover


def _field(f: Field, settings: Settings) -> dict[str, Any]:
    s = {"title": f.title, "description": f.description or f.title}
    s.update(_spec(f.spec, settings))
    return s


def _obj(spec: Obj, settings: Settings) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "additionalProperties": False,
                           "properties": {f.key: _field(f, settings) for f in spec.fields}}
    req = [f.key for f in spec.fields if f.required]
    if req:
        out["required"] = req
    if spec.requires:
        out["dependentRequired"] = {k: [v] for k, v in spec.requires.items()}
    if spec.exclusive:
        out["allOf"] = [{"not": {"required": list(pair)}} for pair in spec.exclusive]
    return out


def schema_for(kind: str, settings: Settings | None = None) -> dict[str, Any]:
    """The JSON Schema of one file kind: 'item', 'department' or 'law'."""
    settings = settings or Settings()
    body = _obj(SPECS[kind], settings)
    s: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                         "$id": f"{BASE_URI}{kind}.schema.json", "title": TITLES[kind]}
    s.update(body)
    if kind == "item":
        s["properties"]["code"]["pattern"] = _ecma(settings.code_pattern)
        s["allOf"] = [
            {"if": {"properties": {"status": {"const": "取消"}}, "required": ["status"]},
             "else": {"required": ["basis"], "properties": {"basis": {"minItems": 1}}}},
            {"if": {"properties": {"status": {"const": "保留"}}, "required": ["status"]},
             "else": {"required": ["decision"]}},
            {"if": {"properties": {"status": {"enum": ["下放", "合并"]}}, "required": ["status"]},
             "then": {"properties": {"decision": {"required": ["to"]}}}},
        ]
    return s


def render(kind: str, settings: Settings | None = None) -> str:
    return json.dumps(schema_for(kind, settings), ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path, settings: Settings | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind in SPECS:
        p = out / f"{kind}.schema.json"
        p.write_text(render(kind, settings), encoding="utf-8")
        paths.append(p)
    return paths


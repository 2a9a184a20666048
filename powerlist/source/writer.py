"""Canonical, human-friendly YAML for an item file (used by ``powerlist import`` and ``powerlist new``).

Block style, Chinese written as is, keys in the order of the format document (``item-format.md``), strings
quoted only when YAML would otherwise read them as something else (so ``"370700"`` and ``"2020-01-01"`` stay
strings), multi-line text as literal blocks. ``yaml.safe_load(dump_item(d)) == d`` for every plain dict.
"""
from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml's emitter is several times faster; the representer (and so the quoting rules) is the same
    _Base: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeDumper

#: Key order per structure, from the format document. Unknown keys keep their order after the known ones.
ITEM_KEYS = ("code", "name", "category", "department", "status", "basis", "parent", "source", "office",
             "summary", "handling", "time_limit", "fee", "flow", "responsibilities", "accountability", "risks",
             "contact", "decision", "remarks", "source_code", "levels")
CITATION_KEYS = ("law", "article", "paragraph", "item", "point", "point_label", "note")
_NESTED_KEYS: dict[str, tuple[str, ...]] = {
    "time_limit": ("statutory", "promised"),
    "fee": ("charged", "items"),
    "fee.items": ("name", "standard", "basis"),
    "flow": ("id", "name", "actor", "time_limit", "next"),
    "flow.next": ("to", "when"),
    "responsibilities": ("stage", "duty", "basis"),
    "accountability": ("situation", "basis"),
    "risks": ("stage", "risk", "level", "measure"),
    "contact": ("consult", "supervise"),
    "decision": ("document", "date", "url", "to"),
}


class _Dumper(_Base):  # type: ignore[misc,valid-type]
    """Never emits anchors/aliases (a repeated citation dict must be written out twice)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, data: str) -> yaml.Node:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(str, _represent_str)


def _ordered(d: dict[str, Any], order: tuple[str, ...]) -> dict[str, Any]:
    out = {k: d[k] for k in order if k in d}
    out.update((k, v) for k, v in d.items() if k not in out)
    return out


def _order_value(value: Any, ctx: str) -> Any:
    if isinstance(value, list):
        return [_order_value(v, ctx) for v in value]
    if not isinstance(value, dict):
        return value
    order: tuple[str, ...]
    if ctx == "basis" or ctx.endswith(".basis"):
        order = CITATION_KEYS
    else:
        order = _NESTED_KEYS.get(ctx, ())
    d = _ordered(value, order)
    return {k: _order_value(v, "basis" if k == "basis" else f"{ctx}.{k}") for k, v in d.items()}


def order_item(data: dict[str, Any]) -> dict[str, Any]:
    """The item dict with keys (also nested ones) in the order of the format document."""
    d = _ordered(data, ITEM_KEYS)
    return {k: _order_value(v, k) for k, v in d.items()}


def dump_yaml(data: Any) -> str:
    """Any plain value as block-style YAML with the same quoting rules as :func:`dump_item`."""
    out: str = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=1_000_000, indent=2)
    return out


def dump_item(data: dict[str, Any]) -> str:
    """An item (file form, as ``Item.to_dict()`` gives) as the text of its YAML file."""
    return dump_yaml(order_item(data))

"""The faster template compilation (powerlist.site.jinja_fast) renders exactly what Jinja's own compiler renders."""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, Undefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from powerlist.site import jinja_fast
from powerlist.site.build import build_site

from site_fixtures import make_data


class Obj:
    name = "<b>甲 & 乙</b>"
    code = 7
    html = Markup("<em>已转义</em>")
    none = None

    def __getitem__(self, key: str) -> str:
        if key == "only_item":
            return "<item>"
        raise KeyError(key)

    @property
    def broken(self) -> str:
        raise ValueError("a property that fails")


class Sub(str):
    """A str subclass without __html__ (escaped like any other text)."""


TEMPLATES = {
    "attrs": "{{ o.name }}|{{ o.code }}|{{ o.html }}|{{ o.none }}|{{ o.only_item }}|{{ o.missing }}|"
             "{{ d.key }}|{{ d.items }}|{{ d.get('key') }}|{{ (o.name ~ '!') }}|{{ o.name|length }}",
    "nested": "{{ n.a.b.c }}|{{ n.a['b'].c }}|{% for x in n.list %}{{ x.v }},{% endfor %}",
    "values": "{{ s }}|{{ sub }}|{{ m }}|{{ i }}|{{ f }}|{{ none }}|{{ t }}|{{ lst }}",
    "macro": "{% macro box(x) %}<p>{{ x.name }}</p>{{ caller() if caller }}{% endmacro %}"
             "{{ box(o) }}{% call box(o) %}{{ o.name }}{% endcall %}",
    "setblock": "{% set b %}<i>{{ o.name }}</i>{% endset %}{{ b }}|{{ b|length }}",
    "autoescape": "{% autoescape false %}{{ o.name }}{% endautoescape %}|{{ o.name }}",
    "loop": "{% for k, v in d|dictsort %}{{ loop.index }}{{ k }}={{ v }};{% else %}none{% endfor %}",
    "filters": "{{ o.name|e }}|{{ o.name|safe }}|{{ o.name|upper }}|{{ o.missing|default('缺省') }}",
    "cond": "{% if o.code > 5 %}{{ o.name if o.code else '' }}{% endif %}",
    "include": "{% include 'values' %}",
    "extends": "{% extends 'base' %}{% block body %}{{ o.name }}{{ super() }}{% endblock %}",
    "base": "<t>{% block body %}{{ s }}{% endblock %}</t>",
    "strict": "{{ o.missing }}",
    "prop": "{{ o.broken }}",
}

CONTEXT: dict[str, Any] = {
    "o": Obj(), "d": {"key": "<k>", "items": "not the method"}, "s": "<s>'\"&", "sub": Sub("<sub>"),
    "m": Markup("<m>"), "i": 3, "f": 1.5, "none": None, "t": (1, "<2>"), "lst": ["<a>"],
    "n": {"a": {"b": {"c": "<c>"}}, "list": [{"v": "<1>"}, {"v": 2}]},
}


def _envs(**kwargs: Any) -> tuple[Environment, Environment]:
    stock = Environment(loader=DictLoader(TEMPLATES), autoescape=True, **kwargs)
    fast = Environment(loader=DictLoader(TEMPLATES), autoescape=True, **kwargs)
    assert jinja_fast.install(fast)
    return stock, fast


def _outcome(env: Environment, name: str) -> tuple[str, str]:
    try:
        return "ok", env.get_template(name).render(CONTEXT)
    except Exception as exc:  # noqa: BLE001 - the same exception both ways is the point
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("undefined", [Undefined, StrictUndefined])
@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_fast_templates_render_exactly_as_jinja(name: str, undefined: type[Undefined]) -> None:
    stock, fast = _envs(undefined=undefined)
    assert _outcome(fast, name) == _outcome(stock, name)


def test_the_fast_path_is_really_compiled_in() -> None:
    _, fast = _envs()
    source = fast.compile(TEMPLATES["attrs"], raw=True)
    assert "environment.getattr(" in source and "pl_escape_str" in source and "getattr((_pl_obj" in source


def test_not_installed_where_it_could_change_behaviour() -> None:
    assert not jinja_fast.install(SandboxedEnvironment())
    assert not jinja_fast.install(Environment(enable_async=True))


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_whole_site_is_byte_identical_with_and_without(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_data(tmp_path / "data")  # in git: 修订记录, change log and feed are built too
    extra = {"POWERLIST_REPO_URL": "https://git.example.org/x/powerlist"}
    build_site(data, tmp_path / "fast", extra_settings=extra, background_delete=False)
    monkeypatch.setattr(jinja_fast, "install", lambda env: False)
    build_site(data, tmp_path / "stock", extra_settings=extra, background_delete=False)
    fast, stock = _tree(tmp_path / "fast"), _tree(tmp_path / "stock")
    assert fast.keys() == stock.keys()
    assert [k for k in fast if fast[k] != stock[k]] == []
    assert len(fast) > 50

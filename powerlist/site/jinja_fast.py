"""Faster compiled templates for the site's Jinja environment (the same output, byte for byte).

A page of the site evaluates a few hundred ``{{ … }}`` outputs and attribute lookups. Jinja compiles each
output to ``escape(value)``, which builds a ``Markup`` object only for it to be joined into the page, and each
``a.b`` to a call of ``environment.getattr(a, "b")``, a Python function that tries ``getattr`` and then
``a["b"]``. Together that is about a quarter of an item page's rendering time.

:class:`FastCodeGenerator` compiles the same templates to cheaper Python:

- an output in an autoescaping template becomes ``_escape_inner(v)`` when ``v`` is exactly ``str`` (the common
  case) and otherwise ``v.__html__()`` or ``_escape_inner(str(v))`` — what ``markupsafe.escape`` does, as a
  plain ``str``: the page is a join of strings, so the ``Markup`` wrapper made no difference;
- ``a.b`` becomes the built-in ``getattr(a, "b", missing)``, falling back to ``environment.getattr`` (the
  item lookup and ``Undefined``) only when there is no such attribute.

Everything else (``{% autoescape %}`` blocks, ``finalize``, async and sandboxed environments) compiles as
usual. ``tests/test_jinja_fast.py`` renders every theme template both ways and compares the bytes.
"""
from __future__ import annotations

import importlib
from typing import Any, Callable

from jinja2 import Environment
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2 import nodes

def _find_escape_inner() -> Callable[[str], str] | None:
    """markupsafe's escaping of a ``str`` to a ``str`` (C, else its pure-Python twin; private in markupsafe,
    so its absence just leaves templates compiled the usual way)."""
    for module in ("markupsafe._speedups", "markupsafe._native"):
        try:
            fn = getattr(importlib.import_module(module), "_escape_inner", None)
        except ImportError:
            continue
        if callable(fn):
            return fn  # type: ignore[no-any-return]
    return None


_escape_inner = _find_escape_inner()


def _escape_other(value: Any) -> str:
    """``markupsafe.escape`` for anything that is not exactly ``str``, as plain text."""
    html = getattr(value, "__html__", None)
    if html is not None:
        return html()  # type: ignore[no-any-return]
    assert _escape_inner is not None
    return _escape_inner(str(value))


def _fast_output(frame: Frame, finalize: Any) -> bool:
    return not frame.eval_ctx.volatile and bool(frame.eval_ctx.autoescape) and finalize.src is None


class FastCodeGenerator(CodeGenerator):
    """Jinja's code generator with the two cheaper forms described in the module docstring."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _fast_output(frame, finalize):
            self.write("(environment.pl_escape_str(_pl_out) if (_pl_out := ")
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        if _fast_output(frame, finalize):
            self.write(").__class__ is str else environment.pl_escape_other(_pl_out))")
        else:
            super()._output_child_post(node, frame, finalize)

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        if self.environment.is_async:
            super().visit_Getattr(node, frame)
            return
        # the object is bound once (a walrus inside the expression), so it is evaluated once either way
        self.write("(_pl_val if (_pl_val := getattr((_pl_obj := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr(_pl_obj, {node.attr!r}))")


def install(env: Environment) -> bool:
    """Make ``env`` compile its templates with :class:`FastCodeGenerator` (before any template is loaded).
    Leaves environments that customise attribute lookup (sandboxes) or run async as they are; returns whether
    it was installed."""
    if (_escape_inner is None or env.is_async or type(env).getattr is not Environment.getattr
            or env.code_generator_class is not CodeGenerator):
        return False
    env.code_generator_class = FastCodeGenerator
    env.pl_escape_str = _escape_inner  # type: ignore[attr-defined]
    env.pl_escape_other = _escape_other  # type: ignore[attr-defined]
    if env.cache is not None:
        env.cache.clear()  # nothing compiled the old way stays around
    return True


__all__ = ["FastCodeGenerator", "install"]

"""Typed values against their spec: text, whole numbers, enumerations, lists, mappings, article maps, flow
branches. One problem per bad value, each with its field path; the cleaned value is returned, INVALID when the
value cannot be used.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Any

from ..model.settings import Settings
from ..model.spec import (ARTICLE_MAX, ONE_LINE_MAX, TEXT_MAX, ArticleMap, Boolean, Enum, FlowNext, Integer, ListOf,
                          Obj, Spec, Text, all_titles)
from .scalars import BAD_MULTI_LINE, BAD_ONE_LINE, decimal_for, not_decimal, text_problem, yaml_number
from .suggest import suggest
from .yamlfast import is_decimal
from .yamlsrc import Document, IntKey, PathKey

#: an article number as a mapping key written in quotes ('64': …): plain decimal digits only
ARTICLE_KEY_RE = re.compile(r"[1-9][0-9]*")
#: what a check returns for a value it cannot use (a problem was reported)
INVALID: Any = object()


def type_name(v: Any) -> str:
    """What a YAML value is, in words, for 'expected …, found …'."""
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, int):
        return f"a number ({v})"
    if isinstance(v, float):
        return f"a decimal number ({v})"
    if isinstance(v, str):
        return f"text ({short(v)!r})"
    if isinstance(v, list):
        return "a list"
    return "a mapping"


def short(s: str, n: int = 30) -> str:
    """``s`` cut to ``n`` characters for a message."""
    return s if len(s) <= n else s[: n - 1] + "…"


def _not_integer(v: Any, written: str | None, what: str) -> str:
    """Why ``v`` (written as ``written`` when YAML typed it as a number from another text) is not a whole number
    written as a plain decimal integer, and how to write it."""
    if written is not None and isinstance(v, int):      # 010, 0x10, 1:30, 1_0, +5: YAML changed the meaning
        return not_decimal(written, what, v)
    if written is not None:                             # 1.5, 10.0, 1.0e+3
        n = decimal_for(written)
        return (f"expected a whole number, found a decimal number ({short(written)})"
                + (f"; write {what} as a plain decimal integer: {n}" if n is not None else ""))
    if isinstance(v, str):
        if is_decimal(v.strip()):
            return f"expected a whole number, found text {short(v)!r}; write it without quotes"
        if decimal_for(v) is not None:                  # '１０' (full-width), '1e3', '010' in quotes
            return not_decimal(v, what)
    return f"expected a whole number, found {type_name(v)}"


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class ValueChecker:
    """Checks the values of one document, reporting each problem on the document."""

    def __init__(self, doc: Document, settings: Settings):
        self.doc = doc
        self.settings = settings

    def err(self, path: PathKey, msg: str, *, key: bool = False) -> None:
        self.doc.problem(path, msg, key=key)

    def value(self, v: Any, spec: Spec, path: PathKey) -> Any:
        kind = type(spec)
        if kind is Text:  # the common cases first, by exact type (this runs for every value of every file)
            return self.text(v, spec, path)  # type: ignore[arg-type]
        if kind is Obj:
            return self.obj(v, spec, path)  # type: ignore[arg-type]
        if isinstance(spec, Obj):
            return self.obj(v, spec, path)
        if isinstance(spec, Text):
            return self.text(v, spec, path)
        if isinstance(spec, Integer):
            return self.integer(v, spec, path)
        if isinstance(spec, Boolean):
            if not isinstance(v, bool):
                self.err(path, f"expected true or false, found {type_name(v)}")
                return INVALID
            return v
        if isinstance(spec, Enum):
            values = self.settings.category_names if spec.setting == "categories" else list(spec.values)
            if not isinstance(v, str) or v not in values:
                shown = repr(short(v)) if isinstance(v, str) else type_name(v)
                self.err(path, f"{shown} is not one of: {'、'.join(values)}"
                         + (suggest(v, values) if isinstance(v, str) else ""))
                return INVALID
            return v
        if isinstance(spec, ListOf):
            if not isinstance(v, list):
                self.err(path, f"expected a list (lines starting with '- '), found {type_name(v)}")
                return INVALID
            if spec.max_items is not None and len(v) > spec.max_items:
                self.err(path, spec.too_many.format(n=len(v)))
                return INVALID
            out = []
            for i, x in enumerate(v):
                r = self.value(x, spec.of, path + (i,))
                if r is not INVALID:
                    out.append(r)
                elif isinstance(spec.of, Obj):
                    out.append({})  # keep indexes aligned with the file, so later problems point at the right entry
            return out
        if isinstance(spec, ArticleMap):
            return self.articles(v, path)
        if isinstance(spec, FlowNext):
            return self.flow_next(v, path)
        raise TypeError(spec)  # pragma: no cover

    def integer(self, v: Any, spec: Integer, path: PathKey) -> Any:
        """A whole number written as a plain decimal integer, within the spec's range."""
        written = self.doc.numtext.get(path) if self.doc.numtext else None
        if type(v) is not int or written is not None:
            self.err(path, _not_integer(v, written, spec.what))
            return INVALID
        if spec.minimum is not None and v < spec.minimum:
            self.err(path, f"expected a number of at least {spec.minimum}, found {v}")
            return INVALID
        if spec.maximum is not None and v > spec.maximum:
            self.err(path, f"expected a number of at most {spec.maximum}, found {v}")
            return INVALID
        return v

    def text(self, v: Any, spec: Text, path: PathKey) -> Any:
        if type(v) is str and spec.pattern is None and spec.fmt is None:  # plain text: the common case
            if spec.one_line:
                stripped = v.strip()
                # isprintable() is False for every character refused (and a few allowed: the regex decides)
                if stripped and len(stripped) <= ONE_LINE_MAX and (stripped.isprintable()
                                                                    or not BAD_ONE_LINE.search(stripped)):
                    return stripped
            elif len(v) <= TEXT_MAX and v.strip() and (v.isprintable() or v.replace("\n", "").isprintable()
                                                        or not BAD_MULTI_LINE.search(v)):
                return v
        if not isinstance(v, str):
            written = self.doc.numtext.get(path) if self.doc.numtext else None
            if spec.fmt == "region" and isinstance(v, int) and not isinstance(v, bool):
                return self.text(written if written is not None else str(v), spec, path)  # 0370700 is octal 126400
            shown = written if written is not None else v
            hint = f"; quote it ('{shown}')" if isinstance(v, (int, float)) and not isinstance(v, bool) else ""
            self.err(path, f"expected text, found {type_name(v)}{hint}")
            return INVALID
        if not v.strip():
            self.err(path, "must not be empty")
            return INVALID
        v = v.strip() if spec.one_line else v
        # a value that matches its pattern (ASCII ids, dates, region codes) holds no character to refuse
        matched = spec.pattern is not None and _compiled(spec.pattern).match(v) is not None
        bad = text_problem(v, spec.one_line) if not matched else (
            text_problem(v, True) if len(v) > ONE_LINE_MAX else None)
        if bad is not None:
            self.err(path, bad)
            return INVALID
        if spec.pattern and not matched:
            self.err(path, f"{short(v)!r} is not valid: expected {spec.hint or 'lowercase letters, digits and -'}")
            return INVALID
        if spec.fmt == "date":
            try:
                _dt.date.fromisoformat(v)
            except ValueError:
                self.err(path, f"{short(v)!r} is not a real date (YYYY-MM-DD)")
                return INVALID
        if spec.fmt == "url" and not re.match(r"^https?://[^\s<>\"']+$", v):
            self.err(path, f"{short(v)!r} is not a web address (https://…)")
            return INVALID
        return v

    def obj(self, v: Any, spec: Obj, path: PathKey) -> Any:
        if not isinstance(v, dict):
            self.err(path, f"expected a mapping (key: value) for {spec.name}, found {type_name(v)}")
            return INVALID
        fields = spec.field_map()
        out: dict[str, Any] = {}
        for k, x in v.items():
            f = fields.get(k) if isinstance(k, str) else None
            if f is None:
                self.unknown_key(k, spec, path)
                continue
            if x is None and not f.required:
                self.err(path + (k,), f"'{k}' is given but empty; remove the line or give a value")
                continue
            r = self.value(x, f.spec, path + (k,))
            if r is not INVALID:
                out[k] = r
        if spec.requires or spec.exclusive:
            self.together(v, spec, path)
        missing = [f for f in spec.required_fields() if f.key not in v]
        if missing:
            titles = all_titles(spec)
            aliased = {spec.renamed.get(k) or titles.get(k) for k in v if isinstance(k, str)}
            for f in missing:
                if f.key not in aliased:  # an old or Chinese name for it is reported once, as such
                    self.err(path, f"missing required key '{f.key}' ({f.title})")
        return out

    def together(self, v: dict[Any, Any], spec: Obj, path: PathKey) -> None:
        """Keys that need another beside them (a 款 its 条), and pairs that exclude each other (条 and 文件项号)."""
        titles = {f.key: f.title for f in spec.fields}
        for key, needed in spec.requires.items():
            if key in v and needed not in v:
                self.err(path + (key,), f"'{key}' ({titles[key]}) is given without '{needed}' ({titles[needed]}); "
                         f"give the {needed} it belongs to")
        for a, b in spec.exclusive:
            if a in v and b in v:
                self.err(path + (b,), f"'{a}' ({titles[a]}) and '{b}' ({titles[b]}) cannot both be given: "
                         f"'{b}' is for a document cited without articles (附件第193项); keep one")

    def unknown_key(self, k: Any, spec: Obj, path: PathKey) -> None:
        kp = path + (k,)
        titles = all_titles(spec)
        known = [f.key for f in spec.fields]
        if k in spec.renamed:
            msg = f"'{k}' was renamed '{spec.renamed[k]}'"
        elif isinstance(k, str) and k in titles:
            msg = f"unknown key '{k}': write the English key '{titles[k]}' for {k}"
        else:
            msg = f"unknown key {short(str(k))!r} in {spec.name}" + suggest(str(k), known)
            if not msg.endswith("?"):
                msg += f" (allowed: {', '.join(known)})"
        self.err(kp, msg, key=True)

    def articles(self, v: Any, path: PathKey) -> Any:
        if not isinstance(v, dict):
            self.err(path, f"expected a mapping of article number → text, found {type_name(v)}")
            return INVALID
        out: dict[int, str] = {}
        first: dict[int, PathKey] = {}       # article number → the path of the key that gave it first
        for k, text in v.items():
            # keys are ints for plain decimal numbers (64:), text otherwise: quoted ('64':) or another number
            # form the reader kept as written (010:, 0x10:, 1:30:), which the validator refuses
            n = k if type(k) is int else (int(k) if isinstance(k, str) and ARTICLE_KEY_RE.fullmatch(k) else None)
            kpath = path + (IntKey(k) if type(k) is int else k,)  # a key, not a list position: articles.9
            if n is None:
                written = self.doc.numtext.get(kpath)     # a plain key YAML types as a number: 010:, 0x10:, 1:30:
                if written is not None or (isinstance(k, str) and decimal_for(k) is not None):   # or '１０':
                    self.err(kpath, not_decimal(str(k), "the article number",
                                                yaml_number(written) if written is not None else None), key=True)
                else:
                    self.err(kpath, f"article numbers must be whole numbers such as 12, found {short(str(k))!r}",
                             key=True)
                continue
            if n < 1:
                self.err(kpath, f"article numbers must be whole numbers such as 12, found {k!r}", key=True)
                continue
            if n > ARTICLE_MAX:
                self.err(kpath, f"article numbers go up to {ARTICLE_MAX}, found {short(str(k))}", key=True)
                continue
            if n in first:
                line = self.doc.where(first[n], key=True)[0]
                self.err(kpath, f"article {n} is given twice (first on line {line}); keep one", key=True)
                continue
            first[n] = kpath
            out[n] = text if isinstance(text, str) else ""    # known, even when its text is wrong: no citation of
            if not isinstance(text, str) or not text.strip():  # it is reported missing as well
                self.err(kpath, f"article {n}: expected its text, found {type_name(text)}")
                continue
            bad = text_problem(text, False)
            if bad is not None:
                self.err(kpath, f"article {n}: the text {bad}")
        return out

    def flow_next(self, v: Any, path: PathKey) -> Any:
        if not isinstance(v, list):
            self.err(path, f"expected a list of step ids (or [] for an end step), found {type_name(v)}")
            return INVALID
        if len(v) > FlowNext.max_items:
            self.err(path, f"a step may go on to at most {FlowNext.max_items} next steps, found {len(v)}; "
                     "summarise the branches")
            return INVALID
        out = []
        for i, e in enumerate(v):
            p = path + (i,)
            if isinstance(e, str):
                out.append({"to": e})
            elif isinstance(e, dict):
                unknown = [k for k in e if k not in ("to", "when")]
                for k in unknown:
                    self.err(p + (k,), f"unknown key {str(k)!r} in a branch (allowed: to, when)", key=True)
                to, when = e.get("to"), e.get("when")
                if not isinstance(to, str) or not to:
                    self.err(p, "a branch needs 'to': the id of the next step")
                    continue
                if when is not None and not isinstance(when, str):
                    self.err(p + ("when",), f"expected text, found {type_name(when)}")
                    when = None
                elif when is not None and when.strip():
                    bad = text_problem(when.strip(), True)
                    if bad is not None:
                        self.err(p + ("when",), bad)
                        when = None
                out.append({"to": to, "when": when} if when else {"to": to})
            else:
                self.err(p, f"expected a step id or {{to, when}}, found {type_name(e)}")
        return out


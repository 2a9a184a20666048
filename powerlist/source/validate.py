"""Validation: every rule of the format document, every problem collected.

Two passes. ``check_document`` checks one file against its spec (types, required and unknown keys, enumerations,
id syntax, flow graph) and returns the cleaned value plus the references it makes to other files, each with its
position. ``check_references`` then resolves those references across the whole data set (departments, laws,
articles, parents, decisions, code uniqueness, region/letters agreement). Positions are not kept past that, so
memory stays small for 100,000 items.
"""
from __future__ import annotations

import bisect
import datetime as _dt
import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..model.errors import WARNING, Problem
from ..model.records import DEPARTMENT_LEVELS
from ..model.settings import CODE_PATTERN_DEFAULT, Settings
from ..model.spec import (ARTICLE_MAX, FLOW_MAX_EDGES, ONE_LINE_MAX, TEXT_MAX, ArticleMap, Boolean, Enum,
                          FlowNext, Integer, ListOf, Obj, Spec, Text, all_titles, DEPARTMENT, ITEM, LAW, ID_PATTERN,
                          STEP_ID_PATTERN)
from .scalars import BAD_MULTI_LINE, BAD_ONE_LINE, decimal_for, not_decimal, text_problem, yaml_number
from .yamlfast import is_decimal
from .yamlsrc import Document, IntKey, PathKey, format_path

ID_RE = re.compile(ID_PATTERN)
STEP_RE = re.compile(STEP_ID_PATTERN)
SAFE_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*$")
#: an article number as a mapping key written in quotes ('64': …): plain decimal digits only
ARTICLE_KEY_RE = re.compile(r"[1-9][0-9]*")
INVALID: Any = object()


@dataclass(slots=True)
class Ref:
    """A reference from one file to something defined elsewhere, with where it was written."""

    kind: str          # "law" | "department" | "parent" | "decision_to"
    target: str
    file: str
    line: int
    col: int
    path: str
    extra: Any = None  # law refs: (article, its path, its (line, col)); decision_to: the item's status

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:   # compact pickling (results of worker processes)
        return (Ref, (self.kind, self.target, self.file, self.line, self.col, self.path, self.extra))


@dataclass(slots=True)
class Checked:
    """The outcome of checking one file: cleaned data (None when unusable) and outgoing references."""

    kind: str
    file: str
    data: dict[str, Any] | None
    refs: list[Ref] = field(default_factory=list)
    line: int = 1
    #: the model object, built where the file was checked (in a worker process for large data sets); ``data``
    #: then keeps only the keys the cross-file checks read (ITEM_REF_KEYS), so less crosses between processes
    model: Any = None

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return (Checked, (self.kind, self.file, self.data, self.refs, self.line, self.model))


#: what check_references reads of an item's data
ITEM_REF_KEYS = ("department", "category", "parent", "status", "decision")


def _type_name(v: Any) -> str:
    if v is None:
        return "nothing (null)"
    if isinstance(v, bool):
        return f"true/false ({str(v).lower()})"
    if isinstance(v, int):
        return f"a number ({v})"
    if isinstance(v, float):
        return f"a decimal number ({v})"
    if isinstance(v, str):
        return f"text ({_short(v)!r})"
    if isinstance(v, list):
        return "a list"
    return "a mapping"


def _short(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _not_integer(v: Any, written: str | None, what: str) -> str:
    """Why ``v`` (written as ``written`` when YAML typed it as a number from another text) is not a whole number
    written as a plain decimal integer, and how to write it."""
    if written is not None and isinstance(v, int):      # 010, 0x10, 1:30, 1_0, +5: YAML changed the meaning
        return not_decimal(written, what, v)
    if written is not None:                             # 1.5, 10.0, 1.0e+3
        n = decimal_for(written)
        return (f"expected a whole number, found a decimal number ({_short(written)})"
                + (f"; write {what} as a plain decimal integer: {n}" if n is not None else ""))
    if isinstance(v, str):
        if is_decimal(v.strip()):
            return f"expected a whole number, found text {_short(v)!r}; write it without quotes"
        if decimal_for(v) is not None:                  # '１０' (full-width), '1e3', '010' in quotes
            return not_decimal(v, what)
    return f"expected a whole number, found {_type_name(v)}"


def suggest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' or ''."""
    m = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{m[0]}'?" if m else ""


class Near:
    """:func:`suggest` over many choices (the codes of 100,000 items) with bounded work: difflib compares the
    word with every choice (0.1 s for 10,000 codes, so 300 mistyped parent codes took 45 s); here it sees only
    the choices next to the word in sorted order and next to it in the order of the reversed strings. A typo
    keeps either the part before it or the part after it, so the intended choice is among those neighbours.
    Small sets are searched whole, as before; each distinct word is searched once."""

    SMALL = 500
    WINDOW = 64

    def __init__(self, choices: Iterable[str]):
        self.given = choices
        self.choices: list[str] = []
        self.rev: list[str] | None = None
        self.seen: dict[tuple[str, str | None], str] = {}

    def __call__(self, word: str, exclude: str | None = None) -> str:
        """The suggestion for ``word``, never ``exclude`` (an item's own code)."""
        got = self.seen.get((word, exclude))
        if got is None:
            near = self._near(word)
            got = self.seen[(word, exclude)] = suggest(word, (c for c in near if c != exclude))
        return got

    def _near(self, word: str) -> list[str]:
        if not self.seen:       # sorted on first use: most loads need no suggestion at all
            self.choices = sorted(set(self.given))
        if len(self.choices) <= self.SMALL:
            return self.choices
        if self.rev is None:
            self.rev = sorted(c[::-1] for c in self.choices)
        w = self.WINDOW
        i = bisect.bisect_left(self.choices, word)
        j = bisect.bisect_left(self.rev, word[::-1])
        return sorted(set(self.choices[max(0, i - w):i + w]) | {c[::-1] for c in self.rev[max(0, j - w):j + w]})


@functools.lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Checker:
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
                self.err(path, f"expected true or false, found {_type_name(v)}")
                return INVALID
            return v
        if isinstance(spec, Enum):
            values = self.settings.category_names if spec.setting == "categories" else list(spec.values)
            if not isinstance(v, str) or v not in values:
                shown = repr(_short(v)) if isinstance(v, str) else _type_name(v)
                self.err(path, f"{shown} is not one of: {'、'.join(values)}"
                         + (suggest(v, values) if isinstance(v, str) else ""))
                return INVALID
            return v
        if isinstance(spec, ListOf):
            if not isinstance(v, list):
                self.err(path, f"expected a list (lines starting with '- '), found {_type_name(v)}")
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
            self.err(path, f"expected text, found {_type_name(v)}{hint}")
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
            self.err(path, f"{_short(v)!r} is not valid: expected {spec.hint or 'lowercase letters, digits and -'}")
            return INVALID
        if spec.fmt == "date":
            try:
                _dt.date.fromisoformat(v)
            except ValueError:
                self.err(path, f"{_short(v)!r} is not a real date (YYYY-MM-DD)")
                return INVALID
        if spec.fmt == "url" and not re.match(r"^https?://[^\s<>\"']+$", v):
            self.err(path, f"{_short(v)!r} is not a web address (https://…)")
            return INVALID
        return v

    def obj(self, v: Any, spec: Obj, path: PathKey) -> Any:
        if not isinstance(v, dict):
            self.err(path, f"expected a mapping (key: value) for {spec.name}, found {_type_name(v)}")
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
            msg = f"unknown key {_short(str(k))!r} in {spec.name}" + suggest(str(k), known)
            if not msg.endswith("?"):
                msg += f" (allowed: {', '.join(known)})"
        self.err(kp, msg, key=True)

    def articles(self, v: Any, path: PathKey) -> Any:
        if not isinstance(v, dict):
            self.err(path, f"expected a mapping of article number → text, found {_type_name(v)}")
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
                    self.err(kpath, f"article numbers must be whole numbers such as 12, found {_short(str(k))!r}",
                             key=True)
                continue
            if n < 1:
                self.err(kpath, f"article numbers must be whole numbers such as 12, found {k!r}", key=True)
                continue
            if n > ARTICLE_MAX:
                self.err(kpath, f"article numbers go up to {ARTICLE_MAX}, found {_short(str(k))}", key=True)
                continue
            if n in first:
                line = self.doc.where(first[n], key=True)[0]
                self.err(kpath, f"article {n} is given twice (first on line {line}); keep one", key=True)
                continue
            first[n] = kpath
            out[n] = text if isinstance(text, str) else ""    # known, even when its text is wrong: no citation of
            if not isinstance(text, str) or not text.strip():  # it is reported missing as well
                self.err(kpath, f"article {n}: expected its text, found {_type_name(text)}")
                continue
            bad = text_problem(text, False)
            if bad is not None:
                self.err(kpath, f"article {n}: the text {bad}")
        return out

    def flow_next(self, v: Any, path: PathKey) -> Any:
        if not isinstance(v, list):
            self.err(path, f"expected a list of step ids (or [] for an end step), found {_type_name(v)}")
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
                    self.err(p + ("when",), f"expected text, found {_type_name(when)}")
                    when = None
                elif when is not None and when.strip():
                    bad = text_problem(when.strip(), True)
                    if bad is not None:
                        self.err(p + ("when",), bad)
                        when = None
                out.append({"to": to, "when": when} if when else {"to": to})
            else:
                self.err(p, f"expected a step id or {{to, when}}, found {_type_name(e)}")
        return out


def check_flow(doc: Document, steps: list[dict[str, Any]]) -> None:
    """Unique ids, targets exist, every step reachable from the first, at least one end, at most
    FLOW_MAX_EDGES branches in all (steps and branches per step are bounded by the spec)."""
    ids: dict[str, int] = {}
    for i, s in enumerate(steps):
        sid = s.get("id")
        if not isinstance(sid, str):
            continue
        if sid in ids:
            doc.problem(("flow", i, "id"), f"step id '{sid}' is used twice (first at flow[{ids[sid]}])")
        else:
            ids[sid] = i
    graph: dict[int, list[int]] = {}
    n_edges = 0
    for i, s in enumerate(steps):
        nxt = s.get("next")
        if nxt is None:
            graph[i] = [i + 1] if i + 1 < len(steps) else []
            n_edges += len(graph[i])
            continue
        n_edges += len(nxt)
        targets = []
        for j, e in enumerate(nxt):
            t = e["to"]
            if t not in ids:
                doc.problem(("flow", i, "next", j), f"next step {_short(t)!r} does not exist in this flow"
                            + suggest(t, ids))
            else:
                targets.append(ids[t])
        graph[i] = targets
    if not steps:
        return
    if n_edges > FLOW_MAX_EDGES:
        doc.problem(("flow",), f"the flow has {n_edges} branches in all (next steps, written or implied); at most "
                    f"{FLOW_MAX_EDGES} are allowed, so that the flowchart stays readable")
    if not any(not graph.get(i) and (steps[i].get("next") is not None or i == len(steps) - 1)
               for i in range(len(steps))):
        doc.problem(("flow", len(steps) - 1), "the flow has no end step; give the last step `next: []` (办结)")
    seen = {0}
    todo = [0]
    while todo:
        for t in graph.get(todo.pop(), []):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    for i, s in enumerate(steps):
        if i not in seen:
            name = f"'{s['id']}'" if isinstance(s.get("id"), str) else f"flow[{i}]"
            doc.problem(("flow", i), f"step {name} cannot be reached from the first step")


def _ref(doc: Document, kind: str, target: str, path: PathKey, extra: Any = None) -> Ref:
    line, col = doc.where(path)
    return Ref(kind, target, doc.file, line, col, format_path(path), extra)


def _citation_refs(doc: Document, cits: Any, path: PathKey, refs: list[Ref]) -> None:
    for i, c in enumerate(cits or []):
        if "law" in c:
            apath = path + (i, "article")
            refs.append(_ref(doc, "law", c["law"], path + (i, "law"),
                             (c.get("article"), apath, doc.where(apath) if "article" in c else (0, 0))))


def check_item(doc: Document, settings: Settings, folder: str, stem: str) -> Checked:
    """Check one item file (items/<folder>/<stem>.yaml)."""
    data = _Checker(doc, settings).obj(doc.data, ITEM, ()) if doc.data is not None else INVALID
    if data is INVALID:
        return Checked("item", doc.file, None)
    refs: list[Ref] = []
    code = data.get("code")
    if code is not None:
        if not SAFE_CODE_RE.match(code) or not settings.code_re.match(code):
            doc.problem(("code",), f"{code!r} does not match the code pattern {settings.code_pattern}"
                        + (" (e.g. 370700-XK-00012)" if settings.code_pattern == CODE_PATTERN_DEFAULT else ""))
        elif code != stem:
            doc.problem(("code",), f"code '{code}' differs from the file name '{stem}.yaml'; "
                        f"rename the file to '{code}.yaml' or fix the code")
        else:
            m = settings.code_re.match(code)
            assert m is not None
            groups = m.groupdict()
            letters = settings.category_letters.get(data.get("category", ""))
            if groups.get("letters") and letters and groups["letters"] != letters:
                doc.problem(("code",), f"code letters '{groups['letters']}' do not match category "
                            f"{data['category']} ({letters})")
            if groups.get("region"):
                refs.append(_ref(doc, "region", groups["region"], ("code",)))
        refs.append(_ref(doc, "code", code, ("code",)))
    dep = data.get("department")
    if dep is not None:
        if dep != folder:
            doc.problem(("department",), f"department '{dep}' differs from the folder '{folder}' the file is in")
        refs.append(_ref(doc, "department", dep, ("department",)))
    status = data.get("status")
    basis = data.get("basis")
    # a rule that one field's value causes points at that field's line (the status), not at the file's start
    if status and status != "取消" and ("basis" not in doc.data or doc.data["basis"] == []) and not any(
            ITEM.renamed.get(k) == "basis" for k in doc.data):
        doc.problem(("basis",) if "basis" in doc.data else ("status",), "at least one citation is required in "
                    "'basis' (实施依据) unless the status is 取消")
    _citation_refs(doc, basis, ("basis",), refs)
    for i, fi in enumerate((data.get("fee") or {}).get("items", [])):
        _citation_refs(doc, fi.get("basis"), ("fee", "items", i, "basis"), refs)
    for key in ("responsibilities", "accountability"):
        for i, r in enumerate(data.get(key) or []):
            _citation_refs(doc, r.get("basis"), (key, i, "basis"), refs)
    fee = data.get("fee")
    if fee and fee.get("charged") is True and not fee.get("items"):
        doc.problem(("fee", "charged"), "fee.charged is true: list the fee items (items: [{name, standard, basis}])")
    if fee and fee.get("charged") is False and fee.get("items"):
        doc.problem(("fee", "items"), "fee.charged is false but fee items are listed")
    if "flow" in data:
        check_flow(doc, data["flow"])
    parent = data.get("parent")
    if parent is not None:
        if parent == code:
            doc.problem(("parent",), "an item cannot be its own parent")
        else:
            refs.append(_ref(doc, "parent", parent, ("parent",), (
                data.get("category"), status, doc.where(("category",)), doc.where(("status",)))))
    decision = data.get("decision")
    if status and status != "保留" and "decision" not in doc.data:
        doc.problem(("status",), f"status is {status}: 'decision' (调整依据: document, date) is required")
    if status in ("下放", "合并") and decision is not None and "to" not in decision and "to" not in _invalid_keys(
            doc, "decision"):
        what = "the receiving department id" if status == "下放" else "the code of the item it was merged into"
        doc.problem(("status",), f"status is {status}: decision.to must name {what}")
    if decision and "to" in decision and decision["to"] == code:
        doc.problem(("decision", "to"), "decision.to names this item itself")
    elif decision and "to" in decision:
        refs.append(_ref(doc, "decision_to", decision["to"], ("decision", "to"), status))
    return Checked("item", doc.file, data, refs, doc.where(())[0])


def _invalid_keys(doc: Document, key: str) -> set[str]:
    """Keys that were present in the file (so a separate 'missing' message would be noise)."""
    raw = doc.data.get(key) if isinstance(doc.data, dict) else None
    return set(raw) if isinstance(raw, dict) else ({key} if raw is not None else set())


def _check_with_id(doc: Document, settings: Settings, spec: Obj, kind: str, expected: str,
                   named: str) -> Checked:
    """A department or law file: its spec, and an ``id`` equal to the folder or file name it is in."""
    data = _Checker(doc, settings).obj(doc.data, spec, ()) if doc.data is not None else INVALID
    if data is INVALID:
        return Checked(kind, doc.file, None)
    if "id" in data and data["id"] != expected:
        doc.problem(("id",), f"id '{data['id']}' differs from the {named}")
    return Checked(kind, doc.file, data)


def check_department(doc: Document, settings: Settings, folder: str) -> Checked:
    return _check_with_id(doc, settings, DEPARTMENT, "department", folder, f"folder name '{folder}'")


def check_law(doc: Document, settings: Settings, stem: str) -> Checked:
    checked = _check_with_id(doc, settings, LAW, "law", stem, f"file name '{stem}.yaml'")
    gen = (checked.data or {}).get("generated")
    if gen and {"by", "source", "date"} <= set(gen):
        line, col = doc.where(("generated",), key=True)
        arts = (checked.data or {}).get("articles") or {}
        doc.problems.append(Problem(doc.file, line, col, "generated", (
            f"written by {gen['by']} from {gen['source']} on {gen['date']} and not yet checked: compare the title, "
            f"level, issuer, document and the {len(arts)} article text(s) with the official text, then delete "
            "'generated' (from then on, citations are checked against the articles listed)"), WARNING))
    return checked


def check_references(items: list[Checked], departments: dict[str, Checked], laws: dict[str, Checked],
                     settings: Settings) -> list[Problem]:
    """Cross-file rules, over the cleaned data of every file."""
    problems: list[Problem] = []

    def bad(r: Ref, msg: str) -> None:
        problems.append(Problem(r.file, r.line, r.col, r.path, msg))

    codes: dict[str, Ref] = {}
    item_data: dict[str, dict[str, Any]] = {}
    for it in items:
        for r in it.refs:
            if r.kind == "code":
                if r.target in codes:
                    first = codes[r.target]
                    bad(r, f"code '{r.target}' is used twice (also in {first.file}:{first.line})")
                else:
                    codes[r.target] = r
                    if it.data is not None:
                        item_data[r.target] = it.data
    dep_ids = sorted(departments)
    near_code, near_dep, near_law = Near(codes), Near(dep_ids), Near(laws)
    ranges: dict[str, str] = {}         # law id → its article numbers as ranges, for messages
    for it in items:
        data = it.data or {}
        for r in it.refs:
            if r.kind == "department":
                if r.target not in departments:
                    bad(r, f"department '{r.target}' has no _department.yaml in items/{r.target}/"
                        + near_dep(r.target))
            elif r.kind == "region":
                # the folder's department (department = folder), so a wrong `department:` is reported only once
                parts = r.file.split("/")
                dep = departments.get(parts[-2] if len(parts) > 1 else data.get("department", ""))
                region = dep.data.get("region") if dep and dep.data else None
                if region and region != r.target:
                    bad(r, f"code region '{r.target}' does not match the department's region '{region}'")
            elif r.kind == "law":
                article, apath, (aline, acol) = r.extra
                law = laws.get(r.target)
                if law is None:
                    bad(r, f"unknown law id '{r.target}' (no laws/{r.target}.yaml)" + near_law(r.target))
                    continue
                ld = law.data or {}
                if ld.get("status") == "已废止":
                    bad(r, f"cites {ld.get('title', r.target)}, which is repealed (已废止)")
                arts = ld.get("articles")
                # a generated law lists the articles the imported list pasted, not all of them
                if arts and article is not None and article not in arts and not ld.get("generated"):
                    listed = ranges.get(r.target)
                    if listed is None:
                        listed = ranges[r.target] = _ranges(sorted(arts))
                    problems.append(Problem(r.file, aline, acol, format_path(apath),
                                            f"article {article} is not in laws/{r.target}.yaml "
                                            f"(it lists {len(arts)} articles: {listed})"))
            elif r.kind == "parent":
                category, status, category_pos, status_pos = r.extra
                parent = item_data.get(r.target)
                if parent is None:
                    bad(r, f"parent item '{r.target}' does not exist" + near_code(r.target))
                elif parent.get("parent"):
                    bad(r, f"parent item '{r.target}' is itself a sub-item; sub-items have one level")
                else:
                    if category and parent.get("category") and parent["category"] != category:
                        problems.append(Problem(r.file, category_pos[0], category_pos[1], "category", (
                            f"a sub-item's category ({category}) must equal its parent's ({parent['category']})")))
                    if status == "保留" and parent.get("status") and parent["status"] != "保留":
                        problems.append(Problem(r.file, status_pos[0], status_pos[1], "status", (
                            f"status is 保留 but the parent item '{r.target}' is {parent['status']}: a sub-item "
                            "in force needs its main item in force; change this status or the parent's")))
            elif r.kind == "decision_to":
                msg = _disposition_problem(r, it, departments, item_data, near_dep, near_code)
                if msg:
                    bad(r, msg)
    return problems


def _level_of(departments: dict[str, Checked], dep: Any) -> int | None:
    """The rank of a department's level (0 省级 … 3 乡镇级), None when unknown."""
    d = departments.get(dep) if isinstance(dep, str) else None
    level = (d.data or {}).get("level") if d is not None else None
    return DEPARTMENT_LEVELS.index(level) if level in DEPARTMENT_LEVELS else None


def _disposition_problem(r: Ref, it: Checked, departments: dict[str, Checked], item_data: dict[str, dict[str, Any]],
                         near_dep: Near, near_code: Near) -> str | None:
    """What contradicts an item's disposition (its status and decision.to), or None. 下放 goes to another
    department at a lower level; 合并 goes into an item in force (保留), never round a cycle."""
    status, target, data = r.extra, r.target, it.data or {}
    if status == "下放":
        if target not in departments:
            return f"decision.to '{target}' is not a department id" + near_dep(target)
        own = data.get("department")
        if target == own:
            return (f"decision.to names the item's own department '{target}'; 下放 hands the power down to a "
                    "department at a lower level")
        mine, theirs = _level_of(departments, own), _level_of(departments, target)
        if mine is not None and theirs is not None and theirs <= mine:
            return (f"decision.to '{target}' is a {DEPARTMENT_LEVELS[theirs]} department, not below this item's "
                    f"{DEPARTMENT_LEVELS[mine]} department; 下放 hands the power down to a lower level")
        return None
    if status == "合并":
        me = next((x.target for x in it.refs if x.kind == "code"), None)
        if target not in item_data:
            return f"decision.to '{target}' is not an item code" + near_code(target, exclude=me)
        into = item_data[target].get("status")
        if into == "保留" or not into:
            return None
        chain = [target]
        while item_data.get(chain[-1], {}).get("status") == "合并":   # follow the merges until one stops
            nxt = (item_data[chain[-1]].get("decision") or {}).get("to")
            if not isinstance(nxt, str) or nxt not in item_data or nxt in chain or nxt == me:
                if nxt == me and me is not None:
                    return (f"merge cycle: {' → '.join([me] + chain + [me])}; an item is merged into an item in "
                            "force (保留)")
                break
            chain.append(nxt)
        final = chain[-1]
        if len(chain) > 1 and item_data[final].get("status") == "保留":
            return (f"decision.to '{target}' is itself merged (合并) into '{final}'; an item is merged into an item "
                    f"in force (保留): write '{final}'")
        return f"decision.to '{target}' has status {into}; an item can only be merged into an item in force (保留)"
    if target not in departments and target not in item_data:
        return f"decision.to '{target}' is neither a department id nor an item code"
    return None


def _ranges(nums: list[int]) -> str:
    out: list[str] = []
    for n in nums:
        if out and isinstance(out[-1], str) and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = out[-1].split("-")[0] + f"-{n}"
        else:
            out.append(str(n))
    s = ", ".join(out)
    return s if len(s) < 80 else s[:77] + "…"


def check_id(name: str, what: str) -> str | None:
    """A message when a folder/file name cannot be an id, else None."""
    if not ID_RE.match(name):
        return (f"{what} '{name}' is not a valid id: use lowercase ASCII letters, digits and '-' "
                "(it becomes a URL and a file name)")
    return None

"""责任事项, 追责情形 and phone cells of a published power list → stages, situations and phone numbers.

Pure text → data, like :mod:`powerlist.exchange.basis_text`. What the cells look like (``tests/data/real-lists/``):

* 责任事项: numbered stages ``1.受理阶段责任：…`` (also ``1、`` ``1：`` ``①`` ``(1)`` ``一、``), one per line or all on
  one line, sometimes numbered out of order or twice; ``X阶段责任：`` ``X责任：`` ``X阶段：`` ``X：`` ``X阶段责任，``
  ``X责任。``; or numbered duties grouped under headings ``直接实施责任：`` / ``指导监督责任：`` (克拉玛依).
* 追责情形: ``因不履行或不正确履行行政职责，有下列情形的…应承担相应的责任：`` then ``1.…；`` ``2.…；``.
* 监管电话: ``029-87823020``, two numbers split by spaces or a line break, ``02986788409``.

A number starts an item only at the start of a line or after a sentence end (。；;：), or when it carries on the
sequence (``…理由）2：审核阶段责任：`` or ``…的责任1.不担当``); numbers of another style inside an item (（1）
under 1.) stay text. Cells that Excel wrapped into short lines (统计局: ``直接实施责\\n任：``) are joined first.
Nothing here raises.
"""
from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Stage", "SituationsParse", "parse_stages", "parse_situations", "read_situations", "parse_phones"]


@dataclass(frozen=True, slots=True)
class Stage:
    """One duty of a 责任事项 cell."""

    #: the stage without 阶段责任/阶段/责任 (受理, 审查, 决定, 送达, 事后监管, 其他…), None when the duty names none
    stage: str | None
    duty: str
    #: the stage as written (受理阶段责任), or None
    label: str | None = None
    #: the number written before it (① → 1), or None
    number: int | None = None
    #: the heading the duty stands under (直接实施, 指导监督), or None
    group: str | None = None


@dataclass(slots=True)
class SituationsParse:
    """A 追责情形 cell: the numbered situations and the sentence before them."""

    situations: list[str] = field(default_factory=list)
    #: the text before the first numbered situation (因不履行或不正确履行行政职责，有下列情形的…：), or None
    preamble: str | None = None
    #: one line each, English then Chinese, for an import report
    problems: list[str] = field(default_factory=list)


_WS = " \t\u3000\u00a0\u2002\u2003\u2009\u202f"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_MARK = re.compile(
    rf"(?<![0-9０-９第.．])(?P<num>[1-9１-９][0-9０-９]?)[{_WS}]*(?P<punct>[.、．:：])(?![0-9０-９])"
    rf"|(?P<circ>[{_CIRCLED}])"
    r"|[（(](?P<pnum>[1-9１-９][0-9０-９]?)[）)]"
    r"|(?<![一二三四五六七八九十])(?P<cn>[一二三四五六七八九十]{1,2})、")
_BOUNDARY_BEFORE = "\n。；;：:！!？?"
_GROUP_END = re.compile(rf"责任[{_WS}]*[：:][{_WS}]*")
_ODD = re.compile("[\r\u2028\u2029\u200b\ufeff]")
_STAGE = re.compile(rf"(?P<name>[^：:，,。.；;、\s“”\"（）()《》]{{1,12}}?)(?P<suffix>阶段责任|环节责任|阶段|环节|责任)?"
                    rf"[{_WS}]*(?P<sep>[：:，,。.])")
_STAGE_HEAD = re.compile(rf"[^：:，,。.；;、\s]{{1,10}}?(?:阶段责任|环节责任|阶段|责任)[{_WS}]*[：:，,]")
_STAGE_AT_LINE = re.compile(rf"(?m)^(?=[{_WS}]*[^：:，,。.；;、\s]{{1,10}}?(?:阶段责任|环节责任|阶段|责任)[{_WS}]*[：:][{_WS}]*\S)")
_STANDARD_PREAMBLE = re.compile(r"因.{0,6}履行.{0,12}职责.{0,4}有下列")


def _prepare(text: object) -> str:
    s = text if isinstance(text, str) else ("" if text is None else str(text))
    if "&" in s:
        s = html.unescape(s)
    s = s[:100_000]
    if "\r" in s:
        s = s.replace("\r\n", "\n")
    if _ODD.search(s):
        s = s.translate({0x0D: "\n", 0x2028: "\n", 0x2029: "\n", 0x200B: None, 0xFEFF: None})
    s = s.strip(_WS + "\n")
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        s = s[1:-1].replace('""', '"').strip(_WS + "\n")
    return s


def _unwrap(s: str) -> str:
    """Join a cell that Excel hard-wrapped into short lines (most lines ≤ 10 characters, not ending a sentence)."""
    lines = [ln.strip(_WS) for ln in s.split("\n")]
    lines = [ln for ln in lines if ln]
    if len(lines) < 5:
        return s
    short = sorted(len(ln) for ln in lines)[len(lines) // 2] <= 10
    open_ends = sum(1 for ln in lines if ln[-1] not in "。；;！!？?") >= 0.6 * len(lines)
    numbered = sum(1 for ln in lines if _MARK.match(ln)) >= 0.5 * len(lines)     # 1.受理\n2.审查\n…: a short list
    return "".join(lines) if short and open_ends and not numbered else s


def _value(m: re.Match[str]) -> int:
    if m.group("num"):
        return int(unicodedata.normalize("NFKC", m.group("num")))
    if m.group("circ"):
        return _CIRCLED.index(m.group("circ")) + 1
    if m.group("pnum"):
        return int(unicodedata.normalize("NFKC", m.group("pnum")))
    cn = m.group("cn")
    return _CN[cn] if len(cn) == 1 else (10 + _CN[cn[1]] if cn[0] == "十" else _CN[cn[0]] * 10)


def _style(m: re.Match[str]) -> str:
    return next(k for k in ("num", "circ", "pnum", "cn") if m.group(k))


def _at_boundary(s: str, pos: int) -> bool:
    j = pos - 1
    spaces = 0
    while j >= 0 and s[j] in _WS:
        j -= 1
        spaces += 1
    return j < 0 or s[j] in _BOUNDARY_BEFORE or spaces >= 2


def _markers(s: str, follows: "re.Pattern[str] | None" = None) -> list[tuple[int, int, int]]:
    """(start, end, number) of the numbers that start items."""
    found = [m for m in _MARK.finditer(s)]
    first = next((m for m in found if _at_boundary(s, m.start())), None)
    if first is None:
        # 因不履行…的责任1.不担当…；\n2.…: a glued first number still starts the list when 2 follows at a boundary
        first = next((m for m in found if _value(m) == 1), None)
        if first is None:
            return []
    style = _style(first)
    found = [m for m in found if _style(m) == style]
    at_boundary = [m.start() == first.start() or _at_boundary(s, m.start()) for m in found]
    values = [_value(m) for m in found]
    next_at_boundary: list[int | None] = [None] * len(found)     # the value of the next number at a boundary
    upcoming: int | None = None
    for n in range(len(found) - 1, -1, -1):
        next_at_boundary[n] = upcoming
        if at_boundary[n]:
            upcoming = values[n]
    kept: list[tuple[int, int, int]] = []
    glued = 0
    for n, m in enumerate(found):
        value = values[n]
        if not at_boundary[n]:
            expected = kept[-1][2] + 1 if kept else 1
            nxt = next_at_boundary[n]
            if value != expected or not (nxt == value + 1 or (follows and follows.match(s, m.end()))):
                continue
            glued += 1
        kept.append((m.start(), m.end(), value))
    if len(kept) == 1 and glued and kept[0][0] > 0:
        return []                           # one number inside a sentence does not make a list
    return kept


def _clean(s: str) -> str:
    lines = [ln.strip(_WS) for ln in s.split("\n")]
    t = "\n".join(ln for ln in lines if ln).strip(_WS + "\n")
    if t.endswith('"') and t.count('"') == 1:          # a stray spreadsheet quote
        t = t[:-1].rstrip(_WS + "\n")
    return t


# ----------------------------------------------------------------------------------------------- 责任事项


def parse_stages(text: str) -> list[Stage]:
    """Read one 责任事项 cell into stages (see the module docstring). Never raises."""
    try:
        return _stages(text)
    except Exception:  # noqa: BLE001 - published text must not take an import down
        s = _clean(_prepare(text)) if isinstance(text, str) else ""
        return [Stage(None, s)] if s else []


def _stages(text: str) -> list[Stage]:
    s = _unwrap(_prepare(text))
    if not s:
        return []
    cuts: list[tuple[int, int, str, int | str | None]] = []      # (start, end, kind, number or heading)
    marks = _markers(s, _STAGE_HEAD)
    for start, end, number in marks:
        cuts.append((start, end, "mark", number))
    mark_starts = {start for start, _, _ in marks}
    mark_ends = {end for _, end, _ in marks}
    for g in _GROUP_END.finditer(s):
        # a heading (直接实施责任：) stands alone: at a line or sentence start, not after a number, before a line
        # end or a number
        start = g.start()
        while start > 0 and g.start() - start < 8 and "\u4e00" <= s[start - 1] <= "\u9fff":
            start -= 1
        if g.start() - start < 2 or start in mark_ends or not _at_boundary(s, start):
            continue
        if s[g.end():g.end() + 1] in ("", "\n") or g.end() in mark_starts:
            cuts.append((start, g.end(), "group", s[start:g.start()]))
    if not marks:                           # 受理责任：…\n审查责任：…: unnumbered stages, one per line
        heads = [m.start() for m in _STAGE_AT_LINE.finditer(s)
                 if not any(a <= m.start() < b for a, b, kind, _ in cuts if kind == "group")]
        if len(heads) >= 2:
            cuts.extend((h, h, "mark", None) for h in heads)
    cuts.sort()
    out: list[Stage] = []
    group: str | None = None
    pieces: list[tuple[int, int, str, int | str | None]] = [(0, 0, "start", None), *cuts]
    for n, (_start, end, kind, value) in enumerate(pieces):
        stop = pieces[n + 1][0] if n + 1 < len(pieces) else len(s)
        body = _clean(s[end:stop])
        if kind == "group":
            group = str(value)
        elif kind == "mark" and value == 1 and out and pieces[n - 1][2] != "group":
            group = None                    # numbering starts again without a heading: a new list (人社局 row 3)
        if not body:
            continue
        stage_no = value if kind == "mark" and isinstance(value, int) else None
        out.append(_stage(body, stage_no, group))
    return out


def _stage(body: str, number: int | None, group: str | None) -> Stage:
    m = _STAGE.match(body)
    if m:
        name, suffix, sep = m.group("name"), m.group("suffix"), m.group("sep")
        duty = body[m.end():].strip(_WS + "\n")
        ok = (sep in "：:" and (len(name) <= (10 if suffix else 8))
              or sep in "，,。" and suffix is not None
              or sep == "." and (suffix is not None or len(name) <= 6))
        if ok:
            label = body[:m.end()].rstrip(_WS + "：:，,。.")
            # 3.监督责任。 with nothing after it: the stage is its own duty
            return Stage(_normal_stage(name), duty or body, label, number, group)
    if body.startswith(("其他", "其它")):
        return Stage("其他", body, None, number, group)
    return Stage(None, body, None, number, group)


def _normal_stage(name: str) -> str:
    name = name.strip(_WS)
    return "其他" if name == "其它" else name


# ----------------------------------------------------------------------------------------------- 追责情形


def parse_situations(text: str) -> list[str]:
    """The numbered situations of a 追责情形 cell (the preamble before them is in :func:`read_situations`)."""
    return read_situations(text).situations


def read_situations(text: str) -> SituationsParse:
    """Read one 追责情形 cell. A cell without numbers is one situation. Never raises."""
    try:
        return _situations(text)
    except Exception:  # noqa: BLE001
        s = _clean(_prepare(text)) if isinstance(text, str) else ""
        return SituationsParse([s] if s else [], None, ["situations could not be split (追责情形无法拆分)"])


def _situations(text: str) -> SituationsParse:
    s = _unwrap(_prepare(text))
    out = SituationsParse()
    if not s:
        return out
    marks = _markers(s)
    if not marks:
        whole = _clean(s)
        if whole:
            out.situations.append(whole)
        return out
    preamble = _clean(s[:marks[0][0]])
    if preamble:
        out.preamble = preamble
        if not _STANDARD_PREAMBLE.search(preamble):
            out.problems.append(f"text before the first numbered situation kept as the preamble, not as a "
                                f"situation (首个编号前的文字作为引言保留): {preamble[:40]}")
    for n, (_, end, _value) in enumerate(marks):
        stop = marks[n + 1][0] if n + 1 < len(marks) else len(s)
        body = _clean(s[end:stop])
        if body:
            out.situations.append(body)
    return out


# ----------------------------------------------------------------------------------------------- phones

_PHONE_CHARS = {**{0xFF10 + d: str(d) for d in range(10)}, ord("－"): "-", ord("—"): "-", ord("–"): "-",
                ord("＋"): "+"}
_PHONE_SPLIT = re.compile(r"[\n；;，,、/／|]+|[ \t\u3000]{2,}|(?<=\d)[ \t\u3000]*(?:或|及|和)[ \t\u3000]*(?=[\d(（])")


def parse_phones(text: str) -> list[str]:
    """The phone numbers of a 监管电话/监督电话/咨询电话 cell, each with its label or extension as written
    (咨询电话：0990-6231234转801); full-width digits and dashes made ASCII. A cell with no number gives [].
    Never raises."""
    try:
        s = _prepare(text).translate(_PHONE_CHARS)
    except Exception:  # noqa: BLE001
        return []
    out: list[str] = []
    label = ""
    for piece in _PHONE_SPLIT.split(s):
        p = piece.strip()
        if not p:
            continue
        if not re.search(r"\d{3}", p):
            label += p                          # 监督电话： on its own line labels the next number
            continue
        tokens = p.split()
        if len(tokens) > 1 and all(len(re.sub(r"\D", "", t)) >= 5 for t in tokens):
            parts = tokens                      # 029-12345 029-12350
        else:
            parts = [p]
        for part in parts:
            out.append(label + part)
            label = ""
    return out

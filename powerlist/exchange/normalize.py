"""Cleaning spreadsheet values: whitespace, full-width codes and numbers, categories, statuses, dates."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..model.settings import Settings

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u3000]+|[ \t\u3000]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_UNNEUTRALISE = re.compile(r"^'(?=[=+\-@\t\r])")


_FULLWIDTH_ALNUM = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                  *range(0xFF41, 0xFF5B))}


def shown(s: str, limit: int = 60) -> str:
    """A value quoted in a message: one line, at most ``limit`` characters (a cell may hold 32,767)."""
    s = " ".join(s.split()) if len(s) <= 4 * limit else " ".join(s[:4 * limit].split())
    return s if len(s) <= limit else s[:limit - 1] + "…"


def unquote(s: str) -> str:
    """Undo the formula-injection guard of our exports ('=… → =…); full-width letters and digits → ASCII
    (Chinese punctuation such as （）：， is kept)."""
    return _UNNEUTRALISE.sub("", s.translate(_FULLWIDTH_ALNUM))


def one_line(s: str) -> str:
    """Text on one line: line breaks joined, runs of spaces collapsed, no spaces next to Chinese characters.
    Chinese punctuation is kept as written."""
    s = unquote(s).replace("\r", "\n")
    parts = [p.strip(" \t\u3000\u00a0") for p in s.split("\n")]
    out = ""
    for p in parts:
        if not p:
            continue
        if out and not re.match(rf"[{_CJK}]", out[-1]) and not re.match(rf"[{_CJK}]", p[0]):
            out += " "
        out += p
    out = _SPACES.sub(" ", out)
    return _SPACE_NEAR_CJK.sub("", out).strip()


def multi_line(s: str) -> str:
    """Text whose line breaks matter (事项说明, 备注): each line trimmed, blank runs kept at most one."""
    s = unquote(s).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", ln).strip() for ln in s.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text


def ascii_code(s: str) -> str:
    """Codes and numbers typed with full-width characters: NFKC, no whitespace (３７０７００－ＸＫ → 370700-XK)."""
    s = unicodedata.normalize("NFKC", unquote(s))
    s = s.replace("—", "-").replace("–", "-").replace("−", "-")
    return re.sub(r"\s+", "", s)


_CATEGORY_ALIASES = {"其他": "其他行政权力", "其它": "其他行政权力", "其他权力": "其他行政权力",
                     "其它行政权力": "其他行政权力", "其他类": "其他行政权力"}


#: a cell longer than this is no category, status or yes/no (and is not searched: the patterns below would
#: take time growing with the square of the length on text made of brackets)
MAX_CHOICE_CHARS = 100


def category(raw: str, settings: Settings) -> str | None:
    """职权类型 as written (行政许可类, 许可, 处罚, XK, 行政征收（ZS）) → a configured category name, or None."""
    if len(raw) > MAX_CHOICE_CHARS:
        return None
    names = settings.category_names
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    m = re.search(r"\(([A-Za-z]{2})\)", s)
    if m:
        by_letters = {v: k for k, v in settings.categories}
        if m.group(1).upper() in by_letters:
            return by_letters[m.group(1).upper()]
    s = re.sub(r"\([^)]*\)", "", s)
    if not s:
        return None
    if s in names:
        return s
    for letters_name, letters in settings.categories:
        if s.upper() == letters:
            return letters_name
    stem = s[:-1] if s.endswith("类") and len(s) > 1 else s
    for cand in (stem, "行政" + stem, stem + "权力"):
        if cand in names:
            return cand
    if stem in _CATEGORY_ALIASES and _CATEGORY_ALIASES[stem] in names:
        return _CATEGORY_ALIASES[stem]
    hits = [n for n in names if stem in n or n in stem]
    return hits[0] if len(hits) == 1 else None


_STATUS_ALIASES = {"保留": "保留", "继续保留": "保留", "保持": "保留", "取消": "取消", "已取消": "取消",
                   "下放": "下放", "下放实施": "下放", "冻结": "冻结", "暂停": "冻结", "暂停实施": "冻结",
                   "合并": "合并", "合并实施": "合并", "转出": "转出"}


def status(raw: str) -> str | None:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    if not s:
        return "保留"
    return _STATUS_ALIASES.get(s)


def date(raw: str) -> str | None:
    """2023-06-01, 2023/6/1, 2023.6.1, 2023年6月1日, 20230601 → 2023-06-01 (None if not a date)."""
    s = ascii_code(raw)
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:T?\d{1,2}:\d{2}(?::\d{2})?)?$", s) \
        or re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


_YES = {"是", "收费", "有", "y", "yes", "true", "1", "√"}
_NO = {"否", "不收费", "无", "免费", "n", "no", "false", "0", "×"}


def yes_no(raw: str) -> bool | None:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw)).lower()
    if s in _YES:
        return True
    if s in _NO:
        return False
    return None


def choice(raw: str, allowed: tuple[str, ...]) -> str | None:
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
    return s if s in allowed else None

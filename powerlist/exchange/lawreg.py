"""The law registry an import needs: titles read from the list matched against ``laws/``, and new law files made
for the titles that are not there (issue 14, item 2).

Matching (:class:`LawRegistry`): a title is compared in its matching form (:func:`.basis_text.title_key`: width,
spacing, title quotes and the edition note do not count), then with or without the 中华人民共和国 prefix
(:func:`.basis_text.title_aliases`), then by its 文号. Two laws of ``laws/`` under one title are a *question* for
the editor, never a silent pick: the citing rows need attention.

A title found nowhere becomes a :class:`NewLaw`: the title as the list writes it (without its edition note), the
level from the rank tag or guessed from the title and the 文号 (:func:`guess_level`), the issuer guessed likewise
(待核实 when nothing says), the 文号, dates and edition from the edition note, and the article texts pasted in
every row that cites it. Texts of one article that differ (other than one being an excerpt of the other) are a
*conflict*: reported with their rows, and the article is left out rather than one text chosen.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .basis_text import TextCitation, document_key, title_aliases, title_key
from .folder import ExistingLaw
from .slug import law_slug, unique

__all__ = ["LawRegistry", "NewLaw", "Conflict", "guess_level", "guess_issuer", "edition_facts"]

_CHINA = "中华人民共和国"
_REGION = re.compile(r"^(?:新疆维吾尔自治区|内蒙古自治区|广西壮族自治区|宁夏回族自治区|西藏自治区|"
                     r"[\u4e00-\u9fff]{2,8}?(?:省|自治区|自治州|市|州|盟|地区|县|区|旗))")


def guess_level(title: str, rank: str | None, document: str | None) -> str:
    """The law level: the rank tag's when it says one, else from the 文号 and the title."""
    if rank:
        return rank
    t = "".join(unicodedata.normalize("NFKC", title).split())
    doc = "".join(unicodedata.normalize("NFKC", document or "").split())
    if "主席令" in doc:
        return "法律"
    if "国务院令" in doc:
        return "行政法规"
    if re.search(r"(?:部|委|总局|署|局|行)令", doc):
        return "部门规章"
    if re.search(r"政府令", doc):
        return "地方政府规章"
    if re.search(r"[〔\[]\d{4}[〕\]]", doc):
        return "规范性文件"
    if t.endswith("法") and not t.endswith(("办法", "方法")) or t.endswith("法典"):
        return "法律"
    region = _REGION.match(t)
    if t.endswith("条例"):
        return "地方性法规" if region and not t.startswith(_CHINA) else "行政法规"
    if t.endswith(("办法", "规定", "细则", "规则")):
        if t.startswith("国务院"):
            return "行政法规"
        return "地方政府规章" if region else "部门规章"
    return "规范性文件"


def guess_issuer(title: str, level: str, document: str | None) -> str:
    """The issuer when the level, the title or the 文号 says it, else 待核实 (to be checked)."""
    t = "".join(unicodedata.normalize("NFKC", title).split())
    region = _REGION.match(t)
    if level == "法律":
        return "全国人民代表大会常务委员会"
    if level == "行政法规" or t.startswith("国务院"):
        return "国务院"
    if level == "地方性法规" and region:
        return f"{region.group()}人民代表大会常务委员会"
    if level == "地方政府规章" and region:
        return f"{region.group()}人民政府"
    m = re.match(r"^([\u4e00-\u9fff]{2,30}?)关于", t)
    if m:
        return m.group(1)
    doc = "".join(unicodedata.normalize("NFKC", document or "").split())
    m = re.match(r"^([\u4e00-\u9fff]{2,20}?)令", doc)
    if m and level == "部门规章":
        return m.group(1)
    return "待核实"


_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_ORDER = re.compile(r"(?:国务院|主席|(?:(?![年月日第号])[\u4e00-\u9fff]){1,12}?)令第?[0-9一二三四五六七八九十百千零〇]+号")


def _iso(m: re.Match[str]) -> str | None:
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if 1 <= mo <= 12 and 1 <= d <= 31:
        return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def edition_facts(edition: str) -> dict[str, str]:
    """promulgated / effective dates and the latest 令 number an edition note names, when it names them."""
    out: dict[str, str] = {}
    s = unicodedata.normalize("NFKC", edition)
    for clause in re.split(r"[，,；;。]", s):
        m = re.search(_DATE + r"[^\d]{0,40}?(?:公布|发布)", clause)
        if m and "promulgated" not in out and _iso(m):
            out["promulgated"] = _iso(m) or ""
        m = re.search(_DATE + r"起?施行", clause)
        if m and "effective" not in out and _iso(m):
            out["effective"] = _iso(m) or ""
    orders = _ORDER.findall(edition)
    if orders:
        out["document"] = orders[-1]
    return out


@dataclass
class Conflict:
    law: str
    article: int
    #: (text, the sheet rows that pasted it)
    texts: list[tuple[str, list[str]]]


@dataclass
class NewLaw:
    """A law file to write, made from what the list says of one title."""

    id: str
    title: str
    key: str
    rank: str | None = None
    rank_tags: list[str] = field(default_factory=list)
    document: str | None = None
    editions: list[str] = field(default_factory=list)
    #: article → {normalised text: (text, rows)}
    texts: dict[int, dict[str, tuple[str, list[str]]]] = field(default_factory=dict)
    rows: list[str] = field(default_factory=list)
    articles: dict[int, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)

    def data(self, source: str, date: str) -> dict[str, object]:
        """The law file's content (keys in the format's order)."""
        level = guess_level(self.title, self.rank, self.document)
        facts = edition_facts(self.editions[-1]) if len(self.editions) == 1 else {}
        document = self.document or facts.get("document")
        d: dict[str, object] = {"id": self.id, "title": self.title, "level": level,
                                "issuer": guess_issuer(self.title, level, document)}
        if document:
            d["document"] = document
        for k in ("promulgated", "effective"):
            if k in facts:
                d[k] = facts[k]
        d["status"] = "现行有效"
        if self.editions:
            d["edition"] = "；".join(self.editions)
        d["generated"] = {"by": "powerlist import", "source": source, "date": date}
        if self.articles:
            d["articles"] = dict(sorted(self.articles.items()))
        return d


def _norm_text(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def _lines(text: str) -> list[str]:
    return [ln for ln in (_norm_text(x) for x in text.split("\n")) if ln]


def _contains(big: str, small: str) -> bool:
    """True if every line of ``small`` is a line (or part of one) of ``big``: ``small`` is an excerpt."""
    big_lines = _lines(big)
    return all(any(s in b for b in big_lines) for s in _lines(small))


class LawRegistry:
    """Titles → law ids: those of ``laws/`` first, then new laws made as the list is read."""

    def __init__(self, existing: dict[str, ExistingLaw]):
        self.existing = existing
        self.by_key: dict[str, list[str]] = {}
        self.by_doc: dict[str, list[str]] = {}
        for law in existing.values():
            self.by_key.setdefault(title_key(law.title), []).append(law.id)
            if law.document:
                self.by_doc.setdefault(document_key(law.document), []).append(law.id)
        self.new: dict[str, NewLaw] = {}           # group key → new law
        self.taken: set[str] = set(existing)

    def _existing(self, c: TextCitation) -> list[str]:
        ids = self.by_key.get(c.title_key, [])
        if ids:
            return ids
        for alias in title_aliases(c.title_key):
            ids = self.by_key.get(alias, [])
            if ids:
                return ids
        if c.document_key:
            return self.by_doc.get(c.document_key, [])
        return []

    def find(self, c: TextCitation) -> tuple[str | None, str | None]:
        """(existing law id, None), (None, a question) when laws/ holds the title twice, or (None, None)."""
        ids = self._existing(c)
        if len(ids) == 1:
            return ids[0], None
        if len(ids) > 1:
            return None, (f"laws/ holds {len(ids)} laws titled 《{c.title}》 ({', '.join(sorted(ids))}): which one "
                          "does the list mean? Give them different titles, or remove one")
        return None, None

    @staticmethod
    def group_key(c: TextCitation) -> str:
        k = c.title_key
        return k[len(_CHINA):] if k.startswith(_CHINA) and len(k) > len(_CHINA) + 1 else k

    def add(self, c: TextCitation, where: str) -> str:
        """Note a citation of a title not in laws/; returns the group key of its new law."""
        key = self.group_key(c)
        law = self.new.get(key)
        if law is None:
            law = self.new[key] = NewLaw("", c.title, key)
        elif c.title_key.startswith(_CHINA) and not title_key(law.title).startswith(_CHINA):
            law.title = c.title                    # the full title, with the prefix, when the list writes it so
        if c.rank and law.rank is None:
            law.rank = c.rank
        if c.rank_tag and c.rank_tag not in law.rank_tags:
            law.rank_tags.append(c.rank_tag)
        if c.document and law.document is None:
            law.document = c.document
        if c.edition and c.edition not in law.editions:
            law.editions.append(c.edition)
        if where not in law.rows:
            law.rows.append(where)
        if c.article is not None and c.paragraph is None and c.item is None and c.text:
            seen = law.texts.setdefault(c.article, {})
            norm = _norm_text(c.text)
            text, rows = seen.setdefault(norm, (c.text, []))
            if where not in rows:
                rows.append(where)
        return key

    def settle(self) -> None:
        """Give every new law its id (in title order, so the same list gives the same ids) and its articles."""
        for key in sorted(self.new):
            law = self.new[key]
            law.id = unique(law_slug(law.title, law.document), self.taken)
            for art, variants in sorted(law.texts.items()):
                texts = list(variants.values())
                longest = max(texts, key=lambda t: (len(_norm_text(t[0])), -texts.index(t)))
                if all(_contains(longest[0], t[0]) for t in texts):
                    law.articles[art] = longest[0]
                else:
                    law.conflicts.append(Conflict(law.id, art, [(t, rows) for t, rows in texts]))

    def id_of(self, key: str) -> str:
        return self.new[key].id

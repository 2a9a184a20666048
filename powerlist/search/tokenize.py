"""The search tokenizer: Chinese character bigrams (+ unigrams) and whole Latin/digit runs.

Chinese has no spaces, so lunr's default tokenizer, trimmer and stemmer are useless on it. We index every
character and every pair of adjacent characters; a query of two or more characters asks for all of its
bigrams, a one-character query for that character. Latin letters and digits are kept as whole words, and
hyphen-joined runs such as item codes (``370700-XK-00012``) as every contiguous part sequence, so a code, a
code prefix or a code part all match.

``theme/static/js/tokenize.js`` implements exactly the same functions; ``tests/data/tokenizer_vectors.json``
is checked against both so they cannot drift.
"""
from __future__ import annotations

import re
import unicodedata

#: Longest query (in characters, after normalisation) we honour; longer input is cut (and the page says so).
MAX_QUERY_CHARS = 100
#: Hyphen-joined runs with more parts than this index only the parts and the whole run.
MAX_COMPOUND_PARTS = 8

_RUN_RE = re.compile(
    "[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+"
    "|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
)


def normalize(text: str) -> str:
    """NFKC (full-width letters/digits/hyphens become ASCII); case is folded per run."""
    return unicodedata.normalize("NFKC", text)


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (o == 0x3007 or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF
            or 0x20000 <= o <= 0x3134F)


def _runs(text: str) -> list[str]:
    return _RUN_RE.findall(normalize(text))


def _compounds(run: str) -> list[str]:
    parts = run.lower().split("-")
    if len(parts) == 1:
        return parts
    if len(parts) > MAX_COMPOUND_PARTS:
        return parts + ["-".join(parts)]
    return ["-".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]


def index_tokens(text: str | None) -> list[str]:
    """Tokens of an indexed text, in order and with repetition (lunr counts term frequency)."""
    if not text:
        return []
    out: list[str] = []
    for run in _runs(text):
        if _is_han(run[0]):
            for i, ch in enumerate(run):
                out.append(ch)
                if i + 1 < len(run):
                    out.append(run[i:i + 2])
        else:
            out.extend(_compounds(run))
    return out


def clip_query(query: str) -> tuple[str, bool]:
    """The normalised query cut to :data:`MAX_QUERY_CHARS`, and whether it was cut."""
    q = normalize(query)
    return q[:MAX_QUERY_CHARS], len(q) > MAX_QUERY_CHARS


def query_terms(query: str) -> list[str]:
    """Distinct terms a query requires, in order: bigrams of each Chinese run (its character when the run
    is one character long), each Latin/digit run whole (lower case)."""
    q, _ = clip_query(query)
    out: list[str] = []
    for run in _RUN_RE.findall(q):
        if _is_han(run[0]):
            terms = [run] if len(run) == 1 else [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            terms = [run.lower()]
        for t in terms:
            if t not in out:
                out.append(t)
    return out


def term_hash(term: str) -> int:
    """FNV-1a (32 bit) over the term's code points: picks the shard a term lives in."""
    h = 0x811C9DC5
    for ch in term:
        h ^= ord(ch)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def term_family(term: str) -> str:
    """'u' for one Chinese character (unigram shards), 'b' for everything else."""
    return "u" if len(term) == 1 and _is_han(term) else "b"

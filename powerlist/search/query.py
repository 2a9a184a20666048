"""Query a built search index in Python, exactly as ``theme/static/js/search.js`` does in the browser.

Semantics: every query term is required; an item matches a term when the term is in its name or code (the
lunr shards) or in the name of its department, its category, its status or the title of a law it cites (the
facet index). Score: the sum over terms of the item's lunr score for the term (or :data:`FACET_SCORE` when
only a facet matched); ties keep index order (department order, then code).
"""
from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path
from typing import Any

from lunr.index import Index
from lunr.query import QueryPresence

from .index import expand_shard
from .tokenize import query_terms, term_family, term_hash

FACET_SCORE = 1.0


def _load_index(serialized: dict[str, Any]) -> Index:
    serialized = dict(serialized)
    serialized["invertedIndex"] = sorted(serialized["invertedIndex"], key=lambda e: e[0])
    return Index.load(serialized)


def _undelta(d: list[int]) -> list[int]:
    out, o = [], 0
    for x in d:
        o += x
        out.append(o)
    return out


def lunr_term_scores(index: Index, term: str) -> dict[str, float]:
    """ref → score of one term in a lunr index, bypassing lunr's query parser (no syntax characters)."""
    res = index.query(callback=lambda q: q.term(term, use_pipeline=False, presence=QueryPresence.REQUIRED))
    return {r["ref"]: r["score"] for r in res}


class SearchIndex:
    """A built index folder (the ``search/`` folder of the site); shards are read on first use."""

    def __init__(self, index_dir: Path):
        self.dir = Path(index_dir)
        self.meta: dict[str, Any] = json.loads((self.dir / "meta.json").read_text("utf-8"))
        self._shards: dict[str, Index | None] = {}
        self._json: dict[str, Any] = {}

    def _read(self, rel: str) -> Any:
        if rel not in self._json:
            p = self.dir / rel
            self._json[rel] = json.loads(p.read_text("utf-8")) if p.exists() else None
        return self._json[rel]

    @cached_property
    def facets(self) -> Index:
        return _load_index(self.meta["facets"])

    def shard_name(self, term: str) -> str:
        heavy = self.meta["heavy"]
        if term in heavy:
            return f"h{heavy[term]}"
        fam = term_family(term)
        return f"{fam}{term_hash(term) % self.meta['shards'][fam]}"

    def _shard(self, name: str) -> Index | None:
        if name not in self._shards:
            raw = self._read(f"t/{name}.json")
            self._shards[name] = None if raw is None else _load_index(expand_shard(raw, self.meta["fields"]))
        return self._shards[name]

    def attr(self, ord_: int) -> int:
        block = self._read(f"a/{ord_ // self.meta['attrBlock']}.json")
        return int(block[ord_ % self.meta["attrBlock"]])

    def facet_items(self, term: str) -> set[int]:
        """Items whose department, category, status or cited law title contains the term."""
        out: set[int] = set()
        cats: set[int] = set()
        stats: set[int] = set()
        for ref in lunr_term_scores(self.facets, term):
            kind, n = ref[0], int(ref[1:])
            if kind == "d":
                _, _, start, count = self.meta["departments"][n]
                out.update(range(start, start + count))
            elif kind == "c":
                cats.add(n)
            elif kind == "s":
                stats.add(n)
            elif kind == "l" and self.meta["laws"][n][1]:
                out.update(_undelta(self._read(f"l/{n}.json")))
        if cats or stats:
            for o in range(self.meta["count"]):
                a = self.attr(o)
                if a >> 3 in cats or a & 7 in stats:
                    out.add(o)
        return out

    def term_scores(self, term: str) -> dict[int, float]:
        shard = self._shard(self.shard_name(term))
        scores = {int(r): s for r, s in lunr_term_scores(shard, term).items()} if shard else {}
        for o in self.facet_items(term):
            scores.setdefault(o, FACET_SCORE)
        return scores

    def query(self, query: str) -> list[tuple[int, float]]:
        """(item number, score), best first; [] when the query has no searchable term."""
        terms = query_terms(query)
        if not terms:
            return []
        total: dict[int, float] | None = None
        for t in terms:
            s = self.term_scores(t)
            if total is None:
                total = s
            else:
                total = {o: v + s[o] for o, v in total.items() if o in s}
            if not total:
                return []
        assert total is not None
        return sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))

    def doc(self, ord_: int) -> list[Any]:
        block = self._read(f"d/{ord_ // self.meta['docBlock']}.json")
        return list(block[ord_ % self.meta["docBlock"]])

    def search(self, query: str) -> list[str]:
        return [self.doc(o)[0] for o, _ in self.query(query)]


def search(index_dir: Path, query: str) -> list[str]:
    """Codes of the items matching ``query`` in a built index folder (the site's ``search/``), best first."""
    return SearchIndex(index_dir).search(query)

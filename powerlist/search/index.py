"""Build the sharded search index: Catalog → files under ``search/``.

One lunr.py index is built over every item's name and code (tokens from :mod:`powerlist.search.tokenize`),
then split by term into shards, so a visitor downloads only the shards of the terms they type:

``search/meta.json``
    counts, shard counts, the few very frequent ("heavy") terms that have a file of their own, departments
    (with the range of item numbers each holds: items are numbered in department order), categories, statuses,
    laws, and ``facets``: a small lunr.py index over those names.
``search/t/<u|b><n>.json``, ``search/t/h<n>.json``
    term shards: per term its lunr ``_index`` and, per field, the postings ``[item delta, weight×1000, …]``.
    ``expand_shard`` turns one back into a lunr serialised index (version 2.3.9) that ``lunr.Index.load``
    accepts in lunr.py and lunr.js alike: the lunr.py index restricted to those terms, weights unchanged.
``search/l/<n>.json``   items citing law n (deltas) · ``search/a/<n>.json`` category×8+status of each item,
``search/d/<n>.json``   what a result shows: ``[code, name, category, status]`` for 128 items.

Departments, categories, statuses and cited law titles repeat across thousands of items; indexing them per
item would make terms such as 行政 or 潍坊 (in every item) cost megabytes. Instead a query term is matched
against those names once (the facet index) and the matching names expand to item sets.
"""
from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from lunr import __TARGET_JS_VERSION__
from lunr.builder import Builder

from ..model.catalog import Catalog
from ..model.errors import PowerlistError
from ..model.records import STATUSES, Item
from .tokenize import index_tokens, term_family, term_hash

FORMAT_VERSION = 1
#: lunr fields per item and their boosts; everything else is a facet (see module docstring).
FIELDS: tuple[tuple[str, int], ...] = (("name", 10), ("code", 5))
DOC_BLOCK = 128
ATTR_BLOCK = 10000
#: a term with more postings than this gets a file of its own
HEAVY_POSTINGS = 1500
#: aim for about this many postings per ordinary shard
SHARD_POSTINGS = 1200


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _deltas(ords: list[int]) -> list[int]:
    out, prev = [], 0
    for o in ords:
        out.append(o - prev)
        prev = o
    return out


@dataclass
class SearchIndexFiles:
    """The built files (path relative to the site root → bytes) and a few figures for reports."""

    files: dict[str, bytes]
    items: int
    terms: int
    shards: int

    def size(self) -> int:
        return sum(len(b) for b in self.files.values())

    def gzip_size(self) -> int:
        return sum(len(gzip.compress(b, 6, mtime=0)) for b in self.files.values())


def ordered_items(catalog: Catalog) -> list[Item]:
    """Items in index order: department order, then code (so a department is a range of numbers)."""
    pos = {d: i for i, d in enumerate(catalog.departments)}
    return sorted(catalog.items.values(), key=lambda it: (pos.get(it.department, len(pos)), it.department, it.code))


def _pow2_at_least(n: int) -> int:
    p = 1
    while p < n:
        p *= 2
    return p


#: lunr's BM25 parameters (lunr.Builder defaults, the same in lunr.js)
K1, B = 1.2, 0.75


def _field_tokens(it: Item) -> tuple[list[str], ...]:
    """An item's terms per field, exactly as lunr's Builder would see them (list input: each element
    lower-cased, empty pipeline)."""
    return tuple([t.lower() for t in index_tokens(getattr(it, name))] for name, _ in FIELDS)


def _postings(items: list[Item]) -> tuple[dict[str, tuple[int, list[list[int]]]], int]:
    """term → (lunr ``_index``, per field the flat [ord delta, weight×1000, …]), and how many documents got
    at least one posting (each must, or the item could never be found).

    The weights are lunr.Builder's (BM25 with k1 1.2, b 0.75, field boosts, ``round(score, 3)``, term indexes
    in order of first appearance), computed in two streaming passes instead of through lunr.py's Builder, whose
    in-memory inverted index and per-token metadata copies cost over 1 GB at 100,000 items. The parity tests
    against lunr.js and lunr.py scores hold it to that."""
    nf = len(FIELDS)
    index: dict[str, int] = {}
    docs_with: list[int] = []  # per term index: documents having it, summed over fields (lunr's idf)
    total_len = [0] * nf
    for it in items:  # pass 1: term indexes, document frequencies, field lengths
        for k, terms in enumerate(_field_tokens(it)):
            total_len[k] += len(terms)
            for t in dict.fromkeys(terms):
                i = index.get(t)
                if i is None:
                    i = index[t] = len(docs_with)
                    docs_with.append(0)
                docs_with[i] += 1
    n = len(items)
    avg = [total / n if n else 0.0 for total in total_len]
    idf = [math.log(1 + abs((n - d + 0.5) / (d + 0.5))) for d in docs_with]
    post: list[list[list[int]]] = [[[] for _ in FIELDS] for _ in docs_with]
    last: list[list[int]] = [[0] * nf for _ in docs_with]
    indexed = 0
    for o, it in enumerate(items):  # pass 2: the weights (documents in order, so ords ascend)
        fields = _field_tokens(it)
        indexed += any(fields)
        for k, terms in enumerate(fields):
            boost = FIELDS[k][1]
            norm = K1 * (1 - B + B * (len(terms) / avg[k]))
            for t, tf in Counter(terms).items():
                i = index[t]
                score = idf[i] * ((K1 + 1) * tf) / (norm + tf)
                score *= boost
                score *= 1  # document boost, as lunr applies it
                lst = post[i][k]
                lst.append(o - last[i][k])
                lst.append(round(round(score, 3) * 1000))
                last[i][k] = o
    return {t: (i, post[i]) for t, i in index.items()}, indexed


def _facets(catalog: Catalog, categories: list[str], laws: list[str]) -> dict[str, Any]:
    b = Builder()
    b.ref("id")
    b.field("t")
    for i, d in enumerate(catalog.departments.values()):
        b.add({"id": f"d{i}", "t": index_tokens(d.name)})
    for i, c in enumerate(categories):
        b.add({"id": f"c{i}", "t": index_tokens(c)})
    for i, s in enumerate(STATUSES):
        b.add({"id": f"s{i}", "t": index_tokens(s)})
    for i, law_id in enumerate(laws):
        b.add({"id": f"l{i}", "t": index_tokens(catalog.laws[law_id].title)})
    return b.build().serialize()  # type: ignore[no-any-return]


def build_search_index(catalog: Catalog, prefix: str = "search/", *, heavy_postings: int = HEAVY_POSTINGS,
                       shard_postings: int = SHARD_POSTINGS, doc_block: int = DOC_BLOCK,
                       attr_block: int = ATTR_BLOCK) -> SearchIndexFiles:
    """Every file of the search index. Raises PowerlistError if an item would be missing from it.
    The keyword arguments exist so tests can exercise heavy terms and several blocks on small data."""
    items = ordered_items(catalog)
    files: dict[str, bytes] = {}
    categories = list(catalog.settings.category_names)
    for it in items:  # the loader validates categories; never drop an item if one slipped through
        if it.category not in categories:
            categories.append(it.category)
    cat_pos = {c: i for i, c in enumerate(categories)}
    status_pos = {s: i for i, s in enumerate(STATUSES)}
    laws = sorted(catalog.laws)
    law_pos = {law: i for i, law in enumerate(laws)}

    postings, docs = _postings(items)
    heavy_terms = sorted(t for t, (_, f) in postings.items() if sum(len(x) for x in f) // 2 > heavy_postings)
    heavy = {t: n for n, t in enumerate(heavy_terms)}
    light_total = {"u": 0, "b": 0}
    for t, (_, f) in postings.items():
        if t not in heavy:
            light_total[term_family(t)] += sum(len(x) for x in f) // 2
    nshards = {fam: _pow2_at_least(max(1, total // shard_postings)) for fam, total in light_total.items()}
    shards: dict[str, list[list[Any]]] = {}
    for t in sorted(postings):
        idx, flat = postings[t]
        if t in heavy:
            name = f"h{heavy[t]}"
        else:
            fam = term_family(t)
            name = f"{fam}{term_hash(t) % nshards[fam]}"
        shards.setdefault(name, []).append([t, idx, *flat])
    for name, terms in shards.items():
        files[f"{prefix}t/{name}.json"] = _dumps({"terms": terms})

    # departments as ranges of item numbers
    dept_ranges: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        r = dept_ranges.setdefault(it.department, [i, 0])
        if r[0] + r[1] != i:
            raise PowerlistError(f"search index: items of department {it.department!r} are not contiguous")
        r[1] += 1
    departments = [[d.id, d.name, *dept_ranges.get(d.id, [0, 0])] for d in catalog.departments.values()]
    missing = sorted(set(dept_ranges) - set(catalog.departments))
    if missing:
        raise PowerlistError(f"search index: items name unknown departments {missing}")

    cited: dict[int, set[int]] = {}
    for i, it in enumerate(items):
        for c in it.all_citations():
            if c.law in law_pos:
                cited.setdefault(law_pos[c.law], set()).add(i)
    for n, ords in cited.items():
        files[f"{prefix}l/{n}.json"] = _dumps(_deltas(sorted(ords)))

    attrs = [cat_pos[it.category] * 8 + status_pos[it.status] for it in items]
    for k in range(0, len(items), attr_block):
        files[f"{prefix}a/{k // attr_block}.json"] = _dumps(attrs[k:k + attr_block])
    for k in range(0, len(items), doc_block):
        block = [[it.code, it.name, cat_pos[it.category], status_pos[it.status]] for it in items[k:k + doc_block]]
        files[f"{prefix}d/{k // doc_block}.json"] = _dumps(block)

    meta = {
        "version": FORMAT_VERSION,
        "lunr": __TARGET_JS_VERSION__,
        "count": len(items),
        "fields": [name for name, _ in FIELDS],
        "shards": nshards,
        "heavy": heavy,
        "docBlock": doc_block,
        "attrBlock": attr_block,
        "departments": departments,
        "categories": categories,
        "statuses": list(STATUSES),
        "laws": [[catalog.laws[law].title, len(cited.get(i, ()))] for i, law in enumerate(laws)],
        "facets": _facets(catalog, categories, laws),
    }
    files[f"{prefix}meta.json"] = _dumps(meta)

    indexed = sum(r[1] for r in dept_ranges.values())
    if not (indexed == docs == len(items) == len(catalog.items)):
        raise PowerlistError(f"search index holds {docs} of {len(catalog.items)} items")
    return SearchIndexFiles(files=files, items=len(items), terms=len(postings), shards=len(shards))


def expand_shard(shard: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """A compact term shard as a lunr serialised index (what ``lunr.Index.load`` reads)."""
    inverted: list[list[Any]] = []
    vectors: dict[str, list[tuple[int, float]]] = {}
    for entry in shard["terms"]:
        term, idx, flats = entry[0], entry[1], entry[2:]
        posting: dict[str, Any] = {"_index": idx}
        for field, flat in zip(fields, flats):
            docs: dict[str, Any] = {}
            o = 0
            for j in range(0, len(flat), 2):
                o += flat[j]
                docs[str(o)] = {}
                vectors.setdefault(f"{field}/{o}", []).append((idx, flat[j + 1] / 1000))
            posting[field] = docs
        inverted.append([term, posting])
    inverted.sort(key=lambda e: e[0])
    field_vectors = [[ref, [x for pair in sorted(els) for x in pair]] for ref, els in vectors.items()]
    return {"version": __TARGET_JS_VERSION__, "fields": list(fields), "fieldVectors": field_vectors,
            "invertedIndex": inverted, "pipeline": []}

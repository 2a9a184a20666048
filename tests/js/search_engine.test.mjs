// The browser engine (theme/static/js/search.js) on a Python-built index gives exactly Python's answers.
// Driven by tests/test_search_engine_js.py, which builds the index and writes the expectations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const lunr = require("lunr");
const tok = require("../../theme/static/js/tokenize.js");
const search = require("../../theme/static/js/search.js");
const dir = process.env.POWERLIST_SEARCH_INDEX;
const expected = process.env.POWERLIST_SEARCH_EXPECTED;
const skip = !dir || !expected ? "run through pytest (tests/test_search_engine_js.py)" : false;

function readJson(rel) {
  const p = join(dir, rel);
  return Promise.resolve(existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null);
}

test("a Python-built shard expands identically and loads in lunr.js with the same scores", { skip }, () => {
  const exp = JSON.parse(readFileSync(expected, "utf8"));
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8"));
  for (const s of exp.shards) {
    const raw = JSON.parse(readFileSync(join(dir, "t", s.name + ".json"), "utf8"));
    const js = search.expandShard(raw, meta.fields, meta.lunr);
    const sortTerms = (x) => x.invertedIndex.map((e) => e[0]).sort();
    assert.deepEqual(sortTerms(js), sortTerms(s.expanded));
    assert.deepEqual(new Map(js.fieldVectors), new Map(s.expanded.fieldVectors));
    const py = { ...s.expanded, invertedIndex: [...s.expanded.invertedIndex].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) };
    const idx = lunr.Index.load(py);
    for (const [term, scores] of Object.entries(s.scores)) {
      const got = idx.query((q) => q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED }));
      assert.deepEqual(Object.fromEntries(got.map((r) => [r.ref, r.score])), scores, term);
    }
  }
});

test("engine answers every query as Python does", { skip }, async () => {
  const exp = JSON.parse(readFileSync(expected, "utf8"));
  const engine = search.createEngine(lunr, tok, readJson);
  for (const [q, want] of Object.entries(exp.queries)) {
    const r = await engine.query(q);
    assert.deepEqual(r.results, want, q);
  }
});

// The browser tokenizer must give exactly the tokens the Python one gives (shared vectors).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const tok = require("../../theme/static/js/tokenize.js");
const vectors = JSON.parse(readFileSync(new URL("../data/tokenizer_vectors.json", import.meta.url), "utf8"));

test("index tokens match the shared vectors", () => {
  for (const v of vectors.tokens) {
    assert.deepEqual(tok.indexTokens(v.text), v.index, JSON.stringify(v.text));
  }
});

test("query terms match the shared vectors", () => {
  for (const v of vectors.tokens) {
    assert.deepEqual(tok.queryTerms(v.text), v.query, JSON.stringify(v.text));
    assert.equal(tok.clipQuery(v.text).clipped, v.clipped, JSON.stringify(v.text));
  }
});

test("term hash and family match the shared vectors", () => {
  for (const h of vectors.hashes) {
    assert.equal(tok.termHash(h.term), h.hash, h.term);
    assert.equal(tok.termFamily(h.term), h.family, h.term);
  }
});

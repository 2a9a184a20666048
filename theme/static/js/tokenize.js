/* The search tokenizer, the same as powerlist/search_tokenize.py (checked against
   tests/data/tokenizer_vectors.json on both sides). Chinese: characters and bigrams; Latin/digit runs whole,
   hyphen-joined runs (item codes) as every contiguous part sequence. No data is ever turned into HTML here. */
(function (root, factory) {
  var api = factory();
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else { root.PowerlistTokenize = api; }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";
  var MAX_QUERY_CHARS = 100;
  var MAX_COMPOUND_PARTS = 8;
  var RUN_RE = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{3134f}]+|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/gu;

  function normalize(text) { return String(text).normalize("NFKC"); }

  function isHan(ch) {
    var o = ch.codePointAt(0);
    return o === 0x3007 || (o >= 0x3400 && o <= 0x4DBF) || (o >= 0x4E00 && o <= 0x9FFF) ||
      (o >= 0xF900 && o <= 0xFAFF) || (o >= 0x20000 && o <= 0x3134F);
  }

  function runs(text) { return normalize(text).match(RUN_RE) || []; }

  function compounds(run) {
    var parts = run.toLowerCase().split("-");
    if (parts.length === 1) { return parts; }
    if (parts.length > MAX_COMPOUND_PARTS) { return parts.concat([parts.join("-")]); }
    var out = [];
    for (var i = 0; i < parts.length; i++) {
      for (var j = i + 1; j <= parts.length; j++) { out.push(parts.slice(i, j).join("-")); }
    }
    return out;
  }

  function indexTokens(text) {
    if (!text) { return []; }
    var out = [];
    runs(text).forEach(function (run) {
      var chars = Array.from(run);
      if (isHan(chars[0])) {
        for (var i = 0; i < chars.length; i++) {
          out.push(chars[i]);
          if (i + 1 < chars.length) { out.push(chars[i] + chars[i + 1]); }
        }
      } else {
        Array.prototype.push.apply(out, compounds(run));
      }
    });
    return out;
  }

  function clipQuery(query) {
    var chars = Array.from(normalize(query));
    return { text: chars.slice(0, MAX_QUERY_CHARS).join(""), clipped: chars.length > MAX_QUERY_CHARS };
  }

  function queryTerms(query) {
    var q = clipQuery(query).text;
    var out = [];
    (q.match(RUN_RE) || []).forEach(function (run) {
      var chars = Array.from(run), terms = [];
      if (isHan(chars[0])) {
        if (chars.length === 1) { terms = [run]; }
        else { for (var i = 0; i + 1 < chars.length; i++) { terms.push(chars[i] + chars[i + 1]); } }
      } else {
        terms = [run.toLowerCase()];
      }
      terms.forEach(function (t) { if (out.indexOf(t) < 0) { out.push(t); } });
    });
    return out;
  }

  function termHash(term) {
    var h = 0x811C9DC5;
    for (var ch of term) { h = Math.imul(h ^ ch.codePointAt(0), 0x01000193) >>> 0; }
    return h >>> 0;
  }

  function termFamily(term) {
    var chars = Array.from(term);
    return chars.length === 1 && isHan(chars[0]) ? "u" : "b";
  }

  return { MAX_QUERY_CHARS: MAX_QUERY_CHARS, normalize: normalize, isHan: isHan, indexTokens: indexTokens,
    clipQuery: clipQuery, queryTerms: queryTerms, termHash: termHash, termFamily: termFamily };
}));

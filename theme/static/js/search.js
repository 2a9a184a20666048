/* Site search. The engine (createEngine) answers a query from the sharded index under search/ exactly as
   powerlist/search_query.py does; it runs in the browser and in Node tests. The page part (bottom) reads ?q=
   and the filters from the URL, renders results with DOM nodes only (never innerHTML with data), and
   announces them through an aria-live region. */
(function (root, factory) {
  var api = factory(root);
  if (typeof module === "object" && module.exports) { module.exports = api; }
  else { root.PowerlistSearch = api; }
}(typeof self !== "undefined" ? self : this, function (root) {
  "use strict";
  var FACET_SCORE = 1.0;

  function undelta(d) {
    var out = new Array(d.length), o = 0;
    for (var i = 0; i < d.length; i++) { o += d[i]; out[i] = o; }
    return out;
  }

  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }

  function loadIndex(lunr, serialized) {
    var copy = Object.assign({}, serialized);
    copy.invertedIndex = serialized.invertedIndex.slice().sort(function (a, b) { return cmp(a[0], b[0]); });
    return lunr.Index.load(copy);
  }

  /* A compact term shard → lunr serialised index (the same transform as search_index.expand_shard). */
  function expandShard(shard, fields, version) {
    var inverted = [], vectors = new Map();
    shard.terms.forEach(function (entry) {
      var term = entry[0], idx = entry[1], posting = { _index: idx };
      fields.forEach(function (field, k) {
        var flat = entry[2 + k], docs = {}, o = 0;
        for (var j = 0; j < flat.length; j += 2) {
          o += flat[j];
          docs[String(o)] = {};
          var ref = field + "/" + o;
          if (!vectors.has(ref)) { vectors.set(ref, []); }
          vectors.get(ref).push([idx, flat[j + 1] / 1000]);
        }
        posting[field] = docs;
      });
      inverted.push([term, posting]);
    });
    var fieldVectors = [];
    vectors.forEach(function (els, ref) {
      els.sort(function (a, b) { return a[0] - b[0]; });
      var flat = [];
      els.forEach(function (p) { flat.push(p[0], p[1]); });
      fieldVectors.push([ref, flat]);
    });
    return { version: version, fields: fields, fieldVectors: fieldVectors, invertedIndex: inverted, pipeline: [] };
  }

  function termScores(lunr, index, term) {
    var out = new Map();
    index.query(function (q) {
      q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
    }).forEach(function (r) { out.set(Number(r.ref), r.score); });
    return out;
  }

  /* fetchJson(relativePath) → Promise of the parsed file, or null when it does not exist. */
  function createEngine(lunr, tok, fetchJson) {
    var cache = new Map();
    function get(rel) {
      if (!cache.has(rel)) { cache.set(rel, fetchJson(rel)); }
      return cache.get(rel);
    }
    var metaP = get("meta.json").then(function (meta) {
      if (!meta) { throw new Error("search index missing"); }
      return { meta: meta, facets: loadIndex(lunr, meta.facets) };
    });
    var shards = new Map();

    function shardName(meta, term) {
      if (Object.prototype.hasOwnProperty.call(meta.heavy, term)) { return "h" + meta.heavy[term]; }
      var fam = tok.termFamily(term);
      return fam + (tok.termHash(term) % meta.shards[fam]);
    }
    function shard(m, name) {
      if (!shards.has(name)) {
        shards.set(name, get("t/" + name + ".json").then(function (raw) {
          return raw ? loadIndex(lunr, expandShard(raw, m.meta.fields, m.meta.lunr)) : null;
        }));
      }
      return shards.get(name);
    }
    function attrBlocks(m) {
      var n = Math.ceil(m.meta.count / m.meta.attrBlock), ps = [];
      for (var k = 0; k < n; k++) { ps.push(get("a/" + k + ".json")); }
      return Promise.all(ps);
    }
    /* Items whose department, category, status or cited law title contains the term: calls add(o). */
    function facetItems(m, term) {
      var ranges = [], cats = new Set(), stats = new Set(), laws = [];
      m.facets.query(function (q) {
        q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
      }).forEach(function (r) {
        var kind = r.ref.charAt(0), n = Number(r.ref.slice(1));
        if (kind === "d") { var d = m.meta.departments[n]; ranges.push([d[2], d[3]]); }
        else if (kind === "c") { cats.add(n); }
        else if (kind === "s") { stats.add(n); }
        else if (kind === "l" && m.meta.laws[n][1]) { laws.push(get("l/" + n + ".json")); }
      });
      var attrsP = cats.size || stats.size ? attrBlocks(m) : Promise.resolve([]);
      return Promise.all([Promise.all(laws), attrsP]).then(function (res) {
        return function (add) {
          ranges.forEach(function (r) { for (var o = r[0]; o < r[0] + r[1]; o++) { add(o); } });
          res[0].forEach(function (d) { var o = 0; for (var i = 0; i < d.length; i++) { o += d[i]; add(o); } });
          res[1].forEach(function (block, k) {
            var base = k * m.meta.attrBlock;
            for (var i = 0; i < block.length; i++) {
              if (cats.has(block[i] >> 3) || stats.has(block[i] & 7)) { add(base + i); }
            }
          });
        };
      });
    }
    /* One term's matches as parallel arrays (item numbers ascending, scores), computed once per term: the
       index files never change, and lunr's own query is slow on terms with tens of thousands of postings. */
    var termCache = new Map(), scratch = null, present = null;
    function scoresFor(m, term) {
      if (!termCache.has(term)) {
        termCache.set(term, Promise.all([shard(m, shardName(m.meta, term)), facetItems(m, term)]).then(function (res) {
          var n = m.meta.count, touched = [];
          if (!scratch) { scratch = new Float64Array(n); present = new Uint8Array(n); }
          if (res[0]) {
            res[0].query(function (q) {
              q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
            }).forEach(function (r) { var o = Number(r.ref); scratch[o] = r.score; present[o] = 1; touched.push(o); });
          }
          res[1](function (o) { if (!present[o]) { scratch[o] = FACET_SCORE; present[o] = 1; touched.push(o); } });
          var ords = Int32Array.from(touched).sort(), scores = new Float64Array(ords.length);
          for (var i = 0; i < ords.length; i++) { scores[i] = scratch[ords[i]]; scratch[ords[i]] = 0; present[ords[i]] = 0; }
          return { ords: ords, scores: scores };
        }));
      }
      return termCache.get(term);
    }

    /* → {terms, clipped, results: [[itemNumber, score]…] best first} */
    function query(text) {
      var terms = tok.queryTerms(text), clipped = tok.clipQuery(text).clipped;
      if (!terms.length) { return Promise.resolve({ terms: terms, clipped: clipped, results: [] }); }
      var n;
      return metaP.then(function (m) {
        n = m.meta.count;
        return Promise.all(terms.map(function (t) { return scoresFor(m, t); }));
      }).then(function (all) {
        var acc = new Float64Array(n), hits = new Uint8Array(n), results = [];
        all.forEach(function (t) {
          for (var i = 0; i < t.ords.length; i++) { acc[t.ords[i]] += t.scores[i]; hits[t.ords[i]]++; }
        });
        var first = all[0].ords;  /* every result is in the first term's list */
        for (var i = 0; i < first.length; i++) {
          if (hits[first[i]] === all.length) { results.push([first[i], acc[first[i]]]); }
        }
        results.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
        return { terms: terms, clipped: clipped, results: results };
      });
    }
    function attrs(ords) {  /* category×8+status of each item number */
      return metaP.then(function (m) {
        var size = m.meta.attrBlock, blocks = Array.from(new Set(ords.map(function (o) { return Math.floor(o / size); })));
        return Promise.all(blocks.map(function (k) { return get("a/" + k + ".json"); })).then(function (loaded) {
          var byBlock = new Map();
          blocks.forEach(function (k, i) { byBlock.set(k, loaded[i]); });
          return ords.map(function (o) { return byBlock.get(Math.floor(o / size))[o % size]; });
        });
      });
    }
    function docs(ords) {
      return metaP.then(function (m) {
        return Promise.all(ords.map(function (o) {
          return get("d/" + Math.floor(o / m.meta.docBlock) + ".json").then(function (b) { return b[o % m.meta.docBlock]; });
        }));
      });
    }
    var deptOf = null;
    function departmentOf(meta, o) {  /* index into meta.departments of item number o */
      if (!deptOf) {
        deptOf = new Int32Array(meta.count);
        meta.departments.forEach(function (d, k) { deptOf.fill(k, d[2], d[2] + d[3]); });
      }
      return deptOf[o];
    }
    return { meta: metaP.then(function (m) { return m.meta; }), query: query, docs: docs, attrs: attrs,
      departmentOf: departmentOf };
  }

  var api = { createEngine: createEngine, expandShard: expandShard };
  if (typeof document === "undefined" || !root.lunr || !root.PowerlistTokenize) { return api; }

  /* ---------------- the search page ---------------- */
  var PAGE = 20;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }

  /* Append text to parent with every occurrence of a query term wrapped in <mark> (text nodes only). */
  function highlight(parent, text, terms) {
    var tok = root.PowerlistTokenize, chars = Array.from(text), norm = [], pos = [];
    chars.forEach(function (c, i) {
      var n = Array.from(tok.normalize(c).toLowerCase());
      n.forEach(function (x) { norm.push(x); pos.push(i); });
    });
    var hit = new Array(chars.length).fill(false), joined = norm;
    terms.forEach(function (t) {
      var tc = Array.from(t);
      for (var i = 0; i + tc.length <= joined.length; i++) {
        var ok = true;
        for (var j = 0; j < tc.length && ok; j++) { ok = joined[i + j] === tc[j]; }
        if (ok) { for (var k = 0; k < tc.length; k++) { hit[pos[i + k]] = true; } }
      }
    });
    var i = 0;
    while (i < chars.length) {
      var j = i;
      while (j < chars.length && hit[j] === hit[i]) { j++; }
      var piece = chars.slice(i, j).join("");
      if (hit[i]) { parent.appendChild(el("mark", null, piece)); }
      else { parent.appendChild(document.createTextNode(piece)); }
      i = j;
    }
  }

  function start() {
    var box = document.getElementById("search-app");
    if (!box) { return; }
    box.hidden = false;
    var siteRoot = box.getAttribute("data-root") || "";
    if (siteRoot && siteRoot.slice(-1) !== "/") { siteRoot += "/"; }
    var base = siteRoot + "search/";
    var engine = createEngine(root.lunr, root.PowerlistTokenize, function (rel) {
      return fetch(base + rel).then(function (r) {
        if (r.status === 404) { return null; }
        if (!r.ok) { throw new Error("HTTP " + r.status); }
        return r.json();
      });
    });
    var form = document.getElementById("search-form"), input = document.getElementById("search-q");
    var selDept = document.getElementById("search-dept"), selCat = document.getElementById("search-cat");
    var selStatus = document.getElementById("search-status");
    var statusBox = document.getElementById("search-message"), list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var state = { q: "", dept: "", cat: "", status: "" }, last = null, shown = 0, generation = 0, meta = null;

    function readUrl() {
      var p = new URLSearchParams(location.search);
      state = { q: p.get("q") || "", dept: p.get("dept") || "", cat: p.get("cat") || "", status: p.get("status") || "" };
    }
    function writeUrl(push) {
      var p = new URLSearchParams();
      ["q", "dept", "cat", "status"].forEach(function (k) { if (state[k]) { p.set(k, state[k]); } });
      var url = location.pathname + (p.toString() ? "?" + p.toString() : "");
      if (url === location.pathname + location.search) { return; }
      history[push ? "pushState" : "replaceState"](null, "", url);
    }
    function setOptions(select, options, value) {
      var keep = select.firstElementChild;
      while (select.lastChild) { select.removeChild(select.lastChild); }
      select.appendChild(keep);
      options.forEach(function (o) {
        var opt = el("option", { value: o[0] }, o[1] + "（" + o[2] + "）");
        select.appendChild(opt);
      });
      select.value = value;
      if (select.value !== value) { select.value = ""; }
    }
    function say(text) { statusBox.textContent = text; }

    function render() {
      list.textContent = "";
      shown = 0;
      more.hidden = true;
      if (!last) { return; }
      var all = last.rows, counts = { dept: new Map(), cat: new Map(), status: new Map() };
      var filtered = all.filter(function (r) {
        var okD = !state.dept || r.dept === state.dept, okC = !state.cat || r.cat === state.cat;
        var okS = !state.status || r.status === state.status;
        if (okC && okS) { counts.dept.set(r.dept, (counts.dept.get(r.dept) || 0) + 1); }
        if (okD && okS) { counts.cat.set(r.cat, (counts.cat.get(r.cat) || 0) + 1); }
        if (okD && okC) { counts.status.set(r.status, (counts.status.get(r.status) || 0) + 1); }
        return okD && okC && okS;
      });
      setOptions(selDept, meta.departments.filter(function (d) { return counts.dept.get(d[0]); })
        .map(function (d) { return [d[0], d[1], counts.dept.get(d[0])]; }), state.dept);
      setOptions(selCat, meta.categories.filter(function (c) { return counts.cat.get(c); })
        .map(function (c) { return [c, c, counts.cat.get(c)]; }), state.cat);
      setOptions(selStatus, meta.statuses.filter(function (s) { return counts.status.get(s); })
        .map(function (s) { return [s, s, counts.status.get(s)]; }), state.status);
      last.filtered = filtered;
      var msg;
      if (!last.terms.length) {
        msg = state.q.trim() ? "“" + state.q.slice(0, 40) + "”中没有可搜索的文字，请输入事项名称、编码、部门或法律名称。" : "请输入关键词。";
      } else if (!all.length) {
        msg = "没有找到与“" + last.text + "”匹配的事项。";
      } else if (filtered.length !== all.length) {
        msg = "找到 " + all.length + " 项事项，筛选后 " + filtered.length + " 项。";
      } else {
        msg = "找到 " + all.length + " 项事项。";
      }
      if (last.clipped) { msg += "查询过长，只使用了前 " + root.PowerlistTokenize.MAX_QUERY_CHARS + " 个字符。"; }
      say(msg);
      showMore();
    }
    /* The next page of results. Each result is a placeholder at once (in rank order) and is filled in as
       soon as the display block holding it arrives, so results stream in block by block. */
    function showMore() {
      var rows = last.filtered.slice(shown, shown + PAGE), gen = generation, terms = last.terms;
      shown += rows.length;
      more.hidden = shown >= last.filtered.length;
      last.shownP = Promise.all(rows.map(function (row) {
        var li = el("li", { "class": "search-result", "aria-busy": "true" });
        li.appendChild(el("p", { "class": "search-meta" }, "加载中…"));
        list.appendChild(li);
        return engine.docs([row.ord]).then(function (docs) {
          if (gen !== generation) { return; }
          fillResult(li, docs[0], row, terms);
        });
      }));
    }
    function fillResult(li, d, row, terms) {
      li.textContent = "";
      li.removeAttribute("aria-busy");
      var h = el("h2"), a = el("a", { href: siteRoot + "items/" + encodeURIComponent(d[0]) + "/" });
      highlight(a, d[1], terms);
      h.appendChild(a);
      li.appendChild(h);
      var p = el("p", { "class": "search-meta" });
      p.appendChild(el("code", null, d[0]));
      p.appendChild(document.createTextNode(" · "));
      highlight(p, row.deptName, terms);
      p.appendChild(document.createTextNode(" · "));
      highlight(p, meta.categories[d[2]], terms);
      p.appendChild(document.createTextNode(" · "));
      var st = el("span", { "class": "status status-" + d[3] });
      highlight(st, meta.statuses[d[3]], terms);
      p.appendChild(st);
      li.appendChild(p);
    }

    function run() {
      var gen = ++generation;
      if (input.value !== state.q) { input.value = state.q; }
      if (!state.q.trim()) {
        last = null; say("请输入关键词。"); list.textContent = ""; more.hidden = true;
        box.setAttribute("data-state", "done");
        return;
      }
      box.setAttribute("data-state", "busy");
      say("正在搜索…");
      Promise.all([engine.meta, engine.query(state.q)]).then(function (res) {
        meta = res[0];
        var r = res[1], ords = r.results.map(function (x) { return x[0]; });
        return engine.attrs(ords).then(function (attrs) {
          if (gen !== generation) { return; }
          var rows = ords.map(function (o, i) {
            var d = meta.departments[engine.departmentOf(meta, o)];
            return { ord: o, dept: d[0], deptName: d[1], cat: meta.categories[attrs[i] >> 3], status: meta.statuses[attrs[i] & 7] };
          });
          last = { terms: r.terms, clipped: r.clipped, rows: rows, text: root.PowerlistTokenize.clipQuery(state.q).text.trim() };
          render();
          return last.shownP.then(function () { if (gen === generation) { box.setAttribute("data-state", "done"); } });
        });
      }).catch(function () {
        if (gen === generation) { say("搜索索引加载失败，请稍后重试，或浏览部门和类别列表。"); box.setAttribute("data-state", "error"); }
      });
    }

    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.q = input.value; writeUrl(false); run(); }, 200);
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      clearTimeout(timer);
      state.q = input.value;
      writeUrl(true);
      run();
    });
    [[selDept, "dept"], [selCat, "cat"], [selStatus, "status"]].forEach(function (pair) {
      pair[0].addEventListener("change", function () {
        state[pair[1]] = pair[0].value;
        writeUrl(true);
        if (last && meta) {
          var gen = generation;
          box.setAttribute("data-state", "busy");
          render();
          last.shownP.then(function () { if (gen === generation) { box.setAttribute("data-state", "done"); } });
        }
      });
    });
    more.addEventListener("click", function () { showMore(); });
    window.addEventListener("popstate", function () { readUrl(); run(); });
    readUrl();
    run();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
  return api;
}));

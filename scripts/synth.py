"""Synthetic power-list data for benchmarks: a valid repository of N items.

    .venv/bin/python scripts/synth.py --items 10000 --out /tmp/synth [--seed 0]

writes ``OUT/items/<department>/_department.yaml``, ``OUT/items/<department>/<code>.yaml`` and
``OUT/laws/<id>.yaml`` following docs' item format (/work/shared/design/item-format.md): 潍坊-like departments
in the city (市级) and a few districts (县级); categories weighted like real city lists (行政处罚 ~55%);
~90% 保留; ~200 synthetic laws with article texts; 1–3 citations per item; flows with branches for ~40% of
items; duties and accountability for ~50%; Markdown summaries for ~30%; some sub-items (子项).

The same seed gives byte-identical files. The YAML is written by a small emitter (``dump``) that quotes any
string a YAML parser would not read back as that same string, so files parse back to exactly the data built
here (``build`` returns it; tests compare). Everything is invented; it is not a statement of any real law.
"""
from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth_data as V  # noqa: E402

SOURCE_FILES = (Path(__file__).resolve(), Path(V.__file__).resolve())
CATEGORY_LETTERS = {"行政许可": "XK", "行政处罚": "CF", "行政强制": "QZ", "行政征收": "ZS", "行政给付": "GF",
                    "行政检查": "JC", "行政确认": "QR", "行政奖励": "JL", "行政裁决": "CJ", "其他行政权力": "QT"}
N_LAWS = 200


@dataclass
class Repository:
    """What ``write`` puts on disk: file-form dicts (keys in the format document's order)."""

    departments: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    laws: list[dict[str, Any]] = field(default_factory=list)

    def files(self) -> list[tuple[str, dict[str, Any]]]:
        """(relative path, data) for every file, in a stable order."""
        out = [(f"items/{d['id']}/_department.yaml", d) for d in self.departments]
        out += [(f"items/{it['department']}/{it['code']}.yaml", it) for it in self.items]
        out += [(f"laws/{law['id']}.yaml", law) for law in self.laws]
        return out


# ---------------------------------------------------------------- YAML emitter

_resolver = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_scalar_cache: dict[str, str] = {}
# characters YAML cannot hold raw (not printable, or line breaks other than \n) and ones we keep out of plain text
_NONPRINT = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")
_UNSAFE = re.compile("[^\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def _plain_ok(s: str) -> bool:
    if not s or s != s.strip() or s[0] in _INDICATORS:
        return False
    if _UNSAFE.search(s) or ": " in s or " #" in s or s.endswith(":"):
        return False
    return bool(_resolver.resolve(yaml.ScalarNode, s, (True, False)) == _STR_TAG)


def _quoted(s: str) -> str:
    q = json.dumps(s, ensure_ascii=False)
    return _NONPRINT.sub(lambda m: f"\\u{ord(m.group()):04x}", q)


def scalar(v: Any) -> str:
    """One YAML scalar that reads back as ``v`` (str, int, bool or None)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if v is None:
        return "null"
    s = _scalar_cache.get(v)
    if s is None:
        s = v if _plain_ok(v) else _quoted(v)
        if len(_scalar_cache) < 200_000:
            _scalar_cache[v] = s
    return s


def _literal_ok(s: str) -> bool:
    """Can ``s`` be written as a ``|-`` block (multi-line Markdown) and read back unchanged?"""
    if "\n" not in s or s[0] in " \n" or s.endswith("\n") or _UNSAFE.search(s.replace("\n", " ")):
        return False
    return not any(line and not line.strip() for line in s.split("\n"))


def _emit(v: Any, indent: str, out: list[str]) -> None:
    """Append the lines of mapping or list ``v`` at ``indent``."""
    if isinstance(v, dict):
        for k, x in v.items():
            key = scalar(k)
            if isinstance(x, (dict, list)) and x:
                out.append(f"{indent}{key}:")
                _emit(x, indent + ("  " if isinstance(x, dict) else ""), out)
            elif isinstance(x, str) and _literal_ok(x):
                out.append(f"{indent}{key}: |-")
                out.extend(f"{indent}  {line}" if line else "" for line in x.split("\n"))
            else:
                out.append(f"{indent}{key}: {_flow_empty(x)}")
    else:
        for x in v:
            if isinstance(x, dict) and x:
                sub: list[str] = []
                _emit(x, indent + "  ", sub)
                sub[0] = f"{indent}- " + sub[0][len(indent) + 2:]
                out.extend(sub)
            elif isinstance(x, list) and x:
                sub = []
                _emit(x, indent + "  ", sub)
                sub[0] = f"{indent}- " + sub[0][len(indent) + 2:]
                out.extend(sub)
            else:
                out.append(f"{indent}- {_flow_empty(x)}")


def _flow_empty(x: Any) -> str:
    if isinstance(x, dict):
        return "{}"
    if isinstance(x, list):
        return "[]"
    return scalar(x)


def dump(data: dict[str, Any]) -> str:
    """The YAML text of one file (block style, keys in insertion order)."""
    out: list[str] = []
    _emit(data, "", out)
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- building the data

class _Gen:
    def __init__(self, n_items: int, seed: int):
        self.n = n_items
        self.rng = random.Random(seed)
        self.repo = Repository()
        self.types = {t["slug"]: t for t in V.DEPARTMENT_TYPES}
        self.laws_by_type: dict[str, list[dict[str, Any]]] = {}
        self.common: dict[str, dict[str, Any]] = {}

    # -- helpers
    def pick(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.rng.random() * len(seq))]

    def weighted(self, pairs: Sequence[tuple[Any, float]]) -> Any:
        cum = list(itertools.accumulate(w for _, w in pairs))
        return pairs[bisect.bisect_right(cum, self.rng.random() * cum[-1])][0]

    def date(self, y0: int, y1: int) -> str:
        return f"{self.rng.randint(y0, y1)}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    # -- laws
    def build_laws(self) -> None:
        rng = self.rng
        primary: list[tuple[str, dict[str, Any]]] = []
        extra: list[tuple[str, dict[str, Any]]] = []
        for lid, title, _ in V.COMMON_LAWS:
            law = self._law(lid, title, "法律", "全国人民代表大会常务委员会", "行政", "law")
            self.common[lid] = law
        for t in V.DEPARTMENT_TYPES:
            for zh, slug, kind in t["subjects"]:
                if kind == "law":
                    primary.append((t["slug"], self._law(f"{slug}fa", f"中华人民共和国{zh}法", "法律",
                                                         "全国人民代表大会常务委员会", zh, "法")))
                    extra.append((t["slug"], self._law(f"{slug}fa-shishi-tiaoli", f"中华人民共和国{zh}法实施条例",
                                                       "行政法规", "国务院", zh, "条例")))
                else:
                    primary.append((t["slug"], self._law(f"{slug}-tiaoli", f"{zh}条例", "行政法规", "国务院",
                                                         zh, "条例")))
                extra.append((t["slug"], self._law(f"shandong-{slug}-tiaoli", f"山东省{zh}条例", "地方性法规",
                                                   "山东省人民代表大会常务委员会", zh, "条例")))
                extra.append((t["slug"], self._law(f"{slug}-jiandu-guanli-banfa", f"{zh}监督管理办法", "部门规章",
                                                   t["ministry"], zh, "办法")))
                extra.append((t["slug"], self._law(f"weifang-{slug}-guanli-banfa", f"潍坊市{zh}管理办法",
                                                   "地方政府规章", "潍坊市人民政府", zh, "办法")))
        rng.shuffle(extra)
        want = max(0, N_LAWS - len(self.common) - len(primary))
        chosen = primary + extra[:want]
        for slug, law in chosen:
            self.laws_by_type.setdefault(slug, []).append(law)
        laws = list(self.common.values()) + [law for _, law in chosen]
        # a few laws that are repealed or amended: listed in the registry, never cited
        for i, (slug, law) in enumerate(extra[want:want + 6]):
            law["status"] = "已废止" if i % 2 == 0 else "已修改"
            law["articles"] = dict(itertools.islice(law["articles"].items(), 5))
            laws.append(law)
        self.repo.laws = sorted(laws, key=lambda d: d["id"])

    def _law(self, lid: str, title: str, level: str, issuer: str, subject: str, kind: str) -> dict[str, Any]:
        rng = self.rng
        n_articles = {"法律": (40, 110), "行政法规": (30, 80)}.get(level, (15, 50))
        promulgated = self.date(1995, 2022)
        y = int(promulgated[:4])
        law: dict[str, Any] = {"id": lid, "title": title, "level": level, "issuer": issuer}
        if level == "法律":
            law["document"] = f"主席令第{rng.randint(1, 130)}号"
        elif level == "行政法规":
            law["document"] = f"国务院令第{rng.randint(100, 780)}号"
        elif level == "地方政府规章":
            law["document"] = f"潍坊市人民政府令第{rng.randint(50, 130)}号"
        law["promulgated"] = promulgated
        law["effective"] = f"{min(y + 1, 2023)}-{rng.randint(1, 12):02d}-01"
        law["status"] = "现行有效"
        if rng.random() < 0.5:
            law["url"] = f"https://flk.npc.gov.cn/detail2.html?id={lid}"
        law["articles"] = self._articles(rng.randint(*n_articles), subject, kind, issuer)
        return law

    def _articles(self, n: int, subject: str, kind: str, issuer: str) -> dict[int, str]:
        rng = self.rng
        m = subject[:4]
        arts: dict[int, str] = {}
        for a in range(1, n + 1):
            if a == 1:
                text = V.ARTICLE_OPENERS[0]
            elif a > n * 0.6 and rng.random() < 0.6:
                v = self.pick(V.VIOLATIONS).replace("{o}", subject)
                lo = self.pick((1000, 2000, 5000, 10000, 20000))
                text = V.PENALTY_ARTICLE.replace("{v}", v).replace("{a}", str(lo)).replace("{b}", str(lo * 10))
            elif a == n:
                text = "本{k}自公布之日起施行。"
            else:
                text = self.pick(V.ARTICLE_OPENERS[1:])
                if rng.random() < 0.4:
                    text += self.pick(V.ARTICLE_OPENERS[1:])
            arts[a] = text.replace("{s}", subject).replace("{k}", kind).replace("{m}", m)
        return arts

    # -- departments
    def build_departments(self) -> None:
        city, districts = V.REGIONS[0], V.REGIONS[1:]
        plan: list[tuple[tuple[str, str, str], dict[str, Any]]] = [(city, t) for t in V.DEPARTMENT_TYPES]
        for slug in V.DISTRICT_TYPES[:6]:
            for r in districts[:4]:
                plan.append((r, self.types[slug]))
        for r in districts[4:]:
            for slug in V.DISTRICT_TYPES[:3]:
                plan.append((r, self.types[slug]))
        k = min(len(plan), max(3, self.n // 5))
        plan = plan[:k]
        deps = []
        for order, (region, t) in enumerate(plan, start=1):
            code, rname, rslug = region
            tel = f"0536-{8000000 + int(code[-3:]) * 1000 + order * 7:07d}"
            d: dict[str, Any] = {
                "id": f"{code}-{t['slug']}",
                "name": f"{rname}{t['name']}",
                "region": code,
                "region_name": rname,
                "level": "市级" if code == city[0] else "县级",
                "nature": t.get("nature", "法定机关"),
                "order": order,
                "address": f"{rname}{self.pick(('东风街', '胜利街', '健康街', '福寿街', '北海路', '新华路'))}"
                           f"{self.rng.randint(1, 9999)}号",
                "website": f"https://{rslug}.gov.cn/{t['slug']}/",
                "consult": tel,
                "supervise": "12345",
            }
            deps.append(d)
        self.repo.departments = deps
        self.dep_type = {d["id"]: p[1] for d, p in zip(deps, plan)}

    # -- items
    def build_items(self) -> None:
        rng = self.rng
        deps = self.repo.departments
        weights = [self.dep_type[d["id"]]["weight"] * (1.0 if d["level"] == "市级" else 0.5) for d in deps]
        total = sum(weights)
        counts = [int(self.n * w / total) for w in weights]
        rest = self.n - sum(counts)
        order = sorted(range(len(deps)), key=lambda i: -(self.n * weights[i] / total - counts[i]))
        for i in order[:rest]:
            counts[i] += 1
        counters: dict[tuple[str, str], int] = {}
        districts_by_type: dict[str, list[str]] = {}
        for d in deps:
            if d["level"] == "县级":
                districts_by_type.setdefault(self.dep_type[d["id"]]["slug"], []).append(d["id"])
        all_districts = [d["id"] for d in deps if d["level"] == "县级"]
        items: list[dict[str, Any]] = []
        for d, count in zip(deps, counts):
            t = self.dep_type[d["id"]]
            made: list[dict[str, Any]] = []
            names: set[str] = set()
            active_mains: list[str] = []
            while len(made) < count:
                category = self.weighted(V.CATEGORY_WEIGHTS)
                letters = CATEGORY_LETTERS[category]
                key = (d["region"], letters)
                counters[key] = counters.get(key, 0) + int(1 + (rng.random() < 0.05) * rng.randint(1, 5))
                if counters[key] > 99999:
                    raise ValueError(f"too many {category} items in region {d['region']} for 5-digit codes")
                code = f"{d['region']}-{letters}-{counters[key]:05d}"
                name = self._name(category, t, names)
                status = self.weighted(V.STATUS_WEIGHTS)
                to = None
                if status == "下放":
                    targets = districts_by_type.get(t["slug"]) or all_districts
                    if d["level"] != "市级" or not targets:
                        status = "取消"
                    else:
                        to = self.pick(targets)
                elif status == "合并":
                    if not active_mains:
                        status = "取消"
                    else:
                        to = self.pick(active_mains)
                item = self._item(code, name, category, d, t, status, to)
                made.append(item)
                if status == "保留":
                    active_mains.append(code)
                    if category in V.SUB_CATEGORIES and rng.random() < 0.07 and len(made) < count - 1:
                        variants = list(V.SUB_VARIANTS[category])
                        rng.shuffle(variants)
                        for j, var in enumerate(variants[:min(rng.randint(2, 4), count - len(made))], start=1):
                            sub = self._item(f"{code}-{j:03d}", f"{name}（{var}）", category, d, t, "保留", None,
                                             parent=code)
                            made.append(sub)
            items.extend(made)
        self.repo.items = items

    def _name(self, category: str, t: dict[str, Any], seen: set[str]) -> str:
        name = ""
        for _ in range(6):
            o = self.pick(t["objects"])
            tpl = self.pick(V.NAME_TEMPLATES[category])
            if category == "行政处罚":
                tpl = tpl.replace("{v}", self.pick(V.VIOLATIONS))
            name = tpl.replace("{o}", o)
            if name not in seen:
                break
        seen.add(name)
        return name

    def _citations(self, t: dict[str, Any], n: int, category: str | None = None) -> list[dict[str, Any]]:
        rng = self.rng
        pool = self.laws_by_type.get(t["slug"]) or list(self.common.values())
        out: list[dict[str, Any]] = []
        used: set[tuple[str, int]] = set()
        for i in range(n):
            law = self.pick(pool)
            if i == n - 1 and category and rng.random() < 0.15:
                for lid, _, letters in V.COMMON_LAWS:
                    if CATEGORY_LETTERS[category] == letters:
                        law = self.common[lid]
            arts = law["articles"]
            article = rng.randint(1, len(arts))
            if category == "行政处罚" and len(arts) > 5:
                article = rng.randint(int(len(arts) * 0.6) + 1, len(arts))
            if (law["id"], article) in used:
                continue
            used.add((law["id"], article))
            c: dict[str, Any] = {"law": law["id"], "article": article}
            r = rng.random()
            if r < 0.3:
                c["paragraph"] = rng.randint(1, 3)
                if r < 0.12:
                    c["item"] = rng.randint(1, 6)
            if rng.random() < 0.15:
                c["note"] = self.pick(("依法应当取得许可的情形", "设定依据", "处罚依据", "实施依据", "适用情形"))
            out.append(c)
        return out

    def _item(self, code: str, name: str, category: str, d: dict[str, Any], t: dict[str, Any], status: str,
              to: str | None, parent: str | None = None) -> dict[str, Any]:
        rng = self.rng
        it: dict[str, Any] = {"code": code, "name": name, "category": category, "department": d["id"],
                              "status": status}
        basis = self._citations(t, rng.randint(1, 3), category)
        if status != "取消" or rng.random() < 0.7:
            it["basis"] = basis
        if parent:
            it["parent"] = parent
        if rng.random() < 0.7:
            it["source"] = "法定本级行使" if rng.random() < 0.85 else self.pick(V.SOURCES[1:])
        if rng.random() < 0.5:
            it["office"] = self.pick(V.OFFICES.get(category, V.OFFICES[""]))
        if rng.random() < 0.3:
            it["summary"] = self._summary(t, d, category)
        if category in ("行政许可", "行政确认", "行政给付", "其他行政权力"):
            if rng.random() < 0.8:
                it["handling"] = "承诺件" if rng.random() < 0.7 else "即办件"
            if rng.random() < 0.8:
                s = self.pick((20, 20, 15, 30, 10, 60))
                it["time_limit"] = {"statutory": f"{s}个工作日", "promised": f"{max(1, s // 4)}个工作日"}
            if category == "行政许可" and rng.random() < 0.6:
                if rng.random() < 0.2:
                    it["fee"] = {"charged": True, "items": [{"name": f"{name[:8]}工本费",
                                                             "standard": f"每证{rng.randint(5, 50)}元",
                                                             "basis": self._citations(t, 1)}]}
                else:
                    it["fee"] = {"charged": False}
        if rng.random() < 0.4:
            it["flow"] = self._flow(category)
        if rng.random() < 0.5:
            it["responsibilities"] = self._responsibilities(t, category)
            it["accountability"] = [self._accountability(t) for _ in range(rng.randint(2, 5))]
        if rng.random() < 0.2:
            it["risks"] = [self._risk() for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.1:
            it["contact"] = {"consult": d["consult"], "supervise": "0536-12345"}
        if status != "保留":
            y = rng.randint(2016, 2024)
            dec: dict[str, Any] = {"document": self.pick(V.DOCUMENTS).format(y=y, n=rng.randint(1, 150)),
                                   "date": f"{y}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"}
            if rng.random() < 0.4:
                dec["url"] = f"https://www.weifang.gov.cn/xxgk/{y}/{code.lower()}.html"
            if to:
                dec["to"] = to
            it["decision"] = dec
            if status == "转出" and rng.random() < 0.7:
                it["remarks"] = self.pick(("转为公共服务事项", "转为政府内部审批事项", "转为其他权责事项"))
        elif rng.random() < 0.05:
            it["remarks"] = self.pick(("与省级事项名称一致", "实行告知承诺制", "纳入“双随机、一公开”监管"))
        return it

    def _summary(self, t: dict[str, Any], d: dict[str, Any], category: str) -> str:
        rng = self.rng
        o = self.pick(t["objects"])
        paras = [p.replace("{o}", o).replace("{d}", d["name"]) for p in rng.sample(V.SUMMARY_PARAS, rng.randint(1, 3))]
        if category != "行政处罚" and rng.random() < 0.4:
            mats = rng.sample(V.SUMMARY_LISTS, rng.randint(2, 5))
            paras.append("**申请材料：**\n\n" + "\n".join(f"{i}. {m}" for i, m in enumerate(mats, start=1)))
        return "\n\n".join(paras)

    def _flow(self, category: str) -> list[dict[str, Any]]:
        rng = self.rng
        tpl = V.FLOWS.get(category, V.FLOWS[""])
        main = [s for s in tpl["main"] if not s[3] or rng.random() < 0.5]
        ids = {s[0] for s in main}
        sides = [s for s in tpl["side"] if s[0] in ids and (s[4] is None or s[4] in ids) and rng.random() < 0.6]
        sides = sides[:max(0, 10 - len(main))]
        branching: dict[str, list[tuple[str, str, str, str, str | None]]] = {}
        for s in sides:
            branching.setdefault(s[0], []).append(s)
        steps: list[dict[str, Any]] = []
        for i, (sid, name, actor, _) in enumerate(main):
            st: dict[str, Any] = {"id": sid, "name": name, "actor": actor}
            if rng.random() < 0.5:
                st["time_limit"] = f"{rng.randint(1, 5)}个工作日"
            if i == len(main) - 1:
                st["next"] = []
            elif sid in branching:
                nxt = main[i + 1][0]
                st["next"] = [{"to": nxt, "when": "符合条件"}] + [{"to": b[1], "when": b[3]} for b in branching[sid]]
            elif rng.random() < 0.3:
                st["next"] = [main[i + 1][0]]
            steps.append(st)
        for frm, sid, name, when, back in sides:
            steps.append({"id": sid, "name": name, "next": [back] if back else []})
        return steps

    def _responsibilities(self, t: dict[str, Any], category: str) -> list[dict[str, Any]]:
        out = []
        for stage, duty in V.STAGES.get(category, V.STAGES[""]):
            r: dict[str, Any] = {"stage": stage, "duty": duty}
            if self.rng.random() < 0.3:
                r["basis"] = self._citations(t, 1)
            out.append(r)
        return out

    def _accountability(self, t: dict[str, Any]) -> dict[str, Any]:
        a: dict[str, Any] = {"situation": self.pick(V.SITUATIONS)}
        if self.rng.random() < 0.3:
            a["basis"] = self._citations(t, 1)
        return a

    def _risk(self) -> dict[str, Any]:
        stage, risk, measure = self.pick(V.RISKS)
        return {"stage": stage, "risk": risk, "level": self.pick(("高", "中", "中", "低")), "measure": measure}


def build(n_items: int, *, seed: int = 0) -> Repository:
    """The data of a synthetic repository with exactly ``n_items`` items (deterministic for a seed)."""
    if n_items < 0:
        raise ValueError("n_items must be >= 0")
    g = _Gen(n_items, seed)
    g.build_laws()
    g.build_departments()
    g.build_items()
    return g.repo


def write(repo: Repository, out: Path) -> Path:
    """Write ``repo`` under ``out`` (which must not already hold items/ or laws/)."""
    out = Path(out)
    for sub in ("items", "laws"):
        p = out / sub
        if p.exists() and any(p.iterdir()):
            raise FileExistsError(f"{p} already exists and is not empty; give an empty or new folder")
    (out / "laws").mkdir(parents=True, exist_ok=True)
    for d in repo.departments:
        (out / "items" / d["id"]).mkdir(parents=True, exist_ok=True)
    for rel, data in repo.files():
        with open(out / rel, "w", encoding="utf-8", newline="\n") as f:
            f.write(dump(data))
    (out / "README.md").write_text(
        f"Synthetic power-list data made by scripts/synth.py ({len(repo.items)} items, {len(repo.departments)} "
        f"departments, {len(repo.laws)} laws). Invented for benchmarks; not real law.\n", encoding="utf-8")
    return out


def generate(n_items: int, out: Path, *, seed: int = 0) -> Path:
    """Write a valid synthetic repository of ``n_items`` items into ``out``; returns ``out``."""
    return write(build(n_items, seed=seed), Path(out))


def source_hash() -> str:
    """A hash of the generator's source: cached data made by another version must be regenerated."""
    import hashlib
    h = hashlib.sha256()
    for p in SOURCE_FILES:
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--items", type=int, required=True, help="number of power items")
    ap.add_argument("--out", type=Path, required=True, help="output folder (items/ and laws/ are created)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    try:
        repo = build(args.items, seed=args.seed)
        write(repo, args.out)
    except (FileExistsError, ValueError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(repo.items)} items, {len(repo.departments)} departments, {len(repo.laws)} laws "
          f"into {args.out} in {time.perf_counter() - t0:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

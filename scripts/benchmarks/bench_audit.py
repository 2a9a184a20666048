"""Audit trail: history of 10,000 items over 2,000 commits (goal ≤ 5 s) and ``powerlist diff`` between two
revisions of 10,000 items (goal ≤ 5 s).

The repository is made from ``ctx.synth(10000)`` with ``git fast-import``: one commit adding every file, then
1,999 commits that each edit three items (a new name, a remark, a status change with its decision, an added
citation — all valid) and, every 100th commit, renumber one item (rename + code change). The diff compares
the first and the last commit in a fresh ``powerlist`` process (imports count, as they do for a user).
"""
from __future__ import annotations

import json
import os
import random
import re
import subprocess
from pathlib import Path
from typing import Any

N_ITEMS = 10_000
N_COMMITS = 2_000
EDITS_PER_COMMIT = 3
GOAL_SECONDS = 5.0
_T0 = 1_700_000_000

HISTORY_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from powerlist.vcs.history import read_history
t1 = time.perf_counter()
h = read_history(sys.argv[1])
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "history": t2 - t1, "revisions": len(h.revisions), "commits": len(h.commits),
                  "available": h.available}))
"""


def _data(text: str) -> bytes:
    b = text.encode("utf-8")
    return b"data %d\n" % len(b) + b + b"\n"


def _edit(text: str, k: int, rng: random.Random) -> str:
    """One valid edit of an item file (chosen by k)."""
    kind = k % 4
    if kind == 0:
        return re.sub(r"(?m)^name: (.*)$", lambda m: f"name: {m.group(1).removesuffix('（修订）')}（修订）", text, count=1)
    if kind == 1:
        text = re.sub(r"(?m)^remarks: .*\n", "", text)
        return text + f"remarks: 第 {k} 次修订\n"
    if kind == 2 and "\nstatus: 保留\n" in text and "\ndecision:" not in text:
        return text.replace("\nstatus: 保留\n", "\nstatus: 冻结\n", 1) + (
            f"decision:\n  document: 潍政发〔2024〕{k}号\n  date: \"2024-{1 + k % 12:02d}-{1 + k % 28:02d}\"\n")
    m = re.search(r"(?m)^basis:\n- law: (\S+)\n  article: (\d+)\n", text)
    if m:
        extra = f"- law: {m.group(1)}\n  article: {m.group(2)}\n  paragraph: {1 + rng.randrange(9)}\n"
        if extra not in text:  # a new first citation (the same article, another paragraph)
            at = m.start() + len("basis:\n")
            return text[:at] + extra + text[at:]
    return text + f"remarks: 第 {k} 次修订\n" if "\nremarks:" not in text else text


def make_repo(src: Path, dest: Path) -> Path:
    """A git repository holding ``src``'s data with N_COMMITS commits of edits (cached by a stamp file)."""
    stamp = dest / ".bench-audit"
    if stamp.is_file():
        return dest
    subprocess.run(["git", "init", "-q", "-b", "main", str(dest)], check=True)
    files: dict[str, str] = {}
    for sub in ("items", "laws"):
        for p in sorted((src / sub).rglob("*.yaml")):
            files[p.relative_to(src).as_posix()] = p.read_text(encoding="utf-8")
    items = sorted(f for f in files if f.startswith("items/") and not f.endswith("/_department.yaml"))
    codes = {Path(f).stem for f in items}
    # codes other files point at (parent, decision.to) are never renumbered: the data must stay valid
    referenced = set(re.findall(r"(?m)^\s*(?:parent|to): (\S+)$", "".join(files.values())))
    rng = random.Random(5)
    out: list[bytes] = []

    def commit(n: int, msg: str, ops: list[bytes]) -> None:
        who = f"editor{n % 7} <editor{n % 7}@example.org> {_T0 + n * 3600} +0800\n"
        out.append(b"commit refs/heads/main\nmark :%d\n" % (n + 1))
        out.append(b"author " + who.encode() + b"committer " + who.encode())
        out.append(_data(msg))
        if n:
            out.append(b"from :%d\n" % n)
        out.extend(ops)

    commit(0, "初始清单", [b"M 100644 inline " + p.encode() + b"\n" + _data(t) for p, t in files.items()])
    for n in range(1, N_COMMITS):
        ops: list[bytes] = []
        for j in range(EDITS_PER_COMMIT):
            path = items[rng.randrange(len(items))]
            files[path] = _edit(files[path], n * EDITS_PER_COMMIT + j, rng)
            ops.append(b"M 100644 inline " + path.encode() + b"\n" + _data(files[path]))
        if n % 100 == 0:
            i = rng.randrange(len(items))
            old = items[i]
            code = Path(old).stem
            m = re.match(r"^(\d{6}-[A-Z]{2}-)(\d{5})(.*)$", code)
            if m and not m.group(3) and code not in referenced and not any(
                    c.startswith(code + "-") for c in codes):
                new_code = next(f"{m.group(1)}{k:05d}" for k in range(99999, 0, -1)
                                if f"{m.group(1)}{k:05d}" not in codes)
                codes.add(new_code)
                new = f"{Path(old).parent.as_posix()}/{new_code}.yaml"
                text = files.pop(old).replace(f"code: {code}\n", f"code: {new_code}\n", 1)
                files[new] = text
                items[i] = new
                ops.append(b"D " + old.encode() + b"\n")
                ops.append(b"M 100644 inline " + new.encode() + b"\n" + _data(text))
        commit(n, f"修订 {n}", ops)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=dest, input=b"".join(out), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=dest, check=True)
    stamp.write_text("ok\n", encoding="utf-8")
    return dest


def run(ctx: Any) -> list[dict[str, Any]]:
    src = ctx.synth(N_ITEMS)
    repo = make_repo(src, Path(ctx.tmp) / "audit-repo")
    env = {**os.environ, "PYTHONPATH": str(ctx.root)}
    rows: list[dict[str, Any]] = []
    hist_runs = []
    for _ in range(1 if ctx.quick else 3):
        seconds, rss, out = ctx.measure_command([ctx.python, "-c", HISTORY_CHILD, str(repo)], cwd=ctx.root, env=env)
        hist_runs.append((seconds, rss, json.loads(out.strip().splitlines()[-1])))
    seconds, rss, inner = min(hist_runs, key=lambda r: r[0])
    if not inner["available"] or inner["commits"] != N_COMMITS:
        raise RuntimeError(f"history saw {inner['commits']} commits, expected {N_COMMITS}")
    best = f" (best of {len(hist_runs)})" if len(hist_runs) > 1 else ""
    rows += [
        {"benchmark": f"history {N_ITEMS:,} items × {N_COMMITS:,} commits: fresh process{best}", "value": seconds,
         "unit": "s", "goal": f"≤ {GOAL_SECONDS:g} s", "ok": seconds <= GOAL_SECONDS},
        {"benchmark": "history: read_history only", "value": inner["history"], "unit": "s", "goal": ""},
        {"benchmark": "history: revisions", "value": inner["revisions"], "unit": "", "goal": ""},
        {"benchmark": "history: peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""},
    ]
    first = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=repo, capture_output=True,
                           text=True, check=True).stdout.split()[0]
    diff_cmd = [ctx.python, "-m", "powerlist.cli", "diff", first, "HEAD", "--root", str(repo), "--format", "json"]
    diff_runs = []
    for _ in range(1 if ctx.quick else 3):
        seconds, rss, out = ctx.measure_command(diff_cmd, cwd=ctx.root, env=env)
        diff_runs.append((seconds, rss, json.loads(out)))
    seconds, rss, doc = min(diff_runs, key=lambda r: r[0])
    s = doc["summary"]
    best = f" (best of {len(diff_runs)})" if len(diff_runs) > 1 else ""
    rows += [
        {"benchmark": f"powerlist diff, two revisions of {N_ITEMS:,} items{best}", "value": seconds, "unit": "s",
         "goal": f"≤ {GOAL_SECONDS:g} s", "ok": seconds <= GOAL_SECONDS},
        {"benchmark": "diff: changes found", "value": f"{s['status_changes']} status · {s['modified']} modified · "
         f"{s['added']} added · {s['removed']} removed", "unit": "", "goal": ""},
        {"benchmark": "diff: peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""},
    ]
    return rows

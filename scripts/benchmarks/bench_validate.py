"""Validate 10,000 synthetic items with ``powerlist.source.load.load_catalog`` in a fresh process (goal: ≤ 3 s).

The whole process is timed, so interpreter start-up and imports count, as they do for ``powerlist validate``;
the load itself is reported too. Best of 3 runs (1 with --quick).
"""
from __future__ import annotations

import json
from typing import Any

N_ITEMS = 10_000
GOAL_SECONDS = 3.0

CHILD = """
import json, sys, time
t0 = time.perf_counter()
try:
    from powerlist.source.load import load_catalog
    from powerlist.model.errors import InvalidData
except ImportError as exc:
    sys.exit(f"powerlist.source.load.load_catalog is not available yet ({exc})")
t1 = time.perf_counter()
try:
    catalog = load_catalog(sys.argv[1])
except InvalidData as exc:
    shown = "; ".join(p.format() for p in exc.problems[:3])
    sys.exit(f"the synthetic data is invalid: {len(exc.problems)} problem(s): {shown}")
t2 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "items": len(catalog.items)}))
"""


def run(ctx: Any) -> list[dict[str, Any]]:
    data = ctx.synth(N_ITEMS)
    runs = []
    for _ in range(1 if ctx.quick else 3):
        seconds, rss, out = ctx.measure_command([ctx.python, "-c", CHILD, str(data)], cwd=ctx.root)
        runs.append((seconds, rss, json.loads(out.strip().splitlines()[-1])))
    seconds, rss, inner = min(runs, key=lambda r: r[0])
    if inner["items"] != N_ITEMS:
        raise RuntimeError(f"load_catalog returned {inner['items']} items, expected {N_ITEMS}")
    label = f"validate {N_ITEMS:,} items"
    best = f" (best of {len(runs)})" if len(runs) > 1 else ""
    return [
        {"benchmark": f"{label}: fresh process{best}", "value": seconds, "unit": "s",
         "goal": f"≤ {GOAL_SECONDS:g} s", "ok": seconds <= GOAL_SECONDS},
        {"benchmark": f"{label}: load_catalog only", "value": inner["load"], "unit": "s", "goal": ""},
        {"benchmark": f"{label}: imports", "value": inner["import"], "unit": "s", "goal": ""},
        {"benchmark": f"{label}: throughput", "value": N_ITEMS / seconds, "unit": "items/s",
         "goal": f"≥ {N_ITEMS / GOAL_SECONDS:,.0f} items/s"},
        {"benchmark": f"{label}: peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""},
    ]

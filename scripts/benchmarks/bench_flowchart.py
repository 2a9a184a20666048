"""Render every item's flowchart from synthetic data with ``powerlist.svg.flowchart.render_flow_svg``.

A site build draws one flowchart per item, so the per-flow time bounds that part of the build.
Goal: ≤ 5 ms per flow on average (10,000 items ≈ 50 s would be too slow; ≤ 5 ms keeps it under a minute
even at 10,000 items and well under the rest of the build). 1,000 items (200 with --quick).
"""
from __future__ import annotations

import time
from typing import Any

GOAL_MS = 5.0


def run(ctx: Any) -> list[dict[str, Any]]:
    from powerlist.source.load import load_catalog
    from powerlist.svg.flowchart import render_flow_svg

    n_items = 200 if ctx.quick else 1000
    catalog = load_catalog(ctx.synth(n_items))
    flows = [(it.name, it.flow) for it in catalog.items.values() if it.flow]
    if not flows:
        raise RuntimeError("the synthetic data has no flows")
    t0 = time.perf_counter()
    total_bytes = 0
    for name, flow in flows:
        total_bytes += len(render_flow_svg(flow, title=name))
    seconds = time.perf_counter() - t0
    per_ms = seconds * 1000 / len(flows)
    longest = max(len(f) for _, f in flows)
    return [
        {"benchmark": f"flowchart: render {len(flows):,} flows (up to {longest} steps)", "value": per_ms,
         "unit": "ms/flow", "goal": f"≤ {GOAL_MS:g} ms/flow", "ok": per_ms <= GOAL_MS},
        {"benchmark": "flowchart: average SVG size", "value": total_bytes / len(flows) / 1024, "unit": "KiB",
         "goal": ""},
    ]

"""How long scripts/synth.py takes to write 10,000 and 100,000 items (goals: a few seconds; under a minute).

Each size is generated into ctx.tmp in a forked child (so the peak RSS is the generator's) and removed after.
With --quick only the 10,000-item size runs.
"""
from __future__ import annotations

import shutil
from typing import Any

import synth

SIZES = ((10_000, 5.0), (100_000, 60.0))


def _generate(n: int, out: Any, seed: int) -> None:
    synth._scalar_cache.clear()  # start cold even if the harness already generated data in this process
    synth.generate(n, out, seed=seed)


def run(ctx: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, goal in SIZES[:1] if ctx.quick else SIZES:
        out = ctx.tmp / f"synth-{n}"
        seconds, rss = ctx.measure(lambda: _generate(n, out, ctx.seed))
        shutil.rmtree(out, ignore_errors=True)
        rows.append({"benchmark": f"synth {n:,} items", "value": seconds, "unit": "s", "goal": f"≤ {goal:g} s"})
        rows.append({"benchmark": f"synth {n:,} items: peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""})
    return rows

"""How long scripts/synth.py takes to write 10,000 and 100,000 items (goals: a few seconds; under a minute).

Each size runs as ``scripts/synth.py --items N --out ctx.tmp/...`` in a fresh process (wall time includes
interpreter start-up; the peak RSS is the generator's alone), and its output is removed afterwards.
With --quick only the 10,000-item size runs.
"""
from __future__ import annotations

import shutil
from typing import Any

SIZES = ((10_000, 5.0), (100_000, 60.0))


def run(ctx: Any) -> list[dict[str, Any]]:
    script = ctx.root / "scripts" / "synth.py"
    rows: list[dict[str, Any]] = []
    for n, goal in SIZES[:1] if ctx.quick else SIZES:
        out = ctx.tmp / f"synth-{n}"
        seconds, rss, _ = ctx.measure_command([ctx.python, str(script), "--items", str(n), "--out", str(out),
                                               "--seed", str(ctx.seed)])
        shutil.rmtree(out, ignore_errors=True)
        rows.append({"benchmark": f"synth {n:,} items", "value": seconds, "unit": "s", "goal": f"≤ {goal:g} s"})
        rows.append({"benchmark": f"synth {n:,} items: peak RSS", "value": rss / 2**20, "unit": "MB", "goal": ""})
    return rows

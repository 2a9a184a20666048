"""The rules of a flow (办理流程) as a graph: unique step ids, existing targets, every step reachable from the
first, at least one end, a bounded number of branches."""
from __future__ import annotations

from typing import Any

from ..model.spec import FLOW_MAX_EDGES
from .suggest import suggest
from .values import short
from .yamlsrc import Document


def check_flow(doc: Document, steps: list[dict[str, Any]]) -> None:
    """Unique ids, targets exist, every step reachable from the first, at least one end, at most
    FLOW_MAX_EDGES branches in all (steps and branches per step are bounded by the spec)."""
    ids: dict[str, int] = {}
    for i, s in enumerate(steps):
        sid = s.get("id")
        if not isinstance(sid, str):
            continue
        if sid in ids:
            doc.problem(("flow", i, "id"), f"step id '{sid}' is used twice (first at flow[{ids[sid]}])")
        else:
            ids[sid] = i
    graph: dict[int, list[int]] = {}
    n_edges = 0
    for i, s in enumerate(steps):
        nxt = s.get("next")
        if nxt is None:
            graph[i] = [i + 1] if i + 1 < len(steps) else []
            n_edges += len(graph[i])
            continue
        n_edges += len(nxt)
        targets = []
        for j, e in enumerate(nxt):
            t = e["to"]
            if t not in ids:
                doc.problem(("flow", i, "next", j), f"next step {short(t)!r} does not exist in this flow"
                            + suggest(t, ids))
            else:
                targets.append(ids[t])
        graph[i] = targets
    if not steps:
        return
    if n_edges > FLOW_MAX_EDGES:
        doc.problem(("flow",), f"the flow has {n_edges} branches in all (next steps, written or implied); at most "
                    f"{FLOW_MAX_EDGES} are allowed, so that the flowchart stays readable")
    if not any(not graph.get(i) and (steps[i].get("next") is not None or i == len(steps) - 1)
               for i in range(len(steps))):
        doc.problem(("flow", len(steps) - 1), "the flow has no end step; give the last step `next: []` (办结)")
    seen = {0}
    todo = [0]
    while todo:
        for t in graph.get(todo.pop(), []):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    for i, s in enumerate(steps):
        if i not in seen:
            name = f"'{s['id']}'" if isinstance(s.get("id"), str) else f"flow[{i}]"
            doc.problem(("flow", i), f"step {name} cannot be reached from the first step")

"""运行流程 → static SVG flowchart, drawn at build time (no JavaScript, no external tools).

:func:`layout_flow` is pure geometry (layered, top to bottom): steps become fixed-width boxes whose text is
wrapped by character width, forward edges run through the gaps between layers (long edges through
placeholder "dummy" nodes so they never cross a box), back edges (cycles such as 补正 → 受理) are routed
around the right-hand side in lanes of their own. :func:`render_flow_svg` turns that geometry into inline,
accessible SVG; :func:`flow_text_steps` gives the same flow as an ordered list for screen readers and print.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Sequence

from ..model.records import FlowStep
from .markup import FONT_FAMILY, chart_id, esc, num
from .text import LINE, clean_text, text_em, wrap_text

BOX_W = 160.0          # every step box has this width; heights grow with the wrapped text
FONT = 14.0            # step name
SMALL = 12.0           # actor / time limit / edge labels
PAD_X, PAD_Y = 10.0, 8.0
MIN_BOX_H = 40.0
BOX_GAP = 40.0         # horizontal space between two boxes of a layer
DUMMY_GAP = 16.0       # ... between a box and a long edge passing through the layer
STUB = 14.0            # vertical run below a box before an edge turns
TRACK_SP = 8.0         # vertical distance between horizontal edge tracks
ARROW_ROOM = 14.0      # free run above a box so the arrowhead shows
LABEL_MAX_EM = 8.0
LABEL_PAD = 3.0
LANE_SP = 16.0         # horizontal distance between back-edge lanes
MARGIN = 12.0
START_W, START_H = 56.0, 24.0

# ---------------------------------------------------------------------------------------- geometry

@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    def overlaps(self, other: Rect) -> bool:
        """True when the interiors intersect (touching edges do not count)."""
        return (self.x < other.right and other.x < self.right
                and self.y < other.bottom and other.y < self.bottom)

    def on_border(self, p: tuple[float, float], tol: float = 0.11) -> bool:
        x, y = p
        inside = self.x - tol <= x <= self.right + tol and self.y - tol <= y <= self.bottom + tol
        return inside and min(abs(x - self.x), abs(x - self.right), abs(y - self.y), abs(y - self.bottom)) <= tol


@dataclass(frozen=True)
class StepBox:
    id: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]          # the wrapped step name
    detail: tuple[str, ...]         # wrapped actor and time limit, smaller
    number: int                     # 1-based position in the flow list
    is_start: bool
    is_end: bool

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)


@dataclass(frozen=True)
class EdgeLabel:
    x: float
    y: float
    w: float
    h: float
    lines: tuple[str, ...]

    @property
    def rect(self) -> Rect:
        return Rect(self.x, self.y, self.w, self.h)


@dataclass(frozen=True)
class FlowEdgePath:
    source: str
    target: str
    when: str | None
    points: tuple[tuple[float, float], ...]     # orthogonal polyline, source border → target border
    label: EdgeLabel | None
    back: bool                                  # part of a cycle, routed around the right side


@dataclass(frozen=True)
class FlowLayout:
    boxes: tuple[StepBox, ...]
    edges: tuple[FlowEdgePath, ...]
    width: float
    height: float
    start: Rect | None                          # the 开始 marker above the first step

    def box(self, step_id: str) -> StepBox:
        return next(b for b in self.boxes if b.id == step_id)


@dataclass
class _Node:
    layer: int
    step: str | None = None             # the step id; None for a dummy (a long edge passing through the layer)
    w: float = 0.0
    h: float = 0.0
    x: float = 0.0                      # centre
    y: float = 0.0                      # top


def _box_text(step: FlowStep) -> tuple[tuple[str, ...], tuple[str, ...], float]:
    return _box_text_of(step.name, step.actor, step.time_limit)


@functools.lru_cache(maxsize=16384)     # step names, actors and time limits repeat across a list's flows
def _box_text_of(name: str, actor: str | None, time_limit: str | None) -> tuple[tuple[str, ...], tuple[str, ...],
                                                                                  float]:
    inner = (BOX_W - 2 * PAD_X)
    lines = tuple(wrap_text(name, inner / FONT))
    detail: list[str] = []
    if actor and clean_text(actor):
        detail += wrap_text(actor, inner / SMALL)
    if time_limit and clean_text(time_limit):
        detail += wrap_text("时限：" + time_limit, inner / SMALL)
    h = 2 * PAD_Y + len(lines) * FONT * LINE + len(detail) * SMALL * LINE + (2 if detail else 0)
    return lines, tuple(detail), max(MIN_BOX_H, h)


@functools.lru_cache(maxsize=4096)
def _label_text(when: str) -> tuple[tuple[str, ...], float, float]:
    lines = tuple(wrap_text(when, LABEL_MAX_EM))
    w = max(text_em(t) for t in lines) * SMALL + 2 * LABEL_PAD + 2
    return lines, w, len(lines) * SMALL * LINE + 2 * LABEL_PAD


def _find_back_edges(ids: list[str], out: dict[str, list[int]],
                     edges: list[tuple[str, str, str | None]]) -> tuple[set[int], list[str]]:
    """Depth-first search from the first step (then any unvisited step, in list order): edges to a step
    still on the stack close a cycle. Returns those back edges and a topological order of the rest."""
    state: dict[str, int] = {}
    back: set[int] = set()
    post: list[str] = []
    for root in ids:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            node, it = stack[-1]
            for ei in it:
                nxt = edges[ei][1]
                if state.get(nxt) == 1:
                    back.add(ei)
                elif nxt not in state:
                    state[nxt] = 1
                    stack.append((nxt, iter(out[nxt])))
                    break
            else:
                state[node] = 2
                post.append(node)
                stack.pop()
    return back, post[::-1]


def _crossings(layers: list[list[int]], down: dict[int, list[int]]) -> int:
    """Edge crossings between consecutive layers: pairs of edges (a→c, b→d) with a left of b and c right of d.

    Sorted by (upper, lower) position, those are the strict inversions of the lower positions (edges from one
    node come in ascending order, so they never count); counted with a Fenwick tree in O(E log E)."""
    total = 0
    for upper, lower in zip(layers, layers[1:]):
        pos = {n: i for i, n in enumerate(lower)}
        pairs = sorted((i, pos[m]) for i, n in enumerate(upper) for m in down[n])
        size = len(lower)
        tree = [0] * (size + 1)         # counts of lower positions seen so far
        seen = 0
        for _, p in pairs:
            k = p + 1                    # seen positions <= p
            not_greater = 0
            while k:
                not_greater += tree[k]
                k &= k - 1
            total += seen - not_greater
            seen += 1
            k = p + 1
            while k <= size:
                tree[k] += 1
                k += k & -k
    return total


def _order_layers(layers: list[list[int]], up: dict[int, list[int]], down: dict[int, list[int]],
                  looping: set[int]) -> list[list[int]]:
    """A few barycenter sweeps (down, then up), keeping the ordering with the fewest crossings.
    On ties, steps with back edges (``looping``) go right, next to the lanes their back edges use."""
    best = [list(layer) for layer in layers]
    best_c = _crossings(best, down)
    cur = [list(layer) for layer in layers]
    for sweep in range(8):
        downward = sweep % 2 == 0
        rng = range(1, len(cur)) if downward else range(len(cur) - 2, -1, -1)
        for li in rng:
            ref = cur[li - 1] if downward else cur[li + 1]
            pos = {n: i for i, n in enumerate(ref)}
            nbrs = up if downward else down

            def key(item: tuple[int, int]) -> tuple[float, bool, int]:
                i, n = item
                ps = [pos[m] for m in nbrs[n]]
                return (sum(ps) / len(ps) if ps else float(i), n in looping, i)

            cur[li] = [n for _, n in sorted(enumerate(cur[li]), key=key)]
        c = _crossings(cur, down)
        if c <= best_c:
            best, best_c = [list(layer) for layer in cur], c
    return best


def _place(desired: list[float], seps: list[float], weights: list[float] | None = None) -> list[float]:
    """Positions closest (weighted least squares) to ``desired`` keeping x[i+1] - x[i] >= seps[i]
    (isotonic regression by pool-adjacent-violators on the shifted targets)."""
    offs = [0.0]
    for s in seps:
        offs.append(offs[-1] + s)
    ws = weights or [1.0] * len(desired)
    blocks: list[list[float]] = []          # [weighted sum, weight, count]
    for d, o, w in zip(desired, offs, ws):
        blocks.append([(d - o) * w, w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, w_, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += w_
            blocks[-1][2] += c
    z: list[float] = []
    for s, w_, c in blocks:
        z += [s / w_] * int(c)
    return [zi + o for zi, o in zip(z, offs)]


def _assign_rows(spans: list[tuple[float, float, Any]], gap: float) -> list[int]:
    """Greedy interval colouring: each span gets the first row where it overlaps no span of another
    group. ``spans`` are (left, right, group); returns the row of each span, in input order."""
    rows: list[list[tuple[float, float, Any]]] = []
    result = [0] * len(spans)
    for i in sorted(range(len(spans)), key=lambda i: (spans[i][0], spans[i][1], i)):
        lo, hi, grp = spans[i]
        for r, row in enumerate(rows):
            if all(g == grp or hi + gap <= a or b + gap <= lo for a, b, g in row):
                row.append(spans[i])
                result[i] = r
                break
        else:
            rows.append([spans[i]])
            result[i] = len(rows) - 1
    return result


def _label_x(port: float, w: float, box_cx: float, others: list[float]) -> float:
    """Left edge of a label on the vertical run at ``port``: centred if it can be, otherwise shifted
    along its line so that it covers no other edge's run; centred within the target's width as a last resort."""
    fallback = min(max(port - w / 2, box_cx - BOX_W / 2), box_cx + BOX_W / 2 - w)
    cands = [port - w / 2] + [fx + 3 for fx in others] + [fx - 3 - w for fx in others]
    ok = [x for x in cands
          if x + 5 <= port <= x + w - 5 and not any(x - 1 < fx < x + w + 1 for fx in others if fx != port)]
    return min(ok, key=lambda x: (abs(x + w / 2 - port), x)) if ok else fallback


#: Horizontal layouts by shape: most flows of a list follow a few standard processes (受理 → 审查 → 决定 → 送达 …),
#: and everything horizontal (layers, order, x, ports, edge tracks, label places) depends only on the step ids
#: and the edges with their labels, not on box heights or step text.
_X_PHASES: dict[tuple[Any, ...], _XPhase] = {}
_X_PHASES_MAX = 4096


def layout_flow(steps: Sequence[FlowStep]) -> FlowLayout:
    """Lay the flow out top to bottom. Pure geometry; coordinates are rounded to 0.1."""
    steps = list({s.id: s for s in reversed(steps)}.values())[::-1]    # first occurrence of each id wins
    if not steps:
        return FlowLayout((), (), 2 * MARGIN, 2 * MARGIN, None)
    key = tuple((s.id, tuple((e.to, e.when) for e in s.next)) for s in steps)
    xp = _X_PHASES.get(key)
    if xp is None:
        if len(_X_PHASES) >= _X_PHASES_MAX:
            _X_PHASES.clear()
        xp = _X_PHASES[key] = _x_phase(steps)
    return _y_phase(xp, steps)


def _layout(steps: list[FlowStep]) -> FlowLayout:
    """:func:`layout_flow` without the cache, for steps with unique ids (at least one)."""
    return _y_phase(_x_phase(steps), steps)


@dataclass
class _XPhase:
    """The horizontal part of a layout (see :data:`_X_PHASES`); never changed once made."""
    ids: list[str]
    edges: list[tuple[str, str, str | None]]
    nodes: list[_Node]
    node_of: dict[str, int]
    layers: list[list[int]]
    layer_of: dict[str, int]
    n_layers: int
    chains: dict[int, list[int]]
    back: set[int]
    back_list: list[int]
    back_bottom: dict[int, float]
    back_top: dict[int, float]
    in_port: dict[int, float]
    track_of: dict[tuple[str, int, int], int]
    n_tracks: list[int]
    label_info: dict[int, tuple[tuple[str, ...], float, float, float]]
    label_row_of: dict[int, int]
    label_row_h: list[list[float]]


def _x_phase(steps: list[FlowStep]) -> _XPhase:
    ids = [s.id for s in steps]
    by_id = {s.id: s for s in steps}
    edges: list[tuple[str, str, str | None]] = []
    for s in steps:
        for e in s.next:
            when = clean_text(e.when) if e.when else None
            if e.to in by_id and (s.id, e.to, when or None) not in edges:
                edges.append((s.id, e.to, when or None))
    out: dict[str, list[int]] = {sid: [] for sid in ids}
    for i, (a, _, _) in enumerate(edges):
        out[a].append(i)
    back, topo = _find_back_edges(ids, out, edges)

    # ---- layering: longest path over the forward edges
    layer_of = {sid: 0 for sid in ids}
    for sid in topo:
        for ei in out[sid]:
            if ei not in back:
                b = edges[ei][1]
                layer_of[b] = max(layer_of[b], layer_of[sid] + 1)
    n_layers = max(layer_of.values()) + 1

    nodes: list[_Node] = []
    node_of: dict[str, int] = {}
    for sid in ids:     # heights are set in the vertical phase
        node_of[sid] = len(nodes)
        nodes.append(_Node(layer_of[sid], sid, BOX_W, 0.0))
    chains: dict[int, list[int]] = {}           # forward edge → node path (with dummies)
    up: dict[int, list[int]] = {}
    down: dict[int, list[int]] = {}
    for ei, (a, b, _) in enumerate(edges):
        if ei in back:
            continue
        path = [node_of[a]]
        for li in range(layer_of[a] + 1, layer_of[b]):
            nodes.append(_Node(li))
            path.append(len(nodes) - 1)
        path.append(node_of[b])
        chains[ei] = path
    for n in range(len(nodes)):
        up[n], down[n] = [], []
    for path in chains.values():
        for p, q in zip(path, path[1:]):
            down[p].append(q)
            up[q].append(p)

    # ---- initial order: breadth-first from the first step, following edges in file order
    layers: list[list[int]] = [[] for _ in range(n_layers)]
    seen: set[int] = set()
    queue = [node_of[sid] for sid in ids]
    for root in queue[:]:
        pending = [root]
        while pending:
            n = pending.pop(0)
            if n in seen:
                continue
            seen.add(n)
            layers[nodes[n].layer].append(n)
            pending += down[n]
    looping = {node_of[sid] for ei in back for sid in edges[ei][:2]}
    layers = _order_layers(layers, up, down, looping)

    # ---- x: start packed, then pull each node towards its neighbours' mean, a few sweeps
    def seps(layer: list[int]) -> list[float]:
        out_: list[float] = []
        for a, b in zip(layer, layer[1:]):
            real = nodes[a].step is not None and nodes[b].step is not None
            out_.append((nodes[a].w + nodes[b].w) / 2 + (BOX_GAP if real else DUMMY_GAP))
        return out_

    for layer in layers:
        packed = _place([0.0] * len(layer), seps(layer))
        for n, x in zip(layer, packed):
            nodes[n].x = x
    # the spine (from the first step, always towards the longest remaining path) is pulled straight
    reach = {sid: 0 for sid in ids}
    for sid in reversed(topo):
        for ei in out[sid]:
            if ei in chains:
                reach[sid] = max(reach[sid], reach[edges[ei][1]] + 1)
    weight: dict[tuple[int, int], float] = {}
    sid = ids[0]
    while True:
        fwd = [ei for ei in out[sid] if ei in chains]
        if not fwd:
            break
        ei = max(fwd, key=lambda e: (reach[edges[e][1]], -e))
        for p, q in zip(chains[ei], chains[ei][1:]):
            weight[(p, q)] = 1e4
        sid = edges[ei][1]
    for sweep in range(10):
        downward = sweep % 2 == 0
        for li in (range(1, n_layers) if downward else range(n_layers - 2, -1, -1)):
            layer = layers[li]
            want, pull = [], []
            for n in layer:
                nbrs = [(m, weight.get((m, n), 1.0)) for m in up[n]] if downward \
                    else [(m, weight.get((n, m), 1.0)) for m in down[n]]
                if any(w > 1 for _, w in nbrs):     # on the spine: follow the spine only
                    nbrs = [(m, w) for m, w in nbrs if w > 1]
                total = sum(w for _, w in nbrs)
                want.append(sum(nodes[m].x * w for m, w in nbrs) / total if nbrs else nodes[n].x)
                pull.append(max(total, 1.0) if nodes[n].step is not None else 2.0)
            for n, x, d, w in zip(layer, _place(want, seps(layer), pull), want, pull):
                nodes[n].x = d if w >= 1e4 and abs(x - d) < 0.5 else x     # keep the spine exactly straight

    # which side back edges use: the right side of a box with no other box to its right, else via a gap
    rightmost = {n for layer in layers for n in layer
                 if nodes[n].step is not None
                 and all(nodes[m].step is None for m in layer[layer.index(n) + 1:])}
    back_list = sorted(back)
    back_bottom: dict[int, float] = {}          # back edge → x of its bottom port on the source
    back_top: dict[int, float] = {}             # back edge → x of its top port on the target
    for ei in back_list:
        a, b, _ = edges[ei]
        if node_of[a] not in rightmost:
            back_bottom[ei] = _r(nodes[node_of[a]].x + BOX_W * 0.3)
        if node_of[b] not in rightmost:
            back_top[ei] = 0.0          # its x is set with the other ports on the target's top

    for node in nodes:              # from here on every x is on the 0.1 grid, so equal means aligned
        node.x = _r(node.x)

    # ---- ports: where forward edges leave and enter real boxes
    in_port: dict[int, float] = {}              # forward edge → x where it enters its target
    for sid in ids:
        n = node_of[sid]
        incoming = [ei for ei in chains if edges[ei][1] == sid]
        plain = [ei for ei in incoming if edges[ei][2] is None]
        labelled = sorted((ei for ei in incoming if edges[ei][2] is not None),
                          key=lambda ei: (nodes[chains[ei][-2]].x, ei))
        cx = nodes[n].x
        ports: list[tuple[float, list[int]]] = []
        if plain:      # unlabelled edges merge at the centre; labelled ones get ports of their own
            left_in = [ei for ei in labelled if nodes[chains[ei][-2]].x < cx]
            right_in = [ei for ei in labelled if ei not in left_in] + [ei for ei in back_top if edges[ei][1] == sid]
            ports.append((cx, plain))
            for i, ei in enumerate(left_in):
                ports.append((cx - BOX_W / 2 * (len(left_in) - i) / (len(left_in) + 1), [ei]))
            for i, ei in enumerate(right_in):
                ports.append((cx + BOX_W / 2 * (i + 1) / (len(right_in) + 1), [ei]))
        else:
            groups = [[ei] for ei in labelled] + [[ei] for ei in back_top if edges[ei][1] == sid]
            for gi, grp in enumerate(groups):
                ports.append((cx - BOX_W / 2 + BOX_W * (gi + 1) / (len(groups) + 1), grp))
        for px, grp in ports:
            for ei in grp:
                if ei in back:
                    back_top[ei] = _r(px)
                else:
                    in_port[ei] = _r(px)

    # ---- gaps: gap g lies above layer g (gap 0 above the first layer, gap n_layers below the last)
    spans: list[list[tuple[float, float, Any]]] = [[] for _ in range(n_layers + 1)]
    span_ref: list[list[tuple[str, int, int]]] = [[] for _ in range(n_layers + 1)]
    far = 1e9
    for ei, path in chains.items():
        for hop, (p, q) in enumerate(zip(path, path[1:])):
            xs = nodes[p].x
            xt = in_port[ei] if hop == len(path) - 2 else nodes[q].x
            if xs != xt:
                g = nodes[q].layer
                spans[g].append((min(xs, xt), max(xs, xt), ("out", p)))
                span_ref[g].append(("fwd", ei, hop))
    for ei in back_list:
        a, b, _ = edges[ei]
        if ei in back_bottom:
            g = layer_of[a] + 1
            spans[g].append((back_bottom[ei], far, ("back", ei)))
            span_ref[g].append(("bout", ei, 0))
        if ei in back_top:
            g = layer_of[b]
            spans[g].append((back_top[ei], far, ("back-in", ei)))
            span_ref[g].append(("bin", ei, 0))
    track_of: dict[tuple[str, int, int], int] = {}
    n_tracks = []
    for g in range(n_layers + 1):
        rows = _assign_rows(spans[g], 6.0)
        for ref, r in zip(span_ref[g], rows):
            track_of[ref] = r
        n_tracks.append(max(rows) + 1 if rows else 0)

    # forward edge labels sit on the last run into the target, in rows below the tracks
    label_info: dict[int, tuple[tuple[str, ...], float, float, float]] = {}   # ei → lines, w, h, x
    label_rows: list[list[int]] = [[] for _ in range(n_layers + 1)]
    runs: list[list[tuple[float, int]]] = [[] for _ in range(n_layers + 1)]   # vertical runs into each layer
    for ei, path in chains.items():
        for hop, q in enumerate(path[1:]):
            runs[nodes[q].layer].append((in_port[ei] if q == path[-1] else nodes[q].x, ei))
    for ei, px in back_top.items():
        runs[layer_of[edges[ei][1]]].append((px, -1 - ei))
    for ei in chains:
        when = edges[ei][2]
        if when:
            lines, w, h = _label_text(when)
            label_info[ei] = (lines, w, h, _label_x(in_port[ei], w, nodes[node_of[edges[ei][1]]].x,
                                                    [x for x, e in runs[layer_of[edges[ei][1]]] if e != ei]))
    label_row_of: dict[int, int] = {}
    label_row_h: list[list[float]] = [[] for _ in range(n_layers + 1)]
    for g in range(n_layers + 1):
        here = [ei for ei in label_info if layer_of[edges[ei][1]] == g]
        rows = _assign_rows([(label_info[ei][3], label_info[ei][3] + label_info[ei][1], ei) for ei in here], 4.0)
        label_rows[g] = here
        for ei, r in zip(here, rows):
            label_row_of[ei] = r
            while len(label_row_h[g]) <= r:
                label_row_h[g].append(0.0)
            label_row_h[g][r] = max(label_row_h[g][r], label_info[ei][2])

    return _XPhase(ids, edges, nodes, node_of, layers, layer_of, n_layers, chains, back, back_list, back_bottom,
                   back_top, in_port, track_of, n_tracks, label_info, label_row_of, label_row_h)


def _y_phase(xp: _XPhase, steps: list[FlowStep]) -> FlowLayout:
    """Heights, the vertical stacking, back-edge lanes and every polyline, on a cached horizontal layout."""
    ids, edges, node_of, layers, layer_of, n_layers = xp.ids, xp.edges, xp.node_of, xp.layers, xp.layer_of, \
        xp.n_layers
    chains, back, back_list, back_bottom, back_top = xp.chains, xp.back, xp.back_list, xp.back_bottom, xp.back_top
    in_port, track_of, n_tracks = xp.in_port, xp.track_of, xp.n_tracks
    label_info, label_row_of, label_row_h = xp.label_info, xp.label_row_of, xp.label_row_h
    by_id = {s.id: s for s in steps}
    number = {sid: i + 1 for i, sid in enumerate(ids)}
    texts = {sid: _box_text(by_id[sid]) for sid in ids}
    nodes = [_Node(n.layer, n.step, n.w, n.h, n.x, n.y) for n in xp.nodes]
    for sid in ids:
        nodes[node_of[sid]].h = texts[sid][2]

    # ---- y: stack start marker, gaps and layers
    layer_h = [max(nodes[n].h for n in layer if nodes[n].step is not None) for layer in layers]
    y = MARGIN + START_H
    gap_top: list[float] = []
    layer_top: list[float] = []
    for g in range(n_layers + 1):
        gap_top.append(y)
        h = STUB + max(0, n_tracks[g] - 1) * TRACK_SP
        if label_row_h[g]:
            h += 4 + sum(label_row_h[g]) + 4 * (len(label_row_h[g]) - 1)
        if g == n_layers and n_tracks[g] == 0:
            h = 0.0
        elif g == 0 and n_tracks[g] == 0:
            h = max(h, ARROW_ROOM + 4)
        else:
            h += ARROW_ROOM
        y += h
        if g < n_layers:
            layer_top.append(y)
            y += layer_h[g]
    height = y + MARGIN
    for n, node in enumerate(nodes):
        node.y = layer_top[node.layer] + (layer_h[node.layer] - node.h) / 2

    def track_y(g: int, t: int) -> float:
        return gap_top[g] + STUB + t * TRACK_SP

    # ---- back-edge attachments on right sides, then lanes
    side: dict[int, list[tuple[tuple[float, ...], int, str]]] = {}
    for ei in back_list:
        a, b, _ = edges[ei]
        na, nb = node_of[a], node_of[b]
        span = layer_of[a] - layer_of[b]
        if ei not in back_bottom:
            key = (0.0, span) if na != nb else (1.0, 0)
            side.setdefault(na, []).append((key, ei, "out"))
        if ei not in back_top:
            key = (2.0, -span) if na != nb else (1.0, 1)
            side.setdefault(nb, []).append((key, ei, "in"))
    side_y: dict[tuple[int, str], float] = {}
    for n, atts in side.items():
        atts.sort()
        for i, (_, ei, kind) in enumerate(atts):
            side_y[(ei, kind)] = nodes[n].y + nodes[n].h * (i + 1) / (len(atts) + 1)

    def back_ends(ei: int) -> tuple[float, float]:
        a, b, _ = edges[ei]
        y_out = (track_y(layer_of[a] + 1, track_of[("bout", ei, 0)]) if ei in back_bottom
                 else side_y[(ei, "out")])
        y_in = (track_y(layer_of[b], track_of[("bin", ei, 0)]) if ei in back_top
                else side_y[(ei, "in")])
        return y_out, y_in

    content_right = max([nodes[n].x + nodes[n].w / 2 for n in range(len(nodes))]
                        + [info[3] + info[1] for info in label_info.values()])
    content_left = min(nodes[n].x - nodes[n].w / 2 for n in range(len(nodes)))
    lane_x: dict[int, float] = {}
    lane_label: dict[int, tuple[tuple[str, ...], float, float]] = {}
    x = content_right + LANE_SP
    prev_half = 0.0
    for ei in sorted(back_list, key=lambda e: (abs(back_ends(e)[0] - back_ends(e)[1]), e)):
        half = 0.0
        if edges[ei][2]:
            lines, w, h = _label_text(edges[ei][2] or "")
            lane_label[ei] = (lines, w, h)
            half = w / 2
        x += max(prev_half + half + (LANE_SP if prev_half + half else 0), 0.0)
        lane_x[ei] = x
        prev_half = half
        x += LANE_SP
    width_right = (max(lane_x.values()) + prev_half if lane_x else content_right)

    # ---- polylines
    paths: list[FlowEdgePath] = []
    for ei, (a, b, when) in enumerate(edges):
        na, nb = node_of[a], node_of[b]
        label: EdgeLabel | None = None
        if ei in chains:
            path = chains[ei]
            pts = [(nodes[na].x, nodes[na].y + nodes[na].h)]
            for hop, (p, q) in enumerate(zip(path, path[1:])):
                xs = nodes[p].x
                xt = in_port[ei] if hop == len(path) - 2 else nodes[q].x
                if xs != xt:
                    ty = track_y(nodes[q].layer, track_of[("fwd", ei, hop)])
                    pts += [(xs, ty), (xt, ty)]
                if q != nb:
                    pts += [(xt, layer_top[nodes[q].layer] + layer_h[nodes[q].layer])]
            pts.append((in_port[ei], nodes[nb].y))
            if ei in label_info:
                lines, w, h, lx = label_info[ei]
                g = layer_of[b]
                ly = gap_top[g] + STUB + max(0, n_tracks[g] - 1) * TRACK_SP + 4
                ly += sum(label_row_h[g][:label_row_of[ei]]) + 4 * label_row_of[ei]
                label = EdgeLabel(lx, ly, w, h, lines)
        else:
            lx_ = lane_x[ei]
            y_out, y_in = back_ends(ei)
            if ei in back_bottom:
                bx = back_bottom[ei]
                pts = [(bx, nodes[na].y + nodes[na].h), (bx, y_out)]
            else:
                pts = [(nodes[na].x + BOX_W / 2, y_out)]
            pts += [(lx_, y_out), (lx_, y_in)]
            if ei in back_top:
                tx = back_top[ei]
                pts += [(tx, y_in), (tx, nodes[nb].y)]
            else:
                pts.append((nodes[nb].x + BOX_W / 2, y_in))
            if ei in lane_label:
                lines, w, h = lane_label[ei]
                label = EdgeLabel(lx_ - w / 2, (y_out + y_in) / 2 - h / 2, w, h, lines)
        paths.append(FlowEdgePath(a, b, when, tuple(_dedupe(pts)), label, ei in back))

    # ---- shift so that everything starts at the margin, round
    left = min([content_left] + [p.label.x for p in paths if p.label])
    dx = _r(MARGIN - left)
    width = width_right + dx + MARGIN
    first = nodes[node_of[ids[0]]]
    boxes = tuple(
        StepBox(sid, _r(nodes[node_of[sid]].x - BOX_W / 2 + dx), _r(nodes[node_of[sid]].y), BOX_W,
                _r(nodes[node_of[sid]].h), texts[sid][0], texts[sid][1],
                number[sid], sid == ids[0], by_id[sid].is_end)
        for sid in ids)
    edges_out = tuple(
        FlowEdgePath(p.source, p.target, p.when, tuple((_r(px + dx), _r(py)) for px, py in p.points),
                     EdgeLabel(_r(p.label.x + dx), _r(p.label.y), _r(p.label.w), _r(p.label.h), p.label.lines)
                     if p.label else None, p.back)
        for p in paths)
    start = Rect(_r(first.x + dx - START_W / 2), MARGIN, START_W, START_H)
    return FlowLayout(boxes, edges_out, _r(width), _r(height), start)


def _dedupe(pts: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop repeated points and the middle of three collinear ones."""
    out: list[tuple[float, float]] = []
    for p in pts:
        if out and abs(out[-1][0] - p[0]) < 0.05 and abs(out[-1][1] - p[1]) < 0.05:
            continue
        if len(out) >= 2:
            (x0, y0), (x1, y1) = out[-2], out[-1]
            if (abs(x0 - x1) < 0.05 and abs(x1 - p[0]) < 0.05) or (abs(y0 - y1) < 0.05 and abs(y1 - p[1]) < 0.05):
                out[-1] = p
                continue
        out.append(p)
    return out


def _r(v: float) -> float:
    return round(v, 1) + 0.0


# ------------------------------------------------------------------------------------------- SVG

INK = "#1a1a1a"
EDGE_INK = "#404040"
STEP_STROKE, STEP_FILL = "#1f4e79", "#ffffff"
START_FILL = "#e8f1fa"
END_STROKE, END_FILL = "#2e6b30", "#edf6eb"


def _text_lines(lines: Sequence[str], cx: float, top: float, size: float, cls: str, extra: str = "") -> list[str]:
    out = []
    for i, line in enumerate(lines):
        baseline = top + i * size * LINE + size * (LINE - 1) / 2 + size * 0.88
        out.append(f'<text class="{cls}" x="{num(cx)}" y="{num(baseline)}" font-size="{num(size)}" '
                   f'text-anchor="middle"{extra}>{esc(line)}</text>')
    return out


def render_flow_svg(steps: Sequence[FlowStep], *, title: str = "") -> str:
    """The flowchart as inline SVG markup (deterministic; all text escaped)."""
    steps = list(steps)
    lay = layout_flow(steps)
    pid = "plf-" + chart_id(title, tuple((st.id, st.name, st.actor, st.time_limit,
                                          tuple((e.to, e.when) for e in st.next)) for st in steps))
    title = clean_text(title) or "运行流程图"
    by_id: dict[str, FlowStep] = {}
    for st in steps:
        by_id.setdefault(st.id, st)
    ends = [clean_text(st.name) for st in by_id.values() if st.is_end]
    desc = f"共{len(lay.boxes)}个步骤"
    if steps:
        desc += f"，从“{clean_text(steps[0].name)}”开始"
    if ends:
        desc += "，至" + "、".join(f"“{name}”" for name in ends) + "结束"
    desc += "。各步骤的文字说明见图下列表。"
    w, h = lay.width, lay.height
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pl-flow" role="img" '
           f'aria-labelledby="{pid}-title {pid}-desc" viewBox="0 0 {num(w)} {num(h)}" width="100%" '
           f'style="max-width:{num(w)}px;height:auto" font-family="{FONT_FAMILY}">',
           f'<title id="{pid}-title">{esc(title)}</title>',
           f'<desc id="{pid}-desc">{esc(desc)}</desc>',
           f'<defs><marker id="{pid}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="9" '
           f'markerHeight="9" markerUnits="userSpaceOnUse" orient="auto">'
           f'<path d="M0,0 L10,5 L0,10 z" fill="{EDGE_INK}"/></marker></defs>']
    arrow = f' marker-end="url(#{pid}-arrow)"'
    if lay.start and lay.boxes:
        s, first = lay.start, lay.boxes[0]
        out.append(f'<g class="pl-start"><rect x="{num(s.x)}" y="{num(s.y)}" width="{num(s.w)}" '
                   f'height="{num(s.h)}" rx="{num(s.h / 2)}" fill="{START_FILL}" stroke="{STEP_STROKE}" '
                   f'stroke-width="1.5"/>')
        out += _text_lines(["开始"], s.cx, s.y + (s.h - SMALL * LINE) / 2, SMALL, "pl-start-text", f' fill="{INK}"')
        out.append(f'<path class="pl-edge" d="M{num(s.cx)},{num(s.bottom)} V{num(first.y)}" fill="none" '
                   f'stroke="{EDGE_INK}" stroke-width="1.5"{arrow}/></g>')
    for e in lay.edges:
        d = "M" + " L".join(f"{num(x)},{num(y)}" for x, y in e.points)
        cls = "pl-edge pl-edge-back" if e.back else "pl-edge"
        dash = ' stroke-dasharray="6 3"' if e.back else ""
        out.append(f'<path class="{cls}" d="{d}" fill="none" stroke="{EDGE_INK}" stroke-width="1.5"'
                   f' stroke-linejoin="round"{dash}{arrow}/>')
    for e in lay.edges:
        if e.label:
            lb = e.label
            out.append(f'<g class="pl-edge-label"><rect x="{num(lb.x)}" y="{num(lb.y)}" width="{num(lb.w)}" '
                       f'height="{num(lb.h)}" rx="3" fill="#ffffff" stroke="#8a8a8a" stroke-width="0.8"/>')
            out += _text_lines(lb.lines, lb.x + lb.w / 2, lb.y + LABEL_PAD, SMALL, "pl-edge-label-text",
                               f' fill="{INK}"')
            out.append("</g>")
    for b in lay.boxes:
        step = by_id[b.id]
        cls = "pl-step" + (" pl-step-start" if b.is_start else "") + (" pl-step-end" if b.is_end else "")
        tip = f"第{b.number}步 {clean_text(step.name)}"
        out.append(f'<g class="{cls}" data-step="{esc(b.id)}"><title>{esc(tip)}</title>')
        if b.is_end:
            out.append(f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.w)}" height="{num(b.h)}" rx="14" '
                       f'fill="{END_FILL}" stroke="{END_STROKE}" stroke-width="1.5"/>')
            out.append(f'<rect x="{num(b.x + 3)}" y="{num(b.y + 3)}" width="{num(b.w - 6)}" height="{num(b.h - 6)}" '
                       f'rx="11" fill="none" stroke="{END_STROKE}" stroke-width="1"/>')
        else:
            fill = START_FILL if b.is_start else STEP_FILL
            sw = "2.5" if b.is_start else "1.5"
            out.append(f'<rect x="{num(b.x)}" y="{num(b.y)}" width="{num(b.w)}" height="{num(b.h)}" rx="3" '
                       f'fill="{fill}" stroke="{STEP_STROKE}" stroke-width="{sw}"/>')
        text_h = len(b.lines) * FONT * LINE + (len(b.detail) * SMALL * LINE + 2 if b.detail else 0)
        top = b.y + (b.h - text_h) / 2
        out += _text_lines(b.lines, b.x + b.w / 2, top, FONT, "pl-step-name", f' fill="{INK}" font-weight="600"')
        out += _text_lines(b.detail, b.x + b.w / 2, top + len(b.lines) * FONT * LINE + 2, SMALL,
                           "pl-step-detail", ' fill="#404040"')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


# ------------------------------------------------------------------------------------------ text

def flow_text_steps(steps: Sequence[FlowStep]) -> list[dict[str, Any]]:
    """The flow as an ordered list (for screen readers and print). Values are plain text: the template
    escapes them. Each entry: number, id, name, actor, time_limit, is_start, is_end, next (a list of
    {number, id, name, when}) and next_text ("下一步：第3步 审查（材料齐全）" or "办结")."""
    steps = list(steps)
    number: dict[str, int] = {}
    for i, s in enumerate(steps):
        number.setdefault(s.id, i + 1)
    by_id = {s.id: s for s in reversed(steps)}
    out: list[dict[str, Any]] = []
    for i, s in enumerate(steps):
        nxt = [{"number": number[e.to], "id": e.to, "name": by_id[e.to].name, "when": e.when or None}
               for e in s.next if e.to in by_id]
        if s.is_end:
            text = "办结"
        else:
            text = "下一步：" + "；".join(
                f"第{n['number']}步 {n['name']}" + (f"（{n['when']}）" if n["when"] else "") for n in nxt)
        out.append({"number": i + 1, "id": s.id, "name": s.name, "actor": s.actor, "time_limit": s.time_limit,
                    "is_start": i == 0, "is_end": s.is_end, "next": nxt, "next_text": text})
    return out

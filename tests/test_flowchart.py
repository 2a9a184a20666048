"""Flowchart layout and SVG: geometry checked on the layout, markup checked on the SVG."""
from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from typing import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from powerlist.model.records import FlowEdge, FlowStep
from powerlist.svg.flowchart import BOX_W, FlowLayout, Rect, flow_text_steps, layout_flow, render_flow_svg
from powerlist.svg.text import text_em, wrap_text

SVG = "{http://www.w3.org/2000/svg}"


def step(id: str, name: str, *nxt: str | tuple[str, str], actor: str | None = None,
         time_limit: str | None = None) -> FlowStep:
    edges = tuple(FlowEdge(n) if isinstance(n, str) else FlowEdge(n[0], n[1]) for n in nxt)
    return FlowStep(id=id, name=name, actor=actor, time_limit=time_limit, next=edges)


LINEAR = [
    step("apply", "申请", "accept", actor="申请人"),
    step("accept", "受理", "review", actor="政务服务窗口", time_limit="1个工作日"),
    step("review", "审查", "decide", actor="行政审批科", time_limit="10个工作日"),
    step("decide", "决定", "deliver", actor="分管负责人"),
    step("deliver", "送达"),
]
SUPPLEMENT = [
    step("accept", "受理", "review"),
    step("review", "审查", ("decide", "材料齐全"), ("supplement", "需补正")),
    step("supplement", "一次性告知补正材料", "review"),
    step("decide", "作出决定"),
]
REJECT = [
    step("accept", "受理", "review", ("reject", "不符合受理条件")),
    step("reject", "不予受理并告知理由"),
    step("review", "审查", ("approve", "符合法定条件"), ("deny", "不符合法定条件")),
    step("approve", "准予许可，制发证件"),
    step("deny", "作出不予许可决定，说明理由并告知申请人享有依法申请行政复议或者提起行政诉讼的权利"),
]
TWELVE = [
    step("apply", "网上申请或窗口申请", "accept", actor="申请人"),
    step("accept", "受理", ("check", "材料齐全"), ("fix", "需补正"), ("refuse", "不属于本机关职权"),
         actor="政务服务中心窗口", time_limit="即时"),
    step("fix", "一次性告知需补正的全部内容", "accept", time_limit="5个工作日"),
    step("refuse", "出具不予受理通知书"),
    step("check", "材料审查", "site"),
    step("site", "现场核查", ("expert", "需要专家评审"), ("decide", "核查合格"), ("deny", "核查不合格")),
    step("expert", "组织专家评审", "decide", time_limit="20个工作日（不计入办理时限）"),
    step("decide", "审核决定", ("publicize", "涉及公共利益"), ("issue", "准予许可")),
    step("publicize", "公示", "issue", time_limit="7日"),
    step("issue", "制证", "deliver"),
    step("deliver", "送达并归档"),
    step("deny", "不予许可，告知复议和诉讼权利"),
]
SAMPLES = {"linear": LINEAR, "supplement": SUPPLEMENT, "reject": REJECT, "twelve": TWELVE}


def check_geometry(lay: FlowLayout, steps: Sequence[FlowStep]) -> None:
    boxes = {b.id: b for b in lay.boxes}
    assert set(boxes) == {s.id for s in steps}
    for a, b in itertools.combinations(lay.boxes, 2):
        assert not a.rect.overlaps(b.rect), f"boxes {a.id} and {b.id} overlap"
    labels = [e.label for e in lay.edges if e.label]
    for lb in labels:
        for b in lay.boxes:
            assert not lb.rect.overlaps(b.rect), f"label {lb.lines} overlaps box {b.id}"
    for l1, l2 in itertools.combinations(labels, 2):
        assert not l1.rect.overlaps(l2.rect), f"labels {l1.lines} and {l2.lines} overlap"
    if lay.start:
        for b in lay.boxes:
            assert not lay.start.overlaps(b.rect)
    for e in lay.edges:
        assert e.points[0] != e.points[-1] or e.source == e.target
        assert boxes[e.source].rect.on_border(e.points[0]), f"{e.source}→{e.target} does not start on its box"
        assert boxes[e.target].rect.on_border(e.points[-1]), f"{e.source}→{e.target} does not end on its box"
        for (x0, y0), (x1, y1) in zip(e.points, e.points[1:]):
            assert x0 == x1 or y0 == y1, "edges are orthogonal"
        if e.label:     # the label sits on its edge
            assert any(_segment_hits(p, q, e.label.rect) for p, q in zip(e.points, e.points[1:]))
        if not e.back:  # forward edges never run through a box other than their own ends
            for b in lay.boxes:
                if b.id not in (e.source, e.target):
                    for p, q in zip(e.points, e.points[1:]):
                        assert not _segment_hits(p, q, b.rect), f"{e.source}→{e.target} crosses {b.id}"
    xs = [v for b in lay.boxes for v in (b.x, b.x + b.w)] + [x for e in lay.edges for x, _ in e.points]
    ys = [v for b in lay.boxes for v in (b.y, b.y + b.h)] + [y for e in lay.edges for _, y in e.points]
    xs += [v for lb in labels for v in (lb.x, lb.x + lb.w)]
    ys += [v for lb in labels for v in (lb.y, lb.y + lb.h)]
    assert min(xs) >= 0 and max(xs) <= lay.width
    assert min(ys) >= 0 and max(ys) <= lay.height


def _segment_hits(p: tuple[float, float], q: tuple[float, float], r: Rect) -> bool:
    """Does the axis-parallel segment p–q pass through the interior of rectangle r?"""
    (x0, y0), (x1, y1) = p, q
    if x0 == x1:
        return r.x < x0 < r.right and min(y0, y1) < r.bottom and r.y < max(y0, y1)
    return r.y < y0 < r.bottom and min(x0, x1) < r.right and r.x < max(x0, x1)


def test_segment_hits_helper() -> None:
    r = Rect(10, 10, 20, 20)
    assert _segment_hits((0, 15), (40, 15), r) and _segment_hits((15, 0), (15, 12), r)
    assert not _segment_hits((0, 10), (40, 10), r) and not _segment_hits((5, 0), (5, 40), r)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_flows_have_clean_geometry(name: str) -> None:
    check_geometry(layout_flow(SAMPLES[name]), SAMPLES[name])


def test_linear_flow_is_one_straight_column() -> None:
    lay = layout_flow(LINEAR)
    assert len({b.x for b in lay.boxes}) == 1
    ys = [b.y for b in lay.boxes]
    assert ys == sorted(ys)
    assert all(len(e.points) == 2 for e in lay.edges)


def test_branches_are_side_by_side_and_cycle_is_a_back_edge() -> None:
    lay = layout_flow(SUPPLEMENT)
    decide, supplement, review = lay.box("decide"), lay.box("supplement"), lay.box("review")
    assert decide.y == supplement.y > review.y
    back = [e for e in lay.edges if e.back]
    assert [(e.source, e.target) for e in back] == [("supplement", "review")]
    # routed around the right: it leaves the content area to the right of every box
    assert max(x for x, _ in back[0].points) > max(b.x + b.w for b in lay.boxes)


def test_end_and_start_steps_are_marked() -> None:
    lay = layout_flow(REJECT)
    assert [b.id for b in lay.boxes if b.is_end] == ["reject", "approve", "deny"]
    assert [b.id for b in lay.boxes if b.is_start] == ["accept"]
    svg = render_flow_svg(REJECT, title="流程")
    assert svg.count('class="pl-step pl-step-end"') == 3
    assert svg.count('class="pl-step pl-step-start"') == 1
    assert lay.start is not None and lay.start.bottom <= lay.box("accept").y


def test_single_step_and_self_loop() -> None:
    one = [step("only", "即时办结")]
    lay = layout_flow(one)
    assert len(lay.boxes) == 1 and lay.edges == ()
    loop = [step("a", "受理", ("a", "重新提交"), "b"), step("b", "办结")]
    lay = layout_flow(loop)
    check_geometry(lay, loop)
    assert any(e.back and e.source == e.target == "a" for e in lay.edges)
    assert layout_flow([]).boxes == ()


def test_cjk_text_is_wrapped_to_the_box() -> None:
    box = layout_flow(REJECT).box("deny")
    assert len(box.lines) >= 4
    assert "".join(box.lines) == REJECT[-1].name
    for line in box.lines:
        assert text_em(line) * 14 <= BOX_W - 20
    tall, short = layout_flow(REJECT).box("deny"), layout_flow(REJECT).box("approve")
    assert tall.h > short.h


def test_wrap_text_rules() -> None:
    assert wrap_text("作出不予许可决定，说明理由", 8) == ["作出不予许可决", "定，说明理由"]
    assert wrap_text("依据《行政》", 3) == ["依据", "《行", "政》"]
    assert wrap_text("ISO 9001 certificate", 6) == ["ISO 9001", "certificat", "e"]
    assert wrap_text("第 1 步", 5) == ["第 1 步"]
    assert wrap_text("  ", 5) == [""]


def test_svg_is_accessible_and_well_formed() -> None:
    svg = render_flow_svg(TWELVE, title="某某许可运行流程图")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("class") == "pl-flow"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "某某许可运行流程图"
    assert title.get("id") in (root.get("aria-labelledby") or "").split()
    w, h = root.get("viewBox", "").split()[2:]
    lay = layout_flow(TWELVE)
    assert (float(w), float(h)) == (lay.width, lay.height)
    assert root.get("width") == "100%"
    marker = root.find(f"{SVG}defs/{SVG}marker")
    assert marker is not None
    assert f"url(#{marker.get('id')})" in svg
    assert len(root.findall(f".//{SVG}g[@class='pl-edge-label']")) == sum(1 for e in lay.edges if e.label)
    assert all(re.fullmatch(r"-?\d+(\.\d)?", v) for v in re.findall(r'(?<=")(-?[\d.]+)(?=")', svg))


def test_marker_ids_are_unique_per_chart_and_deterministic() -> None:
    a1 = render_flow_svg(SUPPLEMENT, title="甲")
    a2 = render_flow_svg(list(SUPPLEMENT), title="甲")
    b = render_flow_svg(SUPPLEMENT, title="乙")
    c = render_flow_svg(REJECT, title="甲")
    assert a1 == a2
    ids = [re.search(r'<marker id="([^"]+)"', s).group(1) for s in (a1, b, c)]  # type: ignore[union-attr]
    assert len(set(ids)) == 3


def test_text_from_yaml_is_escaped() -> None:
    nasty = [step("a", "<script>alert(1)</script>", ("b", '"]]><b x="1">&amp;')),
             step("b", "办结 & 归档\x07", actor="<img src=x onerror=alert(1)>")]
    svg = render_flow_svg(nasty, title="</title><script>")
    root = ET.fromstring(svg)          # still well-formed XML
    assert "<script" not in svg and "<img" not in svg and "<b " not in svg
    texts = "".join(root.itertext())
    assert "<script>alert(1)</script>" in texts
    assert '"]]><bx="1">&amp;' in "".join(texts.split())
    assert "</title><script>" in root.find(f"{SVG}title").text  # type: ignore[union-attr,operator]


def test_flow_text_steps() -> None:
    rows = flow_text_steps(SUPPLEMENT)
    assert [r["number"] for r in rows] == [1, 2, 3, 4]
    assert rows[0]["is_start"] and not rows[1]["is_start"]
    assert rows[0]["next_text"] == "下一步：第2步 审查"
    assert rows[1]["next_text"] == "下一步：第4步 作出决定（材料齐全）；第3步 一次性告知补正材料（需补正）"
    assert rows[2]["next_text"] == "下一步：第2步 审查"
    assert rows[3]["next_text"] == "办结" and rows[3]["is_end"]
    lin = flow_text_steps(LINEAR)
    assert lin[1]["actor"] == "政务服务窗口" and lin[1]["time_limit"] == "1个工作日"


# ------------------------------------------------------------------ random flows

TEXT = st.text(alphabet="受理审查决定送达补正材料齐全不予许可，。（）《》ABCxyz 0123<>&\"'", min_size=1, max_size=40)


@st.composite
def flows(draw: st.DrawFn) -> list[FlowStep]:
    n = draw(st.integers(1, 15))
    ids = [f"s{i}" for i in range(n)]
    targets: list[list[tuple[str, str | None]]] = [[] for _ in range(n)]
    for i in range(1, n):                       # a spanning tree: every step reachable from the first
        parent = draw(st.integers(0, i - 1))
        targets[parent].append((ids[i], None))
    end = draw(st.sampled_from([i for i in range(n) if not targets[i]]))
    for _ in range(draw(st.integers(0, n))):    # extra edges: forward, backward, self loops
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != end and all(t != ids[b] for t, _ in targets[a]):
            targets[a].append((ids[b], None))
    steps = []
    for i in range(n):
        nxt = tuple(FlowEdge(t, draw(st.one_of(st.none(), TEXT)) if len(targets[i]) > 1 or
                             draw(st.booleans()) else None) for t, _ in targets[i])
        steps.append(FlowStep(ids[i], draw(TEXT), draw(st.one_of(st.none(), TEXT)),
                              draw(st.one_of(st.none(), TEXT)), nxt))
    return steps


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows())
def test_random_flows_never_overlap(steps: list[FlowStep]) -> None:
    check_geometry(layout_flow(steps), steps)
    svg = render_flow_svg(steps, title="随机")
    ET.fromstring(svg)
    assert svg == render_flow_svg(list(steps), title="随机")


def test_sample_data_flows() -> None:
    """Every flow in the repository's sample data lays out cleanly (the loader guarantees valid flows)."""
    load = pytest.importorskip("powerlist.source.load")
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    if not (root / "items").is_dir():
        pytest.skip("no sample data")
    catalog = load.load_catalog(root)
    flows_seen = 0
    for item in catalog.items.values():
        if item.flow:
            flows_seen += 1
            check_geometry(layout_flow(item.flow), item.flow)
            ET.fromstring(render_flow_svg(item.flow, title=item.name))
    assert flows_seen > 0


def test_layouts_are_shared_by_shape_but_keep_their_own_text() -> None:
    """Two flows of the same shape share one horizontal layout; each keeps its own step text and heights, and
    the result equals a layout computed afresh."""
    import powerlist.svg.flowchart as fc

    other = [step(s.id, s.name.replace("申请", "提出申请").replace("审查", "对申请材料的实质内容进行全面审查"), *[(e.to, e.when) if e.when else e.to
                                                                             for e in s.next],
                  actor=s.actor, time_limit=s.time_limit) for s in LINEAR]
    fc._X_PHASES.clear()
    a, b = layout_flow(LINEAR), layout_flow(other)
    assert len(fc._X_PHASES) == 1
    assert [bx.lines for bx in b.boxes] != [bx.lines for bx in a.boxes]
    assert [bx.x for bx in b.boxes] == [bx.x for bx in a.boxes]
    assert [bx.h for bx in b.boxes] != [bx.h for bx in a.boxes]
    assert b == fc._layout(other) and a == fc._layout(LINEAR)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flows())
def test_cached_layout_equals_fresh_layout(steps: list[FlowStep]) -> None:
    layout_flow(steps)
    unique = list({s.id: s for s in reversed(steps)}.values())[::-1]
    assert layout_flow(steps) == (fc_layout(unique) if unique else layout_flow(steps))


def fc_layout(steps: list[FlowStep]) -> FlowLayout:
    from powerlist.svg.flowchart import _layout
    return _layout(steps)


# ---- bounded work (issue 12): the crossing count is O(E log E), and a flow at the validator's limits lays out

def _crossings_by_pairs(layers: list[list[int]], down: dict[int, list[int]]) -> int:
    """The definition: pairs of edges between two layers whose ends are in opposite orders."""
    total = 0
    for upper, lower in zip(layers, layers[1:]):
        pos = {n: i for i, n in enumerate(lower)}
        pairs = [(i, pos[m]) for i, n in enumerate(upper) for m in down[n]]
        total += sum(1 for (a0, a1), (b0, b1) in itertools.combinations(pairs, 2) if (a0 - b0) * (a1 - b1) < 0)
    return total


@st.composite
def layered(draw: st.DrawFn) -> tuple[list[list[int]], dict[int, list[int]]]:
    layers: list[list[int]] = []
    n = 0
    for _ in range(draw(st.integers(1, 5))):
        width = draw(st.integers(1, 6))
        layers.append(list(range(n, n + width)))
        n += width
    down: dict[int, list[int]] = {m: [] for layer in layers for m in layer}
    for upper, lower in zip(layers, layers[1:]):
        for m in upper:
            down[m] = draw(st.lists(st.sampled_from(lower), max_size=4))    # repeats: parallel edges
    return layers, down


@settings(max_examples=300, deadline=None)
@given(layered())
def test_crossing_count_equals_the_definition(case: tuple[list[list[int]], dict[int, list[int]]]) -> None:
    from powerlist.svg.flowchart import _crossings
    layers, down = case
    assert _crossings(layers, down) == _crossings_by_pairs(layers, down)


def test_a_flow_at_the_validators_limits_lays_out_cleanly() -> None:
    """60 steps, 6 branches from the first steps, 120 branches in all, labelled: the densest flow validate accepts
    (timings are measured in scripts/, not here: this checks the result)."""
    from powerlist.model.spec import FLOW_MAX_EDGES, FLOW_MAX_NEXT, FLOW_MAX_STEPS
    n = FLOW_MAX_STEPS
    ids = [f"s{i}" for i in range(n)]
    budget = FLOW_MAX_EDGES - (n - 1)
    steps = []
    for i in range(n):
        targets = [i + 1] if i + 1 < n else []
        for j in (n - 1 - i % 7, i // 2, (i * 7) % n, 0, n - 2):
            if budget and i + 1 < n and len(targets) < FLOW_MAX_NEXT and j != i and j not in targets:
                targets.append(j)
                budget -= 1
        steps.append(FlowStep(ids[i], f"步骤{i}", next=tuple(FlowEdge(ids[j], f"条件{j}") for j in targets)))
    assert sum(len(s.next) for s in steps) == FLOW_MAX_EDGES
    check_geometry(layout_flow(steps), steps)
    ET.fromstring(render_flow_svg(steps, title="上限"))

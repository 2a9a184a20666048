"""Statistics charts: accessible, escaped, deterministic SVG whose bars match the numbers."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from powerlist.svg.charts import PALETTE, WIDTH, bar_chart_svg, stacked_bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"
CATS = ["行政许可", "行政处罚", "行政检查"]
ROWS = [("潍坊市市场监督管理局", [12, 3, 0]), ("潍坊市生态环境局", [0, 40, 5]), ("空部门", [0, 0, 0])]


def bars(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f".//{SVG}rect[@class='pl-bar']")


def test_bar_chart_lengths_are_proportional_and_values_printed() -> None:
    svg = bar_chart_svg([("保留", 120), ("取消", 30), ("下放", 0)], title="按状态")
    root = ET.fromstring(svg)
    widths = [float(r.get("width", "")) for r in bars(svg)]
    assert widths[0] > 0 and abs(widths[1] - widths[0] / 4) < 0.2 and widths[2] == 0
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pl-chart-value"]
    assert values == ["120", "30", "0"]
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pl-chart-label"]
    assert labels == ["保留", "取消", "下放"]
    for r in bars(svg):                                   # everything fits in the viewBox
        assert float(r.get("x", "")) + float(r.get("width", "")) <= WIDTH


def test_charts_are_accessible() -> None:
    for svg in (bar_chart_svg([("保留", 1)], title="按状态"),
                stacked_bar_chart_svg(ROWS, CATS, title="按部门和类别")):
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("width") == "100%"
        assert root.get("viewBox", "").startswith(f"0 0 {WIDTH:g} ")
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert title is not None and desc is not None and title.text in ("按状态", "按部门和类别")
        assert (root.get("aria-labelledby") or "").split() == [title.get("id"), desc.get("id")]


def test_desc_carries_the_data_as_text() -> None:
    svg = stacked_bar_chart_svg(ROWS, CATS, title="t")
    desc = ET.fromstring(svg).find(f"{SVG}desc")
    assert desc is not None
    assert desc.text == ("潍坊市市场监督管理局：共15（行政许可12，行政处罚3）；"
                         "潍坊市生态环境局：共45（行政处罚40，行政检查5）；空部门：共0")


def test_stacked_segments_and_legend() -> None:
    svg = stacked_bar_chart_svg(ROWS, CATS, title="t")
    root = ET.fromstring(svg)
    segs = bars(svg)
    assert len(segs) == 4                                  # zero segments are not drawn
    assert [s.get("fill") for s in segs] == [PALETTE[0], PALETTE[1], PALETTE[1], PALETTE[2]]
    w = [float(s.get("width", "")) for s in segs]
    assert abs((w[0] + w[1]) / (w[2] + w[3]) - 15 / 45) < 0.01
    legend = [t.text for g in root.iter(f"{SVG}g") if g.get("class") == "pl-legend-item"
              for t in g.iter(f"{SVG}text")]
    assert legend == CATS
    totals = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "pl-chart-value"]
    assert totals == ["15", "45", "0"]


def test_escaping_and_empty_input() -> None:
    svg = bar_chart_svg([("<script>alert(1)</script>", 3), ('"]]>&', 1)], title="<b>统计</b>")
    root = ET.fromstring(svg)
    assert "<script" not in svg and "<b>" not in svg
    assert "<script>alert(1)</script>" in "".join(root.itertext()).replace("\n", "")
    assert root.find(f"{SVG}title").text == "<b>统计</b>"  # type: ignore[union-attr]
    s2 = stacked_bar_chart_svg([("<x>", [1])], ["<y>"], title="&")
    assert "<x>" not in s2 and "<y>" not in s2
    ET.fromstring(s2)
    for empty in (bar_chart_svg([], title="空"), stacked_bar_chart_svg([], CATS, title="空")):
        assert "暂无数据" in empty
        ET.fromstring(empty)


def test_deterministic_and_ids_differ_between_charts() -> None:
    a = stacked_bar_chart_svg(ROWS, CATS, title="t")
    assert a == stacked_bar_chart_svg([(d, tuple(v)) for d, v in ROWS], tuple(CATS), title="t")
    b = stacked_bar_chart_svg(ROWS[:1], CATS, title="t")
    ida = re.search(r'<title id="([^"]+)"', a).group(1)  # type: ignore[union-attr]
    idb = re.search(r'<title id="([^"]+)"', b).group(1)  # type: ignore[union-attr]
    assert ida != idb
    assert all(re.fullmatch(r"-?\d+(\.\d)?", v) for v in re.findall(r' (?:x|y|width|height)="([^"%]+)"', a))


def test_long_labels_wrap_and_rows_grow() -> None:
    svg = bar_chart_svg([("潍坊市行政审批服务局（市政务服务管理办公室）", 5), ("短", 5)], title="t")
    labels = [t for t in ET.fromstring(svg).iter(f"{SVG}text") if t.get("class") == "pl-chart-label"]
    assert len(labels) == 4
    assert "".join(t.text or "" for t in labels) == "潍坊市行政审批服务局（市政务服务管理办公室）短"

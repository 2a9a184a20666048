"""Static SVG bar charts for the statistics page (no JavaScript).

Both charts are horizontal (long Chinese labels stay readable on a phone), print every value, carry a
``<title>`` and a ``<desc>`` holding the data as text, and scale with their viewBox. The page shows the same
numbers as a table; these functions only draw.
"""
from __future__ import annotations

from typing import Sequence

from .markup import FONT_FAMILY, chart_id, esc, num
from .text import LINE, clean_text, text_em, wrap_text

WIDTH = 480.0           # viewBox width: at 360 px on a phone, 13 px text shows at about 10 px
FONT = 13.0
MARGIN = 8.0
LABEL_MAX_EM = 10.0
BAR_H = 16.0
ROW_GAP = 8.0
INK = "#1a1a1a"
BAR = "#1f4e79"
#: distinct in colour and in lightness (so that a grey print still separates neighbours)
PALETTE = ("#1f4e79", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c564b", "#d55e00", "#7f7f7f",
           "#f0e442", "#0b6e4f", "#9467bd", "#17becf")


def _text_on(colour: str) -> str:
    """Black or white, whichever reads better on ``colour``."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lum = 0.2126 * r ** 2.2 + 0.7152 * g ** 2.2 + 0.0722 * b ** 2.2
    return INK if lum > 0.25 else "#ffffff"


def _open(pid: str, title: str, desc: str, height: float) -> list[str]:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="pl-chart" role="img" '
            f'aria-labelledby="{pid}-title {pid}-desc" viewBox="0 0 {num(WIDTH)} {num(height)}" width="100%" '
            f'style="max-width:{num(WIDTH * 4 / 3)}px;height:auto" font-family="{FONT_FAMILY}" '
            f'font-size="{num(FONT)}">',
            f'<title id="{pid}-title">{esc(title)}</title>',
            f'<desc id="{pid}-desc">{esc(desc)}</desc>']


def _label_column(labels: Sequence[str]) -> tuple[list[list[str]], float]:
    wrapped = [wrap_text(label, LABEL_MAX_EM) for label in labels]
    width = max((text_em(line) for lines in wrapped for line in lines), default=0.0) * FONT
    return wrapped, width


def _row_heights(wrapped: list[list[str]]) -> list[float]:
    return [max(BAR_H, len(lines) * FONT * LINE) + ROW_GAP for lines in wrapped]


def _label(lines: list[str], x: float, cy: float) -> list[str]:
    top = cy - len(lines) * FONT * LINE / 2
    return [f'<text class="pl-chart-label" x="{num(x)}" y="{num(top + (i + 0.5) * FONT * LINE + FONT * 0.35)}" '
            f'text-anchor="end" fill="{INK}">{esc(line)}</text>' for i, line in enumerate(lines)]


def _value(v: int, x: float, cy: float, anchor: str = "start", fill: str = INK, cls: str = "pl-chart-value") -> str:
    return (f'<text class="{cls}" x="{num(x)}" y="{num(cy + FONT * 0.35)}" text-anchor="{anchor}" '
            f'fill="{fill}">{v}</text>')


def _empty(pid: str, title: str) -> str:
    h = 2 * MARGIN + FONT * LINE
    return "\n".join(_open(pid, title, "暂无数据", h) + [
        f'<text x="{num(WIDTH / 2)}" y="{num(MARGIN + FONT)}" text-anchor="middle" fill="{INK}">暂无数据</text>',
        "</svg>"])


def bar_chart_svg(rows: Sequence[tuple[str, int]], *, title: str) -> str:
    """Horizontal bars, one per (label, value) row, in the given order, each value printed."""
    rows = [(clean_text(label), max(0, int(v))) for label, v in rows]
    title = clean_text(title)
    pid = "plc-" + chart_id("bar", title, tuple(rows))
    if not rows:
        return _empty(pid, title)
    wrapped, label_w = _label_column([label for label, _ in rows])
    top_v = max(v for _, v in rows)
    value_w = text_em(str(top_v)) * FONT + 6
    x0 = MARGIN + label_w + 8
    span = WIDTH - x0 - value_w - MARGIN
    heights = _row_heights(wrapped)
    height = MARGIN * 2 + sum(heights)
    desc = "；".join(f"{label}：{v}" for label, v in rows)
    out = _open(pid, title, desc, height)
    y = MARGIN
    for (label, v), lines, rh in zip(rows, wrapped, heights):
        cy = y + rh / 2
        w = span * v / top_v if top_v else 0.0
        out.append(f'<g class="pl-chart-row"><title>{esc(label)}：{v}</title>')
        out += _label(lines, x0 - 8, cy)
        out.append(f'<rect class="pl-bar" x="{num(x0)}" y="{num(cy - BAR_H / 2)}" width="{num(w)}" '
                   f'height="{num(BAR_H)}" fill="{BAR}"/>')
        out.append(_value(v, x0 + w + 4, cy))
        out.append("</g>")
        y += rh
    out.append(f'<path class="pl-chart-axis" d="M{num(x0)},{num(MARGIN)} V{num(height - MARGIN)}" '
               f'stroke="{INK}" stroke-width="1"/>')
    out.append("</svg>")
    return "\n".join(out)


def stacked_bar_chart_svg(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[str], *,
                          title: str) -> str:
    """Horizontal stacked bars: one bar per row, one segment per series (in ``series`` order), with a
    legend on top. Segment values are printed inside when they fit, totals at the bar's end."""
    names = [clean_text(s) for s in series]
    data = [(clean_text(label), [max(0, int(v)) for v in list(values)[:len(names)]]
             + [0] * (len(names) - len(values))) for label, values in rows]
    title = clean_text(title)
    pid = "plc-" + chart_id("stacked", title, tuple(names), tuple((label, tuple(v)) for label, v in data))
    if not data:
        return _empty(pid, title)
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(names))]

    # legend: swatch + name, wrapped onto as many lines as needed
    legend: list[str] = []
    lx, ly = MARGIN, MARGIN
    for i, (name, colour) in enumerate(zip(names, colours)):
        w = 12 + 4 + text_em(name) * FONT + 14
        if lx > MARGIN and lx + w > WIDTH - MARGIN:
            lx, ly = MARGIN, ly + FONT * LINE + 4
        legend.append(f'<g class="pl-legend-item"><rect x="{num(lx)}" y="{num(ly + 2)}" width="12" height="12" '
                      f'fill="{colour}" stroke="#ffffff" stroke-width="0.5"/>'
                      f'<text x="{num(lx + 16)}" y="{num(ly + 12)}" fill="{INK}">{esc(name)}</text></g>')
        lx += w
    legend_h = (ly - MARGIN) + FONT * LINE + 10 if names else 0.0

    wrapped, label_w = _label_column([label for label, _ in data])
    totals = [sum(v) for _, v in data]
    top_v = max(totals)
    value_w = text_em(str(top_v)) * FONT + 6
    x0 = MARGIN + label_w + 8
    span = WIDTH - x0 - value_w - MARGIN
    heights = _row_heights(wrapped)
    height = MARGIN * 2 + legend_h + sum(heights)
    desc = "；".join(
        f"{label}：共{total}" + ("（" + "，".join(f"{n}{v}" for n, v in zip(names, values) if v) + "）" if total else "")
        for (label, values), total in zip(data, totals))
    out = _open(pid, title, desc, height)
    out.append('<g class="pl-legend">')
    out += legend
    out.append("</g>")
    y = MARGIN + legend_h
    for (label, values), total, lines, rh in zip(data, totals, wrapped, heights):
        cy = y + rh / 2
        out.append('<g class="pl-chart-row">')
        out += _label(lines, x0 - 8, cy)
        x = x0
        for name, v, colour in zip(names, values, colours):
            if not v:
                continue
            w = span * v / top_v
            out.append(f'<rect class="pl-bar" x="{num(x)}" y="{num(cy - BAR_H / 2)}" width="{num(w)}" '
                       f'height="{num(BAR_H)}" fill="{colour}" stroke="#ffffff" stroke-width="0.75">'
                       f'<title>{esc(label)} · {esc(name)}：{v}</title></rect>')
            if text_em(str(v)) * FONT + 4 <= w:
                out.append(_value(v, x + w / 2, cy, "middle", _text_on(colour), "pl-chart-segment-value"))
            x += w
        out.append(_value(total, x + 4, cy))
        out.append("</g>")
        y += rh
    out.append(f'<path class="pl-chart-axis" d="M{num(x0)},{num(MARGIN + legend_h)} V{num(height - MARGIN)}" '
               f'stroke="{INK}" stroke-width="1"/>')
    out.append("</svg>")
    return "\n".join(out)

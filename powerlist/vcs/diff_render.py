"""The semantic diff as text: for the terminal, for a pull-request comment (Markdown) and as JSON
(``powerlist diff --format``)."""
from __future__ import annotations

import json

from .diff import CatalogDiff, CountRow, ItemDelta, department_totals, reduction_ratio

def _decision_text(d: ItemDelta) -> str:
    if not d.decision:
        return ""
    dec = d.decision
    parts = [str(dec.get("document", ""))]
    if dec.get("date"):
        parts.append(str(dec["date"]))
    s = "，".join(p for p in parts if p)
    if d.decision_to:
        s += f"，去向 {d.decision_to}"
    return s


def _status_details(d: ItemDelta) -> list[str]:
    """The field changes of a status change, minus what its headline already says."""
    return [c for c in d.changes if not c.startswith(("状态：", "调整依据：新增"))]


def _headline(d: CatalogDiff) -> list[str]:
    trans = "，".join(f"{k} {v} 项" for k, v in d.transitions.items())
    return [f"保留事项：{d.summary}",
            f"新增 {len(d.added)} 项 · 删除 {len(d.removed)} 项 · 状态变化 {len(d.status_changes)} 项"
            + (f"（{trans}）" if trans else "") + f" · 内容修改 {len(d.modified)} 项"]


def render_text(d: CatalogDiff) -> str:
    out = [f"powerlist diff：{d.old_label} → {d.new_label}", *_headline(d), ""]
    if d.empty:
        out += ["两个版本的清单内容相同。", ""]
    for s in d.sections:
        if s.empty:
            continue
        out.append(f"== {s.name}（{s.id}） ==")
        for x in s.added:
            out.append(f"  + 新增  {x.code} {x.name} [{x.new_status}]")
        for x in s.removed:
            out.append(f"  - 删除  {x.code} {x.name} [{x.old_status}]")
        for x in s.status_changes:
            dec = _decision_text(x)
            out.append(f"  * 状态  {x.code} {x.name}：{x.old_status} → {x.new_status}" + (f"（{dec}）" if dec else ""))
            out += [f"          · {c}" for c in _status_details(x)]
        for x in s.modified:
            out.append(f"  ~ 修改  {x.code} {x.name}")
            out += [f"          · {c}" for c in x.changes]
        out.append("")
    for o in d.others:
        label = "部门" if o.kind == "department" else "法律依据"
        out.append(f"{label}{o.action}：{o.name}（{o.id}）" + ("：" + "；".join(o.changes) if o.changes else ""))
    if d.others:
        out.append("")
    out += ["按部门和类别统计（保留事项）：", _text_table(d.counts), ""]
    return "\n".join(out)


def _width(s: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in s)


def _text_table(counts: list[CountRow]) -> str:
    rows: list[tuple[str, str, str, str, str]] = [("部门", "类别", "调整前", "调整后", "压减比例")]
    for dep in department_totals(counts):
        for row in counts:
            if row.department == dep.department:
                rows.append((row.department_name, row.category, str(row.before), str(row.after), row.ratio))
        rows.append((dep.department_name, "合计", str(dep.before), str(dep.after), dep.ratio))
    tb = sum(r.before for r in counts)
    ta = sum(r.after for r in counts)
    rows.append(("全部", "合计", str(tb), str(ta), reduction_ratio(tb, ta)))
    widths = [max(_width(cells[i]) for cells in rows) for i in range(5)]
    lines = []
    for line in rows:
        cells: list[str] = []
        for i, c in enumerate(line):
            pad = " " * (widths[i] - _width(c))
            cells.append(pad + c if i >= 2 else c + pad)
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _md(s: str) -> str:
    """Escape text for a Markdown table cell or list line (no HTML, no pipes, no emphasis surprises)."""
    out = str(s).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "*_`[]#":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def render_markdown(d: CatalogDiff, *, max_items: int = 200) -> str:
    """For a pull-request comment: headline, per-department changes (collapsed when long), count table."""
    out = [f"### 权力清单变更：{_md(d.old_label)} → {_md(d.new_label)}", ""]
    out += [f"- {_md(line)}" for line in _headline(d)] + [""]
    if d.empty:
        out += ["两个版本的清单内容相同。", ""]
    shown = 0
    for s in d.sections:
        if s.empty:
            continue
        n = len(s.added) + len(s.removed) + len(s.status_changes) + len(s.modified)
        out += [f"<details{' open' if n <= 20 else ''}><summary><b>{_md(s.name)}</b>（{_md(s.id)}）：{n} 项变更"
                "</summary>", ""]
        for x in s.added + s.removed + s.status_changes + s.modified:
            shown += 1
            if shown > max_items:
                break
            if x.kind == "added":
                out.append(f"- **新增** `{x.code}` {_md(x.name)}（{x.new_status}）")
            elif x.kind == "removed":
                out.append(f"- **删除** `{x.code}` {_md(x.name)}（{x.old_status}）")
            elif x.kind == "status":
                dec = _decision_text(x)
                out.append(f"- **{x.old_status} → {x.new_status}** `{x.code}` {_md(x.name)}"
                           + (f"（{_md(dec)}）" if dec else ""))
                out += [f"  - {_md(c)}" for c in _status_details(x)]
            else:
                out.append(f"- **修改** `{x.code}` {_md(x.name)}")
                out += [f"  - {_md(c)}" for c in x.changes]
        out += ["", "</details>", ""]
    total = len(d.added) + len(d.removed) + len(d.status_changes) + len(d.modified)
    if total > max_items:
        out += [f"（共 {total} 项变更，此处列出前 {max_items} 项；完整内容见 `powerlist diff` 的输出。）", ""]
    for o in d.others:
        label = "部门" if o.kind == "department" else "法律依据"
        out.append(f"- {label}{o.action}：{_md(o.name)}（`{o.id}`）" + ("：" + _md("；".join(o.changes)) if o.changes else ""))
    if d.others:
        out.append("")
    out += ["#### 按部门和类别统计（保留事项）", "", "| 部门 | 类别 | 调整前 | 调整后 | 压减比例 |", "|---|---|--:|--:|--:|"]
    for r in d.counts:
        out.append(f"| {_md(r.department_name)} | {_md(r.category)} | {r.before} | {r.after} | {r.ratio} |")
    for t in department_totals(d.counts):
        out.append(f"| **{_md(t.department_name)}** | 合计 | {t.before} | {t.after} | {t.ratio} |")
    out.append(f"| **全部** | 合计 | {d.before} | {d.after} | {reduction_ratio(d.before, d.after)} |")
    return "\n".join(out) + "\n"


def render_json(d: CatalogDiff) -> str:
    return json.dumps(d.to_dict(), ensure_ascii=False, indent=2) + "\n"


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json}

"""What ``powerlist import`` did, for people (printed lines, Markdown) and programs (JSON): ``--report FILE``.

Nothing read is dropped without a word: every row that did not become an item is listed with its sheet, row and
reason, every generated law with its article count, every conflict between pasted article texts and every
question (a title two laws of laws/ share) with the rows concerned.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from . import normalize as nz
from .entry import Entry
from .lawreg import Conflict

__all__ = ["SheetInfo", "ImportResult", "ranges"]


def ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] → '3-5, 9' (at most 20 runs shown)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    text = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs[:20])
    return text + (f" … ({len(numbers)} rows)" if len(runs) > 20 else "")


@dataclass
class SheetInfo:
    name: str
    header_rows: list[int]
    columns: list[tuple[str, str]]
    ignored_columns: list[str]
    #: rows of the sheet not read as items, by reason (repeated header, a note merged across the sheet)
    not_items: dict[str, list[int]] = field(default_factory=dict)


@dataclass
class ImportResult:
    source: str
    entries: list[Entry]
    dry_run: bool
    sheets: list[SheetInfo] = field(default_factory=list)
    #: things worth knowing that concern no one row (sheets without a header, data in columns without one)
    notes: list[str] = field(default_factory=list)
    #: (department id, name, file) of the departments created
    departments: list[tuple[str, str, str]] = field(default_factory=list)
    #: (law id, title, articles, file) of the laws generated
    laws: list[tuple[str, str, int, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    #: question → where it was asked (sheet rows)
    questions: dict[str, list[str]] = field(default_factory=dict)
    #: rows whose 实施主体 is a level (市级), not an organ
    level_rows: list[str] = field(default_factory=list)

    # ---- compatibility with the single-sheet result ----
    @property
    def header_rows(self) -> list[int]:
        return self.sheets[0].header_rows if self.sheets else []

    @property
    def not_items(self) -> dict[str, list[int]]:
        return self.sheets[0].not_items if self.sheets else {}

    def by_status(self, status: str) -> list[Entry]:
        return [e for e in self.entries if e.status == status]

    @property
    def created(self) -> list[Entry]:
        return [e for e in self.entries if e.status in ("created", "overwritten")]

    @property
    def skipped(self) -> list[Entry]:
        return self.by_status("skipped")

    @property
    def attention(self) -> list[Entry]:
        return self.by_status("attention")

    def _verbs(self) -> dict[str, str]:
        return {"created": "would create" if self.dry_run else "created",
                "overwritten": "would overwrite" if self.dry_run else "overwrote"}

    def summary(self) -> str:
        with_notes = sum(1 for e in self.created if e.notes)
        head = "dry run, nothing written: " if self.dry_run else ""
        extra = ""
        if self.departments or self.laws:
            extra = (f"; {len(self.departments)} new department{'s' if len(self.departments) != 1 else ''}, "
                     f"{len(self.laws)} generated law{'s' if len(self.laws) != 1 else ''}")
        return (f"{head}created {len(self.created)}" + (f" ({with_notes} with notes)" if with_notes else "")
                + f", skipped {len(self.skipped)}, needs attention {len(self.attention)}{extra}")

    def report_lines(self) -> Iterator[str]:
        verb = self._verbs()
        for sh in self.sheets:
            rows = "+".join(str(r) for r in sh.header_rows)
            where = f"{self.source} [{sh.name}]" if sh.name else self.source
            yield f"{where}: header row {rows}; columns: " + ", ".join(f"{nz.shown(h)}→{f}" for h, f in sh.columns)
            if sh.ignored_columns:
                yield ("  columns not used: " + "、".join(nz.shown(c) for c in sh.ignored_columns)
                       + " (map them with --mapping)")
            for why, rows_ in sh.not_items.items():
                yield f"  rows not read as items ({why}): {ranges(rows_)}"
        for n in self.notes:
            yield f"  note: {n}"
        for dep_id, name, file in self.departments:
            yield f"{verb['created']} department {file} ({dep_id}: {nz.shown(name)})"
        for law_id, title, arts, file in self.laws:
            yield f"{verb['created']} law {file} 《{nz.shown(title)}》 ({arts} article text{'s' if arts != 1 else ''}; " \
                  "generated: check it)"
        for c in self.conflicts:
            yield (f"law {c.law}: article {c.article} is pasted with different texts, none was chosen: "
                   + "; ".join(f"{', '.join(rows)}: '{nz.shown(t, 40)}'" for t, rows in c.texts))
        for q, asked in self.questions.items():
            yield f"question: {q} ({', '.join(asked[:10])}{' …' if len(asked) > 10 else ''})"
        for e in self.entries:
            if e.status in verb:
                yield f"{e.where}: {verb[e.status]} {e.file} {e.label}"
                for n in e.notes:
                    yield f"    note: {n}"
            elif e.status == "skipped":
                yield f"{e.where}: skipped {e.label}: {'; '.join(e.messages)}"
            else:
                yield f"{e.where}: needs attention: {e.label}: {'; '.join(e.messages)}"
        yield self.summary()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "dry_run": self.dry_run,
            "sheets": [{"name": s.name, "header_rows": s.header_rows,
                        "columns": [{"header": h, "field": f} for h, f in s.columns],
                        "ignored_columns": s.ignored_columns, "rows_not_items": s.not_items} for s in self.sheets],
            "notes": self.notes,
            "departments_created": [{"id": i, "name": n, "file": f} for i, n, f in self.departments],
            "laws_generated": [{"id": i, "title": t, "articles": a, "file": f} for i, t, a, f in self.laws],
            "article_conflicts": [{"law": c.law, "article": c.article,
                                   "texts": [{"rows": rows, "text": t} for t, rows in c.texts]}
                                  for c in self.conflicts],
            "questions": [{"question": q, "rows": rows} for q, rows in self.questions.items()],
            "rows_with_a_level_as_department": self.level_rows,
            "rows": [{"sheet": e.sheet, "row": e.row, "status": e.status, "name": e.data.get("name", ""),
                      "file": e.file, "messages": e.messages, "notes": e.notes} for e in self.entries],
            "summary": self.summary(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    def to_markdown(self) -> str:
        def cell(s: str) -> str:
            return nz.shown(s, 200).replace("|", "\\|")

        out = [f"# Import of {self.source}", "", self.summary(), ""]
        if self.departments:
            out += ["## Departments created", "", "| id | name | file |", "|---|---|---|"]
            out += [f"| {i} | {cell(n)} | {f} |" for i, n, f in self.departments] + [""]
        if self.laws:
            out += ["## Laws generated (check each, then delete its `generated:` block)", "",
                    "| id | title | article texts | file |", "|---|---|---:|---|"]
            out += [f"| {i} | {cell(t)} | {a} | {f} |" for i, t, a, f in self.laws] + [""]
        if self.conflicts:
            out += ["## Article texts that differ (none was written)", ""]
            for c in self.conflicts:
                out.append(f"- `{c.law}` article {c.article}: " + "; ".join(
                    f"{', '.join(rows)}: “{cell(t)}”" for t, rows in c.texts))
            out.append("")
        if self.questions:
            out += ["## Questions", ""] + [f"- {cell(q)} ({', '.join(r)})" for q, r in self.questions.items()] + [""]
        if self.notes:
            out += ["## Notes", ""] + [f"- {cell(n)}" for n in self.notes] + [""]
        out += ["## Rows", "", "| sheet | row | result | item | why / notes |", "|---|---:|---|---|---|"]
        for e in self.entries:
            why = "; ".join(e.messages + e.notes)
            out.append(f"| {cell(e.sheet)} | {e.row} | {e.status} | {cell(e.file or e.label)} | {cell(why)} |")
        for s in self.sheets:
            for why, rows_ in s.not_items.items():
                out.append(f"| {cell(s.name)} | {ranges(rows_)} | not an item | | {why} |")
        return "\n".join(out) + "\n"

"""The Atom feed of data changes (feeds/changes.atom.xml), one entry per commit, newest first.

Deterministic: every date in the feed is a commit date (the feed's ``updated`` is the newest commit's), never
the time of the build. Without an absolute SITEURL the links are relative (to the feed's folder) and ids are
``urn:`` names (an Atom id must not change when the site moves).
"""
from __future__ import annotations

import re
from typing import Any, Mapping
from xml.sax.saxutils import escape as _escape, quoteattr

from .history import History

#: Change lines listed per entry before "…等 N 项变更".
MAX_LINES_PER_ENTRY = 100
_EPOCH = "1970-01-01T00:00:00Z"


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(s: str) -> str:
    """XML-escape text, dropping characters XML 1.0 cannot carry (control bytes in old commit messages)."""
    return _escape(_NOT_XML.sub("", s))


def changes_feed(hist: History, entries: list[dict[str, Any]], settings: Mapping[str, Any], *,
                 limit: int = 50) -> bytes:
    """Atom XML for the latest ``limit`` commits of ``entries`` (the change-log entries, newest first)."""
    siteurl = str(settings.get("SITEURL") or "").rstrip("/")
    sitename = str(settings.get("SITENAME") or "行政权力清单")
    # links are resolved against the feed's own URL (feeds/…), so without SITEURL they climb one folder
    base = f"{siteurl}/" if siteurl else "../"
    absolute = siteurl.startswith(("http://", "https://"))
    by_commit: dict[str, list[dict[str, Any]]] = {}
    order: list[str] = []
    for e in entries:
        if e["hash"] not in by_commit:
            if len(order) >= limit:
                continue
            order.append(e["hash"])
            by_commit[e["hash"]] = []
        by_commit[e["hash"]].append(e)
    updated = entries[0]["date"] if entries else _EPOCH
    feed_id = f"{base}feeds/changes.atom.xml" if absolute else "urn:powerlist:changes"
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
           f"<title>{escape(sitename)} · 变更记录</title>",
           f"<id>{escape(feed_id)}</id>",
           f"<updated>{escape(updated)}</updated>",
           f"<link rel=\"self\" href={quoteattr(base + 'feeds/changes.atom.xml')}/>",
           f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(base + 'changes/')}/>",
           "<generator>powerlist</generator>"]
    if not hist.available:
        out.append(f"<subtitle>{escape(hist.reason)}</subtitle>")
    for sha in order:
        group = by_commit[sha]
        first = group[0]
        lines = []
        for e in group[:MAX_LINES_PER_ENTRY]:
            what = f"{e['kind_label']} {e['key']} {e['name']}（{e['action']}）"
            detail = "；".join(e["changes"])
            lines.append(f"<li>{escape(what)}{'：' + escape(detail) if detail else ''}</li>")
        if len(group) > MAX_LINES_PER_ENTRY:
            lines.append(f"<li>…等 {len(group)} 项变更</li>")
        html = f"<p>{escape(first['full_message'])}</p><ul>{''.join(lines)}</ul>"
        entry_id = f"{base}changes/#commit-{sha}" if absolute else f"urn:git:commit:{sha}"
        out += ["<entry>",
                f"<title>{escape(first['message'] or sha[:7])}</title>",
                f"<id>{escape(entry_id)}</id>",
                f"<updated>{escape(first['date'])}</updated>",
                f"<author><name>{escape(first['author'])}</name></author>",
                f"<link rel=\"alternate\" type=\"text/html\" href={quoteattr(first['commit_url'] or base + 'changes/')}/>",
                f"<content type=\"html\">{escape(html)}</content>",
                "</entry>"]
    out.append("</feed>")
    return ("\n".join(out) + "\n").encode("utf-8")

"""What the data's history adds to the site: 修订记录 on item pages, the paginated 变更记录 pages, the Atom feed,
the latest changes on the home page and, with ``POWERLIST_BASELINE``, the reform report (reform/).

The history itself is read by :func:`powerlist.vcs.history.read_history`; this module turns it into pages.
"""
from __future__ import annotations

from typing import Any, Iterable

from ..model.settings import settings_from_mapping
from ..output.contribution import Asset, BuildContext, Contribution, NavLink, Page
from ..output.urls import ITEM_URL, LAW_URL
from .feed import changes_feed
from .fieldchanges import Names
from .history import Revision, read_history
from .reform import reform_page

KIND_LABEL = {"item": "事项", "department": "部门", "law": "法律依据"}


def _urls(kind: str, key: str) -> str:
    return {"item": ITEM_URL.format(code=key), "law": LAW_URL.format(id=key)}.get(kind, "")


def _entry(rev: Revision, live: set[tuple[str, str]], commit_url: str) -> dict[str, Any]:
    d = rev.to_dict()
    d["kind_label"] = KIND_LABEL[rev.kind]
    d["url"] = _urls(rev.kind, rev.key) if (rev.kind, rev.key) in live else ""
    d["commit_url"] = commit_url.format(sha=rev.commit.sha) if commit_url else ""
    return d


def _commit_url_template(repo_url: str) -> str:
    return f"{repo_url}/commit/{{sha}}" if repo_url else ""


def group_by_commit(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive entries of one commit under one heading (for the change log and the home page)."""
    groups: list[dict[str, Any]] = []
    for e in entries:
        if not groups or groups[-1]["hash"] != e["hash"]:
            groups.append({k: e[k] for k in ("hash", "short", "date", "day", "author", "message", "commit_url")}
                          | {"entries": []})
        groups[-1]["entries"].append(e)
    return groups


def changes_pages(entries: list[dict[str, Any]], per_page: int, available: bool, reason: str) -> list[Page]:
    """The paginated change log: changes/, changes/page/2/, … (one page even when there is no history)."""
    chunks = [entries[i:i + per_page] for i in range(0, len(entries), per_page)] or [[]]
    pages: list[Page] = []
    n = len(chunks)

    def url(k: int) -> str:
        return "changes/" if k == 1 else f"changes/page/{k}/"

    for k, chunk in enumerate(chunks, start=1):
        title = "变更记录" if k == 1 else f"变更记录（第 {k} 页）"
        ctx: dict[str, Any] = {"history_available": available, "history_reason": reason, "change_groups": group_by_commit(chunk),
               "pagination": {"number": k, "count": n, "total_entries": len(entries),
                              "prev_url": url(k - 1) if k > 1 else "", "next_url": url(k + 1) if k < n else "",
                              "first_url": url(1), "last_url": url(n)},
               "page_title": title}
        pages.append(Page(url=url(k), template="changes.html", context=ctx, title=title))
    return pages


def site_contribution(build: BuildContext) -> Contribution:
    """修订记录 on item pages, the 变更记录 pages, the Atom feed, the latest changes on the home page, and —
    when ``POWERLIST_BASELINE`` is set — the reform report (reform/)."""
    cat = build.catalog
    names = Names(laws={k: v.title for k, v in cat.laws.items()},
                  departments={k: v.name for k, v in cat.departments.items()})
    hist = read_history(build.data_root, names=names)
    settings = build.settings
    conf = settings_from_mapping(settings)   # the typed POWERLIST_* settings (powerlist.model.settings)
    if not hist.available:
        build.warn(f"history: {hist.reason}")
    commit_url = _commit_url_template(conf.repo_url)
    live = set(hist.files)
    entries = [_entry(r, live, commit_url) for r in hist.revisions]
    per_page, recent = conf.changes_per_page, conf.home_changes

    contrib = Contribution()
    contrib.item_partials.append("partials/item_history.html")
    contrib.home_partials.append("partials/home_changes.html")
    for code in cat.items:
        revs = [_entry(r, live, commit_url) for r in hist.for_item(code)]
        contrib.item_context[code] = {"revisions": revs, "history_available": hist.available,
                                      "history_reason": hist.reason}
    contrib.global_context.update({
        "recent_changes": entries[:recent],
        "recent_change_groups": group_by_commit(entries[:recent]),
        "history_available": hist.available,
        "history_reason": hist.reason,
        "changes_feed_url": "feeds/changes.atom.xml",
    })
    contrib.pages.extend(changes_pages(entries, per_page, hist.available, hist.reason))
    contrib.assets.append(Asset("feeds/changes.atom.xml",
                                changes_feed(hist, entries, settings,
                                             limit=conf.feed_commits)))
    contrib.nav.append(NavLink("changes/", "变更记录", order=70))

    if conf.baseline:
        contrib.pages.append(reform_page(build, conf.baseline))
        contrib.nav.append(NavLink("reform/", "改革报告", order=75))
    return contrib

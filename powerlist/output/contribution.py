"""The contract between the site builder and the features that add to the site.

The Pelican generator (:mod:`powerlist.site.pelican`) loads the Catalog once, then asks every module named in
``POWERLIST_CONTRIBUTORS`` (default :data:`powerlist.site.pelican.CONTRIBUTORS`) for a :class:`Contribution` by
calling its ``site_contribution(build)`` function. A contribution adds whole pages (rendered with the theme's
templates, through Pelican's writer), verbatim files (data exports, search index shards, feeds), per-item
template fragments and context (e.g. 修订记录), and navigation links. This keeps each feature in its own package:
search, exchange (downloads, API) and vcs (change log, reform report) never edit the generator.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..model.catalog import Catalog
from .stamp import Stamp


@dataclass
class Page:
    """A page rendered from a theme template. ``url`` is relative to the site root and ends with '/'
    (written to ``<url>index.html``) or names a file ('404.html')."""

    url: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


@dataclass
class Asset:
    """A file written verbatim (relative path with '/' separators). Once written, ``data`` is dropped and
    ``stamp`` may tell the manifest the file's hash."""

    path: str
    data: bytes
    stamp: Stamp | None = None


@dataclass
class NavLink:
    url: str
    label: str
    order: int = 50


@dataclass
class Contribution:
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    #: template names included on every item page, in order (e.g. "partials/item_history.html")
    item_partials: list[str] = field(default_factory=list)
    #: per-item extra context, by item code, merged into the item page's context
    item_context: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: template names included on the home page (e.g. the latest changes)
    home_partials: list[str] = field(default_factory=list)
    #: extra context available to every page (e.g. "recent_changes")
    global_context: dict[str, Any] = field(default_factory=dict)
    nav: list[NavLink] = field(default_factory=list)
    #: set when the assets were already written to the output (by the contributor itself, or by a forked
    #: worker); their ``data`` is then empty
    assets_written: bool = False
    #: work the item pages need not wait for (exports, the search index): ``later(build)`` returns a
    #: Contribution of pages and assets only. On large sites it runs in a worker process side by side with the
    #: item pages. A contributor that defers lists in ``assets`` (empty, with ``assets_written``) the files
    #: ``later`` will write, so that item pages can link to them. ``later`` must be a module-level function.
    later: Callable[[BuildContext], Contribution] | None = None


@dataclass
class BuildContext:
    """What a contributor may read. ``settings`` is Pelican's settings dict (POWERLIST_* keys included);
    ``data_root`` holds items/ and laws/; ``output_path`` is the (temporary) output folder being written."""

    catalog: Catalog
    settings: dict[str, Any]
    data_root: Path
    output_path: Path
    #: the source commit (full hash) and its ISO date, or None outside git
    commit: str | None = None
    commit_date: str | None = None
    #: reports a warning once through the build's logger
    warn: Callable[[str], None] = print


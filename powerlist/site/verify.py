"""``verify-site --rebuild``: build a checkout of the source commit again and compare it with a published site,
byte for byte, with the settings file the site's manifest records.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, Mapping

from ..model.errors import UsageError
from ..model.settings import resolve_settings_file
from ..vcs.git import find_repo
from .build import build_site
from .manifest import compare_trees, read_manifest, sha256_file


def rebuild_settings(doc: Mapping[str, Any], checkout: Path, settings_file: str | Path | None
                     ) -> tuple[Path | None, list[str]]:
    """The settings file to rebuild ``checkout`` with, and the differences to report about it.

    ``settings_file`` when given; else the one ``manifest.json`` records (``settings.path``, relative to the
    data folder: ``CHECKOUT/publishconf.py`` for a site published with it); a manifest that names a file
    from outside the data folder needs ``settings_file``; a manifest without the record (built before it
    existed) gets what the resolver chooses for the checkout. A file whose SHA-256 is not the recorded one
    is reported."""
    rec = doc.get("settings")
    rec = rec if isinstance(rec, dict) else {}
    if settings_file is not None:
        conf = resolve_settings_file(checkout, settings_file)
    elif isinstance(rec.get("path"), str):
        conf = (checkout / rec["path"]).resolve()
        if not conf.is_relative_to(checkout.resolve()) or not conf.is_file():
            raise UsageError(f"the site was built with the settings file {rec['path']!r} of its data folder, "
                             f"which {checkout} does not have; check out the source commit, or pass --settings")
    elif isinstance(rec.get("name"), str):
        raise UsageError(f"the site was built with a settings file from outside its data folder "
                         f"({rec['name']}, sha256 {rec.get('sha256')}); pass it with --settings")
    else:
        conf = resolve_settings_file(checkout)
    notes: list[str] = []
    want = rec.get("sha256")
    if conf is not None and isinstance(want, str) and sha256_file(conf) != want:
        notes.append(f"settings file {conf} is not the one the site was built with (sha256 {want})")
    return conf, notes


def rebuild_and_compare(output_dir: Path, checkout: Path, *, settings_file: str | Path | None = None) -> list[str]:
    """Build ``checkout`` into a temporary folder and compare it with ``output_dir`` byte for byte.

    The settings file is chosen by :func:`rebuild_settings` (``settings_file``, else the one the manifest
    records). A checkout at another commit than the manifest's, or a settings file other than the recorded
    one, is reported first.
    """
    output_dir, checkout = Path(output_dir), Path(checkout)
    out: list[str] = []
    doc = read_manifest(output_dir)
    repo = find_repo(checkout)
    head = repo.head if repo else None
    want = doc.get("source_commit")
    if want and head != want:
        out.append(f"checkout is at {head or '(no git commit)'}, the site was built from {want}")
    conf, notes = rebuild_settings(doc, checkout, settings_file)
    out += notes
    with tempfile.TemporaryDirectory(prefix="powerlist-verify-") as tmp:
        rebuilt = Path(tmp) / "site"
        build_site(checkout, rebuilt, settings_file=conf)
        out += compare_trees(output_dir, rebuilt)
    return out

"""Verifiable builds: the manifest, byte-identical rebuilds, tamper detection with verify-site."""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from audit_repo import settings_file, shared_story
from powerlist.cli.main import main
from powerlist.model.errors import UsageError
from powerlist.site.manifest import compare_trees, verify_manifest, write_manifest
from powerlist.site.verify import rebuild_and_compare


def _all_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The story repository built twice (one build per session of this module)."""
    from powerlist.site.build import build_site

    base = tmp_path_factory.mktemp("sites")
    repo_path, _ = shared_story(tmp_path_factory.getbasetemp())
    conf = settings_file(base / "conf.py")
    build_site(repo_path, base / "a", settings_file=conf)
    build_site(repo_path, base / "b", settings_file=conf)
    return {"repo": repo_path, "conf": conf, "a": base / "a", "b": base / "b", "base": base}


def test_write_and_verify(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "items" / "x").mkdir(parents=True)
    (site / "index.html").write_bytes(b"<h1>\xe6\xb8\x85\xe5\x8d\x95</h1>")
    (site / "items" / "x" / "index.html").write_text("甲", encoding="utf-8")
    path = write_manifest(site, "a" * 40)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["source_commit"] == "a" * 40
    assert list(doc["files"]) == ["index.html", "items/x/index.html"]  # sorted, manifest not listed
    assert doc["files"]["items/x/index.html"] == hashlib.sha256("甲".encode()).hexdigest()
    assert verify_manifest(site) == []
    first = path.read_bytes()
    assert write_manifest(site, "a" * 40).read_bytes() == first  # deterministic
    (site / "index.html").write_text("tampered", encoding="utf-8")
    (site / "items" / "x" / "index.html").unlink()
    (site / "extra.js").write_text("alert(1)", encoding="utf-8")
    assert verify_manifest(site) == ["extra: extra.js", "modified: index.html", "missing: items/x/index.html"]


def test_no_manifest(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="manifest.json not found"):
        verify_manifest(tmp_path)


def test_site_has_manifest_and_footer_commit(built: dict[str, Path]) -> None:
    from powerlist.vcs.git import find_repo

    repo = find_repo(built["repo"])
    assert repo is not None and repo.head
    doc = json.loads((built["a"] / "manifest.json").read_text(encoding="utf-8"))
    assert doc["source_commit"] == repo.head
    files = _all_files(built["a"])
    assert set(doc["files"]) == set(files) - {"manifest.json"}
    for page in ("index.html", "changes/index.html", "items/370700-XK-00001/index.html"):
        html = files[page].decode("utf-8")
        assert repo.head[:10] in html and "2024-01-09" in html   # the footer: source commit and its date


def test_two_builds_are_byte_identical(built: dict[str, Path]) -> None:
    a, b = _all_files(built["a"]), _all_files(built["b"])
    assert sorted(a) == sorted(b)
    assert [p for p in a if a[p] != b[p]] == []
    assert compare_trees(built["a"], built["b"]) == []


def test_verify_site_detects_tampering(built: dict[str, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "published"
    shutil.copytree(built["a"], site)
    assert main(["verify-site", str(site)]) == 0
    assert "verify-site: OK" in capsys.readouterr().out
    page = site / "items" / "370700-XK-00001" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("下放", "保留"), encoding="utf-8")
    assert main(["verify-site", str(site)]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == ["modified: items/370700-XK-00001/index.html"]
    assert "1 difference(s)" in out.err


def test_verify_site_rebuild(built: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "published"
    shutil.copytree(built["a"], site)
    assert rebuild_and_compare(site, built["repo"], settings_file=built["conf"]) == []
    # a tampered file whose manifest entry was forged too: only the rebuild can tell
    page = site / "changes" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("取消处罚事项", "调整处罚事项"), encoding="utf-8")
    write_manifest(site, json.loads((built["a"] / "manifest.json").read_text())["source_commit"])
    assert verify_manifest(site) == []
    assert main(["verify-site", str(site), "--rebuild", str(built["repo"]), "--settings", str(built["conf"])]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["differs: changes/index.html", "differs: manifest.json"]


def test_parallel_hashing_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import powerlist.site.manifest as m

    for k in range(57):
        d = tmp_path / f"d{k % 5}"
        d.mkdir(exist_ok=True)
        (d / f"f{k}.html").write_bytes(("页面" * k).encode("utf-8"))
    serial = m.compute_hashes(tmp_path)
    monkeypatch.setattr(m, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(m, "_CHUNK", 4)
    monkeypatch.setattr(m.os, "cpu_count", lambda: 2)
    assert m.compute_hashes(tmp_path) == serial
    assert serial["d2/f7.html"] == hashlib.sha256(("页面" * 7).encode("utf-8")).hexdigest()
    assert len(serial) == 57


def test_stamped_files_are_not_read_back_unless_rewritten(tmp_path: Path) -> None:
    import os

    import powerlist.site.manifest as m
    from powerlist.output.stamp import Stamp, write_stamped

    (tmp_path / "sub").mkdir()
    kept = write_stamped(tmp_path / "sub" / "kept.html", b"<p>kept</p>")
    assert kept.sha256 == hashlib.sha256(b"<p>kept</p>").hexdigest() and kept.size == 11
    redone = write_stamped(tmp_path / "redone.html", b"old")
    (tmp_path / "redone.html").write_bytes(b"rewritten by someone else")
    (tmp_path / "plain.txt").write_bytes(b"no stamp")
    # a stamp is trusted only while size and time match; to show it, give the kept file a made-up hash
    fake = Stamp(kept.size, kept.mtime_ns, "f" * 64)
    hashes = m.compute_hashes(tmp_path, {"sub/kept.html": fake, "redone.html": redone})
    assert hashes == {"plain.txt": hashlib.sha256(b"no stamp").hexdigest(),
                      "redone.html": hashlib.sha256(b"rewritten by someone else").hexdigest(),
                      "sub/kept.html": "f" * 64}
    os.utime(tmp_path / "sub" / "kept.html", ns=(kept.mtime_ns, kept.mtime_ns + 1))  # touched: read again
    assert m.compute_hashes(tmp_path, {"sub/kept.html": fake})["sub/kept.html"] == kept.sha256


def test_a_parallel_build_stamps_what_it_writes_and_its_manifest_verifies(tmp_path: Path) -> None:
    from powerlist.site.build import build_site
    from site_fixtures import make_data

    stamps: dict = {}
    data = make_data(tmp_path / "data")
    build_site(data, tmp_path / "out", background_delete=False,
               extra_settings={"POWERLIST_JOBS": 2, "POWERLIST_JOBS_MIN_ITEMS": 1, "POWERLIST_FILE_STAMPS": stamps})
    assert "items/370700-XK-00001/index.html" in stamps          # item pages, from the workers
    assert "data/items.json" in stamps and "api/laws.json" in stamps  # exports
    assert any(p.startswith("search/") for p in stamps)          # search index files
    assert verify_manifest(tmp_path / "out") == []              # every hash read back agrees

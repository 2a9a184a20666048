"""The build's output folder: what it recognises as its own, the temporary folders it may remove, the swap.

The user-level cases (refused outputs, killed builds, full disks) are hostile cases in tests/cases/hostile/;
these tests pin the rules underneath them.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import powerlist.site.build as build
from powerlist.model.errors import UsageError
from powerlist.site.build import HOLDER_MARKER, OutputRefused, build_site
from powerlist.site.manifest import is_powerlist_manifest, read_own_manifest, sha256_file
from powerlist.site.verify import rebuild_settings

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
PROJECT = HERE.parent
EXTRA = {"POWERLIST_CONTRIBUTORS": ()}   # the generator's own pages are enough here


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("safety")
    data = base / "data"
    shutil.copytree(BASE, data)
    build_site(data, base / "site", extra_settings=EXTRA)
    return {"data": data, "site": base / "site"}


def _copy_site(built: dict[str, Path], dest: Path) -> Path:
    shutil.copytree(built["site"], dest)
    return dest


def _dead_pid() -> int:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def _holder(parent: Path, name: str, mark: dict[str, object] | None) -> Path:
    h = parent / name
    (h / "site").mkdir(parents=True)
    (h / "site" / "index.html").write_text("x", encoding="utf-8")
    if mark is not None:
        (h / HOLDER_MARKER).write_text(json.dumps(mark), encoding="utf-8")
    return h


# ---- recognising our own output ----

def test_manifest_marker_and_settings_record(built: dict[str, Path]) -> None:
    doc = json.loads((built["site"] / "manifest.json").read_text(encoding="utf-8"))
    assert list(doc) == ["format", "generator", "algorithm", "source_commit", "settings", "files"]
    assert doc["generator"] == "powerlist"
    # the data folder has no pelicanconf.py: the project's, named without its machine-dependent path
    assert doc["settings"] == {"name": "pelicanconf.py", "sha256": sha256_file(PROJECT / "pelicanconf.py")}


def test_manifest_shapes() -> None:
    files = {"index.html": "0" * 64}
    old = {"format": 1, "algorithm": "sha256", "source_commit": None, "files": files}
    assert is_powerlist_manifest(old)                                    # built before the marker existed
    assert is_powerlist_manifest({"generator": "powerlist", "files": {}})
    assert not is_powerlist_manifest({"files": {}})
    assert not is_powerlist_manifest({**old, "files": {"index.html": "not a digest"}})
    assert not is_powerlist_manifest({**old, "algorithm": "md5"})
    assert not is_powerlist_manifest([old])


def test_an_output_built_before_the_marker_is_still_replaced(built: dict[str, Path], tmp_path: Path) -> None:
    out = _copy_site(built, tmp_path / "o")
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    del doc["generator"], doc["settings"]
    (out / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    assert read_own_manifest(out) is not None
    build_site(built["data"], out, extra_settings=EXTRA)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["generator"] == "powerlist"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_an_empty_folder_is_accepted(built: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    build_site(built["data"], tmp_path / "o", extra_settings=EXTRA)
    assert (tmp_path / "o" / "manifest.json").is_file()


def test_an_output_inside_the_data_folder_but_outside_its_folders_is_accepted(built: dict[str, Path],
                                                                            tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(built["data"], data)
    build_site(data, data / "output", extra_settings=EXTRA)          # like `make html` in a checkout
    assert (data / "output" / "manifest.json").is_file()


@pytest.mark.parametrize("key, sub, message", [
    ("PATH", "content", "is inside the folder PATH in the settings names"),
    ("THEME", "theme", "is the folder THEME in the settings names"),
])
def test_outputs_in_the_settings_folders_are_refused(built: dict[str, Path], tmp_path: Path, key: str, sub: str,
                                                     message: str) -> None:
    folder = tmp_path / sub
    shutil.copytree(PROJECT / sub, folder)
    out = folder / "site" if key == "PATH" else folder
    with pytest.raises(OutputRefused, match=message):
        build_site(built["data"], out, extra_settings={**EXTRA, key: str(folder)})


def test_the_settings_file_inside_the_output_is_refused(built: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    conf = out / "conf.py"
    conf.write_text(f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                    f"PATH = {str(PROJECT / 'content')!r}\nTHEME = {str(PROJECT / 'theme')!r}\n", encoding="utf-8")
    with pytest.raises(OutputRefused, match=r"contains the settings file"):
        build_site(built["data"], out, settings_file=conf, extra_settings=EXTRA)
    assert sorted(p.name for p in out.iterdir()) == ["conf.py"]


# ---- temporary folders next to the output ----

def test_only_abandoned_folders_of_our_own_are_removed(built: dict[str, Path], tmp_path: Path) -> None:
    out = _copy_site(built, tmp_path / "o")
    host = socket.gethostname()
    dead = _dead_pid()
    gone = [_holder(tmp_path, ".o-build-dead", {"powerlist": "build", "pid": dead, "host": host}),
            _holder(tmp_path, ".o-old-dead", {"powerlist": "old", "pid": dead, "host": host})]
    kept = [_holder(tmp_path, ".o-build-live", {"powerlist": "build", "pid": os.getpid(), "host": host}),
            _holder(tmp_path, ".o-old-elsewhere", {"powerlist": "old", "pid": dead, "host": host + "-other"}),
            _holder(tmp_path, ".o-old-unmarked", None),
            _holder(tmp_path, ".o-build-wrongkind", {"powerlist": "old", "pid": dead, "host": host}),
            _holder(tmp_path, ".o-old-badpid", {"powerlist": "old", "pid": "12", "host": host})]
    odd = _holder(tmp_path, ".o-old-withmore", {"powerlist": "old", "pid": dead, "host": host})
    (odd / "notes.txt").write_text("mine", encoding="utf-8")
    build_site(built["data"], out, extra_settings=EXTRA)
    assert [h.name for h in gone if h.exists()] == []
    assert [h.name for h in kept if not (h / "site" / "index.html").is_file()] == []
    # a folder of ours that holds something else too: our site goes, the rest (and the folder) stays
    assert sorted(p.name for p in odd.iterdir()) == ["notes.txt"]


def test_a_zombie_counts_as_gone() -> None:
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while build._alive(p.pid) and time.monotonic() < deadline:   # exited, not yet reaped
        time.sleep(0.05)
    assert not build._alive(p.pid)
    p.wait()
    assert not build._alive(p.pid)
    assert build._alive(os.getpid())


def test_a_large_old_output_is_deleted_in_the_background(built: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = _copy_site(built, tmp_path / "o")
    monkeypatch.setattr(build, "SYNC_DELETE_MAX_FILES", 0)
    build_site(built["data"], out, extra_settings=EXTRA)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


# ---- the swap ----

def test_an_output_replaced_by_someone_else_during_the_build_is_left_alone(
        built: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "o"
    check = build.check_output

    def meanwhile(catalog, site):  # type: ignore[no-untyped-def]
        out.mkdir()
        (out / "合同.txt").write_text("甲方", encoding="utf-8")
        return check(catalog, site)

    monkeypatch.setattr(build, "check_output", meanwhile)
    with pytest.raises(OutputRefused, match="was replaced during the build by something powerlist did not build"):
        build_site(built["data"], out, extra_settings=EXTRA)
    assert [p.name for p in out.iterdir()] == ["合同.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_a_failing_swap_puts_the_old_output_back(built: dict[str, Path], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = _copy_site(built, tmp_path / "o")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    rename = os.rename

    def failing(src, dst):  # type: ignore[no-untyped-def]
        if Path(dst) == out and ".o-build-" in str(src):
            raise OSError(errno.EIO, "Input/output error")
        return rename(src, dst)

    monkeypatch.setattr(build.os, "rename", failing)
    with pytest.raises(UsageError, match=r"cannot build the site into .*: Input/output error; "
                                         r"the previous site is unchanged"):
        build_site(built["data"], out, extra_settings=EXTRA)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


def test_write_error_messages(tmp_path: Path) -> None:
    out = tmp_path / "site"
    site = tmp_path / ".site-build-x" / "site"
    full = OSError(errno.ENOSPC, "No space left on device", str(site / "items" / "a" / "index.html"))
    assert str(build._write_error(full, out, site, True)) == (
        f"cannot build the site into {out}: No space left on device (writing items/a/index.html); "
        "the previous site is unchanged")
    ro = OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".site-build-abc"))
    assert str(build._write_error(ro, out, None, False)) == (
        f"cannot build the site into {out}: Read-only file system (making a temporary folder in {tmp_path})")
    other = OSError(errno.EACCES, "Permission denied", "/srv/theme/x.css")
    assert str(build._write_error(other, out, site, False)) == (
        f"cannot build the site into {out}: Permission denied: /srv/theme/x.css")


# ---- verify-site: which settings the rebuild uses ----

def test_rebuild_settings_follow_the_manifest(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    pub = checkout / "publishconf.py"
    pub.write_text("SITEURL = 'https://x.example'\n", encoding="utf-8")
    digest = sha256_file(pub)
    assert rebuild_settings({"settings": {"path": "publishconf.py", "sha256": digest}}, checkout, None) == (pub, [])
    conf, notes = rebuild_settings({"settings": {"path": "publishconf.py", "sha256": "0" * 64}}, checkout, None)
    assert conf == pub and notes == [f"settings file {pub} is not the one the site was built with (sha256 {'0' * 64})"]
    with pytest.raises(UsageError, match="'../elsewhere.py' of its data folder, which .* does not have"):
        rebuild_settings({"settings": {"path": "../elsewhere.py"}}, checkout, None)
    with pytest.raises(UsageError, match=r"from outside its data folder \(conf.py, sha256 abc\); pass it with"):
        rebuild_settings({"settings": {"name": "conf.py", "sha256": "abc"}}, checkout, None)
    # a manifest without the record (built before it existed): the resolver's choice for the checkout
    assert rebuild_settings({}, checkout, None) == (PROJECT / "pelicanconf.py", [])
    (checkout / "pelicanconf.py").write_text("", encoding="utf-8")
    assert rebuild_settings({}, checkout, None) == ((checkout / "pelicanconf.py").resolve(), [])
    assert rebuild_settings({"settings": {"name": "conf.py"}}, checkout, pub) == (pub, [])


def test_an_output_reached_through_a_link_is_replaced_behind_the_link(built: dict[str, Path], tmp_path: Path) -> None:
    """-o a link to a site of ours: the site it points to is replaced, the link stays a link."""
    real = _copy_site(built, tmp_path / "real")
    (tmp_path / "link").symlink_to(real)
    result = build_site(built["data"], tmp_path / "link", extra_settings=EXTRA)
    assert result.output == real
    assert (tmp_path / "link").is_symlink() and (tmp_path / "link" / "manifest.json").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_a_loop_of_links_is_refused(built: dict[str, Path], tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OutputRefused, match=f"^-o {tmp_path / 'a'} is a symbolic link that leads nowhere"):
        build_site(built["data"], tmp_path / "a", extra_settings=EXTRA)

"""A diff's second load reuses the first: unchanged files are neither fetched from git nor checked again."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import powerlist.source.load as load
import powerlist.vcs.diff as diff
from powerlist.source.load import LoadCache, blob_id

BASE = Path(__file__).parent / "fixtures" / "base"
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false"]


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "data"
    shutil.copytree(BASE, repo)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*GIT, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(repo), "commit", "-qm", "base"], check=True)
    item = repo / "items" / "370700-zjj" / "370700-XK-00001.yaml"
    item.write_text(item.read_text(encoding="utf-8").replace("建筑工程施工许可证核发", "建筑工程施工许可"),
                    encoding="utf-8")
    subprocess.run([*GIT, "-C", str(repo), "commit", "-qam", "rename"], check=True)
    return repo


def test_blob_id_matches_git(tmp_path: Path) -> None:
    f = tmp_path / "x.yaml"
    f.write_bytes("name: 测试\n".encode())
    out = subprocess.run(["git", "hash-object", str(f)], capture_output=True, text=True, check=True).stdout.strip()
    assert blob_id(f.read_bytes()) == out


def test_second_revision_checks_and_fetches_only_changed_files(tmp_path: Path, monkeypatch) -> None:
    repo = _repo(tmp_path)
    checked: list[str] = []
    fetched: list[set[str]] = []
    real_check, real_read = load._check_bytes, diff.read_blobs
    monkeypatch.setattr(load, "_check_bytes", lambda src, data, s: checked.append(src.rel) or real_check(src, data, s))
    monkeypatch.setattr(diff, "read_blobs", lambda r, shas: fetched.append(set(shas)) or real_read(r, shas))
    cache: LoadCache = {}
    old = diff.load_side("HEAD~1", repo, None, cache)
    n_files = len(checked)
    checked.clear()
    new = diff.load_side("HEAD", repo, None, cache)
    assert checked == ["items/370700-zjj/370700-XK-00001.yaml"]
    assert len(fetched[0]) == n_files and len(fetched[1]) == 1
    assert old.catalog.items["370700-XK-00001"].name == "建筑工程施工许可证核发"
    assert new.catalog.items["370700-XK-00001"].name == "建筑工程施工许可"
    checked.clear()
    work = diff.load_side(None, repo, None, cache)  # the working tree equals HEAD: nothing to check
    assert checked == [] and work.catalog.items.keys() == new.catalog.items.keys()


def test_both_sides_are_checked_in_one_pass(tmp_path: Path, monkeypatch) -> None:
    """load_both checks every distinct file of the two revisions once, before assembling either side, and
    gives the same catalogs as loading the sides one by one."""
    repo = _repo(tmp_path)
    one_by_one = diff.load_side("HEAD~1", repo), diff.load_side("HEAD", repo)
    checked: list[str] = []
    passes: list[int] = []
    real_check, real_many = load._check_bytes, load._check_many
    monkeypatch.setattr(load, "_check_bytes", lambda src, data, s: checked.append(src.rel) or real_check(src, data, s))
    monkeypatch.setattr(load, "_check_many", lambda files, s: passes.append(len(files)) or real_many(files, s))
    old, new = diff.load_both("HEAD~1", "HEAD", repo)
    edited = "items/370700-zjj/370700-XK-00001.yaml"       # two contents: checked twice, every other file once
    assert checked.count(edited) == 2 and len(checked) == len(set(checked)) + 1
    assert passes[0] == len(checked) and not any(passes[1:])     # one pass; the assembling finds all in cache
    for a, b in zip((old, new), one_by_one):
        assert a.catalog.items == b.catalog.items and a.catalog.laws == b.catalog.laws
        assert a.label == b.label and a.commit == b.commit
    assert old.catalog.items["370700-XK-00001"].name == "建筑工程施工许可证核发"
    # the working tree as the second side: its files are read from disk and matched by content
    checked.clear()
    old2, work = diff.load_both("HEAD~1", None, repo)
    assert checked.count("items/370700-zjj/370700-XK-00001.yaml") == 2 and work.label == "工作区"
    assert work.catalog.items == new.catalog.items


def test_load_both_reports_every_problem_of_a_broken_side(tmp_path: Path) -> None:
    """A broken working tree fails the diff with all its problems, each with file and line: the file's own
    syntax error and what it breaks elsewhere (its sub-item's parent is gone)."""
    import pytest
    from powerlist.model.errors import InvalidData

    repo = _repo(tmp_path)
    bad = repo / "items" / "370700-zjj" / "370700-XK-00001.yaml"
    bad.write_text("code: [\n", encoding="utf-8")
    with pytest.raises(InvalidData) as err:
        diff.load_both("HEAD", None, repo)
    found = {(p.file, p.line, p.message.split(":")[0].split(";")[0]) for p in err.value.problems}
    assert found == {("items/370700-zjj/370700-XK-00001.yaml", 2, "YAML syntax error"),
                     ("items/370700-zjj/370700-XK-00001-001.yaml", 6,
                      "parent item '370700-XK-00001' does not exist")}

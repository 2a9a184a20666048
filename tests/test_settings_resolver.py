"""One resolver decides the settings file of every command; a failing settings file is one message."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from powerlist.cli.main import main
from powerlist.model.errors import UsageError
from powerlist.model.settings import (DEFAULT_SETTINGS_FILE, read_settings_file, resolve_settings_file,
                                      settings_for_root, settings_record)

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
PROJECT = HERE.parent


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    shutil.copytree(BASE, r)
    return r


def test_explicit_then_data_folder_then_project(root: Path, tmp_path: Path) -> None:
    assert resolve_settings_file(root) == DEFAULT_SETTINGS_FILE == PROJECT / "pelicanconf.py"
    (root / "pelicanconf.py").write_text("", encoding="utf-8")
    assert resolve_settings_file(root) == (root / "pelicanconf.py").resolve()
    other = tmp_path / "other.py"
    other.write_text("", encoding="utf-8")
    assert resolve_settings_file(root, other) == other.resolve()


def test_explicit_file_must_be_a_file(root: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=f"^settings file not found: {tmp_path / 'nope.py'}$"):
        resolve_settings_file(root, tmp_path / "nope.py")
    with pytest.raises(UsageError, match=f"^settings file is a folder, not a file: {tmp_path}$"):
        resolve_settings_file(root, tmp_path)


def test_no_settings_file_at_all_means_the_defaults(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import powerlist.model.settings as s

    monkeypatch.setattr(s, "DEFAULT_SETTINGS_FILE", root / "missing.py")
    assert resolve_settings_file(root) is None
    assert settings_for_root(root) == s.Settings()


@pytest.mark.parametrize("text, message", [
    ("A = 1\nB = (\n", r"line 2: SyntaxError: '\(' was never closed"),
    ("A = 1\n\nB = undefined_name\n", r"line 3: NameError: name 'undefined_name' is not defined"),
    ("import sys\nsys.exit(3)\n", r"line 2: it called exit\(3\)"),
    ("raise KeyError('SITEURL')\n", r"line 1: KeyError: 'SITEURL'"),
])
def test_a_failing_settings_file_is_one_message(tmp_path: Path, text: str, message: str) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match=f"^settings file {conf}: {message}$"):
        read_settings_file(conf)


def test_validate_stats_and_build_read_the_same_file(root: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """The data folder's pelicanconf.py drops 行政处罚: validate, stats and build all say so."""
    (root / "pelicanconf.py").write_text(
        f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
        f"PATH = {str(PROJECT / 'content')!r}\nTHEME = {str(PROJECT / 'theme')!r}\n"
        "POWERLIST_CATEGORIES = [('行政许可', 'XK')]\n", encoding="utf-8")
    for argv in (["validate", str(root)], ["stats", str(root)], ["build", str(root), "-o", str(tmp_path / "o")]):
        assert main(argv) == 1, argv
        assert "'行政处罚' is not one of: 行政许可" in capsys.readouterr().err, argv
    assert not (tmp_path / "o").exists()


def test_settings_record_is_relative_inside_the_data_and_a_name_outside(root: Path, tmp_path: Path) -> None:
    inside = root / "conf" / "publishconf.py"
    inside.parent.mkdir()
    inside.write_text("A = 1\n", encoding="utf-8")
    digest = hashlib.sha256(b"A = 1\n").hexdigest()
    assert settings_record(inside, root) == {"path": "conf/publishconf.py", "sha256": digest}
    outside = tmp_path / "mine.py"
    outside.write_text("A = 1\n", encoding="utf-8")
    assert settings_record(outside, root) == {"name": "mine.py", "sha256": digest}

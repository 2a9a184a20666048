"""The declared settings: every POWERLIST_* key has a kind, a default and help in two languages; a settings file
is checked once, with every problem at once (unknown names with a suggestion, wrong kinds), for every command."""
from __future__ import annotations

import re
import shutil
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from powerlist.cli.main import main
from powerlist.model.settings import (CATEGORIES_DEFAULT, CODE_PATTERN_DEFAULT, ENVIRONMENT, INTERNAL, REMOVED,
                                      Settings, SettingsError, check_settings, declarations, load_settings_file,
                                      settings_from_mapping)

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
PROJECT = HERE.parent


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    shutil.copytree(BASE, r)
    return r


def problems(**names: Any) -> list[str]:
    return check_settings(names)[1]


# ---- the declarations ----

def test_every_field_is_a_declared_setting_with_help_in_both_languages() -> None:
    decls = declarations()
    assert [d.attr for d in decls] == [f.name for f in fields(Settings)]
    assert [d.key for d in decls] == ["POWERLIST_CATEGORIES", "POWERLIST_CODE_PATTERN", "POWERLIST_REPO_URL",
                                      "POWERLIST_REPO_BRANCH", "POWERLIST_BASELINE", "POWERLIST_CATEGORY_PAGE_SIZE",
                                      "POWERLIST_CHANGES_PER_PAGE", "POWERLIST_HOME_CHANGES",
                                      "POWERLIST_FEED_COMMITS", "POWERLIST_JOBS", "POWERLIST_JOBS_MIN_ITEMS",
                                      "POWERLIST_CONTRIBUTORS"]
    for d in decls:
        assert re.search(r"[\u4e00-\u9fff]", d.zh) and d.zh.endswith("。"), d.key
        assert re.fullmatch(r"[A-Z][\x20-\x7e\u2026\u4e00-\u9fff]+\.", d.en), d.key
        assert d.option.kind, d.key


def test_defaults_are_valid_values_of_their_kind() -> None:
    for d in declarations():
        if not d.option.unset(d.default):
            assert d.option.convert(d.default) == d.default, d.key
    assert Settings().categories == CATEGORIES_DEFAULT and Settings().code_pattern == CODE_PATTERN_DEFAULT


def test_declared_defaults_are_the_ones_the_site_used() -> None:
    """The site layer's own constants (until it reads Settings) agree with the declarations."""
    from powerlist.site import pelican

    s = Settings()
    assert (s.category_page_size, s.jobs_min_items, s.contributors) == \
        (pelican.CATEGORY_PAGE_SIZE, pelican.PARALLEL_MIN_ITEMS, pelican.CONTRIBUTORS)


def test_no_name_is_both_a_setting_and_not_one() -> None:
    keys = {d.key for d in declarations()}
    assert not keys & set(INTERNAL) and not keys & set(REMOVED)
    assert set(ENVIRONMENT) - keys == {"POWERLIST_SITEURL"}


# ---- checking ----

@pytest.mark.parametrize("name, message", [
    ("POWERLIST_CATEGORYS", "unknown setting POWERLIST_CATEGORYS; did you mean POWERLIST_CATEGORIES?"),
    ("POWERLIST_JOB", "unknown setting POWERLIST_JOB; did you mean POWERLIST_JOBS?"),
    ("POWERLIST_REPOURL", "unknown setting POWERLIST_REPOURL; did you mean POWERLIST_REPO_URL?"),
    ("POWERLIST_XYZZY", "unknown setting POWERLIST_XYZZY (every setting is listed in docs/settings.md)"),
    ("POWERLST_JOBS", "unknown setting POWERLST_JOBS; did you mean POWERLIST_JOBS?"),
    ("POWERLIST_SITEURL", "unknown setting POWERLIST_SITEURL: that is the environment variable publishconf.py "
                          "reads; in a settings file set SITEURL"),
    ("POWERLIST_FEEDS", "setting POWERLIST_FEEDS was removed (it never had an effect: every build writes the "
                        "change feed feeds/changes.atom.xml): remove it"),
    ("POWERLIST_DATA_ROOT", "POWERLIST_DATA_ROOT is not set in a settings file (the data folder is the command's "
                            "DATA argument): remove it"),
    ("POWERLIST_CATALOG", "POWERLIST_CATALOG is not set in a settings file (powerlist build sets it to the loaded "
                          "data): remove it"),
])
def test_names_that_are_not_settings(name: str, message: str) -> None:
    assert problems(**{name: True}) == [message]


def test_other_names_are_pelicans() -> None:
    from pelican.settings import DEFAULT_CONFIG

    assert check_settings(DEFAULT_CONFIG)[1] == []
    assert problems(SITEURL="x", PLUGINS=[], FEED_DOMAIN="x", JINJA_ENVIRONMENT={}) == []


def test_a_build_may_hold_the_names_powerlist_sets_itself() -> None:
    s = settings_from_mapping({"POWERLIST_CATALOG": object(), "POWERLIST_DATA_ROOT": "/x", "POWERLIST_JOBS": 3})
    assert s.jobs == 3
    with pytest.raises(SettingsError, match="^setting POWERLIST_FEEDS was removed"):
        settings_from_mapping({"POWERLIST_FEEDS": True})


@pytest.mark.parametrize("name, value, message", [
    ("POWERLIST_JOBS", "two", "must be a whole number of at least 1, not 'two'"),
    ("POWERLIST_JOBS", 0, "must be a whole number of at least 1, not 0"),
    ("POWERLIST_JOBS", True, "must be a whole number of at least 1, not True"),
    ("POWERLIST_JOBS", "²", "must be a whole number of at least 1, not '²'"),
    ("POWERLIST_JOBS", "-3", "must be a whole number of at least 1, not '-3'"),
    ("POWERLIST_FEED_COMMITS", 2.5, "must be a whole number of at least 1, not 2.5"),
    ("POWERLIST_HOME_CHANGES", -1, "must be a whole number of at least 0, not -1"),
    ("POWERLIST_CATEGORY_PAGE_SIZE", [500], "must be a whole number of at least 1, not [500]"),
    ("POWERLIST_REPO_URL", "github.com/org/powerlist",
     "must be an absolute http(s) address such as 'https://github.com/org/powerlist', or empty, "
     "not 'github.com/org/powerlist'"),
    ("POWERLIST_REPO_BRANCH", ["main"], "must be one line of text, not ['main']"),
    ("POWERLIST_REPO_BRANCH", "ma\nin", "must be one line of text, not 'ma\\nin'"),
    ("POWERLIST_BASELINE", 2023, "must be one line of text, not 2023"),
    ("POWERLIST_CODE_PATTERN", "(unclosed", "must be a regular expression, not '(unclosed' (missing ), "
                                            "unterminated subpattern at position 0)"),
    ("POWERLIST_CODE_PATTERN", 12, "must be a regular expression, not 12"),
    ("POWERLIST_CATEGORIES", "行政许可", "must be a list of (name, letters) pairs of text, such as "
                                      "[('行政许可', 'XK'), ('行政处罚', 'CF')], not '行政许可'"),
    ("POWERLIST_CATEGORIES", [("行政许可", "XK"), ("行政处罚",)],
     "must be a list of (name, letters) pairs of text, such as [('行政许可', 'XK'), ('行政处罚', 'CF')]; "
     "('行政处罚',) is not such a pair"),
    ("POWERLIST_CATEGORIES", [("行政许可", "XK"), ("行政许可", "XX")], "names the category 行政许可 more than once"),
    ("POWERLIST_CONTRIBUTORS", "powerlist.search.contribution",
     "must be a list of module names such as ['powerlist.search.contribution'], "
     "not 'powerlist.search.contribution'"),
    ("POWERLIST_CONTRIBUTORS", ["powerlist/search"],
     "must be a list of module names such as ['powerlist.search.contribution']; "
     "'powerlist/search' is not a module name"),
])
def test_a_wrong_value_names_the_setting_and_what_it_must_be(name: str, value: Any, message: str) -> None:
    assert problems(**{name: value}) == [f"setting {name} {message}"]


def test_values_as_written_and_unset_ones() -> None:
    s, found = check_settings({"POWERLIST_JOBS": " 4 ", "POWERLIST_HOME_CHANGES": 0,
                               "POWERLIST_REPO_URL": "https://github.com/org/powerlist/",
                               "POWERLIST_REPO_BRANCH": "", "POWERLIST_BASELINE": "", "POWERLIST_CATEGORIES": [],
                               "POWERLIST_CODE_PATTERN": None, "POWERLIST_CONTRIBUTORS": [],
                               "POWERLIST_CHANGES_PER_PAGE": "20"})
    assert found == []
    assert (s.jobs, s.home_changes, s.repo_url, s.repo_branch, s.baseline, s.categories, s.code_pattern,
            s.contributors, s.changes_per_page) == \
        (4, 0, "https://github.com/org/powerlist", "main", None, CATEGORIES_DEFAULT, CODE_PATTERN_DEFAULT, (), 20)


def test_every_problem_at_once_sorted_by_name(tmp_path: Path) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text("SITENAME = 'x'\nPOWERLIST_JOBS = 'two'\nPOWERLIST_CATEGORYS = []\nPOWERLIST_FEEDS = True\n"
                    "POWERLIST_REPO_BRANCH = 'main'\n", encoding="utf-8")
    with pytest.raises(SettingsError) as exc:
        load_settings_file(conf)
    assert str(exc.value) == (
        f"settings file {conf}: 3 problems:\n"
        "  unknown setting POWERLIST_CATEGORYS; did you mean POWERLIST_CATEGORIES?\n"
        "  setting POWERLIST_FEEDS was removed (it never had an effect: every build writes the change feed "
        "feeds/changes.atom.xml): remove it\n"
        "  setting POWERLIST_JOBS must be a whole number of at least 1, not 'two'")


def test_the_project_settings_files_are_valid_and_their_comments_agree() -> None:
    """pelicanconf.py and publishconf.py check clean; every POWERLIST_* name they mention is declared (or one
    publishconf.py reads from the environment), and every "(default N)" they quote is the declared default."""
    load_settings_file(PROJECT / "pelicanconf.py")
    load_settings_file(PROJECT / "publishconf.py")
    declared = {d.key: d for d in declarations()}
    for name in ("pelicanconf.py", "publishconf.py"):
        text = (PROJECT / name).read_text(encoding="utf-8")
        mentioned = set(re.findall(r"POWERLIST_[A-Z_]+", text))
        assert mentioned <= set(declared) | set(ENVIRONMENT), (name, mentioned - set(declared))
    text = (PROJECT / "pelicanconf.py").read_text(encoding="utf-8")
    assert set(re.findall(r"POWERLIST_[A-Z_]+", text)) == set(declared)
    quoted = re.findall(r"``(POWERLIST_[A-Z_]+)`` \((?:default )?(\d+)", text)
    assert len(quoted) >= 5
    for key, number in quoted:
        assert declared[key].default == int(number), key


# ---- every command checks the settings the same way ----

BAD = "POWERLIST_JOBZ = 2\nPOWERLIST_HOME_CHANGES = 'few'\n"


@pytest.mark.parametrize("argv", [
    ["validate", "{data}"], ["new", "{data}", "--department", "370700-zjj", "--category", "行政许可"],
    ["stats", "{data}"], ["schema", "{data}", "--out", "{tmp}/schema"], ["build", "{data}", "-o", "{tmp}/site"],
    ["devserver", "{data}", "-o", "{tmp}/site", "--port", "0"], ["diff", "{data}", "{data}", "{data}"],
    ["export", "{data}"], ["import", "{tmp}/list.csv", "{data}", "--department", "370700-zjj"],
])
def test_every_command_checks_the_settings_file(argv: list[str], root: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    conf = root / "pelicanconf.py"
    conf.write_text(BAD, encoding="utf-8")
    (tmp_path / "list.csv").write_text("事项名称,权力类别\n测试,行政许可\n", encoding="utf-8")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert main([a.format(data=root, tmp=tmp_path) for a in argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"powerlist: error: settings file {conf}: 2 problems:\n"
                   "  setting POWERLIST_HOME_CHANGES must be a whole number of at least 0, not 'few'\n"
                   "  unknown setting POWERLIST_JOBZ; did you mean POWERLIST_JOBS?\n")
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_verify_site_checks_the_settings_of_its_rebuild(root: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    conf = tmp_path / "conf.py"
    conf.write_text(f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())\n"
                    f"PATH = {str(PROJECT / 'content')!r}\nTHEME = {str(PROJECT / 'theme')!r}\n"
                    "POWERLIST_CONTRIBUTORS = ()\n", encoding="utf-8")
    assert main(["build", str(root), "-o", str(tmp_path / "site"), "--settings", str(conf)]) == 0
    conf.write_text(conf.read_text(encoding="utf-8") + "POWERLIST_BASELIN = 'v1'\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["verify-site", str(tmp_path / "site"), str(root), "--settings", str(conf)]) == 2
    assert capsys.readouterr().err == (f"powerlist: error: settings file {conf}: unknown setting POWERLIST_BASELIN; "
                                       "did you mean POWERLIST_BASELINE?\n")


def test_no_module_reads_powerlist_settings_from_a_dict() -> None:
    """Modules read the typed Settings; only the site layer's build and plugin still hold dict reads (their
    owner switches them) and model/settings.py itself, which checks the dict."""
    allowed = {"model/settings.py", "site/pelican.py", "site/build.py"}
    pkg = PROJECT / "powerlist"
    offenders = [p.relative_to(pkg).as_posix() for p in pkg.rglob("*.py")
                 if p.relative_to(pkg).as_posix() not in allowed
                 and re.search(r"""(get\(|\[)\s*["']POWERLIST_|int_setting\(""", p.read_text(encoding="utf-8"))]
    assert offenders == []

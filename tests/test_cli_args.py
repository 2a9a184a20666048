"""The CLI surface: DATA positional for every command (``--root`` an alias), clean ``--help`` texts with an
Example that parses, and the generated references docs/cli.md and docs/settings.md current."""
from __future__ import annotations

import argparse
import re
import shlex
import shutil
from pathlib import Path

import pytest

from audit_repo import shared_story
from powerlist.cli import reference
from powerlist.cli.arguments import description, resolve_data
from powerlist.cli.main import command_parsers, main
from powerlist.model.errors import UsageError

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
PROJECT = HERE.parent

#: Each command's other arguments, placed before DATA, and its DATA default.
COMMANDS: dict[str, tuple[list[str], list[str], str | None]] = {
    "validate": ([], [], "."),
    "new": ([], ["--department", "370700-zjj", "--category", "行政许可"], "."),
    "stats": ([], [], "."),
    "schema": ([], [], "."),
    "build": ([], ["-o", "out"], "."),
    "devserver": ([], [], "."),
    "diff": (["v1", "v2"], [], "."),
    "history": (["370700-XK-00001"], [], "."),
    "verify-site": (["site"], [], None),
    "export": ([], [], "."),
    "import": (["list.xlsx"], ["--department", "370700-zjj"], "."),
}


def parse(argv: list[str]) -> argparse.Namespace:
    args = command_parsers()[0].parse_args(argv)
    resolve_data(args)
    return args


def test_every_command_is_covered() -> None:
    assert list(command_parsers()[1]) == list(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_data_is_positional_and_root_an_alias(name: str, tmp_path: Path) -> None:
    before, after, default = COMMANDS[name]
    data, other = tmp_path / "data", tmp_path / "other"
    data.mkdir()
    other.mkdir()
    assert parse([name, *before, *after]).root == default
    assert parse([name, *before, str(data), *after]).root == str(data)
    assert parse([name, *before, *after, "--root", str(data)]).root == str(data)
    assert parse([name, *before, str(data), *after, "--root", str(data / ".")]).root == str(data)   # the same folder
    with pytest.raises(UsageError) as exc:
        parse([name, *before, str(data), *after, "--root", str(other)])
    assert str(exc.value) == f"two data folders: DATA {str(data)!r} and --root {str(other)!r}; give one"


def test_verify_site_keeps_rebuild_as_a_name_of_data(tmp_path: Path) -> None:
    assert parse(["verify-site", "site", "--rebuild", "co"]).root == "co"
    with pytest.raises(UsageError, match=r"^two data folders: --rebuild 'a' and --root 'b'; give one$"):
        parse(["verify-site", "site", "--rebuild", "a", "--root", "b"])


def test_two_data_folders_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(BASE), "--root", str(tmp_path)]) == 2
    assert capsys.readouterr() == ("", f"powerlist: error: two data folders: DATA {str(BASE)!r} and --root "
                                       f"{str(tmp_path)!r}; give one\n")


def test_positional_and_alias_run_the_same(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    shutil.copytree(BASE, data)
    outputs = []
    for argv in (["stats", str(data), "--format", "json"], ["stats", "--root", str(data), "--format", "json"],
                 ["export", str(data), "--format", "csv"], ["export", "--root", str(data), "--format", "csv"]):
        assert main(argv) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[2] == outputs[3] and '"total": 4' in outputs[0]


def test_history_of_a_data_folder_given_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data, _ = shared_story(tmp_path)
    assert main(["history", "--root", str(data), "-n", "2"]) == 0
    want = capsys.readouterr().out
    assert main(["history", str(data), "-n", "2"]) == 0
    assert capsys.readouterr().out == want and len(re.findall(r"^    \S", want, re.M)) == 2


# ---- help texts ----

def _description_lines(text: str) -> list[str]:
    """The lines of ``--help`` between the usage and the argument lists: the command's own text."""
    body = text.split("\n\n", 1)[1]
    return body.split("\npositional arguments:")[0].split("\noptions:")[0].splitlines()


@pytest.mark.parametrize("name", COMMANDS)
def test_help_has_no_leaked_indentation_and_an_example(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    text = command_parsers()[1][name].format_help()
    lines = _description_lines(text)
    assert lines[0] and not lines[0][0].isspace()
    assert [line for line in lines if line.startswith("   ")] == []
    assert max(len(line) for line in lines) <= 98 or name == "new"   # the example of `new` is one long command
    assert re.search(rf"\nExample:\n  powerlist {name} ", text), text


@pytest.mark.parametrize("name", COMMANDS)
def test_the_example_parses(name: str) -> None:
    parser = command_parsers()[1][name]
    text = parser.format_help()
    example = text.split("Example:\n", 1)[1].split("\n")[0]
    argv = shlex.split(example.split(">")[0])
    assert argv[:2] == ["powerlist", name]
    parse(argv[1:])


def test_description_dedents_and_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    def cmd() -> None:
        """First line of the text,
        continued here, and a third part.

        Example:
          powerlist x --flag
        """
    monkeypatch.setenv("COLUMNS", "42")
    assert description(cmd) == ("First line of the text, continued here,\nand a third part.\n\nExample:\n"
                                "  powerlist x --flag")


# ---- generated references ----

@pytest.mark.parametrize("rel", sorted(reference.REFERENCES))
def test_reference_is_current(rel: str) -> None:
    """docs/cli.md and docs/settings.md are what `make docs` writes now (run it after changing a command's
    arguments or help, or a setting's declaration)."""
    assert (PROJECT / rel).read_text(encoding="utf-8") == reference.REFERENCES[rel](), f"run `make docs` ({rel})"


def test_a_stale_reference_is_reported_and_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    monkeypatch.setattr(reference, "PROJECT_DIR", tmp_path)
    (tmp_path / "docs" / "cli.md").write_text(reference.cli_markdown(), encoding="utf-8")
    (tmp_path / "docs" / "settings.md").write_text("old\n", encoding="utf-8")
    assert reference.main(["--check"]) == 1
    assert capsys.readouterr().err == "out of date: docs/settings.md; run `make docs`\n"
    assert (tmp_path / "docs" / "settings.md").read_text(encoding="utf-8") == "old\n"
    assert reference.main([]) == 0
    assert capsys.readouterr().out == "wrote docs/settings.md\n"
    assert reference.main(["--check"]) == 0


def test_settings_reference_lists_every_default() -> None:
    from powerlist.model.settings import declarations

    text = (PROJECT / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2) for m in re.finditer(r"^\| `(POWERLIST_\w+)` \| [^|]+ \| ((?:[^|\\]|\\.)+) \|",
                                                        text, re.M)}
    assert rows == {d.key: reference._default(d.default) for d in declarations()}
    assert rows["POWERLIST_JOBS"] == "`1`" and rows["POWERLIST_REPO_BRANCH"] == "`main`"

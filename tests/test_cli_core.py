"""`powerlist validate / new / stats`: exit codes (0 valid, 1 invalid data, 2 usage) and output formats."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from powerlist.cli.main import main
from powerlist.source.load import collect_problems

HERE = Path(__file__).parent
BASE = HERE / "fixtures" / "base"
REPO = HERE.parent

BAD_ITEM = """\
code: 370700-XK-00009
name: 测试事项
category: 行政许
department: 370700-zjj
status: 保留
basis:
  - law: jianzhufa
    article: 8
"""


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    r = tmp_path / "data"
    shutil.copytree(BASE, r)
    return r


@pytest.fixture()
def bad_root(root: Path) -> Path:
    (root / "items" / "370700-zjj" / "370700-XK-00009.yaml").write_text(BAD_ITEM, encoding="utf-8")
    (root / "laws" / "jianzhufa.yml").write_text("id: x\n", encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- validate ----

def test_validate_ok_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(root))
    assert (code, out, err) == (0, "ok: 4 items, 2 departments, 3 laws; no problems\n", "")


def test_validate_ok_json(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(root), "--format", "json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"valid": True, "count": 0, "problems": [], "items": 4, "departments": 2, "laws": 3}


def test_validate_ok_github_prints_nothing(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "validate", str(root), "--format", "github") == (0, "", "")


def test_validate_defaults_to_current_folder(root: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(root)
    assert run(capsys, "validate")[0] == 0


EXPECTED_TEXT = [
    "items/370700-zjj/370700-XK-00009.yaml:3:11: category: '行政许' is not one of: 行政许可、行政处罚、行政强制、"
    "行政征收、行政给付、行政检查、行政确认、行政奖励、行政裁决、其他行政权力; did you mean '行政许可'?",
    "items/370700-zjj/370700-XK-00009.yaml:8:14: basis[0].article: article 8 is not in laws/jianzhufa.yaml "
    "(it lists 2 articles: 7, 64)",
    "laws/jianzhufa.yml: use the extension .yaml: rename to jianzhufa.yaml",
]


def test_validate_invalid_text_goes_to_stderr_sorted(bad_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(bad_root))
    assert code == 1 and out == ""
    assert err.splitlines() == EXPECTED_TEXT + ["3 problems in 2 files"]


def test_validate_invalid_json(bad_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(bad_root), "--format", "json")
    assert code == 1 and err == ""
    data = json.loads(out)
    assert data["valid"] is False and data["count"] == 3
    assert data["problems"][1] == {"file": "items/370700-zjj/370700-XK-00009.yaml", "line": 8, "col": 14,
                                   "path": "basis[0].article",
                                   "message": "article 8 is not in laws/jianzhufa.yaml (it lists 2 articles: 7, 64)"}
    assert data["problems"][2] == {"file": "laws/jianzhufa.yml", "line": 0, "col": 0, "path": "",
                                   "message": "use the extension .yaml: rename to jianzhufa.yaml"}
    assert "行政许可" in out  # not \\u escaped


def test_validate_invalid_github(bad_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(bad_root), "--format", "github")
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("::error file=items/370700-zjj/370700-XK-00009.yaml,line=3,col=11::category: '行政许'")
    assert lines[1] == ("::error file=items/370700-zjj/370700-XK-00009.yaml,line=8,col=14::basis[0].article: "
                        "article 8 is not in laws/jianzhufa.yaml (it lists 2 articles: 7, 64)")
    assert lines[2] == "::error file=laws/jianzhufa.yml::use the extension .yaml: rename to jianzhufa.yaml"


def test_github_format_escapes_newlines_and_property_separators() -> None:
    from powerlist.cli.report import format_problems
    from powerlist.model.errors import Problem

    out = format_problems([Problem("a,b:c.yaml", 2, 3, "x", "50% bad\nsecond line")], "github")
    assert out == "::error file=a%2Cb%3Ac.yaml,line=2,col=3::x: 50%25 bad%0Asecond line\n"


def test_text_report_counts() -> None:
    from powerlist.cli.report import format_problems
    from powerlist.model.errors import Problem

    assert format_problems([Problem("a.yaml", 1, 1, "", "m")]) == "a.yaml:1:1: m\n1 problem in 1 file\n"


def test_validate_output_is_deterministic(bad_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "validate", str(bad_root), "--format", "json")
    second = run(capsys, "validate", str(bad_root), "--format", "json")
    assert first == second


@pytest.mark.parametrize("argv", [
    ["validate", "--format", "xml"],
    ["validate", "--no-such-option"],
    ["no-such-command"],
    ["stats", "--format", "github"],
])
def test_usage_errors_exit_2(argv: list[str], root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv + [str(root)] if argv[0] != "no-such-command" else argv)
    assert exc.value.code == 2
    assert "powerlist: error:" in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys)
    assert code == 2 and "validate" in out


def test_validate_folder_without_data_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", str(tmp_path))
    assert code == 2 and out == ""
    assert err == f"powerlist: error: {tmp_path} holds neither items/ nor laws/; give the folder of the power-list data\n"


def test_validate_bad_settings_exit_2(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "pelicanconf.py").write_text("POWERLIST_CODE_PATTERN = '(unclosed'\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    assert (code, err) == (2, f"powerlist: error: settings file {root / 'pelicanconf.py'}: setting "
                              "POWERLIST_CODE_PATTERN must be a regular expression, not '(unclosed' (missing ), "
                              "unterminated subpattern at position 0)\n")
    code, _, err = run(capsys, "validate", str(root), "--settings", str(root / "missing.py"))
    assert code == 2 and "settings file not found" in err


def test_validate_reads_settings_from_pelicanconf(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (root / "pelicanconf.py").write_text("POWERLIST_CATEGORIES = [('行政许可', 'XK')]\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(root))
    assert code == 1
    assert "'行政处罚' is not one of: 行政许可" in err


def test_real_entry_point(bad_root: Path) -> None:
    exe = Path(sys.executable).parent / "powerlist"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "powerlist.cli"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.run(cmd + ["validate", str(bad_root), "--format", "json"], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=60)
    assert p.returncode == 1 and json.loads(p.stdout)["count"] == 3 and p.stderr == ""
    p = subprocess.run(cmd + ["validate", str(bad_root)], capture_output=True, text=True, encoding="utf-8",
                       env=env, timeout=60)
    assert p.returncode == 1 and p.stderr.splitlines()[:3] == EXPECTED_TEXT and "Traceback" not in p.stderr
    p = subprocess.run(cmd + ["validate", str(bad_root), "--format", "nope"], capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=60)
    assert p.returncode == 2 and "Traceback" not in p.stderr


# ---- new ----

def test_new_writes_a_valid_file_with_the_next_code(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "new", "--root", str(root), "--department", "370700-zjj", "--category", "行政许可",
                         "--name", "建设工程规划许可", "--basis", "xingzheng-xukefa:12:0:1")
    path = root / "items" / "370700-zjj" / "370700-XK-00002.yaml"
    assert code == 0 and out == f"created {path}\n" and err == ""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("code: 370700-XK-00002\nname: 建设工程规划许可\ncategory: 行政许可\n")
    assert "  - law: xingzheng-xukefa\n    article: 12\n    item: 1\n" in text and "paragraph" not in text
    catalog, problems = collect_problems(root)
    assert problems == [] and catalog is not None
    assert catalog.items["370700-XK-00002"].name == "建设工程规划许可"


def test_new_prefills_basis_and_says_so(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "new", "--root", str(root), "--department", "370702-zjj", "--category", "行政处罚")
    assert code == 0 and "370702-CF-00002.yaml" in out
    assert "basis was prefilled" in err
    catalog, problems = collect_problems(root)
    assert problems == [] and catalog is not None
    assert catalog.items["370702-CF-00002"].basis == catalog.items["370702-CF-00001"].basis


@pytest.mark.parametrize("name", ["yes", "12", "a: b", "#x", "- 列表", "'引号'", "  空格  ", "{x}"])
def test_new_quotes_awkward_names(name: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = run(capsys, "new", "--root", str(root), "--department", "370700-zjj", "--category", "行政检查",
                     "--name", name, "--basis", "jianzhufa:7")
    assert code == 0
    catalog, problems = collect_problems(root)
    assert problems == [] and catalog is not None
    assert catalog.items["370700-JC-00001"].name == name.strip()


def test_new_never_overwrites(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = root / "items" / "370700-zjj" / "370700-XK-00001.yaml"
    before = target.read_bytes()
    code, out, err = run(capsys, "new", "--root", str(root), "--department", "370700-zjj", "--category", "行政许可",
                         "--code", "370700-XK-00001", "--basis", "jianzhufa:7")
    assert code == 2 and out == ""
    assert err == "powerlist: error: code 370700-XK-00001 is already used by items/370700-zjj/370700-XK-00001.yaml\n"
    assert target.read_bytes() == before


@pytest.mark.parametrize("args,message", [
    (["--department", "nodep", "--category", "行政许可"], "unknown department 'nodep'"),
    (["--department", "370700-zjj", "--category", "行政"], "unknown category '行政'"),
    (["--department", "370700-zjj", "--category", "行政检查"], "give the legal basis with --basis"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "nolaw:1"], "unknown law id 'nolaw'"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa"], "expected LAW:ARTICLE"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:8"],
     "article 8 is not in laws/jianzhufa.yaml"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:7", "--name", "两\n行"],
     "--name must be one non-empty line"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:7", "--name", " "],
     "--name must be one non-empty line"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:七"], "with numbers"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:7", "--code", "../../evil"],
     "does not match the site's code pattern"),
    (["--department", "nodep", "--category", "行政许可", "--basis", "jianzhufa:7", "--code", "370700-XK-00005"],
     "unknown department 'nodep'"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:7", "--code", "370700-CF-00005"],
     "letters 'CF' do not match category 行政许可"),
    (["--department", "370700-zjj", "--category", "行政许可", "--basis", "jianzhufa:7", "--code", "370702-XK-00005"],
     "region '370702' does not match"),
])
def test_new_usage_errors(args: list[str], message: str, root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    code, out, err = run(capsys, "new", "--root", str(root), *args)
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    assert not (root.parent / "evil.yaml").exists()


def test_new_on_invalid_data_exits_1(bad_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "new", "--root", str(bad_root), "--department", "370700-zjj", "--category", "行政许可",
                       "--basis", "jianzhufa:7")
    assert code == 1 and EXPECTED_TEXT[0] in err


# ---- stats ----

def test_stats_text(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", str(root))
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "在用事项（保留）：部门 × 权力类别"
    assert lines[1].split() == ["部门", "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查",
                                "行政确认", "行政奖励", "行政裁决", "其他行政权力", "合计"]
    assert lines[3].split() == ["潍坊市住房和城乡建设局", "2"] + ["0"] * 9 + ["2"]
    assert lines[4].split() == ["潍城区住房和城乡建设局", "0", "1"] + ["0"] * 8 + ["1"]
    assert lines[5].split() == ["合计", "2", "1"] + ["0"] * 8 + ["3"]
    rows = {ln.split()[0]: ln.split()[1] for ln in lines[lines.index("全部事项：按状态") + 3:]}
    assert rows == {"保留": "3", "取消": "0", "下放": "1", "冻结": "0", "合并": "0", "转出": "0", "合计": "4"}


def test_stats_json(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", str(root), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 4 and data["active"] == 3
    assert data["by_status"] == {"保留": 3, "取消": 0, "下放": 1, "冻结": 0, "合并": 0, "转出": 0}
    assert data["by_department"][0]["id"] == "370700-zjj"
    assert data["by_department"][0]["counts"]["行政许可"] == 2
    assert data["by_department"][0]["counts"]["行政处罚"] == 0  # the 下放 item is not in force
    assert data["by_department"][1]["total"] == 1


def test_stats_on_invalid_data_exits_1_with_the_chosen_format(bad_root: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "stats", str(bad_root))
    assert code == 1 and out == "" and err.splitlines()[:3] == EXPECTED_TEXT
    code, out, err = run(capsys, "stats", str(bad_root), "--format", "json")
    assert code == 1 and json.loads(out)["count"] == 3

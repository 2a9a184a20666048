"""``powerlist new`` writes only what validate accepts: numbers and the name follow the validator's rules."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from powerlist.model.errors import UsageError
from powerlist.model.records import Citation
from powerlist.source.load import collect_problems, load_catalog
from powerlist.source.scaffold import create_item, parse_basis

BASE = Path(__file__).parent / "fixtures" / "base"


@pytest.mark.parametrize("spec,citation", [
    ("jianzhufa:7", Citation("jianzhufa", 7)),
    ("jianzhufa:9999:99:99", Citation("jianzhufa", 9999, 99, 99)),
    ("xingzheng-xukefa:12:0:1", Citation("xingzheng-xukefa", 12, None, 1)),
])
def test_plain_numbers_are_taken(spec: str, citation: Citation) -> None:
    assert parse_basis(spec) == citation


@pytest.mark.parametrize("spec,message", [
    ("jianzhufa:010", "--basis 'jianzhufa:010': '010' is not a plain decimal number; write the article number as "
                      "a plain decimal integer: 10"),
    ("jianzhufa:１２", "--basis 'jianzhufa:１２': '１２' is not a plain decimal number; write the article number as "
                      "a plain decimal integer: 12"),
    ("jianzhufa:7:1_0", "--basis 'jianzhufa:7:1_0': '1_0' is not a plain decimal number; write the paragraph "
                        "number as a plain decimal integer: 10"),
    ("jianzhufa:7:1:+2", "--basis 'jianzhufa:7:1:+2': '+2' is not a plain decimal number; write the item number "
                         "as a plain decimal integer: 2"),
    ("jianzhufa:七", "--basis 'jianzhufa:七': expected LAW:ARTICLE[:PARAGRAPH[:ITEM]] with numbers"),
    ("jianzhufa:10000", "--basis 'jianzhufa:10000': the article number is at most 9999"),
    ("jianzhufa:7:100", "--basis 'jianzhufa:7:100': the paragraph number is at most 99"),
    ("jianzhufa:" + "9" * 5000, "--basis 'jianzhufa:" + "9" * 5000
     + "': expected LAW:ARTICLE[:PARAGRAPH[:ITEM]] with numbers"),
])
def test_other_number_forms_are_refused(spec: str, message: str) -> None:
    with pytest.raises(UsageError) as exc:
        parse_basis(spec)
    assert str(exc.value) == message


@pytest.mark.parametrize("name,message", [
    ("建筑\r许可", "--name must be a single line: remove the line break U+000D (carriage return) at character 3"),
    ("建筑\u2028许可", "--name must be a single line: remove the line break U+2028 (LINE SEPARATOR) at character 3"),
    ("建筑\x07许可", "--name holds the control character U+0007 at character 3; remove it"),
    ("名" * 501, "--name is too long (501 characters); a one-line field holds at most 500"),
])
def test_a_name_validate_would_refuse_is_refused_before_writing(tmp_path: Path, name: str, message: str) -> None:
    root = tmp_path / "data"
    shutil.copytree(BASE, root)
    with pytest.raises(UsageError) as exc:
        create_item(load_catalog(root), root, "370700-zjj", "行政许可", name, [Citation("jianzhufa", 7)])
    assert str(exc.value) == message
    assert sorted(p.name for p in (root / "items" / "370700-zjj").iterdir()) == sorted(
        p.name for p in (BASE / "items" / "370700-zjj").iterdir())


def test_a_name_at_the_limit_is_written_and_validates(tmp_path: Path) -> None:
    root = tmp_path / "data"
    shutil.copytree(BASE, root)
    path, _ = create_item(load_catalog(root), root, "370700-zjj", "行政许可", "名" * 500,
                          [Citation("jianzhufa", 7)])
    assert path.exists()
    assert collect_problems(root)[1] == []

"""The layer contracts of pyproject.toml (run by ``lint-imports`` in ``make test``) hold for the package, and they
catch what they are for: an import up a layer, an import between two features, and an import cycle hidden inside
a function. Each bad case is made in a copy of the package."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"

pytestmark = pytest.mark.skipif(not LINT.exists(), reason="import-linter is not installed (make install)")


def lint(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with the project's contracts over the package ``root/powerlist``."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--no-cache", "--config", str(REPO / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)


def copy_with(tmp_path: Path, rel: str, extra: str) -> Path:
    shutil.copytree(REPO / "powerlist", tmp_path / "powerlist", ignore=shutil.ignore_patterns("__pycache__"))
    with open(tmp_path / "powerlist" / rel, "a", encoding="utf-8") as f:
        f.write(extra)
    return tmp_path


def statuses(r: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """Contract name → KEPT or BROKEN, from lint-imports' summary (names may wrap over lines there)."""
    summary = r.stdout.split("-------------------------------------", 1)[-1].split("Contracts:", 1)[0]
    found = re.findall(r"(.+?) (KEPT|BROKEN)", " ".join(summary.split()))
    return {name.strip(): status for name, status in found}


def broken(r: subprocess.CompletedProcess[str]) -> list[str]:
    """The broken contracts, by the start of their names."""
    return [name.split(":")[0] for name, status in statuses(r).items() if status == "BROKEN"]


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    r = lint(copy_with(tmp_path, "__init__.py", ""))
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(statuses(r)) == 5 and set(statuses(r).values()) == {"KEPT"}


def test_an_import_up_a_layer_is_caught(tmp_path: Path) -> None:
    r = lint(copy_with(tmp_path, "model/records.py", "\nfrom ..site import render  # noqa: E402\n"))
    assert r.returncode == 1
    assert "powerlist.model.records -> powerlist.site.render" in r.stdout
    assert broken(r)[0] == "Layers point down"


def test_an_import_between_features_is_caught(tmp_path: Path) -> None:
    r = lint(copy_with(tmp_path, "search/index.py", "\nfrom ..exchange import columns  # noqa: E402\n"))
    assert r.returncode == 1
    assert "powerlist.search.index -> powerlist.exchange.columns" in r.stdout
    assert broken(r) == ["Layers point down"]


def test_a_cycle_hidden_in_a_function_is_caught(tmp_path: Path) -> None:
    # vcs.contribution imports vcs.feed; a function-level import back closes a cycle
    r = lint(copy_with(tmp_path, "vcs/feed.py", "\n\ndef _back() -> None:\n    from .contribution import KIND_LABEL  # noqa\n"))
    assert r.returncode == 1
    assert broken(r) == ["No import cycles between sibling modules or packages, at any depth"]
    assert "- .feed -> .contribution (1 import)" in r.stdout

"""Shared helpers for the site tests: a data folder in git with a hostile item, and built outputs."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "site-mini"

XSS_NAME = "<script>alert(1)</script>测试事项<img src=x onerror=alert(1)>"
XSS_ITEM = """code: 370702-QT-00001
name: "<script>alert(1)</script>测试事项<img src=x onerror=alert(1)>"
category: 其他行政权力
department: 370702-zjj
status: 保留
basis:
  - law: jianzhufa
    article: 7
summary: |
  <script>alert(1)</script> 说明 <img src=x onerror=alert(1)>

  [点我](javascript:alert(1)) 与 <a href="javascript:alert(2)">链接</a>
remarks: "<script>alert(3)</script>"
"""


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": "2024-05-01T10:00:00+08:00",
           "GIT_COMMITTER_DATE": "2024-05-01T10:00:00+08:00"}
    subprocess.run(["git", "-C", str(root), "-c", "user.name=测试", "-c", "user.email=t@example.org",
                    "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, env=env)


def make_data(dest: Path, hostile: bool = True, in_git: bool = True) -> Path:
    """A copy of the mini fixture (plus an item full of HTML and script) committed to a fresh repository."""
    shutil.copytree(FIXTURE, dest)
    if hostile:
        (dest / "items" / "370702-zjj" / "370702-QT-00001.yaml").write_text(XSS_ITEM, encoding="utf-8")
    if in_git:
        git(dest, "init", "-q", "-b", "main")
        git(dest, "add", "-A")
        git(dest, "commit", "-q", "-m", "sample data")
    return dest

"""Throwaway git repositories of power-list data for the audit tests (history, diff, reform, verify-site).

``make_story_repo(path)`` builds the same small story every time, with fixed authors and dates:

1. 2024-01-01 初始清单: laws, two departments, three items (all 保留)
2. 2024-01-02 edit 370700-XK-00001: new name, one more basis citation
3. 2024-01-03 renumber 370700-XK-00002 → 370700-XK-00003 (git mv + code edit)
4. 2024-01-04 cancel 370700-CF-00001 (取消 + decision)
5. 2024-01-05 on branch "delegate": delegate 370700-XK-00001 to 370702-zjj (下放)
6. 2024-01-06 on main: the licensing law gains article 13
7. 2024-01-07 merge "delegate" into main (a merge commit)
8. 2024-01-08 GBK-encoded message with i18n.commitEncoding=GBK: rename 370700-XK-00003
9. 2024-01-09 GBK bytes without an encoding header (invalid UTF-8): summary of 370700-XK-00003
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

AUTHOR = ("张三", "zhangsan@example.org")
REVIEWER = ("李四", "lisi@example.org")
ASCII_AUTHOR = ("wangwu", "wangwu@example.org")  # a GBK-encoded commit re-encodes its author line too

LAW_XK = """id: xingzheng-xukefa
title: 中华人民共和国行政许可法
level: 法律
issuer: 全国人民代表大会常务委员会
status: 现行有效
articles:
  12: 下列事项可以设定行政许可
"""
LAW_JZ = """id: jianzhufa
title: 中华人民共和国建筑法
level: 法律
issuer: 全国人民代表大会常务委员会
status: 现行有效
"""
DEP_SHI = """id: 370700-zjj
name: 潍坊市住房和城乡建设局
region: "370700"
region_name: 潍坊市
level: 市级
order: 1
"""
DEP_QU = """id: 370702-zjj
name: 潍城区住房和城乡建设局
region: "370702"
region_name: 潍城区
level: 县级
order: 2
"""


def item_yaml(code: str, name: str, category: str = "行政许可", status: str = "保留",
              basis: tuple[tuple[str, int], ...] = (("jianzhufa", 7),), extra: str = "",
              department: str = "370700-zjj") -> str:
    lines = [f"code: {code}", f"name: {name}", f"category: {category}", f"department: {department}",
             f"status: {status}", "basis:"]
    for law, art in basis:
        lines += [f"  - law: {law}", f"    article: {art}"]
    return "\n".join(lines) + "\n" + extra


XK1 = "items/370700-zjj/370700-XK-00001.yaml"
XK2 = "items/370700-zjj/370700-XK-00002.yaml"
XK3 = "items/370700-zjj/370700-XK-00003.yaml"
CF1 = "items/370700-zjj/370700-CF-00001.yaml"
CF_TEXT = item_yaml("370700-CF-00001", "对未取得施工许可证擅自施工的处罚", category="行政处罚",
                    basis=(("jianzhufa", 64),))


class Repo:
    def __init__(self, path: Path):
        self.path = path
        self.n = 0
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def env(self, day: int, who: tuple[str, str]) -> dict[str, str]:
        env = dict(os.environ)
        date = f"2024-01-{day:02d}T10:00:00+08:00"
        env.update({"GIT_AUTHOR_NAME": who[0], "GIT_AUTHOR_EMAIL": who[1], "GIT_AUTHOR_DATE": date,
                    "GIT_COMMITTER_NAME": who[0], "GIT_COMMITTER_EMAIL": who[1], "GIT_COMMITTER_DATE": date,
                    "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(self.path)})
        return env

    def git(self, *args: str, day: int = 1, who: tuple[str, str] = AUTHOR) -> str:
        out = subprocess.run(["git", "-c", "user.name=x", "-c", "user.email=x@x", "-c", "commit.gpgsign=false",
                              *args], cwd=self.path, env=self.env(day, who), check=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        return out.stdout.decode("utf-8", "replace").strip()

    def write(self, files: dict[str, str | None]) -> None:
        for rel, text in files.items():
            p = self.path / rel
            if text is None:
                self.git("rm", "-q", rel)
                continue
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text, encoding="utf-8")
            self.git("add", rel)

    def commit(self, message: str | bytes, day: int, files: dict[str, str | None] | None = None,
               who: tuple[str, str] = AUTHOR, encoding: str | None = None) -> str:
        if files:
            self.write(files)
        msgfile = self.path.parent / f".msg-{self.path.name}"
        msgfile.write_bytes(message if isinstance(message, bytes) else message.encode("utf-8"))
        pre = ["-c", f"i18n.commitEncoding={encoding}"] if encoding else []
        self.git(*pre, "commit", "-q", "--allow-empty-message", "-F", str(msgfile), day=day, who=who)
        msgfile.unlink()
        return self.git("rev-parse", "HEAD")


def _raw_commit(self: Repo, message: bytes, day: int, who: tuple[str, str] = AUTHOR) -> str:
    """Commit the index with a message of raw bytes and no encoding header (``git commit`` would re-encode
    invalid UTF-8 as Latin-1; old repositories and other tools do write such commits)."""
    tree = self.git("write-tree")
    parent = self.git("rev-parse", "HEAD")
    stamp = f"{1704765600 + (day - 9) * 86400} +0800"
    body = (f"tree {tree}\nparent {parent}\nauthor {who[0]} <{who[1]}> {stamp}\n"
            f"committer {who[0]} <{who[1]}> {stamp}\n\n").encode("utf-8") + message
    proc = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=self.path, input=body,
                          stdout=subprocess.PIPE, check=True)
    sha = proc.stdout.decode().strip()
    self.git("update-ref", "HEAD", sha)
    return sha


Repo.raw_commit = _raw_commit  # type: ignore[attr-defined]


def make_story_repo(path: Path) -> tuple[Repo, dict[str, str]]:
    """Build the story (see the module docstring); returns the repo and commit hashes by step name."""
    r = Repo(path)
    h: dict[str, str] = {}
    h["init"] = r.commit("初始清单", 1, {
        "laws/xingzheng-xukefa.yaml": LAW_XK, "laws/jianzhufa.yaml": LAW_JZ,
        "items/370700-zjj/_department.yaml": DEP_SHI, "items/370702-zjj/_department.yaml": DEP_QU,
        XK1: item_yaml("370700-XK-00001", "建筑工程施工许可证核发"),
        XK2: item_yaml("370700-XK-00002", "建筑业企业资质核准"),
        CF1: CF_TEXT,
    })
    h["edit"] = r.commit("修改施工许可事项名称和依据", 2, {
        XK1: item_yaml("370700-XK-00001", "建筑工程施工许可", basis=(("jianzhufa", 7), ("xingzheng-xukefa", 12))),
    })
    r.git("mv", XK2, XK3)
    h["rename"] = r.commit("事项重新编号", 3, {
        XK3: item_yaml("370700-XK-00003", "建筑业企业资质核准"),
    })
    h["cancel"] = r.commit("取消处罚事项", 4, {
        CF1: item_yaml("370700-CF-00001", "对未取得施工许可证擅自施工的处罚", category="行政处罚", status="取消",
                       basis=(("jianzhufa", 64),),
                       extra="decision:\n  document: 潍政发〔2024〕1号\n  date: \"2024-01-04\"\n"),
    })
    r.git("checkout", "-q", "-b", "delegate")
    h["delegate"] = r.commit("下放施工许可", 5, {
        XK1: item_yaml("370700-XK-00001", "建筑工程施工许可", status="下放",
                       basis=(("jianzhufa", 7), ("xingzheng-xukefa", 12)),
                       extra="decision:\n  document: 潍政发〔2024〕2号\n  date: \"2024-01-05\"\n  to: 370702-zjj\n"),
    }, who=REVIEWER)
    r.git("checkout", "-q", "main")
    h["law"] = r.commit("行政许可法补充第十三条", 6, {
        "laws/xingzheng-xukefa.yaml": LAW_XK + "  13: 可以不设行政许可的情形\n",
    })
    r.git("merge", "-q", "--no-ff", "-m", "合并下放分支", "delegate", day=7)
    h["merge"] = r.git("rev-parse", "HEAD")
    h["gbk"] = r.commit("调整资质核准名称".encode("gbk"), 8, {
        XK3: item_yaml("370700-XK-00003", "建筑业企业资质核准（延续）"),
    }, who=ASCII_AUTHOR, encoding="GBK")
    r.write({XK3: item_yaml("370700-XK-00003", "建筑业企业资质核准（延续）", extra="summary: 资质延续\n")})
    h["raw"] = r.raw_commit(b"\xb2\xb9\xb3\xe4 summary\n", 9)
    return r, h


PROJECT = Path(__file__).resolve().parent.parent


def settings_file(dest: Path, contributors: tuple[str, ...] = ("powerlist.vcs.contribution",), **overrides: object) -> Path:
    """A pelicanconf for test builds: the project's settings, theme and content, with only the features under
    test contributing (other features are tested by their own suites) and ``overrides`` applied."""
    lines = [f"exec(open({str(PROJECT / 'pelicanconf.py')!r}, encoding='utf-8').read())",
             f"THEME = {str(PROJECT / 'theme')!r}", f"PATH = {str(PROJECT / 'content')!r}",
             f"POWERLIST_CONTRIBUTORS = {list(contributors)!r}", "POWERLIST_JOBS = 1"]
    lines += [f"{k} = {v!r}" for k, v in overrides.items()]
    dest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dest


_STORY_CACHE: dict[str, tuple[Path, dict[str, str]]] = {}


def shared_story(base: Path) -> tuple[Path, dict[str, str]]:
    """The story repository, built once per test session under ``base`` (tests must not modify it)."""
    key = str(base)
    if key not in _STORY_CACHE:
        root = base / "audit-story"
        _, hashes = make_story_repo(root)
        subprocess.run(["git", "tag", "baseline-2024", hashes["init"]], cwd=root, check=True)
        _STORY_CACHE[key] = (root, hashes)
    return _STORY_CACHE[key]

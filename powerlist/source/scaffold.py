"""``powerlist new``: a new item file with the next free code, valid as written, with the optional sections
present as commented hints so editors see what they can fill in."""
from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from ..model.catalog import Catalog
from ..model.errors import UsageError
from ..model.records import Citation
from ..model.spec import ARTICLE_MAX, PART_MAX
from .scalars import decimal_for, not_decimal, text_problem
from .yamlfast import is_decimal

_PLAIN = re.compile(r"^[^\s:#&*!|>'\"%@`{}\[\],?-][^:#]*$")


def _q(s: str) -> str:
    """A YAML scalar for s: plain when unambiguous, else double-quoted (JSON strings are valid YAML)."""
    if _PLAIN.match(s) and not re.match(r"^[\d.+-]|^(true|false|yes|no|on|off|null|~)$", s, re.I) and s == s.strip():
        return s
    return json.dumps(s, ensure_ascii=False)


def next_code(catalog: Catalog, department: str, category: str) -> str:
    """The next free main-item code for a department's region and a category (codes are unique site-wide)."""
    settings = catalog.settings
    if department not in catalog.departments:
        raise UsageError(f"unknown department '{department}'; known: {', '.join(catalog.departments)}")
    if category not in settings.category_letters:
        raise UsageError(f"unknown category '{category}'; one of: {'、'.join(settings.category_names)}")
    groups = settings.code_re.groupindex
    if not {"region", "letters", "main"} <= set(groups):
        raise UsageError("the site's code pattern has no region/letters/main groups; give the code with --code")
    region = catalog.departments[department].region
    letters = settings.category_letters[category]
    highest = 0
    width = 5
    for code in catalog.items:
        m = settings.code_re.match(code)
        if m and m.group("region") == region and m.group("letters") == letters:
            highest = max(highest, int(m.group("main")))
            width = len(m.group("main"))
    for n in range(highest + 1, 10 ** width):
        code = f"{region}-{letters}-{n:0{width}d}"
        if settings.code_re.match(code) and code not in catalog.items:
            return code
    raise UsageError(f"no free code left for {region}-{letters}")


def default_basis(catalog: Catalog, department: str, category: str) -> Citation | None:
    """The citation most used by the department's items of the same category (a starting point to check)."""
    counts: Counter[Citation] = Counter()
    for it in catalog.by_department.get(department, []):
        if it.category == category:
            counts.update(Citation(c.law, c.article, c.paragraph, c.item, None, c.point, c.point_label)
                          for c in it.basis)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].law, kv[0].article or 0))[0][0]


def render_new_item(code: str, name: str, category: str, department: str, basis: list[Citation],
                    prefilled: bool) -> str:
    lines = [
        f"code: {code}",
        f"name: {_q(name)}",
        f"category: {category}",
        f"department: {department}",
        "status: 保留",
        "basis:" + ("  # 自动填入本部门同类事项最常用的依据，请核对后修改" if prefilled else ""),
    ]
    for c in basis:
        lines.append(f"  - law: {c.law}")
        if c.article is not None:
            lines.append(f"    article: {c.article}")
        if c.paragraph:
            lines.append(f"    paragraph: {c.paragraph}")
        if c.item:
            lines.append(f"    item: {c.item}")
        if c.point is not None:
            lines.append(f"    point: {c.point}")
        if c.point_label:
            lines.append(f"    point_label: {_q(c.point_label)}")
    lines += [
        "# 以下为可选项，去掉行首的 # 后填写（格式见 item-format.md）：",
        "# source: 法定本级行使          # 权力来源",
        "# office: 行政审批服务科        # 承办机构",
        "# summary: |                   # 事项说明（Markdown）",
        "#   ……",
        "# handling: 承诺件             # 办件类型：即办件 / 承诺件",
        "# time_limit:",
        "#   statutory: 20个工作日",
        "#   promised: 5个工作日",
        "# fee:",
        "#   charged: false",
        "# flow:                        # 运行流程",
        "#   - id: accept",
        "#     name: 受理",
        "#     next: [review, reject]",
        "#   - id: reject",
        "#     name: 不予受理",
        "#     next: []",
        "#   - id: review",
        "#     name: 审查",
        "#   - id: decide",
        "#     name: 决定",
        "#     next: []",
        "# responsibilities:             # 责任事项",
        "#   - stage: 受理",
        "#     duty: 依法受理或者不予受理申请，并一次性告知需补正的材料",
        "# accountability:               # 追责情形",
        "#   - situation: 对符合法定条件的申请不予受理的",
        "# risks:                        # 廉政风险点",
        "#   - stage: 审查",
        "#     risk: 降低审查标准",
        "#     level: 中",
        "#     measure: 实行审查、决定分离",
        "# contact:",
        "#   consult: 0536-0000000",
        "#   supervise: 0536-0000000",
        "# remarks: ……",
    ]
    return "\n".join(lines) + "\n"


def create_item(catalog: Catalog, root: Path, department: str, category: str, name: str | None = None,
                basis: list[Citation] | None = None, code: str | None = None) -> tuple[Path, bool]:
    """Write the new file; returns (path, whether basis was prefilled). Never overwrites."""
    code = _checked_code(catalog, department, category, code) if code else next_code(catalog, department, category)
    if code in catalog.items:
        raise UsageError(f"code {code} is already used by {catalog.items[code].file}")
    prefilled = False
    if not basis:
        guess = default_basis(catalog, department, category)
        if guess is None:
            raise UsageError("give the legal basis with --basis LAW:ARTICLE[:PARAGRAPH[:ITEM]] "
                             "(e.g. --basis xingzheng-xukefa:12:0:1); laws are in laws/")
        basis, prefilled = [guess], True
    for c in basis:
        if c.law not in catalog.laws:
            raise UsageError(f"unknown law id '{c.law}' in --basis; laws are the file names in laws/")
        arts = catalog.laws[c.law].articles
        if arts and c.article is not None and c.article not in arts:
            raise UsageError(f"--basis {c.law}:{c.article}: article {c.article} is not in laws/{c.law}.yaml")
    if name is not None and (not name.strip() or "\n" in name.strip()):
        raise UsageError("--name must be one non-empty line")
    bad = text_problem(name.strip(), True) if name is not None else None
    if bad is not None:
        raise UsageError(f"--name {bad}")     # the file written must validate
    path = root / "items" / department / f"{code}.yaml"
    if path.exists():
        raise UsageError(f"{path} exists already")
    text = render_new_item(code, name or f"新{category}事项（请填写事项名称）", category, department, basis, prefilled)
    path.write_text(text, encoding="utf-8")
    return path, prefilled


def _checked_code(catalog: Catalog, department: str, category: str, code: str) -> str:
    """A --code given by hand: a known department and category, and a code the validator will accept there
    (never a path: it becomes the file name)."""
    settings = catalog.settings
    if department not in catalog.departments:
        raise UsageError(f"unknown department '{department}'; known: {', '.join(catalog.departments)}")
    if category not in settings.category_letters:
        raise UsageError(f"unknown category '{category}'; one of: {'、'.join(settings.category_names)}")
    m = settings.code_re.match(code) if re.match(r"^[A-Za-z0-9][A-Za-z0-9-]*$", code) else None
    if m is None:
        raise UsageError(f"--code {code!r} does not match the site's code pattern {settings.code_pattern}")
    groups = m.groupdict()
    if groups.get("letters") and groups["letters"] != settings.category_letters[category]:
        raise UsageError(f"--code {code}: letters '{groups['letters']}' do not match category {category} "
                         f"({settings.category_letters[category]})")
    region = catalog.departments[department].region
    if groups.get("region") and groups["region"] != region:
        raise UsageError(f"--code {code}: region '{groups['region']}' does not match the department's '{region}'")
    return code


def parse_basis(spec: str) -> Citation:
    """'law:12[:1[:2]]' → Citation (0 for 'no paragraph'). Numbers are plain decimal integers within the
    validator's limits, as in the files (``010`` or ``１２`` are refused with how to write them)."""
    parts = spec.split(":")
    whats = ("the article number", "the paragraph number", "the item number")
    for p, what in zip(parts[1:], whats):
        if not is_decimal(p):
            hint = (not_decimal(p, what) if decimal_for(p) is not None
                    else "expected LAW:ARTICLE[:PARAGRAPH[:ITEM]] with numbers")
            raise UsageError(f"--basis {spec!r}: {hint}")
    nums = [int(p) for p in parts[1:]]
    if not parts[0] or not nums or len(nums) > 3 or nums[0] < 1:
        raise UsageError(f"--basis {spec!r}: expected LAW:ARTICLE[:PARAGRAPH[:ITEM]]")
    for n, what, most in zip(nums, whats, (ARTICLE_MAX, PART_MAX, PART_MAX)):
        if n > most:
            raise UsageError(f"--basis {spec!r}: {what} is at most {most}")
    nums += [0, 0]
    return Citation(parts[0], nums[0], nums[1] or None, nums[2] or None)

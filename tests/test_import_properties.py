"""Property tests: whatever workbook or CSV file a department sends, ``powerlist import`` answers with a report or
one of the project's own errors (UsageError, InvalidData), within seconds, and never drops a row silently.

Random workbooks: random sizes (empty sheets too), cells of every kind (text with long strings, numbers in text
columns, dates, booleans, formulas without cached values, Excel error values), random merged ranges including
absurd ones (the whole grid, backwards, overlapping, beyond the data), other sheets, and random damage to the
saved file (cut short, bytes overwritten). Random CSV text in random encodings and delimiters.
"""
from __future__ import annotations

import datetime as dt
import os
import signal
import zipfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from exchange_data import empty_copy
from powerlist.exchange.importer import ImportOptions, ImportResult, run_import
from powerlist.exchange.table import detect_header, read_table
from powerlist.model.errors import InvalidData, UsageError

DEP = "370700-zjj"
#: seconds one example may take before it counts as a hang (no timing is asserted below that)
HANG_SECONDS = 20
SETTINGS = settings(max_examples=int(os.environ.get("POWERLIST_PROPERTY_EXAMPLES", "60")), deadline=None,
                    derandomize="POWERLIST_PROPERTY_EXAMPLES" not in os.environ,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return empty_copy(tmp_path_factory.mktemp("imp") / "data")


@contextmanager
def hang_guard(seconds: int = HANG_SECONDS) -> Iterator[None]:
    """Fail (instead of waiting forever) when the body runs longer than ``seconds``."""
    def on_alarm(signum: int, frame: Any) -> None:
        raise TimeoutError(f"import still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


HEADERS = ["事项名称", "权力类别", "实施依据", "事项编码", "主项编码", "子项名称", "状态", "调整文件", "调整日期", "调整去向",
           "备注", "承办机构", "是否收费", "收费项目", "办件类型", "法定时限", "序号", "", "其他"]
WORDS = ["建筑工程施工许可", "行政许可", "行政处罚", "许可", "《中华人民共和国建筑法》第七条", "建筑法第六十四条", "370700-XK-00001",
         "370700-XK-00001-001", "保留", "取消", "下放", "2023-06-01", "2023年6月1日", "是", "否", "=A1", "'=SUM(A1)",
         "《中华人民共和国行政许可法》第十二条第一款第（二）项、第十四条", "第" + "万" * 50 + "条", "(" * 300, "#N/A"]
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40) | st.sampled_from(WORDS)
cells = st.one_of(
    st.none(), text, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)), st.booleans(),
    st.sampled_from(["=A1+1", "=1/0", "=NOW()", "#DIV/0!", "#REF!", "LONG"]),
)
ABSURD = ["A1:XFD1048576", "B2:XFD1048576", "A1:A1", "C5:A1", "A1:C3", "A1:C3", "Z99:AA100", "A2:A1048576",
          "XFD1:XFD2", "B3:B1048576", "A3:XFD3"]
DAMAGED = ["A0:B1", "ZZZZ1:A2"]
merge_ref = st.sampled_from(ABSURD * 8 + DAMAGED) | st.builds(
    lambda c0, r0, c1, r1: f"{c0}{r0}:{c1}{r1}", st.sampled_from("ABCDEFGHIJ"), st.integers(1, 40),
    st.sampled_from("ABCDEFGHIJ"), st.integers(1, 40))


@st.composite
def workbooks(draw: st.DrawFn) -> dict[str, Any]:
    width = draw(st.integers(0, 10))
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width))
    if header and draw(st.integers(0, 4)):   # mostly a sheet the importer can read, so rows get imported
        header[draw(st.integers(0, len(header) - 1))] = "事项名称"
    body = draw(st.lists(st.lists(cells, max_size=width + 2), max_size=25))
    return {
        "title_rows": draw(st.integers(0, 2)),
        "header": header,
        "body": body,
        "merges": draw(st.lists(merge_ref, max_size=6)),
        "long": draw(st.sampled_from([5, 40_000, 200_000])),
        "other_sheets": draw(st.integers(0, 2)),
        "damage": draw(st.sampled_from([None] * 8 + ["cut", "bytes"])),
        "damage_at": draw(st.floats(0, 1)),
    }


def _write(spec: dict[str, Any], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "清单"
    for _ in range(spec["title_rows"]):
        ws.append(["潍坊市住房和城乡建设局行政权力清单"])
    ws.append(spec["header"])
    for r in spec["body"]:
        ws.append(r)
    for i in range(spec["other_sheets"]):
        wb.create_sheet(f"其他{i}").append(["x"])
    wb.save(path)
    merges = "".join(f'<mergeCell ref="{m}"/>' for m in spec["merges"]).encode()
    long = ("长" * spec["long"]).encode()
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b">LONG<", b">" + long + b"<")
                if merges:
                    data = data.replace(b"</sheetData>", b'</sheetData><mergeCells count="%d">%s</mergeCells>'
                                        % (len(spec["merges"]), merges))
            zout.writestr(info.filename, data)
    data = tmp.read_bytes()
    os.remove(tmp)
    at = int(spec["damage_at"] * len(data))
    if spec["damage"] == "cut":
        data = data[:at]
    elif spec["damage"] == "bytes":
        data = data[:at] + b"\x00\xff<!--" * 4 + data[at + 24:]
    path.write_bytes(data)


def _check(path: Path, root: Path, **kw: Any) -> None:
    """Import; only the project's errors may come out; every non-blank row below the header is accounted for."""
    try:
        with hang_guard():
            result = run_import(path, ImportOptions(department=DEP, root=root, dry_run=True, **kw))
    except (UsageError, InvalidData) as exc:
        assert str(exc) and "Traceback" not in str(exc)
        return
    assert isinstance(result, ImportResult)
    lines = list(result.report_lines())
    assert all("\n" not in ln for ln in lines if not ln.startswith("    "))
    table = read_table(path, encoding=kw.get("encoding"))
    header = detect_header(table)
    reported = {e.row for e in result.entries} | {n for rows in result.not_items.values() for n in rows}
    for i in range(header.rows[-1] + 1, len(table.rows)):
        if any(v.strip() for v in table.rows[i]):
            assert table.numbers[i] in reported, f"row {table.numbers[i]} was dropped silently: {table.rows[i]}"


@SETTINGS
@given(spec=workbooks())
def test_random_workbooks(root: Path, tmp_path_factory: pytest.TempPathFactory, spec: dict[str, Any]) -> None:
    path = tmp_path_factory.mktemp("wb") / "list.xlsx"
    _write(spec, path)
    _check(path, root)


odd = st.sampled_from(['"', '""', '"a,b"', "\n", "\r\n", "\r", "\t", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\u2028",
                       "\ufffe", "\ufeff", "\ud7ff", "建筑\u0300", "第\u3000七条"])
csv_text = st.lists(st.lists(text | odd | st.lists(text | odd, max_size=4).map("".join), max_size=8), max_size=12)


@SETTINGS
@given(rows=csv_text, header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=6),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "latin-1"]),
       delimiter=st.sampled_from([",", "\t", ";"]), given_encoding=st.sampled_from([None, None, "utf-8", "gbk"]))
def test_random_csv(root: Path, tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: list[str],
                    encoding: str, delimiter: str, given_encoding: str | None) -> None:
    body = "\n".join(delimiter.join(r) for r in [header, *rows])
    path = tmp_path_factory.mktemp("csv") / "list.csv"
    path.write_bytes(body.encode(encoding, "replace"))
    _check(path, root, encoding=given_encoding)

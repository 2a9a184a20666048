"""Chinese numerals and citation labels as statutes write them."""
from __future__ import annotations

import pytest

from powerlist.model.citation import article_anchor, article_label, cn_number, format_citation
from powerlist.model.records import Citation, Law


@pytest.mark.parametrize("n,text", [
    (0, "零"), (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"), (19, "十九"), (20, "二十"),
    (21, "二十一"), (99, "九十九"), (100, "一百"), (101, "一百零一"), (110, "一百一十"), (111, "一百一十一"),
    (120, "一百二十"), (200, "二百"), (1000, "一千"), (1001, "一千零一"), (1010, "一千零一十"),
    (1100, "一千一百"), (1260, "一千二百六十"), (2003, "二千零三"), (9999, "九千九百九十九"),
    (10000, "一万"), (10001, "一万零一"), (12345, "一万二千三百四十五"), (10010, "一万零一十"),
    (100000, "十万"), (110000, "十一万"), (1000000, "一百万"), (10001000, "一千万一千"), (10000100, "一千万零一百"),
    (100000000, "一亿"), (100010000, "一亿零一万"), (1000000001, "十亿零一"), (10 ** 16, "一亿亿"),
])
def test_cn_number(n: int, text: str) -> None:
    assert cn_number(n) == text


def test_cn_number_rejects_negative() -> None:
    with pytest.raises(ValueError):
        cn_number(-1)


def test_cn_number_of_a_huge_number_does_not_recurse() -> None:
    """4,201 digits crashed the build with RecursionError; the validator bounds article numbers to 9999, and the
    conversion itself works for any size."""
    text = cn_number(10 ** 4200 + 1)
    assert text.startswith("一") and text.endswith("零一") and len(text) < 3000


def test_cn_number_is_unique_for_statute_range() -> None:
    texts = [cn_number(n) for n in range(1, 2000)]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("c,label", [
    (Citation("x", 12), "第十二条"),
    (Citation("x", 12, 1), "第十二条第一款"),
    (Citation("x", 12, 1, 2), "第十二条第一款第（二）项"),
    (Citation("x", 12, None, 2), "第十二条第（二）项"),
    (Citation("x", 101, 3), "第一百零一条第三款"),
    (Citation("x", 10, 10, 10), "第十条第十款第（十）项"),
])
def test_article_label(c: Citation, label: str) -> None:
    assert article_label(c) == label


def test_format_citation_uses_the_law_title_and_falls_back_to_the_id() -> None:
    laws = {"xingzheng-xukefa": Law("xingzheng-xukefa", "中华人民共和国行政许可法", "法律", "全国人大常委会", "现行有效")}
    c = Citation("xingzheng-xukefa", 12, 1, 2)
    assert format_citation(c, laws) == "《中华人民共和国行政许可法》第十二条第一款第（二）项"
    assert format_citation(Citation("gone", 3), laws) == "《gone》第三条"


def test_article_anchor() -> None:
    assert article_anchor(12) == "art-12"

"""lib.docno: document-number patterns (文号)."""

from __future__ import annotations

import pytest

from sanxiang.lib import docno

PENALTY = "{short}监罚字〔{year}〕第{n}号"


def test_format_filing_and_penalty_numbers():
    assert (
        docno.format_docno(PENALTY, short="陵人社", year=2026, n=7) == "陵人社监罚字〔2026〕第7号"
    )
    assert (
        docno.format_docno("{short}监立字〔{year}〕第{n}号", short="陵人社", year=2026, n=1)
        == "陵人社监立字〔2026〕第1号"
    )


def test_parse_round_trips():
    text = docno.format_docno(PENALTY, short="陵人社", year=2026, n=123)
    assert docno.parse_docno(PENALTY, text, short="陵人社") == (2026, 123)
    assert docno.parse_docno(PENALTY, "陵人社监罚字〔2026〕第07号", short="陵人社") is None
    assert docno.parse_docno(PENALTY, "晋人社监罚字〔2026〕第7号", short="陵人社") is None


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("", "请填写"),
        ("{short}监罚字第{n}号", "年份"),
        ("{short}监罚字〔{year}〕", "序号"),
        ("{short}监罚字〔{year}〕第{n:03d}号", "虚位"),
        ("{short}监罚字〔{yr}〕第{n}号", "未知的占位符"),
        ("{short}监罚字〔{year}〕第{n}号{n}", "重复"),
        ("{short}监罚字第{n}号〔{year}〕", "年份应在序号之前"),
        ("{short}监罚字〔{year}〕第{n号", "花括号"),
    ],
)
def test_bad_patterns_are_refused_with_a_chinese_reason(pattern, message):
    assert any(message in p for p in docno.pattern_problems(pattern))
    with pytest.raises(docno.DocNoError):
        docno.validate_pattern(pattern)


def test_sequence_number_must_be_positive():
    with pytest.raises(docno.DocNoError, match="正整数"):
        docno.format_docno(PENALTY, short="陵人社", year=2026, n=0)

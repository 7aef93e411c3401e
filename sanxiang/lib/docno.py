"""Document numbers (文号): patterns such as ``{short}监罚字〔{year}〕第{n}号``.

Pure standard-library module. A pattern is text with exactly these placeholders:

- ``{short}`` — the agency's short name used in numbers (机关代字, e.g. "陵人社");
- ``{year}`` — the full year (GB/T 9704-2012 7.2.4: 年份应标全称, 用六角括号"〔〕"括入);
- ``{n}`` — the sequence number within (agency, document type, year), without leading zeros
  (GB/T 9704: 不编虚位, 1 不编为 01).

``{n}`` and ``{year}`` are required: without them two documents could get the same number.
Allocation (gap-free, unique under concurrency) is done by ``sanxiang.cases.numbering``; this
module only formats, validates and parses.
"""

from __future__ import annotations

import re
import string

__all__ = ["DocNoError", "format_docno", "parse_docno", "pattern_problems", "validate_pattern"]

FIELDS = ("short", "year", "n")
MAX_PATTERN_LENGTH = 60


class DocNoError(ValueError):
    """A pattern or a number is not valid; ``str()`` is a Chinese message."""


def pattern_problems(pattern: str) -> list[str]:
    """Why ``pattern`` cannot be used (empty list: it can)."""
    if not isinstance(pattern, str) or not pattern.strip():
        return ["请填写文号格式"]
    if len(pattern) > MAX_PATTERN_LENGTH:
        return [f"文号格式不能超过{MAX_PATTERN_LENGTH}个字符"]
    problems = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        return ["文号格式中的花括号不成对（占位符写作 {short}、{year}、{n}）"]
    seen = []
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in FIELDS:
            problems.append(
                f"文号格式含有未知的占位符 {{{field}}}（只能使用 {{short}}、{{year}}、{{n}}）"
            )
            continue
        if spec or conversion:
            problems.append(f"占位符 {{{field}}} 不能带格式说明（序号不编虚位）")
        if field in seen:
            problems.append(f"占位符 {{{field}}} 重复")
        seen.append(field)
    for required, label in (("year", "年份 {year}"), ("n", "序号 {n}")):
        if required not in seen:
            problems.append(f"文号格式须包含{label}，否则不同文书会得到相同的文号")
    if "year" in seen and "n" in seen and seen.index("n") < seen.index("year"):
        # Parsing would still work, but a number reads 机关代字 → 年份 → 序号 (GB/T 9704).
        problems.append("文号格式中年份应在序号之前")
    return problems


def validate_pattern(pattern: str) -> str:
    problems = pattern_problems(pattern)
    if problems:
        raise DocNoError("；".join(problems))
    return pattern


def format_docno(pattern: str, *, short: str, year: int, n: int) -> str:
    """``format_docno("{short}监罚字〔{year}〕第{n}号", short="陵人社", year=2026, n=7)`` →
    ``"陵人社监罚字〔2026〕第7号"``."""
    validate_pattern(pattern)
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise DocNoError("文号序号应为正整数")
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise DocNoError("文号年份应为四位数年份")
    if "{" in short or "}" in short:
        raise DocNoError("机关代字不能含有花括号")
    return pattern.format(short=short, year=year, n=n)


def parse_docno(pattern: str, text: str, *, short: str) -> tuple[int, int] | None:
    """(year, n) when ``text`` is a number made from ``pattern`` for ``short``, else None."""
    validate_pattern(pattern)
    regex = []
    for literal, field, _spec, _conv in string.Formatter().parse(pattern):
        regex.append(re.escape(literal))
        if field == "short":
            regex.append(re.escape(short))
        elif field == "year":
            regex.append(r"(?P<year>\d{4})")
        elif field == "n":
            regex.append(r"(?P<n>[1-9]\d*)")
    match = re.fullmatch("".join(regex), text or "")
    if match is None:
        return None
    return int(match["year"]), int(match["n"])

"""The notice's validation rules and the month overview (pure, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from sanxiang.workcalendar import rules
from sanxiang.workcalendar.rules import HolidayBlock, MakeupDay

from .conftest import BLOCKS_2027, MAKEUP_2027


def messages(blocks=BLOCKS_2027, makeup=MAKEUP_2027, year=2027):
    return [p.message for p in rules.notice_problems(year, blocks, makeup)]


def test_the_sample_notice_is_accepted():
    assert messages() == []


def test_a_block_outside_the_year_is_refused():
    bad = [HolidayBlock("元旦", date(2026, 12, 31), date(2027, 1, 2)), *BLOCKS_2027[1:]]
    problems = rules.notice_problems(2027, bad, MAKEUP_2027)
    assert problems[0].where == ("block", 0, "first")
    assert "2026-12-31 不在2027年内" in problems[0].message
    assert "上一年度中更正录入" in problems[0].message


def test_a_makeup_day_outside_the_year_is_refused():
    assert any(
        "不在2027年内" in m for m in messages(makeup=[MakeupDay(date(2026, 12, 26), "元旦")])
    )


def test_a_makeup_working_day_must_be_a_saturday_or_sunday():
    problems = rules.notice_problems(2027, BLOCKS_2027, [MakeupDay(date(2027, 3, 10), "春节")])
    assert problems == [
        rules.Problem("2027-03-10 是星期三，调休上班日应为周六或周日", ("makeup", 0, "day"))
    ]


def test_blocks_must_not_overlap():
    bad = [*BLOCKS_2027, HolidayBlock("国庆节、中秋节", date(2027, 10, 6), date(2027, 10, 8))]
    assert "与“国庆节”（10月1日至10月7日）重叠" in messages(blocks=bad)


def test_a_block_inside_a_longer_block_is_an_overlap_even_when_not_adjacent():
    bad = [
        HolidayBlock("春节", date(2027, 2, 1), date(2027, 2, 20)),
        HolidayBlock("元旦", date(2027, 2, 3), date(2027, 2, 4)),
        HolidayBlock("清明节", date(2027, 2, 10), date(2027, 2, 11)),
    ]
    assert sum("重叠" in m for m in messages(blocks=bad, makeup=[])) == 2


def test_a_makeup_day_inside_a_holiday_block_is_refused():
    result = messages(makeup=[MakeupDay(date(2027, 10, 2), "国庆节")])
    assert any("在“国庆节”（10月1日至10月7日）放假期间内" in m for m in result)


def test_a_makeup_day_must_belong_to_a_holiday_of_the_notice():
    result = messages(makeup=[MakeupDay(date(2027, 2, 13), "春假")])
    assert result == ["所属节日“春假”不在本通知的放假安排中（应与上面某个节日名称一致）"]


def test_a_makeup_day_entered_twice_is_refused():
    result = messages(makeup=[MAKEUP_2027[0], MAKEUP_2027[0]])
    assert result == ["2027-02-13 重复录入"]


def test_end_before_start_and_month_long_blocks_are_refused():
    assert messages(
        blocks=[HolidayBlock("元旦", date(2027, 1, 3), date(2027, 1, 1))], makeup=[]
    ) == ["结束日期不能早于开始日期"]
    long = [HolidayBlock("春节", date(2027, 1, 10), date(2027, 2, 20))]
    assert "不应超过31天" in messages(blocks=long, makeup=[])[0]


def test_a_notice_without_any_holiday_is_refused():
    assert messages(blocks=[], makeup=[]) == ["请至少录入一个放假期间（每年的通知至少包括元旦）"]


@pytest.mark.parametrize("year", [1999, 2101, "2027", True])
def test_the_year_must_be_a_plausible_integer(year):
    assert rules.notice_problems(year, BLOCKS_2027, MAKEUP_2027)


def test_blocks_are_rebuilt_from_days_by_runs_of_the_same_name():
    days = rules.notice_days(BLOCKS_2027, MAKEUP_2027)
    rest = {d: n for d, (w, n) in days.items() if not w}
    assert rules.blocks_from_days(rest) == BLOCKS_2027


def test_overview_counts_working_days_per_month_like_the_calculator():
    overview = rules.year_overview(2027, rules.notice_days(BLOCKS_2027, MAKEUP_2027))
    assert sum(m.workdays for m in overview.months) == overview.workdays
    feb = overview.months[1]
    # February 2027: 20 weekdays, 5 of them 春节 (5-11 Feb has Fri-Thu: 5 weekdays), +1 Saturday.
    assert (feb.workdays, feb.rest_days, feb.makeup_days) == (16, 7, 1)
    cell = next(c for w in feb.weeks for c in w if c and c.day == date(2027, 2, 13))
    assert (cell.kind, cell.mark, cell.is_workday) == ("makeup", "班", True)
    assert cell.description == "2月13日 星期六，春节调休上班"

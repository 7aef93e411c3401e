"""Working-day arithmetic: DOMAIN.md §9 rules and the worked examples of §9.3.

The 2026 schedule is typed in from the official notice (国务院办公厅《关于2026年部分节假日安排
的通知》, 2025-11-04), not taken from a library, so the examples test our rules against the
notice. chinese_calendar is used only as an independent cross-check for 2020-2026.
"""

from __future__ import annotations

import pickle
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from chinese_calendar import constants as cc_data
from hypothesis import given, settings
from hypothesis import strategies as st

from sanxiang.lib.errors import DomainError
from sanxiang.lib.workdays import (
    CalendarYearMissing,
    DeadlineStatus,
    WorkCalendar,
    YearSchedule,
)


def _days(first: date, last: date) -> set[date]:
    return {first + timedelta(days=i) for i in range((last - first).days + 1)}


# 国务院办公厅 2025-11-04 (DOMAIN.md §9.3 table): days off, then 调休上班 weekend days.
NOTICE_2026 = YearSchedule(
    holidays=frozenset(
        _days(date(2026, 1, 1), date(2026, 1, 3))  # 元旦
        | _days(date(2026, 2, 15), date(2026, 2, 23))  # 春节
        | _days(date(2026, 4, 4), date(2026, 4, 6))  # 清明节
        | _days(date(2026, 5, 1), date(2026, 5, 5))  # 劳动节
        | _days(date(2026, 6, 19), date(2026, 6, 21))  # 端午节
        | _days(date(2026, 9, 25), date(2026, 9, 27))  # 中秋节
        | _days(date(2026, 10, 1), date(2026, 10, 7))  # 国庆节
    ),
    makeup_workdays=frozenset(
        {
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        }
    ),
)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    """Only 2026 is known, as on a fresh install before the 2027 notice is entered."""
    return WorkCalendar({2026: NOTICE_2026})


# -- DOMAIN.md §9.3 ------------------------------------------------------------------------


def test_2026_has_248_working_days(cal: WorkCalendar) -> None:
    assert cal.workdays_in_year(2026) == 248
    assert cal.count_workdays(date(2025, 12, 31), date(2026, 12, 31)) == 248


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # Sun 20 Sep is a make-up working day and counts; Fri 25 Sep is 中秋 and does not.
        (date(2026, 9, 18), 7, date(2026, 9, 29)),
        # The period ends on Sat 28 Feb, a 调休上班 day.
        (date(2026, 2, 12), 7, date(2026, 2, 28)),
        (date(2026, 2, 12), 20, date(2026, 3, 18)),
        # Across 国庆: ends on Sat 10 Oct, a 调休上班 day.
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
        # Across 劳动节; Sat 9 May counts.
        (date(2026, 4, 30), 5, date(2026, 5, 11)),
        (date(2026, 1, 30), 60, date(2026, 5, 6)),
    ],
)
def test_worked_examples_of_domain_9_3(cal: WorkCalendar, start: date, n: int, due: date) -> None:
    assert cal.add_workdays(start, n) == due
    assert cal.count_workdays(start, due) == n


def test_period_reaching_an_unentered_year_is_refused_and_names_it(cal: WorkCalendar) -> None:
    # Mon 2026-12-21 + 20 working days lands in January 2027; guessing would give 2027-01-19.
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_workdays(date(2026, 12, 21), 20)
    assert exc.value.year == 2027
    assert str(exc.value) == (
        "2027年的法定节假日安排尚未录入，无法计算期限（请由管理员录入国务院办公厅通知）"
    )
    assert isinstance(exc.value, DomainError)
    assert exc.value.code == "calendar_year_missing"


def test_fine_payment_15_calendar_days_rolls_past_national_day(cal: WorkCalendar) -> None:
    # 行政处罚法 第六十七条: 15 days; served Wed 16 Sep, day 15 is 1 Oct (国庆) -> Thu 8 Oct.
    assert cal.add_calendar_days(date(2026, 9, 16), 15) == date(2026, 10, 8)


# -- 民法典 第二百零一条: start day not counted ----------------------------------------------


def test_start_day_is_not_counted_even_when_it_is_a_working_day(cal: WorkCalendar) -> None:
    assert cal.add_workdays(date(2026, 3, 2), 1) == date(2026, 3, 3)  # Mon -> Tue


def test_start_on_a_rest_day_counts_from_the_next_working_day(cal: WorkCalendar) -> None:
    assert cal.add_workdays(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Sat -> Mon
    assert cal.add_workdays(date(2026, 10, 1), 1) == date(2026, 10, 8)  # 国庆 -> Thu 8 Oct


def test_calendar_days_ending_on_a_working_day_do_not_move(cal: WorkCalendar) -> None:
    assert cal.add_calendar_days(date(2026, 3, 2), 15) == date(2026, 3, 17)


def test_calendar_days_ending_on_a_weekend_roll_to_monday(cal: WorkCalendar) -> None:
    assert cal.add_calendar_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Sat -> Mon


def test_calendar_days_ending_on_a_makeup_saturday_stay_there(cal: WorkCalendar) -> None:
    assert cal.add_calendar_days(date(2026, 9, 30), 10) == date(2026, 10, 10)


# -- 民法典 第二百零二条 / 第二百零三条: months ---------------------------------------------


def test_month_without_corresponding_day_ends_on_month_end(cal: WorkCalendar) -> None:
    # 31 Jan + 1 month -> 28 Feb (no 31 Feb), which in 2026 is a 调休上班 Saturday.
    assert cal.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert cal.add_months(date(2026, 3, 31), 1) == date(2026, 4, 30)
    assert cal.add_months(date(2026, 1, 31), 2) == date(2026, 3, 31)


def test_month_period_uses_the_corresponding_day(cal: WorkCalendar) -> None:
    assert cal.add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)


def test_month_period_ending_in_a_holiday_rolls_forward(cal: WorkCalendar) -> None:
    # 4 Jul + 3 months = 4 Oct (国庆) -> Thu 8 Oct.
    assert cal.add_months(date(2026, 7, 4), 3) == date(2026, 10, 8)
    # 31 Jan + 3 months = 30 Apr (no 31 Apr) -> Thu 30 Apr, a working day.
    assert cal.add_months(date(2026, 1, 31), 3) == date(2026, 4, 30)


def test_month_period_from_an_unknown_year_needs_only_the_end_year(cal: WorkCalendar) -> None:
    # Lawsuit period of 6 months (行政诉讼法 第四十六条) from 2025-09-05 ends 2026-03-05.
    assert cal.add_months(date(2025, 9, 5), 6) == date(2026, 3, 5)
    assert cal.add_years(date(2025, 3, 4), 1) == date(2026, 3, 4)


def test_years_are_twelve_months_and_29_february_ends_on_28(cal: WorkCalendar) -> None:
    # No 29 Feb in 2026 -> 28 Feb (民法典 第二百零二条), a 调休上班 Saturday: no roll.
    assert cal.add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    # Without the make-up day the same Saturday would roll to Monday 2 March.
    plain = WorkCalendar({2026: YearSchedule()})
    assert plain.add_years(date(2024, 2, 29), 2) == date(2026, 3, 2)


def test_month_period_into_an_unknown_year_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_months(date(2026, 10, 9), 3)
    assert exc.value.year == 2027


# -- rolling and single days -------------------------------------------------------------


def test_is_workday_follows_the_notice(cal: WorkCalendar) -> None:
    assert cal.is_workday(date(2026, 1, 5)) is True  # ordinary Monday
    assert cal.is_workday(date(2026, 1, 10)) is False  # ordinary Saturday
    assert cal.is_workday(date(2026, 1, 4)) is True  # 调休上班 Sunday
    assert cal.is_workday(date(2026, 2, 23)) is False  # 春节 Monday
    assert cal.is_workday(date(2026, 1, 3)) is False  # weekend day inside 元旦


def test_next_workday_and_roll_forward(cal: WorkCalendar) -> None:
    assert cal.next_workday(date(2026, 9, 30)) == date(2026, 10, 8)
    assert cal.next_workday(date(2026, 10, 8)) == date(2026, 10, 9)
    assert cal.roll_forward(date(2026, 10, 8)) == date(2026, 10, 8)
    assert cal.roll_forward(date(2026, 10, 1)) == date(2026, 10, 8)
    assert cal.roll_forward(date(2026, 2, 28)) == date(2026, 2, 28)


# -- counting and deadline state ----------------------------------------------------------


def test_count_workdays_excludes_start_and_includes_end(cal: WorkCalendar) -> None:
    assert cal.count_workdays(date(2026, 3, 2), date(2026, 3, 4)) == 2  # Tue, Wed
    assert cal.count_workdays(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert cal.count_workdays(date(2026, 3, 6), date(2026, 3, 8)) == 0  # weekend only


def test_count_workdays_is_negative_when_the_end_is_earlier(cal: WorkCalendar) -> None:
    assert cal.count_workdays(date(2026, 3, 4), date(2026, 3, 2)) == -2
    assert cal.workdays_left(date(2026, 3, 4), date(2026, 3, 2)) == -2


def test_count_workdays_needs_every_year_of_the_interval(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.count_workdays(date(2025, 12, 30), date(2026, 1, 5))
    assert exc.value.year == 2025
    with pytest.raises(CalendarYearMissing) as exc:
        cal.count_workdays(date(2026, 12, 30), date(2027, 1, 5))
    assert exc.value.year == 2027


def test_deadline_is_yellow_with_two_working_days_left(cal: WorkCalendar) -> None:
    due = date(2026, 3, 11)  # Wed
    assert cal.deadline_status(date(2026, 3, 6), due) is DeadlineStatus.ON_TRACK  # 3 left
    assert cal.deadline_status(date(2026, 3, 9), due) is DeadlineStatus.DUE_SOON  # 2 left
    assert cal.deadline_status(date(2026, 3, 11), due) is DeadlineStatus.DUE_SOON  # due today
    assert cal.deadline_status(date(2026, 3, 12), due) is DeadlineStatus.OVERDUE
    assert DeadlineStatus.DUE_SOON.label == "即将到期"


def test_overdue_needs_no_calendar_data(cal: WorkCalendar) -> None:
    assert cal.deadline_status(date(2027, 1, 4), date(2026, 12, 31)) is DeadlineStatus.OVERDUE


def test_a_weekend_before_a_friday_deadline_counts_as_nothing_left(cal: WorkCalendar) -> None:
    # Counting from Sat to the following Mon: only Monday is a working day.
    assert cal.workdays_left(date(2026, 3, 7), date(2026, 3, 9)) == 1


# -- unknown years ------------------------------------------------------------------------


def test_is_workday_in_an_unknown_year_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.is_workday(date(2027, 1, 4))
    assert exc.value.year == 2027


def test_period_starting_on_31_december_needs_only_the_next_year(cal: WorkCalendar) -> None:
    # 1-3 Jan are 元旦; Sunday 4 Jan is a 调休上班 day.
    assert cal.add_workdays(date(2025, 12, 31), 1) == date(2026, 1, 4)


def test_period_starting_in_an_unknown_year_names_that_year(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_workdays(date(2025, 12, 30), 1)
    assert exc.value.year == 2025


def test_calendar_days_ending_in_an_unknown_year_are_refused(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_calendar_days(date(2026, 12, 20), 15)
    assert exc.value.year == 2027


def test_calendar_days_rolling_out_of_the_last_known_year_are_refused(cal: WorkCalendar) -> None:
    # 2026-12-31 is a Thursday; 2027 is not needed. Sat 2026-12-26 rolls to Mon 28 Dec.
    assert cal.add_calendar_days(date(2026, 12, 11), 15) == date(2026, 12, 28)
    with pytest.raises(CalendarYearMissing):
        cal.roll_forward(date(2027, 1, 2))


def test_a_gap_between_known_years_is_never_skipped() -> None:
    cal = WorkCalendar({2024: YearSchedule(), 2026: NOTICE_2026})
    with pytest.raises(CalendarYearMissing) as exc:
        cal.add_workdays(date(2024, 12, 20), 30)
    assert exc.value.year == 2025
    with pytest.raises(CalendarYearMissing) as exc:
        cal.count_workdays(date(2024, 12, 20), date(2026, 1, 10))
    assert exc.value.year == 2025


def test_error_survives_pickling_for_task_workers() -> None:
    err = pickle.loads(pickle.dumps(CalendarYearMissing(2027)))
    assert err.year == 2027
    assert "2027年" in str(err)


# -- invalid input ------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, -1])
def test_period_length_must_be_positive(cal: WorkCalendar, n: int) -> None:
    for method in (cal.add_workdays, cal.add_calendar_days, cal.add_months, cal.add_years):
        with pytest.raises(ValueError, match="正整数"):
            method(date(2026, 3, 2), n)


@pytest.mark.parametrize("n", [1.0, "3", True, None])
def test_period_length_must_be_an_int(cal: WorkCalendar, n: object) -> None:
    with pytest.raises(TypeError):
        cal.add_workdays(date(2026, 3, 2), n)  # type: ignore[arg-type]


@pytest.mark.parametrize("d", [datetime(2026, 3, 2, 9, 0), "2026-03-02", None])
def test_dates_must_be_plain_dates(cal: WorkCalendar, d: object) -> None:
    with pytest.raises(TypeError):
        cal.add_workdays(d, 1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        cal.is_workday(d)  # type: ignore[arg-type]


def test_schedule_dates_must_belong_to_their_year() -> None:
    with pytest.raises(ValueError, match="不属于2026年"):
        WorkCalendar({2026: YearSchedule(holidays=frozenset({date(2027, 1, 1)}))})


def test_a_day_cannot_be_both_holiday_and_makeup_workday() -> None:
    day = date(2026, 2, 14)
    with pytest.raises(ValueError, match="同时"):
        WorkCalendar({2026: YearSchedule(holidays={day}, makeup_workdays={day})})


def test_a_weekday_cannot_be_a_makeup_workday() -> None:
    with pytest.raises(ValueError, match="周一至周五"):
        WorkCalendar({2026: YearSchedule(makeup_workdays=frozenset({date(2026, 2, 13)}))})


# -- construction from table rows -------------------------------------------------------


def test_from_overrides_matches_the_schedule() -> None:
    rows = [(d, False) for d in NOTICE_2026.holidays]
    rows += [(d, True) for d in NOTICE_2026.makeup_workdays]
    rows += [(date(2027, 1, 1), False)]  # 2027 still being typed in: not complete
    cal = WorkCalendar.from_overrides(rows, complete_years=[2026])
    assert cal.years == (2026,)
    assert cal.workdays_in_year(2026) == 248
    assert cal.add_workdays(date(2026, 2, 12), 7) == date(2026, 2, 28)
    assert not cal.has_year(2027)


def test_from_overrides_refuses_contradicting_rows() -> None:
    day = date(2026, 2, 14)
    with pytest.raises(ValueError, match="同时"):
        WorkCalendar.from_overrides([(day, True), (day, False)], complete_years=[2026])


def test_complete_year_without_special_days_is_plain_monday_to_friday() -> None:
    cal = WorkCalendar.from_overrides([], complete_years=[2030])
    assert cal.workdays_in_year(2030) == 261


# -- cross-check against chinese_calendar (independent data and code) -------------------

CROSS_YEARS = range(2020, 2027)


@pytest.fixture(scope="module")
def cc_cal() -> WorkCalendar:
    return WorkCalendar(
        {
            year: YearSchedule(
                holidays=frozenset(d for d in cc_data.holidays if d.year == year),
                makeup_workdays=frozenset(d for d in cc_data.workdays if d.year == year),
            )
            for year in CROSS_YEARS
        }
    )


def test_the_typed_2026_notice_matches_chinese_calendar(cal: WorkCalendar) -> None:
    for day in sorted(_days(date(2026, 1, 1), date(2026, 12, 31))):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day


def _naive_add_workdays(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


_cross_dates = st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 9, 30))


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)))
def test_is_workday_agrees_with_chinese_calendar(cc_cal: WorkCalendar, day: date) -> None:
    assert cc_cal.is_workday(day) == chinese_calendar.is_workday(day)


@settings(max_examples=300, deadline=None)
@given(start=_cross_dates, n=st.integers(min_value=1, max_value=60))
def test_add_workdays_agrees_with_chinese_calendar(
    cc_cal: WorkCalendar, start: date, n: int
) -> None:
    due = cc_cal.add_workdays(start, n)
    assert due == _naive_add_workdays(start, n)
    if chinese_calendar.is_workday(start):
        # chinese_calendar.find_workday first moves a rest-day start to the next working
        # day and counts from there; from a working-day start the conventions agree.
        assert due == chinese_calendar.find_workday(n, start)
    assert cc_cal.count_workdays(start, due) == n


@settings(max_examples=200, deadline=None)
@given(start=_cross_dates, n=st.integers(min_value=1, max_value=90))
def test_add_calendar_days_agrees_with_chinese_calendar(
    cc_cal: WorkCalendar, start: date, n: int
) -> None:
    end = start + timedelta(days=n)
    expected = chinese_calendar.find_workday(0, end)  # 0 = this day if a workday, else next
    assert cc_cal.add_calendar_days(start, n) == expected


@settings(max_examples=200, deadline=None)
@given(a=_cross_dates, b=_cross_dates)
def test_count_workdays_agrees_with_chinese_calendar(
    cc_cal: WorkCalendar, a: date, b: date
) -> None:
    lo, hi = min(a, b), max(a, b)
    expected = len(chinese_calendar.get_workdays(lo + timedelta(days=1), hi)) if lo < hi else 0
    assert cc_cal.count_workdays(a, b) == (expected if a <= b else -expected)

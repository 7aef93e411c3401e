"""Migration 0002 seeds 2004–2026 as complete years; 2026 is exactly the State Council notice."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import chinese_calendar

from sanxiang.workcalendar import seeding
from sanxiang.workcalendar.models import WorkCalendarDay, WorkCalendarYear
from sanxiang.workcalendar.selectors import work_calendar

seed_migration = importlib.import_module("sanxiang.workcalendar.migrations.0002_seed_2004_2026")


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# DOMAIN.md §9.3, typed from 国务院办公厅《关于2026年部分节假日安排的通知》(2025-11-04).
NOTICE_2026_REST = {
    "元旦": _days(date(2026, 1, 1), date(2026, 1, 3)),
    "春节": _days(date(2026, 2, 15), date(2026, 2, 23)),
    "清明节": _days(date(2026, 4, 4), date(2026, 4, 6)),
    "劳动节": _days(date(2026, 5, 1), date(2026, 5, 5)),
    "端午节": _days(date(2026, 6, 19), date(2026, 6, 21)),
    "中秋节": _days(date(2026, 9, 25), date(2026, 9, 27)),
    "国庆节": _days(date(2026, 10, 1), date(2026, 10, 7)),
}
NOTICE_2026_MAKEUP = {
    date(2026, 1, 4): "元旦",
    date(2026, 2, 14): "春节",
    date(2026, 2, 28): "春节",
    date(2026, 5, 9): "劳动节",
    date(2026, 9, 20): "国庆节",
    date(2026, 10, 10): "国庆节",
}


def test_2026_rows_are_exactly_the_notice_of_2025_11_04(db):
    rows = {
        (r.day, r.is_workday, r.kind, r.name)
        for r in WorkCalendarDay.objects.filter(day__year=2026)
    }
    expected = {(d, False, "rest", name) for name, ds in NOTICE_2026_REST.items() for d in ds}
    expected |= {(d, True, "makeup", name) for d, name in NOTICE_2026_MAKEUP.items()}
    assert rows == expected
    year = WorkCalendarYear.objects.get(year=2026)
    assert year.complete and year.published_on == date(2025, 11, 4)
    assert year.notice_title == "国务院办公厅关于2026年部分节假日安排的通知"


def test_2026_has_248_working_days(db):
    assert work_calendar().workdays_in_year(2026) == 248


def test_every_year_chinese_calendar_knows_is_seeded_complete_with_its_source(db):
    years = WorkCalendarYear.objects.order_by("year")
    assert [y.year for y in years] == list(range(2004, 2027))
    assert all(y.complete and y.confirmed_at for y in years)
    assert {y.source for y in years} == {"chinese-calendar 1.11.0 (据国务院办公厅通知)"}
    assert set(WorkCalendarDay.objects.values_list("source", flat=True)) == {seeding.SOURCE}
    assert work_calendar().years == tuple(range(2004, 2027))


def test_seeded_calendar_agrees_with_chinese_calendar_on_every_day(db):
    cal = work_calendar()
    d, differences = date(2004, 1, 1), []
    while d <= date(2026, 12, 31):
        if cal.is_workday(d) != chinese_calendar.is_workday(d):
            differences.append(d)
        d += timedelta(days=1)
    assert differences == []


def test_frozen_seed_literal_matches_the_installed_package():
    # If a newer chinese-calendar corrects a past year, this fails: a person then decides and
    # enters the correction through the calendar page (recorded in the ledger).
    assert seed_migration.SCHEDULES == seeding.schedules_from_chinese_calendar()
    assert seed_migration.SOURCE == seeding.SOURCE


def test_shared_blocks_are_named_as_the_notice_names_them(db):
    # 2025: "国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日、10月11日上班。"
    names = set(
        WorkCalendarDay.objects.filter(
            day__range=(date(2025, 9, 28), date(2025, 10, 11))
        ).values_list("name", flat=True)
    )
    assert names == {"国庆节、中秋节"}
    # 2023 names them the other way round, in the order they fall.
    assert WorkCalendarDay.objects.get(day=date(2023, 9, 29)).name == "中秋节、国庆节"


def test_notice_days_falling_in_the_previous_year_are_stored_under_their_own_year(db):
    # The 2019 notice gave 2018-12-30/31 off and made Sat 2018-12-29 a working day.
    assert WorkCalendarDay.objects.get(day=date(2018, 12, 29)).is_workday is True
    assert work_calendar().is_workday(date(2018, 12, 31)) is False

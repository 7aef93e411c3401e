"""Deadline arithmetic through the import point: worked examples, fail closed, caching."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.db import connections, transaction
from django.utils import timezone

from sanxiang.workcalendar import selectors
from sanxiang.workcalendar.models import WorkCalendarDay, WorkCalendarVersion, WorkCalendarYear
from sanxiang.workcalendar.selectors import (
    CalendarYearMissing,
    DeadlineStatus,
    add_calendar_days,
    add_months,
    add_workdays,
    calendar_scope,
    count_workdays,
    deadline_status,
    work_calendar,
)
from sanxiang.workcalendar.services import calendar_year_confirm, calendar_year_save

from .conftest import notice_2027

# DOMAIN.md §9.3 (start day excluded).
WORKED_EXAMPLES = [
    (date(2026, 9, 18), 7, date(2026, 9, 29)),
    (date(2026, 2, 12), 7, date(2026, 2, 28)),
    (date(2026, 2, 12), 20, date(2026, 3, 18)),
    (date(2026, 9, 30), 3, date(2026, 10, 10)),
    (date(2026, 4, 30), 5, date(2026, 5, 11)),
    (date(2026, 1, 30), 60, date(2026, 5, 6)),
]


@pytest.mark.parametrize(("start", "n", "due"), WORKED_EXAMPLES)
def test_worked_examples_of_domain_9_3_from_the_table(db, start, n, due):
    assert add_workdays(start, n) == due
    assert count_workdays(start, due) == n


def test_fine_of_15_calendar_days_served_16_september_rolls_past_national_day(db):
    assert add_calendar_days(date(2026, 9, 16), 15) == date(2026, 10, 8)


def test_month_periods_end_on_the_corresponding_day_or_month_end(db):
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)  # a 调休上班 Saturday


def test_deadline_status_counts_working_days_left(db):
    assert deadline_status(date(2026, 9, 24), date(2026, 9, 29)) == DeadlineStatus.DUE_SOON
    assert deadline_status(date(2026, 9, 18), date(2026, 9, 29)) == DeadlineStatus.ON_TRACK
    assert deadline_status(date(2026, 9, 30), date(2026, 9, 29)) == DeadlineStatus.OVERDUE


def test_a_period_reaching_2027_is_refused_while_2027_is_not_entered(db):
    with pytest.raises(CalendarYearMissing) as exc:
        add_workdays(date(2026, 12, 21), 20)
    assert exc.value.year == 2027


def test_a_draft_year_is_not_used_until_it_is_confirmed(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    with pytest.raises(CalendarYearMissing):
        add_workdays(date(2026, 12, 21), 20)
    assert not work_calendar().has_year(2027)


def test_a_2027_deadline_is_computable_right_after_confirming_2027(personas):
    with pytest.raises(CalendarYearMissing):
        add_workdays(date(2026, 12, 21), 20)  # the old calendar is now cached
    calendar_year_save(actor=personas.xitong, **notice_2027())
    calendar_year_confirm(actor=personas.xitong, year=2027)
    assert add_workdays(date(2026, 12, 21), 20) == date(2027, 1, 19)
    assert add_workdays(date(2027, 2, 4), 1) == date(2027, 2, 12)  # across the sample 春节


def test_confirming_inside_a_request_scope_is_seen_by_the_rest_of_that_scope(personas):
    with calendar_scope():
        assert not work_calendar().has_year(2027)
        calendar_year_save(actor=personas.xitong, **notice_2027())
        calendar_year_confirm(actor=personas.xitong, year=2027)
        assert work_calendar().has_year(2027)


def test_outside_a_scope_every_call_checks_the_version(db, django_assert_num_queries):
    work_calendar()
    with django_assert_num_queries(1):  # the version token; the calendar itself is cached
        add_workdays(date(2026, 3, 2), 5)


def test_inside_a_scope_the_version_is_checked_once(db, django_assert_num_queries):
    work_calendar()
    with calendar_scope():
        with django_assert_num_queries(1):
            for start, n, _ in WORKED_EXAMPLES:
                add_workdays(start, n)
                count_workdays(start, date(2026, 12, 31))


def test_each_request_checks_the_version_once(db, django_assert_num_queries):
    work_calendar()
    selectors.begin_request_scope()
    try:
        with django_assert_num_queries(1):
            add_workdays(date(2026, 3, 2), 5)
            add_workdays(date(2026, 3, 2), 6)
    finally:
        selectors.end_request_scope()
    with django_assert_num_queries(1):
        add_workdays(date(2026, 3, 2), 5)


def test_a_change_committed_by_another_process_is_seen_at_the_next_check(db):
    # What another server process does when an administrator corrects 2026: new rows and a
    # new version token. Nothing in this process is told.
    assert add_workdays(date(2026, 3, 5), 1) == date(2026, 3, 6)
    WorkCalendarDay.objects.create(
        day=date(2026, 3, 6),
        is_workday=False,
        kind="rest",
        name="测试",
        source="测试",
        entered_at=timezone.now(),
    )
    assert add_workdays(date(2026, 3, 5), 1) == date(2026, 3, 6)  # same token: cached
    WorkCalendarVersion.objects.filter(pk=1).update(token=uuid.uuid4())
    assert add_workdays(date(2026, 3, 5), 1) == date(2026, 3, 9)


def test_a_calendar_built_in_a_rolled_back_transaction_is_never_reused(personas):
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        calendar_year_save(actor=personas.xitong, **notice_2027())
        calendar_year_confirm(actor=personas.xitong, year=2027)
        assert work_calendar().has_year(2027)
        raise Undo
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not work_calendar().has_year(2027)


def test_a_calendar_built_outside_a_transaction_is_shared_by_the_process(db, monkeypatch):
    # Tests always run inside a transaction; pretend this read is outside one (autocommit).
    monkeypatch.setattr(selectors, "_shared", None)  # restored after the test
    with monkeypatch.context() as m:
        m.setattr(connections["default"], "in_atomic_block", False)
        calendar = work_calendar()
    assert selectors._shared == (selectors._current_token(), calendar)
    assert work_calendar() is calendar
    WorkCalendarVersion.objects.filter(pk=1).update(token=uuid.uuid4())
    assert work_calendar() is not calendar


def test_explain_day_says_why(db):
    assert str(selectors.explain_day(date(2026, 2, 28))).startswith(
        "工作日：2026-02-28 星期六，春节调休上班"
    )
    assert str(selectors.explain_day(date(2026, 3, 7))) == "休息日：2026-03-07 星期六，周末"
    with pytest.raises(CalendarYearMissing):
        selectors.explain_day(date(2027, 1, 4))

"""Clock arithmetic on the 2026 calendar (DOMAIN.md §9.3) through ``cases.clocks``, which uses
only the workcalendar import point; unknown years are stored as unknown, never guessed."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from sanxiang.cases import clocks
from sanxiang.cases.choices import DeadlineKind, DeadlineUnit
from sanxiang.workcalendar.models import WorkCalendarVersion, WorkCalendarYear

W, D, M = DeadlineUnit.WORKDAYS, DeadlineUnit.DAYS, DeadlineUnit.MONTHS
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "length", "unit", "due"),
    [
        ((2026, 9, 18), 7, W, (2026, 9, 29)),  # Sun 20 Sep make-up day counts; 25 Sep holiday
        ((2026, 2, 12), 7, W, (2026, 2, 28)),  # ends on Sat 28 Feb, a make-up working day
        ((2026, 2, 12), 20, W, (2026, 3, 18)),
        ((2026, 9, 30), 3, W, (2026, 10, 10)),  # Sat 10 Oct make-up day
        ((2026, 4, 30), 5, W, (2026, 5, 11)),
        ((2026, 1, 30), 60, W, (2026, 5, 6)),
        ((2026, 9, 16), 15, D, (2026, 10, 8)),  # fine served 16 Sep: 1 Oct is a holiday
        ((2026, 3, 3), 90, D, (2026, 6, 1)),
        ((2026, 4, 8), 6, M, (2026, 10, 8)),
        ((2026, 3, 31), 6, M, (2026, 9, 30)),  # no 31 Sep: last day of the month
    ],
)
def test_2026_examples(start, length, unit, due):
    assert clocks.compute_due(start=dt.date(*start), length=length, unit=unit) == (
        dt.date(*due),
        "",
    )


def test_a_clock_reaching_into_2027_is_unknown_and_names_the_year():
    due, reason = clocks.compute_due(start=dt.date(2026, 12, 21), length=20, unit=W)
    assert due is None and "2027年的法定节假日安排尚未录入" in reason


def test_suspended_working_days_are_added_back():
    # 10 wd from Mon 2 Mar = Mon 16 Mar; 3 working days (4–6 Mar) suspended → Thu 19 Mar.
    assert clocks.compute_due(
        start=dt.date(2026, 3, 2),
        length=10,
        unit=W,
        suspensions=((dt.date(2026, 3, 4), dt.date(2026, 3, 6), "x"),),
    ) == (dt.date(2026, 3, 19), "")


def test_a_running_suspension_leaves_the_due_date_open_with_the_reason():
    due, reason = clocks.compute_due(
        start=dt.date(2026, 3, 2),
        length=90,
        unit=D,
        suspensions=((dt.date(2026, 3, 30), None, "听证"),),
    )
    assert due is None and reason.startswith("期限中止：听证")


def test_unknown_clock_is_stored_with_its_reason_and_refreshed_once_the_year_is_entered(flow):
    f = flow().registered(received_on=dt.date(2026, 11, 20), violation_until=dt.date(2026, 11, 1))
    case = f.case
    deadline = clocks.open_clock(
        case=case, kind=DeadlineKind.INVESTIGATION, start=dt.date(2026, 11, 20)
    )
    assert deadline.due is None and "2027年" in deadline.due_unknown_reason
    assert clocks.clock_state(deadline, dt.date(2026, 11, 23)).code == "unknown"
    # The administrator enters and confirms 2027 (here: a year with no special days).
    now = timezone.now()
    WorkCalendarYear.objects.create(
        year=2027,
        complete=True,
        notice_title="测试",
        source="测试",
        entered_at=now,
        confirmed_at=now,
    )
    WorkCalendarVersion.objects.update(token=uuid.uuid4())
    assert clocks.refresh_unknown() >= 1
    deadline.refresh_from_db()
    assert (
        deadline.due is not None and deadline.due.year == 2027 and deadline.due_unknown_reason == ""
    )


def test_read_time_state_soon_overdue_met(flow):
    f = flow().filed()
    d = clocks.open_clock(
        case=f.case, kind=DeadlineKind.PRESERVATION, start=dt.date(2026, 9, 18), ref="t"
    )
    assert d.due == dt.date(2026, 9, 29)
    assert clocks.clock_state(d, dt.date(2026, 9, 23)).code == "normal"  # 24, 28, 29 left
    s = clocks.clock_state(d, dt.date(2026, 9, 24))  # 25 Sep is a holiday: 28, 29 left
    assert s.code == "soon" and s.workdays_left == 2 and s.label == "即将到期"
    assert clocks.clock_state(d, dt.date(2026, 9, 29)).code == "soon"
    assert clocks.clock_state(d, dt.date(2026, 9, 30)).urgency == "overdue"
    clocks.close_clock(
        case=f.case, kind=DeadlineKind.PRESERVATION, ref="t", on=dt.date(2026, 9, 28)
    )
    d.refresh_from_db()
    assert clocks.clock_state(d, dt.date(2026, 10, 30)).code == "met"


def test_clocks_module_is_the_only_user_of_deadline_arithmetic():
    """ARCHITECTURE.md invariant 7: every due date comes from the workcalendar import point,
    through cases.clocks — no other case module computes dates from the calendar itself."""
    import pathlib

    root = pathlib.Path(clocks.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name == "clocks.py":
            continue
        text = path.read_text()
        if "lib.workdays" in text or "WorkCalendar(" in text or "workcalendar.selectors" in text:
            offenders.append(path.name)
    assert offenders == []

"""Reads of the working-day calendar, and THE import point for deadline arithmetic.

Every feature that computes a time limit imports from here::

    from sanxiang.workcalendar.selectors import add_workdays, CalendarYearMissing
    due = add_workdays(served_on, 7)  # 行政处罚法 第六十一条、第八十五条

and never builds a ``lib.workdays.WorkCalendar`` itself: the calendar must be the one in the
table, with only confirmed years known (ARCHITECTURE.md invariant 7).

Caching. Building the calendar reads every special day (~800 rows) and costs a few
milliseconds, so each process keeps the built calendar together with the token of
``WorkCalendarVersion`` it was built from. Checking the token is one primary-key read; it is
done

* once per request (the first calendar use in a request reads the token; later uses in the same
  request reuse that calendar, so one page computes all its deadlines on one calendar), and once
  per ``with calendar_scope():`` block (sweeps, commands, benchmarks);
* on every call outside a request or scope.

So a calendar change committed by any process is seen by every request that starts after the
commit — in every process — and never later: an admin who has just confirmed 2027 can compute
a 2027 deadline on the next page. A calendar built from a transaction's own uncommitted change
is never shared with other threads (tokens are random, so a rolled-back change is never mistaken
for a later one).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

from django.db import connection
from django.urls import reverse

from sanxiang.lib.todo import TodoItem
from sanxiang.lib.workdays import CalendarYearMissing, DeadlineStatus, WorkCalendar

from . import rules
from .models import WorkCalendarDay, WorkCalendarVersion, WorkCalendarYear

__all__ = [
    "CalendarYearMissing",
    "DeadlineStatus",
    "add_calendar_days",
    "add_months",
    "add_workdays",
    "add_years",
    "calendar_scope",
    "count_workdays",
    "deadline_status",
    "is_workday",
    "next_workday",
    "roll_forward",
    "work_calendar",
    "workdays_left",
]

# -- the cached calendar ----------------------------------------------------------------------


class _Scope:
    """One unit of work (a request, a sweep): the calendar checked at its first use."""

    __slots__ = ("calendar",)

    def __init__(self) -> None:
        self.calendar: WorkCalendar | None = None


_scope: ContextVar[_Scope | None] = ContextVar("sanxiang_workcalendar_scope", default=None)
# (token, calendar) built from committed data, shared by all threads of the process.
_shared: tuple[object, WorkCalendar] | None = None
# (token, calendar) built inside a transaction: seen only by this thread.
_local = threading.local()
_VERSION_SQL = f"SELECT token FROM {WorkCalendarVersion._meta.db_table} WHERE id = 1"  # noqa: S608 (constant)


def _current_token() -> object:
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


def _build() -> WorkCalendar:
    complete = list(WorkCalendarYear.objects.filter(complete=True).values_list("year", flat=True))
    rows = WorkCalendarDay.objects.filter(day__year__in=complete).values_list("day", "is_workday")
    return WorkCalendar.from_overrides(rows.iterator(), complete_years=complete)


def _calendar_for(token: object) -> tuple[WorkCalendar, bool]:
    """The calendar for ``token``, and whether it holds committed data only (so it may be
    shared by all threads and kept for the rest of a scope)."""
    global _shared
    shared = _shared
    if shared is not None and shared[0] == token:
        return shared[1], True
    local = getattr(_local, "entry", None)
    if local is not None and local[0] == token:
        if connection.in_atomic_block:
            return local[1], False
        # The transaction is over and the database still carries its token: it committed.
        _shared = local
        return local[1], True
    calendar = _build()
    if token is None:
        return calendar, False  # no version row (never after migrate): do not cache at all
    if connection.in_atomic_block and token in getattr(_local, "written", ()):
        # Built from this thread's own uncommitted change: keep it to this thread. Tokens are
        # random, so if the transaction rolls back no later state can carry the same token.
        _local.entry = (token, calendar)
        return calendar, False
    # Every change to the tables comes with a new token, so a token this thread did not write
    # labels committed data (possibly an older snapshot, which only costs a rebuild later).
    _shared = (token, calendar)
    return calendar, True


def work_calendar() -> WorkCalendar:
    """The working-day calendar of all confirmed years, as stored in the table."""
    scope = _scope.get()
    if scope is not None and scope.calendar is not None:
        return scope.calendar
    calendar, committed = _calendar_for(_current_token())
    if scope is not None and committed:
        scope.calendar = calendar
    return calendar


@contextlib.contextmanager
def calendar_scope() -> Iterator[None]:
    """Check the calendar version once for everything computed inside the block."""
    token = _scope.set(_Scope())
    try:
        yield
    finally:
        _scope.reset(token)


def begin_request_scope(**kwargs) -> None:
    """``request_started`` receiver: each request checks the version once, at first use."""
    _scope.set(_Scope())


def end_request_scope(**kwargs) -> None:
    """``request_finished`` receiver: code run later in this thread checks on every call."""
    _scope.set(None)


def calendar_changed(token: object) -> None:
    """Called by services right after writing the tables and the new version ``token``.

    This thread's current scope re-checks, and a calendar built from this (not yet committed)
    change stays private to this thread. Other threads and processes notice the new token at
    their next check.
    """
    written = getattr(_local, "written", None)
    if written is None:
        written = _local.written = set()
    if len(written) > 1000:  # a long-lived thread: old tokens are never read again
        written.clear()
    written.add(token)
    scope = _scope.get()
    if scope is not None:
        scope.calendar = None


# -- deadline arithmetic (民法典 第二百零一条至第二百零三条; 行政处罚法 第八十五条) ----------


def add_workdays(start: date, n: int) -> date:
    """The last day of an ``n``-working-day period from ``start`` (start day not counted)."""
    return work_calendar().add_workdays(start, n)


def add_calendar_days(start: date, n: int) -> date:
    """The last day of an ``n``-day period, rolled to the next working day (第二百零三条)."""
    return work_calendar().add_calendar_days(start, n)


def add_months(start: date, n: int) -> date:
    """The last day of an ``n``-month period (第二百零二条), rolled to a working day."""
    return work_calendar().add_months(start, n)


def add_years(start: date, n: int) -> date:
    return work_calendar().add_years(start, n)


def count_workdays(a: date, b: date) -> int:
    """Working days in ``(a, b]``; negative when ``b < a``."""
    return work_calendar().count_workdays(a, b)


def workdays_left(today: date, due: date) -> int:
    return work_calendar().workdays_left(today, due)


def deadline_status(today: date, due: date, *, warn_workdays: int = 2) -> DeadlineStatus:
    """正常 / 即将到期 (at most ``warn_workdays`` working days left) / 已逾期."""
    return work_calendar().deadline_status(today, due, warn_workdays=warn_workdays)


def is_workday(d: date) -> bool:
    return work_calendar().is_workday(d)


def next_workday(d: date) -> date:
    return work_calendar().next_workday(d)


def roll_forward(d: date) -> date:
    return work_calendar().roll_forward(d)


@dataclass(frozen=True)
class DayExplanation:
    day: date
    is_workday: bool
    reason: str  # "春节放假", "春节调休上班", "周末", "周一至周五"
    source: str = ""

    def __str__(self) -> str:
        text = f"{'工作日' if self.is_workday else '休息日'}：{self.day.isoformat()} "
        text += f"{rules.weekday_name(self.day)}，{self.reason}"
        return text + (f"（依据：{self.source}）" if self.source else "")


def explain_day(d: date) -> DayExplanation:
    """Whether ``d`` is a working day and why. Raises ``CalendarYearMissing`` like the rest."""
    workday = work_calendar().is_workday(d)
    row = WorkCalendarDay.objects.filter(day=d).first()
    if row is not None:
        reason = f"{row.name}{'调休上班' if row.is_workday else '放假'}"
        return DayExplanation(d, workday, reason, row.source)
    return DayExplanation(d, workday, "周末" if d.weekday() >= 5 else "周一至周五")


# -- pages ------------------------------------------------------------------------------------


def year_days(year: int) -> dict[date, tuple[bool, str]]:
    rows = WorkCalendarDay.objects.filter(day__year=year).values_list("day", "is_workday", "name")
    return {d: (w, n) for d, w, n in rows}


def entered_years() -> set[int]:
    return set(WorkCalendarYear.objects.values_list("year", flat=True))


def year_get(year: int) -> WorkCalendarYear | None:
    return (
        WorkCalendarYear.objects.select_related("entered_by", "confirmed_by")
        .filter(year=year)
        .first()
    )


def usual_workdays() -> tuple[int, int] | None:
    """The fewest and most working days of the confirmed years (2004–2026: 248–252), to flag a
    draft whose total suggests a missing or extra holiday block."""
    calendar = work_calendar()
    totals = [calendar.workdays_in_year(y) for y in calendar.years]
    return (min(totals), max(totals)) if totals else None


@dataclass(frozen=True)
class YearRow:
    record: WorkCalendarYear
    workdays: int | None  # None when the stored days cannot form a calendar
    blocks: int
    makeup_days: int


def year_list() -> list[YearRow]:
    """Every entered year, newest first, with its working-day total (two queries)."""
    records = list(WorkCalendarYear.objects.select_related("confirmed_by").order_by("-year"))
    by_year: dict[int, dict[date, tuple[bool, str]]] = {r.year: {} for r in records}
    for d, w, n in WorkCalendarDay.objects.values_list("day", "is_workday", "name"):
        if d.year in by_year:
            by_year[d.year][d] = (w, n)
    out = []
    for record in records:
        days = by_year[record.year]
        try:
            total: int | None = rules.year_overview(record.year, days).workdays
        except ValueError:
            total = None
        out.append(
            YearRow(
                record=record,
                workdays=total,
                blocks=len(rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})),
                makeup_days=sum(1 for w, _ in days.values() if w),
            )
        )
    return out


@dataclass(frozen=True)
class CalendarAlert:
    level: str  # "error" (current year missing) | "warning" (next year missing from 1 Nov)
    year: int
    message: str
    draft: bool  # a draft of the year exists and waits for confirmation


# The State Council publishes the next year's notice between late October and December.
WARN_FROM = (11, 1)


def calendar_alerts(today: date) -> list[CalendarAlert]:
    """What an administrator must do about the calendar on ``today`` (system check, to-do)."""
    states = dict(
        WorkCalendarYear.objects.filter(year__in=[today.year, today.year + 1]).values_list(
            "year", "complete"
        )
    )
    alerts = []
    if not states.get(today.year):
        alerts.append(
            CalendarAlert(
                "error",
                today.year,
                f"{today.year}年的法定节假日安排尚未录入并确认：所有涉及{today.year}年日期的"
                "期限都无法计算。请系统管理员立即录入国务院办公厅通知。",
                today.year in states,
            )
        )
    nxt = today.year + 1
    if (today.month, today.day) >= WARN_FROM and not states.get(nxt):
        alerts.append(
            CalendarAlert(
                "warning",
                nxt,
                f"{nxt}年的法定节假日安排尚未录入并确认：跨入{nxt}年的期限将无法计算。"
                f"国务院办公厅发布《关于{nxt}年部分节假日安排的通知》后，请系统管理员及时录入。",
                nxt in states,
            )
        )
    return alerts


def todo_items_for(*, user, today: date) -> list[TodoItem]:
    """To-do provider: tells the system administrator to enter or confirm a year's notice."""
    if not user.has_perm("workcalendar.manage_workcalendar"):
        return []
    items = []
    for alert in calendar_alerts(today):
        y = alert.year
        if alert.draft:
            title, url = f"确认{y}年法定节假日安排", reverse("workcalendar:year_detail", args=[y])
        else:
            title, url = f"录入{y}年法定节假日安排", reverse("workcalendar:year_new") + f"?year={y}"
        if alert.level == "error":
            urgency, due = "overdue", None
        else:
            # Periods of 20+ working days started in December already reach into January.
            urgency, due = ("soon" if today.month == 12 else "normal"), date(today.year, 12, 31)
        items.append(
            TodoItem(
                title=title,
                subject=f"国务院办公厅关于{y}年部分节假日安排的通知",
                url=url,
                due=due,
                basis="行政处罚法第八十五条；民法典第二百零一条至第二百零三条",
                urgency=urgency,
                note=alert.message,
            )
        )
    return items

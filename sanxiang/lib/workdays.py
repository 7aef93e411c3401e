"""Legal working-day arithmetic (法定工作日与期间计算).

Pure standard-library module: the caller supplies each year's holiday schedule (in the app,
from the ``WorkCalendarDay`` table), so nothing here guesses. Rules implemented:

- 行政处罚法 第八十五条: "本法中'二日''三日''五日''七日'的规定是指工作日, 不含法定节假日".
  Other limits stated as 工作日 are counted the same way (``add_workdays``).
- 民法典 第二百零一条: 按照年、月、日计算期间的, 开始的当日不计入, 自下一日开始计算.
- 民法典 第二百零二条: 按照年、月计算期间的, 到期月的对应日为期间的最后一日; 没有对应日的,
  月末日期为期间的最后一日 (``add_months``).
- 民法典 第二百零三条: 期间的最后一日是法定休假日的, 以法定休假日结束的次日为期间的最后一日
  (``add_calendar_days``, ``add_months``, ``roll_forward``).

A working day (工作日) is Monday-Friday, minus the days off of the State Council's yearly
notice (国务院办公厅关于某年部分节假日安排的通知, including weekday 调休 rest days), plus the
weekend days that notice makes working days (调休上班). A year whose notice has not been
entered is unknown: every computation that needs a day of it raises ``CalendarYearMissing``
(ARCHITECTURE.md invariant 7: a guessed deadline is worse than none).

Performance: the workdays of all known years are kept as one sorted list of ordinals, so
``add_workdays`` and ``count_workdays`` are two bisections, whatever the length of the period.
"""

from __future__ import annotations

import enum
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sanxiang.lib.errors import DomainError

__all__ = [
    "CalendarYearMissing",
    "DeadlineStatus",
    "WorkCalendar",
    "YearSchedule",
]

# Python's date range; used to report a missing year after 9999 sensibly.
_MAX_YEAR = date.max.year


class CalendarYearMissing(DomainError, LookupError):
    """The holiday schedule (节假日安排) of ``year`` is needed but has not been entered.

    ``year`` is the first missing year the computation reached; ``str()`` is the Chinese
    message shown to the officer (and printed by ``manage.py workdays``).
    """

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year}年的法定节假日安排尚未录入，无法计算期限（请由管理员录入国务院办公厅通知）",
            code="calendar_year_missing",
        )
        self.year = year

    def __reduce__(self) -> tuple[type[CalendarYearMissing], tuple[int]]:
        # Rebuild from the year (the default would pass the message as ``year``), so the
        # error survives pickling to and from task workers.
        return (type(self), (self.year,))


@dataclass(frozen=True)
class YearSchedule:
    """One year's official schedule, as published by the State Council.

    ``holidays``: every day off of the notice (放假日), weekend days of a holiday block
    included, weekday 调休 rest days included. ``makeup_workdays``: the Saturdays and Sundays
    the notice makes working days (调休上班).
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    makeup_workdays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        # Accept any iterable (a list from a form, a set from a query) but store frozensets,
        # so a schedule cannot change after the calendar has been built from it.
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_workdays", frozenset(self.makeup_workdays))


class DeadlineStatus(enum.StrEnum):
    """Traffic-light state of a deadline shown to officers."""

    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"on_track": "正常", "due_soon": "即将到期", "overdue": "已逾期"}[self.value]


def _check_date(value: object, name: str) -> date:
    # datetime is a subclass of date; a timestamp here is a caller bug (which day in which
    # time zone?), so refuse it rather than silently dropping the time.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} 应为 datetime.date，而不是 {type(value).__name__}")
    return value


def _check_count(value: object, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} 应为整数，而不是 {type(value).__name__}")
    if value < 1:
        raise ValueError(f"期间长度应为正整数，收到 {value}")
    return value


class WorkCalendar:
    """Working-day calendar over the years whose schedule has been supplied.

    Build it once per request/process from the stored schedules and reuse it; all methods
    are read-only and thread-safe.
    """

    __slots__ = ("_years", "_workday_ords", "_workday_set", "_run_end")

    def __init__(self, years: Mapping[int, YearSchedule]) -> None:
        """``years`` maps each *complete* year to its schedule; other years are unknown."""
        ords: list[int] = []
        for year in sorted(years):
            schedule = years[year]
            if not isinstance(year, int) or isinstance(year, bool) or not 1 <= year <= _MAX_YEAR:
                raise ValueError(f"年份无效：{year!r}")
            if not isinstance(schedule, YearSchedule):
                raise TypeError(
                    f"{year}年的安排应为 YearSchedule，而不是 {type(schedule).__name__}"
                )
            _validate_schedule(year, schedule)
            ords.extend(_year_workday_ordinals(year, schedule))
        self._years: frozenset[int] = frozenset(years)
        self._workday_ords: list[int] = ords
        self._workday_set: frozenset[int] = frozenset(ords)
        # For each known year, the last year of the unbroken run of known years it belongs
        # to: a computation starting in ``y`` may use days up to 31 Dec of ``_run_end[y]``;
        # beyond it the first missing year is ``_run_end[y] + 1``.
        run_end: dict[int, int] = {}
        for year in sorted(self._years, reverse=True):
            run_end[year] = run_end.get(year + 1, year)
        self._run_end = run_end

    @classmethod
    def from_overrides(
        cls, overrides: Iterable[tuple[date, bool]], *, complete_years: Iterable[int]
    ) -> WorkCalendar:
        """Build from special days, one ``(day, is_workday)`` pair each.

        This is the shape of the ``WorkCalendarDay`` table: ``(d, False)`` is a day off of the
        notice, ``(d, True)`` a 调休上班 weekend day. Only years listed in ``complete_years``
        become known; rows of other years (a notice still being typed in) are ignored, so
        those years stay unknown and refuse computations. A complete year may have no rows.
        """
        complete = set(complete_years)
        holidays: dict[int, set[date]] = {year: set() for year in complete}
        makeup: dict[int, set[date]] = {year: set() for year in complete}
        seen: dict[date, bool] = {}
        for day, is_workday in overrides:
            _check_date(day, "day")
            if seen.get(day, is_workday) != is_workday:
                raise ValueError(f"{day.isoformat()} 同时被登记为工作日和休息日")
            seen[day] = is_workday
            if day.year not in complete:
                continue
            (makeup if is_workday else holidays)[day.year].add(day)
        return cls(
            {
                year: YearSchedule(
                    holidays=frozenset(holidays[year]),
                    makeup_workdays=frozenset(makeup[year]),
                )
                for year in complete
            }
        )

    # -- what is known ---------------------------------------------------------------

    @property
    def years(self) -> tuple[int, ...]:
        """The years whose schedule is known, ascending."""
        return tuple(sorted(self._years))

    def has_year(self, year: int) -> bool:
        """Whether ``year``'s schedule has been supplied."""
        return year in self._years

    def workdays_in_year(self, year: int) -> int:
        """Number of working days in ``year`` (2026: 248)."""
        if year not in self._years:
            raise CalendarYearMissing(year)
        ords = self._workday_ords
        lo = bisect_left(ords, date(year, 1, 1).toordinal())
        hi = bisect_right(ords, date(year, 12, 31).toordinal())
        return hi - lo

    # -- single days -----------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (工作日)."""
        _check_date(d, "d")
        if d.year not in self._years:
            raise CalendarYearMissing(d.year)
        return d.toordinal() in self._workday_set

    def next_workday(self, d: date) -> date:
        """The first working day strictly after ``d``."""
        _check_date(d, "d")
        return self._nth_workday_after(d.toordinal(), _year_after(d), 1)

    def roll_forward(self, d: date) -> date:
        """``d`` if it is a working day, else the next working day.

        民法典 第二百零三条: a period whose last day is a statutory rest day ends on the day
        after the rest ends. Weekends count as rest days here and 调休上班 weekend days do not,
        which is how courts and agencies apply the article.
        """
        _check_date(d, "d")
        return self._nth_workday_after(d.toordinal() - 1, d.year, 1)

    # -- periods ---------------------------------------------------------------------

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (the last day of an n-working-day period).

        The start day is not counted (民法典 第二百零一条) even when it is itself a working
        day, and a start on a rest day counts from the first working day after it:
        Saturday + 1 working day is Monday. ``n`` must be >= 1: no limit in the law is zero
        working days, and "same day" (当日) limits are not periods, so ``n == 0`` is treated as
        a caller bug (ValueError) rather than returning ``start``, which could be a holiday.
        """
        _check_date(start, "start")
        _check_count(n, "n")
        return self._nth_workday_after(start.toordinal(), _year_after(start), n)

    def add_calendar_days(self, start: date, n: int) -> date:
        """Last day of an ``n``-calendar-day period from ``start`` (e.g. 15 days to pay a fine).

        ``start + n`` (民法典 第二百零一条: the start day is not counted), rolled forward to the
        next working day if it is a rest day (第二百零三条). Only the last day and the days it
        rolls over must be in known years.
        """
        _check_date(start, "start")
        _check_count(n, "n")
        try:
            end = start + timedelta(days=n)
        except OverflowError:
            raise CalendarYearMissing(_MAX_YEAR + 1) from None
        return self.roll_forward(end)

    def add_months(self, start: date, n: int) -> date:
        """Last day of an ``n``-month period from ``start`` (3-month, 6-month limits).

        民法典 第二百零二条: the corresponding day of the final month, or that month's last day
        when there is none (31 Jan + 1 month = 28/29 Feb); then rolled forward to a working
        day (第二百零三条).
        """
        _check_date(start, "start")
        _check_count(n, "n")
        months = start.year * 12 + (start.month - 1) + n
        year, month = divmod(months, 12)
        month += 1
        if year > _MAX_YEAR:
            raise CalendarYearMissing(year)
        day = min(start.day, _days_in_month(year, month))
        return self.roll_forward(date(year, month, day))

    def add_years(self, start: date, n: int) -> date:
        """Last day of an ``n``-year period: ``add_months(start, 12 * n)`` (民法典 第二百零二条)."""
        _check_count(n, "n")
        return self.add_months(start, 12 * n)

    def count_workdays(self, a: date, b: date) -> int:
        """Working days in ``(a, b]``: ``a`` is not counted (第二百零一条), ``b`` is.

        Antisymmetric: when ``b < a`` the result is ``-count_workdays(b, a)``, so a deadline
        already passed gives a negative count. ``a == b`` gives 0 and needs no calendar data.
        Every day of the interval must be in a known year.
        """
        _check_date(a, "a")
        _check_date(b, "b")
        if b < a:
            return -self.count_workdays(b, a)
        if a == b:
            return 0
        a_ord, b_ord = a.toordinal(), b.toordinal()
        first_year = _year_after(a)
        end_year = self._run_end.get(first_year)
        if end_year is None:
            raise CalendarYearMissing(first_year)
        if b.year > end_year:
            raise CalendarYearMissing(end_year + 1)
        ords = self._workday_ords
        return bisect_right(ords, b_ord) - bisect_right(ords, a_ord)

    def workdays_left(self, today: date, due: date) -> int:
        """Working days remaining after ``today`` up to ``due`` (0 on the due day, < 0 when late).

        Same counting as ``count_workdays(today, due)``.
        """
        return self.count_workdays(today, due)

    def deadline_status(self, today: date, due: date, *, warn_workdays: int = 2) -> DeadlineStatus:
        """OVERDUE after ``due`` (a period ends at 24:00 of its last day, 民法典 第二百零三条),
        DUE_SOON when at most ``warn_workdays`` working days are left, else ON_TRACK."""
        _check_date(today, "today")
        _check_date(due, "due")
        if today > due:
            return DeadlineStatus.OVERDUE
        if self.count_workdays(today, due) <= warn_workdays:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TRACK

    # -- internals -------------------------------------------------------------------

    def _nth_workday_after(self, start_ord: int, first_year: int, n: int) -> date:
        # ``first_year`` is the year of the first day needed (start + 1): it must be known,
        # and the answer must lie in the unbroken run of known years that begins there.
        end_year = self._run_end.get(first_year)
        if end_year is None:
            raise CalendarYearMissing(first_year)
        ords = self._workday_ords
        i = bisect_right(ords, start_ord) + n - 1
        if i < len(ords):
            result = date.fromordinal(ords[i])
            if result.year <= end_year:
                return result
        raise CalendarYearMissing(end_year + 1)

    def __repr__(self) -> str:
        return f"WorkCalendar(years={list(self.years)!r})"


def _year_after(d: date) -> int:
    """Year of the day after ``d`` (without building that date, which may overflow)."""
    return d.year + 1 if (d.month == 12 and d.day == 31) else d.year


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def _validate_schedule(year: int, schedule: YearSchedule) -> None:
    for day in (*schedule.holidays, *schedule.makeup_workdays):
        _check_date(day, "day")
        if day.year != year:
            raise ValueError(f"{day.isoformat()} 不属于{year}年，不能录入{year}年的节假日安排")
    both = schedule.holidays & schedule.makeup_workdays
    if both:
        first = min(both).isoformat()
        raise ValueError(f"{first} 同时被登记为放假日和调休上班日")
    weekdays = sorted(d for d in schedule.makeup_workdays if d.weekday() < 5)
    if weekdays:
        # A weekday is a working day anyway; listing it as 调休上班 is a typing mistake
        # (usually the wrong date), so refuse it instead of storing a meaningless row.
        raise ValueError(f"{weekdays[0].isoformat()} 是工作日（周一至周五），不应登记为调休上班日")


def _year_workday_ordinals(year: int, schedule: YearSchedule) -> list[int]:
    holidays = {d.toordinal() for d in schedule.holidays}
    makeup = {d.toordinal() for d in schedule.makeup_workdays}
    first = date(year, 1, 1).toordinal()
    last = date(year, 12, 31).toordinal()
    # Ordinal 1 (0001-01-01) is a Monday, so (ordinal - 1) % 7 is date.weekday().
    return [
        o for o in range(first, last + 1) if o in makeup or ((o - 1) % 7 < 5 and o not in holidays)
    ]

"""Pure rules for a year's holiday notice: validation, expansion into days, the month overview.

No database here: services and forms call these with plain values, and the counting itself
is ``lib.workdays.WorkCalendar``'s, so the preview shows exactly what deadlines will use.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sanxiang.lib.workdays import WorkCalendar, YearSchedule

WEEKDAYS = "一二三四五六日"
# Names as the State Council notices write them (国务院办公厅关于某年部分节假日安排的通知).
USUAL_NAMES = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "国庆节、中秋节"]
# No notice has ever had a block longer than the 2020 Spring Festival extension (10 days); a
# month-long block is a typing mistake in a date (wrong month), not a holiday.
MAX_BLOCK_DAYS = 31
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class HolidayBlock:  # 放假期间: "春节：2月15日至23日放假调休，共9天"
    name: str
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def label(self) -> str:
        return f"“{self.name}”（{cn_date(self.first)}至{cn_date(self.last)}）"

    def as_data(self) -> dict:
        return {"name": self.name, "first": self.first, "last": self.last}


@dataclass(frozen=True)
class MakeupDay:  # 调休上班日: "2月14日（周六）上班"
    day: date
    name: str

    def as_data(self) -> dict:
        return {"day": self.day, "name": self.name}


@dataclass(frozen=True)
class Problem:
    """One reason a notice is refused. ``where`` is ("block" | "makeup", row index, field) or
    None for the notice as a whole, so a form can put the message next to the wrong value."""

    message: str
    where: tuple[str, int, str] | None = None


def cn_date(d: date) -> str:
    return f"{d.month}月{d.day}日"


def weekday_name(d: date) -> str:
    return f"星期{WEEKDAYS[d.weekday()]}"


def validate_year(year: object) -> list[Problem]:
    if not isinstance(year, int) or isinstance(year, bool):
        return [Problem("年份应为整数，如 2027")]
    if not MIN_YEAR <= year <= MAX_YEAR:
        return [Problem(f"年份应在{MIN_YEAR}年至{MAX_YEAR}年之间，收到 {year}")]
    return []


def notice_problems(
    year: int, blocks: Sequence[HolidayBlock], makeup_days: Sequence[MakeupDay]
) -> list[Problem]:
    """Every reason the notice as typed cannot be right; empty when it can be saved."""
    problems = validate_year(year)
    if problems:
        return problems
    if not blocks:
        problems.append(Problem("请至少录入一个放假期间（每年的通知至少包括元旦）"))
    outside = "若通知安排了上一年12月的放假或上班日期，请在上一年度中更正录入"
    good_blocks: list[tuple[int, HolidayBlock]] = []
    for i, block in enumerate(blocks):
        if not block.name.strip():
            problems.append(Problem("请填写节日名称", ("block", i, "name")))
        bad = False
        for field in ("first", "last"):
            d = getattr(block, field)
            if d.year != year:
                problems.append(
                    Problem(f"{d.isoformat()} 不在{year}年内。{outside}", ("block", i, field))
                )
                bad = True
        if block.last < block.first:
            problems.append(Problem("结束日期不能早于开始日期", ("block", i, "last")))
            bad = True
        elif block.days > MAX_BLOCK_DAYS:
            problems.append(
                Problem(
                    f"一个放假期间不应超过{MAX_BLOCK_DAYS}天（录入为{block.days}天），请核对起止日期",
                    ("block", i, "last"),
                )
            )
            bad = True
        if not bad:
            good_blocks.append((i, block))
    # Blocks must not overlap: each day off belongs to exactly one holiday of the notice.
    reach: HolidayBlock | None = None  # the block reaching furthest so far
    for j, b in sorted(good_blocks, key=lambda ib: (ib[1].first, ib[0])):
        if reach is not None and b.first <= reach.last:
            problems.append(Problem(f"与{reach.label()}重叠", ("block", j, "first")))
        if reach is None or b.last > reach.last:
            reach = b

    names = {b.name.strip() for b in blocks if b.name.strip()}
    seen: dict[date, int] = {}
    for i, m in enumerate(makeup_days):
        if m.day.year != year:
            problems.append(
                Problem(f"{m.day.isoformat()} 不在{year}年内。{outside}", ("makeup", i, "day"))
            )
            continue
        if m.day.weekday() < 5:
            # A weekday is a working day anyway; listing it is a wrong date (lib.workdays
            # refuses it too).
            problems.append(
                Problem(
                    f"{m.day.isoformat()} 是{weekday_name(m.day)}，调休上班日应为周六或周日",
                    ("makeup", i, "day"),
                )
            )
        if m.day in seen:
            problems.append(Problem(f"{m.day.isoformat()} 重复录入", ("makeup", i, "day")))
        seen.setdefault(m.day, i)
        for _, block in good_blocks:
            if block.first <= m.day <= block.last:
                problems.append(
                    Problem(
                        f"{m.day.isoformat()} 在{block.label()}放假期间内，不能同时是调休上班日",
                        ("makeup", i, "day"),
                    )
                )
        name = m.name.strip()
        if not name:
            problems.append(Problem("请填写该调休上班日所属的节日", ("makeup", i, "name")))
        elif name not in names:
            problems.append(
                Problem(
                    f"所属节日“{name}”不在本通知的放假安排中（应与上面某个节日名称一致）",
                    ("makeup", i, "name"),
                )
            )
    return problems


def notice_days(
    blocks: Iterable[HolidayBlock], makeup_days: Iterable[MakeupDay]
) -> dict[date, tuple[bool, str]]:
    """The notice expanded into rows: day → (is_workday, holiday name)."""
    days: dict[date, tuple[bool, str]] = {}
    for block in blocks:
        for d in block.dates():
            days[d] = (False, block.name.strip())
    for m in makeup_days:
        days[m.day] = (True, m.name.strip())
    return days


def blocks_from_days(rest_days: Mapping[date, str]) -> list[HolidayBlock]:
    """Group days off back into the notice's blocks: runs of consecutive days, same name."""
    blocks: list[HolidayBlock] = []
    for d in sorted(rest_days):
        name = rest_days[d]
        if blocks and blocks[-1].name == name and blocks[-1].last + timedelta(days=1) == d:
            blocks[-1] = HolidayBlock(name, blocks[-1].first, d)
        else:
            blocks.append(HolidayBlock(name, d, d))
    return blocks


def notice_data(blocks: Sequence[HolidayBlock], makeup_days: Sequence[MakeupDay]) -> dict:
    """The notice as plain data for the ledger (dates become ISO strings there)."""
    return {
        "blocks": [b.as_data() for b in sorted(blocks, key=lambda b: b.first)],
        "makeup_days": [m.as_data() for m in sorted(makeup_days, key=lambda m: m.day)],
    }


# -- the month overview ---------------------------------------------------------------------


@dataclass(frozen=True)
class DayCell:
    day: date
    is_workday: bool
    kind: str  # "rest" (放假日), "makeup" (调休上班), "weekend", "workday"
    name: str = ""

    @property
    def description(self) -> str:
        """What a screen reader says and the tooltip shows (not colour alone)."""
        base = f"{self.day.month}月{self.day.day}日 {weekday_name(self.day)}"
        if self.kind == "rest":
            return f"{base}，{self.name}放假"
        if self.kind == "makeup":
            return f"{base}，{self.name}调休上班"
        if self.kind == "weekend":
            return f"{base}，休息日"
        return f"{base}，工作日"

    @property
    def mark(self) -> str:
        return {"rest": "休", "makeup": "班"}.get(self.kind, "")


@dataclass(frozen=True)
class MonthOverview:
    month: int
    weeks: list[list[DayCell | None]]
    workdays: int
    rest_days: int  # days off of the notice (放假日) in this month
    makeup_days: int

    @property
    def days(self) -> int:
        return sum(1 for w in self.weeks for c in w if c is not None)


@dataclass(frozen=True)
class YearOverview:
    year: int
    months: list[MonthOverview]
    workdays: int
    blocks: list[HolidayBlock]
    makeup_days: list[MakeupDay]

    @property
    def rest_days(self) -> int:
        return sum(m.rest_days for m in self.months)


def year_overview(year: int, days: Mapping[date, tuple[bool, str]]) -> YearOverview:
    """Twelve month grids and working-day counts for ``year`` from its special days.

    Counting goes through ``WorkCalendar`` (which also validates the schedule), so the totals
    are the ones deadlines will use once the year is confirmed.
    """
    schedule = YearSchedule(
        holidays=frozenset(d for d, (w, _) in days.items() if not w),
        makeup_workdays=frozenset(d for d, (w, _) in days.items() if w),
    )
    cal = WorkCalendar({year: schedule})
    months: list[MonthOverview] = []
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        counts = {"workdays": 0, "rest": 0, "makeup": 0}
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for d in week:
                if d.month != month:
                    row.append(None)
                    continue
                workday = cal.is_workday(d)
                if d in days:
                    kind = "makeup" if workday else "rest"
                    cell = DayCell(d, workday, kind, days[d][1])
                    counts[kind] += 1
                else:
                    cell = DayCell(d, workday, "workday" if workday else "weekend")
                counts["workdays"] += workday
                row.append(cell)
            weeks.append(row)
        months.append(
            MonthOverview(month, weeks, counts["workdays"], counts["rest"], counts["makeup"])
        )
    return YearOverview(
        year=year,
        months=months,
        workdays=cal.workdays_in_year(year),
        blocks=blocks_from_days({d: n for d, (w, n) in days.items() if not w}),
        makeup_days=sorted(
            (MakeupDay(d, n) for d, (w, n) in days.items() if w), key=lambda m: m.day
        ),
    )

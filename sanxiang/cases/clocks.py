"""The one place where case clocks are computed, opened, suspended, extended and closed.

Every due date comes from ``sanxiang.workcalendar.selectors`` (the single import point for
deadline arithmetic, ARCHITECTURE.md invariant 7). A due date that needs a year whose holiday
notice has not been entered is stored as unknown (``due`` empty) with the Chinese reason naming
the year — never guessed. "Overdue" and "soon" are derived at read time by :func:`clock_state`.

Kinds, lengths and bases (DOMAIN.md §3.6, §9):

==================  =======================  ===============================================
kind                length                   basis
==================  =======================  ===============================================
acceptance          5 working days           若干规定 第十八条
verification        15 working days          人社部令第47号 [M, 待核实]
investigation       60 (+30 once) wd         劳动保障监察条例 第十七条
decision            90 days (+30, more only  行政处罚法 第六十条 (hearing time excluded)
                    with collective
                    discussion)
preservation        7 working days           行政处罚法 第五十六条、第八十五条
correction          fixed date (as ordered)  劳动保障监察条例 第十八条
defence             config, default 3 wd     行政处罚法 第四十五条
hearing_request     5 working days           行政处罚法 第六十四条、第八十五条
service             7 working days           行政处罚法 第六十一条、第八十五条
payment             15 days, rolled          行政处罚法 第六十七条
reminder            10 working days          行政强制法 第五十四条、第六十九条
court               3 months                 行政强制法 第五十三条
==================  =======================  ===============================================
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from sanxiang.workcalendar import selectors as wc

from .choices import DeadlineKind, DeadlineStatus, DeadlineUnit
from .models import Deadline, DeadlineExtension, DeadlineSuspension

K = DeadlineKind
U = DeadlineUnit


@dataclass(frozen=True)
class KindRule:
    length: int | None
    unit: str
    basis: str


KIND_RULES: dict[str, KindRule] = {
    K.ACCEPTANCE: KindRule(
        5, U.WORKDAYS, "若干规定第十八条：收到投诉之日起5个工作日内决定是否受理"
    ),
    K.VERIFICATION: KindRule(
        15, U.WORKDAYS, "人力资源社会保障行政处罚办法：线索核查15个工作日（待核实）"
    ),
    K.INVESTIGATION: KindRule(60, U.WORKDAYS, "劳动保障监察条例第十七条：自立案之日起60个工作日"),
    K.DECISION: KindRule(90, U.DAYS, "行政处罚法第六十条：自立案之日起九十日内作出行政处罚决定"),
    K.PRESERVATION: KindRule(7, U.WORKDAYS, "行政处罚法第五十六条、第八十五条：七日内作出处理决定"),
    K.CORRECTION: KindRule(None, U.FIXED, "劳动保障监察条例第十八条：责令限期改正"),
    K.DEFENCE: KindRule(None, U.WORKDAYS, "行政处罚法第四十五条：陈述、申辩期限（告知书载明）"),
    K.HEARING_REQUEST: KindRule(
        5, U.WORKDAYS, "行政处罚法第六十四条第一款第（一）项：告知后五日内提出听证要求"
    ),
    K.SERVICE: KindRule(7, U.WORKDAYS, "行政处罚法第六十一条：当事人不在场的，七日内送达"),
    K.PAYMENT: KindRule(15, U.DAYS, "行政处罚法第六十七条：收到决定书之日起十五日内缴纳罚款"),
    K.REMINDER: KindRule(
        10, U.WORKDAYS, "行政强制法第五十四条：催告书送达十日后仍未履行的，可以申请强制执行"
    ),
    K.COURT: KindRule(
        3, U.MONTHS, "行政强制法第五十三条：复议、诉讼期限届满之日起三个月内申请人民法院强制执行"
    ),
}

# 行政处罚法 第七十三条 / 行政复议法 第二十条 / 行政诉讼法 第四十六条: the court window opens when
# the 6-month litigation period (the later of the two) has expired.
LITIGATION_MONTHS = 6

SUSPENDED_REASON = "期限中止：{reason}（自{start}起不计入期限，恢复后重新计算）"


# --- computation (pure apart from the calendar) --------------------------------------------


def compute_due(
    *,
    start: dt.date,
    length: int | None,
    unit: str,
    extensions: tuple[int, ...] = (),
    suspensions: tuple[tuple[dt.date, dt.date | None, str], ...] = (),
    fixed_due: dt.date | None = None,
) -> tuple[dt.date | None, str]:
    """(due, "") or (None, reason). Suspended periods are added back: for working-day clocks
    the working days they cover, for day clocks their calendar days."""
    for starts_on, ends_on, reason in suspensions:
        if ends_on is None:
            return None, SUSPENDED_REASON.format(reason=reason, start=starts_on.isoformat())
    try:
        if unit == U.FIXED:
            if fixed_due is None:
                raise ValueError("fixed deadline without a date")
            return fixed_due, ""
        total = (length or 0) + sum(extensions)
        if unit == U.WORKDAYS:
            excluded = sum(
                wc.count_workdays(a - dt.timedelta(days=1), b) for a, b, _ in suspensions
            )
            return wc.add_workdays(start, total + excluded), ""
        if unit == U.DAYS:
            excluded = sum((b - a).days + 1 for a, b, _ in suspensions)
            return wc.add_calendar_days(start, total + excluded), ""
        if unit == U.MONTHS:
            return wc.add_months(start, total), ""
    except wc.CalendarYearMissing as exc:
        return None, str(exc)
    raise ValueError(f"unknown unit {unit!r}")


def public_service_date(published_on: dt.date) -> tuple[dt.date | None, str]:
    """公告送达: 自发出公告之日起经过三十日视为送达 (民事诉讼法 第九十五条), a period whose last day
    is rolled past a holiday (第八十五条)."""
    try:
        return wc.add_calendar_days(published_on, 30), ""
    except wc.CalendarYearMissing as exc:
        return None, str(exc)


def litigation_end(served_on: dt.date) -> tuple[dt.date | None, str]:
    """Last day of the 6-month litigation period after service (行政诉讼法 第四十六条)."""
    try:
        return wc.add_months(served_on, LITIGATION_MONTHS), ""
    except wc.CalendarYearMissing as exc:
        return None, str(exc)


def add_months_unrolled(start: dt.date, n: int) -> dt.date:
    """民法典 第二百零二条 without the holiday roll (no calendar needed)."""
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    month += 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def earliest_hearing_date(notice_served_on: dt.date) -> tuple[dt.date | None, str]:
    """行政处罚法 第六十四条第一款第（二）项: 举行听证的七日前通知 (working days, 第八十五条)."""
    try:
        return wc.add_workdays(notice_served_on, 7), ""
    except wc.CalendarYearMissing as exc:
        return None, str(exc)


def calendar_known(first: dt.date, last: dt.date) -> bool:
    """Whether every day from ``first`` to ``last`` lies in a year whose notice is entered."""
    try:
        wc.count_workdays(first - dt.timedelta(days=1), last)
    except wc.CalendarYearMissing:
        return False
    return True


# --- writes (called by services inside their transaction) --------------------------------


def _inputs(deadline: Deadline) -> dict:
    return {
        "start": deadline.start,
        "length": deadline.length,
        "unit": deadline.unit,
        "extensions": tuple(e.length for e in deadline.extensions.all()),
        "suspensions": tuple(
            (s.starts_on, s.ends_on, s.reason) for s in deadline.suspensions.all()
        ),
        "fixed_due": deadline.due if deadline.unit == U.FIXED else None,
    }


def recompute(deadline: Deadline) -> Deadline:
    """Recompute and store the due date from the deadline's stored inputs."""
    due, reason = compute_due(**_inputs(deadline))
    if deadline.unit == U.FIXED:
        due, reason = deadline.due, ""
    if (due, reason) != (deadline.due, deadline.due_unknown_reason):
        deadline.due, deadline.due_unknown_reason = due, reason
        deadline.save(update_fields=["due", "due_unknown_reason"])
    return deadline


def open_clock(
    *,
    case,
    kind: str,
    start: dt.date,
    length: int | None = None,
    ref: str = "",
    fixed_due: dt.date | None = None,
    basis: str = "",
) -> Deadline:
    rule = KIND_RULES[kind]
    # A date set by a decision (a correction deadline, an approved instalment) is fixed.
    unit = U.FIXED if fixed_due is not None else rule.unit
    length = None if unit == U.FIXED else (length if length is not None else rule.length)
    if unit == U.FIXED:
        if fixed_due is None:
            raise ValueError(f"{kind} needs a fixed due date")
        due, reason = fixed_due, ""
    else:
        due, reason = compute_due(start=start, length=length, unit=unit)
    return Deadline.objects.create(
        case=case,
        kind=kind,
        ref=ref,
        basis=basis or rule.basis,
        start=start,
        length=length,
        unit=unit,
        due=due,
        due_unknown_reason=reason,
    )


def open_of(case, kind: str, ref: str = "") -> Deadline | None:
    return (
        Deadline.objects.select_for_update()
        .filter(case=case, kind=kind, ref=ref, status=DeadlineStatus.OPEN)
        .first()
    )


def close_clock(
    *, case, kind: str, on: dt.date, ref: str = "", note: str = "", cancelled: bool = False
) -> Deadline | None:
    """Mark the open clock of ``kind`` met (or cancelled); None when there is none."""
    deadline = open_of(case, kind, ref)
    if deadline is None:
        return None
    deadline.status = DeadlineStatus.CANCELLED if cancelled else DeadlineStatus.MET
    deadline.closed_on, deadline.close_note = on, note[:200]
    deadline.save(update_fields=["status", "closed_on", "close_note"])
    return deadline


def close_all(*, case, on: dt.date, note: str) -> int:
    """Cancel every open clock (closing, transfer, not filed)."""
    n = 0
    for deadline in Deadline.objects.select_for_update().filter(
        case=case, status=DeadlineStatus.OPEN
    ):
        deadline.status, deadline.closed_on, deadline.close_note = (
            DeadlineStatus.CANCELLED,
            on,
            note[:200],
        )
        deadline.save(update_fields=["status", "closed_on", "close_note"])
        n += 1
    return n


def reopen_clock(*, case, kind: str, ref: str = "") -> Deadline | None:
    """Reopen the last met clock of ``kind`` (补充调查 reopens the investigation clock)."""
    deadline = (
        Deadline.objects.select_for_update()
        .filter(case=case, kind=kind, ref=ref, status=DeadlineStatus.MET)
        .order_by("-pk")
        .first()
    )
    if deadline is None:
        return None
    deadline.status, deadline.closed_on, deadline.close_note = DeadlineStatus.OPEN, None, ""
    deadline.save(update_fields=["status", "closed_on", "close_note"])
    return deadline


def suspend_clock(*, case, kind: str, on: dt.date, reason: str) -> Deadline | None:
    """Stop counting from ``on`` (inclusive) until resumed."""
    deadline = open_of(case, kind)
    if deadline is None:
        return None
    DeadlineSuspension.objects.create(deadline=deadline, starts_on=on, reason=reason[:200])
    return recompute(deadline)


def resume_clock(*, case, kind: str, last_excluded: dt.date) -> Deadline | None:
    """Count again after ``last_excluded`` (the last day not counted)."""
    deadline = open_of(case, kind)
    if deadline is None:
        return None
    suspension = deadline.suspensions.filter(ends_on__isnull=True).first()
    if suspension is None:
        return deadline
    suspension.ends_on = max(last_excluded, suspension.starts_on)
    suspension.save(update_fields=["ends_on"])
    return recompute(deadline)


def extend_clock(
    *,
    deadline: Deadline,
    length: int,
    reason: str,
    approved_by,
    approved_on: dt.date,
    discussion=None,
) -> Deadline:
    DeadlineExtension.objects.create(
        deadline=deadline,
        length=length,
        reason=reason,
        approved_by=approved_by,
        approved_on=approved_on,
        discussion=discussion,
    )
    return recompute(deadline)


def refresh_unknown() -> int:
    """Recompute every open clock whose due date was unknown (after a year's holiday notice
    has been entered). Returns how many now have a date."""
    fixed = 0
    for deadline in Deadline.objects.filter(
        status=DeadlineStatus.OPEN, due__isnull=True
    ).prefetch_related("extensions", "suspensions"):
        recompute(deadline)
        fixed += deadline.due is not None
    return fixed


# --- read-time state -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClockState:
    code: str  # met / cancelled / suspended / unknown / overdue / soon / normal
    label: str
    workdays_left: int | None = None

    @property
    def urgency(self) -> str:
        """For 我的待办: normal | soon | overdue | unknown."""
        if self.code in ("overdue", "soon", "normal"):
            return self.code
        return "unknown"


def clock_state(deadline: Deadline, today: dt.date) -> ClockState:
    """Derived at read time (never stored): 已逾期 after the due day, 即将到期 with at most 2
    working days left, 期限待定 when the due date is unknown."""
    if deadline.status == DeadlineStatus.MET:
        return ClockState("met", "已完成")
    if deadline.status == DeadlineStatus.CANCELLED:
        return ClockState("cancelled", "已取消")
    if deadline.due is None:
        if deadline.due_unknown_reason.startswith("期限中止"):
            return ClockState("suspended", "期限中止")
        return ClockState("unknown", "期限待定")
    if today > deadline.due:
        return ClockState("overdue", "已逾期")
    try:
        left = wc.workdays_left(today, deadline.due)
    except wc.CalendarYearMissing:
        return ClockState("normal", "正常")
    if left <= 2:
        return ClockState("soon", "即将到期", left)
    return ClockState("normal", "正常", left)

"""Writes to the working-day calendar: entering, confirming, correcting and discarding a year.

Only the system administrator (权限 ``workcalendar.manage_workcalendar``) writes here. Every
write changes the version token (so every process rebuilds its cached calendar) and records a
ledger event in the same transaction, with the notice's data; a correction of a confirmed year
records the old and the new data and the reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from . import rules, selectors
from .models import WorkCalendarDay, WorkCalendarVersion, WorkCalendarYear
from .rules import HolidayBlock, MakeupDay

if TYPE_CHECKING:
    from sanxiang.accounts.models import User

MANAGE = "workcalendar.manage_workcalendar"
MANUAL_SOURCE = "人工录入"


def _require_manager(actor: User | None) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(MANAGE):
        raise NotPermitted("只有系统管理员可以录入、确认或更正法定节假日安排")


def _bump_version() -> None:
    WorkCalendarVersion.objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4(), "changed_at": timezone.now()}
    )
    # Read back rather than pass the UUID: the cache compares tokens as the database returns
    # them (a string on SQLite, a UUID on PostgreSQL).
    selectors.calendar_changed(selectors._current_token())


def _snapshot(record: WorkCalendarYear | None, days: dict[date, tuple[bool, str]]) -> dict:
    """The year as recorded in the ledger: notice fields, blocks, make-up days, total."""
    blocks = rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})
    makeup = [MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w]
    try:
        workdays: int | None = rules.year_overview(record.year, days).workdays if record else None
    except ValueError:
        workdays = None
    return {
        "notice": {
            "title": record.notice_title if record else "",
            "number": record.notice_number if record else "",
            "published_on": record.published_on if record else None,
        },
        **rules.notice_data(blocks, makeup),
        "workdays": workdays,
    }


def _clean_notice_fields(
    *, year: int, notice_title: str, notice_number: str, published_on: date | None
) -> tuple[str, str]:
    title, number = (notice_title or "").strip(), (notice_number or "").strip()
    if not title:
        raise DomainError(
            f"请填写通知标题，如“国务院办公厅关于{year}年部分节假日安排的通知”",
            field="notice_title",
        )
    if len(title) > 200:
        raise DomainError("通知标题不能超过200个字", field="notice_title")
    if len(number) > 60:
        raise DomainError("文号不能超过60个字", field="notice_number")
    if published_on is not None:
        if not year - 1 <= published_on.year <= year:
            raise DomainError(
                f"{year}年安排的通知应在{year - 1}年或{year}年发布，收到 {published_on.isoformat()}",
                field="published_on",
            )
        if published_on > timezone.localdate():
            raise DomainError("发布日期不能晚于今天", field="published_on")
    return title, number


@transaction.atomic
def calendar_year_save(
    *,
    actor: User,
    year: int,
    notice_title: str,
    notice_number: str = "",
    published_on: date | None = None,
    blocks: Sequence[HolidayBlock],
    makeup_days: Sequence[MakeupDay],
    reason: str = "",
) -> WorkCalendarYear:
    """Enter (or re-enter) a year's notice; a confirmed year is corrected, with a reason.

    A year not yet confirmed is saved as a draft, which the calculator ignores until
    ``calendar_year_confirm``. Correcting a confirmed year takes effect at once (deadlines
    keep working) and is recorded with the old and new data.
    """
    _require_manager(actor)
    problems = rules.notice_problems(year, blocks, makeup_days)
    if problems:
        raise Blocked([p.message for p in problems], code="invalid_notice")
    title, number = _clean_notice_fields(
        year=year, notice_title=notice_title, notice_number=notice_number, published_on=published_on
    )
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise DomainError("更正原因不能超过500个字", field="reason")

    now = timezone.now()
    record = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    correcting = record is not None and record.complete
    if correcting and not reason:
        raise DomainError(
            f"{year}年的安排已确认，更正须填写更正原因（如国务院办公厅的补充通知）", field="reason"
        )
    existing = {row.day: row for row in WorkCalendarDay.objects.filter(day__year=year)}
    before = _snapshot(record, {d: (r.is_workday, r.name) for d, r in existing.items()})

    if record is None:
        try:
            with transaction.atomic():
                record = WorkCalendarYear.objects.create(
                    year=year,
                    notice_title=title,
                    notice_number=number,
                    published_on=published_on,
                    source=MANUAL_SOURCE,
                    entered_by=actor,
                    entered_at=now,
                )
        except IntegrityError:
            raise DomainError(
                f"{year}年的安排刚刚已由他人录入，请刷新后再修改", field="year"
            ) from None
    else:
        record.notice_title, record.notice_number = title, number
        record.published_on = published_on
        record.entered_by, record.entered_at = actor, now

    wanted = rules.notice_days(blocks, makeup_days)
    after = _snapshot(record, wanted)
    if correcting and after == before:
        raise DomainError("录入的内容与已确认的安排完全相同，没有需要更正的内容")
    record.save()

    # Keep unchanged rows as they are (with their original source and entry), so each day
    # still says where it came from; change, add and remove only what differs.
    source = number or title
    stale = [d for d in existing if d not in wanted]
    WorkCalendarDay.objects.filter(day__in=stale).delete()
    added = []
    for d, (is_workday, name) in sorted(wanted.items()):
        kind = WorkCalendarDay.Kind.MAKEUP if is_workday else WorkCalendarDay.Kind.REST
        row = existing.get(d)
        if row is None:
            added.append(
                WorkCalendarDay(
                    day=d,
                    is_workday=is_workday,
                    kind=kind,
                    name=name,
                    source=source,
                    entered_by=actor,
                    entered_at=now,
                )
            )
        elif (row.is_workday, row.name) != (is_workday, name):
            row.is_workday, row.kind, row.name = is_workday, kind, name
            row.source, row.entered_by, row.entered_at = source, actor, now
            row.save()
    WorkCalendarDay.objects.bulk_create(added)
    _bump_version()

    if correcting:
        ledger.record(
            actor=actor,
            subject=record,
            type="workcalendar.year_corrected",
            data={"year": year, "reason": reason, "before": before, "after": after},
        )
    else:
        ledger.record(
            actor=actor,
            subject=record,
            type="workcalendar.year_saved",
            data={"year": year, "replaced": before if existing else None, **after},
        )
    return record


@transaction.atomic
def calendar_year_confirm(*, actor: User, year: int) -> WorkCalendarYear:
    """Declare a year's notice completely entered: from now on deadlines may use the year."""
    _require_manager(actor)
    record = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    if record is None:
        raise DomainError(f"尚未录入{year}年的节假日安排，无法确认")
    if record.complete:
        raise DomainError(f"{year}年的节假日安排已经确认过了")
    days = selectors.year_days(year)
    blocks = rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})
    makeup = [MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w]
    problems = rules.notice_problems(year, blocks, makeup)
    if problems:
        raise Blocked([p.message for p in problems], code="invalid_notice")
    try:
        workdays = rules.year_overview(year, days).workdays
    except ValueError as exc:  # lib.workdays refuses an impossible schedule
        raise DomainError(f"{year}年的安排有误，无法确认：{exc}") from None
    record.complete = True
    record.confirmed_by, record.confirmed_at = actor, timezone.now()
    record.save(update_fields=["complete", "confirmed_by", "confirmed_at"])
    _bump_version()
    ledger.record(
        actor=actor,
        subject=record,
        type="workcalendar.year_confirmed",
        data={"year": year, **_snapshot(record, days), "workdays": workdays},
    )
    return record


@transaction.atomic
def calendar_year_discard(*, actor: User, year: int) -> None:
    """Delete a draft (a year entered but not confirmed), e.g. one typed under a wrong year."""
    _require_manager(actor)
    record = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    if record is None:
        raise DomainError(f"没有{year}年的节假日安排草稿")
    if record.complete:
        raise DomainError(f"{year}年的安排已确认，不能删除；如有错误请更正")
    data = {"year": year, **_snapshot(record, selectors.year_days(year))}
    ledger.record(actor=actor, subject=record, type="workcalendar.year_discarded", data=data)
    WorkCalendarDay.objects.filter(day__year=year).delete()
    record.delete()
    _bump_version()

"""Entering, confirming, correcting and discarding a year: rules, permission, ledger."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.workcalendar.models import WorkCalendarDay, WorkCalendarVersion, WorkCalendarYear
from sanxiang.workcalendar.rules import HolidayBlock, MakeupDay
from sanxiang.workcalendar.selectors import add_workdays, work_calendar
from sanxiang.workcalendar.services import (
    calendar_year_confirm,
    calendar_year_discard,
    calendar_year_save,
)

from .conftest import BLOCKS_2027, MAKEUP_2027, notice_2027


def payload(event: Event) -> dict:
    return json.loads(event.payload)["data"]


def state() -> tuple:
    """Everything a refused write must leave untouched."""
    return (
        list(WorkCalendarYear.objects.values_list("year", "complete", "notice_title")),
        list(WorkCalendarDay.objects.values_list("day", "is_workday", "name", "source")),
        WorkCalendarVersion.objects.get().token,
        Event.objects.count(),
    )


def test_system_admin_enters_a_draft_which_is_recorded_in_the_ledger(personas):
    record = calendar_year_save(actor=personas.xitong, **notice_2027())
    assert (record.year, record.complete, record.entered_by) == (2027, False, personas.xitong)
    rows = WorkCalendarDay.objects.filter(day__year=2027)
    assert rows.filter(is_workday=False).count() == sum(b.days for b in BLOCKS_2027)
    assert set(rows.filter(is_workday=True).values_list("day", flat=True)) == {
        m.day for m in MAKEUP_2027
    }
    assert set(rows.values_list("source", flat=True)) == {"国办发明电〔2026〕9号"}
    event = Event.objects.get(type="workcalendar.year_saved")
    assert event.actor == personas.xitong
    data = payload(event)
    assert data["year"] == 2027 and data["workdays"] == 248
    assert data["blocks"][1] == {"name": "春节", "first": "2027-02-05", "last": "2027-02-11"}
    assert data["notice"]["number"] == "国办发明电〔2026〕9号"


def test_confirming_makes_the_year_complete_and_is_recorded(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    record = calendar_year_confirm(actor=personas.xitong, year=2027)
    assert record.complete and record.confirmed_by == personas.xitong and record.confirmed_at
    data = payload(Event.objects.get(type="workcalendar.year_confirmed"))
    assert data["workdays"] == 248 and len(data["makeup_days"]) == 4


def test_a_year_cannot_be_confirmed_twice_or_before_it_is_entered(personas):
    with pytest.raises(DomainError, match="尚未录入2027年"):
        calendar_year_confirm(actor=personas.xitong, year=2027)
    with pytest.raises(DomainError, match="已经确认过了"):
        calendar_year_confirm(actor=personas.xitong, year=2026)


@pytest.mark.parametrize(
    "who", ["zhangming", "zhaomin", "liujuzhang", "anquan", "shenji", "wuquanxian"]
)
def test_only_the_system_admin_enters_or_confirms_a_year(personas, who):
    actor = getattr(personas, who)
    before = state()
    with pytest.raises(NotPermitted, match="只有系统管理员"):
        calendar_year_save(actor=actor, **notice_2027())
    with pytest.raises(NotPermitted):
        calendar_year_confirm(actor=actor, year=2026)
    with pytest.raises(NotPermitted):
        calendar_year_discard(actor=actor, year=2026)
    assert state() == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"makeup_days": [MakeupDay(date(2027, 3, 10), "春节")]}, "调休上班日应为周六或周日"),
        (
            {"blocks": [*BLOCKS_2027, HolidayBlock("元旦", date(2027, 1, 2), date(2027, 1, 4))]},
            "重叠",
        ),
        ({"blocks": [HolidayBlock("元旦", date(2026, 12, 31), date(2027, 1, 1))]}, "不在2027年内"),
        ({"notice_title": "  "}, "请填写通知标题"),
        ({"published_on": date(2025, 1, 1)}, "应在2026年或2027年发布"),
        ({"published_on": date(2099, 1, 1)}, "应在2026年或2027年发布"),
    ],
)
def test_bad_notices_are_refused_in_chinese_and_write_nothing(personas, overrides, message):
    before = state()
    with pytest.raises(DomainError, match=message):
        calendar_year_save(actor=personas.xitong, **notice_2027(**overrides))
    assert state() == before


def test_a_draft_can_be_saved_again_and_only_changed_days_are_rewritten(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    first = WorkCalendarDay.objects.get(day=date(2027, 1, 1))
    blocks = [HolidayBlock("元旦", date(2027, 1, 1), date(2027, 1, 1)), *BLOCKS_2027[1:]]
    calendar_year_save(actor=personas.xitong, **notice_2027(blocks=blocks))
    assert WorkCalendarDay.objects.get(day=date(2027, 1, 1)).pk == first.pk
    assert not WorkCalendarDay.objects.filter(day__in=[date(2027, 1, 2), date(2027, 1, 3)]).exists()
    assert payload(Event.objects.filter(type="workcalendar.year_saved").last())["replaced"]


def test_correcting_a_confirmed_year_needs_a_reason(personas):
    before = state()
    blocks = [HolidayBlock("元旦", date(2026, 1, 1), date(2026, 1, 3))]
    with pytest.raises(DomainError, match="更正须填写更正原因") as exc:
        calendar_year_save(
            actor=personas.xitong,
            year=2026,
            notice_title="国务院办公厅关于2026年部分节假日安排的通知",
            blocks=blocks,
            makeup_days=[],
        )
    assert exc.value.field == "reason"
    assert state() == before


def test_a_correction_takes_effect_at_once_and_records_old_and_new_data(personas):
    # e.g. a supplementary notice extends 春节 2026 by one day (as in 2020).
    record = WorkCalendarYear.objects.get(year=2026)
    assert add_workdays(date(2026, 2, 23), 1) == date(2026, 2, 24)
    from sanxiang.workcalendar import rules, selectors

    days = selectors.year_days(2026)
    blocks = rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})
    blocks = [
        HolidayBlock("春节", date(2026, 2, 15), date(2026, 2, 24)) if b.name == "春节" else b
        for b in blocks
    ]
    makeup = [MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w]
    calendar_year_save(
        actor=personas.xitong,
        year=2026,
        notice_title=record.notice_title,
        published_on=record.published_on,
        blocks=blocks,
        makeup_days=makeup,
        reason="国务院办公厅关于延长2026年春节假期的通知",
    )
    assert WorkCalendarYear.objects.get(year=2026).complete
    assert add_workdays(date(2026, 2, 23), 1) == date(2026, 2, 25)
    assert work_calendar().workdays_in_year(2026) == 247
    # Unchanged days keep their source; the new day names the correcting notice.
    assert WorkCalendarDay.objects.get(day=date(2026, 2, 23)).source.startswith("chinese-calendar")
    assert WorkCalendarDay.objects.get(day=date(2026, 2, 24)).entered_by == personas.xitong
    data = payload(Event.objects.get(type="workcalendar.year_corrected"))
    assert data["reason"] == "国务院办公厅关于延长2026年春节假期的通知"
    assert (data["before"]["workdays"], data["after"]["workdays"]) == (248, 247)
    spring = {b["name"]: b for b in data["before"]["blocks"]}["春节"]
    assert spring["last"] == "2026-02-23"
    assert {b["name"]: b for b in data["after"]["blocks"]}["春节"]["last"] == "2026-02-24"


def test_a_correction_that_changes_nothing_is_refused(personas):
    from sanxiang.workcalendar import rules, selectors

    record = WorkCalendarYear.objects.get(year=2026)
    days = selectors.year_days(2026)
    before = state()
    with pytest.raises(DomainError, match="没有需要更正"):
        calendar_year_save(
            actor=personas.xitong,
            year=2026,
            notice_title=record.notice_title,
            published_on=record.published_on,
            blocks=rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w}),
            makeup_days=[MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w],
            reason="核对",
        )
    assert state() == before


def test_a_draft_can_be_discarded_but_a_confirmed_year_cannot(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    calendar_year_discard(actor=personas.xitong, year=2027)
    assert not WorkCalendarYear.objects.filter(year=2027).exists()
    assert not WorkCalendarDay.objects.filter(day__year=2027).exists()
    assert payload(Event.objects.get(type="workcalendar.year_discarded"))["workdays"] == 248
    with pytest.raises(DomainError, match="不能删除"):
        calendar_year_discard(actor=personas.xitong, year=2026)


def test_blocked_lists_every_problem(personas):
    bad = [MakeupDay(date(2027, 3, 10), "春节"), MakeupDay(date(2027, 10, 2), "国庆")]
    with pytest.raises(Blocked) as exc:
        calendar_year_save(actor=personas.xitong, **notice_2027(makeup_days=bad))
    assert len(exc.value.reasons) == 3

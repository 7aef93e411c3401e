"""The system check and the administrator's to-do item about a missing year."""

from __future__ import annotations

from datetime import date

from django.core import checks
from django.utils import timezone

from sanxiang.workcalendar.checks import check_calendar_years
from sanxiang.workcalendar.models import WorkCalendarYear
from sanxiang.workcalendar.selectors import todo_items_for
from sanxiang.workcalendar.services import calendar_year_confirm, calendar_year_save

from .conftest import notice_2027


def ids(messages) -> list[str]:
    return [m.id for m in messages]


def run(today: date):
    return check_calendar_years(databases=["default"], today=today)


def test_no_warning_before_1_november_when_the_current_year_is_complete(db):
    assert run(date(2026, 10, 31)) == []


def test_from_1_november_a_missing_next_year_is_a_warning(db):
    messages = run(date(2026, 11, 1))
    assert ids(messages) == ["workcalendar.W001"]
    assert messages[0].level == checks.WARNING
    assert "2027年的法定节假日安排尚未录入并确认" in messages[0].msg


def test_a_draft_next_year_still_warns_and_the_hint_says_confirm_it(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    messages = run(date(2026, 12, 15))
    assert ids(messages) == ["workcalendar.W001"] and "确认为完整年度" in messages[0].hint


def test_no_warning_once_next_year_is_confirmed(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    calendar_year_confirm(actor=personas.xitong, year=2027)
    assert run(date(2026, 12, 31)) == []


def test_a_missing_current_year_is_an_error(db):
    messages = run(date(2027, 3, 1))
    assert ids(messages) == ["workcalendar.E001"]
    assert messages[0].level == checks.ERROR
    assert "所有涉及2027年日期的期限都无法计算" in messages[0].msg


def test_the_check_is_a_registered_database_check_and_queries_only_when_allowed(db):
    assert check_calendar_years(today=date(2027, 3, 1)) == []  # no database given
    assert check_calendar_years in checks.registry.registry.get_checks(
        include_deployment_checks=True
    )
    assert checks.registry.registry.tag_exists(checks.Tags.database)
    ran = checks.run_checks(tags=[checks.Tags.database], databases=["default"])
    assert {m.id for m in ran} <= {"workcalendar.W001", "workcalendar.E001"}


def test_system_admin_gets_a_todo_item_from_1_november(personas):
    assert todo_items_for(user=personas.xitong, today=date(2026, 10, 31)) == []
    (item,) = todo_items_for(user=personas.xitong, today=date(2026, 11, 3))
    assert item.title == "录入2027年法定节假日安排"
    assert item.urgency == "normal" and item.due == date(2026, 12, 31)
    assert item.url == "/workcalendar/new/?year=2027"
    (item,) = todo_items_for(user=personas.xitong, today=date(2026, 12, 2))
    assert item.urgency == "soon"


def test_a_draft_turns_the_todo_into_confirming_it(personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    (item,) = todo_items_for(user=personas.xitong, today=date(2026, 11, 3))
    assert item.title == "确认2027年法定节假日安排" and item.url == "/workcalendar/2027/"


def test_a_missing_current_year_is_an_overdue_todo(personas):
    (item,) = todo_items_for(user=personas.xitong, today=date(2027, 3, 1))
    assert item.urgency == "overdue" and item.title == "录入2027年法定节假日安排"


def test_only_the_system_admin_gets_the_todo(personas):
    for who in ("zhangming", "zhaomin", "anquan", "wuquanxian"):
        assert todo_items_for(user=getattr(personas, who), today=date(2026, 12, 2)) == []


def test_the_todo_appears_on_the_system_admins_home_page(client, personas):
    # Make today's year missing, whatever the date the test runs on.
    WorkCalendarYear.objects.filter(year=timezone.localdate().year).delete()
    client.force_login(personas.xitong)
    page = client.get("/").content.decode()
    assert f"录入{timezone.localdate().year}年法定节假日安排" in page
    assert "已超期" in page
    client.force_login(personas.zhangming)
    assert "法定节假日安排" not in client.get("/").content.decode()

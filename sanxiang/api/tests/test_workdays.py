"""/api/v1/workdays/due: the legal calendar's arithmetic for machines — the same
``workcalendar.selectors`` every deadline of a case uses."""

from __future__ import annotations

import threading

import pytest

from sanxiang.workcalendar import selectors

from .support import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(monkeypatch):
    monkeypatch.setattr(selectors, "_shared", None)
    monkeypatch.setattr(selectors, "_local", threading.local())


def due(client, **params):
    return client.get("/api/v1/workdays/due", params)


def test_seven_working_days_from_30_september_2026_skip_the_national_day_holiday(personas):
    client = as_user(personas.zhangming)
    # 国庆节、中秋节 2026: 10月1日至7日放假；9月30日起算（当日不计入），10月8日起上班。
    answer = due(client, start="2026-09-30", count=7)
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["due"] == "2026-10-15" and body["unit"] == "workdays"
    assert body["text"] == "自2026年09月30日起7个工作日，至2026年10月15日届满"
    # The same from the selector every clock uses: no second copy of the calendar.
    import datetime as dt

    assert selectors.add_workdays(dt.date(2026, 9, 30), 7) == dt.date(2026, 10, 15)


def test_calendar_days_ending_on_a_holiday_roll_to_the_next_working_day_and_months(personas):
    client = as_user(personas.zhangming)
    # 民法典第二百零三条: the last day a holiday → the first working day after it.
    days = due(client, start="2026-09-26", count=5, unit="days").json()
    assert days["due"] == "2026-10-08", days
    months = due(client, start="2026-08-31", count=1, unit="months").json()
    assert months["due"] == "2026-09-30", months


def test_a_year_without_its_holiday_notice_answers_422_with_the_chinese_reason(personas):
    client = as_user(personas.zhangming)
    answer = due(client, start="2035-03-02", count=7)
    assert answer.status_code == 422
    body = answer.json()
    assert body["code"] == "calendar_year_missing"
    assert "2035" in body["message"] and body["fields"]["start"] == [body["message"]]


def test_bad_parameters_and_unit_limits_are_refused(personas):
    client = as_user(personas.zhangming)
    assert due(client, start="20260930", count=7).status_code == 422
    assert due(client, start="2026-02-30", count=7).json()["fields"]["start"]
    assert due(client, start="2026-09-30", count=0).status_code == 422
    assert due(client, start="2026-09-30", count=7, unit="weeks").status_code == 422
    too_long = due(client, start="2026-09-30", count=1001)
    assert too_long.status_code == 422 and too_long.json()["fields"] == {"count": ["不能大于1000"]}
    assert client.get("/api/v1/workdays/due").status_code == 422


def test_without_the_calendar_permission_403(personas):
    refused = due(as_user(personas.wuquanxian), start="2026-09-30", count=7)
    assert refused.status_code == 403 and refused.json()["message"] == "您没有查看工作日历的权限"

"""The 行政执法统计年报 reminder: in January the 公示管理员's to-do list carries "publish last
year's report" until it is published, due 31 January (国办发〔2018〕118号: 每年1月31日前公开
上年度行政执法总体情况); nobody else sees it, and it is gone in February."""

from __future__ import annotations

import datetime as dt

import pytest

from sanxiang.publicity import services
from sanxiang.publicity.selectors import todo_items_for

pytestmark = pytest.mark.django_db

TITLE = "发布2025年度行政执法统计年报"


def report_items(user, today: dt.date):
    return [i for i in todo_items_for(user=user, today=today) if "统计年报" in i.title]


def test_in_january_the_publicity_admin_is_reminded_of_last_years_report(personas):
    [item] = report_items(personas.zhougongshi, dt.date(2026, 1, 5))
    assert item.title == TITLE and item.due == dt.date(2026, 1, 31)
    assert item.url == "/publicity/report/?year=2025"
    assert "1月31日前" in item.basis and item.urgency == "normal"
    [late] = report_items(personas.zhougongshi, dt.date(2026, 1, 28))
    assert late.urgency == "soon"


def test_the_report_reminder_is_only_for_january_and_only_for_the_publicity_admin(personas):
    assert report_items(personas.zhougongshi, dt.date(2025, 12, 31)) == []
    assert report_items(personas.zhougongshi, dt.date(2026, 2, 1)) == []
    for officer in (personas.zhangming, personas.liujuzhang, personas.wuquanxian):
        assert report_items(officer, dt.date(2026, 1, 5)) == []


def test_once_the_report_is_published_the_reminder_goes(personas):
    services.annual_report_publish(
        agency=personas.zhougongshi.unit.agency,
        actor=personas.zhougongshi,
        year=2025,
        narrative="2025年度行政执法总体情况说明",
    )
    assert report_items(personas.zhougongshi, dt.date(2026, 1, 5)) == []
    # the next January asks for the next year
    assert [i.title for i in report_items(personas.zhougongshi, dt.date(2027, 1, 5))] == [
        "发布2026年度行政执法统计年报"
    ]

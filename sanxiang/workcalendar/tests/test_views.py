"""The staff pages: who may see and enter, the entry form without JavaScript, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from sanxiang.ledger.models import Event
from sanxiang.workcalendar.models import WorkCalendarDay, WorkCalendarVersion, WorkCalendarYear
from sanxiang.workcalendar.rules import HolidayBlock, MakeupDay
from sanxiang.workcalendar.services import calendar_year_save

from .conftest import BLOCKS_2027, form_data, notice_2027

LIST = "/workcalendar/"
NEW = "/workcalendar/new/"


def state() -> tuple:
    return (
        list(WorkCalendarYear.objects.values_list("year", "complete", "notice_title")),
        WorkCalendarDay.objects.count(),
        WorkCalendarVersion.objects.get().token,
        Event.objects.exclude(type__startswith="security.").count(),
    )


def test_urls_are_named_in_the_workcalendar_namespace():
    assert reverse("workcalendar:year_list") == LIST
    assert reverse("workcalendar:year_detail", args=[2026]) == "/workcalendar/2026/"


def test_every_role_may_look_at_the_calendar(client, personas):
    client.force_login(personas.zhangming)
    response = client.get("/workcalendar/2026/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026年工作日历" in page and "248 天" in page
    assert "更正" not in page  # 执法人员 cannot correct
    assert client.get(LIST).status_code == 200


def test_the_year_page_marks_holidays_with_text_not_colour_alone(client, personas):
    client.force_login(personas.zhangming)
    page = client.get("/workcalendar/2026/").content.decode()
    assert '<span class="sr-only">2月14日 星期六，春节调休上班</span>' in page
    assert '<span class="sr-only">2月17日 星期二，春节放假</span>' in page
    assert '<span class="wc-mark">班</span>' in page and '<span class="wc-mark">休</span>' in page
    assert page.count('<table class="wc-month"') == 12


@pytest.mark.parametrize("who", ["zhangming", "zhaomin", "wuquanxian"])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", NEW),
        ("post", NEW),
        ("get", "/workcalendar/2026/edit/"),
        ("post", "/workcalendar/2026/edit/"),
        ("post", "/workcalendar/2026/confirm/"),
        ("post", "/workcalendar/2026/discard/"),
    ],
)
def test_only_the_system_admin_may_enter_confirm_or_correct(client, personas, who, method, url):
    client.force_login(getattr(personas, who))
    before = state()
    response = getattr(client, method)(url, form_data() if method == "post" else None)
    assert response.status_code == 403
    assert "只有系统管理员可以录入、确认或更正法定节假日安排" in response.content.decode()
    assert state() == before
    assert Event.objects.filter(type="security.permission_denied").exists()


def test_a_user_without_role_may_not_even_look(client, personas):
    client.force_login(personas.wuquanxian)
    assert client.get(LIST).status_code == 403
    assert client.get("/workcalendar/2026/").status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_entry_page_works_without_javascript(client, personas):
    client.force_login(personas.xitong)
    page = client.get(NEW).content.decode()
    assert 'name="block-0-first"' in page and 'name="makeup-8-day"' in page
    assert "<script" not in page.split("</head>")[1]  # only base.html's deferred htmx in <head>
    assert 'value="2027"' in page  # the next year is proposed


def test_preview_shows_monthly_working_days_and_the_total_and_writes_nothing(client, personas):
    client.force_login(personas.xitong)
    before = state()
    response = client.post(NEW, form_data(action="preview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "预览（尚未保存）：2027年全年工作日 248 天" in page
    assert page.count('<table class="wc-month"') == 12
    assert '<th scope="row">2月</th><td class="num">16</td>' in page
    assert state() == before


def test_entering_saving_and_confirming_a_year_through_the_pages(client, personas):
    client.force_login(personas.xitong)
    response = client.post(NEW, form_data())
    assert response.status_code == 302 and response["Location"] == "/workcalendar/2027/"
    page = client.get("/workcalendar/2027/").content.decode()
    assert "草稿，未确认" in page and "确认为完整年度" in page
    assert not WorkCalendarYear.objects.get(year=2027).complete

    # The confirmation needs the box ticked.
    client.post("/workcalendar/2027/confirm/")
    assert not WorkCalendarYear.objects.get(year=2027).complete
    client.post("/workcalendar/2027/confirm/", {"checked": "on"})
    assert WorkCalendarYear.objects.get(year=2027).complete
    page = client.get("/workcalendar/2027/").content.decode()
    assert "已确认" in page and "确认为完整年度" in page  # in the history table
    assert "录入（草稿）" in page


def test_a_year_already_entered_cannot_be_entered_again_as_new(client, personas):
    client.force_login(personas.xitong)
    before = state()
    response = client.post(NEW, form_data(year=2026, blocks=[], makeup_days=[]))
    assert "2026年的安排已录入，请在该年度页面修改或更正" in response.content.decode()
    assert state() == before


BAD_INPUT = [
    (
        {"makeup_days": [MakeupDay(date(2027, 3, 10), "春节")]},
        "2027-03-10 是星期三，调休上班日应为周六或周日",
    ),
    (
        {
            "blocks": [
                *BLOCKS_2027,
                HolidayBlock("中秋节", date(2027, 10, 7), date(2027, 10, 8)),
            ]
        },
        "与“国庆节”（10月1日至10月7日）重叠",
    ),
    (
        {"blocks": [HolidayBlock("元旦", date(2028, 1, 1), date(2028, 1, 1))]},
        "2028-01-01 不在2027年内",
    ),
    ({"notice_title": ""}, "请填写通知标题"),
    ({"published_on": "2026-02-30"}, "请输入有效的日期"),
    ({"year": "二〇二七"}, "年度应为四位数字"),
    ({"year": "1990"}, "年度应在2000年至2100年之间"),
    ({"blocks": [], "makeup_days": []}, "请至少录入一个放假期间"),
]


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT)
def test_bad_input_gets_a_chinese_message_next_to_it_and_writes_nothing(
    client, personas, overrides, message
):
    client.force_login(personas.xitong)
    before = state()
    response = client.post(NEW, form_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == before


def test_a_half_filled_row_is_pointed_out(client, personas):
    client.force_login(personas.xitong)
    data = form_data()
    data["block-8-name"] = "春节"  # no dates
    data["makeup-8-day"] = "2027-03-06"  # no holiday
    page = client.post(NEW, data).content.decode()
    assert "请填写放假开始日期" in page and "请填写所属节日" in page
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_correcting_a_confirmed_year_through_the_page_needs_a_reason(client, personas):
    client.force_login(personas.xitong)
    page = client.get("/workcalendar/2026/edit/").content.decode()
    assert "更正原因" in page and 'value="2026-02-15"' in page  # prefilled from the table
    # Resubmit the page as prefilled, with one change and no reason.
    from sanxiang.workcalendar import rules, selectors

    days = selectors.year_days(2026)
    blocks = rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})
    makeup = [MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w]
    data = form_data(
        year=None,
        blocks=blocks[:-1],
        makeup_days=makeup[:-2],
        notice_title="国务院办公厅关于2026年部分节假日安排的通知",
        published_on="2025-11-04",
    )
    before = state()
    page = client.post("/workcalendar/2026/edit/", data).content.decode()
    assert "该年度已确认，更正须填写更正原因" in page
    assert state() == before
    data["reason"] = "测试更正"
    response = client.post("/workcalendar/2026/edit/", data)
    assert response.status_code == 302, response.content.decode()
    assert Event.objects.filter(type="workcalendar.year_corrected").count() == 1


def test_a_draft_can_be_discarded_from_its_page(client, personas):
    calendar_year_save(actor=personas.xitong, **notice_2027())
    client.force_login(personas.xitong)
    response = client.post("/workcalendar/2027/discard/")
    assert response.status_code == 302
    assert not WorkCalendarYear.objects.filter(year=2027).exists()


def test_the_list_page_needs_the_same_queries_whatever_the_number_of_years(
    client, personas, django_assert_max_num_queries
):
    client.force_login(personas.xitong)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    page = response.content.decode()
    assert page.count("已确认</span>") == 23
    assert "数据来源：chinese-calendar 1.11.0" in page


def test_the_nav_shows_the_calendar_under_reference_data(client, personas):
    client.force_login(personas.zhangming)
    page = client.get(LIST).content.decode()
    assert "基础数据" in page and 'href="/workcalendar/" aria-current="page"' in page


def test_unknown_year_pages_are_404(client, personas):
    client.force_login(personas.xitong)
    assert client.get("/workcalendar/2031/").status_code == 404
    assert client.get("/workcalendar/2031/edit/").status_code == 404


def test_a_draft_with_an_unusual_total_is_flagged(client, personas):
    only_new_year = [HolidayBlock("元旦", date(2027, 1, 1), date(2027, 1, 3))]
    calendar_year_save(actor=personas.xitong, **notice_2027(blocks=only_new_year, makeup_days=[]))
    client.force_login(personas.xitong)
    page = client.get("/workcalendar/2027/").content.decode()
    assert "全年工作日 260 天，与已确认年度的 248–252 天相差较多" in page
    calendar_year_save(actor=personas.xitong, **notice_2027())
    assert "相差较多" not in client.get("/workcalendar/2027/").content.decode()


def test_the_django_admin_shows_the_calendar_read_only(client, personas):
    client.force_login(personas.xitong)
    response = client.get("/admin/workcalendar/workcalendaryear/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "年度节假日安排" in page and "/workcalendar/2026/" in page
    assert "/admin/workcalendar/workcalendaryear/add/" not in page
    assert client.get("/admin/workcalendar/workcalendarday/?day__year=2026").status_code == 200

"""Who has had no three-systems training this year (实施方案 三（二）: 每年至少开展1次“三项制度”
专题学习培训或者业务交流): the selector, the training page and, in the fourth quarter, 我的待办."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.registry import selectors, services

TITLE = "督促未参加本年度“三项制度”培训的执法人员参训"


def train(keeper, agency, *attendees, topic="three_systems", held_on=dt.date(2026, 3, 18)):
    return services.training_record(
        actor=keeper,
        agency=agency,
        data={
            "title": "三项制度专题学习培训",
            "topic": topic,
            "held_on": held_on,
            "hours": "3",
            "organiser": "局办公室",
        },
        attendees=list(attendees),
    )


@pytest.fixture
def roster(personas, make_officer):
    """张明 and 李华 on the roster, neither trained yet."""
    return make_officer(personas.zhangming), make_officer(personas.lihua)


def untrained(agency, year=2026) -> list[str]:
    return [o.name for o in selectors.officers_without_training(agency=agency, year=year)]


def test_only_a_three_systems_training_of_that_year_counts(personas, agency, keeper, roster):
    assert sorted(untrained(agency)) == ["张明", "李华"]
    train(keeper, agency, personas.lihua, topic="law")  # 法律法规培训: not the duty
    train(keeper, agency, personas.lihua, held_on=dt.date(2025, 6, 1))  # last year's
    assert sorted(untrained(agency)) == ["张明", "李华"]
    train(keeper, agency, personas.zhangming, topic="exchange")  # 业务交流 counts
    assert untrained(agency) == ["李华"]
    assert sorted(untrained(agency, year=2025)) == ["张明"]


def test_an_officer_who_has_left_is_not_listed(personas, agency, keeper, roster, today):
    services.officer_leave(actor=keeper, officer=roster[1], on=today, reason="调离")
    assert untrained(agency) == ["张明"]


def test_the_training_page_lists_them_with_a_count_and_follows_new_records(
    client, personas, agency, keeper, roster, django_assert_max_num_queries
):
    client.force_login(personas.zhangming)
    url = reverse("registry:training_list") + "?year=2026"
    with django_assert_max_num_queries(20):
        page = client.get(url).content.decode()
    assert "未参加三项制度培训的执法人员（2人）" in page
    assert "张明" in page and "李华" in page
    train(keeper, agency, personas.zhangming, personas.lihua)
    page = client.get(url).content.decode()
    assert "未参加三项制度培训的执法人员（0人）" in page
    assert "均已参加" in page


def test_this_years_page_names_the_section_for_the_current_year(client, personas, roster):
    client.force_login(personas.zhangming)
    page = client.get(reverse("registry:training_list")).content.decode()
    assert "本年度未参加三项制度培训的执法人员（2人）" in page


@pytest.mark.parametrize("persona", ["wangqiang", "xitong"])
def test_the_unit_head_and_the_system_admin_are_reminded_in_the_fourth_quarter(
    personas, agency, keeper, roster, persona
):
    user = getattr(personas, persona)
    october, september = dt.date(2026, 10, 8), dt.date(2026, 9, 30)
    [item] = [i for i in selectors.todo_items_for(user=user, today=october) if i.title == TITLE]
    assert "共2人" in item.subject and item.due == dt.date(2026, 12, 31)
    assert item.url == reverse("registry:training_list")
    assert TITLE not in [i.title for i in selectors.todo_items_for(user=user, today=september)]
    train(keeper, agency, personas.zhangming, personas.lihua)
    assert TITLE not in [i.title for i in selectors.todo_items_for(user=user, today=october)]


def test_officers_themselves_get_no_such_reminder(personas, roster):
    titles = [
        i.title
        for i in selectors.todo_items_for(user=personas.zhangming, today=dt.date(2026, 11, 1))
    ]
    assert TITLE not in titles

"""Admin goes through the services; the demo loader; the registry's 我的待办 items."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from sanxiang.ledger.models import Event
from sanxiang.registry import demo, selectors, services
from sanxiang.registry.models import Agency, Certificate, Officer, Training, Unit


def test_admin_change_of_the_agency_goes_through_the_service(client, personas, agency):
    client.force_login(personas.xitong)
    url = f"/admin/registry/agency/{agency.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "name": agency.name,
        "short_name": "陵人社局",
        "uscc": agency.uscc,
        "legal_basis": agency.legal_basis,
        "jurisdiction": agency.jurisdiction,
        "division_code": agency.division_code,
        "address": agency.address,
        "phone": agency.phone,
        "is_active": "on",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.short_name == "陵人社局"
    event = Event.objects.get(type="registry.agency_updated")
    assert event.actor == personas.xitong and "陵人社局" in event.payload


def test_admin_shows_service_errors_on_the_form(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        "/admin/registry/agency/add/",
        {
            "name": "另一执法主体",
            "short_name": "另",
            "uscc": "911405244JURQ2830G",
            "legal_basis": "x",
            "jurisdiction": "y",
            "division_code": "14ab",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "行政区划代码应为6位数字" in response.content.decode()
    assert (
        Agency.objects.count() == 1
        and not Event.objects.filter(type="registry.agency_created").exists()
    )


def test_admin_adds_a_unit_through_the_service(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        "/admin/registry/unit/add/",
        {
            "agency": agency.pk,
            "name": "政策法规股",
            "kind": "legal_review",
            "duties": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.filter(name="政策法规股").exists()
    assert Event.objects.filter(type="registry.unit_created").exists()


def test_nothing_in_the_registry_can_be_deleted_in_the_admin(client, personas, agency):
    client.force_login(personas.xitong)
    assert client.get(f"/admin/registry/agency/{agency.pk}/delete/").status_code == 403
    unit = agency.units.first()
    assert client.get(f"/admin/registry/unit/{unit.pk}/delete/").status_code == 403


def test_unit_with_active_accounts_cannot_be_closed(personas, agency):
    unit = personas.zhangming.unit
    with pytest.raises(services.DomainError, match="在用账号"):
        services.unit_update(
            actor=personas.xitong,
            unit=unit,
            data={"name": unit.name, "kind": unit.kind, "is_active": False},
        )


def test_demo_people_load_twice_without_duplicates(personas, agency):
    context = {"agency": agency, "users": {u.username: u for u in vars(personas).values()}}
    out = io.StringIO()
    demo.load_people(context=context, stdout=out)
    counts = (
        Officer.objects.count(),
        Certificate.objects.count(),
        Training.objects.count(),
        Event.objects.count(),
    )
    demo.load_people(context=context, stdout=out)
    assert (
        Officer.objects.count(),
        Certificate.objects.count(),
        Training.objects.count(),
        Event.objects.count(),
    ) == counts
    assert "执法人员：10 人" in out.getvalue()
    ratio = selectors.reviewer_ratio(agency=agency, on=dt.date.today())
    assert ratio.meets_target


def test_holder_and_keeper_see_a_certificate_about_to_expire(personas, make_officer, today):
    make_officer(personas.lihua, valid_until=today + dt.timedelta(days=20))
    make_officer(personas.zhangming)
    [own] = selectors.todo_items_for(user=personas.lihua, today=today)
    assert own.title.startswith("您的执法证件即将到期") and own.urgency == "soon"
    assert selectors.todo_items_for(user=personas.zhangming, today=today) == []
    keeper_titles = [i.title for i in selectors.todo_items_for(user=personas.xitong, today=today)]
    assert "执法证件即将到期，请申请换发" in keeper_titles
    assert "组织本年度“三项制度”专题学习培训或业务交流" in keeper_titles


def test_expired_certificate_is_overdue_on_the_todo_list(personas, make_officer, today):
    make_officer(
        personas.lihua,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    [item] = selectors.todo_items_for(user=personas.lihua, today=today)
    assert item.urgency == "overdue" and "已过期" in item.title


def test_workbench_home_lists_registry_items(client, personas, make_officer, today):
    make_officer(personas.lihua, valid_until=today + dt.timedelta(days=20))
    client.force_login(personas.lihua)
    html = client.get("/").content.decode()
    assert "您的执法证件即将到期" in html

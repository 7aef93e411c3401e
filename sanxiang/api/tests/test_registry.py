"""/api/v1/registry: agencies, units, officers and "may this officer act on date D" — the same
answer the case services get from ``registry.selectors``."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import import_string

from sanxiang.registry import selectors
from sanxiang.registry import services as registry_services
from sanxiang.registry.models import Certificate, Officer

from .support import as_user, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(personas):
    """The demo bureau's officers, certificates and devices."""
    import_string("sanxiang.registry.demo.load_people")(
        context={"agency": personas.zhangming.unit.agency, "users": vars(personas)},
        stdout=io.StringIO(),
    )
    return personas


def officer_of(user) -> Officer:
    return Officer.objects.get(user=user)


def test_officer_list_shows_certificate_state_and_pages(demo):
    client = as_user(demo.zhangming)
    response = client.get("/api/v1/registry/officers", {"limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == Officer.objects.filter(is_active=True).count() >= 3
    assert len(body["items"]) == 2 and body["next"] and body["previous"] is None
    rest = client.get(body["next"]).json()
    ids = [o["id"] for o in body["items"]] + [o["id"] for o in rest["items"]]
    assert len(ids) == len(set(ids))
    zhang = next(
        o
        for o in client.get("/api/v1/registry/officers", {"q": "张明"}).json()["items"]
        if o["user_id"] == demo.zhangming.pk
    )
    assert zhang["state"] in ("valid", "expiring")
    assert zhang["certificate"]["number"]


def test_officer_may_act_is_the_services_answer_on_the_day(demo):
    """A suspended certificate: the officer may not act during the suspension — the API says
    so with the same Chinese reason the case services give."""
    zhang = officer_of(demo.zhangming)
    client = as_user(demo.lihua)
    today = timezone.localdate()
    ok = client.get(f"/api/v1/registry/officers/{zhang.pk}/status", {"on": today.isoformat()})
    assert ok.status_code == 200
    assert ok.json()["may_act"] is True and ok.json()["reasons"] == []
    assert ok.json()["certificate"]["number"]

    for cert in Certificate.objects.filter(officer=zhang, ended=""):
        registry_services.certificate_suspend(
            actor=demo.xitong, certificate=cert, starts_on=today, reason="涉嫌违纪，暂扣执法证件"
        )
    refused = client.get(f"/api/v1/registry/officers/{zhang.pk}/status").json()
    expected = selectors.enforcement_problems(users=[demo.zhangming], on=today)[demo.zhangming.pk]
    assert refused["may_act"] is False
    assert refused["reasons"] == expected and expected
    assert refused["certificate"] is None
    # The day before the suspension he could act (an act recorded afterwards).
    before = client.get(
        f"/api/v1/registry/officers/{zhang.pk}/status",
        {"on": (today - dt.timedelta(days=1)).isoformat()},
    ).json()
    assert before["may_act"] is True

    detail = client.get(f"/api/v1/registry/officers/{zhang.pk}").json()
    assert detail["may_act"] is False and detail["reasons"] == expected
    assert {c["state"] for c in detail["certificates"]} == {"suspended"}


def test_agencies_and_units(demo):
    client = as_user(demo.wangqiang)
    agencies = client.get("/api/v1/registry/agencies").json()
    agency = demo.zhangming.unit.agency
    assert [a["id"] for a in agencies["items"]] == [agency.pk]
    assert client.get(f"/api/v1/registry/agencies/{agency.pk}").json()["uscc"] == agency.uscc
    units = client.get("/api/v1/registry/units", {"agency": agency.pk, "limit": 100}).json()
    assert demo.zhangming.unit_id in [u["id"] for u in units["items"]]
    unit = client.get(f"/api/v1/registry/units/{demo.zhangming.unit_id}").json()
    assert unit["kind"] == "enforcement" and unit["kind_label"] == "执法机构"


def test_a_user_without_the_registry_permission_gets_403_in_chinese(demo):
    client = as_user(demo.wuquanxian)
    for path in (
        "/api/v1/registry/officers",
        f"/api/v1/registry/officers/{officer_of(demo.zhangming).pk}/status",
        "/api/v1/registry/agencies",
        "/api/v1/registry/units",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["code"] == "forbidden"
        assert "权限" in response.json()["message"]


def test_unknown_ids_are_404_and_bad_parameters_422(demo):
    client = as_user(demo.zhangming)
    for path in (
        "/api/v1/registry/officers/999999",
        "/api/v1/registry/officers/999999/status",
        "/api/v1/registry/agencies/999999",
        "/api/v1/registry/units/999999",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["message"].startswith("没有找到")
    zhang = officer_of(demo.zhangming).pk
    for params in ({"on": "20260301"}, {"on": "2026-02-30"}, {"on": 5}):
        response = client.get(f"/api/v1/registry/officers/{zhang}/status", params)
        assert response.status_code == 422, params
        assert "on" in response.json()["fields"]
    assert client.get("/api/v1/registry/officers", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/registry/officers", {"state": "bogus"}).status_code == 422
    assert client.get("/api/v1/registry/officers/0").status_code == 422


def test_no_credentials_is_401(demo):
    response = Client().get("/api/v1/registry/officers")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_the_officer_list_costs_the_same_queries_for_2_or_100_rows(demo):
    client = as_user(demo.zhangming)
    client.get("/api/v1/registry/officers")  # the token's "last used" is written once
    few = query_count(client, "/api/v1/registry/officers", {"limit": 2})
    many = query_count(client, "/api/v1/registry/officers", {"limit": 100})
    assert few == many

"""/api/v1/catalog: the catalogue as of a date, one item's versions, the discretion benchmark in
force on a date (行政处罚法 第三十七条), the 首违不罚 list."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from sanxiang.catalog import selectors
from sanxiang.catalog import services as catalog_services
from sanxiang.catalog.demo import ensure_catalogue
from sanxiang.catalog.models import Item, ItemVersion

from .support import as_user, query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(personas, agency):
    ensure_catalogue(agency=agency, actor=personas.xitong)
    return personas


def benchmarked_item() -> Item:
    version = (
        ItemVersion.objects.filter(tiers__isnull=False, effective_from__lte=timezone.localdate())
        .order_by("item__code")
        .first()
    )
    return version.item


def test_item_list_pages_through_the_catalogue_as_of_a_date(catalogue):
    client = as_user(catalogue.zhangming)
    first = client.get("/api/v1/catalog/items", {"limit": 3}).json()
    total = selectors.item_list_on(on=timezone.localdate()).count()
    assert first["count"] == total > 3
    assert len(first["items"]) == 3
    second = client.get(first["next"]).json()
    assert second["offset"] == 3 and second["previous"]
    codes = [i["code"] for i in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    penalty = client.get("/api/v1/catalog/items", {"category": "penalty", "limit": 100}).json()
    assert penalty["items"] and {i["category"] for i in penalty["items"]} == {"penalty"}


def test_a_new_version_applies_from_its_effective_date_only(catalogue):
    """The item answers with the version in force on the asked date: an act before the change
    is judged by the old version (行政处罚法 第三十七条)."""
    item = benchmarked_item()
    old = selectors.item_latest_version(item)
    later = timezone.localdate() + dt.timedelta(days=30)
    content = dataclasses.replace(
        selectors.version_content(old), description=old.description + "（修订）"
    )
    catalog_services.item_version_add(
        actor=catalogue.xitong,
        item=item,
        effective_from=later,
        change_note="依新规章修订",
        content=content,
    )
    client = as_user(catalogue.wangqiang)
    now = client.get(f"/api/v1/catalog/items/{item.pk}").json()
    assert now["number"] == old.number and now["status"] == "current"
    then = client.get(f"/api/v1/catalog/items/{item.pk}", {"on": later.isoformat()}).json()
    assert then["number"] == old.number + 1 and then["status"] == "scheduled"
    assert then["description"].endswith("（修订）")
    history = client.get(f"/api/v1/catalog/items/{item.pk}/versions").json()
    assert [v["number"] for v in history["items"]][:2] == [old.number + 1, old.number]
    exact = client.get(f"/api/v1/catalog/items/{item.pk}/versions/{old.number}").json()
    assert exact["id"] == old.pk and exact["bases"]


def test_benchmark_in_force_on_a_date(catalogue):
    item = benchmarked_item()
    bench = selectors.benchmark_on(item, timezone.localdate())
    client = as_user(catalogue.zhaomin)
    body = client.get(f"/api/v1/catalog/items/{item.pk}/benchmark").json()
    assert body["version_id"] == bench.version.pk
    assert [t["level"] for t in body["tiers"]] == [t.level for t in bench.tiers]
    for tier in body["tiers"]:
        assert tier["low"] is None or tier["low"].count(".") == 1  # money as a string
    # Before the first version took effect there is no benchmark: 404 in Chinese.
    first = ItemVersion.objects.filter(item=item).order_by("number").first()
    early = first.effective_from - dt.timedelta(days=1)
    response = client.get(f"/api/v1/catalog/items/{item.pk}/benchmark", {"on": early.isoformat()})
    assert response.status_code == 404
    assert "裁量基准" in response.json()["message"]


def test_first_offence_list(catalogue):
    client = as_user(catalogue.zhougongshi)
    body = client.get("/api/v1/catalog/first-offence", {"limit": 100}).json()
    expected = selectors.first_offence_list_on(on=timezone.localdate())
    assert body["count"] == expected.count() > 0
    assert body["items"][0]["rule"]["conditions"]


def test_every_signed_in_user_may_read_the_catalogue_as_on_the_pages(catalogue):
    """The catalogue pages check no permission beyond login: neither does the API."""
    client = as_user(catalogue.wuquanxian)
    assert client.get("/api/v1/catalog/items").status_code == 200
    assert Client().get("/api/v1/catalog/items").status_code == 401


def test_unknown_items_404_and_bad_parameters_422(catalogue):
    client = as_user(catalogue.zhangming)
    item = benchmarked_item()
    assert client.get("/api/v1/catalog/items/999999").status_code == 404
    missing = client.get(f"/api/v1/catalog/items/{item.pk}/versions/999")
    assert missing.status_code == 404 and missing.json()["message"] == "没有这个版本"
    for params in ({"on": "2026/03/01"}, {"category": "bogus"}, {"limit": 101}, {"offset": -1}):
        response = client.get("/api/v1/catalog/items", params)
        assert response.status_code == 422, params
        assert response.json()["code"] == "invalid"
    assert client.get(f"/api/v1/catalog/items/{item.pk}", {"on": "2026-13-01"}).status_code == 422


def test_the_item_list_costs_the_same_queries_for_2_or_100_rows(catalogue):
    client = as_user(catalogue.zhangming)
    client.get("/api/v1/catalog/items")
    assert query_count(client, "/api/v1/catalog/items", {"limit": 2}) == query_count(
        client, "/api/v1/catalog/items", {"limit": 100}
    )

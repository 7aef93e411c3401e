"""Catalogue pages: anyone logged in reads; only the system administrator edits, through forms
that call the services; bad input shows Chinese errors and writes nothing."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanxiang.catalog import rules, services
from sanxiang.catalog.models import Item, ItemVersion
from sanxiang.ledger.models import Event

from .conftest import overtime_content, post_data

LIST = "/catalog/items/"
CREATE = "/catalog/items/new/"


def text(response) -> str:
    return response.content.decode()


def test_urls_are_where_the_lead_will_include_them():
    assert reverse("catalog:item_list") == LIST
    assert reverse("catalog:item_create") == CREATE


def test_anonymous_users_are_sent_to_login(client, make_item):
    item = make_item()
    for url in (LIST, f"/catalog/items/{item.pk}/", "/catalog/first-offence/", CREATE):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["zhangming", "wuquanxian", "liujuzhang", "xitong"])
def test_anyone_logged_in_reads_the_catalogue(client, personas, make_item, who):
    item = make_item()
    client.force_login(getattr(personas, who))
    listing = client.get(LIST)
    assert listing.status_code == 200
    assert "LCRS-CF-025-01" in text(listing) and "用人单位违法延长劳动者工作时间" in text(listing)
    detail = client.get(f"/catalog/items/{item.pk}/")
    assert detail.status_code == 200
    assert "第二十五条" in text(detail) and "首违不罚" in text(detail)
    assert client.get("/catalog/first-offence/").status_code == 200


@pytest.mark.parametrize("who", ["zhangming", "wuquanxian"])
def test_officer_and_user_without_role_get_403_on_edit_views(client, personas, make_item, who):
    item = make_item()
    client.force_login(getattr(personas, who))
    before = (Item.objects.count(), ItemVersion.objects.count())
    add_url = f"/catalog/items/{item.pk}/versions/new/"
    assert client.get(CREATE).status_code == 403
    assert client.get(add_url).status_code == 403
    body = post_data(overtime_content(), code="LCRS-CF-099-01")
    assert client.post(CREATE, body).status_code == 403
    response = client.post(add_url, post_data(overtime_content(), effective_from="2030-01-01"))
    assert response.status_code == 403
    assert "只有系统管理员可以维护执法事项清单" in text(response)
    assert (Item.objects.count(), ItemVersion.objects.count()) == before
    assert Event.objects.filter(type="security.permission_denied").count() == 4


def test_edit_buttons_show_only_for_the_system_admin(client, personas, make_item):
    item = make_item()
    client.force_login(personas.zhangming)
    assert "新增执法事项" not in text(client.get(LIST))
    assert "新增版本" not in text(client.get(f"/catalog/items/{item.pk}/"))
    client.force_login(personas.xitong)
    assert "新增执法事项" in text(client.get(LIST))
    assert "新增版本" in text(client.get(f"/catalog/items/{item.pk}/"))


def test_navigation_lists_the_catalogue_under_basic_data(client, personas):
    client.force_login(personas.zhangming)
    page = text(client.get("/"))
    assert "基础数据" in page and "执法事项清单" in page and "首违不罚清单" in page


def test_system_admin_creates_an_item_through_the_form(client, personas, unit):
    client.force_login(personas.xitong)
    assert client.get(CREATE).status_code == 200
    content = overtime_content(unit_id=unit.pk, random_inspection=True)
    response = client.post(CREATE, post_data(content, code="lcrs-cf-025-01"))
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/catalog/items/{item.pk}/"
    assert item.code == "LCRS-CF-025-01"
    version = item.versions.get()
    assert version.unit == unit and version.random_inspection
    assert list(version.tiers.values_list("level", flat=True)) == ["lenient", "general", "severe"]
    assert version.first_offence.measures == ["education", "follow_up"]
    assert version.bases.count() == 2  # blank rows are not saved
    assert Event.objects.filter(type="catalog.item_created").count() == 1


def _created_nothing():
    return (
        Item.objects.count() == 0 and not Event.objects.filter(type__startswith="catalog.").exists()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"statutory_low": D("600")}, "法定幅度：下限不得大于上限"),
        ({"statutory_low": D("-100")}, "法定幅度下限不得为负数"),
        ({"bases": ()}, "请至少填写一条法律依据（法律法规名称和条款）"),
        (
            {
                "tiers": (
                    rules.TierData(
                        rules.GENERAL, "一般", "罚款", rules.PER_WORKER, D("300"), D("100")
                    ),
                )
            },
            "裁量档次“一般处罚”：下限不得大于上限",
        ),
    ],
)
def test_bad_form_input_shows_a_chinese_error_and_writes_nothing(
    client, personas, changes, message
):
    client.force_login(personas.xitong)
    response = client.post(CREATE, post_data(overtime_content(**changes), code="LCRS-CF-025-01"))
    assert response.status_code == 200
    assert message in text(response)
    assert "未保存" in text(response)
    assert _created_nothing()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("statutory-statutory_low", "一百", "法定幅度下限应为数字"),
        ("tiers-2-high", "-5", "上限不得为负数"),
        ("meta-effective_from", "2021-13-01", "日期格式应为“年-月-日”"),
        ("meta-effective_from", "", "请填写生效日期"),
        ("meta-change_note", "", "请填写变更说明"),
        ("item-code", "LCRS CF", "事项编码只能由大写字母、数字和单个连字符组成"),
        ("basics-category", "", "请选择事项类别"),
        ("basics-review_days", "六十", "请填写整数天数"),
        ("tiers-0-level", "bogus", "裁量档次表格数据不完整"),
    ],
)
def test_unparseable_form_input_shows_a_chinese_error_and_writes_nothing(
    client, personas, key, value, message
):
    client.force_login(personas.xitong)
    body = post_data(overtime_content(), code="LCRS-CF-025-01")
    body[key] = value
    response = client.post(CREATE, body)
    assert response.status_code == 200
    assert message in text(response)
    assert _created_nothing()


def test_new_version_form_starts_from_the_current_version(client, personas, make_item):
    item = make_item(description="原有的事项内容说明")
    client.force_login(personas.xitong)
    page = text(client.get(f"/catalog/items/{item.pk}/versions/new/"))
    assert "原有的事项内容说明" in page
    assert 'value="《劳动保障监察条例》"' in page
    assert "受侵害3人以下且及时改正" in page  # the 从轻 tier
    assert "以第1版" in page


def test_new_version_through_the_form_keeps_the_old_one(client, personas, make_item):
    item = make_item()
    client.force_login(personas.xitong)
    body = post_data(
        overtime_content(name="违法延长工作时间（修订）"),
        effective_from="2021-07-15",
        change_note="依据修订后的行政处罚法调整",
    )
    response = client.post(f"/catalog/items/{item.pk}/versions/new/", body)
    assert response.status_code == 302
    assert response["Location"] == f"/catalog/items/{item.pk}/?v=2"
    names = list(item.versions.order_by("number").values_list("name", flat=True))
    assert names == ["用人单位违法延长劳动者工作时间", "违法延长工作时间（修订）"]


def test_new_version_dated_before_the_current_one_is_refused(client, personas, make_item):
    item = make_item(effective_from=dt.date(2021, 7, 15))
    client.force_login(personas.xitong)
    body = post_data(overtime_content(), effective_from="2021-01-01", change_note="补录")
    response = client.post(f"/catalog/items/{item.pk}/versions/new/", body)
    assert response.status_code == 200
    assert "生效日期不得早于上一版本的生效日期（2021年7月15日）" in text(response)
    assert item.versions.count() == 1


def test_item_page_shows_history_and_the_version_as_of_a_date(client, personas, make_item, keeper):
    item = make_item(effective_from=dt.date(2020, 1, 1), first_offence=None)
    services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=dt.date(2021, 7, 15),
        change_note="增加首违不罚情形",
        content=overtime_content(),
    )
    client.force_login(personas.zhangming)
    url = f"/catalog/items/{item.pk}/"
    current = text(client.get(url))
    assert "正在查看<strong>第2版</strong>（现行）" in current
    assert "增加首违不罚情形" in current and "新增事项" in current  # both in the history
    old = text(client.get(url, {"on": "2021-03-01"}))
    assert "正在查看<strong>第1版</strong>（已被取代）" in old
    assert "本版本未列入首违不罚清单" in old
    assert "2021年3月1日 当日施行的版本" in old
    before = text(client.get(url, {"on": "2019-05-01"}))
    assert "本事项尚未施行" in before
    by_number = text(client.get(url, {"v": "1"}))
    assert "正在查看<strong>第1版</strong>" in by_number
    bad = text(client.get(url, {"on": "2021-02-30"}))
    assert "日期格式应为“年-月-日”" in bad
    assert client.get(url, {"v": "9"}).status_code == 404


def test_scheduled_version_is_marked_on_the_item_page(client, personas, make_item, keeper, today):
    item = make_item(effective_from=dt.date(2020, 1, 1))
    services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=today + dt.timedelta(days=30),
        change_note="预定变更",
        content=overtime_content(),
    )
    client.force_login(personas.zhangming)
    page = text(client.get(f"/catalog/items/{item.pk}/"))
    assert "正在查看<strong>第1版</strong>（现行）" in page
    assert "待生效" in page


def test_list_filters_by_category_and_searches_code_name_and_articles(client, personas, make_item):
    make_item("LCRS-CF-025-01")
    make_item(
        "LCRS-JC-001",
        name="劳动保障日常巡视检查",
        category=rules.INSPECTION,
        amount_nature="",
        statutory_kind=rules.NONE,
        statutory_low=None,
        statutory_high=None,
        tiers=(),
        benchmark_status="",
        first_offence=None,
        bases=(
            rules.BasisData(rules.BASIS_IMPLEMENTING, "《劳动保障监察条例》", "第十四条第一款"),
        ),
    )
    client.force_login(personas.zhangming)

    def codes(**params):
        page = client.get(LIST, params).context["page"]
        return [v.item.code for v in page.object_list]

    assert codes() == ["LCRS-CF-025-01", "LCRS-JC-001"]
    assert codes(category=rules.INSPECTION) == ["LCRS-JC-001"]
    assert codes(q="第二十五条") == ["LCRS-CF-025-01"]
    assert codes(q="巡视") == ["LCRS-JC-001"]
    assert codes(q="jc-001") == ["LCRS-JC-001"]
    assert codes(q="不存在的事项") == []
    assert "没有符合条件的执法事项" in text(client.get(LIST, {"q": "不存在的事项"}))


def test_list_shows_items_not_yet_in_force_as_scheduled(client, personas, make_item, today):
    make_item("LCRS-CF-025-01", effective_from=today + dt.timedelta(days=10))
    client.force_login(personas.zhangming)
    response = client.get(LIST)
    assert [v.item.code for v in response.context["page"].object_list] == ["LCRS-CF-025-01"]
    assert "待生效" in text(response)


def test_list_query_count_does_not_grow_with_the_catalogue(client, personas, make_item, keeper):
    client.force_login(personas.zhangming)
    make_item("LCRS-CF-001")
    client.get(LIST)  # warm up the session and permission caches

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        total = len(ctx.captured_queries)
        catalog = sum("catalog_" in q["sql"] for q in ctx.captured_queries)
        return total, catalog

    few = queries()
    for n in range(2, 16):
        item = make_item(f"LCRS-CF-{n:03d}")
        services.item_version_add(
            actor=keeper,
            item=item,
            effective_from=dt.date(2022, 1, 1),
            change_note="调整",
            content=overtime_content(),
        )
    many = queries()
    assert many == few
    assert few[1] == 2  # the page's rows and the paginator's count; the rest is the page shell


def test_admin_is_read_only_for_the_system_admin(client, personas, make_item):
    item = make_item()
    client.force_login(personas.xitong)
    assert client.get("/admin/catalog/item/").status_code == 200
    assert client.get(f"/admin/catalog/item/{item.pk}/change/").status_code == 200
    assert client.get("/admin/catalog/item/add/").status_code == 403
    version = item.versions.get()
    response = client.post(f"/admin/catalog/itemversion/{version.pk}/change/", {"name": "改"})
    assert response.status_code == 403
    assert ItemVersion.objects.get(pk=version.pk).name == "用人单位违法延长劳动者工作时间"

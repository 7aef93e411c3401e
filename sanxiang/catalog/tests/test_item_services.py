"""Services: only the system administrator writes; bad input is refused in Chinese and writes
nothing; every write leaves a ledger event with the full content."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest

from sanxiang.catalog import rules, services
from sanxiang.catalog.models import Item, ItemVersion, LegalBasis
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry.models import Agency, Unit

from .conftest import overtime_content


def counts():
    return (
        Item.objects.count(),
        ItemVersion.objects.count(),
        LegalBasis.objects.count(),
        Event.objects.count(),
    )


def create(actor, agency, code="LCRS-CF-025-01", **changes):
    return services.item_create(
        actor=actor,
        agency=agency,
        code=code,
        effective_from=dt.date(2020, 1, 1),
        change_note="新增事项",
        content=overtime_content(**changes),
    )


def test_system_admin_creates_an_item_and_the_ledger_records_it(keeper, agency, unit):
    item = create(keeper, agency, code=" lcrs-cf-025-01 ", unit_id=unit.pk)
    assert item.code == "LCRS-CF-025-01"
    event = Event.objects.get(type="catalog.item_created")
    assert event.actor == keeper
    assert (event.subject.kind, event.subject.key) == ("catalog.item", str(item.pk))
    payload = json.loads(event.payload)["data"]
    assert payload["code"] == "LCRS-CF-025-01"
    assert payload["effective_from"] == "2020-01-01"
    assert payload["content"]["statutory_high"] == "500"
    assert payload["content"]["tiers"][1]["low"] == "100"


def test_adding_a_version_is_recorded_in_the_ledger(keeper, agency):
    item = create(keeper, agency)
    services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=dt.date(2021, 7, 15),
        change_note="增加首违不罚",
        content=overtime_content(),
    )
    event = Event.objects.get(type="catalog.item_version_added")
    data = json.loads(event.payload)["data"]
    assert (data["version"], data["change_note"]) == (2, "增加首违不罚")
    assert event.subject.key == str(item.pk)


@pytest.mark.parametrize(
    "who", ["zhangming", "wangqiang", "zhaomin", "anquan", "shenji", "wuquanxian"]
)
def test_only_the_system_admin_may_create_items(personas, agency, who):
    before = counts()
    with pytest.raises(NotPermitted, match="系统管理员"):
        create(getattr(personas, who), agency)
    assert counts() == before


def test_officer_may_not_add_a_version(personas, keeper, agency):
    item = create(keeper, agency)
    before = counts()
    with pytest.raises(NotPermitted):
        services.item_version_add(
            actor=personas.zhangming,
            item=item,
            effective_from=dt.date(2022, 1, 1),
            change_note="越权修改",
            content=overtime_content(),
        )
    assert counts() == before


BAD_INPUT = [
    # (changes, field, message)
    ({"statutory_low": D("600")}, "statutory_low", "法定幅度：下限不得大于上限"),
    ({"statutory_low": D("-100")}, "statutory_low", "法定幅度下限不得为负数"),
    ({"bases": ()}, "bases", "请至少填写一条法律依据（法律法规名称和条款）"),
    ({"name": " "}, "name", "请填写事项名称"),
    ({"category": "公安"}, "category", "请选择事项类别"),
    ({"review_days": 0}, "review_days", "申请行政复议期限应为正数天数（行政复议法规定为六十日）"),
    (
        {
            "tiers": (
                rules.TierData(rules.GENERAL, "一般", "罚款", rules.PER_WORKER, D("400"), D("100")),
            )
        },
        "tiers",
        "裁量档次“一般处罚”：下限不得大于上限",
    ),
    (
        {
            "tiers": (
                rules.TierData(rules.SEVERE, "从重", "罚款", rules.PER_WORKER, D("-1"), D("100")),
            )
        },
        "tiers",
        "裁量档次“从重处罚”下限不得为负数",
    ),
    (
        {
            "tiers": (
                rules.TierData(rules.SEVERE, "从重", "罚款", rules.PER_WORKER, D("400"), D("600")),
            )
        },
        "tiers",
        "裁量档次“从重处罚”（按受侵害劳动者每人400.00元至600.00元）超出法定幅度"
        "（按受侵害劳动者每人100.00元至500.00元）",
    ),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    keeper, agency, changes, field, message
):
    before = counts()
    with pytest.raises(DomainError) as exc:
        create(keeper, agency, **changes)
    problems = getattr(exc.value, "problems", None) or [
        rules.Problem(exc.value.field, exc.value.message)
    ]
    assert rules.Problem(field, message) in problems
    assert counts() == before


def test_bad_new_version_writes_nothing(keeper, agency):
    item = create(keeper, agency)
    before = counts()
    with pytest.raises(DomainError):
        services.item_version_add(
            actor=keeper,
            item=item,
            effective_from=dt.date(2022, 1, 1),
            change_note="缺依据",
            content=overtime_content(bases=()),
        )
    assert counts() == before


def test_several_problems_are_reported_together(keeper, agency):
    with pytest.raises(services.ContentInvalid) as exc:
        create(keeper, agency, name="", bases=(), statutory_low=D("900"))
    assert {p.field for p in exc.value.problems} == {"name", "bases", "statutory_low"}
    assert "请填写事项名称" in exc.value.message


def test_item_codes_are_unique_per_agency(keeper, agency):
    create(keeper, agency)
    before = counts()
    with pytest.raises(DomainError, match="事项编码“LCRS-CF-025-01”已存在") as exc:
        create(keeper, agency, code="lcrs-cf-025-01")
    assert exc.value.field == "code"
    assert counts() == before


@pytest.mark.parametrize("code", ["", "LCRS CF", "编码-1"])
def test_bad_codes_are_refused(keeper, agency, code):
    with pytest.raises(DomainError) as exc:
        create(keeper, agency, code=code)
    assert exc.value.field == "code"
    assert Item.objects.count() == 0


def test_missing_effective_date_and_change_note_are_refused(keeper, agency):
    with pytest.raises(services.ContentInvalid) as exc:
        services.item_create(
            actor=keeper,
            agency=agency,
            code="LCRS-CF-025-01",
            effective_from=None,
            change_note=" ",
            content=overtime_content(),
        )
    assert {p.field for p in exc.value.problems} == {"effective_from", "change_note"}


def test_responsible_unit_must_belong_to_the_agency(keeper, agency):
    other = Agency.objects.create(
        name="某县人力资源和社会保障局",
        short_name="某人社",
        uscc="11140524MB1957032N",
        legal_basis="……",
        jurisdiction="某县",
    )
    foreign = Unit.objects.create(agency=other, name="监察大队", kind=Unit.Kind.ENFORCEMENT)
    with pytest.raises(DomainError, match="承办机构应为本执法主体的内设机构"):
        create(keeper, agency, unit_id=foreign.pk)
    assert Item.objects.count() == 0

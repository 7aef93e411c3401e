"""The demo catalogue: about 30 items from 条例 第二十三条至第三十条, loaded through the services,
idempotent, with the statutory ranges of DOMAIN.md §3.14."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest

from sanxiang.catalog import demo, rules, selectors
from sanxiang.catalog.models import Item, ItemVersion
from sanxiang.ledger.models import Event


@pytest.fixture
def loaded(agency, personas):
    out = io.StringIO()
    demo.load(context={"agency": agency, "users": vars(personas)}, stdout=out)
    return out.getvalue()


def test_demo_content_is_valid_by_the_rules():
    for code, versions in demo.catalogue(unit_id=None):
        assert rules.code_problems(code) == [], code
        for _, note, content in versions:
            assert note
            assert rules.content_problems(content) == [], code


def test_demo_loads_about_thirty_items_through_the_services(loaded):
    assert "执法事项清单：32 项" in loaded
    assert Item.objects.count() == 32
    assert Event.objects.filter(type="catalog.item_created").count() == 32
    assert Event.objects.filter(type="catalog.item_version_added").count() == 2


def test_demo_is_idempotent(loaded, agency, personas):
    versions = ItemVersion.objects.count()
    out = io.StringIO()
    demo.load(context={"agency": agency, "users": vars(personas)}, stdout=out)
    assert ItemVersion.objects.count() == versions
    assert "本次新增事项 0 项、版本 0 个" in out.getvalue()


@pytest.mark.parametrize(
    ("code", "kind", "low", "high", "nature"),
    [
        ("LCRS-CF-023-05", rules.PER_WORKER, "1000", "5000", rules.FINE),  # 第二十三条
        ("LCRS-CF-025-01", rules.PER_WORKER, "100", "500", rules.FINE),  # 第二十五条
        ("LCRS-CL-026-01", rules.MULTIPLE, "0.5", "1", rules.COMPENSATION),  # 第二十六条
        ("LCRS-CF-027-01", rules.MULTIPLE, "1", "3", rules.FINE),  # 第二十七条
        ("LCRS-CF-028-01", rules.FIXED, "10000", "50000", rules.FINE),  # 第二十八条
        ("LCRS-CF-030-01", rules.FIXED, "2000", "20000", rules.FINE),  # 第三十条
    ],
)
def test_demo_statutory_ranges_follow_the_regulation(loaded, today, code, kind, low, high, nature):
    version = selectors.item_version_on(Item.objects.get(code=code), today)
    assert (version.statutory_kind, version.statutory_low, version.statutory_high) == (
        kind,
        D(low),
        D(high),
    )
    assert version.amount_nature == nature


def test_demo_overtime_item_has_a_history_for_the_as_of_view(loaded):
    item = Item.objects.get(code="LCRS-CF-025-01")
    assert selectors.first_offence_rule_on(item, dt.date(2021, 7, 14)) is None
    rule = selectors.first_offence_rule_on(item, dt.date(2021, 7, 15))
    assert rule.max_affected_workers == 2
    assert [v.effective_from for v in item.versions.order_by("number")] == [
        dt.date(2020, 1, 1),
        dt.date(2021, 7, 15),
        dt.date(2027, 1, 1),
    ]


def test_demo_benchmarks_are_marked_as_draft(loaded):
    with_tiers = ItemVersion.objects.filter(tiers__isnull=False).distinct()
    assert with_tiers.count() > 20
    assert set(with_tiers.values_list("benchmark_status", flat=True)) == {rules.BENCHMARK_DRAFT}
    assert all("草案" in note for note in with_tiers.values_list("benchmark_note", flat=True))


def test_demo_random_inspection_list(loaded, today):
    names = [v.name for v in selectors.random_inspection_items_on(on=today)]
    assert "劳动保障日常巡视检查" in names
    assert all(
        v.category == rules.INSPECTION for v in selectors.random_inspection_items_on(on=today)
    )

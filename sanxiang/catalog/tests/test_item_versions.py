"""Versioning: every change is a new dated version; the version in force on a date is read back
(行政处罚法 第三十七条); nothing is overwritten."""

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from sanxiang.catalog import rules, selectors, services
from sanxiang.catalog.models import DiscretionTier, FirstOffenceRule, ItemVersion
from sanxiang.lib.errors import DomainError

from .conftest import overtime_content

JAN_2020 = dt.date(2020, 1, 1)
JUL_2021 = dt.date(2021, 7, 15)


def add_version(keeper, item, effective_from, **changes):
    return services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=effective_from,
        change_note="调整",
        content=overtime_content(**changes),
    )


def test_version_in_force_on_a_date_is_read_back(make_item, keeper):
    item = make_item(effective_from=JAN_2020, first_offence=None)
    add_version(keeper, item, JUL_2021)
    assert selectors.item_version_on(item, dt.date(2019, 12, 31)) is None
    assert selectors.item_version_on(item, JAN_2020).number == 1
    assert selectors.item_version_on(item, dt.date(2021, 7, 14)).number == 1
    assert selectors.item_version_on(item, JUL_2021).number == 2
    assert selectors.item_version_on(item, dt.date(2030, 1, 1)).number == 2


def test_benchmark_on_a_date_is_the_one_then_in_force(make_item, keeper):
    item = make_item(effective_from=JAN_2020)
    stricter = overtime_content().tiers[:2] + (
        rules.TierData(
            rules.SEVERE, "10人以上", "警告并处罚款", rules.PER_WORKER, D("400"), D("500")
        ),
    )
    add_version(keeper, item, JUL_2021, tiers=stricter)
    old = selectors.benchmark_on(item, dt.date(2021, 3, 1))
    new = selectors.benchmark_on(item, dt.date(2022, 3, 1))
    assert old.tier(rules.SEVERE).low == D("300")
    assert new.tier(rules.SEVERE).low == D("400")
    assert old.version.number == 1 and new.version.number == 2
    assert selectors.benchmark_on(item, dt.date(2019, 1, 1)) is None


def test_violation_date_and_decision_date_give_their_own_versions(make_item, keeper):
    # 行政处罚法 第三十七条: the case compares the rules at the act and at the decision
    item = make_item(effective_from=JAN_2020)
    add_version(keeper, item, JUL_2021)
    at_act, at_decision = selectors.item_versions_for_act(
        item, acted_on=dt.date(2021, 5, 1), decided_on=dt.date(2021, 9, 1)
    )
    assert (at_act.number, at_decision.number) == (1, 2)


def test_effective_date_before_the_previous_version_is_refused_and_nothing_written(
    make_item, keeper
):
    item = make_item(effective_from=JUL_2021)
    with pytest.raises(DomainError) as exc:
        add_version(keeper, item, dt.date(2021, 7, 14))
    assert exc.value.field == "effective_from"
    assert "不得早于上一版本的生效日期（2021年7月15日）" in exc.value.message
    assert item.versions.count() == 1


def test_same_day_version_supersedes_the_earlier_one(make_item, keeper):
    item = make_item(effective_from=JUL_2021)
    add_version(keeper, item, JUL_2021, name="更正后的名称")
    assert selectors.item_version_on(item, JUL_2021).name == "更正后的名称"


def test_future_dated_version_is_scheduled_not_in_force(make_item, keeper, today):
    item = make_item(effective_from=JAN_2020)
    later = today + dt.timedelta(days=40)
    add_version(keeper, item, later, name="预定变更后的名称")
    assert selectors.item_version_on(item, today).number == 1
    assert selectors.item_version_on(item, later).number == 2
    # a version after a scheduled one may not take effect before it
    with pytest.raises(DomainError, match="不得早于上一版本"):
        add_version(keeper, item, today)


def test_history_is_preserved(make_item, keeper):
    item = make_item(effective_from=JAN_2020)
    first = selectors.item_version_on(item, JAN_2020)
    first_tiers = list(first.tiers.values_list("level", "low", "high"))
    add_version(keeper, item, JUL_2021, name="新名称", tiers=(), benchmark_status="")
    again = ItemVersion.objects.get(pk=first.pk)
    assert again.name == "用人单位违法延长劳动者工作时间"
    assert list(again.tiers.values_list("level", "low", "high")) == first_tiers
    assert [v.number for v in selectors.item_history(item)] == [2, 1]


def test_a_version_cannot_be_changed_or_deleted(make_item):
    item = make_item()
    version = item.versions.get()
    version.name = "改名"
    with pytest.raises(ValueError, match="不能修改"):
        version.save()
    with pytest.raises(ValueError, match="不能删除"):
        version.delete()


def test_new_version_starts_from_the_latest_content_and_may_drop_parts(make_item, keeper):
    item = make_item()
    start = selectors.version_content(selectors.item_latest_version(item))
    assert start == overtime_content()
    v2 = services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=JUL_2021,
        change_note="删除首违不罚",
        content=dataclasses.replace(start, first_offence=None),
    )
    assert not FirstOffenceRule.objects.filter(version=v2).exists()
    assert selectors.first_offence_rule_on(item, JUL_2021) is None
    assert selectors.first_offence_rule_on(item, JAN_2020) is not None


def test_tiers_are_stored_in_order_of_severity(make_item):
    item = make_item(tiers=tuple(reversed(overtime_content().tiers)))
    levels = list(DiscretionTier.objects.filter(version__item=item).values_list("level", flat=True))
    assert levels == [rules.LENIENT, rules.GENERAL, rules.SEVERE]


def test_benchmark_tier_gives_the_range_for_the_case_facts(make_item):
    # what case handling will do: the tier in force on the violation date, the case's facts
    item = make_item(effective_from=JAN_2020)
    benchmark = selectors.benchmark_on(item, dt.date(2023, 5, 1))
    general = benchmark.tier(rules.GENERAL)
    allowed = rules.amount_range(general.rule, rules.CaseFacts(affected_workers=4))
    assert (allowed.low, allowed.high) == (D("400"), D("1200"))
    reason = rules.amount_check(
        general.rule, rules.CaseFacts(affected_workers=4), D("1500"), tier_label="一般处罚"
    )
    assert reason.startswith("拟定罚款1,500.00元高于裁量基准“一般处罚”档的上限1,200.00元")
    assert not benchmark.is_published

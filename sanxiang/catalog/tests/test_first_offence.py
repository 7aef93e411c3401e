"""首违不罚清单 (行政处罚法 第三十三条第一款): per item, versioned, readable as of a date."""

import datetime as dt

from sanxiang.catalog import rules, selectors, services

from .conftest import overtime_content

JAN_2020 = dt.date(2020, 1, 1)
JUL_2021 = dt.date(2021, 7, 15)


def test_first_offence_rule_of_an_item_is_looked_up_by_date(make_item, keeper):
    item = make_item(effective_from=JAN_2020, first_offence=None)
    services.item_version_add(
        actor=keeper,
        item=item,
        effective_from=JUL_2021,
        change_note="行政处罚法修订施行，增加首违不罚",
        content=overtime_content(),
    )
    assert selectors.first_offence_rule_on(item, dt.date(2021, 7, 14)) is None
    rule = selectors.first_offence_rule_on(item, JUL_2021)
    assert rule.max_affected_workers == 2
    assert rule.measure_labels == ["教育", "回访"]
    assert selectors.first_offence_rule_on(item, dt.date(2019, 1, 1)) is None


def test_first_offence_list_shows_the_rules_in_force_on_a_date(make_item, keeper):
    overtime = make_item("LCRS-CF-025-01", effective_from=JAN_2020, first_offence=None)
    services.item_version_add(
        actor=keeper,
        item=overtime,
        effective_from=JUL_2021,
        change_note="增加首违不罚",
        content=overtime_content(),
    )
    make_item("LCRS-CF-023-05", effective_from=JAN_2020, name="女职工生育享受产假少于90天")
    on_2020 = [r.version.item.code for r in selectors.first_offence_list_on(on=dt.date(2020, 6, 1))]
    on_2022 = [r.version.item.code for r in selectors.first_offence_list_on(on=dt.date(2022, 6, 1))]
    assert on_2020 == ["LCRS-CF-023-05"]
    assert on_2022 == ["LCRS-CF-023-05", "LCRS-CF-025-01"]


def test_first_offence_applies_only_within_the_listed_conditions(make_item):
    item = make_item()
    rule = selectors.first_offence_rule_on(item, JAN_2020)
    facts = rules.FirstOffenceFacts(
        first_offence=True, harm_minor=True, corrected_in_time=True, affected_workers=2
    )
    assert rules.first_offence_reasons(facts, max_affected_workers=rule.max_affected_workers) == []
    three = rules.FirstOffenceFacts(True, True, True, affected_workers=3)
    assert rules.first_offence_reasons(three, max_affected_workers=rule.max_affected_workers) == [
        "受侵害的劳动者3人，超过首违不罚清单规定的2人"
    ]


def test_the_list_query_count_does_not_grow_with_the_list(make_item, django_assert_num_queries):
    make_item("LCRS-CF-025-01")
    with django_assert_num_queries(2):
        rows = list(selectors.first_offence_list_on(on=JAN_2020))
        [r.version.bases.all() for r in rows]
    for n in range(2, 8):
        make_item(f"LCRS-CF-025-0{n}")
    with django_assert_num_queries(2):
        rows = list(selectors.first_offence_list_on(on=JAN_2020))
        [r.version.bases.all() for r in rows]
    assert len(rows) == 7

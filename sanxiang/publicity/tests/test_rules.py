"""Pure rules: categories and clocks, never-publish grounds, periods, the heaviest penalty, the
双公示 record check, search input and the keyset cursor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.publicity import rules


def test_penalty_and_licensing_are_published_in_7_working_days_others_in_20():
    assert rules.publish_workdays(rules.category_of("penalty")) == 7
    assert rules.publish_workdays(rules.LICENSING) == 7
    assert rules.publish_workdays(rules.category_of("handling")) == 20
    assert rules.publish_workdays(rules.category_of("no_penalty")) == 20
    assert rules.category_of("revoke") is None and rules.category_of("transfer_agency") is None
    assert rules.WITHDRAW_WORKDAYS == 3


def _facts(**kw):
    base = dict(
        natural_person=True,
        birth_date=dt.date(1990, 1, 1),
        act_date=dt.date(2026, 1, 5),
        decided_on=dt.date(2026, 4, 7),
        penalty_types=("warning", "fine"),
        withhold_warning_only=False,
    )
    return rules.WithholdFacts(**(base | kw))


@pytest.mark.parametrize(
    "kw,expected",
    [
        ({}, []),
        ({"birth_date": dt.date(2008, 4, 8)}, ["minor"]),  # 17 on the decision date
        ({"birth_date": dt.date(2008, 1, 6)}, ["minor"]),  # 17 when the act began
        ({"birth_date": dt.date(2008, 1, 5)}, []),  # 18 on the day the act began
        ({"natural_person": False, "birth_date": dt.date(2010, 1, 1)}, []),
        ({"penalty_types": ("warning",), "withhold_warning_only": True}, ["warning_only"]),
        ({"penalty_types": ("warning",)}, []),
        ({"manual": ("privacy", "nonsense")}, ["privacy"]),
        ({"changed": True}, ["revoked"]),
    ],
)
def test_withhold_grounds(kw, expected):
    assert rules.withhold_grounds(_facts(**kw)) == expected


def test_period_is_counted_from_the_decision_date_and_the_longest_type_wins():
    p = rules.period_for(dt.date(2026, 4, 7), ["warning", "fine"])
    assert (p.min_end, p.end) == (dt.date(2026, 7, 7), dt.date(2029, 4, 7))
    custom = {"warning": (3, 3), "revoke_licence": (12, 60)}
    assert rules.period_for(dt.date(2026, 4, 7), ["warning"], rules=custom).end == dt.date(
        2026, 7, 7
    )
    both = rules.period_for(dt.date(2026, 4, 7), ["warning", "revoke_licence"], rules=custom)
    assert (both.min_end, both.end) == (dt.date(2027, 4, 7), dt.date(2031, 4, 7))


def test_month_arithmetic_ends_on_the_last_day_when_the_day_is_missing():
    assert rules.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert rules.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_heaviest_follows_the_statistics_order():
    assert rules.heaviest(["fine", "warning"]) == "fine"
    assert rules.heaviest(["revoke_licence", "fine"]) == "revoke_licence"
    assert rules.heaviest([]) == ""


@pytest.mark.parametrize(
    "yuan,wan", [(Decimal("900"), "0.090000"), (Decimal("45000.50"), "4.500050"), (None, "")]
)
def test_amounts_in_wan_yuan_are_exact(yuan, wan):
    assert rules.to_wan(yuan) == wan


def _record(**kw):
    base = {code: "" for code in rules.EXPORT_CODES}
    base.update(
        CF_XDR_MC="陵川县示例建筑劳务有限公司",
        CF_XDR_LB="法人及非法人组织",
        CF_XDR_SHXYM="91440300708461136T",
        CF_WSH="陵人社监罚字〔2026〕第1号",
        CF_WFXW="违法延长工作时间",
        CF_SY="经查……",
        CF_YJ="《劳动保障监察条例》第二十五条",
        CF_CFLB="警告;罚款",
        CF_NR="给予警告；罚款人民币900.00元",
        CF_NR_FK="0.090000",
        CF_JDRQ="2026-04-07",
        CF_YXQ="2029-04-07",
        CF_GSJZQ="2029-04-07",
        CF_CFJG="陵川县人力资源和社会保障局",
        CF_CFJGDM="91110108551385082Q",
        CF_SJLY="陵川县人力资源和社会保障局",
        CF_SJLYDM="91110108551385082Q",
        DQZT="0",
    )
    return base | kw


def test_a_conforming_record_has_no_problems():
    assert rules.record_problems(_record()) == []


@pytest.mark.parametrize(
    "kw,problem",
    [
        ({"CF_XDR_SHXYM": "91440300708461136X"}, "不是有效的统一社会信用代码"),
        ({"CF_NR_FK": "900"}, "以万元为单位"),
        ({"CF_JDRQ": "2026/04/07"}, "YYYY-MM-DD"),
        ({"DQZT": "9"}, "当前状态"),
        ({"CF_WSH": ""}, "缺少行政处罚决定书文号"),
        ({"CF_XDR_ZJHM": "11010519491231002X"}, "不应包含字段"),
        ({"CF_XDR_LB": "公司"}, "行政相对人类别"),
    ],
)
def test_record_problems_name_the_field(kw, problem):
    assert any(problem in p for p in rules.record_problems(_record(**kw)))


def test_search_input_is_normalised_and_short_terms_use_like():
    assert rules.clean_query("  拖欠　工资  ") == "拖欠 工资"
    assert rules.clean_query("ＡＢＣ１２３") == "ABC123"
    assert rules.query_terms("拖欠 工资 超时加班") == ["拖欠", "工资", "超时加班"]
    assert rules.uses_trigram_index("工作时间") and not rules.uses_trigram_index("工资")
    assert rules.fts_phrase('a"b') == '"a""b"'


def test_cursor_round_trips_and_rejects_junk():
    key = rules.sort_key(dt.date(2026, 4, 7), 123)
    assert rules.cursor_text(key) == "2026-04-07.123"
    assert rules.parse_cursor("2026-04-07.123") == key
    for junk in ("", "x", "2026-02-30.1", "2026-04-07.0", "2026-04-07.1234567890", None):
        assert rules.parse_cursor(junk) is None

"""Pure rules: amount ranges of benchmark tiers, checks of proposed amounts, content checks."""

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from sanxiang.catalog import rules
from sanxiang.catalog.rules import AmountRule, CaseFacts

from .conftest import overtime_content

FIXED_30 = AmountRule(rules.FIXED, D("2000"), D("20000"))  # 条例 第三十条
PER_WORKER_23 = AmountRule(rules.PER_WORKER, D("1000"), D("5000"))  # 条例 第二十三条
PER_WORKER_25 = AmountRule(rules.PER_WORKER, D("100"), D("500"))  # 条例 第二十五条
MULTIPLE_27 = AmountRule(rules.MULTIPLE, D("1"), D("3"), "瞒报工资数额")  # 条例 第二十七条
COMPENSATION_26 = AmountRule(
    rules.MULTIPLE, D("0.5"), D("1"), "应付金额", nature=rules.COMPENSATION
)  # 条例 第二十六条


@pytest.mark.parametrize(
    ("rule", "facts", "low", "high"),
    [
        (FIXED_30, CaseFacts(), "2000", "20000"),
        (FIXED_30, CaseFacts(affected_workers=40), "2000", "20000"),  # workers do not matter
        (PER_WORKER_23, CaseFacts(affected_workers=1), "1000", "5000"),
        (PER_WORKER_23, CaseFacts(affected_workers=3), "3000", "15000"),
        (PER_WORKER_25, CaseFacts(affected_workers=12), "1200", "6000"),
        (MULTIPLE_27, CaseFacts(base_amount=D("50000")), "50000", "150000"),
        (COMPENSATION_26, CaseFacts(base_amount=D("8000")), "4000", "8000"),
        # rounded inwards to the cent: every amount in the range is legal
        (COMPENSATION_26, CaseFacts(base_amount=D("333.33")), "166.67", "333.33"),
        (
            AmountRule(rules.MULTIPLE, D("1.5"), D("2.5"), "x"),
            CaseFacts(base_amount=D("0.03")),
            "0.05",
            "0.07",
        ),
    ],
)
def test_amount_range_by_kind(rule, facts, low, high):
    allowed = rules.amount_range(rule, facts)
    assert (allowed.low, allowed.high) == (D(low), D(high))


def test_amount_range_explains_itself_in_chinese():
    allowed = rules.amount_range(PER_WORKER_23, CaseFacts(affected_workers=3))
    assert (
        allowed.explanation
        == "受侵害劳动者3人，每人1,000.00元至5,000.00元，罚款3,000.00元至15,000.00元"
    )
    compensation = rules.amount_range(COMPENSATION_26, CaseFacts(base_amount=D("8000")))
    assert "加付赔偿金" in compensation.explanation and "50%" in compensation.explanation


def test_a_rule_without_money_has_no_range():
    assert rules.amount_range(AmountRule(), CaseFacts()) is None


@pytest.mark.parametrize(
    ("rule", "facts", "message"),
    [
        (PER_WORKER_23, CaseFacts(), "受侵害的劳动者人数"),
        (PER_WORKER_23, CaseFacts(affected_workers=0), "不小于1"),
        (MULTIPLE_27, CaseFacts(), "瞒报工资数额"),
        (MULTIPLE_27, CaseFacts(base_amount=D("-1")), "不得为负数"),
    ],
)
def test_missing_or_bad_facts_are_named(rule, facts, message):
    with pytest.raises(rules.RuleError, match=message):
        rules.amount_range(rule, facts)


@pytest.mark.parametrize(
    ("rule", "facts", "proposed", "reason"),
    [
        (FIXED_30, CaseFacts(), "2000", None),
        (FIXED_30, CaseFacts(), "20000", None),
        (FIXED_30, CaseFacts(), "1999.99", "低于"),
        (FIXED_30, CaseFacts(), "20000.01", "高于"),
        (PER_WORKER_23, CaseFacts(affected_workers=2), "2000", None),
        (PER_WORKER_23, CaseFacts(affected_workers=2), "10001", "高于"),
        (PER_WORKER_23, CaseFacts(), "2000", "受侵害的劳动者人数"),
        (MULTIPLE_27, CaseFacts(base_amount=D("10000")), "9999", "低于"),
        (MULTIPLE_27, CaseFacts(base_amount=D("10000")), "30000", None),
        (COMPENSATION_26, CaseFacts(base_amount=D("8000")), "3000", "加付赔偿金"),
        (AmountRule(), CaseFacts(), "0", None),
        (AmountRule(), CaseFacts(), "500", "不设罚款"),
        (FIXED_30, CaseFacts(), "-5", "不得为负数"),
        (FIXED_30, CaseFacts(), "2000.001", "两位小数"),
    ],
)
def test_proposed_amount_outside_the_range_gets_a_chinese_reason(rule, facts, proposed, reason):
    result = rules.amount_check(rule, facts, D(proposed), tier_label="一般处罚")
    if reason is None:
        assert result is None
    else:
        assert result is not None and reason in result


def test_reason_names_the_tier_and_the_computation():
    reason = rules.amount_check(
        PER_WORKER_23, CaseFacts(affected_workers=2), D("1500"), tier_label="从轻处罚"
    )
    assert reason == (
        "拟定罚款1,500.00元低于裁量基准“从轻处罚”档的下限2,000.00元"
        "（受侵害劳动者2人，每人1,000.00元至5,000.00元，罚款2,000.00元至10,000.00元）"
    )


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        (AmountRule(rules.FIXED, D("5000"), D("2000")), "下限不得大于上限"),
        (AmountRule(rules.FIXED, D("-1"), D("2000")), "不得为负数"),
        (AmountRule(rules.FIXED, D("1"), None), "须同时填写下限和上限"),
        (AmountRule(rules.MULTIPLE, D("1"), D("3")), "计算基数"),
        (AmountRule(rules.NONE, D("1"), D("3")), "不得填写金额"),
        (AmountRule(rules.FIXED, D("0.001"), D("3")), "两位小数"),
    ],
)
def test_bad_ranges_are_refused(rule, problem):
    assert any(problem in p for p in rules.rule_problems(rule, label="法定幅度"))


def test_a_good_range_has_no_problems():
    assert rules.rule_problems(MULTIPLE_27, label="法定幅度") == []


@pytest.mark.parametrize(
    ("level", "tier", "problem"),
    [
        (rules.GENERAL, AmountRule(rules.FIXED, D("2000"), D("20000")), None),
        (rules.SEVERE, AmountRule(rules.FIXED, D("15000"), D("25000")), "超出法定幅度"),
        (rules.LENIENT, AmountRule(rules.FIXED, D("1000"), D("5000")), "超出法定幅度"),
        (rules.LENIENT, AmountRule(), None),  # a warning only, no fine
        (rules.MITIGATED, AmountRule(rules.FIXED, D("1000"), D("2000")), None),
        (rules.MITIGATED, AmountRule(rules.FIXED, D("1000"), D("3000")), "低于法定最低限度"),
        (rules.NO_PENALTY, AmountRule(rules.FIXED, D("0"), D("100")), "不得设定金额"),
        (rules.NO_PENALTY, AmountRule(), None),
        (rules.GENERAL, AmountRule(rules.PER_WORKER, D("2000"), D("3000")), "应与法定幅度一致"),
    ],
)
def test_tiers_stay_within_the_statutory_range(level, tier, problem):
    problems = rules.tier_problems(level, tier, FIXED_30)
    if problem is None:
        assert problems == []
    else:
        assert problems and problem in problems[0]


def test_a_tier_with_money_needs_a_statutory_range():
    problems = rules.tier_problems(rules.GENERAL, FIXED_30, AmountRule())
    assert "法定幅度" in problems[0]


@pytest.mark.parametrize(
    ("facts", "limit", "reasons"),
    [
        (rules.FirstOffenceFacts(True, True, True, affected_workers=2), 2, []),
        (
            rules.FirstOffenceFacts(True, True, True, affected_workers=3),
            2,
            ["超过首违不罚清单规定的2人"],
        ),
        (rules.FirstOffenceFacts(False, True, True, affected_workers=1), 2, ["不属于初次违法"]),
        (rules.FirstOffenceFacts(True, False, True, affected_workers=1), 2, ["危害后果并非轻微"]),
        (
            rules.FirstOffenceFacts(True, True, False, affected_workers=1),
            2,
            ["未在责令改正期限内改正"],
        ),
        (rules.FirstOffenceFacts(True, True, True), 2, ["未填写受侵害的劳动者人数"]),
        (rules.FirstOffenceFacts(True, True, True), None, []),
    ],
)
def test_first_offence_conditions(facts, limit, reasons):
    got = rules.first_offence_reasons(facts, max_affected_workers=limit)
    assert len(got) == len(reasons)
    for want, have in zip(reasons, got, strict=True):
        assert want in have


def _fields(content):
    return {p.field for p in rules.content_problems(content)}


def test_valid_content_has_no_problems():
    assert rules.content_problems(overtime_content()) == []


def test_content_without_legal_basis_is_refused():
    problems = rules.content_problems(overtime_content(bases=()))
    assert [p.message for p in problems if p.field == "bases"] == [
        "请至少填写一条法律依据（法律法规名称和条款）"
    ]


def test_penalty_item_needs_a_penalty_basis():
    # 行政处罚法 第三十八条: a penalty without a legal basis is void
    only_setting = (rules.BasisData(rules.BASIS_SETTING, "《劳动法》", "第四十一条"),)
    problems = rules.content_problems(overtime_content(bases=only_setting))
    assert any("处罚依据" in p.message for p in problems)


def test_basis_rows_need_law_and_article():
    blank = (
        rules.BasisData(rules.BASIS_PENALTY, "", "第二十五条"),
        rules.BasisData(rules.BASIS_PENALTY, "《条例》", " "),
    )
    messages = [p.message for p in rules.content_problems(overtime_content(bases=blank))]
    assert "第1条法律依据：请填写法律法规名称" in messages
    assert any(m.startswith("第2条法律依据：请填写条款") for m in messages)


def test_fines_belong_to_penalty_items_only():
    assert "amount_nature" in _fields(overtime_content(category=rules.OTHER, first_offence=None))


def test_first_offence_is_for_penalty_items_only():
    content = overtime_content(
        category=rules.INSPECTION,
        amount_nature="",
        statutory_kind=rules.NONE,
        statutory_low=None,
        statutory_high=None,
        tiers=(),
        benchmark_status="",
    )
    assert [p.field for p in rules.content_problems(content)] == ["first_offence"]


def test_first_offence_needs_conditions_basis_and_measures():
    fo = rules.FirstOffenceData(conditions="", legal_basis="", measures=())
    messages = [p.message for p in rules.content_problems(overtime_content(first_offence=fo))]
    assert {"首违不罚：请填写适用条件", "首违不罚：请填写依据"} <= set(messages)
    assert any("配套措施" in m for m in messages)


def test_duplicate_tier_levels_are_refused():
    content = overtime_content()
    doubled = overtime_content(tiers=content.tiers + (content.tiers[1],))
    assert any("重复" in p.message for p in rules.content_problems(doubled))


def test_tier_without_circumstances_is_refused():
    content = overtime_content()
    tier = dataclasses.replace(content.tiers[1], circumstances=" ")
    problems = rules.content_problems(overtime_content(tiers=(tier,)))
    assert any("适用情形" in p.message for p in problems)


@pytest.mark.parametrize(
    ("raw", "code", "ok"),
    [
        ("lcrs-cf-023-01", "LCRS-CF-023-01", True),
        (" ＬＣＲＳ－ＪＣ－００１ ", "LCRS-JC-001", True),
        ("LCRS CF 023", "LCRS CF 023", False),
        ("-LCRS", "-LCRS", False),
        ("LCRS--1", "LCRS--1", False),
        ("", "", False),
        ("处罚-1", "处罚-1", False),
    ],
)
def test_item_codes(raw, code, ok):
    normalized = rules.normalize_code(raw)
    assert normalized == code
    assert (rules.code_problems(normalized) == []) is ok


def test_effective_date_may_not_go_back():
    previous = dt.date(2024, 5, 1)
    assert rules.effective_date_problems(dt.date(2024, 5, 1), previous) == []
    assert rules.effective_date_problems(dt.date(2030, 1, 1), previous) == []
    [problem] = rules.effective_date_problems(dt.date(2024, 4, 30), previous)
    assert problem.field == "effective_from"
    assert "不得早于上一版本的生效日期（2024年5月1日）" in problem.message


@pytest.mark.parametrize(
    ("raw", "value"),
    [("2,000", D("2000")), ("２０００．５", D("2000.5")), (" ", None), (None, None), (3, D("3"))],
)
def test_money_is_parsed_as_typed(raw, value):
    assert rules.parse_money(raw, "金额") == value


@pytest.mark.parametrize(
    ("raw", "message"), [("abc", "应为数字"), ("-1", "不得为负数"), ("1.234", "两位小数")]
)
def test_bad_money_is_refused_in_chinese(raw, message):
    with pytest.raises(rules.RuleError, match=message):
        rules.parse_money(raw, "金额")


def test_text_helpers():
    assert rules.yuan(D("12000")) == "12,000.00元"
    assert rules.multiple_text(D("0.5")) == "50%"
    assert rules.multiple_text(D("1.50")) == "1.5倍"
    assert rules.rule_text(COMPENSATION_26) == "应付金额的50%至1倍"

"""lib.money: parsing, 金额大写 and the late-payment surcharge (行政处罚法 第七十二条)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from sanxiang.lib import money

# Examples given in the People's Bank rules on writing amounts (正确填写票据和结算凭证的基本规定).
PBOC_EXAMPLES = [
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
]


@pytest.mark.parametrize(("amount", "words"), PBOC_EXAMPLES)
def test_amount_in_words_follows_the_peoples_bank_examples(amount, words):
    assert money.amount_in_words(D(amount)) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "零元整"),
        ("0.5", "伍角"),
        ("0.05", "伍分"),
        ("10", "壹拾元整"),  # 拾 is always preceded by a digit
        ("15", "壹拾伍元整"),
        ("200", "贰佰元整"),
        ("1010", "壹仟零壹拾元整"),
        ("3000", "叁仟元整"),
        ("10001", "壹万零壹元整"),
        ("20000", "贰万元整"),
        ("1000100", "壹佰万零壹佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("100010000", "壹亿零壹万元整"),
        ("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_amount_in_words_edge_cases(amount, words):
    assert money.amount_in_words(D(amount)) == words


def test_amount_in_words_accepts_int_and_refuses_floats_and_negatives():
    assert money.amount_in_words(12000) == "壹万贰仟元整"
    with pytest.raises(TypeError):
        money.amount_in_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(money.MoneyError, match="不得为负数"):
        money.amount_in_words(D("-1"))
    with pytest.raises(money.MoneyError, match="两位小数"):
        money.amount_in_words(D("1.005"))


def test_parse_yuan_reads_what_staff_type():
    assert money.parse_yuan("２,０００.5") == D("2000.50")
    assert money.parse_yuan("¥300元") == D("300.00")
    assert money.parse_yuan("  ") is None
    with pytest.raises(money.MoneyError, match="应为数字"):
        money.parse_yuan("两千")


def test_format_yuan():
    assert money.format_yuan(D("12000")) == "12,000.00元"


def test_surcharge_is_three_percent_a_day_of_the_unpaid_fine():
    # Due 2026-10-08; paid in full on 2026-10-12: four days (9th, 10th, 11th, 12th) × 3 %.
    s = money.late_surcharge(
        fine=D("1000"),
        due=dt.date(2026, 10, 8),
        as_of=dt.date(2026, 10, 12),
        payments=[(dt.date(2026, 10, 12), D("1000"))],
    )
    assert s.amount == D("120.00") and s.days == 4 and not s.capped


def test_surcharge_nothing_when_paid_on_the_due_date():
    s = money.late_surcharge(
        fine=D("1000"),
        due=dt.date(2026, 10, 8),
        as_of=dt.date(2026, 12, 1),
        payments=[(dt.date(2026, 10, 8), D("1000"))],
    )
    assert s.amount == 0 and s.days == 0


def test_surcharge_is_capped_at_the_fine_amount():
    # 行政处罚法 第七十二条: 加处罚款的数额不得超出罚款的数额 — 34 days × 3 % = 102 %.
    s = money.late_surcharge(fine=D("2000"), due=dt.date(2026, 3, 1), as_of=dt.date(2026, 4, 4))
    assert s.uncapped == D("2040.00")
    assert s.amount == D("2000.00") and s.capped


def test_surcharge_follows_partial_payments():
    # 1,000 due 1 March; 600 paid on 3 March. Day 2: 30; day 3: 30 (paid that day counts from
    # the next); day 4: 12.
    s = money.late_surcharge(
        fine=D("1000"),
        due=dt.date(2026, 3, 1),
        as_of=dt.date(2026, 3, 4),
        payments=[(dt.date(2026, 3, 3), D("600"))],
    )
    assert s.amount == D("72.00")


def test_surcharge_not_counted_during_review_or_litigation():
    # 行政处罚法 第七十三条第三款
    s = money.late_surcharge(
        fine=D("1000"),
        due=dt.date(2026, 3, 1),
        as_of=dt.date(2026, 3, 11),
        excluded=[(dt.date(2026, 3, 3), dt.date(2026, 3, 10))],
    )
    assert s.days == 2 and s.amount == D("60.00")

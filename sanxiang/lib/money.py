"""Money in yuan (人民币元): parsing, formatting, 金额大写 and the late-payment surcharge.

Pure standard-library module (no Django). Amounts are ``Decimal`` with at most two places;
floats are refused everywhere, because a float cannot hold 0.10 exactly.

- :func:`parse_yuan` reads what staff type ("2,000", "２０００.5", "¥300").
- :func:`format_yuan` → ``"12,000.00元"`` for screens.
- :func:`amount_in_words` → ``"壹万贰仟元整"`` (金额大写) for documents, following the People's
  Bank rules on writing amounts on bills (中国人民银行《正确填写票据和结算凭证的基本规定》):
  "拾" is always preceded by a digit (壹拾), a run of zeros inside the number is written as one
  "零", an amount ending at 元 ends with "整", and "元" is followed by "零" when the 角 is zero
  and the 分 is not (325.04 → 叁佰贰拾伍元零肆分).
- :func:`late_surcharge` — 行政处罚法 第七十二条第一款第（一）项: 到期不缴纳罚款的, 每日按罚款
  数额的百分之三加处罚款, 加处罚款的数额不得超出罚款的数额 (also 行政强制法 第四十五条).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "MoneyError",
    "Surcharge",
    "amount_in_words",
    "format_yuan",
    "late_surcharge",
    "parse_yuan",
    "to_yuan",
]

CENT = Decimal("0.01")
# Fits DecimalField(max_digits=14, decimal_places=2), the size used for amounts in the models.
MAX_AMOUNT = Decimal("999999999999.99")
# 行政处罚法 第七十二条: 每日按罚款数额的百分之三加处罚款.
DAILY_SURCHARGE_RATE = Decimal("0.03")


class MoneyError(ValueError):
    """An amount is not valid; ``str()`` is a Chinese message for the user."""


def to_yuan(value: Decimal | int | str, *, label: str = "金额") -> Decimal:
    """``value`` as a Decimal of yuan, checked: finite, non-negative, at most two places.

    Accepts Decimal, int and numeric strings; refuses floats and booleans (a programming error
    that would otherwise round silently).
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{label}应为 Decimal、整数或数字字符串，不能是 {type(value).__name__}")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise MoneyError(f"{label}应为数字") from None
    else:
        raise TypeError(f"{label}应为 Decimal、整数或数字字符串，不能是 {type(value).__name__}")
    if not amount.is_finite():
        raise MoneyError(f"{label}应为有限的数字")
    if amount < 0:
        raise MoneyError(f"{label}不得为负数")
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(CENT):  # type: ignore[operator]
        raise MoneyError(f"{label}最多保留两位小数（精确到分）")
    if amount > MAX_AMOUNT:
        raise MoneyError(f"{label}过大")
    return amount.quantize(CENT)


def parse_yuan(raw: str | Decimal | int | None, *, label: str = "金额") -> Decimal | None:
    """Parse a typed amount; None for blank. Full-width digits, thousands separators and a
    leading ¥/￥ or trailing 元 are accepted."""
    if raw is None:
        return None
    if isinstance(raw, (Decimal, int)) and not isinstance(raw, bool):
        return to_yuan(raw, label=label)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    for ch in (",", "，", " ", "¥", "元"):
        text = text.replace(ch, "")
    if not text:
        return None
    return to_yuan(text, label=label)


def format_yuan(amount: Decimal) -> str:
    """``Decimal("12000")`` → ``"12,000.00元"``."""
    return f"{to_yuan(amount):,}元"


# -- 金额大写 ---------------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_BIG_UNITS = ("", "万", "亿", "万亿")


def _group_in_words(group: int) -> str:
    """A number 1..9999 in words, zeros inside written as one 零 (1010 → 壹仟零壹拾)."""
    out = []
    zero_pending = False
    for position in range(3, -1, -1):
        digit = group // 10**position % 10
        if digit == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append("零")
            zero_pending = False
        out.append(_DIGITS[digit] + _SMALL_UNITS[position])
    return "".join(out)


def amount_in_words(amount: Decimal | int | str) -> str:
    """金额大写: ``Decimal("1680.32")`` → ``"壹仟陆佰捌拾元零叁角贰分"``.

    Examples from the People's Bank rules: 1409.50 → 壹仟肆佰零玖元伍角; 6007.14 →
    陆仟零柒元壹角肆分; 107000.53 → 壹拾万柒仟元零伍角叁分; 16409.02 → 壹万陆仟肆佰零玖元零贰分;
    325.04 → 叁佰贰拾伍元零肆分. Zero is 零元整.
    """
    value = to_yuan(amount)
    cents = int(value * 100)
    yuan, rest = divmod(cents, 100)
    jiao, fen = divmod(rest, 10)

    words = ""
    if yuan:
        groups = []
        n = yuan
        while n:
            n, g = divmod(n, 10000)
            groups.append(g)
        parts: list[str] = []
        zero_pending = False
        for index in range(len(groups) - 1, -1, -1):
            g = groups[index]
            if g == 0:
                zero_pending = bool(parts)
                continue
            # A group that does not fill its thousands place after a higher group needs a 零
            # (10001 → 壹万零壹); so does a skipped all-zero group (100000001 → 壹亿零壹).
            if parts and (zero_pending or g < 1000):
                parts.append("零")
            zero_pending = False
            parts.append(_group_in_words(g) + _BIG_UNITS[index])
        words = "".join(parts) + "元"

    if jiao == 0 and fen == 0:
        return (words or "零元") + "整"
    if words and (yuan % 10 == 0 or jiao == 0):
        # 元位是0 (1680.32) or 角位是0 (325.04): 写"零".
        words += "零"
    if jiao:
        words += _DIGITS[jiao] + "角"
    if fen:
        words += _DIGITS[fen] + "分"
    return words


# -- 加处罚款 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Surcharge:
    """The late-payment surcharge owed on ``as_of``."""

    amount: Decimal  # 加处罚款 owed (capped)
    days: int  # days on which it accrued
    capped: bool  # the cap (the fine amount) was reached
    uncapped: Decimal  # what 3 % a day would have given without the cap


def late_surcharge(
    *,
    fine: Decimal,
    due: dt.date,
    as_of: dt.date,
    payments: Iterable[tuple[dt.date, Decimal]] = (),
    excluded: Iterable[tuple[dt.date, dt.date]] = (),
    rate: Decimal = DAILY_SURCHARGE_RATE,
) -> Surcharge:
    """加处罚款 on a fine of ``fine`` yuan due on ``due``, counted up to ``as_of``.

    - Accrues for each day after ``due`` up to and including ``as_of`` (a fine paid on the day
      after the due date owes one day), at ``rate`` of the fine still unpaid at the start of
      that day: ``payments`` are (paid_on, amount of the fine paid) and count from the next day.
    - 行政处罚法 第七十二条: capped at the fine amount.
    - 行政处罚法 第七十三条第三款: 当事人申请行政复议、提起行政诉讼的, 加处罚款的数额在行政
      复议或者行政诉讼期间不予计算 — ``excluded`` holds those periods (first, last day
      inclusive).
    The total is rounded half-up to the cent once, at the end.
    """
    fine = to_yuan(fine, label="罚款数额")
    if as_of <= due or fine == 0:
        return Surcharge(Decimal("0.00"), 0, False, Decimal("0.00"))
    paid_by_day: dict[dt.date, Decimal] = {}
    for paid_on, amount in payments:
        paid_by_day[paid_on] = paid_by_day.get(paid_on, Decimal(0)) + to_yuan(amount)
    excluded = [(a, b) for a, b in excluded]

    outstanding = fine - sum((a for d, a in paid_by_day.items() if d <= due), Decimal(0))
    total = Decimal(0)
    days = 0
    day = due + dt.timedelta(days=1)
    while day <= as_of and outstanding > 0:
        if not any(a <= day <= b for a, b in excluded):
            total += outstanding * rate
            days += 1
        outstanding -= paid_by_day.get(day, Decimal(0))
        day += dt.timedelta(days=1)
    uncapped = total.quantize(CENT, rounding=ROUND_HALF_UP)
    capped = uncapped > fine
    return Surcharge(min(uncapped, fine), days, capped, uncapped)

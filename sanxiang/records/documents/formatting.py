"""Formatting shared by the HTML (Django) and DOCX (Jinja) templates, so both print alike."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sanxiang.lib import money

CN_DIGITS = "〇一二三四五六七八九"


def cn_date(value: dt.date | None) -> str:
    """成文日期 in Arabic numerals, year in full, no leading zeros: ``2026年3月5日``
    (GB/T 9704-2012 7.3.5.1)."""
    if value is None or value == "":
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: dt.datetime | None) -> str:
    if value is None or value == "":
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日{value.hour}时{value.minute:02d}分"


def yuan(value: Decimal | int | None) -> str:
    """``20,000.00`` (the 元 is printed by the template)."""
    if value is None or value == "":
        return ""
    return money.format_yuan(money.to_yuan(value)).removesuffix("元")


def yuan_words(value: Decimal | int | None) -> str:
    """金额大写: ``贰万元整`` (sanxiang.lib.money, 人民银行 rules)."""
    if value is None or value == "":
        return ""
    return money.amount_in_words(money.to_yuan(value))


def cn_count(value: int) -> str:
    """Small counts in Chinese numerals as statutes write them: 3 → 三, 15 → 十五, 60 → 六十."""
    if not isinstance(value, int) or not 0 <= value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return (CN_DIGITS[tens] if tens > 1 else "") + "十" + (CN_DIGITS[ones] if ones else "")


def paragraphs(value: str | None) -> list[str]:
    """Text typed with line breaks → its non-empty paragraphs (each printed as one 段落)."""
    if not value:
        return []
    return [line.strip() for line in str(value).splitlines() if line.strip()]


FILTERS = {
    "paragraphs": paragraphs,
    "cn_date": cn_date,
    "cn_datetime": cn_datetime,
    "yuan": yuan,
    "yuan_words": yuan_words,
    "cn_count": cn_count,
}

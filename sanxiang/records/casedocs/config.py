"""What case documents print that the case data does not hold: the fine account, the review
organ and the court, per installation (settings) with derived defaults.

- ``RECORDS_FINE_ACCOUNT`` — dict ``bank``, ``account_name``, ``account_no`` (and optionally
  ``e_payment``): where fines are paid (行政处罚法 第六十七条: 罚缴分离, the decision names the bank).
  Required for a decision or reminder with a fine; with ``DEBUG`` on (or inside
  ``demo_mode()``, used by the demo loader) a clearly marked demo account is printed instead.
- ``RECORDS_REVIEW_ORGAN`` — 行政复议机关. Default: the people's government of the agency's county
  (行政复议法 2023 第二十四条第一款第（一）项: 对本级人民政府工作部门作出的行政行为不服的, 由本级
  人民政府管辖).
- ``RECORDS_COURT`` — court named on decisions. Default: the basic people's court of the agency's
  county (行政诉讼法 第十八条第一款: 由最初作出行政行为的行政机关所在地人民法院管辖).
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from collections.abc import Iterator

from django.conf import settings

from sanxiang.lib.errors import DomainError

from ..documents.context import PaymentAccount

DEMO_FINE_ACCOUNT = {
    "bank": "（演示）中国工商银行陵川县支行",
    "account_name": "（演示）陵川县财政局非税收入汇缴结算户",
    "account_no": "0000 0000 0000 0000 000",
    "e_payment": "",
}

_DEMO = contextvars.ContextVar("casedocs_demo", default=False)


@contextlib.contextmanager
def demo_mode() -> Iterator[None]:
    """Within this block the demo account may be printed (the demo loader only)."""
    token = _DEMO.set(True)
    try:
        yield
    finally:
        _DEMO.reset(token)


_REGION = re.compile(r"^(.+?[县区市旗])")


def region_of(agency) -> str:
    """陵川县人力资源和社会保障局 → 陵川县 (the county-level region the agency belongs to)."""
    match = _REGION.match(agency.name)
    return match.group(1) if match else ""


def review_organ(agency) -> str:
    configured = getattr(settings, "RECORDS_REVIEW_ORGAN", "")
    if configured:
        return configured
    region = region_of(agency)
    if not region:
        raise DomainError("无法确定行政复议机关：请在设置中配置 RECORDS_REVIEW_ORGAN")
    return f"{region}人民政府"


def court(agency) -> str:
    configured = getattr(settings, "RECORDS_COURT", "")
    if configured:
        return configured
    region = region_of(agency)
    if not region:
        raise DomainError("无法确定管辖人民法院：请在设置中配置 RECORDS_COURT")
    return f"{region}人民法院"


def fine_account() -> PaymentAccount:
    data = getattr(settings, "RECORDS_FINE_ACCOUNT", None)
    if not data and (settings.DEBUG or _DEMO.get()):
        data = DEMO_FINE_ACCOUNT
    if not data:
        raise DomainError(
            "尚未配置罚款缴纳账户（收款银行、户名、账号）：请在设置中配置 RECORDS_FINE_ACCOUNT"
            "（行政处罚法 第六十七条：罚款决定书载明缴款方式）"
        )
    return PaymentAccount(
        bank=data.get("bank", ""),
        account_name=data.get("account_name", ""),
        account_no=data.get("account_no", ""),
        e_payment=data.get("e_payment", ""),
    )

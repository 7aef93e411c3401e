"""履行催告书 (DOMAIN.md §3.13 no. 20).

行政强制法 第五十四条: before applying to the court for compulsory execution, the agency reminds
the party in writing to perform; if the party has not performed ten days after the reminder was
served, it may apply. 第三十五条: the reminder states (一) the time limit for performance, (二) the
manner, (三) the amount where money is owed, (四) the party's rights to state and defend.
行政处罚法 第七十二条第一款第（一）项: 3 % of the fine a day as a surcharge (加处罚款), at most the
fine itself. Numbered (催字) by the case service that records the reminder.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..context import Party, PaymentAccount, day, number, part, text
from ..formatting import cn_date, yuan, yuan_words
from ..registry import DocumentType, RequiredItem, register

PERFORM_DAYS = 10  # 行政强制法 第五十四条


@dataclass
class PerformanceReminder:  # 履行催告书
    agency_name: str = text("行政机关名称")
    party: Party = part("当事人", Party)
    decision_number: str = text("行政处罚决定书文号")
    decided_on: dt.date | None = day("决定日期")
    decision_served_on: dt.date | None = day("决定书送达日期")
    fine_outstanding: Decimal | None = number("未缴罚款（元）")
    surcharge: Decimal | None = number("加处罚款（元）", default=Decimal("0"))
    content: str = text("催告内容", required=False)
    payment: PaymentAccount = part("缴款账户", PaymentAccount)
    court: str = text("管辖人民法院")
    contact_person: str = text("联系人")
    contact_phone: str = text("联系电话")
    issued_on: dt.date | None = day("催告日期")

    @property
    def total(self) -> Decimal:
        return (self.fine_outstanding or Decimal(0)) + (self.surcharge or Decimal(0))

    @property
    def perform_days(self) -> int:
        return PERFORM_DAYS

    def problems(self) -> list[str]:
        found = []
        if self.fine_outstanding is not None and self.fine_outstanding <= 0:
            found.append("未缴罚款应大于零（已缴清的无需催告）")
        if (
            self.surcharge is not None
            and self.fine_outstanding is not None
            and self.surcharge > self.fine_outstanding
        ):
            # 行政处罚法 第七十二条第一款第（一）项: 加处罚款的数额不得超出罚款的数额.
            found.append("加处罚款不得超出罚款的数额（行政处罚法 第七十二条）")
        return found


def sample() -> PerformanceReminder:
    from .penalty_decision import sample as decision_sample

    d = decision_sample()
    return PerformanceReminder(
        agency_name=d.agency_name,
        party=d.party,
        decision_number="陵人社监罚字〔2026〕第3号",
        decided_on=dt.date(2026, 3, 5),
        decision_served_on=dt.date(2026, 3, 6),
        fine_outstanding=Decimal("6000"),
        surcharge=Decimal("1800"),
        content="",
        payment=d.payment,
        court="陵川县人民法院",
        contact_person="张明",
        contact_phone="0356-0000000",
        issued_on=dt.date(2026, 4, 2),
    )


PERFORMANCE_REMINDER = register(
    DocumentType(
        code="performance_reminder",
        name="履行催告书",
        version="2026.1",
        context_class=PerformanceReminder,
        template="records/documents/performance_reminder.html",
        docx_template="performance_reminder.docx",
        number_code="reminder",
        red_head=True,
        sample=sample,
        title=lambda c: f"{c.party.name}履行催告书（{c.decision_number}）",
        issued_on=lambda c: c.issued_on,
        basis="行政强制法 第三十五条、第五十四条；行政处罚法 第七十二条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name),
            RequiredItem("决定书文号", lambda c: c.decision_number),
            RequiredItem("决定日期", lambda c: cn_date(c.decided_on)),
            RequiredItem(
                "未缴罚款金额",
                lambda c: f"罚款人民币{yuan_words(c.fine_outstanding)}",
                "行政强制法 第三十五条第（三）项",
            ),
            RequiredItem(
                "加处罚款金额", lambda c: f"¥{yuan(c.surcharge)}", "行政处罚法 第七十二条"
            ),
            RequiredItem("合计金额", lambda c: f"¥{yuan(c.total)}"),
            RequiredItem("履行期限", lambda c: "十日内", "行政强制法 第三十五条第（一）项"),
            RequiredItem("履行方式", lambda c: c.payment.bank, "行政强制法 第三十五条第（二）项"),
            RequiredItem("缴款账号", lambda c: c.payment.account_no),
            RequiredItem(
                "陈述和申辩的权利", lambda c: "陈述和申辩", "行政强制法 第三十五条第（四）项"
            ),
            RequiredItem(
                "逾期不履行的后果",
                lambda c: f"向{c.court}申请强制执行",
                "行政强制法 第五十四条",
            ),
            RequiredItem("联系人", lambda c: c.contact_person),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("催告日期", lambda c: cn_date(c.issued_on)),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

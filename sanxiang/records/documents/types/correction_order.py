"""劳动保障监察限期改正指令书 / 责令改正指令书 (DOMAIN.md §3.7, §3.13 no. 9).

劳动保障监察条例 第十八条第一款第（二）项: a violation the employer should correct is ordered
corrected within a time limit; 行政处罚法 第二十八条第一款: every penalty goes with an order to
correct. The order states the violation, the provision violated, what to correct (amounts per
worker where wages), the deadline, the legal basis, the duty to report the correction, the
consequence of not correcting (条例 第三十条第一款第（三）项: 经责令改正拒不改正的, 处 2000 元以上
2 万元以下的罚款), and the remedies (行政复议法 第二十条; 行政诉讼法 第四十六条). Numbered (令字) by
the case service that records the order; the scoring sheet gives it 5 points (DOMAIN.md §7.1).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import Party, day, part, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class CorrectionOrder:  # 劳动保障监察限期改正指令书
    agency_name: str = text("行政机关名称")
    party: Party = part("当事人", Party)
    case_cause: str = text("案由")
    facts: str = text("违法事实")
    content: str = text("责令改正的内容")
    basis: str = text("依据")
    due_on: dt.date | None = day("改正期限")
    review_organ: str = text("行政复议机关")
    court: str = text("管辖人民法院")
    contact_person: str = text("联系人", required=False)
    contact_phone: str = text("联系电话", required=False)
    issued_on: dt.date | None = day("下达日期")

    def problems(self) -> list[str]:
        if self.due_on and self.issued_on and self.due_on <= self.issued_on:
            return ["改正期限应晚于下达日期"]
        return []


def sample() -> CorrectionOrder:
    from .penalty_decision import sample as decision_sample

    return CorrectionOrder(
        agency_name="陵川县人力资源和社会保障局",
        party=decision_sample().party,
        case_cause="违法延长劳动者工作时间",
        facts="你单位安排在安置房项目工地从事钢筋、木工作业的12名劳动者每日工作11小时，每月延长工作时间约70小时",
        content="立即停止违法延长劳动者工作时间的行为，依法支付延长工作时间的工资报酬，并将改正情况书面报告本机关",
        basis="《中华人民共和国劳动法》第四十一条；《劳动保障监察条例》第十八条第一款第（二）项、第二十五条",
        due_on=dt.date(2026, 1, 22),
        review_organ="陵川县人民政府",
        court="陵川县人民法院",
        contact_person="张明",
        contact_phone="0356-0000000",
        issued_on=dt.date(2026, 1, 8),
    )


CORRECTION_ORDER = register(
    DocumentType(
        code="correction_order",
        name="劳动保障监察限期改正指令书",
        version="2026.1",
        context_class=CorrectionOrder,
        template="records/documents/correction_order.html",
        docx_template="correction_order.docx",
        number_code="order",
        red_head=True,
        sample=sample,
        title=lambda c: f"{c.party.name}{c.case_cause}案限期改正指令书",
        issued_on=lambda c: c.issued_on,
        basis="劳动保障监察条例 第十八条、第三十条；行政处罚法 第二十八条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name),
            RequiredItem("违法事实", lambda c: snippet(c.facts)),
            RequiredItem("责令改正的内容", lambda c: snippet(c.content), "条例 第十八条"),
            RequiredItem("依据", lambda c: snippet(c.basis)),
            RequiredItem("改正期限", lambda c: f"于{cn_date(c.due_on)}前"),
            RequiredItem("书面报告改正情况", lambda c: "书面报告"),
            RequiredItem(
                "逾期不改正的后果",
                lambda c: "二千元以上二万元以下的罚款",
                "劳动保障监察条例 第三十条第一款第（三）项",
            ),
            RequiredItem("复议途径和期限", lambda c: f"六十日内向{c.review_organ}申请行政复议"),
            RequiredItem("诉讼途径和期限", lambda c: f"六个月内向{c.court}提起行政诉讼"),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("下达日期", lambda c: cn_date(c.issued_on)),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

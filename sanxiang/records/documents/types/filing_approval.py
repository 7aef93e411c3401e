"""立案审批表 (DOMAIN.md §3.4, §3.13 no. 3).

行政处罚法 第五十四条第二款: the agency files a case promptly when the filing standard is met;
劳动保障监察条例 第十四条: the bureau files a case when it believes an employer violated labour
law and an investigation is needed. The form is approved by the head of the inspection body and
the approval date is the filing date [M 若干规定]. The Xinjiang scoring sheet (DOMAIN.md §7.1, 立案
14 points) scores: party information complete; source recorded; facts stated; filing basis
correct; handler opinion and signature; unit-head approval and signature. The 立案号 is the
case number from the numbering service (``filing``), printed in the head.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, Party, day, many, part, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class FilingApproval:  # 立案审批表
    agency_name: str = text("行政机关名称")
    source: str = text("案件来源")
    received_on: dt.date | None = day("受案（发现）日期")
    case_cause: str = text("案由")
    party: Party = part("当事人", Party)
    party_phone: str = text("当事人联系电话", required=False)
    facts: str = text("简要案情")
    basis: str = text("立案依据")
    handlers: list[OfficerRef] = many("承办人", minimum=2)
    handler_opinion: str = text("承办人意见")
    handler_on: dt.date | None = day("承办人意见日期")
    approver: str = text("审批人")
    approver_opinion: str = text("审批意见")
    filed_on: dt.date | None = day("立案日期")

    def problems(self) -> list[str]:
        if self.handler_on and self.filed_on and self.handler_on > self.filed_on:
            return ["承办人意见日期不能晚于立案（批准）日期"]
        return []


def sample() -> FilingApproval:
    return FilingApproval(
        agency_name="陵川县人力资源和社会保障局",
        source="投诉",
        received_on=dt.date(2025, 12, 26),
        case_cause="违法延长劳动者工作时间",
        party=Party(
            kind="organisation",
            name="陵川县示例建筑劳务有限公司",
            address="山西省晋城市陵川县崇文镇示例路88号",
            uscc="91140524MA0K8XYZ1Q",
            legal_representative="王示例",
        ),
        party_phone="0356-0000001",
        facts=(
            "投诉人反映，该公司在陵川县城区安置房项目工地安排钢筋、木工作业人员每日工作11小时，"
            "连续三个月，未支付延长工作时间的工资报酬。"
        ),
        basis="《劳动保障监察条例》第十四条、第十八条；《中华人民共和国行政处罚法》第五十四条",
        handlers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        handler_opinion="经核查，当事人涉嫌违法延长劳动者工作时间，属于本机关管辖，且未超过查处时效，建议立案调查。",
        handler_on=dt.date(2025, 12, 29),
        approver="王强",
        approver_opinion="同意立案",
        filed_on=dt.date(2025, 12, 29),
    )


FILING_APPROVAL = register(
    DocumentType(
        code="filing_approval",
        name="立案审批表",
        version="2026.1",
        context_class=FilingApproval,
        template="records/documents/filing_approval.html",
        number_code="filing",
        page_numbers=False,
        stamp_at="head",
        sealed=False,  # an internal approval: signed by the handlers and the approver
        sample=sample,
        title=lambda c: f"{c.party.name}{c.case_cause}案立案审批表",
        issued_on=lambda c: c.filed_on,
        basis="行政处罚法 第五十四条；劳动保障监察条例 第十四条",
        required_items=(
            RequiredItem("案件来源", lambda c: c.source, "劳动保障监察条例 第十四条"),
            RequiredItem("受案日期", lambda c: cn_date(c.received_on)),
            RequiredItem("案由", lambda c: c.case_cause),
            RequiredItem("当事人名称", lambda c: c.party.name),
            RequiredItem("统一社会信用代码", lambda c: c.party.uscc),
            RequiredItem("法定代表人", lambda c: c.party.legal_representative),
            RequiredItem("当事人地址", lambda c: snippet(c.party.address)),
            RequiredItem("简要案情", lambda c: snippet(c.facts)),
            RequiredItem("立案依据", lambda c: snippet(c.basis), "行政处罚法 第五十四条"),
            RequiredItem("承办人意见", lambda c: snippet(c.handler_opinion)),
            RequiredItem("承办人及执法证号", lambda c: c.handlers[0].certificate_no),
            RequiredItem("第二名承办人执法证号", lambda c: c.handlers[-1].certificate_no),
            RequiredItem("审批意见", lambda c: c.approver_opinion),
            RequiredItem("审批人", lambda c: f"审批人：{c.approver}"),
            RequiredItem("立案日期", lambda c: f"立案日期：{cn_date(c.filed_on)}"),
        ),
    )
)

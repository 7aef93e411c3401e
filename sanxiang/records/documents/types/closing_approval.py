"""结案审批表 (DOMAIN.md §3.13 no. 23).

A case is closed on an approved closing form stating the case number, cause, party, filing date,
outcome and the decision's number, how it was executed (payment dates and receipt numbers),
the closing reason, the handler's opinion and the approver (案卷评查标准: 结案报告 4 points;
人社行政处罚办法 [M]: 决定履行完毕、法院裁定终结执行、终止调查、不予处罚、移送 are closing grounds).
Closed cases are read-only (ARCHITECTURE.md invariant 9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, day, many, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class ClosingApproval:  # 结案审批表
    agency_name: str = text("行政机关名称")
    case_number: str = text("立案号")
    case_cause: str = text("案由")
    party_name: str = text("当事人")
    filed_on: dt.date | None = day("立案日期")
    outcome: str = text("处理结果")
    decision_number: str = text("决定书文号", required=False)
    decided_on: dt.date | None = day("决定日期", required=False)
    execution: list[str] = many("执行情况")
    closing_reason: str = text("结案理由")
    handlers: list[OfficerRef] = many("承办人")
    handler_opinion: str = text("承办人意见")
    approver: str = text("审批人")
    closed_on: dt.date | None = day("结案日期")


def sample() -> ClosingApproval:
    return ClosingApproval(
        agency_name="陵川县人力资源和社会保障局",
        case_number="陵人社监立字〔2025〕第41号",
        case_cause="违法延长劳动者工作时间",
        party_name="陵川县示例建筑劳务有限公司",
        filed_on=dt.date(2025, 12, 29),
        outcome="行政处罚：警告，罚款6000元；责令改正",
        decision_number="陵人社监罚字〔2026〕第3号",
        decided_on=dt.date(2026, 3, 5),
        execution=[
            "2026年3月18日缴纳罚款6,000.00元（缴款凭证号 0508202603180012）",
            "2026年1月20日复查：已停止违法延长工作时间，已改正",
        ],
        closing_reason="决定已履行完毕",
        handlers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        handler_opinion="本案行政处罚决定已履行完毕，责令改正事项已复查，建议结案。",
        approver="王强",
        closed_on=dt.date(2026, 3, 20),
    )


CLOSING_APPROVAL = register(
    DocumentType(
        code="closing_approval",
        name="结案审批表",
        version="2026.1",
        context_class=ClosingApproval,
        template="records/documents/closing_approval.html",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"{c.party_name}{c.case_cause}案结案审批表",
        issued_on=lambda c: c.closed_on,
        basis="案卷评查标准（结案报告）；人力资源社会保障行政处罚办法",
        required_items=(
            RequiredItem("立案号", lambda c: c.case_number),
            RequiredItem("案由", lambda c: c.case_cause),
            RequiredItem("当事人", lambda c: c.party_name),
            RequiredItem("立案日期", lambda c: cn_date(c.filed_on)),
            RequiredItem("处理结果", lambda c: snippet(c.outcome)),
            RequiredItem("决定书文号", lambda c: c.decision_number),
            RequiredItem("执行情况", lambda c: snippet(c.execution[0])),
            RequiredItem("结案理由", lambda c: c.closing_reason),
            RequiredItem("承办人执法证号", lambda c: c.handlers[0].certificate_no),
            RequiredItem("承办人意见", lambda c: snippet(c.handler_opinion)),
            RequiredItem("审批人", lambda c: f"审批人：{c.approver}"),
            RequiredItem("结案日期", lambda c: f"结案日期：{cn_date(c.closed_on)}"),
        ),
    )
)

"""听证通知书 (DOMAIN.md §3.9, §3.13 no. 13).

行政处罚法 第六十四条: (二) the party is told the time and place of the hearing seven days before
it (第八十五条: working days); (三) hearings are public unless state secrets, business secrets or
privacy are involved; (四) a presider designated by the agency who did not investigate the case;
the party may ask the presider to withdraw; (五) the party may attend in person or appoint one or
two agents; (六) absence without good reason, or leaving without permission, ends the hearing;
(七) the investigators state the facts, evidence and proposal, the party defends and
cross-examines; (八) a record is made. 第六十三条第二款: the party bears no cost of the hearing.
Numbered (听通字).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.cases.numbering import register_doc_type

from ..context import Party, day, flag, many, moment, part, text
from ..formatting import cn_date, cn_datetime
from ..registry import DocumentType, RequiredItem, register

register_doc_type("hearing_notice", "听证通知书", "{short}监听通字〔{year}〕第{n}号")


@dataclass
class HearingNotice:  # 听证通知书
    agency_name: str = text("行政机关名称")
    party: Party = part("当事人", Party)
    case_cause: str = text("案由")
    requested_on: dt.date | None = day("当事人申请听证的日期")
    scheduled_at: dt.datetime | None = moment("听证时间")
    place: str = text("听证地点")
    presider: str = text("听证主持人")
    hearing_officers: list[str] = many("听证员", required=False)
    clerk: str = text("记录员")
    public: bool = flag("公开举行", default=True)
    closed_reason: str = text("不公开举行的理由", required=False)
    contact_person: str = text("联系人")
    contact_phone: str = text("联系电话")
    issued_on: dt.date | None = day("通知日期")

    def problems(self) -> list[str]:
        found = []
        if not self.public and not self.closed_reason.strip():
            found.append("不公开举行听证的，请填写理由（行政处罚法 第六十四条第（三）项）")
        if self.scheduled_at and self.issued_on and self.scheduled_at.date() <= self.issued_on:
            found.append("听证时间应晚于通知日期（行政处罚法 第六十四条第（二）项：七日前通知）")
        return found


def sample() -> HearingNotice:
    from zoneinfo import ZoneInfo

    from .penalty_decision import sample as decision_sample

    return HearingNotice(
        agency_name="陵川县人力资源和社会保障局",
        party=decision_sample().party,
        case_cause="违法延长劳动者工作时间",
        requested_on=dt.date(2026, 2, 12),
        scheduled_at=dt.datetime(2026, 2, 27, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        place="陵川县人力资源和社会保障局听证室",
        presider="赵敏",
        clerk="周示例",
        public=True,
        contact_person="张明",
        contact_phone="0356-0000000",
        issued_on=dt.date(2026, 2, 13),
    )


HEARING_NOTICE = register(
    DocumentType(
        code="hearing_notice",
        name="听证通知书",
        version="2026.1",
        context_class=HearingNotice,
        template="records/documents/hearing_notice.html",
        docx_template="hearing_notice.docx",
        number_code="hearing_notice",
        red_head=True,
        sample=sample,
        title=lambda c: (
            f"{c.party.name}{c.case_cause}案听证通知书（{cn_datetime(c.scheduled_at)}听证）"
        ),
        issued_on=lambda c: c.issued_on,
        basis="行政处罚法 第六十三条、第六十四条、第八十五条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name),
            RequiredItem("案由", lambda c: c.case_cause),
            RequiredItem("听证时间", lambda c: cn_datetime(c.scheduled_at), "第六十四条第（二）项"),
            RequiredItem("听证地点", lambda c: c.place, "第六十四条第（二）项"),
            RequiredItem("听证主持人", lambda c: f"主持人：{c.presider}", "第六十四条第（四）项"),
            RequiredItem("记录员", lambda c: f"记录员：{c.clerk}"),
            RequiredItem("公开举行", lambda c: "公开举行", "第六十四条第（三）项"),
            RequiredItem("申请回避的权利", lambda c: "申请回避", "第六十四条第（四）项"),
            RequiredItem("委托代理人", lambda c: "委托一至二人代理", "第六十四条第（五）项"),
            RequiredItem("无正当理由拒不出席", lambda c: "终止听证", "第六十四条第（六）项"),
            RequiredItem("质证和申辩", lambda c: "申辩和质证", "第六十四条第（七）项"),
            RequiredItem("不承担听证费用", lambda c: "不承担", "第六十三条第二款"),
            RequiredItem("联系人", lambda c: c.contact_person),
            RequiredItem("联系电话", lambda c: c.contact_phone),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("通知日期", lambda c: cn_date(c.issued_on)),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

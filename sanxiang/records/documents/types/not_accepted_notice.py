"""不予受理通知书 (DOMAIN.md §3.3, §3.13 no. 2).

关于实施《劳动保障监察条例》若干规定 第十八条: a complaint is accepted or refused within 5 working
days of receipt; a complaint that fails the test of 第一款 is refused "并书面通知投诉人". The notice
says which complaint (登记号, the complainant, the employer complained about, the matter and the
request), the decision, the reason, the legal basis (若干规定 第十八条 with the article of the
条例 that applies: 第二十条 over two years, 第十三条 another bureau's jurisdiction, 第二十一条 a
labour dispute, 第十八条第二款 a referral), where the complainant should turn instead
(劳动人事争议仲裁委员会, the competent bureau, the body it was referred to), and the remedies
against the refusal (行政复议法 第二十条; 行政诉讼法 第四十六条). Numbered (不受字).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.cases.numbering import register_doc_type

from ..context import day, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet

register_doc_type("not_accepted", "不予受理通知书", "{short}监不受字〔{year}〕第{n}号")


@dataclass
class NotAcceptedNotice:  # 不予受理通知书
    agency_name: str = text("行政机关名称")
    registration_no: str = text("登记号")
    complainant: str = text("投诉人")
    received_on: dt.date | None = day("收到投诉日期")
    respondent: str = text("被投诉单位", required=False)
    matter: str = text("投诉事项")
    request: str = text("投诉请求", required=False)
    decision: str = text("处理决定")
    reason: str = text("不予受理的理由")
    basis: str = text("法律依据")
    redirect: str = text("告知事项", required=False)  # where to turn instead
    decided_on: dt.date | None = day("决定日期")
    review_organ: str = text("行政复议机关")
    court: str = text("管辖人民法院")
    contact_person: str = text("联系人", required=False)
    contact_phone: str = text("联系电话", required=False)
    issued_on: dt.date | None = day("通知日期")

    def problems(self) -> list[str]:
        found = []
        if self.received_on and self.decided_on and self.decided_on < self.received_on:
            found.append("决定日期不能早于收到投诉日期")
        if self.decided_on and self.issued_on and self.issued_on < self.decided_on:
            found.append("通知日期不能早于决定日期")
        return found


def sample() -> NotAcceptedNotice:
    return NotAcceptedNotice(
        agency_name="陵川县人力资源和社会保障局",
        registration_no="陵人社监登字〔2026〕第12号",
        complainant="孙某",
        received_on=dt.date(2026, 2, 9),
        respondent="陵川县示例建筑工程有限公司",
        matter="经济补偿金数额争议",
        request="要求用人单位按月工资全额支付解除劳动合同的经济补偿金",
        decision="不予受理，告知依照劳动争议处理程序办理",
        reason="双方对经济补偿金的计算基数有争议，用人单位已按其标准支付，属于劳动争议",
        basis="《关于实施〈劳动保障监察条例〉若干规定》第十八条、《劳动保障监察条例》第二十一条",
        redirect="该事项属于劳动争议，你可以依照《中华人民共和国劳动争议调解仲裁法》的规定，自知道或者"
        "应当知道其权利被侵害之日起一年内向陵川县劳动人事争议仲裁委员会申请仲裁",
        decided_on=dt.date(2026, 2, 12),
        review_organ="陵川县人民政府",
        court="陵川县人民法院",
        contact_person="张明",
        contact_phone="0356-0000000",
        issued_on=dt.date(2026, 2, 12),
    )


NOT_ACCEPTED_NOTICE = register(
    DocumentType(
        code="not_accepted_notice",
        name="不予受理通知书",
        version="2026.1",
        context_class=NotAcceptedNotice,
        template="records/documents/not_accepted_notice.html",
        docx_template="not_accepted_notice.docx",
        number_code="not_accepted",
        red_head=True,
        sample=sample,
        # No complainant's name in the title: lists show titles to every reader of documents
        # (劳动保障监察条例 第九条).
        title=lambda c: f"不予受理通知书（{c.registration_no}）",
        issued_on=lambda c: c.issued_on,
        basis="关于实施《劳动保障监察条例》若干规定 第十八条；劳动保障监察条例 第二十条、第二十一条",
        required_items=(
            RequiredItem("投诉人", lambda c: c.complainant, "若干规定 第十八条"),
            RequiredItem("登记号", lambda c: c.registration_no),
            RequiredItem("收到投诉日期", lambda c: cn_date(c.received_on)),
            RequiredItem("投诉事项", lambda c: snippet(c.matter)),
            RequiredItem("处理决定", lambda c: snippet(c.decision), "若干规定 第十八条"),
            RequiredItem("不予受理的理由", lambda c: snippet(c.reason), "若干规定 第十八条"),
            RequiredItem("法律依据", lambda c: "若干规定》第十八条", "若干规定 第十八条"),
            RequiredItem("复议途径和期限", lambda c: f"六十日内向{c.review_organ}申请行政复议"),
            RequiredItem("诉讼途径和期限", lambda c: f"六个月内向{c.court}提起行政诉讼"),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("通知日期", lambda c: cn_date(c.issued_on)),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

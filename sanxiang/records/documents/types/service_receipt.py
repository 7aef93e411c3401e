"""送达回证 (DOMAIN.md §3.12, §3.13 no. 18).

民事诉讼法 第八十七条: every service has a receipt on which the receiver writes the date of
receipt and signs or seals; the signing date is the date of service. 第八十八条: who may sign for
an absent addressee; 第八十九条: refusal (留置送达) — reason and date noted, witnesses sign, or the
service is recorded by photo or video. 行政处罚法 第六十一条 applies these rules to decisions.

The receipt is printed before service; the signatures, dates and any refusal are written on
the paper by hand, which is then scanned and attached as the final version. Fields known in
advance (e.g. for electronic service, the time the message reached the party's system,
第九十条) may be printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, choice, day, many, moment, text
from ..registry import DocumentType, RequiredItem, register

SERVICE_METHODS = {
    "direct": "直接送达",
    "left": "留置送达",
    "post": "邮寄送达",
    "entrusted": "委托送达",
    "electronic": "电子送达",
    "public": "公告送达",
}


@dataclass
class ServedDocument:  # 送达的文书
    name: str = text("文书名称")
    number: str = text("文号", required=False)

    @property
    def display(self) -> str:
        return f"《{self.name}》（{self.number}）" if self.number else f"《{self.name}》"


@dataclass
class ServiceReceipt:  # 送达回证
    agency_name: str = text("送达机关")
    case_cause: str = text("案由", required=False)
    documents: list[ServedDocument] = many("送达文书")
    addressee: str = text("受送达人")
    address: str = text("送达地点")
    method: str = choice("送达方式", SERVICE_METHODS)
    servers: list[OfficerRef] = many("送达人")
    served_at: dt.datetime | None = moment("送达时间", required=False)
    receiver: str = text("收件人", required=False)
    substitute: str = text("代收人", required=False)
    substitute_relation: str = text("代收人与受送达人的关系", required=False)
    refusal_reason: str = text("拒收事由", required=False)
    witnesses: list[str] = many("见证人", required=False)
    remarks: str = text("备注", required=False)
    issued_on: dt.date | None = day("填发日期")

    def problems(self) -> list[str]:
        if self.substitute.strip() and not self.substitute_relation.strip():
            return ["由他人代收的，请填写代收人与受送达人的关系（民事诉讼法 第八十八条）"]
        return []

    @property
    def method_boxes(self) -> list[tuple[str, bool]]:
        return [(label, code == self.method) for code, label in SERVICE_METHODS.items()]


def sample() -> ServiceReceipt:
    return ServiceReceipt(
        agency_name="陵川县人力资源和社会保障局",
        case_cause="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        documents=[ServedDocument(name="行政处罚决定书", number="陵人社监罚字〔2026〕第3号")],
        addressee="陵川县示例建筑劳务有限公司",
        address="山西省晋城市陵川县崇文镇示例路88号",
        method="direct",
        servers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        issued_on=dt.date(2026, 3, 5),
    )


SERVICE_RECEIPT = register(
    DocumentType(
        code="service_receipt",
        name="送达回证",
        version="2026.1",
        context_class=ServiceReceipt,
        template="records/documents/service_receipt.html",
        docx_template="service_receipt.docx",
        stamp_at="head",
        sealed=False,  # the seal goes on the 送达机关 row of the form
        sample=sample,
        title=lambda c: "送达回证：" + "、".join(d.display for d in c.documents),
        issued_on=lambda c: c.issued_on,
        basis="民事诉讼法 第八十七条至第九十五条；行政处罚法 第六十一条",
        required_items=(
            RequiredItem(
                "送达文书名称", lambda c: f"《{c.documents[0].name}》", "民事诉讼法 第八十七条"
            ),
            RequiredItem("送达文书文号", lambda c: c.documents[0].number),
            RequiredItem("受送达人", lambda c: c.addressee, "民事诉讼法 第八十七条"),
            RequiredItem("送达地点", lambda c: c.address),
            RequiredItem("送达方式", lambda c: "■" + SERVICE_METHODS[c.method]),
            RequiredItem("收件人签名栏", lambda c: "收件人签名（盖章）", "民事诉讼法 第八十七条"),
            RequiredItem("代收人栏", lambda c: "代收人", "民事诉讼法 第八十八条"),
            RequiredItem("拒收事由及见证人栏", lambda c: "拒收事由", "民事诉讼法 第八十九条"),
            RequiredItem("送达人", lambda c: c.servers[0].name),
            RequiredItem(
                "送达人执法证号", lambda c: c.servers[0].certificate_no, "行政处罚法 第五十五条"
            ),
            RequiredItem("第二名送达人执法证号", lambda c: c.servers[-1].certificate_no),
            RequiredItem("送达机关", lambda c: c.agency_name),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

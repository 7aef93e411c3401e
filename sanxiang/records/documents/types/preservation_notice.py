"""先行登记保存通知书 (DOMAIN.md §3.5, §3.13 no. 8).

行政处罚法 第五十六条: where evidence may be lost or later hard to obtain, the agency may, with
the approval of its head (行政机关负责人批准), register and preserve it first and must decide on it
within seven days (第八十五条: working days); during that time the party and others may not
destroy or transfer it. The notice tells the party what is preserved (name, specification,
quantity), where, why, on whose approval, the seven-working-day decision and the prohibition;
the party signs the list (案卷评查标准: 证据清单及保存记录由当事人签名). Numbered (保字).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sanxiang.cases.numbering import register_doc_type

from ..context import OfficerRef, Party, day, many, part, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet

register_doc_type("preservation", "先行登记保存通知书", "{short}监保字〔{year}〕第{n}号")

DECISION_WORKDAYS = 7  # 行政处罚法 第五十六条、第八十五条


@dataclass
class PreservedItem:  # 先行登记保存的物品（证据）
    name: str = text("物品名称")
    spec: str = text("规格", required=False)
    quantity: str = text("数量")


@dataclass
class PreservationNotice:  # 先行登记保存通知书
    agency_name: str = text("行政机关名称")
    party: Party = part("当事人", Party)
    case_cause: str = text("案由")
    reason: str = text("证据可能灭失或者以后难以取得的情况")
    items: list[PreservedItem] = many("先行登记保存的物品")
    place_kept: str = text("保存地点")
    preserved_on: dt.date | None = day("登记保存日期")
    approver: str = text("批准人（行政机关负责人）")
    approved_on: dt.date | None = day("批准日期")
    officers: list[OfficerRef] = many("执法人员", minimum=2)
    issued_on: dt.date | None = day("通知日期")

    @property
    def decision_workdays(self) -> int:
        return DECISION_WORKDAYS


def sample() -> PreservationNotice:
    from .penalty_decision import sample as decision_sample

    return PreservationNotice(
        agency_name="陵川县人力资源和社会保障局",
        party=decision_sample().party,
        case_cause="违法延长劳动者工作时间",
        reason="你单位有关负责人表示将对考勤原始记录进行“整理”，相关证据可能灭失",
        items=[
            PreservedItem(name="2025年10月至12月考勤原始记录", spec="纸质，A4", quantity="3册"),
            PreservedItem(name="项目部考勤机", spec="中控 iFace702", quantity="1台"),
        ],
        place_kept="陵川县人力资源和社会保障局证据保管室",
        preserved_on=dt.date(2026, 1, 6),
        approver="刘局长",
        approved_on=dt.date(2026, 1, 6),
        officers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        issued_on=dt.date(2026, 1, 6),
    )


PRESERVATION_NOTICE = register(
    DocumentType(
        code="preservation_notice",
        name="先行登记保存通知书",
        version="2026.1",
        context_class=PreservationNotice,
        template="records/documents/preservation_notice.html",
        docx_template="preservation_notice.docx",
        number_code="preservation",
        red_head=True,
        sample=sample,
        title=lambda c: (
            f"{c.party.name}{c.case_cause}案先行登记保存通知书（{cn_date(c.preserved_on)}）"
        ),
        issued_on=lambda c: c.issued_on,
        basis="行政处罚法 第五十六条、第八十五条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name),
            RequiredItem("案由", lambda c: c.case_cause),
            RequiredItem("先行登记保存的理由", lambda c: snippet(c.reason), "第五十六条"),
            RequiredItem("负责人批准", lambda c: f"经本机关负责人{c.approver}批准", "第五十六条"),
            RequiredItem("物品名称", lambda c: c.items[0].name),
            RequiredItem("物品数量", lambda c: c.items[0].quantity),
            RequiredItem("最后一项物品", lambda c: c.items[-1].name),
            RequiredItem("保存地点", lambda c: snippet(c.place_kept)),
            RequiredItem("登记保存日期", lambda c: cn_date(c.preserved_on)),
            RequiredItem("七日内作出处理决定", lambda c: "七个工作日内", "第五十六条；第八十五条"),
            RequiredItem("不得销毁或者转移", lambda c: "不得销毁或者转移", "第五十六条"),
            RequiredItem("执法人员执法证号", lambda c: c.officers[0].certificate_no),
            RequiredItem("当事人签名栏", lambda c: "当事人签名"),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("通知日期", lambda c: cn_date(c.issued_on)),
            RequiredItem("印章位置", lambda c: "（印章）"),
        ),
    )
)

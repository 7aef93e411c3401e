"""听证笔录 (DOMAIN.md §3.9, §3.13 no. 13).

行政处罚法 第六十四条第（八）项: the hearing is recorded; the record is given to the party or
agent to check and sign; a refusal to sign is noted on the record by the presider. 第六十五条:
after the hearing the agency decides on the basis of the record (第五十七条). The record names
time, place, presider, clerk, those attending (party, agents, investigators with certificate
numbers), whether it was public, and the statements; the 听证报告 (the presider's opinion) may
follow. Every page carries the party's signature line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, flag, many, moment, text
from ..formatting import cn_datetime
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class HearingRecord:  # 听证笔录
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    started_at: dt.datetime | None = moment("听证时间")
    place: str = text("听证地点")
    presider: str = text("听证主持人")
    clerk: str = text("记录员")
    attendees: str = text("当事人及其代理人")
    investigators: list[OfficerRef] = many("调查人员", minimum=1)
    public: bool = flag("公开举行", default=True)
    closed_reason: str = text("不公开举行的理由", required=False)
    content: str = text("听证记录")
    party_signed: bool = flag("当事人已签字")
    refusal_note: str = text("拒绝签字情况（主持人注明）", required=False)
    report: str = text("听证报告（主持人意见）", required=False)

    def problems(self) -> list[str]:
        if not self.public and not self.closed_reason.strip():
            return ["不公开举行听证的，请填写理由（行政处罚法 第六十四条第（三）项）"]
        return []


def sample() -> HearingRecord:
    from zoneinfo import ZoneInfo

    return HearingRecord(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        started_at=dt.datetime(2026, 2, 27, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai")),
        place="陵川县人力资源和社会保障局听证室",
        presider="赵敏",
        clerk="周示例",
        attendees="当事人委托代理人王代理（授权委托书已提交）",
        investigators=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        content=(
            "主持人：宣布听证开始，核对参加人身份，宣布听证纪律，告知当事人的权利义务。"
            "当事人是否申请主持人、记录员回避？\n"
            "代理人：不申请回避。\n"
            "调查人员张明：陈述当事人违法延长劳动者工作时间的事实、证据和拟作出的行政处罚。\n"
            "代理人：对考勤记录的真实性无异议；工期紧张系建设单位要求，请求从轻处罚。\n"
            "主持人：双方最后陈述。听证结束。"
        ),
        party_signed=True,
        report="当事人对违法事实无异议，所提从轻理由部分成立，建议维持拟作出的行政处罚。",
    )


HEARING_RECORD = register(
    DocumentType(
        code="hearing_record",
        name="听证笔录",
        version="2026.1",
        context_class=HearingRecord,
        template="records/documents/hearing_record.html",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"听证笔录（{c.case_title}，{cn_datetime(c.started_at)}）",
        issued_on=lambda c: c.started_at.date() if c.started_at else None,
        basis="行政处罚法 第六十四条、第六十五条",
        required_items=(
            RequiredItem("案件名称", lambda c: snippet(c.case_title, 20)),
            RequiredItem("听证时间", lambda c: cn_datetime(c.started_at)),
            RequiredItem("听证地点", lambda c: c.place),
            RequiredItem("主持人", lambda c: f"主持人：{c.presider}", "第六十四条第（四）项"),
            RequiredItem("记录员", lambda c: f"记录员：{c.clerk}"),
            RequiredItem("当事人及代理人", lambda c: snippet(c.attendees)),
            RequiredItem("调查人员执法证号", lambda c: c.investigators[0].certificate_no),
            RequiredItem("是否公开", lambda c: "公开举行", "第六十四条第（三）项"),
            RequiredItem("听证记录", lambda c: snippet(c.content)),
            RequiredItem(
                "当事人核对签字", lambda c: "当事人（代理人）签名", "第六十四条第（八）项"
            ),
            RequiredItem("主持人注明拒签", lambda c: "主持人签名", "第六十四条第（八）项"),
            RequiredItem("听证报告", lambda c: snippet(c.report), "第六十五条"),
            RequiredItem("页码", lambda c: "第1页"),
        ),
    )
)

"""重大案件集体讨论记录 (DOMAIN.md §3.7, §3.13 no. 15).

行政处罚法 第五十七条第二款: for complex or major violations subject to heavier penalties, the
heads of the agency decide collectively. The record states the date, the chair, the attendees,
the case and the proposal discussed, each attendee's opinion and the conclusion; every
attendee signs (案卷评查标准: 重大案件集体讨论记录 4 points).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import day, many, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class Opinion:  # 参加人员及其意见
    name: str = text("参加人员")
    post: str = text("职务", required=False)
    opinion: str = text("意见")


@dataclass
class DiscussionRecord:  # 重大案件集体讨论记录
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    case_number: str = text("立案号")
    held_on: dt.date | None = day("讨论日期")
    place: str = text("讨论地点", required=False)
    chair: str = text("主持人")
    recorder: str = text("记录人")
    reporter: str = text("汇报人", required=False)
    subject: str = text("讨论事项（拟处理意见）")
    opinions: list[Opinion] = many("参加人员意见", minimum=2)
    conclusion_label: str = text("讨论结论")
    conclusion: str = text("结论内容")

    @property
    def attendee_names(self) -> str:
        return "、".join(o.name for o in self.opinions)


def sample() -> DiscussionRecord:
    return DiscussionRecord(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        case_number="陵人社监立字〔2025〕第41号",
        held_on=dt.date(2026, 3, 3),
        place="局三楼会议室",
        chair="刘局长",
        recorder="李华",
        reporter="张明",
        subject="拟给予警告，并按照受侵害的劳动者每人500元的标准处以罚款6000元",
        opinions=[
            Opinion(name="刘局长", post="局长", opinion="同意承办机构意见，裁量适当。"),
            Opinion(name="王强", post="劳动保障监察大队大队长", opinion="同意。"),
            Opinion(name="赵敏", post="法制审核员", opinion="经法制审核，同意。"),
        ],
        conclusion_label="同意拟处理意见",
        conclusion="同意对当事人给予警告，并处罚款6000元，责令改正。",
    )


DISCUSSION_RECORD = register(
    DocumentType(
        code="discussion_record",
        name="重大案件集体讨论记录",
        version="2026.1",
        context_class=DiscussionRecord,
        template="records/documents/discussion_record.html",
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"{c.case_title}集体讨论记录（{cn_date(c.held_on)}）",
        issued_on=lambda c: c.held_on,
        basis="行政处罚法 第五十七条第二款",
        required_items=(
            RequiredItem("讨论日期", lambda c: cn_date(c.held_on)),
            RequiredItem("主持人", lambda c: f"主持人：{c.chair}"),
            RequiredItem("记录人", lambda c: f"记录人：{c.recorder}"),
            RequiredItem("参加人员", lambda c: c.opinions[-1].name),
            RequiredItem("案件名称", lambda c: snippet(c.case_title, 20)),
            RequiredItem("立案号", lambda c: c.case_number),
            RequiredItem("讨论事项", lambda c: snippet(c.subject)),
            RequiredItem("每人意见", lambda c: snippet(c.opinions[0].opinion, 10)),
            RequiredItem("最后一人意见", lambda c: snippet(c.opinions[-1].opinion, 10)),
            RequiredItem("讨论结论", lambda c: c.conclusion_label, "第五十七条第二款"),
            RequiredItem("结论内容", lambda c: snippet(c.conclusion)),
            RequiredItem("参加人员签名栏", lambda c: "参加人员签名"),
        ),
    )
)

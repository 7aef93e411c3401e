"""询问笔录 (DOMAIN.md §3.5, §3.13 no. 6).

行政处罚法 第五十五条: officers show their enforcement certificates; those questioned answer
truthfully; questioning is recorded. 第四十二条: at least two officers; 第四十三条: the party may
ask an officer to withdraw (回避). The record names the officers with their certificate numbers,
the recorder, the interviewee's identity data and relation to the case, states that the
certificates were shown, that the recusal right was put and what was answered, and that the
interviewee was told to tell the truth; then the questions and answers. The interviewee reads
it, confirms it in writing and signs **every page** (the page footer carries the signature line
and "第 n 页 共 m 页"); a refusal is noted by the officers (案卷评查标准: 被询问人签名或拒签说明).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, choice, flag, many, moment, part, text
from ..formatting import cn_datetime
from ..registry import DocumentType, RequiredItem, register, snippet

SEXES = {"M": "男", "F": "女", "": ""}


@dataclass
class Person:  # 被询问人（在场人）
    name: str = text("姓名")
    sex: str = choice("性别", SEXES, required=False)
    id_number: str = text("身份证件号码", required=False)
    employer: str = text("工作单位", required=False)
    post: str = text("职务", required=False)
    phone: str = text("联系电话", required=False)
    address: str = text("住址", required=False)

    @property
    def sex_label(self) -> str:
        return SEXES.get(self.sex, "")


@dataclass
class InterviewRecord:  # 询问笔录
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    started_at: dt.datetime | None = moment("询问开始时间")
    ended_at: dt.datetime | None = moment("询问结束时间")
    place: str = text("询问地点")
    officers: list[OfficerRef] = many("询问人（执法人员）", minimum=2)
    recorder: str = text("记录人")
    person: Person = part("被询问人", Person)
    relation: str = text("与本案关系")
    ids_shown: bool = flag("已出示执法证件")
    recusal_asked: bool = flag("已告知申请回避的权利")
    recusal_answer: str = text("对回避的答复", required=False)
    truth_duty_told: bool = flag("已告知如实陈述的义务")
    content: str = text("询问内容（问答）")
    person_signed: bool = flag("被询问人已逐页签名")
    refusal_note: str = text("拒绝签名情况", required=False)

    def problems(self) -> list[str]:
        found = []
        if not self.ids_shown:
            # 行政处罚法 第五十五条第一款: 执法人员应当主动出示执法证件.
            found.append("询问前应当出示执法证件（行政处罚法 第五十五条）")
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            found.append("询问结束时间不能早于开始时间")
        return found

    @property
    def officer_names(self) -> str:
        return "、".join(o.name for o in self.officers)


def sample() -> InterviewRecord:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    return InterviewRecord(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        started_at=dt.datetime(2026, 1, 7, 9, 0, tzinfo=tz),
        ended_at=dt.datetime(2026, 1, 7, 10, 15, tzinfo=tz),
        place="陵川县人力资源和社会保障局询问室",
        officers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        recorder="李华",
        person=Person(
            name="张示例",
            sex="M",
            id_number="140524199001011234",
            employer="陵川县示例建筑劳务有限公司",
            post="项目负责人",
            phone="13900000000",
            address="山西省晋城市陵川县崇文镇示例路88号",
        ),
        relation="被调查单位的项目负责人",
        ids_shown=True,
        recusal_asked=True,
        recusal_answer="不申请回避",
        truth_duty_told=True,
        content=(
            "问：你单位安置房项目工地的钢筋、木工作业人员每天工作几个小时？\n"
            "答：早上七点到晚上七点，中午休息一小时，每天工作十一个小时。\n"
            "问：这样安排持续了多长时间？\n"
            "答：从2025年10月开始，一直到12月底。\n"
            "问：延长工作时间是否与工会和劳动者协商？是否支付了加班工资？\n"
            "答：没有协商，加班工资按天包干，没有另外支付。\n"
            "问：你还有什么要补充的吗？\n"
            "答：没有了。"
        ),
        person_signed=True,
    )


INTERVIEW_RECORD = register(
    DocumentType(
        code="interview_record",
        name="询问笔录",
        version="2026.1",
        context_class=InterviewRecord,
        template="records/documents/interview_record.html",
        page_numbers=False,  # the footer carries the signature line and 第 n 页 共 m 页 instead
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"询问笔录（{c.person.name}，{cn_datetime(c.started_at)}）",
        issued_on=lambda c: c.started_at.date() if c.started_at else None,
        basis="行政处罚法 第四十二条、第四十三条、第五十五条",
        required_items=(
            RequiredItem("询问开始时间", lambda c: cn_datetime(c.started_at)),
            RequiredItem("询问结束时间", lambda c: cn_datetime(c.ended_at)),
            RequiredItem("询问地点", lambda c: c.place),
            RequiredItem("询问人", lambda c: c.officers[0].name, "第四十二条"),
            RequiredItem("询问人执法证号", lambda c: c.officers[0].certificate_no, "第五十五条"),
            RequiredItem("第二名询问人执法证号", lambda c: c.officers[1].certificate_no),
            RequiredItem("记录人", lambda c: f"记录人：{c.recorder}"),
            RequiredItem("被询问人姓名", lambda c: c.person.name),
            RequiredItem("被询问人身份证件号码", lambda c: c.person.id_number),
            RequiredItem("被询问人工作单位", lambda c: c.person.employer),
            RequiredItem("被询问人职务", lambda c: c.person.post),
            RequiredItem("被询问人联系电话", lambda c: c.person.phone),
            RequiredItem("与本案关系", lambda c: c.relation),
            RequiredItem("出示执法证件", lambda c: "出示执法证件", "第五十五条第一款"),
            RequiredItem("告知申请回避的权利", lambda c: "申请回避", "第四十三条"),
            RequiredItem("回避答复", lambda c: c.recusal_answer),
            RequiredItem("告知如实陈述义务", lambda c: "如实回答", "第五十五条第二款"),
            RequiredItem("问答内容", lambda c: snippet(c.content)),
            RequiredItem("核对确认", lambda c: "与我说的相符"),
            RequiredItem("逐页签名栏", lambda c: "被询问人签名", "案卷评查标准"),
            RequiredItem("页码", lambda c: "第1页"),
        ),
    )
)

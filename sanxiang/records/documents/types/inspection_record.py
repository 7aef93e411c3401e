"""现场检查笔录 (DOMAIN.md §3.5, §3.13 no. 7).

劳动保障监察条例 第十五条第（一）项: the bureau may enter the employer's workplaces to inspect;
第十六条 and 行政处罚法 第四十二条、第五十五条: at least two officers, who show their certificates,
and the inspection is recorded. The record names time, place, the inspected party, the person
present, the officers with their certificate numbers, the recorder and any witnesses, what was
inspected and found, and the attached photos and audio/video recordings (山西省人社厅 音像记录清单:
现场检查 is recorded). The person present signs every page; a refusal is noted and witnessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, flag, many, moment, part, text
from ..formatting import cn_datetime
from ..registry import DocumentType, RequiredItem, register, snippet
from .interview_record import Person


@dataclass
class InspectionRecord:  # 现场检查笔录
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    started_at: dt.datetime | None = moment("检查开始时间")
    ended_at: dt.datetime | None = moment("检查结束时间")
    place: str = text("检查地点")
    party_name: str = text("被检查单位（人）")
    party_address: str = text("被检查单位地址", required=False)
    officers: list[OfficerRef] = many("检查人（执法人员）", minimum=2)
    recorder: str = text("记录人")
    present: Person = part("在场人", Person)
    witnesses: str = text("见证人", required=False)
    ids_shown: bool = flag("已出示执法证件")
    recusal_asked: bool = flag("已告知申请回避的权利")
    recusal_answer: str = text("对回避的答复", required=False)
    findings: str = text("检查情况")
    attachments: list[str] = many("附件（照片、音像记录）", required=False)
    refusal_note: str = text("拒绝签名情况", required=False)

    def problems(self) -> list[str]:
        found = []
        if not self.ids_shown:
            found.append("现场检查应当出示执法证件（行政处罚法 第五十五条）")
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            found.append("检查结束时间不能早于开始时间")
        return found


def sample() -> InspectionRecord:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    return InspectionRecord(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        started_at=dt.datetime(2026, 1, 6, 14, 30, tzinfo=tz),
        ended_at=dt.datetime(2026, 1, 6, 16, 0, tzinfo=tz),
        place="陵川县城区安置房项目工地（崇文镇示例路）",
        party_name="陵川县示例建筑劳务有限公司",
        party_address="山西省晋城市陵川县崇文镇示例路88号",
        officers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        recorder="李华",
        present=Person(name="张示例", post="项目负责人", phone="13900000000"),
        witnesses="刘示例（工地安全员）",
        ids_shown=True,
        recusal_asked=True,
        recusal_answer="不申请回避",
        findings=(
            "检查人员进入工地，向在场人出示执法证件，说明来意。\n"
            "查看项目部考勤机记录及2025年10月至12月纸质考勤表：钢筋班组12人每日7时上班、19时下班，"
            "中午休息1小时。\n调取考勤表复印件3份，由在场人核对签字。"
        ),
        attachments=["现场照片12张（证据ZJ000011至ZJ000022）", "执法记录仪录像1段（证据ZJ000023）"],
    )


INSPECTION_RECORD = register(
    DocumentType(
        code="inspection_record",
        name="现场检查笔录",
        version="2026.1",
        context_class=InspectionRecord,
        template="records/documents/inspection_record.html",
        page_numbers=False,
        stamp_at="head",
        sealed=False,
        sample=sample,
        title=lambda c: f"现场检查笔录（{c.party_name}，{cn_datetime(c.started_at)}）",
        issued_on=lambda c: c.started_at.date() if c.started_at else None,
        basis="劳动保障监察条例 第十五条、第十六条；行政处罚法 第四十二条、第五十五条",
        required_items=(
            RequiredItem("检查开始时间", lambda c: cn_datetime(c.started_at)),
            RequiredItem("检查结束时间", lambda c: cn_datetime(c.ended_at)),
            RequiredItem("检查地点", lambda c: snippet(c.place)),
            RequiredItem("被检查单位", lambda c: c.party_name),
            RequiredItem("检查人", lambda c: c.officers[0].name, "行政处罚法 第四十二条"),
            RequiredItem("检查人执法证号", lambda c: c.officers[0].certificate_no, "第五十五条"),
            RequiredItem("第二名检查人执法证号", lambda c: c.officers[1].certificate_no),
            RequiredItem("记录人", lambda c: f"记录人：{c.recorder}"),
            RequiredItem("在场人", lambda c: c.present.name),
            RequiredItem("在场人职务", lambda c: c.present.post),
            RequiredItem("见证人", lambda c: snippet(c.witnesses)),
            RequiredItem("出示执法证件", lambda c: "出示执法证件", "行政处罚法 第五十五条"),
            RequiredItem("检查情况", lambda c: snippet(c.findings)),
            RequiredItem("附件", lambda c: snippet(c.attachments[0])),
            RequiredItem("在场人核对", lambda c: "与实际情况相符"),
            RequiredItem("逐页签名栏", lambda c: "在场人签名"),
            RequiredItem("页码", lambda c: "第1页"),
        ),
    )
)

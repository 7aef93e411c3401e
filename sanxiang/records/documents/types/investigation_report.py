"""案件调查终结报告 (DOMAIN.md §3.7, §3.13 no. 10).

At the end of the investigation the handlers report: the case and how it was investigated, the
facts found, the evidence, the characterisation (which provision was violated), the applicable
law, the discretion analysis (从轻 / 一般 / 从重 and why: 行政处罚法 第三十四条, the published
benchmark) and the proposed outcome (劳动保障监察条例 第十八条; 行政处罚法 第五十七条). Signed by the
handlers; the head of the inspection body writes an opinion (案卷评查标准: 调查终结报告 3 points).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import OfficerRef, Party, day, many, part, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet


@dataclass
class InvestigationReport:  # 案件调查终结报告
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    case_number: str = text("立案号")
    source: str = text("案件来源")
    filed_on: dt.date | None = day("立案日期")
    party: Party = part("当事人", Party)
    handlers: list[OfficerRef] = many("承办人", minimum=2)
    steps: list[str] = many("调查经过")
    facts: str = text("调查认定的事实")
    evidence: list[str] = many("证据")
    characterization: str = text("定性（违反的规定）")
    basis: str = text("处理依据")
    discretion: str = text("裁量情况及理由")
    proposal: str = text("处理意见")
    reported_on: dt.date | None = day("报告日期")


def sample() -> InvestigationReport:
    from .penalty_decision import sample as decision_sample

    d = decision_sample()
    return InvestigationReport(
        agency_name=d.agency_name,
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        case_number="陵人社监立字〔2025〕第41号",
        source="投诉",
        filed_on=dt.date(2025, 12, 29),
        party=d.party,
        handlers=[
            OfficerRef(name="张明", certificate_no="晋14052420240017"),
            OfficerRef(name="李华", certificate_no="晋14052420210033"),
        ],
        steps=[
            "2026年1月6日，对当事人安置房项目工地进行现场检查，制作现场检查笔录",
            "2026年1月7日，询问当事人项目负责人张示例，制作询问笔录",
            "2026年1月8日，下达劳动保障监察限期改正指令书（陵人社监令字〔2026〕第1号）",
        ],
        facts=d.facts,
        evidence=d.evidence,
        characterization="当事人的行为违反了《中华人民共和国劳动法》第四十一条的规定，属于违法延长劳动者工作时间",
        basis=d.basis,
        discretion="一般档次：涉及劳动者12人，经责令改正逾期未改正；已于2026年2月起调整排班，在幅度内从轻考虑",
        proposal="给予警告，并按照受侵害的劳动者每人500元的标准处以罚款6000元",
        reported_on=dt.date(2026, 1, 30),
    )


INVESTIGATION_REPORT = register(
    DocumentType(
        code="investigation_report",
        name="案件调查终结报告",
        version="2026.1",
        context_class=InvestigationReport,
        template="records/documents/investigation_report.html",
        sealed=False,  # signed by the handlers; the unit head's opinion is written on it
        sample=sample,
        title=lambda c: f"{c.case_title}调查终结报告",
        issued_on=lambda c: c.reported_on,
        basis="劳动保障监察条例 第十八条；行政处罚法 第三十四条、第五十七条",
        required_items=(
            RequiredItem("案件名称", lambda c: snippet(c.case_title, 20)),
            RequiredItem("立案号", lambda c: c.case_number),
            RequiredItem("案件来源", lambda c: c.source),
            RequiredItem("立案日期", lambda c: cn_date(c.filed_on)),
            RequiredItem("当事人", lambda c: c.party.name),
            RequiredItem("承办人执法证号", lambda c: c.handlers[0].certificate_no),
            RequiredItem("调查经过", lambda c: snippet(c.steps[0])),
            RequiredItem("调查认定的事实", lambda c: snippet(c.facts)),
            RequiredItem("证据", lambda c: snippet(c.evidence[0])),
            RequiredItem("最后一项证据", lambda c: snippet(c.evidence[-1])),
            RequiredItem("定性", lambda c: snippet(c.characterization)),
            RequiredItem("处理依据", lambda c: snippet(c.basis)),
            RequiredItem("裁量理由", lambda c: snippet(c.discretion), "行政处罚法 第三十四条"),
            RequiredItem("处理意见", lambda c: snippet(c.proposal), "行政处罚法 第五十七条"),
            RequiredItem("承办人签名栏", lambda c: "承办人签名"),
            RequiredItem("负责人意见栏", lambda c: "承办机构负责人意见"),
            RequiredItem("报告日期", lambda c: cn_date(c.reported_on)),
        ),
    )
)

"""法制审核意见书 (DOMAIN.md §3.10, §3.13; 实施方案 三（三）3、4).

The written opinion of the legal-review unit on a major enforcement decision (行政处罚法 第五十八
条): the case and the proposed decision, each of the eight review points with its conclusion,
the opinion (同意 / 修改后再报 / 不同意 / 建议移送司法机关) with its reasons, the advisory opinions
obtained (法律顾问、公职律师、行业专家), the materials reviewed and the SHA-256 of the dossier
manifest the opinion is bound to, and the reviewer. It is an internal document of the agency:
numbered (法审字), signed by the reviewer, not sealed. Made by ``sanxiang.review.services``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sanxiang.cases.numbering import register_doc_type

from ..context import choice, day, many, number, text
from ..formatting import cn_date
from ..registry import DocumentType, RequiredItem, register, snippet

# The 法制审核意见书's own number series (cases.numbering: gap-free per agency and year).
register_doc_type("legal_review", "法制审核意见书", "{short}法审字〔{year}〕第{n}号")

OPINIONS = {
    "agree": "同意",
    "revise": "修改后再报",
    "disagree": "不同意",
    "transfer": "建议移送司法机关",
}
POINT_COUNT = 8  # 实施方案 三（三）3: the eight review points


@dataclass
class ReviewedPoint:  # 审核事项及结论
    label: str = text("审核事项")
    result: str = text("审核结论")
    comment: str = text("说明", required=False)


@dataclass
class ExpertOpinion:  # 咨询意见
    expert: str = text("专家")
    opinion: str = text("咨询意见")
    given_on: dt.date | None = day("出具日期")


@dataclass
class LegalReviewOpinion:  # 法制审核意见书
    agency_name: str = text("行政机关名称")
    case_title: str = text("案件名称")
    case_number: str = text("案号")
    party: str = text("当事人")
    handler_unit: str = text("承办机构")
    handlers: str = text("承办人员")
    submitted_by: str = text("送审人")
    submitted_on: dt.date | None = day("送审日期")
    round: int = number("送审轮次", default=1)
    proposal: str = text("拟作出的决定")
    facts: str = text("拟认定的事实")
    legal_basis: str = text("拟适用的依据", required=False)
    points: list[ReviewedPoint] = many("审核事项", minimum=POINT_COUNT)
    opinion: str = choice("审核意见", OPINIONS)
    reasons: str = text("审核意见的理由")
    experts: list[ExpertOpinion] = many("专家咨询意见", required=False)
    materials: list[str] = many("送审材料")
    dossier_sha256: str = text("送审案卷哈希（SHA-256）")
    reviewer: str = text("审核人")
    reviewer_unit: str = text("审核机构")
    reviewed_on: dt.date | None = day("审核日期")

    def problems(self) -> list[str]:
        found = []
        if len(self.points) != POINT_COUNT:
            found.append(f"审核事项应为{POINT_COUNT}项")
        if not re.fullmatch(r"[0-9a-f]{64}", self.dossier_sha256):
            found.append("送审案卷哈希应为64位十六进制SHA-256")
        if self.opinion == "agree" and any(p.result != "符合" for p in self.points):
            found.append("审核事项存在问题时，审核意见不能为“同意”")
        return found

    @property
    def opinion_label(self) -> str:
        return OPINIONS.get(self.opinion, self.opinion)


POINT_LABELS = (
    "行政执法主体是否合法",
    "行政执法人员是否具备执法资格",
    "行政执法程序是否合法",
    "案件事实是否清楚，证据是否合法充分",
    "适用法律、法规、规章是否准确，裁量基准运用是否适当",
    "执法是否超越执法机关法定权限",
    "行政执法文书是否完备、规范",
    "违法行为是否涉嫌犯罪、需要移送司法机关",
)


def sample() -> LegalReviewOpinion:
    comments = [
        "陵川县人力资源和社会保障局依《劳动保障监察条例》第十一条对本行政区域内用人单位实施劳动保障监察",
        "张明、李华持有有效行政执法证件，询问、检查时出示证件",
        "立案、调查、告知、陈述申辩复核等程序符合规定",
        "询问笔录、考勤记录、工资表相互印证",
        "适用《劳动保障监察条例》第二十五条，按裁量基准一般档次",
        "",
        "文书齐全，格式规范",
        "未发现涉嫌犯罪情形",
    ]
    return LegalReviewOpinion(
        agency_name="陵川县人力资源和社会保障局",
        case_title="陵川县示例建筑劳务有限公司违法延长劳动者工作时间案",
        case_number="陵人社监立字〔2026〕第3号",
        party="陵川县示例建筑劳务有限公司",
        handler_unit="劳动保障监察大队",
        handlers="张明、李华",
        submitted_by="张明",
        submitted_on=dt.date(2026, 2, 20),
        round=2,
        proposal="给予警告，并处罚款人民币三千六百元（¥3,600）",
        facts="该公司自2025年11月至2026年1月安排12名劳动者每月延长工作时间超过36小时，经责令改正逾期未改正。",
        legal_basis="《劳动保障监察条例》第二十五条；《中华人民共和国劳动法》第四十一条",
        points=[
            ReviewedPoint(label=label, result="符合", comment=comment)
            for label, comment in zip(POINT_LABELS, comments, strict=True)
        ],
        opinion="agree",
        reasons="经审核，执法主体合法，执法人员具备执法资格，程序合法，事实清楚，证据确实充分，"
        "适用依据正确，裁量适当，文书完备规范，同意承办机构的拟处理意见。",
        experts=[
            ExpertOpinion(
                expert="陈律师（法律顾问）",
                opinion="裁量档次适用正确，处罚幅度在法定范围内。",
                given_on=dt.date(2026, 2, 24),
            )
        ],
        materials=[
            "行政执法文书 4 份",
            "调查笔录 3 份",
            "当事人陈述、申辩材料 1 份",
            "执法过程记录资料 6 份",
            "拟作出的执法决定（拟处理意见第2版）",
        ],
        dossier_sha256="3f2a9c5b7e1d4a6f8b0c2e4d6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e1f2a",
        reviewer="赵敏",
        reviewer_unit="劳动监察和信访仲裁股",
        reviewed_on=dt.date(2026, 2, 26),
    )


LEGAL_REVIEW_OPINION = register(
    DocumentType(
        code="legal_review_opinion",
        name="法制审核意见书",
        version="2026.1",
        context_class=LegalReviewOpinion,
        template="records/documents/legal_review_opinion.html",
        number_code="legal_review",
        sealed=False,
        sample=sample,
        title=lambda c: f"法制审核意见书（{c.case_title}，第{c.round}轮）",
        issued_on=lambda c: c.reviewed_on,
        basis="行政处罚法 第五十八条；国办发〔2018〕118号；实施方案 三（三）",
        required_items=(
            RequiredItem("案件名称", lambda c: snippet(c.case_title, 20)),
            RequiredItem("案号", lambda c: c.case_number),
            RequiredItem("当事人", lambda c: c.party),
            RequiredItem("送审人", lambda c: f"送审人：{c.submitted_by}", "实施方案 三（三）4"),
            RequiredItem("拟作出的决定", lambda c: snippet(c.proposal)),
            RequiredItem("第一项审核事项", lambda c: POINT_LABELS[0], "实施方案 三（三）3"),
            RequiredItem("裁量基准的审核", lambda c: "裁量基准运用是否适当", "实施方案 三（三）3"),
            RequiredItem("涉嫌犯罪的审核", lambda c: POINT_LABELS[-1], "实施方案 三（三）3"),
            RequiredItem(
                "审核意见", lambda c: f"审核意见：{c.opinion_label}", "国办发〔2018〕118号"
            ),
            RequiredItem("理由", lambda c: snippet(c.reasons)),
            RequiredItem(
                "专家咨询意见", lambda c: snippet(c.experts[0].opinion), "实施方案 三（三）4"
            ),
            RequiredItem("案卷哈希", lambda c: c.dossier_sha256[:32]),
            RequiredItem("审核人", lambda c: f"审核人：{c.reviewer}", "实施方案 三（三）4"),
            RequiredItem("审核日期", lambda c: cn_date(c.reviewed_on)),
        ),
    )
)

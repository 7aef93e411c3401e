"""行政处罚事先告知书 (DOMAIN.md §3.8, §3.13 no. 12).

行政处罚法 第四十四条: before deciding, tell the party the proposed penalty, its facts, reasons
and basis, and the rights to state, defend and (第六十三条) request a hearing; 第四十五条: the
agency hears and re-checks and may not increase the penalty because the party defended itself;
第六十四条第（一）项: a hearing is requested within five days of the notice (第八十五条: working
days). The statement/defence period is not fixed by national law (DOMAIN.md §3.8): a field,
printed on the notice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..context import Party, Penalty, day, flag, many, number, part, text
from ..formatting import cn_count, cn_date, yuan_words
from ..registry import DocumentType, RequiredItem, register, snippet
from .penalty_decision import PenaltyDecision

HEARING_DAYS = 5  # 行政处罚法 第六十四条第（一）项


@dataclass
class AdvanceNotice:  # 行政处罚事先告知书
    agency_name: str = text("行政机关名称")
    party: Party = part("当事人", Party)
    case_cause: str = text("案由")
    facts: str = text("拟认定的违法事实")
    evidence: list[str] = many("证据")
    violated: str = text("违反的法律规定")
    basis: str = text("处罚依据")
    discretion: str = text("裁量理由", required=False)
    penalties: list[Penalty] = many("拟作出的行政处罚")
    statement_days: int = number("陈述申辩期限（工作日）", default=3)
    hearing: bool = flag("告知听证权利（第六十三条）")
    contact_person: str = text("联系人")
    contact_phone: str = text("联系电话")
    contact_address: str = text("联系地址")
    issued_on: dt.date | None = day("告知日期")

    def problems(self) -> list[str]:
        days = self.statement_days
        if isinstance(days, int) and not isinstance(days, bool) and not 1 <= days <= 15:
            return ["陈述申辩期限应为1至15个工作日"]
        return []

    # The proposed penalties print as the decision's do.
    penalty_text = PenaltyDecision.penalty_text

    @property
    def penalty_lines(self) -> list[str]:
        return [self.penalty_text(p) for p in self.penalties if p.kind]

    @property
    def hearing_days(self) -> int:
        return HEARING_DAYS


def sample() -> AdvanceNotice:
    from .penalty_decision import sample as decision_sample

    d = decision_sample()
    return AdvanceNotice(
        agency_name=d.agency_name,
        party=d.party,
        case_cause=d.case_cause,
        facts=d.facts,
        evidence=d.evidence,
        violated=d.violated,
        basis=d.basis,
        discretion="你单位违法延长工作时间涉及劳动者12人、持续三个月，经责令改正逾期未改正，依据本机关公布的行政处罚裁量基准属一般情形",
        penalties=d.penalties,
        statement_days=3,
        hearing=True,
        contact_person="张明",
        contact_phone="0356-0000000",
        contact_address="陵川县人力资源和社会保障局劳动保障监察大队（崇文镇示例地址）",
        issued_on=dt.date(2026, 2, 9),
    )


ADVANCE_NOTICE = register(
    DocumentType(
        code="advance_notice",
        name="行政处罚事先告知书",
        version="2026.1",
        context_class=AdvanceNotice,
        template="records/documents/advance_notice.html",
        docx_template="advance_notice.docx",
        number_code="notice",
        red_head=True,
        sample=sample,
        title=lambda c: f"{c.party.name}{c.case_cause}案行政处罚事先告知书",
        issued_on=lambda c: c.issued_on,
        basis="行政处罚法 第四十四条、第四十五条、第六十三条、第六十四条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name),
            RequiredItem("拟认定的事实", lambda c: snippet(c.facts), "第四十四条"),
            RequiredItem("违反的规定", lambda c: c.violated, "第四十四条"),
            RequiredItem("处罚依据", lambda c: snippet(c.basis), "第四十四条"),
            RequiredItem("拟作出的处罚", lambda c: "拟对", "第四十四条"),
            RequiredItem(
                "拟罚款金额",
                lambda c: f"罚款人民币{yuan_words(sum(p.amount or 0 for p in c.penalties))}",
            ),
            RequiredItem("陈述申辩权利", lambda c: "有权进行陈述和申辩", "第四十四条"),
            RequiredItem("陈述申辩期限", lambda c: f"{cn_count(c.statement_days)}个工作日内"),
            RequiredItem("不因申辩加重处罚", lambda c: "不因", "第四十五条第二款"),
            RequiredItem("听证权利", lambda c: "有权要求举行听证", "第六十三条"),
            RequiredItem(
                "听证申请期限", lambda c: "五个工作日内", "第六十四条第（一）项；第八十五条"
            ),
            RequiredItem("联系人", lambda c: c.contact_person),
            RequiredItem("联系电话", lambda c: c.contact_phone),
            RequiredItem("行政机关名称", lambda c: c.agency_name),
            RequiredItem("告知日期", lambda c: cn_date(c.issued_on)),
        ),
    )
)

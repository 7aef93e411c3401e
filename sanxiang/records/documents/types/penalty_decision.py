"""行政处罚决定书 (DOMAIN.md §3.11, §3.13 no. 17).

行政处罚法 第五十九条: the decision states (一) the party's name or title and address; (二) the
facts and evidence of the violation; (三) the kind of penalty and its legal basis; (四) the
manner and time limit of performance; (五) the channels and time limits for administrative
review and litigation; (六) the name of the deciding agency and the date of the decision; and
bears the agency's seal. Practice adds the 文号, the party's codes, whether the statement and
defence were adopted and why, the reasons for the discretion (说理), the payment account and
notice of publication (第四十八条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ..context import (
    OfficerRef,
    Party,
    PaymentAccount,
    Penalty,
    choice,
    day,
    flag,
    many,
    part,
    text,
    total_amount,
)
from ..formatting import cn_date, yuan, yuan_words
from ..registry import DocumentType, RequiredItem, register, snippet

DEFENCE_OUTCOMES = {
    "none": "当事人在规定期限内未提出陈述、申辩",
    "waived": "当事人明确表示放弃陈述、申辩",
    "adopted": "予以采纳",
    "partly": "部分予以采纳",
    "rejected": "不予采纳",
}


@dataclass
class Defence:  # 陈述、申辩及其采纳情况 (行政处罚法 第四十五条)
    outcome: str = choice("陈述申辩情况", DEFENCE_OUTCOMES)
    summary: str = text("当事人陈述申辩的主要内容", required=False)
    reasons: str = text("采纳或者不予采纳的理由", required=False)

    @property
    def heard(self) -> bool:
        return self.outcome in ("adopted", "partly", "rejected")

    @property
    def outcome_label(self) -> str:
        return DEFENCE_OUTCOMES.get(self.outcome, "")

    def problems(self) -> list[str]:
        if self.heard:
            return [
                f"请填写{label}"
                for value, label in (
                    (self.summary, "当事人陈述申辩的主要内容"),
                    (self.reasons, "采纳或者不予采纳的理由"),
                )
                if not value.strip()
            ]
        return []


@dataclass
class PenaltyDecision:  # 行政处罚决定书
    agency_name: str = text("作出决定的行政机关名称")
    party: Party = part("当事人", Party)
    case_cause: str = text("案由")
    notice_number: str = text("行政处罚事先告知书文号", required=False)
    notice_served_on: dt.date | None = day("事先告知书送达日期", required=False)
    hearing_note: str = text("听证情况", required=False)
    facts: str = text("违法事实")
    evidence: list[str] = many("证据")
    defence: Defence = part("陈述申辩", Defence)
    violated: str = text("违反的法律规定")
    basis: str = text("处罚依据")
    discretion: str = text("裁量理由")
    penalties: list[Penalty] = many("处罚种类")
    correction: str = text("责令改正内容", required=False)
    payment: PaymentAccount | None = None
    review_organ: str = text("行政复议机关")
    court: str = text("管辖人民法院")
    publish: bool = flag("依法公开", default=True)
    publication_channel: str = text("公开渠道", required=False)  # portal name and address
    issued_on: dt.date | None = day("决定日期")
    officers: list[OfficerRef] = many("承办人", required=False)

    def problems(self) -> list[str]:
        found = []
        if self.fine_total and self.payment is None:
            found.append("处以罚款的，请填写罚款缴纳账户（收款银行、户名、账号）")
        elif self.payment is not None:
            from ..context import problems as field_problems

            found += field_problems(self.payment, prefix="罚款缴纳账户的")
        if self.publish and not self.publication_channel.strip():
            # 行政处罚法 第四十八条: the party is told where the decision will be published.
            found.append("依法公开的决定，请填写公开渠道（公示平台名称和网址）")
        return found

    @property
    def fine_total(self) -> Decimal:
        return total_amount(self.penalties)

    @property
    def has_fine(self) -> bool:
        return self.fine_total > 0

    def penalty_text(self, penalty: Penalty) -> str:
        """One numbered line of the decision: 罚款人民币陆仟元整（¥6,000.00）."""
        if penalty.kind in ("fine", "confiscation") and penalty.amount:
            words = yuan_words(penalty.amount)
            head = f"{penalty.label}人民币{words}（¥{yuan(penalty.amount)}）"
        elif penalty.kind in ("warning", "criticism"):
            head = f"给予{penalty.label}"
        else:
            head = penalty.label
        return f"{head}；{penalty.detail}" if penalty.detail else head

    @property
    def penalty_lines(self) -> list[str]:
        return [self.penalty_text(p) for p in self.penalties if p.kind]


def sample() -> PenaltyDecision:
    return PenaltyDecision(
        agency_name="陵川县人力资源和社会保障局",
        party=Party(
            kind="organisation",
            name="陵川县示例建筑劳务有限公司",
            address="山西省晋城市陵川县崇文镇示例路88号",
            uscc="91140524MA0K8XYZ1Q",
            legal_representative="王示例",
        ),
        case_cause="违法延长劳动者工作时间",
        notice_number="陵人社监告字〔2026〕第2号",
        notice_served_on=dt.date(2026, 2, 10),
        facts=(
            "2025年10月至12月，你单位安排在陵川县城区安置房项目工地从事钢筋、木工作业的劳动者"
            "每日工作11小时，每月延长工作时间约70小时，超过法定上限；涉及劳动者12人。"
            "本机关于2026年1月8日向你单位送达《劳动保障监察限期改正指令书》（陵人社监令字〔2026〕"
            "第1号），责令你单位于2026年1月22日前改正，你单位逾期未改正。"
        ),
        evidence=[
            "2026年1月6日现场检查笔录及现场照片12张",
            "对你单位项目负责人张示例的询问笔录",
            "劳动者考勤记录（2025年10月至12月）复印件",
            "12名劳动者的证人证言",
            "劳动保障监察限期改正指令书及送达回证",
        ],
        defence=Defence(
            outcome="partly",
            summary="你单位提出工期紧张系建设单位要求所致，且已于2026年2月起调整排班。",
            reasons=(
                "经复核，你单位已调整排班的陈述有考勤记录佐证，予以采纳，在裁量时予以考虑；"
                "工期紧张不属于法定免责事由，不予采纳。"
            ),
        ),
        violated="《中华人民共和国劳动法》第四十一条",
        basis=(
            "《劳动保障监察条例》第二十五条“用人单位违反劳动保障法律、法规或者规章延长劳动者"
            "工作时间的，由劳动保障行政部门给予警告，责令限期改正，并可以按照受侵害的劳动者每人"
            "100元以上500元以下的标准计算，处以罚款”"
        ),
        discretion=(
            "你单位违法延长工作时间涉及劳动者12人、持续三个月，经责令改正逾期未改正，依据本机关"
            "公布的行政处罚裁量基准属一般情形；鉴于你单位已于2026年2月起调整排班，按照每人500元"
            "的标准计算"
        ),
        penalties=[
            Penalty(kind="warning"),
            Penalty(
                kind="fine",
                amount=Decimal("6000"),
                detail="按照受侵害的劳动者每人500元的标准计算，受侵害的劳动者共12人",
            ),
        ],
        correction="立即停止违法延长劳动者工作时间的行为，并依法支付延长工作时间的工资报酬",
        payment=PaymentAccount(
            bank="中国工商银行陵川县支行",
            account_name="陵川县财政局非税收入汇缴结算户",
            account_no="0508 0000 0000 0000 123",
            e_payment="山西省非税收入电子缴款系统",
        ),
        review_organ="陵川县人民政府",
        court="陵川县人民法院",
        publish=True,
        publication_channel="陵川县人民政府门户网站",
        issued_on=dt.date(2026, 3, 5),
    )


PENALTY_DECISION = register(
    DocumentType(
        code="penalty_decision",
        name="行政处罚决定书",
        version="2026.2",
        context_class=PenaltyDecision,
        template="records/documents/penalty_decision.html",
        docx_template="penalty_decision.docx",
        number_code="penalty",
        red_head=True,
        sample=sample,
        title=lambda c: f"{c.party.name}{c.case_cause}案行政处罚决定书",
        issued_on=lambda c: c.issued_on,
        basis="行政处罚法 第五十九条",
        required_items=(
            RequiredItem("当事人的名称", lambda c: c.party.name, "第五十九条第一款第（一）项"),
            RequiredItem(
                "当事人的地址", lambda c: snippet(c.party.address), "第五十九条第一款第（一）项"
            ),
            RequiredItem("统一社会信用代码", lambda c: c.party.uscc),
            RequiredItem("法定代表人", lambda c: c.party.legal_representative),
            RequiredItem("违法事实", lambda c: snippet(c.facts), "第五十九条第一款第（二）项"),
            RequiredItem("证据", lambda c: snippet(c.evidence[0]), "第五十九条第一款第（二）项"),
            RequiredItem(
                "最后一项证据", lambda c: snippet(c.evidence[-1]), "第五十九条第一款第（二）项"
            ),
            RequiredItem("陈述申辩采纳情况", lambda c: c.defence.outcome_label, "第四十五条"),
            RequiredItem("采纳与否的理由", lambda c: snippet(c.defence.reasons), "第四十五条"),
            RequiredItem("违反的规定", lambda c: c.violated, "第五十九条第一款第（三）项"),
            RequiredItem("处罚依据", lambda c: snippet(c.basis), "第五十九条第一款第（三）项"),
            RequiredItem("裁量理由", lambda c: snippet(c.discretion)),
            RequiredItem("处罚种类", lambda c: "给予警告", "第五十九条第一款第（三）项"),
            RequiredItem(
                "罚款金额（大写）",
                lambda c: f"罚款人民币{yuan_words(c.fine_total)}",
                "第五十九条第一款第（三）项",
            ),
            RequiredItem("罚款金额（小写）", lambda c: f"¥{yuan(c.fine_total)}"),
            RequiredItem(
                "履行期限",
                lambda c: "自收到本决定书之日起十五日内",
                "第五十九条第一款第（四）项；第六十七条",
            ),
            RequiredItem(
                "履行方式（收款银行）", lambda c: c.payment.bank, "第五十九条第一款第（四）项"
            ),
            RequiredItem("缴款账号", lambda c: c.payment.account_no),
            RequiredItem("加处罚款", lambda c: "每日按罚款数额的百分之三加处罚款", "第七十二条"),
            RequiredItem(
                "复议期限", lambda c: "六十日内", "第五十九条第一款第（五）项；行政复议法 第二十条"
            ),
            RequiredItem(
                "复议机关",
                lambda c: f"向{c.review_organ}申请行政复议",
                "第五十九条第一款第（五）项",
            ),
            RequiredItem(
                "诉讼期限",
                lambda c: "六个月内",
                "第五十九条第一款第（五）项；行政诉讼法 第四十六条",
            ),
            RequiredItem(
                "管辖法院", lambda c: f"向{c.court}提起行政诉讼", "第五十九条第一款第（五）项"
            ),
            RequiredItem(
                "公开告知",
                lambda c: f"本决定将依法在{c.publication_channel}公开" if c.publish else "",
                "第四十八条",
            ),
            RequiredItem("行政机关名称", lambda c: c.agency_name, "第五十九条第一款第（六）项"),
            RequiredItem(
                "作出决定的日期", lambda c: cn_date(c.issued_on), "第五十九条第一款第（六）项"
            ),
            RequiredItem("印章位置", lambda c: "（印章）", "第五十九条第二款"),
        ),
    )
)

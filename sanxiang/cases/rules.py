"""Pure rules of case handling (no database): limitation, hearing eligibility, "no heavier
penalty", summary-procedure limits, automatic major-case criteria, service receipts.

Each returns Chinese reasons (or None / an empty list when the rule is satisfied) so that the
officer sees *why* (STYLE.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sanxiang.lib.money import format_yuan

from .choices import (
    HEARING_PENALTY_TYPES,
    NOTICE_OUTCOMES,
    ON_SPOT_PENALTY_TYPES,
    PENALTY_RANK,
    OutcomeKind,
    PenaltyType,
    ReceiverRelation,
    ServiceMethod,
)


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def penalty_labels(types: Iterable[str]) -> str:
    labels = dict(PenaltyType.choices)
    return "、".join(labels.get(t, t) for t in sorted(types, key=lambda t: PENALTY_RANK.get(t, 99)))


# --- limitation (劳动保障监察条例 第二十条) ---------------------------------------------------


def add_years(day: dt.date, years: int) -> dt.date:
    """The corresponding date ``years`` later; 29 Feb → 28 Feb (民法典 第二百零二条)."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def limitation_problem(
    *,
    received_on: dt.date,
    violation_from: dt.date | None,
    violation_until: dt.date | None,
    continuing: bool,
    years: int = 2,
) -> str | None:
    """Why the violation may be out of time when it came to the bureau's notice, or None.

    劳动保障监察条例 第二十条: a violation not discovered, reported or complained of within 2
    years is not pursued; the period runs from the act, or from its end when it is continuing.
    行政处罚法 第三十六条 has the same 2 years (5 for life, health or financial security).
    """
    if continuing:
        return None
    end = violation_until or violation_from
    if end is None:
        return "未填写违法行为发生或终了日期，无法核查两年查处时效（劳动保障监察条例第二十条）"
    limit = add_years(end, years)
    if received_on > limit:
        return (
            f"违法行为终了于{cn_date(end)}，至{cn_date(received_on)}发现（投诉、举报）时已超过"
            f"{years}年（劳动保障监察条例第二十条：不再查处）"
        )
    return None


# --- sanctions: hearing, "no heavier", summary procedure ---------------------------------------


@dataclass(frozen=True)
class Sanction:
    """What a proposal or decision imposes, as plain values."""

    kind: str
    penalty_types: frozenset[str] = field(default_factory=frozenset)
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    compensation: Decimal | None = None

    @property
    def fine_amount(self) -> Decimal:
        return self.fine or Decimal(0)


def hearing_basis(
    sanction: Sanction,
    *,
    natural_person: bool,
    fine_threshold_person: Decimal,
    fine_threshold_org: Decimal,
) -> str:
    """The ground on which the party must be told of its right to a hearing ("" = none).

    行政处罚法 第六十三条第一款: (一) 较大数额罚款; (二) 没收较大数额违法所得、没收较大价值
    非法财物; (三) 降低资质等级、吊销许可证件; (四) 责令停产停业、责令关闭、限制从业.
    The 较大数额 thresholds are set per jurisdiction (config); "以上" includes the amount.
    """
    if sanction.kind != OutcomeKind.PENALTY:
        return ""
    threshold = fine_threshold_person if natural_person else fine_threshold_org
    who = "公民" if natural_person else "法人或者其他组织"
    grounds = []
    if sanction.fine is not None and sanction.fine >= threshold:
        grounds.append(
            f"罚款{format_yuan(sanction.fine)}，达到对{who}较大数额罚款标准{format_yuan(threshold)}"
            "（第六十三条第一款第（一）项）"
        )
    if sanction.confiscation is not None and sanction.confiscation >= threshold:
        grounds.append(
            f"没收违法所得{format_yuan(sanction.confiscation)}，属于较大数额（第六十三条第一款第（二）项）"
        )
    heavy = sanction.penalty_types & HEARING_PENALTY_TYPES
    if heavy:
        grounds.append(f"拟{penalty_labels(heavy)}（第六十三条第一款第（三）、（四）项）")
    return "；".join(grounds)


def heavier_reasons(new: Sanction, old: Sanction) -> list[str]:
    """Why ``new`` is heavier than ``old`` (the notified one); empty when it is not.

    行政处罚法 第四十五条第二款: 行政机关不得因当事人陈述、申辩而给予更重的处罚. Heavier means:
    a sanction of a kind that was not notified (a 行政处理 turned into a penalty), a higher fine,
    confiscation or compensation, or a penalty type added that is not a lighter substitute for
    one removed (a warning instead of a fine is lighter; a warning on top of a fine is not).
    """
    reasons = []
    if old.kind not in NOTICE_OUTCOMES or new.kind not in NOTICE_OUTCOMES:
        return []  # 不予处罚、撤销立案、移送 are never heavier than a notified sanction
    if old.kind == OutcomeKind.HANDLING and new.kind == OutcomeKind.PENALTY:
        return ["告知的是行政处理，现拟作出行政处罚，重于告知的内容"]
    for label, a, b in (
        ("罚款", new.fine, old.fine),
        ("没收违法所得", new.confiscation, old.confiscation),
        ("加付赔偿金", new.compensation, old.compensation),
    ):
        if (a or 0) > (b or 0):
            reasons.append(f"{label}由{format_yuan(b or Decimal(0))}增加到{format_yuan(a)}")
    added = new.penalty_types - old.penalty_types
    removed = old.penalty_types - new.penalty_types
    for t in sorted(added, key=lambda t: PENALTY_RANK.get(t, 99)):
        if t == PenaltyType.FINE and not old.fine and new.fine:
            continue  # reported above as a higher fine
        lighter_substitute = removed and all(
            PENALTY_RANK.get(t, 99) < PENALTY_RANK.get(r, 0) for r in removed
        )
        if not lighter_substitute:
            reasons.append(f"增加了告知中没有的处罚种类“{penalty_labels([t])}”")
    return reasons


def sanction_problems(sanction: Sanction) -> list[str]:
    """Internal consistency of a penalty's types and amounts."""
    problems = []
    types = sanction.penalty_types
    unknown = sorted(types - set(PenaltyType.values))
    if unknown:
        problems.append(f"未知的处罚种类：{'、'.join(unknown)}")
    if sanction.kind == OutcomeKind.PENALTY:
        if not types:
            problems.append("请选择处罚种类（行政处罚法第九条）")
        if PenaltyType.FINE in types and not sanction.fine:
            problems.append("处罚种类含罚款，请填写罚款金额")
        if PenaltyType.FINE not in types and sanction.fine:
            problems.append("填写了罚款金额，但处罚种类中没有“罚款”")
        if PenaltyType.CONFISCATE_GAINS in types and not sanction.confiscation:
            problems.append("处罚种类含没收违法所得，请填写没收金额")
    elif types or sanction.fine or sanction.confiscation:
        problems.append("只有行政处罚才能填写处罚种类和罚款、没收金额")
    return problems


def simplified_problems(
    sanction: Sanction, *, natural_person: bool, limit_person: Decimal, limit_org: Decimal
) -> list[str]:
    """行政处罚法 第五十一条: 违法事实确凿并有法定依据, 对公民处以二百元以下、对法人或者其他
    组织处以三千元以下罚款或者警告的, 可以当场作出行政处罚决定."""
    problems = []
    if sanction.kind != OutcomeKind.PENALTY or not sanction.penalty_types:
        return ["当场处罚只能作出警告或罚款（行政处罚法第五十一条）"]
    other = sanction.penalty_types - ON_SPOT_PENALTY_TYPES
    if other:
        problems.append(
            f"当场处罚只能作出警告或罚款，不能{penalty_labels(other)}（行政处罚法第五十一条）"
        )
    limit = limit_person if natural_person else limit_org
    who = "公民" if natural_person else "法人或者其他组织"
    if sanction.fine is not None and sanction.fine > limit:
        problems.append(
            f"当场处罚对{who}的罚款不得超过{format_yuan(limit)}，拟罚款{format_yuan(sanction.fine)}，"
            "应适用普通程序（行政处罚法第五十一条）"
        )
    return problems


def auto_major_reasons(sanction: Sanction) -> list[str]:
    """Built-in criteria for flagging a case major automatically when its proposal is made.

    实施方案 三（一）2 / 国办发〔2018〕118号: decisions that 直接关系行政相对人或第三人重大权益 need
    legal review; a licence revocation, closure, suspension of business or restriction of
    employment is such a decision. The bureau's own catalogue (重大执法决定法制审核目录清单)
    adds criteria through ``gates.register_major_criterion``.
    """
    heavy = sanction.penalty_types & HEARING_PENALTY_TYPES
    if sanction.kind == OutcomeKind.PENALTY and heavy:
        return [f"拟{penalty_labels(heavy)}，直接关系当事人重大权益（国办发〔2018〕118号）"]
    return []


# --- service receipts (送达回证) ----------------------------------------------------------------


@dataclass(frozen=True)
class ServiceFacts:
    method: str
    served_on: dt.date | None
    receiver_name: str = ""
    receiver_relation: str = ""
    refusal_reason: str = ""
    witnesses: str = ""
    recording_ref: str = ""
    postal_no: str = ""
    entrusted_to: str = ""
    consent_signed_on: dt.date | None = None  # the e-service consent, when there is one
    published_on: dt.date | None = None
    publication_medium: str = ""
    public_reason: str = ""
    addressee: str = ""


def service_problems(s: ServiceFacts) -> list[str]:
    """What a 送达回证 lacks for its method (民事诉讼法 第八十七条至第九十五条;
    行政处罚法 第六十一条)."""
    p = []
    if s.method not in ServiceMethod.values:
        return ["请选择送达方式"]
    if not s.addressee:
        p.append("请填写受送达人")
    if s.method != ServiceMethod.PUBLIC and s.served_on is None:
        p.append("请填写送达日期（签收日期）")
    if s.method in (ServiceMethod.DIRECT, ServiceMethod.ENTRUSTED):
        if not s.receiver_name:
            p.append("请填写签收人（民事诉讼法第八十七条：受送达人在送达回证上签收）")
        if s.receiver_relation not in ReceiverRelation.values:
            p.append("请选择签收人身份（本人、同住成年家属、法定代表人等，民事诉讼法第八十八条）")
    if s.method == ServiceMethod.ENTRUSTED and not s.entrusted_to:
        p.append("委托送达请填写受委托机关")
    if s.method == ServiceMethod.LEFT:
        if not s.refusal_reason:
            p.append("留置送达请在送达回证上记明拒收事由和日期（民事诉讼法第八十九条）")
        if not s.witnesses and not s.recording_ref:
            p.append(
                "留置送达须有见证人签名，或者采用拍照、录像等方式记录送达过程（民事诉讼法第八十九条）"
            )
    if s.method == ServiceMethod.POST and not s.postal_no:
        p.append("邮寄送达请填写邮件号码，以回执上注明的收件日期为送达日期（民事诉讼法第九十一条）")
    if s.method == ServiceMethod.ELECTRONIC:
        if s.consent_signed_on is None:
            p.append("电子送达须当事人同意并签订确认书（行政处罚法第六十一条第二款）")
        elif s.served_on is not None and s.consent_signed_on > s.served_on:
            p.append("电子送达确认书签署日期晚于送达日期")
    if s.method == ServiceMethod.PUBLIC:
        if s.published_on is None:
            p.append("公告送达请填写公告日期")
        if not s.public_reason:
            p.append(
                "公告送达请记明受送达人下落不明或者用其他方式无法送达的情况（民事诉讼法第九十五条）"
            )
        if not s.publication_medium:
            p.append("公告送达请填写公告载体")
    return p


def public_service_earliest(published_on: dt.date) -> dt.date:
    """民事诉讼法 第九十五条: 自发出公告之日起, 经过三十日, 即视为送达 (before rolling)."""
    return published_on + dt.timedelta(days=30)


def first(items: Sequence, default=None):
    return items[0] if items else default

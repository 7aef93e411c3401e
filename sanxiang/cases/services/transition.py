"""``case_transition``: the one service that executes any row of the transition table.

    case_transition(case=case, action="file", actor=wangqiang, filed_on=date(2026, 3, 2))

In one transaction: lock the case; check the actor's permission (and team membership for
officers' acts); validate the entered values (Chinese ``DomainError`` naming the field); build
``CaseFacts`` for the action's date; refuse with ``Blocked(reasons)`` when any guard or check
fails; otherwise write the action's records, move the state, apply its clocks through
``cases.clocks`` and record ``case.<action>`` in the ledger. A refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from sanxiang.lib.errors import Blocked, DomainError

from .. import clocks, config, numbering, rules, selectors, workflow
from ..choices import (
    NO_SERVICE_OUTCOMES,
    NOTICE_OUTCOMES,
    ClosingReason,
    DeadlineKind,
    Disposition,
    FlagKind,
    FlagSource,
    HearingOutcome,
    OutcomeKind,
    PenaltyType,
    Procedure,
    ServiceMethod,
    ServicePurpose,
    TeamRole,
)
from ..models import (
    Assignment,
    Case,
    CaseFlag,
    Decision,
    Hearing,
    Notice,
    Proposal,
    Reminder,
)
from . import common
from .servicerec import build_service_record

K = DeadlineKind

DECISION_DOC_TYPES = {
    OutcomeKind.PENALTY: "penalty",
    OutcomeKind.HANDLING: "handling",
    OutcomeKind.NO_PENALTY: "no_penalty",
    OutcomeKind.TRANSFER_AGENCY: "transfer",
    OutcomeKind.TRANSFER_JUDICIAL: "transfer",
    # 撤销立案 is an internal approval (撤销立案审批表) and gets no outgoing document number.
}
DECISION_DOC_NAMES = {
    OutcomeKind.PENALTY: "行政处罚决定书",
    OutcomeKind.HANDLING: "劳动保障监察行政处理决定书",
    OutcomeKind.NO_PENALTY: "不予行政处罚决定书",
}
# 行政复议法 第二十条, 行政诉讼法 第四十六条 (printed on decisions, 行政处罚法 第五十九条).
DEFAULT_REMEDY = (
    "如不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，"
    "或者在六个月内依法向人民法院提起行政诉讼。"
)


class Context:
    """What an action's preparation and effect share."""

    def __init__(self, *, case: Case, actor, params: dict, today: dt.date):
        self.case = case
        self.actor = actor
        self.params = params
        self.today = today
        self.on: dt.date = today
        self.facts: workflow.CaseFacts | None = None
        self.ledger: dict = {}


# --- preparation: validate entered values (before any guard) -----------------------------------


def _on(ctx: Context, t: workflow.Transition, label: str) -> None:
    raw = ctx.params.get(t.date_param, ctx.today)
    ctx.on = common.date(raw, field=t.date_param, label=label)
    ctx.params[t.date_param] = ctx.on


def _prep_file(ctx, t):
    _on(ctx, t, "立案日期")
    reason = common.long_text(
        ctx.params.get("limitation_reason", ctx.case.limitation_reason),
        field="limitation_reason",
        label="超过两年仍予查处的理由",
        required=False,
    )
    ctx.case.limitation_reason = reason  # read by the limitation guard; saved only on success


def _prep_request_supplement(ctx, t):
    _on(ctx, t, "告知补正日期")
    ctx.params["items"] = common.long_text(
        ctx.params.get("items"), field="items", label="需补正的材料", required=False
    )


def _prep_supplement_received(ctx, t):
    _on(ctx, t, "收到补正材料日期")


def _prep_decline(ctx, t):
    _on(ctx, t, "决定日期")
    ctx.params["reason"] = common.long_text(
        ctx.params.get("reason"), field="reason", label="理由", required=False
    )
    ctx.params["competent_body"] = common.text(
        ctx.params.get("competent_body"),
        field="competent_body",
        label="有管辖权的机关",
        max_length=100,
        required=False,
    )
    # 若干规定 第十八条第一款: a complaint that is not accepted is refused within 5 working days
    # "并书面通知投诉人" — the refusal of a named complainant's complaint is recorded only with
    # the date the written notice (不予受理通知书) was given. Reports (anonymous or not) and leads
    # the bureau found itself have nobody who must be notified: the date stays optional there.
    must_notify = selectors.named_complainants(ctx.case).exists()
    if must_notify and ctx.params.get("notified_on") in (None, ""):
        raise DomainError(
            "投诉不予受理的，应当书面通知投诉人（若干规定第十八条）：请填写书面告知日期",
            field="notified_on",
        )
    ctx.params["notified_on"] = common.date(
        ctx.params.get("notified_on"),
        field="notified_on",
        label="书面告知日期",
        required=must_notify,
        not_before=ctx.on,
        not_before_label="决定日期",
    )


def _prep_conclude(ctx, t):
    _on(ctx, t, "调查终结日期")


def _prep_reopen(ctx, t):
    _on(ctx, t, "补充调查日期")
    ctx.params["reason"] = common.long_text(
        ctx.params.get("reason"), field="reason", label="补充调查的理由", required=False
    )


def _prep_notify(ctx, t):
    _on(ctx, t, "告知书送达日期")
    proposal = selectors.current_proposal(ctx.case)
    ctx.params["_proposal"] = proposal
    if proposal is None or proposal.kind not in NOTICE_OUTCOMES:
        return  # the guards report it
    ctx.params["_service"] = build_service_record(
        case=ctx.case,
        actor=ctx.actor,
        purpose=ServicePurpose.NOTICE,
        data=dict(ctx.params.get("service") or {}, served_on=ctx.on),
        document_name="行政处罚（处理）事先告知书",
    )


def _prep_request_hearing(ctx, t):
    _on(ctx, t, "申请听证日期")
    ctx.params["note"] = common.long_text(
        ctx.params.get("note"), field="note", label="申请内容", required=False
    )


def _prep_end_hearing(ctx, t):
    _on(ctx, t, "听证结束日期")
    ctx.params["_hearing"] = (
        Hearing.objects.select_for_update().filter(case=ctx.case).order_by("-pk").first()
    )


def _prep_submit(ctx, t):
    _on(ctx, t, "提请日期")


def _prep_decide(ctx, t):
    _on(ctx, t, "决定日期")
    ctx.params["content"] = common.long_text(
        ctx.params.get("content"), field="content", label="决定内容", required=False
    )
    ctx.params["remedy_note"] = common.long_text(
        ctx.params.get("remedy_note"), field="remedy_note", label="救济途径", required=False
    )


def _prep_serve(ctx, t):
    data = dict(ctx.params.get("service") or {})
    if data.get("method") == ServiceMethod.PUBLIC:
        published_on = common.date(data.get("published_on"), field="published_on", label="公告日期")
        deemed, reason = clocks.public_service_date(published_on)
        if deemed is None:
            raise DomainError(f"无法计算视为送达日期：{reason}", field="published_on")
        if deemed > ctx.today:
            raise DomainError(
                f"公告送达自发出公告之日起经过三十日视为送达（民事诉讼法第九十五条），"
                f"{rules.cn_date(deemed)}方可确认送达",
                field="published_on",
            )
        ctx.params[t.date_param] = deemed
    _on(ctx, t, "送达日期")
    decision = Decision.objects.filter(case=ctx.case).first()
    ctx.params["_decision"] = decision
    if decision is None or decision.kind in NO_SERVICE_OUTCOMES:
        return  # reported by the guard
    data["served_on"] = ctx.on
    ctx.params["_service"] = build_service_record(
        case=ctx.case,
        actor=ctx.actor,
        purpose=ServicePurpose.DECISION,
        data=data,
        document_name=DECISION_DOC_NAMES.get(decision.kind, "决定书"),
        document_number=decision.number or "",
    )


def _prep_remind(ctx, t):
    _on(ctx, t, "催告书送达日期")
    ctx.params["issued_on"] = common.date(
        ctx.params.get("issued_on", ctx.on), field="issued_on", label="催告日期"
    )
    if ctx.params["issued_on"] > ctx.on:
        raise DomainError("催告日期不能晚于送达日期", field="issued_on")
    ctx.params["content"] = common.long_text(
        ctx.params.get("content"), field="content", label="催告内容"
    )
    ctx.params["_service"] = build_service_record(
        case=ctx.case,
        actor=ctx.actor,
        purpose=ServicePurpose.REMINDER,
        data=dict(ctx.params.get("service") or {}, served_on=ctx.on),
        document_name="履行催告书",
    )


def _prep_close(ctx, t):
    _on(ctx, t, "结案日期")
    ctx.params["closing_reason"] = common.choice(
        ctx.params.get("closing_reason"), ClosingReason, field="closing_reason", label="结案情形"
    )
    ctx.params["evidence"] = common.long_text(
        ctx.params.get("evidence"), field="evidence", label="执行情况及证据", required=False
    )


def _prep_transfer(ctx, t):
    _on(ctx, t, "移送日期")
    ctx.params["transfer_to"] = common.text(
        ctx.params.get("transfer_to"),
        field="transfer_to",
        label="接收移送的机关",
        max_length=100,
        required=False,
    )
    ctx.params["reason"] = common.long_text(
        ctx.params.get("reason"), field="reason", label="移送理由", required=False
    )
    ctx.params["materials"] = common.long_text(
        ctx.params.get("materials"), field="materials", label="移送材料清单", required=False
    )


def _prep_decide_on_spot(ctx, t):
    from sanxiang.registry import selectors as registry

    _on(ctx, t, "当场处罚日期")
    p = ctx.params
    types = p.get("penalty_types") or []
    if not isinstance(types, (list, tuple)) or not types:
        raise DomainError("请选择处罚种类（警告或罚款）", field="penalty_types")
    for value in types:
        common.choice(value, PenaltyType, field="penalty_types", label="处罚种类")
    fine = common.money(p.get("fine_amount"), field="fine_amount", label="罚款金额")
    sanction = rules.Sanction(kind=OutcomeKind.PENALTY, penalty_types=frozenset(types), fine=fine)
    problems = rules.sanction_problems(sanction)
    if problems:
        raise DomainError("；".join(problems), field="penalty_types")
    p["_sanction"] = sanction
    p["_limits"] = config.rules_for(ctx.case.agency)
    officers = list(dict.fromkeys(p.get("officers") or []))
    if ctx.actor not in officers:
        officers.insert(0, ctx.actor)
    p["officers"] = officers
    team = registry.team_problems(users=officers, on=ctx.on, act="当场处罚")
    if team:
        raise Blocked(team)
    p["facts"] = common.long_text(p.get("facts"), field="facts", label="违法事实", required=False)
    p["legal_basis"] = common.long_text(p.get("legal_basis"), field="legal_basis", label="处罚依据")
    p["place"] = common.text(p.get("place"), field="place", label="当场处罚地点", max_length=200)
    p["refusal_note"] = common.text(
        p.get("refusal_note"),
        field="refusal_note",
        label="拒绝签收情况",
        max_length=200,
        required=False,
    )
    p["party_signed"] = bool(p.get("party_signed"))
    if not p["party_signed"] and not p["refusal_note"]:
        # 行政处罚法 第五十二条: 当场交付当事人; 当事人拒绝签收的, 应当在决定书上注明.
        raise DomainError(
            "当场处罚决定书应当场交付当事人签收；拒绝签收的，应当注明", field="refusal_note"
        )


PREPARE: dict[str, Callable] = {
    "file": _prep_file,
    "request_supplement": _prep_request_supplement,
    "supplement_received": _prep_supplement_received,
    "decline": _prep_decline,
    "conclude": _prep_conclude,
    "reopen": _prep_reopen,
    "notify": _prep_notify,
    "request_hearing": _prep_request_hearing,
    "end_hearing": _prep_end_hearing,
    "submit": _prep_submit,
    "decide": _prep_decide,
    "serve": _prep_serve,
    "remind": _prep_remind,
    "close": _prep_close,
    "transfer": _prep_transfer,
    "decide_on_spot": _prep_decide_on_spot,
}


# --- effects: what each action writes (after every guard passed) ---------------------------------


def _do_file(ctx):
    case, on = ctx.case, ctx.on
    case.filed_on, case.filed_by = on, ctx.actor
    _, case.case_no = numbering.number_next(agency=case.agency, doc_type="filing", year=on.year)
    clocks.close_clock(case=case, kind=K.ACCEPTANCE, on=on, note="已受理并立案")
    clocks.close_clock(case=case, kind=K.VERIFICATION, on=on, note="已立案")
    clocks.open_clock(case=case, kind=K.INVESTIGATION, start=on)
    clocks.open_clock(case=case, kind=K.DECISION, start=on)
    common.touch(case, "filed_on", "filed_by", "case_no", "limitation_reason")
    return {"case_no": case.case_no, "filed_on": on, "limitation_reason": case.limitation_reason}


def _do_request_supplement(ctx):
    ctx.case.supplement_items = ctx.params["items"]
    common.touch(ctx.case, "supplement_items")
    clocks.close_clock(case=ctx.case, kind=K.ACCEPTANCE, on=ctx.on, note="已告知补正材料")
    return {"items": ctx.params["items"], "notified_on": ctx.on}


def _do_supplement_received(ctx):
    # 若干规定 第十八条: the 5 working days run again from receipt of the complete materials.
    clocks.open_clock(case=ctx.case, kind=K.ACCEPTANCE, start=ctx.on)
    return {"received_on": ctx.on}


def _do_decline(ctx):
    case, p = ctx.case, ctx.params
    case.disposition = p["disposition"]
    case.disposition_reason = p["reason"]
    case.competent_body = p["competent_body"]
    case.disposition_notified_on = p["notified_on"]
    case.disposition_decided_on = ctx.on
    common.touch(
        case,
        "disposition",
        "disposition_reason",
        "competent_body",
        "disposition_decided_on",
        "disposition_notified_on",
    )
    clocks.close_clock(
        case=case, kind=K.ACCEPTANCE, on=ctx.on, note=Disposition(p["disposition"]).label
    )
    clocks.close_clock(
        case=case, kind=K.VERIFICATION, on=ctx.on, note=Disposition(p["disposition"]).label
    )
    clocks.close_all(case=case, on=ctx.on, note="未立案")
    return {
        "disposition": p["disposition"],
        "reason": p["reason"],
        "competent_body": p["competent_body"],
        "decided_on": ctx.on,
        "notified_on": p["notified_on"],
    }


def _do_conclude(ctx):
    clocks.close_clock(case=ctx.case, kind=K.INVESTIGATION, on=ctx.on, note="调查终结")
    proposal = ctx.facts.proposal
    return {
        "concluded_on": ctx.on,
        "proposal_revision": proposal.revision,
        "outcome": proposal.kind,
    }


def _do_reopen(ctx):
    clocks.reopen_clock(case=ctx.case, kind=K.INVESTIGATION)
    return {"reason": ctx.params["reason"], "on": ctx.on}


def _do_notify(ctx):
    case, on = ctx.case, ctx.on
    proposal = ctx.params["_proposal"]
    limits = config.rules_for(case.agency)
    basis = ctx.facts.proposal.hearing_basis
    _, number = numbering.number_next(agency=case.agency, doc_type="notice", year=on.year)
    notice = Notice.objects.create(
        case=case,
        proposal=proposal,
        number=number,
        served_on=on,
        defence_workdays=limits.defence_workdays,
        hearing_eligible=bool(basis),
        hearing_basis=basis,
        created_by=ctx.actor,
    )
    ref = f"notice:{notice.pk}"
    defence = clocks.open_clock(
        case=case,
        kind=K.DEFENCE,
        start=on,
        length=limits.defence_workdays,
        ref=ref,
        basis=f"行政处罚法第四十五条：告知书载明{limits.defence_workdays}个工作日内陈述、申辩",
    )
    notice.defence_due = defence.due
    if basis:
        hearing = clocks.open_clock(case=case, kind=K.HEARING_REQUEST, start=on, ref=ref)
        notice.hearing_request_due = hearing.due
    notice.save(update_fields=["defence_due", "hearing_request_due"])
    service = ctx.params["_service"]
    service.document_number = number
    service.save()
    return {
        "notice": number,
        "served_on": on,
        "proposal_revision": proposal.revision,
        "defence_due": notice.defence_due,
        "hearing_eligible": bool(basis),
        "hearing_basis": basis,
        "hearing_request_due": notice.hearing_request_due,
        "service_method": service.method,
    }


def _do_request_hearing(ctx):
    case, on = ctx.case, ctx.on
    notice = Notice.objects.filter(case=case).order_by("-pk").first()
    hearing = Hearing.objects.create(
        case=case,
        notice=notice,
        requested_on=on,
        request_note=ctx.params["note"],
        recorded_by=ctx.actor,
    )
    clocks.close_clock(
        case=case, kind=K.HEARING_REQUEST, ref=f"notice:{notice.pk}", on=on, note="当事人已申请听证"
    )
    clocks.suspend_clock(
        case=case,
        kind=K.DECISION,
        on=on,
        reason="听证期间不计入作出决定的期限（人力资源社会保障行政处罚办法）",
    )
    return {"hearing": hearing.pk, "requested_on": on}


def _do_end_hearing(ctx):
    case, on = ctx.case, ctx.on
    hearing: Hearing = ctx.params["_hearing"]
    hearing.ended_on = on
    hearing.save(update_fields=["ended_on"])
    clocks.resume_clock(case=case, kind=K.DECISION, last_excluded=on)
    clocks.close_clock(
        case=case, kind=K.DEFENCE, ref=f"notice:{hearing.notice_id}", on=on, note="听证程序结束"
    )
    if hearing.outcome == HearingOutcome.HELD:
        # 行政处罚法 第五十八条第一款第（二）项: a decision after a hearing needs legal review.
        CaseFlag.objects.create(
            case=case,
            kind=FlagKind.MAJOR,
            source=FlagSource.HEARING,
            reason="经过听证程序（行政处罚法第五十八条第一款第（二）项）",
            set_on=on,
            set_by=ctx.actor,
        )
        if not case.is_major:
            case.is_major = True
            common.touch(case, "is_major")
    return {"hearing": hearing.pk, "outcome": hearing.outcome, "ended_on": on}


def _do_submit(ctx):
    notice = Notice.objects.filter(case=ctx.case).order_by("-pk").first()
    if notice is not None:
        ref = f"notice:{notice.pk}"
        clocks.close_clock(case=ctx.case, kind=K.DEFENCE, ref=ref, on=ctx.on, note="已提请决定")
        clocks.close_clock(
            case=ctx.case, kind=K.HEARING_REQUEST, ref=ref, on=ctx.on, note="已提请决定"
        )
    return {"on": ctx.on, "proposal_revision": ctx.facts.proposal.revision}


def _do_decide(ctx):
    case, on = ctx.case, ctx.on
    proposal = selectors.current_proposal(case)
    doc_type = DECISION_DOC_TYPES.get(proposal.kind, "")
    number = None
    if doc_type:
        _, number = numbering.number_next(agency=case.agency, doc_type=doc_type, year=on.year)
    Decision.objects.create(
        case=case,
        kind=proposal.kind,
        proposal=proposal,
        doc_type=doc_type,
        number=number,
        decided_on=on,
        decided_by=ctx.actor,
        content=ctx.params["content"] or proposal.facts_found,
        penalty_types=list(proposal.penalty_types),
        fine_amount=proposal.fine_amount,
        confiscation_amount=proposal.confiscation_amount,
        remedy_note=ctx.params["remedy_note"]
        or (DEFAULT_REMEDY if proposal.kind in (OutcomeKind.PENALTY, OutcomeKind.HANDLING) else ""),
    )
    clocks.close_clock(case=case, kind=K.DECISION, on=on, note=f"已作出决定{number or ''}")
    if proposal.kind not in NO_SERVICE_OUTCOMES:
        clocks.open_clock(case=case, kind=K.SERVICE, start=on)
    return {
        "number": number,
        "kind": proposal.kind,
        "decided_on": on,
        "proposal_revision": proposal.revision,
        "penalty_types": list(proposal.penalty_types),
        "fine_amount": proposal.fine_amount,
    }


def _do_serve(ctx):
    case, on = ctx.case, ctx.on
    decision: Decision = ctx.params["_decision"]
    service = ctx.params["_service"]
    service.save()
    met_on = service.published_on if service.method == ServiceMethod.PUBLIC else on
    clocks.close_clock(case=case, kind=K.SERVICE, on=met_on, note=service.get_method_display())
    if decision.fine_amount:
        clocks.open_clock(case=case, kind=K.PAYMENT, start=on)
    return {"served_on": on, "method": service.method, "decision": decision.number}


def _do_remind(ctx):
    case, on, p = ctx.case, ctx.on, ctx.params
    pay = ctx.facts.payment
    _, number = numbering.number_next(
        agency=case.agency, doc_type="reminder", year=p["issued_on"].year
    )
    reminder = Reminder.objects.create(
        case=case,
        number=number,
        issued_on=p["issued_on"],
        served_on=on,
        fine_outstanding=pay.fine_outstanding if pay else 0,
        surcharge=pay.surcharge_owed if pay else 0,
        content=p["content"],
        created_by=ctx.actor,
    )
    service = p["_service"]
    service.document_number = number
    service.save()
    clocks.open_clock(case=case, kind=K.REMINDER, start=on, ref=f"reminder:{reminder.pk}")
    served = ctx.facts.decision.served_on if ctx.facts.decision else None
    if served is not None and not clocks.open_of(case, K.COURT):
        start, _ = clocks.litigation_end(served)
        if start is None:
            # Rolling the 6-month end forward needs a year without holiday data: count from the
            # unrolled end (never later than the true one); the due date stays unknown until
            # that year is entered anyway.
            start = clocks.add_months_unrolled(served, clocks.LITIGATION_MONTHS)
        clocks.open_clock(case=case, kind=K.COURT, start=start)
    return {
        "reminder": number,
        "served_on": on,
        "fine_outstanding": reminder.fine_outstanding,
        "surcharge": reminder.surcharge,
    }


def _do_close(ctx):
    case, on, p = ctx.case, ctx.on, ctx.params
    case.closed_on, case.closed_by = on, ctx.actor
    case.closing_reason, case.closing_evidence = p["closing_reason"], p["evidence"]
    common.touch(case, "closed_on", "closed_by", "closing_reason", "closing_evidence")
    clocks.close_all(case=case, on=on, note="已结案")
    return {"closed_on": on, "closing_reason": p["closing_reason"], "evidence": p["evidence"]}


def _do_transfer(ctx):
    case, on, p = ctx.case, ctx.on, ctx.params
    case.transfer_to, case.transfer_reason = p["transfer_to"], p["reason"]
    case.closed_on, case.closed_by, case.closing_reason = on, ctx.actor, ClosingReason.JURISDICTION
    case.closing_evidence = p["materials"]
    common.touch(
        case,
        "transfer_to",
        "transfer_reason",
        "closed_on",
        "closed_by",
        "closing_reason",
        "closing_evidence",
    )
    clocks.close_all(case=case, on=on, note=f"已移送{p['transfer_to']}")
    return {
        "transfer_to": p["transfer_to"],
        "reason": p["reason"],
        "materials": p["materials"],
        "on": on,
    }


def _do_decide_on_spot(ctx):
    case, on, p = ctx.case, ctx.on, ctx.params
    sanction: rules.Sanction = p["_sanction"]
    for i, officer in enumerate(p["officers"]):
        if not Assignment.objects.filter(
            case=case, user=officer, released_on__isnull=True
        ).exists():
            Assignment.objects.create(
                case=case,
                user=officer,
                role=TeamRole.LEAD if i == 0 else TeamRole.ASSIST,
                assigned_on=on,
                assigned_by=ctx.actor,
            )
    cause = case.causes.select_related("item_version").order_by("pk").first()
    proposal = Proposal.objects.create(
        case=case,
        revision=(Proposal.objects.filter(case=case).count() + 1),
        kind=OutcomeKind.PENALTY,
        item_version=cause.item_version,
        penalty_types=sorted(sanction.penalty_types),
        fine_amount=sanction.fine,
        facts_found=p["facts"],
        legal_basis=p["legal_basis"],
        created_on=on,
        created_by=ctx.actor,
    )
    _, number = numbering.number_next(agency=case.agency, doc_type="on_spot", year=on.year)
    Decision.objects.create(
        case=case,
        kind=OutcomeKind.PENALTY,
        proposal=proposal,
        doc_type="on_spot",
        number=number,
        decided_on=on,
        decided_by=ctx.actor,
        content=p["facts"],
        penalty_types=sorted(sanction.penalty_types),
        fine_amount=sanction.fine,
        remedy_note=DEFAULT_REMEDY,
        on_spot=True,
        on_spot_place=p["place"],
        party_signed=p["party_signed"],
        refusal_note=p["refusal_note"],
    )
    party = case.parties.order_by("pk").first()
    from ..models import ServiceRecord

    ServiceRecord.objects.create(
        case=case,
        purpose=ServicePurpose.DECISION,
        document_name="当场行政处罚决定书",
        document_number=number,
        addressee=party.name,
        place=p["place"],
        method=ServiceMethod.DIRECT if p["party_signed"] else ServiceMethod.LEFT,
        served_on=on,
        receiver_name=party.legal_representative or party.name if p["party_signed"] else "",
        receiver_relation="self" if p["party_signed"] else "",
        refusal_reason=p["refusal_note"],
        witnesses="、".join(str(o) for o in p["officers"]) if not p["party_signed"] else "",
        server=ctx.actor,
    )
    case.procedure = Procedure.SIMPLIFIED
    common.touch(case, "procedure")
    clocks.close_clock(case=case, kind=K.ACCEPTANCE, on=on, note="当场处罚")
    clocks.close_clock(case=case, kind=K.VERIFICATION, on=on, note="当场处罚")
    if sanction.fine:
        clocks.open_clock(case=case, kind=K.PAYMENT, start=on)
    return {
        "number": number,
        "decided_on": on,
        "penalty_types": sorted(sanction.penalty_types),
        "fine_amount": sanction.fine,
        "officers": [o.pk for o in p["officers"]],
        "place": p["place"],
    }


EFFECTS: dict[str, Callable[[Context], dict]] = {
    "file": _do_file,
    "request_supplement": _do_request_supplement,
    "supplement_received": _do_supplement_received,
    "decline": _do_decline,
    "conclude": _do_conclude,
    "reopen": _do_reopen,
    "notify": _do_notify,
    "request_hearing": _do_request_hearing,
    "end_hearing": _do_end_hearing,
    "submit": _do_submit,
    "decide": _do_decide,
    "serve": _do_serve,
    "remind": _do_remind,
    "close": _do_close,
    "transfer": _do_transfer,
    "decide_on_spot": _do_decide_on_spot,
}
assert set(EFFECTS) == set(workflow.TRANSITIONS) == set(PREPARE)


@transaction.atomic
def case_transition(*, case: Case, action: str, actor, **params) -> Case:
    """Execute one row of the transition table on ``case`` (see the module docstring).

    Raises ``NotPermitted`` (role or team), ``DomainError`` (a value entered is invalid; its
    ``field`` names it) or ``Blocked`` (the reasons, in Chinese); nothing is written then.
    """
    t = workflow.TRANSITIONS.get(action)
    if t is None:
        raise DomainError(f"未知的操作：{action}", field="action")
    locked = common.locked_case(case, allow_terminal=True)
    if reason := workflow.state_reason(t, locked.state):
        raise Blocked([reason])
    common.require(actor, t.permission, f"“{t.label}”", case=locked)
    if t.team_only:
        common.require_team(actor, locked, f"“{t.label}”")
    ctx = Context(case=locked, actor=actor, params=dict(params), today=timezone.localdate())
    PREPARE[action](ctx, t)
    # The act this transition is about to record (an unsaved 送达回证), for the recording slot:
    # a 留置送达 cannot be entered before its photo or video exists (records' recording rules).
    locked.pending_service = ctx.params.get("_service")
    ctx.facts = selectors.case_facts(locked, actor=actor, on=ctx.on)
    check_params = dict(ctx.params, _today=ctx.today)
    reasons = workflow.blockers(t, ctx.facts, check_params)
    if reasons:
        raise Blocked(reasons)
    before = locked.state
    locked.state = t.target
    data = EFFECTS[action](ctx)
    common.touch(locked, "state")
    common.record(
        actor=actor,
        case=locked,
        type=f"case.{action}",
        data={"from": before, "to": t.target, **data},
    )
    # Keep the caller's object current.
    for f in locked._meta.concrete_fields:
        setattr(case, f.attname, getattr(locked, f.attname))
    return case

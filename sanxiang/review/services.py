"""Writes of legal review. Each service is keyword-only, takes ``actor``, checks permission,
runs in one transaction, records a ledger event about the case in it, and raises a Chinese
``DomainError`` / ``Blocked`` / ``NotPermitted`` — writing nothing then (ARCHITECTURE.md §3).

A review is concluded only by :func:`review_conclude`, called by the reviewer: there is no other
service, no admin form and no state that marks a round passed. The conclusion's ledger event
carries the dossier hash and the opinion; the decision gate checks the row against it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sanxiang import ledger
from sanxiang.cases.choices import (
    OPEN_PROCEDURE_STATES,
    FlagKind,
    FlagSource,
    OutcomeKind,
    State,
)
from sanxiang.cases.models import Assignment, Case, CollectiveDiscussion, Proposal
from sanxiang.cases.services import common as cases_common
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.workcalendar import selectors as wc

from . import dossier, rules, selectors
from .choices import (
    AUTO_KINDS,
    CatalogueKind,
    ExpertKind,
    Opinion,
    PartyScope,
    Point,
    PointResult,
    SubmissionStatus,
)
from .models import (
    CatalogueEntry,
    Dispute,
    ExpertRequest,
    Review,
    ReviewExtension,
    ReviewPoint,
    ReviewSettings,
    Submission,
)

text = cases_common.text
long_text = cases_common.long_text


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")


def _same_agency(actor, case: Case, what: str) -> None:
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.agency_id != case.agency_id:
        raise NotPermitted(f"您不属于该执法主体，不能{what}")


def _on_team(case: Case, user, *, ever: bool = False) -> bool:
    qs = Assignment.objects.filter(case=case, user=user)
    if not ever:
        qs = qs.filter(released_on__isnull=True)
    return qs.exists()


def _record(*, actor, case: Case, type: str, data: dict):  # noqa: A002
    return ledger.record(actor=actor, subject=case, type=type, data=data)


def _locked_submission(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("case__agency", "submitted_by", "proposal")
        .get(pk=submission.pk)
    )


def _due(start: dt.date, workdays: int) -> tuple[dt.date | None, str]:
    try:
        return wc.add_workdays(start, workdays), ""
    except wc.CalendarYearMissing as exc:
        return None, str(exc)[:200]


# --- scope: flagging a case major ----------------------------------------------------------------

FLAG_STATES = OPEN_PROCEDURE_STATES | {State.LEAD, State.SUPPLEMENT}


@transaction.atomic
def major_flag_add(
    *, actor, case: Case, reason: str = "", ground: CatalogueEntry | None = None
) -> object:
    """标记重大执法决定: the case's officers (and whoever holds ``cases.flag_case``) may flag it
    major, giving a ground from the catalogue (重大公共利益, 重大社会影响, 重大权益, 疑难复杂 …)
    and/or a written reason. Flags only ever add scope; removing one stays with the heads
    (``cases.services.case_unflag``), and a hearing flag can never be removed."""
    from sanxiang.cases.services import case_flag
    from sanxiang.cases.services.team import add_flag

    case = cases_common.locked_case(case)
    may_flag = actor is not None and actor.is_active and actor.has_perm("cases.flag_case")
    if not may_flag and not (
        actor is not None and actor.has_perm("cases.handle_case") and _on_team(case, actor)
    ):
        raise NotPermitted("只有本案办案人员或有标记权限的负责人、审核人员可以标记重大执法决定")
    _same_agency(actor, case, "标记本案")
    if case.state not in FLAG_STATES:
        raise DomainError(
            f"案件当前为“{case.get_state_display()}”，作出决定后不能再标记重大执法决定",
            code="wrong_state",
        )
    if ground is not None:
        if ground.agency_id != case.agency_id or ground.kind in AUTO_KINDS:
            raise DomainError("请从本机关审核目录中选择标记理由", field="ground")
        if not selectors.flag_grounds(agency=case.agency).filter(pk=ground.pk).exists():
            raise DomainError("该审核目录条目已停止适用", field="ground")
    reason = long_text(reason, field="reason", label="具体理由", required=ground is None)
    full = "；".join(x for x in [ground.title if ground else "", reason] if x)
    if may_flag:
        return case_flag(actor=actor, case=case, kind=FlagKind.MAJOR, reason=full)
    on = timezone.localdate()
    flag = add_flag(
        case=case, kind=FlagKind.MAJOR, source=FlagSource.MANUAL, reason=full, actor=actor, on=on
    )
    _record(
        actor=actor,
        case=case,
        type="case.flagged",
        data={
            "flag": flag.pk,
            "kind": FlagKind.MAJOR,
            "source": "manual",
            "reason": full,
            "catalogue_entry": ground.pk if ground else None,
            "via": "review",
        },
    )
    return flag


# --- submission --------------------------------------------------------------------------------

SUBMIT_STATES = (State.CONCLUDED, State.NOTIFIED, State.PENDING_DECISION)


@transaction.atomic
def review_submit(
    *,
    actor,
    case: Case,
    checklist: Iterable[str],
    attested: bool,
    note: str = "",
) -> Submission:
    """送法制审核: the handler sends the case's dossier as it is now. The manifest is frozen on
    the submission with its SHA-256 and SM3, both recorded in the ledger with the handler's
    attestation (送审责任, 实施方案 三（三）4). The review period starts (default 5 working days)."""
    case = cases_common.locked_case(case)
    _require(actor, "review.submit_for_review", "送法制审核")
    _same_agency(actor, case, "送审本案")
    if not _on_team(case, actor):
        raise NotPermitted("送法制审核须由本案办案人员办理")
    if case.state not in SUBMIT_STATES:
        labels = "、".join(State(s).label for s in SUBMIT_STATES)
        raise DomainError(
            f"案件当前为“{case.get_state_display()}”，只有在“{labels}”时才能送法制审核",
            code="wrong_state",
        )
    manifest = dossier.build_manifest(case)
    sha256, sm3 = rules.dossier_hashes(manifest)
    latest = selectors.latest_submission(case)
    facts = selectors.round_facts(latest) if latest is not None else None
    problems = rules.resubmission_problems(facts, current_sha256=sha256)
    confirmed = sorted(set(checklist or ()) & set(rules.MATERIAL_LABELS))
    problems += rules.checklist_problems(
        confirmed=confirmed, counts=dossier.section_counts(manifest), attested=bool(attested)
    )
    if problems:
        raise Blocked(problems, code="invalid")
    note = long_text(note, field="note", label="送审说明", required=False, max_length=2000)
    proposal = Proposal.objects.filter(case=case).order_by("-revision").first()
    today = timezone.localdate()
    cfg = selectors.settings_for(case.agency)
    due, due_reason = _due(today, cfg.review_workdays)
    last_round = Submission.objects.filter(case=case).aggregate(n=Max("round"))["n"] or 0
    follows = None
    if latest is not None and facts is not None and facts.dispute_resolved and not facts.passed:
        follows = latest.dispute
    submission = Submission.objects.create(
        case=case,
        round=last_round + 1,
        submitted_by=actor,
        submitted_at=timezone.now(),
        submitted_on=today,
        proposal=proposal,
        manifest=manifest,
        dossier_sha256=sha256,
        dossier_sm3=sm3,
        checklist=confirmed,
        attestation=rules.ATTESTATION,
        note=note,
        follows_dispute=follows,
        workdays=cfg.review_workdays,
        due_on=due,
        due_unknown_reason=due_reason,
    )
    event = _record(
        actor=actor,
        case=case,
        type="review.submitted",
        data={
            "submission": submission.pk,
            "case": case.pk,
            "round": submission.round,
            "dossier_sha256": sha256,
            "dossier_sm3": sm3,
            "manifest_format": manifest["format"],
            "entries": dossier.section_counts(manifest),
            "proposal_revision": proposal.revision,
            "checklist": confirmed,
            "attestation": rules.ATTESTATION,
            "note": note,
            "due_on": due,
            "workdays": cfg.review_workdays,
            "follows_dispute": follows.pk if follows else None,
        },
    )
    submission.ledger_seq = event.seq
    submission.save(update_fields=["ledger_seq"])
    return submission


@transaction.atomic
def review_withdraw(*, actor, submission: Submission, reason: str) -> Submission:
    """撤回送审 (e.g. the handler found the package incomplete): only while under review, by an
    officer of the case, with a reason. The round is kept, marked withdrawn."""
    cases_common.locked_case(submission.case)
    submission = _locked_submission(submission)
    case = submission.case
    _require(actor, "review.submit_for_review", "撤回送审")
    if not _on_team(case, actor):
        raise NotPermitted("撤回送审须由本案办案人员办理")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError("该轮送审已审核或已撤回，不能撤回")
    reason = long_text(reason, field="reason", label="撤回理由")
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = timezone.now()
    submission.withdraw_reason = reason
    submission.save(update_fields=["status", "withdrawn_at", "withdraw_reason"])
    _record(
        actor=actor,
        case=case,
        type="review.withdrawn",
        data={"submission": submission.pk, "round": submission.round, "reason": reason},
    )
    return submission


# --- the review ------------------------------------------------------------------------------------


def reviewer_refusals(*, actor, submission: Submission, on: dt.date) -> list[str]:
    """Why ``actor`` may not review ``submission`` ([] = may): the registry's designation and
    qualification rules (行政处罚法 第五十八条第二款 for a penalty) and separation from the case."""
    from sanxiang.registry.selectors import reviewer_problems

    case = submission.case
    penalty = submission.proposal.kind == OutcomeKind.PENALTY
    return rules.reviewer_problems(
        registry_problems=reviewer_problems(user=actor, agency=case.agency, on=on, penalty=penalty),
        on_team=_on_team(case, actor, ever=True),
        is_submitter=submission.submitted_by_id == actor.pk,
        name=str(actor),
    )


def _check_reviewer(actor, submission: Submission, what: str) -> None:
    _require(actor, "review.conclude_review", what)
    _same_agency(actor, submission.case, what)
    refusals = reviewer_refusals(actor=actor, submission=submission, on=timezone.localdate())
    if refusals:
        raise Blocked(refusals, code="forbidden")


def _clean_points(points: Mapping) -> dict[str, tuple[str, str]]:
    out = {}
    for code, value in (points or {}).items():
        if code not in Point.values:
            continue
        if isinstance(value, Mapping):
            result, comment = value.get("result", ""), value.get("comment", "")
        else:
            result, comment = value
        out[code] = (str(result or ""), str(comment or "").strip()[:2000])
    return out


def _proposal_text(p: Proposal) -> str:
    """e.g. "行政处罚：警告、罚款10000元" (the draft decision as the 意见书 states it)."""
    from sanxiang.cases.choices import PENALTY_RANK, PenaltyType

    labels = dict(PenaltyType.choices)
    parts = []
    for t in sorted(p.penalty_types or (), key=lambda t: PENALTY_RANK.get(t, 99)):
        if t == PenaltyType.FINE and p.fine_amount:
            parts.append(f"罚款{rules.yuan(p.fine_amount)}元")
        elif t == PenaltyType.CONFISCATE_GAINS and p.confiscation_amount:
            parts.append(f"没收违法所得{rules.yuan(p.confiscation_amount)}元")
        else:
            parts.append(labels.get(t, t))
    if p.fine_amount and PenaltyType.FINE not in (p.penalty_types or ()):
        parts.append(f"罚款{rules.yuan(p.fine_amount)}元")
    if p.compensation_amount:
        parts.append(f"加付赔偿金{rules.yuan(p.compensation_amount)}元")
    if p.payment_order:
        parts.append(p.payment_order)
    if p.transfer_to:
        parts.append(f"移送{p.transfer_to}")
    kind = p.get_kind_display()
    return f"{kind}：{'、'.join(parts)}" if parts else kind


def _case_title(case: Case) -> tuple[str, str]:
    party = case.parties.order_by("pk").values_list("name", flat=True).first() or ""
    cause = case.causes.select_related("item_version").order_by("pk").first()
    cause_name = cause.item_version.name if cause else case.summary
    return f"{party}{cause_name}案" if party else cause_name, party or "（未登记）"


def _materials(manifest: dict, proposal: Proposal) -> list[str]:
    counts = dossier.section_counts(manifest)
    out = []
    for key, label in rules.MATERIALS:
        if key == "draft_decision":
            out.append(f"{label}（第{proposal.revision}版）")
        elif counts.get(key):
            out.append(f"{label} {counts[key]} 份")
        else:
            out.append(f"{label}：本案无")
    return out


def _opinion_context(*, submission: Submission, actor, points, opinion, reasons, on):
    from sanxiang.records.documents.types.legal_review_opinion import (
        ExpertOpinion,
        LegalReviewOpinion,
        ReviewedPoint,
    )

    case = submission.case
    title, party = _case_title(case)
    team = sorted(
        Assignment.objects.filter(case=case, released_on__isnull=True).select_related("user"),
        key=lambda a: (a.role != "lead", a.pk),  # 主办 first
    )
    experts = [
        ExpertOpinion(
            expert=f"{r.expert_name}（{r.get_kind_display()}）",
            opinion=r.answer,
            given_on=r.answered_on,
        )
        for r in submission.expert_requests.exclude(answer="").order_by("pk")
    ]
    unit = getattr(submission.submitted_by, "unit", None)
    reviewer_unit = getattr(getattr(actor, "unit", None), "name", "") or "法制审核机构"
    p = submission.proposal
    return LegalReviewOpinion(
        agency_name=case.agency.name,
        case_title=title,
        case_number=case.number,
        party=party,
        handler_unit=unit.name if unit is not None else "承办机构",
        handlers="、".join(str(a.user) for a in team) or str(submission.submitted_by),
        submitted_by=str(submission.submitted_by),
        submitted_on=submission.submitted_on,
        round=submission.round,
        proposal=_proposal_text(p),
        facts=p.facts_found,
        legal_basis=p.legal_basis,
        points=[
            ReviewedPoint(
                label=label,
                result=PointResult(points[code][0]).label,
                comment=points[code][1],
            )
            for code, label in Point.choices
        ],
        opinion=opinion,
        reasons=reasons,
        experts=experts,
        materials=_materials(submission.manifest, p),
        dossier_sha256=submission.dossier_sha256,
        reviewer=str(actor),
        reviewer_unit=reviewer_unit,
        reviewed_on=on,
    )


@transaction.atomic
def review_conclude(
    *,
    actor,
    submission: Submission,
    points: Mapping,
    opinion: str,
    reasons: str,
) -> Review:
    """作出法制审核意见 — the reviewer's own act, and the only way a round is concluded.

    The eight points (实施方案 三（三）3) each 符合 or 存在问题 (a problem described); the opinion
    同意 / 修改后再报 / 不同意 / 建议移送司法机关 with its reasons. The 法制审核意见书 is generated
    (numbered, hashed, in the ledger) and the conclusion is recorded with the dossier hash it is
    bound to."""
    from sanxiang.records.services import document_generate

    cases_common.locked_case(submission.case, allow_terminal=True)
    submission = _locked_submission(submission)
    _check_reviewer(actor, submission, "作出法制审核意见")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError(
            f"第{submission.round}轮送审{submission.get_status_display()}，审核意见不能再作出或更改"
        )
    points = _clean_points(points)
    reasons = str(reasons or "").strip()
    problems = rules.review_problems(points, opinion=opinion, reasons=reasons)
    if problems:
        raise Blocked(problems, code="invalid")
    reasons = long_text(reasons, field="reasons", label="审核意见的理由", max_length=5000)
    on = timezone.localdate()
    context = _opinion_context(
        submission=submission, actor=actor, points=points, opinion=opinion, reasons=reasons, on=on
    )
    document = document_generate(
        actor=actor,
        doc_type="legal_review_opinion",
        subject=submission.case,
        context=context,
        agency=submission.case.agency,
        allocate_number=True,
    )
    event = _record(
        actor=actor,
        case=submission.case,
        type="review.concluded",
        data={
            "submission": submission.pk,
            "case": submission.case_id,
            "round": submission.round,
            "dossier_sha256": submission.dossier_sha256,
            "opinion": opinion,
            "points": {code: points[code][0] for code in Point.values},
            "reasons": reasons,
            "document": document.pk,
            "document_number": document.number,
            "document_pdf_sha256": document.pdf_sha256,
            "document_pdf_sm3": document.pdf_sm3,
        },
    )
    review = Review.objects.create(
        submission=submission,
        reviewer=actor,
        opinion=opinion,
        reasons=reasons,
        concluded_at=timezone.now(),
        concluded_on=on,
        document=document,
        ledger_seq=event.seq,
    )
    ReviewPoint.objects.bulk_create(
        ReviewPoint(review=review, point=code, result=points[code][0], comment=points[code][1])
        for code in Point.values
    )
    submission.status = SubmissionStatus.CONCLUDED
    submission.save(update_fields=["status"])
    return review


@transaction.atomic
def review_extend(*, actor, submission: Submission, workdays, reason: str) -> ReviewExtension:
    """延长审核期限, with a reason, within the agency's total allowed extension."""
    submission = _locked_submission(submission)
    _check_reviewer(actor, submission, "延长审核期限")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError("该轮送审已审核或已撤回，不能延长审核期限")
    cfg = selectors.settings_for(submission.case.agency)
    used = sum(e.workdays for e in submission.extensions.all())
    left = cfg.extension_workdays - used
    if left < 1:
        raise DomainError(
            f"审核期限已延长{used}个工作日，达到可延长的上限（{cfg.extension_workdays}个工作日）",
            field="workdays",
        )
    n = cases_common.positive_int(
        workdays, field="workdays", label="延长的工作日数", required=True, maximum=left
    )
    reason = long_text(reason, field="reason", label="延长理由", max_length=2000)
    before = selectors.effective_due(submission)
    if before is None:
        raise DomainError(
            f"审核期限无法计算（{submission.due_unknown_reason}），不能延长", field="workdays"
        )
    try:
        after = wc.add_workdays(before, n)
    except wc.CalendarYearMissing as exc:
        raise DomainError(str(exc), field="workdays") from None
    extension = ReviewExtension.objects.create(
        submission=submission,
        workdays=n,
        reason=reason,
        due_before=before,
        due_after=after,
        extended_by=actor,
        extended_at=timezone.now(),
    )
    _record(
        actor=actor,
        case=submission.case,
        type="review.extended",
        data={
            "submission": submission.pk,
            "round": submission.round,
            "workdays": n,
            "reason": reason,
            "due_before": before,
            "due_after": after,
        },
    )
    return extension


# --- experts ----------------------------------------------------------------------------------------


@transaction.atomic
def expert_request(
    *,
    actor,
    submission: Submission,
    kind: str,
    question: str,
    expert=None,
    expert_name: str = "",
    expert_org: str = "",
) -> ExpertRequest:
    """征求咨询意见 from the legal adviser, a 公职律师 or an industry expert (法制审核专家委员会,
    实施方案 三（三）4). An expert with an account answers in person; otherwise the reviewer
    records the written opinion received."""
    submission = _locked_submission(submission)
    _check_reviewer(actor, submission, "征求咨询意见")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError("该轮送审已审核或已撤回，不能再征求咨询意见")
    kind = cases_common.choice(kind, ExpertKind, field="kind", label="专家类别")
    if expert is not None:
        if not expert.is_active or not expert.has_perm("review.give_expert_opinion"):
            raise DomainError(f"{expert}不能在本系统出具咨询意见", field="expert")
        if _on_team(submission.case, expert, ever=True):
            raise DomainError(f"{expert}是本案办案人员，不能提供咨询意见", field="expert")
        if expert.pk == actor.pk:
            raise DomainError("不能向自己征求咨询意见", field="expert")
        expert_name = expert_name or str(expert)
    expert_name = text(expert_name, field="expert_name", label="专家姓名", max_length=50)
    expert_org = text(
        expert_org, field="expert_org", label="工作单位", max_length=100, required=False
    )
    question = long_text(question, field="question", label="咨询事项", max_length=5000)
    request = ExpertRequest.objects.create(
        submission=submission,
        kind=kind,
        expert=expert,
        expert_name=expert_name,
        expert_org=expert_org,
        question=question,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    _record(
        actor=actor,
        case=submission.case,
        type="review.expert_requested",
        data={
            "submission": submission.pk,
            "round": submission.round,
            "request": request.pk,
            "expert_kind": kind,
            "expert_kind_label": ExpertKind(kind).label,
            "expert": expert.pk if expert else None,
            "expert_name": expert_name,
            "question": question,
        },
    )
    return request


@transaction.atomic
def expert_answer(
    *, actor, request: ExpertRequest, answer: str, answered_on: dt.date | None = None
) -> ExpertRequest:
    """登记咨询意见: by the expert in person, or — for an expert without an account — by a
    reviewer of the round. Attached to the round; printed in the 法制审核意见书."""
    request = (
        ExpertRequest.objects.select_for_update(of=("self",))
        .select_related("submission__case__agency", "submission__proposal")
        .get(pk=request.pk)
    )
    submission = request.submission
    if request.expert_id is not None:
        if actor is None or actor.pk != request.expert_id:
            raise NotPermitted(f"该咨询意见须由{request.expert_name}本人出具")
        _require(actor, "review.give_expert_opinion", "出具咨询意见")
    else:
        _check_reviewer(actor, submission, "登记咨询意见")
    if request.answer:
        raise DomainError("咨询意见已登记，不能修改")
    if submission.status != SubmissionStatus.PENDING:
        raise DomainError("该轮送审已审核或已撤回，不能再登记咨询意见")
    answer = long_text(answer, field="answer", label="咨询意见", max_length=5000)
    requested_on = timezone.localtime(request.requested_at).date()
    answered_on = cases_common.date(
        answered_on or timezone.localdate(),
        field="answered_on",
        label="出具日期",
        not_before=requested_on,
        not_before_label="征求日期",
    )
    request.answer, request.answered_on = answer, answered_on
    request.recorded_by, request.recorded_at = actor, timezone.now()
    request.save(update_fields=["answer", "answered_on", "recorded_by", "recorded_at"])
    _record(
        actor=actor,
        case=submission.case,
        type="review.expert_answered",
        data={
            "submission": submission.pk,
            "round": submission.round,
            "request": request.pk,
            "expert_kind_label": request.get_kind_display(),
            "expert_name": request.expert_name,
            "answer": answer,
            "answered_on": answered_on,
        },
    )
    return request


# --- disagreement (异议 → 集体讨论) -------------------------------------------------------------------


@transaction.atomic
def dispute_raise(*, actor, submission: Submission, reasons: str) -> Dispute:
    """承办机构对审核意见有异议: recorded with reasons; the case cannot be submitted again until
    the heads' collective discussion of it is recorded (:func:`dispute_resolve`)."""
    cases_common.locked_case(submission.case)
    submission = _locked_submission(submission)
    case = submission.case
    _require(actor, "review.submit_for_review", "对审核意见提出异议")
    if not _on_team(case, actor):
        raise NotPermitted("对审核意见提出异议须由本案办案人员办理")
    review = Review.objects.filter(submission=submission).first()
    if review is None or review.opinion == Opinion.AGREE:
        raise DomainError("只能对未通过的审核意见提出异议")
    latest = selectors.latest_submission(case)
    if latest is None or latest.pk != submission.pk:
        raise DomainError("只能对最近一轮的审核意见提出异议")
    if Dispute.objects.filter(submission=submission).exists():
        raise DomainError("已对该轮审核意见提出异议")
    reasons = long_text(reasons, field="reasons", label="异议理由", max_length=5000)
    dispute = Dispute.objects.create(
        submission=submission, raised_by=actor, raised_at=timezone.now(), reasons=reasons
    )
    _record(
        actor=actor,
        case=case,
        type="review.dispute_raised",
        data={
            "dispute": dispute.pk,
            "submission": submission.pk,
            "round": submission.round,
            "opinion": review.opinion,
            "reasons": reasons,
        },
    )
    return dispute


@transaction.atomic
def dispute_resolve(*, actor, dispute: Dispute, discussion: CollectiveDiscussion) -> Dispute:
    """Link the collective-discussion record (行政处罚法 第五十七条第二款; cases'
    ``discussion_record``) held on the disagreement; the case may then be submitted again."""
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("submission__case")
        .get(pk=dispute.pk)
    )
    case = dispute.submission.case
    cases_common.locked_case(case)
    if not (
        actor is not None
        and actor.is_active
        and (
            actor.has_perm("cases.discuss_case")
            or (actor.has_perm("review.submit_for_review") and _on_team(case, actor))
        )
    ):
        raise NotPermitted("只有组织集体讨论的负责人或本案办案人员可以登记集体讨论结果")
    if dispute.discussion_id is not None:
        raise DomainError("该异议已经集体讨论")
    if discussion is None or discussion.case_id != case.pk:
        raise DomainError("请选择本案的集体讨论记录", field="discussion")
    raised_on = timezone.localtime(dispute.raised_at).date()
    if discussion.held_on < raised_on:
        raise DomainError(
            f"集体讨论应在提出异议（{rules.cn_date(raised_on)}）之后举行，"
            "请选择就该异议举行的集体讨论记录",
            field="discussion",
        )
    dispute.discussion = discussion
    dispute.resolved_by, dispute.resolved_at = actor, timezone.now()
    dispute.save(update_fields=["discussion", "resolved_by", "resolved_at"])
    _record(
        actor=actor,
        case=case,
        type="review.dispute_resolved",
        data={
            "dispute": dispute.pk,
            "submission": dispute.submission_id,
            "round": dispute.submission.round,
            "discussion": discussion.pk,
            "held_on": discussion.held_on,
            "conclusion_kind": discussion.conclusion_kind,
        },
    )
    return dispute


# --- catalogue and settings ---------------------------------------------------------------------------


@transaction.atomic
def catalogue_entry_add(
    *,
    actor,
    agency,
    kind: str,
    title: str,
    effective_from: dt.date,
    description: str = "",
    basis: str = "",
    item=None,
    threshold=None,
    party_scope: str = PartyScope.ALL,
    penalty_types: Iterable[str] = (),
) -> CatalogueEntry:
    """Add a line to the 重大执法决定法制审核目录 (国办发〔2018〕118号: 按执法类别、执法层级、所属
    领域、涉案金额等编制目录清单)."""
    from sanxiang.cases.choices import PenaltyType

    _require(actor, "review.manage_catalogue", "维护法制审核目录")
    kind = cases_common.choice(kind, CatalogueKind, field="kind", label="种类")
    title = text(title, field="title", label="条目名称", max_length=200)
    effective_from = cases_common.date(
        effective_from, field="effective_from", label="施行日期", not_after_today=False
    )
    party_scope = cases_common.choice(
        party_scope or PartyScope.ALL, PartyScope, field="party_scope", label="适用当事人"
    )
    types = sorted(set(penalty_types or ()))
    for t in types:
        cases_common.choice(t, PenaltyType, field="penalty_types", label="处罚种类")
    amount = cases_common.money(threshold, field="threshold", label="罚没金额标准")
    if kind == CatalogueKind.ITEM:
        if item is None or item.agency_id != agency.pk:
            raise DomainError("请选择本机关执法事项清单中的事项", field="item")
    elif item is not None:
        raise DomainError("只有“执法事项”条目才选择执法事项", field="item")
    if kind == CatalogueKind.AMOUNT and (amount is None or amount <= 0):
        raise DomainError("请填写罚没金额标准（元）", field="threshold")
    if kind == CatalogueKind.PENALTY_TYPE and not types:
        raise DomainError("请选择处罚种类", field="penalty_types")
    entry = CatalogueEntry.objects.create(
        agency=agency,
        kind=kind,
        title=title,
        description=long_text(description, field="description", label="说明", required=False),
        basis=text(basis, field="basis", label="依据", max_length=200, required=False),
        item=item,
        threshold=amount if kind == CatalogueKind.AMOUNT else None,
        party_scope=party_scope,
        penalty_types=types if kind == CatalogueKind.PENALTY_TYPE else [],
        effective_from=effective_from,
        created_by=actor,
    )
    ledger.record(
        actor=actor,
        subject=entry,
        type="review.catalogue_entry_added",
        data={
            "agency": agency.pk,
            "kind": kind,
            "title": title,
            "item": item.pk if item else None,
            "threshold": entry.threshold,
            "party_scope": party_scope,
            "penalty_types": entry.penalty_types,
            "effective_from": effective_from,
        },
    )
    return entry


@transaction.atomic
def catalogue_entry_end(
    *, actor, entry: CatalogueEntry, ended_on: dt.date, reason: str
) -> CatalogueEntry:
    _require(actor, "review.manage_catalogue", "维护法制审核目录")
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.ended_on is not None:
        raise DomainError("该条目已停止适用")
    entry.ended_on = cases_common.date(
        ended_on,
        field="ended_on",
        label="停止适用日期",
        not_after_today=False,
        not_before=entry.effective_from,
        not_before_label="施行日期",
    )
    entry.end_reason = text(reason, field="end_reason", label="停止适用原因", max_length=200)
    entry.save(update_fields=["ended_on", "end_reason"])
    ledger.record(
        actor=actor,
        subject=entry,
        type="review.catalogue_entry_ended",
        data={"ended_on": entry.ended_on, "reason": entry.end_reason},
    )
    return entry


@transaction.atomic
def review_settings_set(
    *,
    actor,
    agency,
    review_workdays,
    extension_workdays,
    complex_needs_review: bool,
    basis_note: str = "",
) -> ReviewSettings:
    _require(actor, "review.manage_catalogue", "设置法制审核参数")
    days = cases_common.positive_int(
        review_workdays, field="review_workdays", label="审核期限", required=True, maximum=30
    )
    if extension_workdays in (None, "", 0, "0"):
        ext = 0
    else:
        ext = cases_common.positive_int(
            extension_workdays, field="extension_workdays", label="可延长的期限", maximum=30
        )
    row = ReviewSettings.objects.select_for_update().filter(agency=agency).first()
    before = None
    if row is None:
        row = ReviewSettings(agency=agency)
    else:
        before = {
            "review_workdays": row.review_workdays,
            "extension_workdays": row.extension_workdays,
            "complex_needs_review": row.complex_needs_review,
        }
    row.review_workdays, row.extension_workdays = days, ext
    row.complex_needs_review = bool(complex_needs_review)
    row.basis_note = long_text(basis_note, field="basis_note", label="依据说明", required=False)
    row.updated_at, row.updated_by = timezone.now(), actor
    row.save()
    ledger.record(
        actor=actor,
        subject=row,
        type="review.settings_set",
        data={
            "agency": agency.pk,
            "before": before,
            "review_workdays": days,
            "extension_workdays": ext,
            "complex_needs_review": row.complex_needs_review,
            "basis_note": row.basis_note,
        },
    )
    return row


# --- accountability export ----------------------------------------------------------------------------


def accountability_context(case: Case, *, on: dt.date):
    from sanxiang.records.documents.types.review_accountability import (
        AccountabilityEntry,
        ReviewAccountability,
    )

    acc = selectors.accountability(case)
    title, party = _case_title(case)
    why = selectors.why_major(case)
    required = "是" + (f"（{'；'.join(why)}）" if why else "") if acc.required else "否"
    return ReviewAccountability(
        agency_name=case.agency.name,
        case_title=title,
        case_number=case.number,
        party=party,
        review_required=required,
        submitted_by="、".join(acc.submitted_by),
        reviewed_by="、".join(acc.reviewed_by),
        discussed_by="、".join(acc.discussed_by),
        decided_by=acc.decided_by,
        decided_at=timezone.localtime(acc.decided_at).strftime("%Y-%m-%d %H:%M")
        if acc.decided_at
        else "",
        decision_number=acc.decision_number,
        approved_sha256=acc.approved_sha256,
        entries=[
            AccountabilityEntry(
                at=timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M"),
                stage=r.stage,
                what=r.what,
                person=r.person,
                detail=r.detail,
                seq=r.seq,
            )
            for r in acc.rows
        ],
        made_on=on,
    )


@transaction.atomic
def accountability_export(*, actor, case: Case):
    """The accountability record as a PDF (records document type ``review_accountability``),
    generated, hashed and recorded like any document. Exporting again while nothing new was
    recorded returns the same document."""
    from sanxiang.records.selectors import documents_of_subject
    from sanxiang.records.services import context_digest, document_generate

    _require(actor, "review.view_accountability", "导出责任记录")
    case = Case.objects.select_related("agency").get(pk=case.pk)
    _same_agency(actor, case, "导出本案责任记录")
    context = accountability_context(case, on=timezone.localdate())
    if not context.entries:
        raise DomainError("本案尚无送审、审核、讨论或决定的记录，无需导出")
    existing = (
        documents_of_subject(case)
        .filter(doc_type="review_accountability", context_sha256=context_digest(context))
        .first()
    )
    if existing is not None:
        return existing
    return document_generate(
        actor=actor,
        doc_type="review_accountability",
        subject=case,
        context=context,
        agency=case.agency,
    )

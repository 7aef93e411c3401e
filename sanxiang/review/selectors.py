"""Reads of legal review: settings and catalogue, the facts the decision gate looks at, what the
case page shows, the reviewer's queue, a submission with its dossier and clock, the history of a
case, 我的待办, the accountability record (from the ledger) and the figures."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanxiang.lib.todo import TodoItem
from sanxiang.workcalendar import selectors as wc

from . import dossier, rules
from .choices import AUTO_KINDS, Opinion, SubmissionStatus
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

CONCLUDED_EVENT = "review.concluded"


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- settings and catalogue ----------------------------------------------------------------------


def settings_for(agency) -> ReviewSettings:
    """The agency's review settings, or the defaults (unsaved) when none are recorded."""
    found = ReviewSettings.objects.filter(agency=agency).first()
    return found if found is not None else ReviewSettings(agency=agency)


def catalogue_entries(*, agency, on: dt.date | None = None, include_ended: bool = False):
    qs = CatalogueEntry.objects.filter(agency=agency).select_related("item", "created_by")
    if not include_ended:
        on = on or timezone.localdate()
        qs = qs.filter(effective_from__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
    return qs.order_by("kind", "pk")


def catalogue_facts(*, agency, on: dt.date) -> list[rules.CatalogueFacts]:
    return [
        rules.CatalogueFacts(
            kind=e.kind,
            title=e.title,
            item_id=e.item_id,
            threshold=e.threshold,
            party_scope=e.party_scope,
            penalty_types=frozenset(e.penalty_types or ()),
        )
        for e in catalogue_entries(agency=agency, on=on).filter(kind__in=AUTO_KINDS)
    ]


def flag_grounds(*, agency, on: dt.date | None = None) -> QuerySet[CatalogueEntry]:
    """Catalogue entries an officer may give as the ground for flagging a case major."""
    return catalogue_entries(agency=agency, on=on).exclude(kind__in=AUTO_KINDS)


def major_criterion(case, sanction) -> list[str]:
    """The slot ``cases.gates.register_major_criterion``: catalogue entries the proposal meets
    (called by ``cases.services.proposal_make``; the case is then flagged major, source auto)."""
    from sanxiang.cases.choices import NATURAL_PERSON_KINDS
    from sanxiang.cases.models import Party

    on = timezone.localdate()
    entries = catalogue_facts(agency=case.agency, on=on)
    if not entries:
        return []
    first = Party.objects.filter(case=case).order_by("pk").values_list("kind", flat=True).first()
    item_ids = frozenset(case.causes.values_list("item_version__item_id", flat=True))
    return rules.catalogue_reasons(
        entries,
        outcome=sanction.kind,
        penalty_types=frozenset(sanction.penalty_types),
        fine=sanction.fine,
        confiscation=sanction.confiscation,
        natural_person=first in NATURAL_PERSON_KINDS,
        item_ids=item_ids,
    )


# --- rounds and the gate -------------------------------------------------------------------------


def _rounds(case) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(case=case)
        .select_related("submitted_by", "review__reviewer", "review__document", "dispute")
        .order_by("round")
    )


def latest_submission(case) -> Submission | None:
    """The last round that was not withdrawn."""
    return _rounds(case).exclude(status=SubmissionStatus.WITHDRAWN).order_by("-round").first()


def conclusion_matches_ledger(review: Review) -> bool:
    """The review row says what its ledger event says (type, reviewer, round, dossier hash,
    opinion). A row changed behind the services' back — an admin edit, SQL — fails this, so a
    review can only ever count as concluded by the reviewer's own recorded act."""
    from sanxiang.ledger.models import Event

    event = Event.objects.filter(seq=review.ledger_seq).first()
    if event is None or event.type != CONCLUDED_EVENT or event.actor_id != review.reviewer_id:
        return False
    data = json.loads(event.payload).get("data") or {}
    submission = review.submission
    return (
        data.get("submission") == submission.pk
        and data.get("case") == submission.case_id
        and data.get("round") == submission.round
        and data.get("opinion") == review.opinion
        and data.get("dossier_sha256") == submission.dossier_sha256
    )


def round_facts(s: Submission, *, check_ledger: bool = False) -> rules.RoundFacts:
    review = getattr(s, "review", None)
    dispute = getattr(s, "dispute", None)
    due = effective_due(s)
    return rules.RoundFacts(
        round=s.round,
        status=s.status,
        submitted_on=s.submitted_on,
        submitter_id=s.submitted_by_id,
        dossier_sha256=s.dossier_sha256,
        due=due,
        due_reason=s.due_unknown_reason,
        opinion=review.opinion if review else "",
        reviewer_id=review.reviewer_id if review else None,
        reviewer_name=str(review.reviewer) if review else "",
        concluded_on=review.concluded_on if review else None,
        ledger_ok=conclusion_matches_ledger(review) if (review and check_ledger) else True,
        dispute_open=dispute is not None and dispute.discussion_id is None,
        dispute_resolved=dispute is not None and dispute.discussion_id is not None,
    )


def review_required(case) -> bool:
    if not (case.is_major or getattr(case, "is_complex", False)):
        return False  # no query for the common case
    cfg = settings_for(case.agency)
    return rules.review_required(
        is_major=case.is_major,
        is_complex=case.is_complex,
        complex_needs_review=cfg.complex_needs_review,
    )


def why_major(case) -> tuple[str, ...]:
    from sanxiang.cases.models import CaseFlag

    return tuple(
        f"{f.get_kind_display()}：{f.reason}"
        for f in CaseFlag.objects.filter(case=case, removed_on__isnull=True).order_by("pk")
    )


def gate_facts(case, *, actor=None, on: dt.date | None = None) -> rules.GateFacts:
    from sanxiang.cases.models import Assignment

    if not review_required(case):
        return rules.GateFacts(required=False)
    latest = latest_submission(case)
    facts = round_facts(latest, check_ledger=True) if latest is not None else None
    current = ""
    changes: tuple[rules.Change, ...] = ()
    if facts is not None and facts.passed and facts.ledger_ok:
        manifest = dossier.build_manifest(case)
        current, _ = rules.dossier_hashes(manifest)
        if current != facts.dossier_sha256:
            changes = tuple(rules.manifest_changes(latest.manifest, manifest))
    return rules.GateFacts(
        required=True,
        why=why_major(case),
        latest=facts,
        current_sha256=current,
        changes=changes,
        team_ids=frozenset(Assignment.objects.filter(case=case).values_list("user_id", flat=True)),
        actor_id=actor.pk if actor is not None else None,
        actor_name=str(actor) if actor is not None else "",
        on=on,
    )


def review_gate(case, actor=None, on: dt.date | None = None) -> list[str]:
    """The guard slot ``cases.gates.review_gate`` (installed by ``ReviewConfig.ready``): why
    ``case`` may not be decided yet as far as legal review goes; [] = it may. With ``actor`` (the
    decision maker) it also refuses a decision maker who reviewed the case, and with ``on`` (the
    decision date) a decision dated before the approval — the cases slot passes neither yet."""
    return rules.gate_reasons(gate_facts(case, actor=actor, on=on))


# --- clock ----------------------------------------------------------------------------------------


def effective_due(s: Submission) -> dt.date | None:
    """The due date after any extensions (the last extension's new due date)."""
    extensions = list(s.extensions.all())
    return extensions[-1].due_after if extensions else s.due_on


@dataclass(frozen=True)
class Clock:
    due: dt.date | None
    unknown_reason: str
    code: str  # normal | soon | overdue | unknown | met
    label: str
    workdays_left: int | None = None
    extended: int = 0
    decision_due: dt.date | None = None  # the case's decision clock (行政处罚法 第六十条)
    warning: str = ""

    @property
    def urgency(self) -> str:
        return self.code if self.code in ("normal", "soon", "overdue") else "unknown"


_UNSET = object()


def decision_dues(case_ids) -> dict[int, dt.date | None]:
    """The decision clock's due date (行政处罚法 第六十条) of each case, in one query."""
    from sanxiang.cases.choices import DeadlineKind, DeadlineStatus
    from sanxiang.cases.models import Deadline

    out: dict[int, dt.date | None] = {}
    for case_id, due in (
        Deadline.objects.filter(case_id__in=list(case_ids), kind=DeadlineKind.DECISION)
        .exclude(status=DeadlineStatus.CANCELLED)
        .order_by("pk")
        .values_list("case_id", "due")
    ):
        out[case_id] = due  # the latest clock wins
    return out


def review_clock(s: Submission, *, today: dt.date | None = None, decision_due=_UNSET) -> Clock:
    """The review period of one round, derived at read time (overdue is never stored), and the
    case's decision clock it runs inside (pass ``decision_due`` when reading many rounds)."""
    today = today or timezone.localdate()
    due = effective_due(s)
    extended = sum(e.workdays for e in s.extensions.all())
    if decision_due is _UNSET:
        decision_due = decision_dues([s.case_id]).get(s.case_id)
    warning = ""
    if due and decision_due and due > decision_due:
        warning = (
            f"审核期限（{rules.cn_date(due)}）晚于作出决定的期限（{rules.cn_date(decision_due)}）："
            "审核期限计入办案期限，请及时审核或依法延长办案期限"
        )
    if s.status == SubmissionStatus.CONCLUDED:
        review = getattr(s, "review", None)
        late = review is not None and due is not None and review.concluded_on > due
        return Clock(
            due,
            s.due_unknown_reason,
            "met",
            "逾期完成" if late else "已完成",
            None,
            extended,
            decision_due,
            warning if not late else "",
        )
    if s.status == SubmissionStatus.WITHDRAWN:
        return Clock(due, s.due_unknown_reason, "met", "已撤回", None, extended, decision_due)
    if due is None:
        return Clock(
            None, s.due_unknown_reason, "unknown", "期限待定", None, extended, decision_due
        )
    if today > due:
        return Clock(due, "", "overdue", "已逾期", None, extended, decision_due, warning)
    try:
        left = wc.workdays_left(today, due)
    except wc.CalendarYearMissing:
        return Clock(due, "", "normal", "正常", None, extended, decision_due, warning)
    code, label = ("soon", "即将到期") if left <= 2 else ("normal", "正常")
    return Clock(due, "", code, label, left, extended, decision_due, warning)


# --- for the case page ------------------------------------------------------------------------------

STATUS_BADGES = {
    "not_required": ("不属于必须法制审核的范围", "badge"),
    "not_submitted": ("待送法制审核", "badge-soon"),
    "pending": ("法制审核中", "badge-info"),
    "returned": ("审核退回", "badge-overdue"),
    "disputed": ("异议待集体讨论", "badge-soon"),
    "passed": ("法制审核通过", "badge-ok"),
    "voided": ("审核后案卷已变化", "badge-overdue"),
    "invalid": ("审核无效", "badge-overdue"),
}


@dataclass(frozen=True)
class CaseReviewStatus:
    """What the case page shows in its 法制审核 section (``review_status_for_case``)."""

    required: bool
    why: tuple[str, ...]
    code: str  # a key of STATUS_BADGES
    decided: bool
    label: str
    badge: str
    detail: str
    reasons: tuple[str, ...]  # what blocks the decision (the gate's reasons)
    rounds: int
    latest: Submission | None
    url: str  # the case's review page
    submit_url: str  # "" unless ``user`` may submit now
    accountability_url: str


DECIDED_STATES = ("decided", "served", "enforcement", "closed")


def review_status_for_case(case, *, user=None) -> CaseReviewStatus:
    decided = case.state in DECIDED_STATES
    latest = latest_submission(case)
    if decided:
        # After the decision the gate no longer applies: later records (service, payment …) do
        # not "void" the review the decision relied on.
        facts = rules.GateFacts(required=review_required(case), why=why_major(case))
        reasons: tuple[str, ...] = ()
        rf = round_facts(latest, check_ledger=True) if latest is not None else None
    else:
        facts = gate_facts(case)
        reasons = tuple(rules.gate_reasons(facts))
        rf = facts.latest
        if latest is not None and rf is None:
            rf = round_facts(latest, check_ledger=True)
    if rf is None:
        code = "not_submitted" if facts.required else "not_required"
        detail = "尚未送审" if facts.required else "本案未被标记为重大或情节复杂案件"
    elif rf.status == SubmissionStatus.PENDING:
        code = "pending"
        clock = review_clock(latest)
        due = rules.cn_date(clock.due) if clock.due else "期限待定"
        detail = f"第{rf.round}轮，{rules.cn_date(rf.submitted_on)}送审，审核期限至{due}（{clock.label}）"
    elif not rf.passed:
        code = "disputed" if rf.dispute_open else "returned"
        detail = (
            f"第{rf.round}轮审核意见：{rules.OPINION_LABELS[rf.opinion]}（{rf.reviewer_name}，"
            f"{rules.cn_date(rf.concluded_on)}）"
        )
    elif not rf.ledger_ok or (not decided and rf.reviewer_id in facts.team_ids):
        code, detail = "invalid", reasons[0] if reasons else "审核无效"
    elif (
        not decided
        and facts.required
        and facts.current_sha256
        and facts.current_sha256 != rf.dossier_sha256
    ):
        code, detail = "voided", reasons[0] if reasons else "审核后案卷已变化"
    else:
        code = "passed"
        detail = (
            f"第{rf.round}轮审核意见：同意（{rf.reviewer_name}，{rules.cn_date(rf.concluded_on)}）"
        )
        if decided:
            detail += "；已作出决定"
        elif not facts.required:
            # Reviewed although not required: show the result without re-hashing the dossier.
            detail += "；本案不属于必须法制审核的范围"
    label, badge = STATUS_BADGES[code]
    submit_url = ""
    if user is not None and not decided and may_submit(case, user=user):
        submit_url = _url("review:submit", case.pk)
    return CaseReviewStatus(
        required=facts.required,
        why=facts.why if facts.required else why_major(case),
        code=code,
        decided=decided,
        label=label,
        badge=badge,
        detail=detail,
        reasons=reasons,
        rounds=Submission.objects.filter(case=case).count(),
        latest=latest,
        url=_url("review:case", case.pk),
        submit_url=submit_url,
        accountability_url=_url("review:accountability", case.pk),
    )


SUBMIT_STATES = ("concluded", "notified", "pending_decision")


def may_submit(case, *, user) -> bool:
    """Whether to offer 送审 to ``user`` (the service decides; this only hides the button)."""
    from sanxiang.cases.models import Assignment

    return (
        user.is_active
        and user.has_perm("review.submit_for_review")
        and case.state in SUBMIT_STATES
        and Assignment.objects.filter(case=case, user=user, released_on__isnull=True).exists()
        and not Submission.objects.filter(case=case, status=SubmissionStatus.PENDING).exists()
    )


# --- pages ----------------------------------------------------------------------------------------


def _with_details(qs: QuerySet[Submission]) -> QuerySet[Submission]:
    return qs.select_related(
        "case", "submitted_by", "review__reviewer", "review__document", "dispute", "proposal"
    ).prefetch_related(
        Prefetch("extensions", queryset=ReviewExtension.objects.order_by("pk")),
    )


@dataclass(frozen=True)
class QueueRow:
    submission: Submission
    party: str
    clock: Clock


def _party_names(case_ids) -> dict[int, str]:
    from sanxiang.cases.models import Party

    names: dict[int, str] = {}
    for case_id, name in (
        Party.objects.filter(case_id__in=list(case_ids))
        .order_by("pk")
        .values_list("case_id", "name")
    ):
        names.setdefault(case_id, name)
    return names


def queue(*, agency=None, today: dt.date | None = None) -> list[QueueRow]:
    """The reviewer's inbox: rounds awaiting review, most urgent first (fixed query count)."""
    today = today or timezone.localdate()
    qs = _with_details(Submission.objects.filter(status=SubmissionStatus.PENDING))
    if agency is not None:
        qs = qs.filter(case__agency=agency)
    subs = list(qs.order_by("submitted_at", "pk"))
    names = _party_names(s.case_id for s in subs)
    dues = decision_dues({s.case_id for s in subs})
    rows = [
        QueueRow(
            s,
            names.get(s.case_id, ""),
            review_clock(s, today=today, decision_due=dues.get(s.case_id)),
        )
        for s in subs
    ]
    order = {"overdue": 0, "soon": 1, "unknown": 2, "normal": 3}
    return sorted(rows, key=lambda r: (order.get(r.clock.code, 9), r.clock.due or dt.date.max))


def submission_list(
    *, agency=None, status: str = "", opinion: str = "", user=None, q: str = ""
) -> QuerySet[Submission]:
    qs = _with_details(Submission.objects.all())
    if agency is not None:
        qs = qs.filter(case__agency=agency)
    if status:
        qs = qs.filter(status=status)
    if opinion:
        qs = qs.filter(review__opinion=opinion)
    if user is not None:
        qs = qs.filter(Q(submitted_by=user) | Q(review__reviewer=user))
    q = (q or "").strip()
    if q:
        qs = qs.filter(
            Q(case__case_no__icontains=q)
            | Q(case__registration_no__icontains=q)
            | Q(case__summary__icontains=q)
        )
    return qs.order_by("-submitted_at", "-pk")


def submission_detail(pk: int) -> Submission:
    return (
        _with_details(Submission.objects.all())
        .prefetch_related(
            Prefetch("review__points", queryset=ReviewPoint.objects.order_by("pk")),
            Prefetch(
                "expert_requests",
                queryset=ExpertRequest.objects.select_related(
                    "expert", "requested_by", "recorded_by"
                ).order_by("pk"),
            ),
        )
        .get(pk=pk)
    )


def case_rounds(case) -> list[Submission]:
    """Every round of a case, oldest first, with reviews, points, experts and disputes."""
    return list(
        _with_details(Submission.objects.filter(case=case))
        .select_related("dispute__raised_by", "dispute__discussion", "follows_dispute")
        .prefetch_related(
            Prefetch("review__points", queryset=ReviewPoint.objects.order_by("pk")),
            Prefetch(
                "expert_requests",
                queryset=ExpertRequest.objects.select_related("expert").order_by("pk"),
            ),
        )
        .order_by("round")
    )


@dataclass(frozen=True)
class ManifestRow:
    section: str
    section_label: str
    key: str
    label: str
    sha256: str
    files: tuple[dict, ...] = ()
    url: str = ""
    change: str = ""  # "added" | "changed" | "" compared with the current dossier


def manifest_rows(
    manifest: dict, *, changes: list[rules.Change] | None = None
) -> list[ManifestRow]:
    """The manifest for display, with links to the documents and the change of each entry."""
    changed = {(c.section, c.key): c.what for c in changes or ()}
    rows = []
    for section in dossier.SECTIONS:
        for e in manifest.get("sections", {}).get(section, []):
            url = ""
            kind, _, pk = e["key"].partition(":")
            if kind == "document":
                url = _url("records:document_detail", int(pk))
            elif kind == "evidence":
                url = _url("records:evidence_detail", int(pk))  # "" until evidence pages exist
            rows.append(
                ManifestRow(
                    section=section,
                    section_label=rules.SECTION_LABELS[section],
                    key=e["key"],
                    label=e["label"],
                    sha256=e["sha256"],
                    files=tuple(e.get("files") or ()),
                    url=url,
                    change=changed.get((section, e["key"]), ""),
                )
            )
    return rows


@dataclass(frozen=True)
class DossierState:
    current_sha256: str
    changes: tuple[rules.Change, ...]
    removed: tuple[rules.Change, ...]

    @property
    def unchanged(self) -> bool:
        return not self.changes


def dossier_state(s: Submission) -> DossierState:
    """Compare the frozen manifest of ``s`` with the case's dossier now."""
    current = dossier.build_manifest(s.case)
    sha, _ = rules.dossier_hashes(current)
    changes = tuple(rules.manifest_changes(s.manifest, current)) if sha != s.dossier_sha256 else ()
    return DossierState(sha, changes, tuple(c for c in changes if c.what == "removed"))


def reviewer_choices(*, agency, on: dt.date | None = None):
    """Users designated as review staff of the agency (for the expert form's adviser list)."""
    from django.contrib.auth import get_user_model

    from sanxiang.registry.models import ReviewerDesignation

    on = on or timezone.localdate()
    ids = (
        ReviewerDesignation.objects.filter(agency=agency, designated_on__lte=on)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
        .values("user_id")
    )
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("real_name", "pk")


def open_expert_requests(*, user) -> QuerySet[ExpertRequest]:
    return (
        ExpertRequest.objects.filter(expert=user, answer="")
        .select_related("submission__case", "requested_by")
        .order_by("requested_at", "pk")
    )


# --- 我的待办 ---------------------------------------------------------------------------------------


def todo_items_for(*, user, today: dt.date) -> list[TodoItem]:
    """Reviewers: rounds awaiting review, by urgency of the review period. Handlers: rounds
    returned to them and disputes awaiting the heads' discussion (an approval voided by a later
    change is shown on the case and at the decision: finding it needs the dossier rebuilt, too
    costly for every page). Experts: questions put to them. Heads (集体讨论): disputes to
    discuss."""
    from sanxiang.cases.models import Assignment

    if not user.is_active:
        return []
    items: list[TodoItem] = []
    agency = getattr(getattr(user, "unit", None), "agency", None)
    if user.has_perm("review.conclude_review"):
        for row in queue(agency=agency, today=today):
            s = row.submission
            items.append(
                TodoItem(
                    title=f"法制审核（第{s.round}轮送审）",
                    subject=f"{s.case.number} {row.party or s.case.summary}",
                    url=_url("review:review", s.pk),
                    due=row.clock.due,
                    basis="重大执法决定法制审核；审核期限计入办案期限",
                    urgency=row.clock.urgency,
                    note=row.clock.unknown_reason
                    if row.clock.due is None
                    else (
                        f"余{row.clock.workdays_left}个工作日"
                        if row.clock.workdays_left is not None
                        else row.clock.label
                    ),
                )
            )
    team_cases = Assignment.objects.filter(user=user, released_on__isnull=True).values("case")
    latest_rounds: dict[int, Submission] = {}
    for s in _with_details(
        Submission.objects.filter(case__in=team_cases)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .exclude(case__state__in=("decided", "served", "enforcement", "closed", "not_filed"))
    ).order_by("case_id", "round"):
        latest_rounds[s.case_id] = s
    for s in latest_rounds.values():
        review = getattr(s, "review", None)
        if review is None or review.opinion == Opinion.AGREE:
            continue
        dispute = getattr(s, "dispute", None)
        if dispute is not None and dispute.discussion_id is None:
            title = "异议待负责人集体讨论后重新送审"
        else:
            title = f"按法制审核意见（{review.get_opinion_display()}）修改后重新送审"
        items.append(
            TodoItem(
                title=title,
                subject=f"{s.case.number} {s.case.summary}",
                url=_url("review:case", s.case_id),
                basis="行政处罚法第五十八条：审核未通过的，不得作出决定",
                urgency="soon",
                note=f"第{s.round}轮，{review.reviewer}，{rules.cn_date(review.concluded_on)}",
            )
        )
    if user.has_perm("cases.discuss_case"):
        for d in Dispute.objects.filter(discussion__isnull=True).select_related("submission__case"):
            case = d.submission.case
            if agency is not None and case.agency_id != agency.pk:
                continue
            items.append(
                TodoItem(
                    title="承办机构与法制审核机构意见不一致，须集体讨论",
                    subject=f"{case.number} {case.summary}",
                    url=_url("review:case", case.pk),
                    basis="国办发〔2018〕118号：审核意见不一致时的协调机制；行政处罚法第五十七条第二款",
                    urgency="soon",
                )
            )
    for r in open_expert_requests(user=user):
        items.append(
            TodoItem(
                title="提供法制审核咨询意见",
                subject=f"{r.submission.case.number} {r.submission.case.summary}",
                url=_url("review:expert_answer", r.pk),
                basis="法制审核专家委员会（实施方案 三（三）4）",
                urgency="normal",
                note=f"{r.requested_by}征求",
            )
        )
    return items


# --- accountability (责任追溯) ----------------------------------------------------------------------

ACCOUNTABILITY_TYPES = {
    "case.proposal_made": "承办",
    "review.submitted": "送审",
    "review.withdrawn": "送审",
    "review.expert_requested": "专家咨询",
    "review.expert_answered": "专家咨询",
    "review.concluded": "法制审核",
    "review.extended": "法制审核",
    "review.dispute_raised": "异议",
    "review.dispute_resolved": "异议",
    "case.discussion_recorded": "集体讨论",
    "case.decide": "决定",
    "case.decide_on_spot": "决定",
}


@dataclass(frozen=True)
class AccountabilityRow:
    seq: int
    at: dt.datetime
    stage: str  # 承办 / 送审 / 法制审核 / 集体讨论 / 决定 …
    what: str  # the event's label
    person: str  # who acted (the name recorded in the ledger at the time)
    detail: str  # opinion, round, hash …


@dataclass(frozen=True)
class Accountability:
    case: object
    rows: list[AccountabilityRow]
    submitted_by: list[str] = field(default_factory=list)
    reviewed_by: list[str] = field(default_factory=list)
    discussed_by: list[str] = field(default_factory=list)
    decided_by: str = ""
    decided_at: dt.datetime | None = None
    decision_number: str = ""
    approved_sha256: str = ""  # the dossier hash of the review the decision relied on
    required: bool = False


def _names(ids, users: dict[int, str]) -> str:
    return "、".join(users.get(i, f"用户{i}") for i in ids)


def accountability(case) -> Accountability:
    """Who submitted, who reviewed with what opinion, who discussed, who approved, and when —
    read from the ledger (the case's events), so the record shows what was recorded at the time,
    in order, with each entry's sequence number."""
    from django.contrib.auth import get_user_model

    from sanxiang.cases.choices import DiscussionConclusion
    from sanxiang.ledger.labels import event_label
    from sanxiang.ledger.selectors import events_of_subject

    events = list(events_of_subject(case).filter(type__in=list(ACCOUNTABILITY_TYPES)))
    payloads = [(e, json.loads(e.payload)) for e in events]
    attendee_ids = {
        i
        for e, p in payloads
        if e.type == "case.discussion_recorded"
        for i in (p.get("data") or {}).get("attendees") or []
    }
    users = {
        u.pk: (u.real_name or u.get_username())
        for u in get_user_model().objects.filter(pk__in=attendee_ids)
    }
    rows: list[AccountabilityRow] = []
    result = {
        "submitted_by": [],
        "reviewed_by": [],
        "discussed_by": [],
        "decided_by": "",
        "decided_at": None,
        "decision_number": "",
        "approved_sha256": "",
    }
    opinions = dict(Opinion.choices)
    conclusions = dict(DiscussionConclusion.choices)
    for e, p in payloads:
        data = p.get("data") or {}
        actor = (p.get("actor") or {}).get("name") or "系统"
        detail = ""
        if e.type == "review.submitted":
            detail = (
                f"第{data.get('round')}轮；案卷哈希 {str(data.get('dossier_sha256', ''))[:16]}…"
            )
            if actor not in result["submitted_by"]:
                result["submitted_by"].append(actor)
        elif e.type == "review.concluded":
            opinion = opinions.get(data.get("opinion"), data.get("opinion"))
            detail = f"第{data.get('round')}轮：{opinion}"
            if data.get("document_number"):
                detail += f"（{data['document_number']}）"
            if data.get("opinion") == Opinion.AGREE:
                result["approved_sha256"] = data.get("dossier_sha256", "")
            entry = f"{actor}（{opinion}）"
            if entry not in result["reviewed_by"]:
                result["reviewed_by"].append(entry)
        elif e.type == "case.discussion_recorded":
            attendees = _names(data.get("attendees") or [], users)
            conclusion = conclusions.get(data.get("conclusion_kind"), data.get("conclusion_kind"))
            detail = f"参加人员：{attendees}；结论：{conclusion}"
            for i in data.get("attendees") or []:
                name = users.get(i, f"用户{i}")
                if name not in result["discussed_by"]:
                    result["discussed_by"].append(name)
        elif e.type in ("case.decide", "case.decide_on_spot"):
            detail = f"文号：{data.get('number') or '（无）'}"
            result["decided_by"], result["decided_at"] = actor, e.at
            result["decision_number"] = data.get("number") or ""
        elif e.type == "case.proposal_made":
            detail = f"拟处理意见第{data.get('revision')}版"
        elif e.type in ("review.expert_requested", "review.expert_answered"):
            detail = f"{data.get('expert_kind_label', '')}{data.get('expert_name', '')}"
        elif e.type in ("review.dispute_raised", "review.dispute_resolved"):
            detail = f"第{data.get('round')}轮"
        elif e.type == "review.extended":
            detail = f"延长{data.get('workdays')}个工作日：{data.get('reason', '')}"
        elif e.type == "review.withdrawn":
            detail = f"撤回第{data.get('round')}轮：{data.get('reason', '')}"
        rows.append(
            AccountabilityRow(
                seq=e.seq,
                at=e.at,
                stage=ACCOUNTABILITY_TYPES[e.type],
                what=event_label(e.type),
                person=actor,
                detail=detail,
            )
        )
    return Accountability(case=case, rows=rows, required=review_required(case), **result)


# --- figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureReport:
    year: int
    ratio: object  # registry.rules.ReviewerRatio
    figures: rules.Figures
    opinion_rows: list[tuple[str, int]]


def figures(*, agency, year: int, today: dt.date | None = None) -> FigureReport:
    """Reviewers as a share of enforcement officers (target ≥ 5 %, 国办发〔2018〕118号), reviews
    by outcome, average review time in working days, rounds returned per case (fixed queries)."""
    from sanxiang.registry.selectors import reviewer_ratio

    today = today or timezone.localdate()
    reviews = list(
        Review.objects.filter(submission__case__agency=agency, concluded_on__year=year)
        .select_related("submission")
        .prefetch_related(
            Prefetch("submission__extensions", queryset=ReviewExtension.objects.order_by("pk"))
        )
    )
    concluded = []
    for r in reviews:
        s = r.submission
        try:
            days: int | None = wc.count_workdays(s.submitted_on, r.concluded_on)
        except wc.CalendarYearMissing:
            days = None
        due = effective_due(s)
        concluded.append((s.case_id, r.opinion, days, due is not None and r.concluded_on > due))
    pending = [
        review_clock(s, today=today, decision_due=None).code == "overdue"
        for s in _with_details(
            Submission.objects.filter(case__agency=agency, status=SubmissionStatus.PENDING)
        )
    ]
    f = rules.figures(concluded=concluded, pending=pending)
    return FigureReport(
        year=year,
        ratio=reviewer_ratio(agency=agency, on=min(today, dt.date(year, 12, 31))),
        figures=f,
        opinion_rows=[(label, f.by_opinion.get(code, 0)) for code, label in Opinion.choices],
    )

"""Reads of evidence: lists and details, a case's materials (text records and recordings of the
same case and party together — 集中储存), an enforcement target's materials across cases, the
chain of custody of one file, fixity failures, 我的待办 entries and media tokens."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanxiang.lib.todo import TodoItem

from . import config, requirements
from .choices import ExemptionStatus, Kind, RuleMode, Scene, Step
from .models import Evidence, FixityCheck, RecordingExemption, RecordingRule

# --- lists -------------------------------------------------------------------------------------


def evidence_list(
    *,
    user=None,
    case=None,
    kind: str = "",
    scene: str = "",
    step: str = "",
    party=None,
    q: str = "",
) -> QuerySet[Evidence]:
    qs = Evidence.objects.select_related(
        "case", "party", "device", "recorded_by", "uploaded_by"
    ).order_by("-uploaded_at", "-pk")
    unit = getattr(user, "unit", None) if user is not None else None
    if unit is not None:
        qs = qs.filter(case__agency_id=unit.agency_id)
    if case is not None:
        qs = qs.filter(case=case)
    if kind in Kind.values:
        qs = qs.filter(kind=kind)
    if scene in Scene.values:
        qs = qs.filter(scene=scene)
    if step in Step.values:
        qs = qs.filter(step=step)
    if party is not None:
        qs = qs.filter(Q(party=party) | Q(party__isnull=True, case_id=party.case_id))
    q = (q or "").strip()
    if q:
        number = q.upper().removeprefix("ZJ").lstrip("0")
        match = (
            Q(description__contains=q)
            | Q(place__contains=q)
            | Q(original_name__contains=q)
            | Q(case__case_no__contains=q)
            | Q(case__registration_no__contains=q)
            | Q(sha256=q.lower())
        )
        # An evidence number (ZJ000123): ASCII digits only ("²".isdigit() is true) and short
        # enough for the id column — a longer run of digits is searched as text only.
        if number.isascii() and number.isdigit() and len(number) <= 18:
            match |= Q(pk=int(number))
        qs = qs.filter(match)
    return qs


def evidence_detail(pk: int) -> Evidence:
    return Evidence.objects.select_related(
        "case", "case__agency", "party", "device", "device_holder", "recorded_by", "uploaded_by",
        "record_type",
    ).get(pk=pk)  # fmt: skip


# --- the case's acts and materials ---------------------------------------------------------------


@dataclass(frozen=True)
class RecordRow:
    """A text record of the case (笔录、送达回证、听证 …) that recordings can be bound to."""

    ref: tuple[int, str]
    step: str
    label: str
    on: dt.date | None
    detail: str = ""

    @property
    def value(self) -> str:
        return f"rec:{self.ref[0]}:{self.ref[1]}"


def _day(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def case_records(case) -> list[RecordRow]:
    """The case's recorded acts, in date order (six queries)."""
    from sanxiang.cases.choices import RecordKind
    from sanxiang.cases.models import (
        CorrectionOrder,
        Decision,
        Hearing,
        InvestigationRecord,
        Preservation,
        ServiceRecord,
    )

    def ct(model) -> int:
        return ContentType.objects.get_for_model(model).pk

    rows: list[RecordRow] = []
    for r in InvestigationRecord.objects.filter(case=case).order_by("started_at", "pk"):
        step = Step.INSPECTION if r.kind == RecordKind.INSPECTION else Step.INTERVIEW
        day = _day(r.started_at)
        rows.append(
            RecordRow(
                (ct(InvestigationRecord), str(r.pk)),
                step,
                f"{r.get_kind_display()}（{r.person_name}，{day:%Y-%m-%d}）",
                day,
                r.place,
            )
        )
    for s in ServiceRecord.objects.filter(case=case).order_by("served_on", "pk"):
        day = s.published_on if s.method == "public" else s.served_on
        rows.append(
            RecordRow(
                (ct(ServiceRecord), str(s.pk)),
                Step.SERVICE,
                f"{s.document_name}·{s.get_method_display()}（{day:%Y-%m-%d}）",
                day,
                f"受送达人：{s.addressee}"
                + (f"；拒收事由：{s.refusal_reason}" if s.refusal_reason else ""),
            )
        )
    for h in Hearing.objects.filter(case=case).order_by("requested_on", "pk"):
        day = _day(h.scheduled_at) or h.requested_on
        rows.append(
            RecordRow(
                (ct(Hearing), str(h.pk)),
                Step.HEARING,
                f"听证（{day:%Y-%m-%d}{'，' + h.get_outcome_display() if h.outcome else ''}）",
                day,
                h.place,
            )
        )
    for p in Preservation.objects.filter(case=case).order_by("requested_on", "pk"):
        day = p.preserved_on or p.requested_on
        rows.append(
            RecordRow(
                (ct(Preservation), str(p.pk)),
                Step.PRESERVATION,
                f"先行登记保存（{day:%Y-%m-%d}，{p.get_status_display()}）",
                day,
                p.place_kept,
            )
        )
    for o in CorrectionOrder.objects.filter(case=case).order_by("issued_on", "pk"):
        day = o.checked_on or o.issued_on
        rows.append(
            RecordRow(
                (ct(CorrectionOrder), str(o.pk)),
                Step.CORRECTION_CHECK,
                f"责令改正 {o.number}（{'复查 ' + f'{o.checked_on:%Y-%m-%d}' if o.checked_on else '未复查'}）",
                day,
            )
        )
    for d in Decision.objects.filter(case=case, on_spot=True):
        rows.append(
            RecordRow(
                (ct(Decision), str(d.pk)),
                Step.ON_SPOT,
                f"当场处罚决定 {d.number or ''}（{d.decided_on:%Y-%m-%d}）",
                d.decided_on,
                d.on_spot_place,
            )
        )
    rows.sort(key=lambda r: (r.on or dt.date.min, r.label))
    return rows


def resolve_record(case, value: str):
    """``rec:<content type>:<pk>`` of one of the case's records → the record (None if not)."""
    try:
        _, type_id, pk = value.split(":", 2)
        model = ContentType.objects.get_for_id(int(type_id)).model_class()
    except (ValueError, ContentType.DoesNotExist):
        return None
    if model is None or f"{model._meta.label_lower}" not in (
        "cases.servicerecord",
        "cases.investigationrecord",
        "cases.hearing",
        "cases.preservation",
        "cases.correctionorder",
        "cases.decision",
    ):
        return None
    return model.objects.filter(pk=pk, case=case).first()


@dataclass
class MaterialGroup:
    step: str
    label: str
    records: list[RecordRow] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    requirements: list[requirements.Requirement] = field(default_factory=list)


@dataclass
class LinkedMaterials:
    """The material of a holder linked to the case (the random inspection that led to it):
    its documents (现场检查笔录) and evidence, each with its hashes."""

    name: str  # 检查任务
    holder: object
    url: str
    documents: list
    evidence: list[Evidence]


@dataclass
class CaseMaterials:
    case: object
    groups: list[MaterialGroup]
    documents: list
    requirements: list[requirements.Requirement]
    exemptions: list[RecordingExemption]
    linked: list[LinkedMaterials] = field(default_factory=list)

    @property
    def blocking(self) -> list[requirements.Requirement]:
        return [r for r in self.requirements if r.blocking]

    @property
    def prompts(self) -> list[requirements.Requirement]:
        return [r for r in self.requirements if r.rule.mode == RuleMode.PROMPT and not r.met]

    @property
    def evidence_count(self) -> int:
        return sum(len(g.evidence) for g in self.groups)


def case_materials(case, *, party=None) -> CaseMaterials:
    """A case's text records, documents and recordings, grouped by step, with what each
    recording rule asks for and whether it is met — the "one case, one place" view (seed:
    集中储存). With ``party``: the recordings about that party (and those about no party)."""
    from sanxiang.records.selectors import documents_of_subject

    records = case_records(case)
    evidence = list(evidence_list(case=case, party=party).order_by("started_at", "pk"))
    reqs = requirements.requirements([case.pk], rules=requirements.active_rules()).get(case.pk, [])
    groups = {s: MaterialGroup(s, Step(s).label) for s in Step.values}
    by_ref: dict[tuple[int, str], RecordRow] = {r.ref: r for r in records}
    for row in records:
        groups[row.step].records.append(row)
    for ev in evidence:
        ref = (ev.record_type_id, ev.record_id) if ev.record_type_id else None
        ev.record_row = by_ref.get(ref) if ref else None
        groups[ev.step].evidence.append(ev)
    for req in reqs:
        groups[req.subject.step].requirements.append(req)
    exemptions = list(
        RecordingExemption.objects.filter(case=case)
        .select_related("rule", "requested_by", "decided_by")
        .order_by("-requested_at")
    )
    return CaseMaterials(
        case=case,
        groups=[g for g in groups.values() if g.records or g.evidence or g.requirements],
        documents=list(documents_of_subject(case)),
        requirements=reqs,
        exemptions=exemptions,
        linked=linked_materials(case),
    )


def holder_evidence(holder) -> QuerySet[Evidence]:
    """The evidence of a registered holder (a 检查任务), in recording order."""
    return (
        Evidence.objects.filter(
            case__isnull=True,
            holder_type=ContentType.objects.get_for_model(holder),
            holder_id=str(holder.pk),
        )
        .select_related("device", "recorded_by", "uploaded_by")
        .order_by("started_at", "pk")
    )


def linked_materials(case) -> list[LinkedMaterials]:
    """Documents and evidence of the holders linked to ``case`` (holders.register_case_link):
    the on-site inspection of the random inspection whose result was 立案 belongs to the case
    file."""
    from sanxiang.records.selectors import documents_of_subject

    from . import holders

    out = []
    for obj in holders.linked_to_case(case):
        spec = holders.holder_of(obj)
        if spec is None:
            continue
        out.append(
            LinkedMaterials(
                name=spec.name,
                holder=obj,
                url=spec.url(obj),
                documents=list(documents_of_subject(obj)),
                evidence=list(holder_evidence(obj)),
            )
        )
    return out


def blocked_actions(case, *, reasons: list[str] | None = None) -> list[tuple[str, str]]:
    """(action label, state) of the transitions the recording gate blocks now: every action
    possible in the case's state (what the case page would show as blocked)."""
    from sanxiang.cases import workflow

    from . import gate

    reasons = gate.blocking_reasons(case) if reasons is None else reasons
    if not reasons:
        return []
    return [(t.action, t.label) for t in workflow.TRANSITIONS.values() if case.state in t.sources]


# --- an enforcement target across cases (集中储存) -------------------------------------------------


@dataclass
class TargetCase:
    case: object
    party: object
    evidence: list[Evidence]
    documents: list


def target_materials(party, *, user=None) -> list[TargetCase]:
    """Every case of the same enforcement target (same 统一社会信用代码 or 身份证号码 as
    ``party``), with its recordings and documents: an employer's text and A/V records
    retrievable together (国办发〔2018〕118号: 将执法对象的文字记录和音像记录集中储存)."""
    from sanxiang.cases.models import Party
    from sanxiang.records.models import GeneratedDocument

    codes = Q()
    if party.uscc:
        codes |= Q(uscc=party.uscc)
    if party.id_number:
        codes |= Q(id_number=party.id_number)
    parties = [party] if not codes else list(
        Party.objects.filter(codes).select_related("case").order_by("-case__received_on", "-pk")
    )  # fmt: skip
    unit = getattr(user, "unit", None)
    if unit is not None:
        parties = [p for p in parties if p.case.agency_id == unit.agency_id]
    case_ids = [p.case_id for p in parties]
    evidence = list(evidence_list(user=user).filter(case_id__in=case_ids).order_by("started_at"))
    case_ct = ContentType.objects.get_for_model(party.case)
    documents = list(
        GeneratedDocument.objects.filter(
            subject_type=case_ct, subject_id__in=[str(i) for i in case_ids]
        ).order_by("issued_on", "pk")
    )
    out = []
    for p in parties:
        out.append(
            TargetCase(
                case=p.case,
                party=p,
                evidence=[
                    e for e in evidence if e.case_id == p.case_id and (e.party_id in (None, p.pk))
                ],
                documents=[d for d in documents if d.subject_id == str(p.case_id)],
            )
        )
    return out


# --- chain of custody --------------------------------------------------------------------------


@dataclass(frozen=True)
class CustodyRow:
    seq: int
    at: dt.datetime
    label: str
    actor: object
    ip: str
    reason: str
    details: str


def custody_log(evidence: Evidence) -> list[CustodyRow]:
    """Every ledger event about this file: its upload, each view, download and export (with
    the reason given), fixity failures and restorations."""
    from sanxiang.ledger.labels import event_label
    from sanxiang.ledger.models import Event
    from sanxiang.ledger.selectors import events_of_subject

    events = list(events_of_subject(evidence))
    if evidence.ledger_seq is not None:
        added = Event.objects.filter(seq=evidence.ledger_seq).select_related("actor").first()
        if added is not None:
            events.insert(0, added)
    rows = []
    for event in events:
        data = json.loads(event.payload).get("data") or {}
        if event.type == "evidence.added":
            details = f"SHA-256 {data['files'][0]['sha256'][:16]}…，{data.get('via', '')}"
        elif event.type.startswith("evidence.fixity"):
            details = data.get("problem") or "文件与登记的哈希一致"
        else:
            details = ""
        rows.append(
            CustodyRow(
                seq=event.seq,
                at=event.at,
                label=event_label(event.type),
                actor=event.actor,
                ip=data.get("ip", ""),
                reason=data.get("reason", ""),
                details=details,
            )
        )
    return rows


# --- rules, exemptions, fixity --------------------------------------------------------------------


def recording_rules() -> list[RecordingRule]:
    return list(RecordingRule.objects.select_related("updated_by").order_by("pk"))


def exemption_detail(pk: int) -> RecordingExemption:
    return RecordingExemption.objects.select_related(
        "case", "rule", "requested_by", "decided_by", "record_type"
    ).get(pk=pk)


def pending_exemptions_for(user) -> QuerySet[RecordingExemption]:
    """Requests this user may decide: pending, in the user's agency, not of a case the user
    works on."""
    from sanxiang.cases.models import Assignment

    qs = RecordingExemption.objects.filter(status=ExemptionStatus.PENDING).select_related(
        "case", "rule", "requested_by"
    )
    unit = getattr(user, "unit", None)
    if unit is not None:
        qs = qs.filter(case__agency_id=unit.agency_id)
    mine = Assignment.objects.filter(user=user).values("case_id")
    return qs.exclude(case_id__in=mine).exclude(requested_by=user).order_by("requested_at")


def fixity_failures() -> list[tuple[Evidence, FixityCheck | None]]:
    """Evidence whose latest fixity check failed, with that check (oldest failure first)."""
    failed = list(
        Evidence.objects.filter(fixity_ok=False)
        .select_related("case")
        .order_by("fixity_checked_at", "pk")
    )
    latest = {}
    for check in FixityCheck.objects.filter(evidence__in=failed, ok=False).order_by("checked_at"):
        latest[check.evidence_id] = check
    return [(ev, latest.get(ev.pk)) for ev in failed]


def fixity_recent(limit: int = 50) -> list[FixityCheck]:
    return list(
        FixityCheck.objects.select_related("evidence", "evidence__case").order_by(
            "-checked_at", "-pk"
        )[:limit]
    )


def fixity_summary() -> dict:
    total = Evidence.objects.count()
    never = Evidence.objects.filter(fixity_checked_at__isnull=True).count()
    due_before = timezone.now() - config.fixity_interval()
    due = Evidence.objects.filter(
        Q(fixity_checked_at__isnull=True) | Q(fixity_checked_at__lt=due_before)
    ).count()
    return {"total": total, "never": never, "due": due}


# --- 我的待办 ------------------------------------------------------------------------------------


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def todo_items_for(*, user, today: dt.date) -> list[TodoItem]:
    """Fixity failures (system administrator), exemption requests to decide (the head), and
    required recordings still missing in the officer's own open cases."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    items: list[TodoItem] = []
    if user.has_perm("records.view_fixitycheck"):
        for ev, check in fixity_failures():
            items.append(
                TodoItem(
                    title="证据文件完整性校验失败：请从备份恢复后复查",
                    subject=f"证据{ev.number}（案件{ev.case}）：{check.problem if check else ''}",
                    url=_url("records:fixity"),
                    urgency="overdue",
                    basis="DA/T 70-2018 电子档案四性检测；ARCHITECTURE.md 不变量6",
                )
            )
    if user.has_perm("records.approve_recording_exemption"):
        for ex in pending_exemptions_for(user):
            items.append(
                TodoItem(
                    title="审批免于音像记录申请",
                    subject=f"案件{ex.case}：{ex.rule.get_target_display()}（{ex.requested_by}申请）",
                    url=_url("records:exemption_detail", ex.pk),
                    urgency="soon",
                )
            )
    if user.has_perm("records.add_evidence"):
        from sanxiang.cases.choices import TERMINAL_STATES
        from sanxiang.cases.models import Assignment

        case_ids = list(
            Assignment.objects.filter(user=user, released_on__isnull=True)
            .exclude(case__state__in=TERMINAL_STATES)
            .values_list("case_id", flat=True)
        )
        if case_ids:
            found = requirements.requirements(
                case_ids, rules=requirements.active_rules(blocking_only=True)
            )
            from sanxiang.cases.models import Case

            names = {c.pk: str(c) for c in Case.objects.filter(pk__in=list(found))}
            for case_id, reqs in found.items():
                for req in reqs:
                    if req.blocking:
                        items.append(
                            TodoItem(
                                title=f"上传{req.rule.get_target_display()}的{req.rule.kind_labels}记录",
                                subject=f"案件{names.get(case_id, case_id)}：{req.subject.label}",
                                url=_url("records:case_materials", case_id),
                                urgency="overdue" if not req.pending_exemption else "soon",
                                note="未上传前本案不能继续办理"
                                + ("（免于记录申请待审批）" if req.pending_exemption else ""),
                            )
                        )
    return items


# --- media tokens ---------------------------------------------------------------------------------

_TOKEN_SALT = "sanxiang.records.evidence.media"


def media_token(evidence: Evidence, user) -> str:
    """A token for the player on the detail page: opening the detail page is the recorded
    view; the media requests it makes (many, with Range) are not recorded again."""
    return signing.dumps({"e": evidence.pk, "u": user.pk}, salt=_TOKEN_SALT, compress=True)


def media_token_valid(token: str, *, evidence: Evidence, user) -> bool:
    try:
        data = signing.loads(token, salt=_TOKEN_SALT, max_age=config.media_token_seconds())
    except signing.BadSignature:
        return False
    return data == {"e": evidence.pk, "u": user.pk}

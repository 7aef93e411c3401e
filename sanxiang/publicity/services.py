"""Writes of enforcement publicity. Each service is keyword-only, takes ``actor`` (None only for
the system's own collection and sweeps), checks permission, validates input (Chinese
``DomainError`` naming the field, nothing written), runs in one transaction and records a
ledger event in it (ARCHITECTURE.md §3, invariant 1).

    publication_collect   a decision → masked draft (采集), on the 7 / 20 working-day clock
    publication_revise    edit the masked text or mark a ground not to publish (修改)
    publication_approve   a second person approves: published, or a correction published (审核发布)
    publication_withhold  the recorded decision not to publish (不予公开决定)
    publication_note_change  a decision change recorded in cases (撤下任务, via a subscription)
    publication_withdraw  take a published decision down and say why (撤下, 行政处罚法 第四十八条)
    credit_repair_apply / credit_repair_decide   early end of publicity (信用修复)
    publicity_settings_set  the bureau's rules (warning-only, periods per penalty type)
    annual_report_publish   the 行政执法统计年报 of a past year
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from sanxiang import ledger
from sanxiang.cases.models import DecisionChange
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.lib.masking import KIND_LABELS, find_sensitive
from sanxiang.workcalendar.selectors import CalendarYearMissing, add_workdays

from . import rules, sources
from .models import (
    REQUIRED_REPAIR_MATERIALS,
    AnnualReport,
    CreditRepair,
    PortalEntry,
    PortalPage,
    PortalSnapshot,
    PortalVersion,
    Publication,
    PublicationVersion,
    PublicitySettings,
    RepairMaterial,
    RepairStatus,
    State,
    VersionState,
)

# --- helpers ------------------------------------------------------------------------------------


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.has_perm(f"publicity.{perm}"):
        raise NotPermitted(f"您没有{what}的权限")


def _text(value, *, field: str, label: str, required: bool = True, max_length: int = 2000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise DomainError(f"{label}应为文字", field=field)
    value = value.strip()
    if required and not value:
        raise DomainError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise DomainError(f"{label}不能超过{max_length}字（现为{len(value)}字）", field=field)
    return value


def _date(value, *, field: str, label: str, today: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise DomainError(f"{label}应为日期，格式如 2026-04-07", field=field) from None
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{label}", field=field)
    if value > today:
        raise DomainError(f"{label}不能晚于今天", field=field)
    return value


def _due(start: dt.date, workdays: int) -> tuple[dt.date | None, str]:
    """The deadline from the working-day calendar, or None and why (an unknown year is never
    guessed: ARCHITECTURE.md invariant 7)."""
    try:
        return add_workdays(start, workdays), ""
    except CalendarYearMissing as exc:
        return None, str(exc)[:200]


def _locked(publication: Publication) -> Publication:
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("decision", "agency")
        .get(pk=publication.pk)
    )


def _refresh(target: Publication, source: Publication) -> Publication:
    for f in source._meta.concrete_fields:
        setattr(target, f.attname, getattr(source, f.attname))
    return target


def settings_for(agency) -> PublicitySettings:
    found = PublicitySettings.objects.filter(agency=agency).first()
    return found or PublicitySettings(agency=agency)


def _drafters(publication: Publication) -> set[int]:
    ids = set(
        PublicationVersion.objects.filter(publication=publication, author__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    if publication.drafted_by_id:
        ids.add(publication.drafted_by_id)
    return ids


def _draft_version(publication: Publication) -> PublicationVersion | None:
    return PublicationVersion.objects.filter(
        publication=publication, state=VersionState.DRAFT
    ).first()


def _grounds(publication: Publication, src: sources.Source) -> list[str]:
    setting = settings_for(publication.agency)
    changed = DecisionChange.objects.filter(decision_id=publication.decision_id).exists()
    return sources.withhold_grounds_of(
        src,
        withhold_warning_only=setting.withhold_warning_only,
        manual=publication.manual_grounds,
        changed=changed and publication.state == State.DRAFT,
    )


# --- collect (采集) ---------------------------------------------------------------------------------


def publication_collect(*, decision, actor=None) -> Publication | None:
    """Create the masked draft of ``decision`` (idempotent: an existing one is returned).

    Called for every decision the system learns about — by the ledger subscription on
    ``case.decide`` / ``case.decide_on_spot`` and by the catch-up sweep — with ``actor`` None:
    the draft is the system's, and the person responsible for it is the case's lead officer
    (谁办案、谁录入、谁负责). Decisions that are not published (撤销立案, 移送) return None.
    """
    if actor is not None:
        _require(actor, "draft_publication", "采集公示信息")
    existing = Publication.objects.filter(decision_id=decision.pk).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _collect(decision, actor)
    except IntegrityError:  # collected by another process at the same moment
        return Publication.objects.filter(decision_id=decision.pk).first()


def _collect(decision, actor) -> Publication | None:
    src = sources.decision_source(decision)
    if src.category is None:
        return None
    days = rules.publish_workdays(src.category)
    due, reason = _due(src.decided_on, days)
    publication = Publication.objects.create(
        agency_id=decision.case.agency_id,
        decision=decision,
        category=src.category,
        decided_on=src.decided_on,
        publish_workdays=days,
        due_on=due,
        due_reason=reason,
        drafted_by_id=src.lead_officer_id or (actor.pk if actor else None),
        confidentiality_review=src.confidentiality_review,
        item_code=src.item_code,
    )
    publication.withhold_grounds = _grounds(publication, src)
    publication.save(update_fields=["withhold_grounds"])
    fields, counts = src.masked()
    PublicationVersion.objects.create(
        publication=publication,
        number=1,
        fields=fields,
        counts=counts,
        author=actor,
        note="系统根据执法决定自动采集并脱敏",
    )
    ledger.record(
        actor=actor,
        subject=publication,
        type="publicity.collected",
        data={
            "decision": decision.number or "",
            "category": src.category,
            "decided_on": src.decided_on,
            "publish_workdays": days,
            "due_on": due,
            "withhold_grounds": publication.withhold_grounds,
            "masked": counts,
        },
    )
    return publication


# --- revise (修改脱敏文本、标记不予公开情形) --------------------------------------------------------------


def _clean_fields(fields: dict) -> dict[str, str]:
    if not isinstance(fields, dict):
        raise DomainError("公开字段应为字典", field="fields")
    unknown = set(fields) - set(sources.FIELD_LABELS)
    if unknown:
        raise DomainError(f"未知的公开字段：{'、'.join(sorted(unknown))}", field="fields")
    out = {}
    for key, label in sources.FIELDS:
        out[key] = _text(
            fields.get(key, ""),
            field=key,
            label=label,
            required=key in sources.REQUIRED_FIELDS,
            max_length=sources.FIELD_MAX,
        )
    return out


@transaction.atomic
def publication_revise(
    *,
    publication: Publication,
    actor,
    fields: dict,
    note: str = "",
    manual_grounds: list[str] | None = None,
) -> PublicationVersion:
    """A new draft version of the masked text (and the grounds not to publish the drafter
    marks). On a published item this is a correction (更正), which needs a reason and is
    published only after a second person approves it."""
    _require(actor, "draft_publication", "修改公示信息")
    locked = _locked(publication)
    if locked.state not in (State.DRAFT, State.PUBLISHED):
        raise Blocked([f"公示信息当前为“{locked.get_state_display()}”，不能修改"])
    correcting = locked.state == State.PUBLISHED
    cleaned = _clean_fields(fields)
    note = _text(
        note, field="note", label="更正理由" if correcting else "修改说明", required=correcting
    )
    grounds = list(dict.fromkeys(manual_grounds or []))
    bad = [g for g in grounds if g not in rules.MANUAL_GROUNDS]
    if bad:
        raise DomainError(f"不能人工标记的情形：{'、'.join(bad)}", field="manual_grounds")
    if correcting and grounds:
        raise DomainError(
            "已公开的信息不能标记不予公开情形；如不应公开，请撤下并说明理由", field="manual_grounds"
        )
    previous = _draft_version(locked)
    if previous is not None:
        previous.state = VersionState.DISCARDED
        previous.save(update_fields=["state"])
    number = (
        PublicationVersion.objects.filter(publication=locked).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    src = sources.decision_source(locked.decision)
    counts = {}
    for key in cleaned:
        for f in find_sensitive(src.original.get(key, ""), src.masking):
            counts[f.kind] = counts.get(f.kind, 0) + 1
    version = PublicationVersion.objects.create(
        publication=locked,
        number=number,
        fields=cleaned,
        counts=counts,
        note=note,
        author=actor,
    )
    if not correcting:
        locked.manual_grounds = grounds
        locked.withhold_grounds = _grounds(locked, src)
        locked.save(update_fields=["manual_grounds", "withhold_grounds"])
    ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.revised",
        data={
            "version": number,
            "correction": correcting,
            "note": note,
            "manual_grounds": grounds,
            "withhold_grounds": locked.withhold_grounds,
        },
    )
    _refresh(publication, locked)
    return version


# --- approve (审核发布) ------------------------------------------------------------------------------


def residual_problems(fields: dict[str, str], src: sources.Source) -> list[str]:
    """Personal information still in the text to be published (an edit may have put it back)."""
    problems = []
    for key, label in sources.FIELDS:
        found = find_sensitive(fields.get(key, ""), src.masking)
        kinds: dict[str, int] = {}
        for f in found:
            kinds[f.kind] = kinds.get(f.kind, 0) + 1
        if kinds:
            what = "、".join(f"{KIND_LABELS[k]}{n}处" for k, n in kinds.items())
            problems.append(f"“{label}”中仍有应当隐去的信息：{what}")
    return problems


def approval_problems(
    publication: Publication, actor, *, confidentiality_checked: bool
) -> list[str]:
    """Why ``actor`` may not approve (publish or correct) ``publication`` now — the guard the
    review page shows and the service enforces."""
    reasons = []
    version = _draft_version(publication)
    if publication.state not in (State.DRAFT, State.PUBLISHED) or version is None:
        return [f"公示信息当前为“{publication.get_state_display()}”，没有待审核的文本"]
    if actor is not None and actor.pk in _drafters(publication):
        reasons.append("审核人不能是公示信息的采集责任人或修改人：请由另一名公示管理员审核")
    if publication.state == State.DRAFT and publication.withhold_grounds:
        labels = "、".join(rules.ground_labels(publication.withhold_grounds))
        reasons.append(f"存在不得公开的情形（{labels}），应作出不予公开决定")
    if DecisionChange.objects.filter(decision_id=publication.decision_id).exists():
        reasons.append("该执法决定已登记被撤销、确认违法、变更或要求重新作出，不能公开")
    if publication.confidentiality_review and not confidentiality_checked:
        reasons.append("该执法事项公开前需经保密审查：请确认已完成保密审查并填写审查意见")
    src = sources.decision_source(publication.decision)
    reasons += residual_problems(version.fields, src)
    return reasons


@transaction.atomic
def publication_approve(
    *,
    publication: Publication,
    actor,
    confidentiality_checked: bool = False,
    confidentiality_note: str = "",
) -> Publication:
    """Approve the pending masked text: the first publication, or a correction of a published
    item. The approver must be another person than whoever collected or edited it (审核)."""
    _require(actor, "approve_publication", "审核发布公示信息")
    locked = _locked(publication)
    note = _text(
        confidentiality_note,
        field="confidentiality_note",
        label="保密审查意见",
        required=bool(locked.confidentiality_review),
    )
    reasons = approval_problems(locked, actor, confidentiality_checked=confidentiality_checked)
    if reasons:
        raise Blocked(reasons)
    version = _draft_version(locked)
    src = sources.decision_source(locked.decision)
    setting = settings_for(locked.agency)
    now = timezone.now()
    correcting = locked.state == State.PUBLISHED
    fields = version.fields

    if not correcting:
        period = rules.period_for(
            locked.decided_on,
            src.penalty_types,
            rules=setting.rules_dict(),
            default=(setting.default_min_months, setting.default_max_months),
        )
        locked.period_min_end, locked.period_end = period.min_end, period.end
    entry_fields = {
        "agency_name": src.agency_name,
        "agency_uscc": src.agency_uscc,
        "category": locked.category,
        "doc_name": src.doc_name,
        "doc_number": src.doc_number,
        "title": src.title,
        "party_name": src.party_name,
        "party_kind": src.party_kind,
        "party_code": src.party_code if not src.natural_person else "",
        "legal_representative": src.legal_representative,
        "item_code": src.item_code,
        "item_name": fields.get("item") or src.item_name,
        "penalty_types": list(src.penalty_types),
        "main_penalty": rules.heaviest(src.penalty_types),
        "fine_amount": src.fine_amount,
        "confiscation_amount": src.confiscation_amount,
        "decided_on": locked.decided_on,
        "summary": fields.get("content", ""),
        "facts": fields.get("facts", ""),
        "basis": fields.get("basis", ""),
        "body": compose_body(fields),
        "period_end": locked.period_end,
        "original_code": src.original_code,
        "original_sha256": src.original_sha256,
    }
    entry_fields["search_text"] = search_text(entry_fields)
    labelled = [(label, fields.get(key, "")) for key, label in sources.FIELDS]
    from .pdf import render_public_pdf

    pdf = render_public_pdf(entry_fields=entry_fields, fields=labelled)
    entry_fields |= {
        "pdf": pdf.path,
        "pdf_sha256": pdf.sha256,
        "pdf_sm3": pdf.sm3,
        "pdf_size": pdf.size,
    }
    text_sha = hashlib.sha256(entry_fields["body"].encode()).hexdigest()
    event = ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.corrected" if correcting else "publicity.published",
        data={
            "decision": src.doc_number,
            "version": version.number,
            "decided_on": locked.decided_on,
            "due_on": locked.due_on,
            "on_time": locked.due_on is None or timezone.localdate() <= locked.due_on,
            "period_end": locked.period_end,
            "text_sha256": text_sha,
            "note": version.note if correcting else "",
            "confidentiality_note": note,
            "files": [pdf.ledger_entry("public_pdf")],
        },
    )
    if correcting:
        entry = PortalEntry.objects.select_for_update().get(pk=locked.entry_id)
        for key, value in entry_fields.items():
            setattr(entry, key, value)
        entry.version = version.number
        entry.updated_at, entry.update_seq = now, event.seq
        entry.save()
        PublicationVersion.objects.filter(publication=locked, state=VersionState.PUBLISHED).update(
            state=VersionState.SUPERSEDED
        )
    else:
        entry = PortalEntry.objects.create(
            sort_key=rules.sort_key(locked.decided_on, locked.pk),
            state=State.PUBLISHED,
            version=version.number,
            published_at=now,
            publish_seq=event.seq,
            **entry_fields,
        )
        locked.entry = entry
        locked.state = State.PUBLISHED
        locked.published_at, locked.published_by = now, actor
        locked.confidentiality_note = note
    PortalVersion.objects.create(
        entry=entry,
        number=version.number,
        title=entry.title,
        summary=entry.summary,
        body=entry.body,
        note=version.note if correcting else "",
        published_at=now,
        seq=event.seq,
        pdf_sha256=pdf.sha256,
    )
    version.state = VersionState.PUBLISHED
    version.published_at, version.publish_seq = now, event.seq
    version.save(update_fields=["state", "published_at", "publish_seq"])
    locked.save()
    return _refresh(publication, locked)


def compose_body(fields: dict[str, str]) -> str:
    return "\n".join(
        f"{label}：{fields[key]}" for key, label in sources.FIELDS if fields.get(key, "").strip()
    )


def search_text(entry_fields: dict) -> str:
    """What the full-text index holds: masked, public text only."""
    parts = [
        entry_fields.get("title", ""),
        entry_fields.get("doc_number", ""),
        entry_fields.get("party_name", ""),
        entry_fields.get("item_name", ""),
        entry_fields.get("body", ""),
    ]
    return "\n".join(p for p in parts if p)


# --- not published (不予公开决定) ----------------------------------------------------------------------


@transaction.atomic
def publication_withhold(
    *, publication: Publication, actor, grounds: list[str], reason: str
) -> Publication:
    """The recorded decision not to publish a decision (DOMAIN.md §5.4)."""
    _require(actor, "approve_publication", "作出不予公开决定")
    locked = _locked(publication)
    if locked.state != State.DRAFT:
        raise Blocked([f"公示信息当前为“{locked.get_state_display()}”，不能作出不予公开决定"])
    grounds = list(dict.fromkeys(grounds or []))
    if not grounds:
        raise DomainError("请选择不予公开的情形", field="grounds")
    bad = [g for g in grounds if g not in rules.WITHHOLD_GROUNDS]
    if bad:
        raise DomainError(f"未知的不予公开情形：{'、'.join(bad)}", field="grounds")
    reason = _text(reason, field="reason", label="不予公开的理由")
    if actor.pk in _drafters(locked):
        raise Blocked(["不予公开决定应由采集责任人、修改人以外的公示管理员作出"])
    now = timezone.now()
    locked.state = State.WITHHELD
    locked.ended_at, locked.ended_by = now, actor
    locked.end_reason = f"{'、'.join(rules.ground_labels(grounds))}：{reason}"
    locked.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    PublicationVersion.objects.filter(publication=locked, state=VersionState.DRAFT).update(
        state=VersionState.DISCARDED
    )
    ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.withheld",
        data={"grounds": grounds, "flagged": locked.withhold_grounds, "reason": reason},
    )
    return _refresh(publication, locked)


# --- decision changes and withdrawal (撤下) ----------------------------------------------------------


@transaction.atomic
def publication_note_change(*, change: DecisionChange) -> Publication | None:
    """A change of the decision (recorded by ``cases.services.decision_change_record``) reaches
    its publication: a published decision has to come down within 3 working days of the change
    (行政处罚法 第四十八条第二款; seed 二（一）3), a draft can no longer be published. Run by the
    ``case.decision_changed`` subscription after commit, and by the sweep as a safety net;
    idempotent (each change is noted once)."""
    publication = (
        Publication.objects.select_for_update(of=("self",))
        .filter(decision_id=change.decision_id)
        .first()
    )
    if publication is None or change.pk in (publication.noted_changes or []):
        return publication
    due = None
    fields = ["noted_changes"]
    if publication.state == State.PUBLISHED:
        due, why = _due(change.happened_on, rules.WITHDRAW_WORKDAYS)
        if publication.withdraw_due is None or (due and due < publication.withdraw_due):
            publication.withdraw_due, publication.withdraw_due_reason = due, why
            fields += ["withdraw_due", "withdraw_due_reason"]
    elif publication.state == State.DRAFT and "revoked" not in publication.withhold_grounds:
        publication.withhold_grounds = [*publication.withhold_grounds, "revoked"]
        fields.append("withhold_grounds")
    publication.noted_changes = [*(publication.noted_changes or []), change.pk]
    publication.save(update_fields=fields)
    ledger.record(
        actor=None,
        subject=publication,
        type="publicity.decision_changed",
        data={
            "decision": publication.decision.number or "",
            "change": change.pk,
            "change_seq": change.ledger_seq,
            "kind": change.kind,
            "authority_name": change.authority_name,
            "document": change.document,
            "happened_on": change.happened_on,
            "withdraw_due": due,
        },
    )
    return publication


@transaction.atomic
def publication_withdraw(*, publication: Publication, actor, reason: str) -> Publication:
    """Take a published decision down. The page becomes a notice with the date and the reason
    (行政处罚法 第四十八条第二款: 公开说明理由); the entry leaves the search index."""
    _require(actor, "withdraw_publication", "撤下公示信息")
    locked = _locked(publication)
    if locked.state != State.PUBLISHED:
        raise Blocked([f"公示信息当前为“{locked.get_state_display()}”，不能撤下"])
    reason = _text(reason, field="reason", label="撤下理由（将向社会公开）", max_length=1000)
    now = timezone.now()
    change = DecisionChange.objects.filter(decision_id=locked.decision_id).order_by("-pk").first()
    event = ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.withdrawn",
        data={
            "decision": locked.decision.number or "",
            "reason": reason,
            "change": change.pk if change else None,
            "withdraw_due": locked.withdraw_due,
            "on_time": locked.withdraw_due is None or timezone.localdate() <= locked.withdraw_due,
        },
    )
    PortalEntry.objects.filter(pk=locked.entry_id).update(
        state=State.WITHDRAWN, ended_at=now, end_seq=event.seq, end_reason=reason
    )
    PublicationVersion.objects.filter(publication=locked, state=VersionState.DRAFT).update(
        state=VersionState.DISCARDED
    )
    locked.state = State.WITHDRAWN
    locked.ended_at, locked.ended_by, locked.end_reason = now, actor, reason
    locked.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    return _refresh(publication, locked)


# --- credit repair (信用修复) --------------------------------------------------------------------------


@transaction.atomic
def credit_repair_apply(
    *, publication: Publication, actor, applied_on, applicant: str, materials, evidence_note: str
) -> CreditRepair:
    _require(actor, "handle_credit_repair", "受理信用修复申请")
    locked = _locked(publication)
    if locked.state != State.PUBLISHED:
        raise Blocked(["只有正在公示的信息可以申请信用修复"])
    if CreditRepair.objects.filter(publication=locked, status=RepairStatus.APPLIED).exists():
        raise Blocked(["已有待审查的信用修复申请"])
    applied_on = _date(applied_on, field="applied_on", label="申请日期", today=timezone.localdate())
    applicant = _text(applicant, field="applicant", label="申请人", max_length=100)
    materials = list(dict.fromkeys(materials or []))
    bad = [m for m in materials if m not in RepairMaterial.values]
    if bad:
        raise DomainError(f"未知的申请材料：{'、'.join(bad)}", field="materials")
    evidence_note = _text(evidence_note, field="evidence_note", label="证据说明")
    repair = CreditRepair.objects.create(
        publication=locked,
        applied_on=applied_on,
        applicant=applicant,
        materials=materials,
        evidence_note=evidence_note,
        recorded_by=actor,
    )
    ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.repair_applied",
        data={"repair": repair.pk, "applied_on": applied_on, "materials": materials},
    )
    return repair


@transaction.atomic
def credit_repair_decide(
    *, repair: CreditRepair, actor, approve: bool, reason: str, decided_on=None
) -> CreditRepair:
    """Decide an application. Approval ends the publicity early (提前终止公示), only after the
    minimum period and with the application, the credit commitment and proof of performance
    (发展改革委令第58号; DOMAIN.md §5.5)."""
    _require(actor, "handle_credit_repair", "决定信用修复申请")
    repair = CreditRepair.objects.select_for_update().get(pk=repair.pk)
    if repair.status != RepairStatus.APPLIED:
        raise Blocked(["该申请已经作出决定"])
    today = timezone.localdate()
    decided_on = _date(decided_on or today, field="decided_on", label="决定日期", today=today)
    if decided_on < repair.applied_on:
        raise DomainError("决定日期不能早于申请日期", field="decided_on")
    reason = _text(reason, field="reason", label="决定理由")
    locked = _locked(repair.publication)
    if approve:
        blocked = []
        if locked.state != State.PUBLISHED:
            blocked.append("该信息已不在公示中")
        if locked.period_min_end and decided_on < locked.period_min_end:
            blocked.append(
                f"最短公示期届满（{locked.period_min_end:%Y年%m月%d日}）后方可提前终止公示"
            )
        missing = [
            RepairMaterial(m).label for m in REQUIRED_REPAIR_MATERIALS if m not in repair.materials
        ]
        if missing:
            blocked.append(f"缺少申请材料：{'、'.join(missing)}")
        if blocked:
            raise Blocked(blocked)
    repair.status = RepairStatus.APPROVED if approve else RepairStatus.REFUSED
    repair.decided_on, repair.decided_by, repair.decision_reason = decided_on, actor, reason
    repair.save(update_fields=["status", "decided_on", "decided_by", "decision_reason"])
    event = ledger.record(
        actor=actor,
        subject=locked,
        type="publicity.repair_decided",
        data={"repair": repair.pk, "approved": approve, "decided_on": decided_on, "reason": reason},
    )
    if approve:
        now = timezone.now()
        public_reason = "当事人已履行行政处罚决定并完成信用修复，依申请提前终止公示"
        PortalEntry.objects.filter(pk=locked.entry_id).update(
            state=State.TERMINATED, ended_at=now, end_seq=event.seq, end_reason=public_reason
        )
        locked.state = State.TERMINATED
        locked.ended_at, locked.ended_by, locked.end_reason = now, actor, public_reason
        locked.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    return repair


# --- settings -------------------------------------------------------------------------------------


@transaction.atomic
def publicity_settings_set(
    *,
    agency,
    actor,
    withhold_warning_only: bool,
    default_min_months: int,
    default_max_months: int,
    period_rules: dict | None = None,
) -> PublicitySettings:
    _require(actor, "configure_publicity", "设置公示规则")
    try:
        low, high = int(default_min_months), int(default_max_months)
    except (TypeError, ValueError):
        raise DomainError("公示期限应为整数月", field="default_min_months") from None
    problems = rules.span_problems(low, high)
    from sanxiang.cases.choices import PenaltyType

    period_rules = dict(period_rules or {})
    problems += rules.period_rule_problems(period_rules, set(PenaltyType.values))
    if problems:
        raise DomainError("；".join(problems), field="period_rules")
    setting, _ = PublicitySettings.objects.select_for_update().get_or_create(agency=agency)
    setting.withhold_warning_only = bool(withhold_warning_only)
    setting.default_min_months, setting.default_max_months = low, high
    setting.period_rules = {k: [int(v[0]), int(v[1])] for k, v in period_rules.items()}
    setting.updated_at, setting.updated_by = timezone.now(), actor
    setting.save()
    ledger.record(
        actor=actor,
        subject=setting,
        type="publicity.settings_set",
        data={
            "withhold_warning_only": setting.withhold_warning_only,
            "default": [low, high],
            "period_rules": setting.period_rules,
        },
    )
    return setting


# --- annual statistics report -------------------------------------------------------------------


@transaction.atomic
def annual_report_publish(*, agency, actor, year, narrative: str) -> AnnualReport:
    """Freeze and publish the 行政执法统计年报 of ``year`` (due by 31 January of the next)."""
    _require(actor, "approve_publication", "发布行政执法统计年报")
    today = timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError("年度应为四位数字", field="year") from None
    if not 2000 <= year < today.year:
        raise DomainError(f"只能发布已经结束的年度（{today.year - 1}年及以前）", field="year")
    narrative = _text(narrative, field="narrative", label="情况说明", max_length=10000)
    if AnnualReport.objects.filter(agency=agency, year=year).exists():
        raise Blocked([f"{year}年度统计年报已经发布"])
    from .statistics import annual_data

    data = annual_data(agency=agency, year=year)
    report = AnnualReport.objects.create(
        agency=agency,
        year=year,
        data=data,
        narrative=narrative,
        published_at=timezone.now(),
        published_by=actor,
    )
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    event = ledger.record(
        actor=actor,
        subject=report,
        type="publicity.report_published",
        data={
            "year": year,
            "data_sha256": hashlib.sha256(canonical.encode()).hexdigest(),
            "narrative_sha256": hashlib.sha256(narrative.encode()).hexdigest(),
            "on_time": today <= dt.date(year + 1, 1, 31),
        },
    )
    report.ledger_seq = event.seq
    report.save(update_fields=["ledger_seq"])
    return report


# --- 事前公开: dated versions of the public pages ---------------------------------------------------


@transaction.atomic
def portal_snapshot_take(
    *, page: str, actor=None, on: dt.date | None = None
) -> PortalSnapshot | None:
    """Keep a new version of a 事前公开 page when its live content differs from the latest
    version; None when nothing changed. 国办发〔2018〕118号: 事前公开 content is kept current
    and its changes are traceable — each version is dated, its content hashed (SHA-256 of the
    canonical JSON) and the hash recorded in the ledger, so anyone can prove what the page said
    on a given date. Run by the publicity sweep (the system, ``actor`` None) and the demo."""
    if page not in PortalPage.values:
        raise DomainError(f"没有这个事前公开页面：{page}", field="page")
    label = PortalPage(page).label
    from . import portal

    content = portal.page_content(page, on=on or timezone.localdate())
    if content is None:
        raise Blocked([f"尚未登记执法主体，{label}没有可以留存的内容"])
    try:
        digest = rules.content_sha256(content)
    except TypeError:
        raise Blocked([f"{label}的内容含有不能公开存档的数据，未留存"]) from None
    latest = (
        PortalSnapshot.objects.select_for_update()
        .filter(page=page)
        .only("number", "sha256")
        .order_by("-number")
        .first()
    )
    if latest is not None and latest.sha256 == digest:
        return None
    snapshot = PortalSnapshot.objects.create(
        page=page,
        number=(latest.number + 1) if latest else 1,
        content=content,
        sha256=digest,
        published_at=timezone.now(),
    )
    event = ledger.record(
        actor=actor,
        subject=snapshot,
        type="publicity.page_versioned",
        data={
            "page": page,
            "number": snapshot.number,
            "sha256": digest,
            "previous_sha256": latest.sha256 if latest else None,
        },
    )
    snapshot.ledger_seq = event.seq
    snapshot.save(update_fields=["ledger_seq"])
    return snapshot


def portal_snapshots_refresh(
    *, on: dt.date | None = None
) -> tuple[list[PortalSnapshot], list[str]]:
    """Take a version of every 事前公开 page whose content changed: (new versions, the Chinese
    reasons of pages that could not be kept)."""
    made: list[PortalSnapshot] = []
    skipped: list[str] = []
    for page in PortalPage.values:
        try:
            snapshot = portal_snapshot_take(page=page, on=on)
        except Blocked as e:
            skipped.extend(e.reasons)
            continue
        except IntegrityError:
            continue  # another sweep kept the same change a moment ago
        if snapshot is not None:
            made.append(snapshot)
    return made, skipped


# --- sweeps -------------------------------------------------------------------------------------


def period_end_record(*, today: dt.date) -> int:
    """Record ``publicity.period_ended`` for items whose period is over (the portal already
    stopped showing them at read time; this only leaves the trace)."""
    done = 0
    for pk in Publication.objects.filter(
        state=State.PUBLISHED, period_end__lt=today, period_end_seq__isnull=True
    ).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            locked = Publication.objects.select_for_update().get(pk=pk)
            if locked.period_end_seq is not None:
                continue
            event = ledger.record(
                actor=None,
                subject=locked,
                type="publicity.period_ended",
                data={"period_end": locked.period_end},
            )
            locked.period_end_seq = event.seq
            locked.save(update_fields=["period_end_seq"])
            done += 1
    return done

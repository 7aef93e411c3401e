"""Writes of evidence: ingest, custody events, exemptions, recording rules, fixity results.

Each service checks permission and input first (Chinese ``DomainError``, nothing written) and
records its ledger event in its own transaction (ARCHITECTURE.md §3, invariants 1 and 6).
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import DomainError, NotPermitted

from .. import storage
from . import config, gate, rules
from .choices import ExemptionStatus, Kind, RuleMode, RuleTarget, Scene, Step
from .hashing import CHUNK, Digests, StreamHasher
from .models import Evidence, FixityCheck, RecordingExemption, RecordingRule

MAX_DURATION = dt.timedelta(hours=48)
CLOCK_SKEW = dt.timedelta(minutes=10)
STORAGE_PREFIX = "evidence"


# --- permission helpers ------------------------------------------------------------------------


def require(actor, perm: str, what: str, *, case=None) -> None:
    """``actor`` holds ``perm`` and, for a case, works for the case's agency."""
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")
    unit = getattr(actor, "unit", None)
    if case is not None and unit is not None and unit.agency_id != case.agency_id:
        raise NotPermitted(f"您不属于该案件的执法主体，不能{what}")


def on_team(case, user, *, current: bool = True) -> bool:
    from sanxiang.cases.models import Assignment

    qs = Assignment.objects.filter(case=case, user=user)
    if current:
        qs = qs.filter(released_on__isnull=True)
    return qs.exists()


def _locked_open_case(case):
    from sanxiang.cases.choices import TERMINAL_STATES, State
    from sanxiang.cases.models import Case

    try:
        fresh = Case.objects.select_for_update().get(pk=case.pk)
    except Case.DoesNotExist:
        raise DomainError("案件不存在") from None
    if fresh.state in TERMINAL_STATES:
        what = "已结案" if fresh.state == State.CLOSED else "未立案并已办结"
        raise DomainError(f"案件{what}，不能再添加证据（结案后只读）", code="read_only")
    return fresh


# --- the step a record documents ---------------------------------------------------------------

RECORD_MODELS = (
    "cases.servicerecord",
    "cases.investigationrecord",
    "cases.hearing",
    "cases.preservation",
    "cases.correctionorder",
    "cases.decision",
)


def step_of_record(record: Model) -> str:
    from sanxiang.cases.choices import RecordKind

    label = record._meta.label_lower
    if label == "cases.servicerecord":
        return Step.SERVICE
    if label == "cases.investigationrecord":
        return Step.INSPECTION if record.kind == RecordKind.INSPECTION else Step.INTERVIEW
    if label == "cases.decision":
        return Step.ON_SPOT
    return {
        "cases.hearing": Step.HEARING,
        "cases.preservation": Step.PRESERVATION,
        "cases.correctionorder": Step.CORRECTION_CHECK,
    }[label]


# The step of the act each rule covers (an exemption for an act not yet entered names it).
TARGET_STEPS = {
    RuleTarget.SERVICE_LEFT: Step.SERVICE,
    RuleTarget.SERVICE_PUBLIC: Step.SERVICE,
    RuleTarget.HEARING: Step.HEARING,
    RuleTarget.INSPECTION: Step.INSPECTION,
    RuleTarget.INTERVIEW: Step.INTERVIEW,
    RuleTarget.PRESERVATION: Step.PRESERVATION,
    RuleTarget.CORRECTION_CHECK: Step.CORRECTION_CHECK,
    RuleTarget.ON_SPOT: Step.ON_SPOT,
}


def record_ref(record: Model | None) -> dict | None:
    if record is None:
        return None
    return {"kind": record._meta.label_lower, "key": str(record.pk)}


# --- ingest ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """A file that has arrived and been hashed while it streamed in: a local file at ``path``
    (the plain form's temporary file or an assembled resumable upload)."""

    path: Path
    original_name: str
    digests: Digests
    via: str


class _LocalFile(File):
    """A local file offered to storage: FileSystemStorage moves it (``temporary_file_path``),
    other backends (S3) stream it."""

    def __init__(self, path: Path):
        super().__init__(open(path, "rb"), name=path.name)
        self._path = path

    def temporary_file_path(self) -> str:
        return str(self._path)


def _text(value, *, field: str, label: str, max_length: int) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise DomainError(f"请填写{label}", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return text


def _times(started_at, ended_at) -> None:
    for value, field, label in ((started_at, "started_at", "开始时间"), (ended_at, "ended_at", "结束时间")):  # fmt: skip
        if not isinstance(value, dt.datetime):
            raise DomainError(f"请填写{label}（日期和时间）", field=field)
        if timezone.is_naive(value):
            raise DomainError(f"{label}缺少时区", field=field)
        if value.year < 2000:
            raise DomainError(f"{label}有误，请核对", field=field)
    if ended_at < started_at:
        raise DomainError("结束时间不能早于开始时间", field="ended_at")
    if ended_at > timezone.now() + CLOCK_SKEW:
        raise DomainError("结束时间不能晚于现在：只能登记已经完成的记录", field="ended_at")
    if ended_at - started_at > MAX_DURATION:
        raise DomainError("一段记录不能超过48小时，请核对开始和结束时间", field="ended_at")


def _device_checks(device, *, case=None, agency_id=None, kind: str, started_at: dt.datetime):
    from sanxiang.registry.selectors import device_holder_at

    if device is None:
        if kind in (Kind.AUDIO, Kind.VIDEO):
            raise DomainError(
                "录音、录像须注明记录设备（音像记录设备登记簿中的设备）", field="device"
            )
        return None
    if device.agency_id != (case.agency_id if case is not None else agency_id):
        raise DomainError(
            "记录设备不属于本案执法主体" if case is not None else "记录设备不属于本执法主体",
            field="device",
        )
    day = timezone.localtime(started_at).date()
    if device.commissioned_on > day:
        raise DomainError(
            f"记录设备{device.asset_no}于{device.commissioned_on:%Y-%m-%d}启用，"
            "早于启用日期的记录不能注明该设备",
            field="device",
        )
    if device.retired_on is not None and device.retired_on < day:
        raise DomainError(
            f"记录设备{device.asset_no}已于{device.retired_on:%Y-%m-%d}报废", field="device"
        )
    return device_holder_at(device=device, at=started_at)


@transaction.atomic
def evidence_add(
    *,
    actor,
    case=None,
    incoming: Incoming,
    kind: str,
    scene: str,
    step: str,
    recorded_by,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    place: str,
    description: str,
    record: Model | None = None,
    party=None,
    device=None,
    holder: Model | None = None,
) -> Evidence:
    """Ingest one evidence file: check, store content-addressed, record.

    The file belongs to ``case`` or — before there is a case — to ``holder``, an object
    another app registered in ``holders`` (a random inspection's 检查任务): the holder says who
    may upload and whether it is still open; everything else (type from the bytes, limits,
    device, times, duplicate, storage, hashes, ledger event) is the same.

    The file was hashed while it streamed in (``incoming.digests``); here its type is sniffed
    from its bytes and checked against the kind's allow-list and size limit, it is moved into
    storage under its SHA-256 (an object already stored with those bytes is reused, never
    overwritten), and the ``evidence.added`` ledger event — both hashes and the file entry
    that ``ledger verify --files`` re-hashes — is written in this transaction, before it
    commits (ARCHITECTURE.md invariant 6)."""
    if (case is None) == (holder is None):
        raise DomainError("证据须属于一个案件或一个检查任务", field="case")
    if holder is not None:
        return _holder_evidence_add(
            actor=actor, holder=holder, incoming=incoming, kind=kind, scene=scene, step=step,
            recorded_by=recorded_by, started_at=started_at, ended_at=ended_at, place=place,
            description=description, record=record, party=party, device=device,
        )  # fmt: skip
    require(actor, "records.add_evidence", "上传证据", case=case)
    case = _locked_open_case(case)
    if not on_team(case, actor):
        raise NotPermitted("证据须由本案办案人员上传")
    if kind not in Kind.values:
        raise DomainError("请选择证据形式（照片、录音、录像或书证电子件）", field="kind")
    if scene not in Scene.values:
        raise DomainError("请选择记录场景", field="scene")
    if record is not None:
        if record._meta.label_lower not in RECORD_MODELS or record.pk is None:
            raise DomainError("所选执法行为不能关联证据", field="step")
        if getattr(record, "case_id", None) != case.pk:
            raise DomainError("所选执法行为不属于本案", field="step")
        step = step_of_record(record)
    if step not in Step.values:
        raise DomainError("请选择办案环节", field="step")
    if party is not None and party.case_id != case.pk:
        raise DomainError("所选当事人不属于本案", field="party")
    if recorded_by is None or not on_team(case, recorded_by, current=False):
        raise DomainError("记录人须为本案办案人员", field="recorded_by")
    _times(started_at, ended_at)
    place = _text(place, field="place", label="地点", max_length=200)
    description = _text(description, field="description", label="内容说明", max_length=2000)
    device_holder = _device_checks(device, case=case, kind=kind, started_at=started_at)

    return _ingest(
        actor=actor, incoming=incoming, owner={"case": case}, subject=case, scope="本案",
        kind=kind, scene=scene, step=step, record=record, party=party, device=device,
        device_holder=device_holder, recorded_by=recorded_by, started_at=started_at,
        ended_at=ended_at, place=place, description=description,
    )  # fmt: skip


def _holder_evidence_add(
    *, actor, holder: Model, incoming: Incoming, kind: str, scene: str, step: str, recorded_by,
    started_at: dt.datetime, ended_at: dt.datetime, place: str, description: str,
    record: Model | None, party, device,
) -> Evidence:  # fmt: skip
    """Evidence of a registered holder (holders.py): the holder's own checks, then the same
    ingest as a case's evidence."""
    from . import holders

    spec = holders.holder_of(holder)
    if spec is None or holder.pk is None:
        raise DomainError("证据须属于一个案件或一个检查任务", field="case")
    if actor is None or not actor.is_active or not actor.has_perm("records.add_evidence"):
        raise NotPermitted("您没有上传证据的权限")
    # Serialise uploads to one holder (the duplicate check below), as for a case.
    holder = type(holder).objects.select_for_update().get(pk=holder.pk)
    agency_id = spec.agency_id(holder)
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.agency_id != agency_id:
        raise NotPermitted(f"您不属于该{spec.name}的执法主体，不能上传证据")
    if problems := spec.upload_problems(holder, actor):
        raise NotPermitted(problems[0])
    if record is not None or party is not None:
        raise DomainError(f"{spec.name}的证据不能关联案件中的执法行为或当事人", field="step")
    if kind not in Kind.values:
        raise DomainError("请选择证据形式（照片、录音、录像或书证电子件）", field="kind")
    if scene not in Scene.values:
        raise DomainError("请选择记录场景", field="scene")
    if step not in Step.values:
        raise DomainError("请选择办案环节", field="step")
    if recorded_by is None or recorded_by.pk not in {u.pk for u in spec.recorders(holder)}:
        raise DomainError(f"记录人须为本{spec.name}的检查人员", field="recorded_by")
    _times(started_at, ended_at)
    place = _text(place, field="place", label="地点", max_length=200)
    description = _text(description, field="description", label="内容说明", max_length=2000)
    device_holder = _device_checks(device, agency_id=agency_id, kind=kind, started_at=started_at)
    return _ingest(
        actor=actor, incoming=incoming, subject=holder, scope=f"本{spec.name}",
        owner={
            "case": None,
            "holder_type": ContentType.objects.get_for_model(holder),
            "holder_id": str(holder.pk),
        },
        kind=kind, scene=scene, step=step, record=None, party=None, device=device,
        device_holder=device_holder, recorded_by=recorded_by, started_at=started_at,
        ended_at=ended_at, place=place, description=description,
    )  # fmt: skip


def _ingest(
    *, actor, incoming: Incoming, owner: dict, subject: Model, scope: str, kind: str,
    scene: str, step: str, record, party, device, device_holder, recorded_by,
    started_at: dt.datetime, ended_at: dt.datetime, place: str, description: str,
) -> Evidence:  # fmt: skip
    """The checks on the bytes, storage and the ledger event, shared by every owner."""
    digests = incoming.digests
    if digests.size <= 0:
        raise DomainError("文件为空，请重新选择", field="file")
    limit = config.max_bytes(kind)
    if digests.size > limit:
        raise DomainError(
            f"{Kind(kind).label}文件不能超过 {config.human_size(limit)}", field="file"
        )
    original = rules.safe_filename(incoming.original_name)
    file_type = rules.sniff(incoming.path, original_name=original)
    if file_type is None or file_type not in rules.ALLOWED[kind]:
        what = f"（识别为{file_type.label}）" if file_type else "（无法识别的文件类型）"
        raise DomainError(
            f"{Kind(kind).label}须为以下格式之一：{rules.allowed_labels(kind)}{what}",
            field="file",
        )
    duplicate = (
        Evidence.objects.filter(**owner, sha256=digests.sha256)
        .select_related("uploaded_by")
        .first()
    )
    if duplicate is not None:
        raise DomainError(
            f"该文件已作为{scope}证据{duplicate.number}上传（{duplicate.uploaded_by}，"
            f"{timezone.localtime(duplicate.uploaded_at):%Y-%m-%d %H:%M}），内容完全相同，无需重复上传",
            field="file",
            code="duplicate",
        )

    content = _LocalFile(incoming.path)
    try:
        stored = storage.store_hashed(
            content,
            sha256=digests.sha256,
            sm3=digests.sm3,
            size=digests.size,
            prefix=STORAGE_PREFIX,
            ext=file_type.ext,
        )
    finally:
        content.close()
    now = timezone.now()
    evidence = Evidence.objects.create(
        **owner,
        party=party,
        step=step,
        record_type=ContentType.objects.get_for_model(record) if record is not None else None,
        record_id=str(record.pk) if record is not None else "",
        scene=scene,
        kind=kind,
        device=device,
        device_holder=device_holder,
        recorded_by=recorded_by,
        started_at=started_at,
        ended_at=ended_at,
        place=place,
        description=description,
        original_name=original,
        content_type=file_type.mime,
        size=digests.size,
        sha256=digests.sha256,
        sm3=digests.sm3,
        storage_name=stored.path,
        via=incoming.via,
        uploaded_by=actor,
        uploaded_at=now,
    )
    event = ledger.record(
        actor=actor,
        subject=subject,
        type="evidence.added",
        data={
            **({} if owner.get("case") else {"holder": subject._meta.label_lower}),
            "evidence": evidence.pk,
            "number": evidence.number,
            "kind": kind,
            "scene": scene,
            "step": step,
            "record": record_ref(record),
            "party": party.pk if party is not None else None,
            "device": {"id": device.pk, "asset_no": device.asset_no} if device else None,
            "device_holder": device_holder.pk if device_holder is not None else None,
            "recorded_by": recorded_by.pk,
            "started_at": started_at,
            "ended_at": ended_at,
            "place": place,
            "description": description,
            "original_name": original,
            "content_type": file_type.mime,
            "via": incoming.via,
            "files": [stored.ledger_entry("evidence")],
        },
    )
    evidence.ledger_seq = event.seq
    evidence.save(update_fields=["ledger_seq"])
    gate.changed()
    # A file already stored for another case stays where it was; the temporary copy goes.
    if incoming.path.exists():
        incoming.path.unlink()
    return evidence


# --- chain of custody --------------------------------------------------------------------------

ACCESS_TYPES = {
    "view": "security.evidence_viewed",
    "download": "security.evidence_downloaded",
    "export": "security.evidence_exported",
}


def may_view(actor, evidence: Evidence) -> bool:
    if actor is None or not actor.is_active or not actor.has_perm("records.view_evidence"):
        return False
    unit = getattr(actor, "unit", None)
    return unit is None or unit.agency_id == agency_id_of(evidence)


def agency_id_of(evidence: Evidence) -> int:
    """The 执法主体 of the case, or of the holder (a 检查任务) the evidence belongs to."""
    if evidence.case_id is not None:
        return evidence.case.agency_id
    from . import holders

    return holders.holder_of(evidence.holder).agency_id(evidence.holder)


def _require_export(actor, evidence: Evidence) -> None:
    if evidence.case_id is not None:
        require(actor, "records.export_evidence", "导出证据", case=evidence.case)
        return
    require(actor, "records.export_evidence", "导出证据")
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.agency_id != agency_id_of(evidence):
        raise NotPermitted("您不属于该证据的执法主体，不能导出证据")


def evidence_access_record(*, request, evidence: Evidence, action: str, reason: str = ""):
    """Record that the request's user views, downloads or exports ``evidence`` — before the
    bytes are sent (等保 2.0 安全审计; chain of custody). A download or export needs the reason
    the user gives."""
    from sanxiang.ledger.audit import security_event

    actor = request.user
    what = {"view": "查看证据", "download": "下载证据", "export": "导出证据"}[action]
    if action == "export":
        _require_export(actor, evidence)
    if not may_view(actor, evidence):
        raise NotPermitted(f"您没有{what}的权限")
    reason = (reason or "").strip()
    if action != "view":
        if len(reason) < 2:
            raise DomainError(f"请写明{what}的用途（如：提交复议机关、法院）", field="reason")
        if len(reason) > 200:
            raise DomainError("用途不能超过200个字", field="reason")
    details = {
        "evidence": evidence.pk,
        "number": evidence.number,
        "case": evidence.case_id,
        "file": evidence.storage_name,
        "sha256": evidence.sha256,
    }
    if reason:
        details["reason"] = reason
    return security_event(request, ACCESS_TYPES[action], subject=evidence, **details)


@transaction.atomic
def evidence_export_record(*, actor, evidence: Evidence, purpose: str, ip: str = "") -> None:
    """For exports made outside a request (the case-file export package): record that
    ``evidence`` leaves the system, with the purpose, like a download."""
    _require_export(actor, evidence)
    purpose = (purpose or "").strip()
    if len(purpose) < 2:
        raise DomainError("请写明导出证据的用途", field="purpose")
    ledger.record(
        actor=actor,
        subject=evidence,
        type="security.evidence_exported",
        data={
            "ip": ip,
            "result": "success",
            "evidence": evidence.pk,
            "number": evidence.number,
            "case": evidence.case_id,
            "file": evidence.storage_name,
            "sha256": evidence.sha256,
            "reason": purpose[:200],
        },
    )


# --- exemptions (a recorded reason, approved by the head) ---------------------------------------


@transaction.atomic
def exemption_request(
    *, actor, case, rule: RecordingRule, step: str, reason: str, record: Model | None = None
) -> RecordingExemption:
    """An officer of the case explains why a required recording does not exist (the body camera
    failed, the party snatched it …); until the head approves it, the requirement still
    blocks."""
    require(actor, "records.add_recordingexemption", "申请免于音像记录", case=case)
    case = _locked_open_case(case)
    if not on_team(case, actor):
        raise NotPermitted("免于音像记录须由本案办案人员申请")
    if rule.mode == RuleMode.OFF:
        raise DomainError("该项音像记录要求已停用，无需申请")
    if record is not None:
        if (
            getattr(record, "case_id", None) != case.pk
            or record._meta.label_lower not in RECORD_MODELS
        ):
            raise DomainError("所选执法行为不属于本案", field="step")
        from .requirements import subjects

        ref = (ContentType.objects.get_for_model(record).pk, str(record.pk))
        if ref not in {s.record for s in subjects(rule.target, [case.pk])}:
            raise DomainError(
                f"所选执法行为不适用“{rule.get_target_display()}”的音像记录要求", field="step"
            )
        step = step_of_record(record)
    elif step != TARGET_STEPS.get(rule.target):
        raise DomainError(
            f"“{rule.get_target_display()}”的音像记录要求不适用于该办案环节", field="step"
        )
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DomainError("请具体写明未能拍照、录音或录像的原因（至少5个字）", field="reason")
    if len(reason) > 1000:
        raise DomainError("原因不能超过1000个字", field="reason")
    record_type = ContentType.objects.get_for_model(record) if record is not None else None
    open_ones = RecordingExemption.objects.filter(
        case=case,
        rule=rule,
        step=step,
        record_type=record_type,
        record_id=str(record.pk) if record is not None else "",
    ).exclude(status=ExemptionStatus.REFUSED)
    if open_ones.exists():
        raise DomainError("已就该项提出申请，请等待审批", field="reason")
    exemption = RecordingExemption.objects.create(
        case=case,
        rule=rule,
        step=step,
        record_type=record_type,
        record_id=str(record.pk) if record is not None else "",
        reason=reason,
        requested_by=actor,
        requested_at=timezone.now(),
    )
    ledger.record(
        actor=actor,
        subject=case,
        type="evidence.exemption_requested",
        data={
            "exemption": exemption.pk,
            "rule": rule.target,
            "step": step,
            "record": record_ref(record),
            "reason": reason,
        },
    )
    gate.changed()
    return exemption


@transaction.atomic
def exemption_decide(
    *, actor, exemption: RecordingExemption, approve: bool, note: str = ""
) -> RecordingExemption:
    """The head approves or refuses. Approver: 承办机构负责人 (or 局负责人), never an officer
    of the case team and never the requester (ARCHITECTURE.md invariant 3, by analogy)."""
    exemption = (
        RecordingExemption.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=exemption.pk)
    )
    require(actor, "records.approve_recording_exemption", "审批免于音像记录", case=exemption.case)
    if exemption.status != ExemptionStatus.PENDING:
        raise DomainError("该申请已审批")
    if actor.pk == exemption.requested_by_id or on_team(exemption.case, actor, current=False):
        raise NotPermitted("本案办案人员不能审批本案的免于音像记录申请")
    note = (note or "").strip()
    if not approve and len(note) < 2:
        raise DomainError("不予批准的，请写明理由", field="note")
    if len(note) > 300:
        raise DomainError("审批意见不能超过300个字", field="note")
    exemption.status = ExemptionStatus.APPROVED if approve else ExemptionStatus.REFUSED
    exemption.decided_by = actor
    exemption.decided_at = timezone.now()
    exemption.decision_note = note
    exemption.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    ledger.record(
        actor=actor,
        subject=exemption.case,
        type="evidence.exemption_decided",
        data={"exemption": exemption.pk, "approved": approve, "note": note},
    )
    gate.changed()
    return exemption


# --- recording rules (system administrator) ----------------------------------------------------


@transaction.atomic
def recording_rule_set(
    *, actor, target: str, mode: str, kinds: list[str], reason: str, basis: str = ""
) -> RecordingRule:
    require(actor, "records.change_recordingrule", "设置音像记录要求")
    if target not in RuleTarget.values:
        raise DomainError("未知的执法行为", field="target")
    if mode not in RuleMode.values:
        raise DomainError("请选择要求", field="mode")
    kinds = [k for k in dict.fromkeys(kinds or []) if k in (Kind.PHOTO, Kind.AUDIO, Kind.VIDEO)]
    if mode != RuleMode.OFF and not kinds:
        raise DomainError("请至少选择一种可满足要求的记录形式（照片、录音、录像）", field="kinds")
    reason = (reason or "").strip()
    if mode != RuleMode.OFF and len(reason) < 5:
        raise DomainError("请填写提示语（未记录时显示给办案人员的原因）", field="reason")
    rule, _ = RecordingRule.objects.select_for_update().get_or_create(
        target=target, defaults={"mode": mode, "kinds": kinds, "reason": reason}
    )
    before = {"mode": rule.mode, "kinds": rule.kinds, "reason": rule.reason, "basis": rule.basis}
    rule.mode, rule.kinds, rule.reason = mode, kinds, reason[:300]
    rule.basis = (basis or "").strip()[:300]
    rule.updated_by, rule.updated_at = actor, timezone.now()
    rule.save()
    ledger.record(
        actor=actor,
        subject=rule,
        type="records.recording_rule_set",
        data={
            "target": target,
            "before": before,
            "after": {"mode": mode, "kinds": kinds, "reason": rule.reason, "basis": rule.basis},
        },
    )
    gate.changed()
    return rule


# --- fixity ------------------------------------------------------------------------------------


def _stored_digests(name: str) -> Digests:
    hasher = StreamHasher()
    for chunk in storage.iter_chunks(name, CHUNK):  # streamed on S3 too
        hasher.update(chunk)
    return hasher.digests()


def fixity_check(*, evidence: Evidence, actor=None, now: dt.datetime | None = None) -> FixityCheck:
    """Re-hash one stored evidence file (streaming, outside any transaction) and record the
    result: a FixityCheck row always; a ledger event when it differs (and when a file that
    differed is whole again, e.g. restored from backup)."""
    if actor is not None:
        require(actor, "records.view_fixitycheck", "发起完整性校验")
    started = time.monotonic()
    problem, found = "", None
    try:
        found = _stored_digests(evidence.storage_name)
    except (FileNotFoundError, OSError) as exc:
        problem = f"文件缺失或无法读取（{exc.__class__.__name__}）"
    if found is not None:
        if found.size != evidence.size:
            problem = f"大小不符（应为 {evidence.size} 字节，实际 {found.size} 字节）"
        elif found.sha256 != evidence.sha256:
            problem = "SHA-256 哈希不符（文件被改动）"
        elif found.sm3 != evidence.sm3:
            problem = "SM3 哈希不符（文件被改动）"
    elapsed = int((time.monotonic() - started) * 1000)
    now = now or timezone.now()
    with transaction.atomic():
        previous = Evidence.objects.select_for_update().get(pk=evidence.pk).fixity_ok
        check = FixityCheck.objects.create(
            evidence=evidence,
            checked_at=now,
            ok=not problem,
            size_found=found.size if found else None,
            sha256_found=found.sha256 if found else "",
            sm3_found=found.sm3 if found else "",
            problem=problem[:200],
            duration_ms=min(elapsed, 2**31 - 1),
            checked_by=actor,
        )
        Evidence.objects.filter(pk=evidence.pk).update(fixity_checked_at=now, fixity_ok=not problem)
        if problem or previous is False:
            ledger.record(
                actor=actor,
                subject=evidence,
                type="evidence.fixity_failed" if problem else "evidence.fixity_restored",
                data={
                    "evidence": evidence.pk,
                    "number": evidence.number,
                    "check": check.pk,
                    "problem": problem,
                    "path": evidence.storage_name,
                    "expected": {
                        "sha256": evidence.sha256,
                        "sm3": evidence.sm3,
                        "size": evidence.size,
                    },
                    "found": {
                        "sha256": found.sha256,
                        "sm3": found.sm3,
                        "size": found.size,
                    }
                    if found
                    else None,
                },
            )
    evidence.fixity_checked_at, evidence.fixity_ok = now, not problem
    return check


def remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass

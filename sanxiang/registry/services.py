"""Registry services: the only writers of agencies, units, the officer roster, certificates,
legal qualifications, review-staff designations, trainings and recording devices.

Each service is keyword-only, takes ``actor``, checks the actor's permission, validates with
Chinese messages (``DomainError(field=...)``), writes, records one ledger event in the same
transaction and returns the object. Bad input raises before anything is written.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib import codes
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from . import rules
from .models import (
    Agency,
    Certificate,
    CertificateSuspension,
    DeviceAssignment,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
    TrainingAttendance,
    Unit,
)

User = get_user_model()

# Dates further than this from today are almost certainly typing errors (2062 for 2026).
_MAX_YEARS_AHEAD = 20


# --- helpers ---------------------------------------------------------------------------------


def _require(actor, perm: str, what: str) -> None:
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")


def _text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(f"请填写{label}", field=field)
    if len(text) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return text


def _long_text(value, *, field: str, label: str, max_length: int = 5000) -> str:
    text = str(value or "").strip()
    if len(text) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return text


def _code(value, *, field: str, label: str, max_length: int = 40) -> str:
    """Certificate and asset numbers: full-width to ASCII, no spaces, upper case."""
    code = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if not code:
        raise DomainError(f"请填写{label}", field=field)
    if len(code) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字符", field=field)
    return code


def _date(value, *, field: str, label: str, not_after_today: bool = False) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DomainError(f"请填写{label}", field=field)
    today = timezone.localdate()
    if not_after_today and value > today:
        raise DomainError(f"{label}不能晚于今天", field=field)
    if abs(value.year - today.year) > _MAX_YEARS_AHEAD:
        raise DomainError(f"{label}“{rules.fmt(value)}”超出合理范围，请核对年份", field=field)
    return value


def _choice(value, choices, *, field: str, label: str) -> str:
    if value not in choices.values:
        raise DomainError(f"请选择有效的{label}", field=field)
    return value


def _fields_changed(obj, values: dict) -> dict:
    changed = {}
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changed[name] = {"before": _plain(old), "after": _plain(new)}
            setattr(obj, name, new)
    return changed


def _plain(value):
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if hasattr(value, "pk"):
        return value.pk
    return value


def _locked(model, obj):
    """Re-read ``obj`` under a row lock so concurrent changes to it are serialised."""
    return model.objects.select_for_update().get(pk=obj.pk)


def _create(model, *, conflict: str, field: str | None = None, **values):
    """Insert a row; a uniqueness clash with a concurrent request (after our own checks passed)
    becomes the same Chinese message instead of a server error."""
    try:
        with transaction.atomic():
            return model.objects.create(**values)
    except IntegrityError:
        raise DomainError(conflict, field=field) from None


# --- agencies and units (执法主体、内设机构) ---------------------------------------------------


_AGENCY_FIELDS = {
    "name": ("名称", 100, True),
    "short_name": ("简称", 20, True),
    "jurisdiction": ("管辖区域", 100, True),
    "division_code": ("行政区划代码", 6, False),
    "address": ("地址", 200, False),
    "phone": ("联系电话", 30, False),
}


def agency_clean(*, data: dict, instance: Agency | None) -> dict:
    """Validated agency field values (raises DomainError); used by the services and the admin form."""
    values = {
        name: _text(data.get(name), field=name, label=label, max_length=size, required=required)
        for name, (label, size, required) in _AGENCY_FIELDS.items()
    }
    try:
        values["uscc"] = codes.validate_uscc(data.get("uscc") or "")
    except codes.CodeError as exc:
        raise DomainError(exc.message, field="uscc") from None
    values["legal_basis"] = _long_text(
        data.get("legal_basis"), field="legal_basis", label="职权依据"
    )
    if not values["legal_basis"]:
        raise DomainError(
            "请填写职权依据（设定执法职权的法律、法规、规章及条款）", field="legal_basis"
        )
    if values["division_code"] and not (
        values["division_code"].isascii()
        and values["division_code"].isdigit()
        and len(values["division_code"]) == 6
    ):
        raise DomainError("行政区划代码应为6位数字", field="division_code")
    values["is_active"] = bool(data.get("is_active", True))
    others = Agency.objects.exclude(pk=instance.pk) if instance else Agency.objects.all()
    if others.filter(name=values["name"]).exists():
        raise DomainError("已有同名的执法主体", field="name")
    if others.filter(uscc=values["uscc"]).exists():
        raise DomainError("该统一社会信用代码已登记为其他执法主体", field="uscc")
    return values


@transaction.atomic
def agency_create(*, actor, data: dict) -> Agency:
    """登记执法主体. ``data`` holds the model's editable fields."""
    _require(actor, "registry.add_agency", "登记执法主体")
    agency = _create(
        Agency,
        conflict="已有同名或同一信用代码的执法主体",
        **agency_clean(data=data, instance=None),
    )
    ledger.record(
        actor=actor,
        subject=agency,
        type="registry.agency_created",
        data={"name": agency.name, "uscc": agency.uscc},
    )
    return agency


@transaction.atomic
def agency_update(*, actor, agency: Agency, data: dict) -> Agency:
    _require(actor, "registry.change_agency", "修改执法主体")
    agency = _locked(Agency, agency)
    changed = _fields_changed(agency, agency_clean(data=data, instance=agency))
    if changed:
        agency.save()
        ledger.record(actor=actor, subject=agency, type="registry.agency_updated", data=changed)
    return agency


def unit_clean(*, data: dict, agency: Agency, instance: Unit | None) -> dict:
    """Validated unit field values (raises DomainError); used by the services and the admin form."""
    values = {
        "name": _text(data.get("name"), field="name", label="机构名称", max_length=100),
        "kind": _choice(data.get("kind"), Unit.Kind, field="kind", label="机构类型"),
        "duties": _long_text(data.get("duties"), field="duties", label="职责"),
        "is_active": bool(data.get("is_active", True)),
    }
    others = Unit.objects.filter(agency=agency)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    if others.filter(name=values["name"]).exists():
        raise DomainError(f"{agency.name}已有名为“{values['name']}”的内设机构", field="name")
    return values


@transaction.atomic
def unit_create(*, actor, agency: Agency, data: dict) -> Unit:
    """登记内设机构."""
    _require(actor, "registry.add_unit", "登记内设机构")
    if not isinstance(agency, Agency):
        raise DomainError("请选择执法主体", field="agency")
    unit = _create(
        Unit,
        conflict="已有同名的内设机构",
        field="name",
        agency=agency,
        **unit_clean(data=data, agency=agency, instance=None),
    )
    ledger.record(
        actor=actor,
        subject=unit,
        type="registry.unit_created",
        data={"agency": agency.pk, "name": unit.name, "kind": unit.kind},
    )
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, data: dict) -> Unit:
    _require(actor, "registry.change_unit", "修改内设机构")
    unit = _locked(Unit, unit)
    values = unit_clean(data=data, agency=unit.agency, instance=unit)
    if not values["is_active"] and unit.is_active and unit.users.filter(is_active=True).exists():
        raise DomainError("该机构仍有在用账号，请先调整人员所在机构再撤销", field="is_active")
    changed = _fields_changed(unit, values)
    if changed:
        unit.save()
        ledger.record(actor=actor, subject=unit, type="registry.unit_updated", data=changed)
    return unit


# --- officers (执法人员名录) ---------------------------------------------------------------


@transaction.atomic
def officer_register(*, actor, user, agency: Agency, post: str) -> Officer:
    """将人员列入执法人员名录 (or put a former officer back on it)."""
    _require(actor, "registry.add_officer", "登记执法人员")
    if not isinstance(user, User):
        raise DomainError("请选择人员账号", field="user")
    if not user.is_active:
        raise DomainError(f"{user}的账号已停用，不能列入执法人员名录", field="user")
    if not isinstance(agency, Agency) or not agency.is_active:
        raise DomainError("请选择有效的执法主体", field="agency")
    if user.unit_id is not None and user.unit.agency_id != agency.pk:
        raise DomainError(
            f"{user}所在机构属于{user.unit.agency.name}，不能列入{agency.name}的名录",
            field="agency",
        )
    post = _text(post, field="post", label="岗位", max_length=50)
    existing = Officer.objects.select_for_update().filter(user=user).first()
    if existing is not None and existing.is_active:
        raise DomainError(f"{user}已在{existing.agency.name}执法人员名录中", field="user")
    if existing is not None:
        existing.agency, existing.post = agency, post
        existing.is_active, existing.left_on, existing.left_reason = True, None, ""
        existing.save()
        officer, event = existing, "registry.officer_reinstated"
    else:
        officer, event = (
            _create(
                Officer,
                conflict=f"{user}已在执法人员名录中",
                field="user",
                user=user,
                agency=agency,
                post=post,
            ),
            "registry.officer_registered",
        )
    ledger.record(
        actor=actor,
        subject=officer,
        type=event,
        data={"user": user.pk, "name": officer.name, "agency": agency.pk, "post": post},
    )
    return officer


@transaction.atomic
def officer_update(*, actor, officer: Officer, post: str) -> Officer:
    """修改执法人员岗位."""
    _require(actor, "registry.change_officer", "修改执法人员信息")
    officer = _locked(Officer, officer)
    if not officer.is_active:
        raise DomainError("该人员已离岗，不能修改；如重新上岗请重新登记", field="post")
    changed = _fields_changed(
        officer, {"post": _text(post, field="post", label="岗位", max_length=50)}
    )
    if changed:
        officer.save(update_fields=["post"])
        ledger.record(actor=actor, subject=officer, type="registry.officer_updated", data=changed)
    return officer


@transaction.atomic
def officer_leave(*, actor, officer: Officer, on: dt.date, reason: str) -> Officer:
    """离岗: removes the officer from the roster and cancels (注销) their certificates in force.

    Refused while the officer still holds recording equipment: devices are returned first, so
    no recording can later be attributed to a device held by someone who has left.
    """
    _require(actor, "registry.change_officer", "办理执法人员离岗")
    officer = _locked(Officer, officer)
    if not officer.is_active:
        raise DomainError("该人员已离岗", field="on")
    on = _date(on, field="on", label="离岗日期")
    reason = _text(reason, field="reason", label="离岗原因", max_length=200)
    held = list(
        DeviceAssignment.objects.filter(
            holder=officer.user, returned_at__isnull=True
        ).select_related("device")
    )
    if held:
        raise Blocked([f"{officer.name}尚未归还{a.device}，请先办理归还" for a in held])
    cancelled = []
    for cert in Certificate.objects.select_for_update().filter(officer=officer, ended=""):
        if on < cert.valid_from:
            raise DomainError(f"离岗日期早于{cert}的生效日期，请核对", field="on")
        cert.ended, cert.ended_on, cert.end_reason = (
            Certificate.End.CANCELLED,
            on,
            f"离岗：{reason}",
        )
        cert.save(update_fields=["ended", "ended_on", "end_reason"])
        cancelled.append(cert.pk)
    officer.is_active, officer.left_on, officer.left_reason = False, on, reason
    officer.save(update_fields=["is_active", "left_on", "left_reason"])
    ledger.record(
        actor=actor,
        subject=officer,
        type="registry.officer_left",
        data={"on": str(on), "reason": reason, "certificates_cancelled": cancelled},
    )
    return officer


# --- certificates (执法证件) ---------------------------------------------------------------


@transaction.atomic
def certificate_record(
    *,
    actor,
    officer: Officer,
    kind: str,
    number: str,
    issuer: str,
    valid_from: dt.date,
    valid_until: dt.date,
    scope: str = "",
) -> Certificate:
    """登记执法证件. A new certificate of a kind the officer already holds replaces it (换发):
    the old one ends (已换发) on the day the new one takes effect."""
    _require(actor, "registry.add_certificate", "登记执法证件")
    officer = _locked(Officer, officer)
    if not officer.is_active:
        raise DomainError(f"{officer.name}已离岗，不能登记执法证件")
    kind = _choice(kind, Certificate.Kind, field="kind", label="证件种类")
    number = _code(number, field="number", label="证件号码")
    issuer = _text(issuer, field="issuer", label="发证机关", max_length=100)
    scope = _text(scope, field="scope", label="执法类别与区域", max_length=100, required=False)
    valid_from = _date(valid_from, field="valid_from", label="有效期起始日期")
    valid_until = _date(valid_until, field="valid_until", label="有效期截止日期")
    if valid_until < valid_from:
        raise DomainError("有效期截止日期不能早于起始日期", field="valid_until")
    clash = (
        Certificate.objects.filter(kind=kind, number=number).select_related("officer__user").first()
    )
    if clash is not None:
        raise DomainError(
            f"{Certificate.Kind(kind).label}号码{number}已登记（持证人：{clash.officer.name}）",
            field="number",
        )
    previous = (
        Certificate.objects.select_for_update().filter(officer=officer, kind=kind, ended="").first()
    )
    if previous is not None:
        if valid_from <= previous.valid_from:
            raise DomainError(
                f"换发的证件应晚于原证件（{previous.number}，{rules.fmt(previous.valid_from)}起）生效",
                field="valid_from",
            )
        previous.ended, previous.ended_on = Certificate.End.REPLACED, valid_from
        previous.end_reason = f"换发新证 {number}"
        previous.save(update_fields=["ended", "ended_on", "end_reason"])
    cert = _create(
        Certificate,
        conflict=f"{Certificate.Kind(kind).label}号码{number}已登记，或该人员已有在用的同种证件",
        field="number",
        officer=officer,
        kind=kind,
        number=number,
        issuer=issuer,
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    ledger.record(
        actor=actor,
        subject=cert,
        type="registry.certificate_recorded",
        data={
            "officer": officer.pk,
            "kind": kind,
            "number": number,
            "issuer": issuer,
            "valid_from": str(valid_from),
            "valid_until": str(valid_until),
            "replaces": previous.pk if previous else None,
        },
    )
    return cert


def _certificate_in_force(cert: Certificate) -> Certificate:
    cert = _locked(Certificate, cert)
    if cert.ended:
        raise DomainError(f"{cert}已{cert.get_ended_display().removeprefix('已')}，不能再办理")
    return cert


@transaction.atomic
def certificate_suspend(
    *, actor, certificate: Certificate, starts_on: dt.date, reason: str
) -> CertificateSuspension:
    """暂扣执法证件: from ``starts_on`` the holder may not conduct enforcement."""
    _require(actor, "registry.change_certificate", "暂扣执法证件")
    cert = _certificate_in_force(certificate)
    starts_on = _date(starts_on, field="starts_on", label="暂扣日期")
    reason = _text(reason, field="reason", label="暂扣原因", max_length=200)
    if not cert.valid_from <= starts_on <= cert.valid_until:
        raise DomainError("暂扣日期应在证件有效期内", field="starts_on")
    last = cert.suspensions.order_by("-starts_on").first()
    if last is not None and last.ends_on is None:
        raise DomainError(f"该证件自{rules.fmt(last.starts_on)}起已被暂扣", field="starts_on")
    if last is not None and starts_on < last.ends_on:
        raise DomainError(
            f"暂扣日期不能早于上次发还日期{rules.fmt(last.ends_on)}", field="starts_on"
        )
    suspension = CertificateSuspension.objects.create(
        certificate=cert, starts_on=starts_on, reason=reason
    )
    ledger.record(
        actor=actor,
        subject=cert,
        type="registry.certificate_suspended",
        data={"starts_on": str(starts_on), "reason": reason},
    )
    return suspension


@transaction.atomic
def certificate_reinstate(
    *, actor, certificate: Certificate, on: dt.date, note: str = ""
) -> CertificateSuspension:
    """发还被暂扣的执法证件: valid again from ``on``."""
    _require(actor, "registry.change_certificate", "发还执法证件")
    cert = _certificate_in_force(certificate)
    on = _date(on, field="on", label="发还日期")
    note = _text(note, field="note", label="发还说明", max_length=200, required=False)
    suspension = cert.suspensions.select_for_update().filter(ends_on__isnull=True).first()
    if suspension is None:
        raise DomainError("该证件未被暂扣", field="on")
    if on <= suspension.starts_on:
        raise DomainError(f"发还日期应晚于暂扣日期{rules.fmt(suspension.starts_on)}", field="on")
    suspension.ends_on, suspension.lift_note = on, note
    suspension.save(update_fields=["ends_on", "lift_note"])
    ledger.record(
        actor=actor,
        subject=cert,
        type="registry.certificate_reinstated",
        data={"on": str(on), "note": note, "suspended_from": str(suspension.starts_on)},
    )
    return suspension


@transaction.atomic
def certificate_end(
    *, actor, certificate: Certificate, how: str, on: dt.date, reason: str
) -> Certificate:
    """注销 or 吊销 a certificate: from ``on`` it is no longer valid."""
    _require(actor, "registry.change_certificate", "注销或吊销执法证件")
    cert = _certificate_in_force(certificate)
    if how not in (Certificate.End.CANCELLED, Certificate.End.REVOKED):
        raise DomainError("请选择注销或吊销", field="how")
    on = _date(on, field="on", label="终止日期")
    reason = _text(reason, field="reason", label="原因", max_length=200)
    if on <= cert.valid_from:
        raise DomainError(f"终止日期应晚于证件生效日期{rules.fmt(cert.valid_from)}", field="on")
    cert.ended, cert.ended_on, cert.end_reason = how, on, reason
    cert.save(update_fields=["ended", "ended_on", "end_reason"])
    ledger.record(
        actor=actor,
        subject=cert,
        type="registry.certificate_ended",
        data={"how": how, "on": str(on), "reason": reason},
    )
    return cert


# --- legal qualifications and review staff (法律职业资格、法制审核人员) ------------------------


@transaction.atomic
def qualification_record(
    *,
    actor,
    holder,
    kind: str,
    number: str,
    granted_on: dt.date,
    issuer: str = "中华人民共和国司法部",
) -> LegalQualification:
    """登记法律职业资格."""
    _require(actor, "registry.add_legalqualification", "登记法律职业资格")
    if not isinstance(holder, User) or not holder.is_active:
        raise DomainError("请选择在用的人员账号", field="holder")
    kind = _choice(kind, LegalQualification.Kind, field="kind", label="资格种类")
    number = _code(number, field="number", label="证书编号")
    granted_on = _date(granted_on, field="granted_on", label="取得日期", not_after_today=True)
    issuer = _text(issuer, field="issuer", label="颁发机关", max_length=100)
    clash = LegalQualification.objects.filter(number=number).select_related("holder").first()
    if clash is not None:
        raise DomainError(f"证书编号{number}已登记（持有人：{clash.holder}）", field="number")
    q = _create(
        LegalQualification,
        conflict=f"证书编号{number}已登记",
        field="number",
        holder=holder,
        kind=kind,
        number=number,
        granted_on=granted_on,
        issuer=issuer,
    )
    ledger.record(
        actor=actor,
        subject=q,
        type="registry.qualification_recorded",
        data={"holder": holder.pk, "kind": kind, "number": number, "granted_on": str(granted_on)},
    )
    return q


@transaction.atomic
def qualification_withdraw(
    *, actor, qualification: LegalQualification, on: dt.date, reason: str
) -> LegalQualification:
    """撤销法律职业资格 (e.g. revoked by the justice ministry, or recorded in error)."""
    _require(actor, "registry.change_legalqualification", "撤销法律职业资格")
    q = _locked(LegalQualification, qualification)
    if q.withdrawn_on is not None:
        raise DomainError("该资格已撤销", field="on")
    on = _date(on, field="on", label="撤销日期")
    reason = _text(reason, field="reason", label="撤销原因", max_length=200)
    if on < q.granted_on:
        raise DomainError(f"撤销日期不能早于取得日期{rules.fmt(q.granted_on)}", field="on")
    q.withdrawn_on, q.withdraw_reason = on, reason
    q.save(update_fields=["withdrawn_on", "withdraw_reason"])
    ledger.record(
        actor=actor,
        subject=q,
        type="registry.qualification_withdrawn",
        data={"on": str(on), "reason": reason},
    )
    return q


@transaction.atomic
def reviewer_designate(
    *,
    actor,
    agency: Agency,
    user,
    kind: str,
    designated_on: dt.date,
    prior_penalty_review: bool = False,
) -> ReviewerDesignation:
    """指定法制审核人员. Designation is allowed without a qualification on record (the person
    may review non-penalty decisions), but ``selectors.reviewer_problems`` then refuses penalty
    reviews (行政处罚法 第五十八条第二款)."""
    _require(actor, "registry.add_reviewerdesignation", "指定法制审核人员")
    if not isinstance(agency, Agency) or not agency.is_active:
        raise DomainError("请选择有效的执法主体", field="agency")
    if not isinstance(user, User) or not user.is_active:
        raise DomainError("请选择在用的人员账号", field="user")
    kind = _choice(kind, ReviewerDesignation.Kind, field="kind", label="审核人员类别")
    designated_on = _date(designated_on, field="designated_on", label="指定日期")
    # An assertion by the designating officer (the person may have reviewed elsewhere); it is
    # recorded in the ledger with the designation, so it can be checked later.
    prior = bool(prior_penalty_review)
    if ReviewerDesignation.objects.filter(agency=agency, user=user, ended_on__isnull=True).exists():
        raise DomainError(f"{user}已是{agency.name}的法制审核人员", field="user")
    if ReviewerDesignation.objects.filter(
        agency=agency, user=user, ended_on__gt=designated_on
    ).exists():
        raise DomainError(
            "指定日期不能早于该人员上次担任法制审核人员的终止日期", field="designated_on"
        )
    if Officer.objects.filter(user=user, is_active=True).exclude(agency=agency).exists():
        raise DomainError(
            f"{user}是其他执法主体的执法人员，不能指定为本主体法制审核人员", field="user"
        )
    d = _create(
        ReviewerDesignation,
        conflict=f"{user}已是{agency.name}的法制审核人员",
        field="user",
        agency=agency,
        user=user,
        kind=kind,
        designated_on=designated_on,
        prior_penalty_review=prior,
    )
    ledger.record(
        actor=actor,
        subject=d,
        type="registry.reviewer_designated",
        data={
            "agency": agency.pk,
            "user": user.pk,
            "kind": kind,
            "designated_on": str(designated_on),
            "prior_penalty_review": prior,
        },
    )
    return d


@transaction.atomic
def reviewer_end(
    *, actor, designation: ReviewerDesignation, on: dt.date, reason: str
) -> ReviewerDesignation:
    """终止法制审核人员指定."""
    _require(actor, "registry.change_reviewerdesignation", "终止法制审核人员指定")
    d = _locked(ReviewerDesignation, designation)
    if d.ended_on is not None:
        raise DomainError("该指定已终止", field="on")
    on = _date(on, field="on", label="终止日期")
    reason = _text(reason, field="reason", label="终止原因", max_length=200)
    if on <= d.designated_on:
        raise DomainError(f"终止日期应晚于指定日期{rules.fmt(d.designated_on)}", field="on")
    d.ended_on, d.end_reason = on, reason
    d.save(update_fields=["ended_on", "end_reason"])
    ledger.record(
        actor=actor,
        subject=d,
        type="registry.reviewer_ended",
        data={"on": str(on), "reason": reason},
    )
    return d


# --- training (培训) -----------------------------------------------------------------------


def _training_values(data: dict) -> dict:
    values = {
        "title": _text(data.get("title"), field="title", label="培训名称", max_length=100),
        "topic": _choice(data.get("topic"), Training.Topic, field="topic", label="培训类别"),
        "held_on": _date(
            data.get("held_on"), field="held_on", label="举办日期", not_after_today=True
        ),
        "organiser": _text(
            data.get("organiser"), field="organiser", label="组织单位", max_length=100
        ),
        "place": _text(
            data.get("place"), field="place", label="地点", max_length=100, required=False
        ),
        "summary": _long_text(data.get("summary"), field="summary", label="内容摘要"),
    }
    try:
        hours = Decimal(str(data.get("hours"))).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError("请填写学时（如 2 或 1.5）", field="hours") from None
    if not hours.is_finite() or not Decimal("0") < hours <= Decimal("200"):
        raise DomainError("学时应大于0且不超过200", field="hours")
    values["hours"] = hours
    return values


def _attendee_list(attendees) -> list:
    people = list(dict.fromkeys(attendees or []))
    if not people:
        raise DomainError("请选择至少一名参训人员", field="attendees")
    if any(not isinstance(p, User) for p in people):
        raise DomainError("参训人员无效", field="attendees")
    return people


@transaction.atomic
def training_record(*, actor, agency: Agency, data: dict, attendees) -> Training:
    """登记一次已举办的培训及参训人员."""
    _require(actor, "registry.add_training", "登记培训")
    if not isinstance(agency, Agency):
        raise DomainError("请选择执法主体", field="agency")
    values = _training_values(data)
    people = _attendee_list(attendees)
    training = Training.objects.create(agency=agency, **values)
    TrainingAttendance.objects.bulk_create(
        TrainingAttendance(training=training, user=p) for p in people
    )
    ledger.record(
        actor=actor,
        subject=training,
        type="registry.training_recorded",
        data={
            **{k: _plain(v) for k, v in values.items()},
            "attendees": sorted(p.pk for p in people),
        },
    )
    return training


@transaction.atomic
def training_update(*, actor, training: Training, data: dict, attendees) -> Training:
    _require(actor, "registry.change_training", "修改培训记录")
    training = _locked(Training, training)
    changed = _fields_changed(training, _training_values(data))
    people = _attendee_list(attendees)
    before = set(training.attendance.values_list("user_id", flat=True))
    after = {p.pk for p in people}
    if after != before:
        training.attendance.exclude(user_id__in=after).delete()
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(training=training, user=p) for p in people if p.pk not in before
        )
        changed["attendees"] = {"before": sorted(before), "after": sorted(after)}
    if changed:
        training.save()
        ledger.record(actor=actor, subject=training, type="registry.training_updated", data=changed)
    return training


# --- recording devices (音像记录设备) ----------------------------------------------------------


@transaction.atomic
def device_register(
    *,
    actor,
    agency: Agency,
    kind: str,
    asset_no: str,
    model_name: str,
    commissioned_on: dt.date,
    serial_no: str = "",
    location: str = "",
    note: str = "",
) -> RecordingDevice:
    """登记音像记录设备."""
    _require(actor, "registry.add_recordingdevice", "登记音像记录设备")
    if not isinstance(agency, Agency):
        raise DomainError("请选择执法主体", field="agency")
    kind = _choice(kind, RecordingDevice.Kind, field="kind", label="设备类型")
    asset_no = _code(asset_no, field="asset_no", label="资产编号")
    model_name = _text(model_name, field="model_name", label="品牌型号", max_length=100)
    serial_no = _text(
        serial_no, field="serial_no", label="出厂序列号", max_length=60, required=False
    )
    location = _text(
        location, field="location", label="存放或安装地点", max_length=100, required=False
    )
    note = _text(note, field="note", label="备注", max_length=200, required=False)
    commissioned_on = _date(
        commissioned_on, field="commissioned_on", label="启用日期", not_after_today=True
    )
    if kind == RecordingDevice.Kind.FIXED and not location:
        raise DomainError("固定音视频设备请填写安装地点（如询问室、听证室）", field="location")
    if RecordingDevice.objects.filter(agency=agency, asset_no=asset_no).exists():
        raise DomainError(f"资产编号{asset_no}已登记", field="asset_no")
    device = _create(
        RecordingDevice,
        conflict=f"资产编号{asset_no}已登记",
        field="asset_no",
        agency=agency,
        kind=kind,
        asset_no=asset_no,
        model_name=model_name,
        serial_no=serial_no,
        location=location,
        commissioned_on=commissioned_on,
        note=note,
    )
    ledger.record(
        actor=actor,
        subject=device,
        type="registry.device_registered",
        data={"kind": kind, "asset_no": asset_no, "model_name": model_name, "serial_no": serial_no},
    )
    return device


@transaction.atomic
def device_issue(*, actor, device: RecordingDevice, holder, note: str = "") -> DeviceAssignment:
    """设备领用: the holder is answerable for the device (and its recordings) until return."""
    _require(actor, "registry.change_recordingdevice", "办理设备领用")
    device = _locked(RecordingDevice, device)
    if device.status != RecordingDevice.Status.IN_SERVICE:
        raise DomainError(f"{device}{device.get_status_display()}，不能领用")
    if device.kind == RecordingDevice.Kind.FIXED:
        raise DomainError("固定音视频设备不办理领用")
    if not isinstance(holder, User) or not holder.is_active:
        raise DomainError("请选择在用的人员账号", field="holder")
    if not Officer.objects.filter(user=holder, agency=device.agency, is_active=True).exists():
        raise DomainError(
            f"{holder}不在{device.agency.name}执法人员名录中，不能领用执法记录设备", field="holder"
        )
    current = device.assignments.filter(returned_at__isnull=True).select_related("holder").first()
    if current is not None:
        raise DomainError(f"{device}已由{current.holder}领用，请先办理归还", field="holder")
    note = _text(note, field="note", label="备注", max_length=200, required=False)
    assignment = _create(
        DeviceAssignment,
        conflict=f"{device}已被领用，请刷新后重试",
        field="holder",
        device=device,
        holder=holder,
        issued_at=timezone.now(),
        issued_by=actor,
        note=note,
    )
    ledger.record(
        actor=actor,
        subject=device,
        type="registry.device_issued",
        data={"holder": holder.pk, "holder_name": str(holder), "note": note},
    )
    return assignment


@transaction.atomic
def device_return(*, actor, device: RecordingDevice, note: str = "") -> DeviceAssignment:
    """设备归还. The holder may return their own device; others need the keeper's permission."""
    device = _locked(RecordingDevice, device)
    assignment = device.assignments.select_for_update().filter(returned_at__isnull=True).first()
    if assignment is None:
        raise DomainError(f"{device}当前没有领用记录")
    if actor is None or assignment.holder_id != actor.pk:
        _require(actor, "registry.change_recordingdevice", "办理设备归还")
    note = _text(note, field="note", label="备注", max_length=200, required=False)
    assignment.returned_at, assignment.returned_to = timezone.now(), actor
    if note:
        assignment.note = f"{assignment.note}；归还：{note}" if assignment.note else f"归还：{note}"
    assignment.save(update_fields=["returned_at", "returned_to", "note"])
    ledger.record(
        actor=actor,
        subject=device,
        type="registry.device_returned",
        data={"holder": assignment.holder_id, "note": note},
    )
    return assignment


@transaction.atomic
def device_set_status(
    *, actor, device: RecordingDevice, status: str, on: dt.date | None = None, note: str = ""
) -> RecordingDevice:
    """送修、恢复在用或报废 (报废 needs the date and is final)."""
    _require(actor, "registry.change_recordingdevice", "变更设备状态")
    device = _locked(RecordingDevice, device)
    status = _choice(status, RecordingDevice.Status, field="status", label="设备状态")
    note = _text(
        note,
        field="note",
        label="说明",
        max_length=200,
        required=status == RecordingDevice.Status.RETIRED,
    )
    if device.status == RecordingDevice.Status.RETIRED:
        raise DomainError(f"{device}已报废，状态不能再变更", field="status")
    if status == device.status:
        raise DomainError(f"{device}已是“{device.get_status_display()}”状态", field="status")
    if (
        status != RecordingDevice.Status.IN_SERVICE
        and device.assignments.filter(returned_at__isnull=True).exists()
    ):
        raise DomainError(f"{device}尚在领用中，请先办理归还", field="status")
    if status == RecordingDevice.Status.RETIRED:
        on = _date(on, field="on", label="报废日期", not_after_today=True)
        if on < device.commissioned_on:
            raise DomainError("报废日期不能早于启用日期", field="on")
        device.retired_on = on
    before = device.status
    device.status = status
    device.save(update_fields=["status", "retired_on"])
    ledger.record(
        actor=actor,
        subject=device,
        type="registry.device_status_changed",
        data={"before": before, "after": status, "on": str(on) if on else None, "note": note},
    )
    return device

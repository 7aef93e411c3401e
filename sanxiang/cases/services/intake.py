"""Registering leads and complaints (线索登记、投诉举报受理): the case, its complainants,
parties and causes; editing what was registered; revealing a complainant's identity."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanxiang.ledger.audit import security_event
from sanxiang.ledger.services import atomic_record
from sanxiang.lib.errors import DomainError, NotPermitted

from .. import clocks, numbering, selectors
from ..choices import (
    COMPLAINT_SOURCES,
    PRE_FILING_STATES,
    Channel,
    ComplainantRole,
    DeadlineKind,
    PartyKind,
    Sex,
    Source,
)
from ..models import Case, CaseCause, Complainant, Party
from . import common

# --- validation of the parts -------------------------------------------------------------------


def _complainant(data: dict, *, index: int) -> Complainant:
    where = f"第{index}位投诉人（举报人）"
    role = common.choice(
        data.get("role", ComplainantRole.COMPLAINANT),
        ComplainantRole,
        field="complainants",
        label=f"{where}的身份",
    )
    anonymous = bool(data.get("anonymous"))
    if anonymous and role != ComplainantRole.REPORTER:
        # 若干规定: a complaint concerns the complainant's own rights, so it cannot be anonymous.
        raise DomainError("投诉须署名；只有举报可以匿名", field="complainants")
    name = common.text(
        data.get("name"),
        field="complainants",
        label=f"{where}的姓名",
        max_length=50,
        required=not anonymous,
    )
    sex = data.get("sex") or ""
    if sex and sex not in Sex.values:
        raise DomainError(f"{where}的性别无效", field="complainants")
    age = common.positive_int(
        data.get("age"), field="complainants", label=f"{where}的年龄", maximum=120
    )
    return Complainant(
        role=role,
        anonymous=anonymous,
        name=name,
        sex=sex,
        age=age,
        id_number=common.id_number(data.get("id_number"), field="complainants", required=False),
        occupation=common.text(
            data.get("occupation"),
            field="complainants",
            label="职业",
            max_length=50,
            required=False,
        ),
        employer=common.text(
            data.get("employer"),
            field="complainants",
            label="工作单位",
            max_length=100,
            required=False,
        ),
        address=common.text(
            data.get("address"), field="complainants", label="住址", max_length=200, required=False
        ),
        phone=common.phone(data.get("phone"), field="complainants"),
        is_representative=bool(data.get("is_representative")),
    )


def _party(data: dict) -> Party:
    kind = common.choice(data.get("kind"), PartyKind, field="kind", label="当事人类型")
    name = common.text(data.get("name"), field="name", label="当事人名称或姓名", max_length=100)
    if kind == PartyKind.ORGANISATION:
        uscc, id_no = common.uscc(data.get("uscc")), ""
    elif kind == PartyKind.NATURAL_PERSON:
        uscc, id_no = "", common.id_number(data.get("id_number"))
    else:  # 个体工商户: its 统一社会信用代码, or the operator's ID number
        uscc = common.uscc(data.get("uscc"), required=False)
        id_no = common.id_number(data.get("id_number"), required=False)
        if not uscc and not id_no:
            raise DomainError("个体工商户请填写统一社会信用代码或经营者身份证号码", field="uscc")
    return Party(
        kind=kind,
        name=name,
        uscc=uscc,
        id_number=id_no,
        legal_representative=common.text(
            data.get("legal_representative"),
            field="legal_representative",
            label="法定代表人或主要负责人",
            max_length=50,
            required=False,
        ),
        representative_post=common.text(
            data.get("representative_post"),
            field="representative_post",
            label="职务",
            max_length=50,
            required=False,
        ),
        address=common.text(
            data.get("address"), field="address", label="住所或地址", max_length=200, required=False
        ),
        phone=common.phone(data.get("phone")),
    )


def _cause_version(item_version, *, agency):
    from sanxiang.catalog.models import ItemVersion

    if not isinstance(item_version, ItemVersion):
        item_version = ItemVersion.objects.select_related("item").filter(pk=item_version).first()
        if item_version is None:
            raise DomainError("请选择执法事项清单中的事项", field="causes")
    if item_version.item.agency_id != agency.pk:
        raise DomainError("所选执法事项不属于本执法主体的执法事项清单", field="causes")
    return item_version


def _intake_fields(data: dict, *, received_on: dt.date) -> dict:
    out = {}
    if "summary" in data:
        out["summary"] = common.text(
            data["summary"], field="summary", label="案情摘要", max_length=200
        )
    if "facts" in data:
        out["facts"] = common.long_text(data["facts"], field="facts", label="反映的事实")
    if "request" in data:
        out["request"] = common.long_text(
            data["request"], field="request", label="投诉请求", required=False
        )
    if "workers_affected" in data:
        out["workers_affected"] = common.positive_int(
            data["workers_affected"], field="workers_affected", label="涉及劳动者人数"
        )
    if "amount_claimed" in data:
        out["amount_claimed"] = common.money(
            data["amount_claimed"], field="amount_claimed", label="涉及金额"
        )
    for name, label in (
        ("violation_from", "违法行为发生日期"),
        ("violation_until", "违法行为终了日期"),
    ):
        if name in data:
            out[name] = common.date(data[name], field=name, label=label, required=False)
            if out[name] is not None and out[name] > received_on:
                raise DomainError(f"{label}不能晚于收到（发现）日期", field=name)
    if "violation_continuing" in data:
        out["violation_continuing"] = bool(data["violation_continuing"])
    if "limitation_reason" in data:
        out["limitation_reason"] = common.long_text(
            data["limitation_reason"],
            field="limitation_reason",
            label="超过两年仍予查处的理由",
            required=False,
        )
    return out


# --- services ----------------------------------------------------------------------------------


@transaction.atomic
def case_register(
    *,
    actor,
    agency,
    source: str,
    channel: str,
    received_on: dt.date,
    summary: str,
    facts: str,
    request: str = "",
    workers_affected: int | None = None,
    amount_claimed=None,
    violation_from: dt.date | None = None,
    violation_until: dt.date | None = None,
    violation_continuing: bool = False,
    limitation_reason: str = "",
    complainants: list[dict] = (),
    parties: list[dict] = (),
    causes: list = (),
) -> Case:
    """登记投诉、举报或案件线索: a lead (待受理) with its registration number; opens the 5-working-day
    acceptance clock for complaints and reports (若干规定 第十八条) or the filing check clock for
    other sources. Everything is validated before anything is written."""
    common.require(actor, "cases.register_case", "登记投诉举报和案件线索", agency=agency)
    source = common.choice(source, Source, field="source", label="案件来源")
    channel = common.choice(channel, Channel, field="channel", label="受理渠道")
    received_on = common.date(received_on, field="received_on", label="收到（发现）日期")
    fields = _intake_fields(
        {
            "summary": summary,
            "facts": facts,
            "request": request,
            "workers_affected": workers_affected,
            "amount_claimed": amount_claimed,
            "violation_from": violation_from,
            "violation_until": violation_until,
            "violation_continuing": violation_continuing,
            "limitation_reason": limitation_reason,
        },
        received_on=received_on,
    )
    if (
        fields["violation_from"]
        and fields["violation_until"]
        and fields["violation_until"] < fields["violation_from"]
    ):
        raise DomainError("违法行为终了日期不能早于发生日期", field="violation_until")
    people = [_complainant(dict(c), index=i) for i, c in enumerate(complainants, start=1)]
    if source in (Source.COMPLAINT,) and not any(
        c.role == ComplainantRole.COMPLAINANT for c in people
    ):
        raise DomainError("投诉须登记投诉人（劳动保障监察条例第九条第二款）", field="complainants")
    party_rows = [_party(dict(p)) for p in parties]
    versions = [_cause_version(v, agency=agency) for v in causes]

    _, registration_no = numbering.number_next(
        agency=agency, doc_type="registration", year=received_on.year
    )
    case = Case.objects.create(
        agency=agency,
        source=source,
        channel=channel,
        received_on=received_on,
        received_by=actor,
        registration_no=registration_no,
        **fields,
    )
    for c in people:
        c.case = case
        c.save()
    for party in party_rows:
        party.case = case
        party.save()
    for v in dict.fromkeys(versions):
        CaseCause.objects.create(case=case, item_version=v, added_on=received_on)
    kind = DeadlineKind.ACCEPTANCE if source in COMPLAINT_SOURCES else DeadlineKind.VERIFICATION
    clock = clocks.open_clock(case=case, kind=kind, start=received_on)
    common.record(
        actor=actor,
        case=case,
        type="case.registered",
        data={
            "registration_no": registration_no,
            "source": source,
            "channel": channel,
            "received_on": received_on,
            "summary": case.summary,
            # Identity stays out of the ledger payload (条例 第九条): only who was recorded.
            "complainants": [c.role for c in people],
            "parties": [{"kind": p.kind, "name": p.name, "uscc": p.uscc} for p in party_rows],
            "causes": [v.pk for v in versions],
            "clock": {"kind": kind, "due": clock.due},
        },
    )
    return case


def _require_editor(actor, case: Case, what: str) -> None:
    """Before filing, whoever registers leads may complete them; afterwards the case team."""
    if case.state in PRE_FILING_STATES:
        common.require(actor, "cases.register_case", what, case=case)
    else:
        common.require_team(actor, case, what)


@transaction.atomic
def case_update_intake(*, actor, case: Case, **changes) -> Case:
    """Correct or complete what was registered (summary, facts, request, workers, amount,
    violation period, limitation reason). Old and new values go to the ledger."""
    case = common.locked_case(case)
    _require_editor(actor, case, "修改案件登记信息")
    allowed = {
        "summary",
        "facts",
        "request",
        "workers_affected",
        "amount_claimed",
        "violation_from",
        "violation_until",
        "violation_continuing",
        "limitation_reason",
    }
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(unknown)}")
    values = _intake_fields(changes, received_on=case.received_on)
    start = values.get("violation_from", case.violation_from)
    end = values.get("violation_until", case.violation_until)
    if start and end and end < start:
        raise DomainError("违法行为终了日期不能早于发生日期", field="violation_until")
    changed = {k: v for k, v in values.items() if getattr(case, k) != v}
    if not changed:
        return case
    before = {k: getattr(case, k) for k in changed}
    for k, v in changed.items():
        setattr(case, k, v)
    common.touch(case, *changed)
    common.record(
        actor=actor,
        case=case,
        type="case.intake_updated",
        data={"before": before, "after": changed},
    )
    return case


@transaction.atomic
def complainant_add(*, actor, case: Case, data: dict) -> Complainant:
    case = common.locked_case(case)
    _require_editor(actor, case, "登记投诉人、举报人")
    complainant = _complainant(dict(data), index=case.complainants.count() + 1)
    complainant.case = case
    complainant.save()
    common.record(
        actor=actor, case=case, type="case.complainant_added", data={"role": complainant.role}
    )
    return complainant


@transaction.atomic
def party_add(*, actor, case: Case, data: dict) -> Party:
    """登记当事人 with a validated 统一社会信用代码 / 身份证号码."""
    case = common.locked_case(case)
    _require_editor(actor, case, "登记当事人")
    party = _party(dict(data))
    code = party.uscc or party.id_number
    if Party.objects.filter(case=case).filter(uscc=party.uscc, id_number=party.id_number).exists():
        raise DomainError(f"当事人（{code}）已登记", field="uscc")
    party.case = case
    party.save()
    common.record(
        actor=actor,
        case=case,
        type="case.party_added",
        data={"party": party.pk, "kind": party.kind, "name": party.name, "uscc": party.uscc},
    )
    return party


@transaction.atomic
def cause_add(
    *, actor, case: Case, item_version, note: str = "", on: dt.date | None = None
) -> CaseCause:
    """案由: an item of the agency's enforcement catalogue, at the exact version applied."""
    case = common.locked_case(case)
    _require_editor(actor, case, "选择案由")
    version = _cause_version(item_version, agency=case.agency)
    if CaseCause.objects.filter(case=case, item_version=version).exists():
        raise DomainError("该案由已选择", field="causes")
    cause = CaseCause.objects.create(
        case=case,
        item_version=version,
        note=common.text(note, field="note", label="说明", max_length=200, required=False),
        added_on=common.date(on or timezone.localdate(), field="on", label="日期"),
    )
    common.record(
        actor=actor,
        case=case,
        type="case.cause_added",
        data={"item_version": version.pk, "item": version.item.code, "name": version.name},
    )
    return cause


@transaction.atomic
def cause_remove(*, actor, case: Case, cause: CaseCause, reason: str) -> None:
    case = common.locked_case(case)
    _require_editor(actor, case, "删除案由")
    reason = common.text(reason, field="reason", label="删除理由", max_length=200)
    if cause.case_id != case.pk:
        raise DomainError("该案由不属于本案")
    data = {"item_version": cause.item_version_id, "reason": reason}
    cause.delete()
    common.record(actor=actor, case=case, type="case.cause_removed", data=data)


def party_id_number_reveal(*, actor, party: Party, request) -> str:
    """The full ID number of a party (当事人身份证号码), shown masked on the case page. Viewing
    an unmasked ID number is a security event (等保 2.0 三级 安全审计): it is recorded — who,
    when, from where, which case and party, never the number itself — before it is returned.
    The view lets only those who may see the case ask."""
    security_event(
        request,
        "security.id_number_viewed",
        subject=party.case,
        case=party.case_id,
        party=party.pk,
        field="id_number",
    )
    return party.id_number


def complainant_reveal(
    *, actor, case: Case, reason: str = "", request=None
) -> list[selectors.ComplainantView]:
    """Show the identity of the complainants and reporters (劳动保障监察条例 第九条: 为举报人
    保密). Only those ``selectors.may_see_complainant`` allows; every reveal, and every refused
    attempt, is recorded in the ledger as a security event (with the client address when the
    view passes its ``request``)."""
    allowed = selectors.may_see_complainant(case=case, user=actor)
    details = {"case": case.pk, "reason": str(reason or "")[:200]}
    if request is not None:
        security_event(
            request,
            "security.complainant_revealed" if allowed else "security.complainant_reveal_denied",
            result="success" if allowed else "denied",
            subject=case,
            **details,
        )
    elif actor is not None and actor.is_authenticated:
        atomic_record(
            actor=actor,
            subject=case,
            type="security.complainant_revealed"
            if allowed
            else "security.complainant_reveal_denied",
            data={"result": "success" if allowed else "denied", **details},
        )
    if not allowed:
        raise NotPermitted("投诉人、举报人身份保密，只有办案人员、承办机构负责人和决定人可以查看")
    return selectors.complainants_unmasked(case)

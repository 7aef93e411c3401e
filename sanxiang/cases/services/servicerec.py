"""Building a 送达回证 (service receipt) from what the officer entered, validated per method
(民事诉讼法 第八十七条至第九十五条; 行政处罚法 第六十一条)."""

from __future__ import annotations

from sanxiang.lib.errors import DomainError

from .. import rules
from ..choices import ReceiverRelation, ServiceMethod
from ..models import Case, Party, ServiceConsent, ServiceRecord
from . import common


def build_service_record(
    *,
    case: Case,
    actor,
    purpose: str,
    data: dict,
    document_name: str,
    document_number: str = "",
) -> ServiceRecord:
    """An unsaved, validated ``ServiceRecord``; raises ``DomainError`` naming what is missing."""
    method = common.choice(data.get("method"), ServiceMethod, field="method", label="送达方式")
    first_party = Party.objects.filter(case=case).order_by("pk").first()
    addressee = common.text(
        data.get("addressee") or (first_party.name if first_party else ""),
        field="addressee",
        label="受送达人",
        max_length=100,
        required=False,
    )

    def t(name: str, label: str, max_length: int = 200) -> str:
        return common.text(
            data.get(name), field=name, label=label, max_length=max_length, required=False
        )

    published_on = None
    if method == ServiceMethod.PUBLIC:
        published_on = common.date(data.get("published_on"), field="published_on", label="公告日期")
    served_on = common.date(
        data.get("served_on"),
        field="served_on",
        label="送达日期",
        required=method != ServiceMethod.PUBLIC,
    )
    consent = None
    if method == ServiceMethod.ELECTRONIC:
        consent_ref = data.get("consent")
        if isinstance(consent_ref, ServiceConsent):
            consent_ref = consent_ref.pk
        if consent_ref:
            consent = ServiceConsent.objects.filter(case=case, pk=consent_ref).first()
        if consent is None:
            consent = ServiceConsent.objects.filter(case=case).order_by("-signed_on", "-pk").first()
    relation = data.get("receiver_relation") or ""
    if relation and relation not in ReceiverRelation.values:
        raise DomainError("请选择签收人身份", field="receiver_relation")
    record = ServiceRecord(
        case=case,
        purpose=purpose,
        document_name=document_name,
        document_number=document_number,
        addressee=addressee,
        place=t("place", "送达地点"),
        method=method,
        served_on=served_on,
        receiver_name=t("receiver_name", "签收人", 50),
        receiver_relation=relation,
        refusal_reason=t("refusal_reason", "拒收事由"),
        witnesses=t("witnesses", "见证人"),
        recording_ref=t("recording_ref", "音像记录编号", 100),
        postal_no=t("postal_no", "邮件号码", 40),
        entrusted_to=t("entrusted_to", "受委托机关", 100),
        consent=consent,
        published_on=published_on,
        publication_medium=t("publication_medium", "公告载体", 100),
        public_reason=t("public_reason", "公告送达的原因"),
        server=data.get("server") or actor,
        second_server=data.get("second_server"),
    )
    problems = rules.service_problems(
        rules.ServiceFacts(
            method=method,
            served_on=served_on,
            receiver_name=record.receiver_name,
            receiver_relation=record.receiver_relation,
            refusal_reason=record.refusal_reason,
            witnesses=record.witnesses,
            recording_ref=record.recording_ref,
            postal_no=record.postal_no,
            entrusted_to=record.entrusted_to,
            consent_signed_on=consent.signed_on if consent else None,
            published_on=published_on,
            publication_medium=record.publication_medium,
            public_reason=record.public_reason,
            addressee=addressee,
        )
    )
    if problems:
        raise DomainError("；".join(problems), field="service")
    return record

"""Reads of the records app: document lists, public verification, officers as printed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from sanxiang.lib.errors import DomainError

from . import rules
from .documents.context import OfficerRef
from .models import DocumentScan, GeneratedDocument


def document_list(*, agency=None, doc_type: str = "") -> QuerySet[GeneratedDocument]:
    qs = GeneratedDocument.objects.select_related(
        "agency", "created_by", "final_scan", "replaced_by"
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    return qs.order_by("-created_at", "-pk")


def documents_of_subject(subject: Model) -> QuerySet[GeneratedDocument]:
    """The documents generated for a case (or any record), newest first."""
    return document_list().filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=str(subject.pk)
    )


def document_detail(pk: int) -> GeneratedDocument:
    return document_list().get(pk=pk)


def officer_refs(*, users: Iterable, on: dt.date) -> list[OfficerRef]:
    """Officers as printed on a document: name and the certificate valid on ``on``.

    行政处罚法 第四十二条、第五十五条: investigation records (询问笔录, 现场检查笔录) name the officers
    and their certificate numbers; an officer without a valid certificate that day cannot act,
    so this refuses rather than print a blank or an expired number."""
    from sanxiang.registry.selectors import certificate_on

    refs, missing = [], []
    for user in users:
        certificate = certificate_on(user=user, on=on)
        name = getattr(user, "real_name", "") or user.get_username()
        if certificate is None:
            missing.append(name)
        else:
            refs.append(OfficerRef(name=name, certificate_no=certificate.number))
    if missing:
        raise DomainError(
            f"{'、'.join(missing)}在{on.year}年{on.month}月{on.day}日没有有效的执法证件，不能列为执法人员"
        )
    return refs


# --- public verification --------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the public verification page shows: no personal data, no document content."""

    code: str  # grouped, as printed
    agency_name: str
    doc_name: str
    number: str
    issued_on: dt.date
    created_at: dt.datetime
    pdf_sha256: str
    pdf_sm3: str
    recorded: bool  # the ledger event for this document names these hashes
    ledger_seq: int | None
    in_checkpoint: bool  # a signed checkpoint covers that ledger entry
    replaced: bool
    scan: DocumentScan | None
    scan_recorded: bool


def _ledger_names(seq: int | None, *, type_: str, document: int, role: str, sha256: str) -> bool:
    """True when ledger entry ``seq`` is a ``type_`` event about ``document`` listing a file of
    ``role`` with this SHA-256 (``ledger verify`` proves the entry itself is unaltered)."""
    if seq is None:
        return False
    from sanxiang.ledger.models import Event

    event = Event.objects.filter(seq=seq, type=type_).only("payload").first()
    if event is None:
        return False
    data = json.loads(event.payload).get("data") or {}
    return data.get("document") == document and any(
        isinstance(f, dict) and f.get("role") == role and f.get("sha256") == sha256
        for f in data.get("files") or []
    )


def document_verification(raw_code: str) -> Verification | None:
    """The verification record for a typed or scanned code (None: no such document)."""
    code = rules.normalize_code(raw_code)
    if code is None:
        return None
    document = (
        GeneratedDocument.objects.select_related("agency").filter(verification_code=code).first()
    )
    if document is None:
        return None
    from sanxiang.ledger.selectors import latest_checkpoint

    scan = DocumentScan.objects.filter(document=document).first()
    checkpoint = latest_checkpoint()
    return Verification(
        code=rules.group_code(code),
        agency_name=document.agency.name,
        doc_name=document.doc_name,
        number=document.number,
        issued_on=document.issued_on,
        created_at=document.created_at,
        pdf_sha256=document.pdf_sha256,
        pdf_sm3=document.pdf_sm3,
        recorded=_ledger_names(
            document.ledger_seq,
            type_="document.generated",
            document=document.pk,
            role="pdf",
            sha256=document.pdf_sha256,
        ),
        ledger_seq=document.ledger_seq,
        in_checkpoint=bool(
            checkpoint is not None
            and document.ledger_seq is not None
            and checkpoint.size > document.ledger_seq
        ),
        replaced=GeneratedDocument.objects.filter(replaces=document).exists(),
        scan=scan,
        scan_recorded=bool(
            scan
            and _ledger_names(
                scan.ledger_seq,
                type_="document.scan_attached",
                document=document.pk,
                role="scan",
                sha256=scan.sha256,
            )
        ),
    )

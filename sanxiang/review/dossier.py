"""The dossier manifest (送审案卷清单): what a submission consists of, as plain data, with a
SHA-256 per entry and ONE hash over the whole manifest.

The same function builds the manifest when the handler submits (it is frozen on the
submission) and when the decision gate asks whether the dossier is still what was reviewed (it
is rebuilt from the case as it is now, hashed and compared). So anything added, removed or
changed after the review — a new 询问笔录, a new revision of the proposal, a regenerated
document, a defence re-checked — changes the hash and voids the approval.

Manifest (canonical JSON, sanxiang.lib.canonical)::

    {"format": "sanxiang-review-dossier/1",
     "case": {"id": 12, "number": "陵人社监立字〔2026〕第3号"},
     "sections": {
        "case": [...], "parties": [...], "team": [...],
        "documents": [{"key": "document:7", "label": "行政处罚事先告知书 陵人社监告字〔2026〕第2号",
                       "sha256": "<entry hash>",
                       "files": [{"role": "pdf", "sha256": "…", "sm3": "…", "size": 41234}, …]}],
        "evidence": [],          # evidence files slot in here, each with "files" like documents
        "records": [...], "statements": [...], "hearings": [...], "process": [...],
        "draft_decision": [{"key": "proposal", "label": "拟处理意见（第2版）", "sha256": "…"}]}}

Each entry's ``sha256`` is the SHA-256 of the canonical JSON of the row's content: every field
except the listed bookkeeping ones, leaving out fields that hold their default value — so a
column added to a case table later (with a default) does not change existing entries' hashes.
Personal data enter the hashes only; the manifest itself carries labels and hashes.

Not in the dossier: the case's state and clocks (they move with the procedure), its flags, the
collective discussions (行政处罚法 第五十七条: the heads discuss *after* the review, on its
opinion) and the review app's own documents (the 法制审核意见书 and the accountability record).

Evidence: the evidence files of the records app (content-addressed, SHA-256 + SM3) are in
``sections["evidence"]`` as ``{"key": "evidence:<id>", "label": …, "sha256": <hash of the
evidence row>, "files": [{"role": "original", "sha256", "sm3", "size"}]}`` whenever the
``records.Evidence`` model is installed (:func:`_evidence`); the fixity sweep's bookkeeping on
the row is left out of the entry hash.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.db.models import Model
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from sanxiang.lib.canonical import utc_timestamp

from .rules import MANIFEST_FORMAT, digest

# Document types made by the review app itself: never part of the dossier they are about.
REVIEW_DOC_TYPES = frozenset({"legal_review_opinion", "review_accountability"})
SECTIONS = (
    "case",
    "parties",
    "team",
    "documents",
    "evidence",
    "records",
    "statements",
    "hearings",
    "process",
    "draft_decision",
)
_ALWAYS_EXCLUDED = {"id", "case"}


def _value(field, obj):
    value = field.value_from_object(obj)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Decimal) and getattr(field, "decimal_places", None) is not None:
        return format(value.quantize(Decimal(1).scaleb(-field.decimal_places)), "f")
    if isinstance(value, dt.datetime):
        return utc_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


def _is_default(field, value) -> bool:
    default = field.get_default()
    if callable(getattr(field, "default", None)) and value not in (None, "", [], {}):
        return False  # e.g. created_at=timezone.now: a stored moment is never "the default"
    return value == _value_of_default(field, default)


def _value_of_default(field, default):
    if isinstance(default, Decimal) and getattr(field, "decimal_places", None) is not None:
        return format(default.quantize(Decimal(1).scaleb(-field.decimal_places)), "f")
    return default


def row(obj: Model, *, exclude: tuple[str, ...] = ()) -> dict:
    """The row's content as canonical-JSON-ready data (see the module docstring)."""
    skip = _ALWAYS_EXCLUDED | set(exclude)
    out = {"_model": obj._meta.label_lower}
    for field in obj._meta.concrete_fields:
        if field.name in skip or field.primary_key:
            continue
        value = _value(field, obj)
        if _is_default(field, value):
            continue
        out[field.attname] = value
    return out


def _entry(key: str, label: str, content, **extra) -> dict:
    return {"key": key, "label": label, "sha256": digest(content), **extra}


def _local_date(moment: dt.datetime) -> str:
    d = timezone.localtime(moment).date()
    return f"{d.year}年{d.month}月{d.day}日"


def _cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


# --- sections ------------------------------------------------------------------------------------


def _case(case) -> list[dict]:
    causes = [
        {"item_version": c.item_version_id, "name": c.item_version.name, "note": c.note}
        for c in case.causes.select_related("item_version").order_by("pk")
    ]
    fields = [
        "agency_id",
        "registration_no",
        "case_no",
        "source",
        "channel",
        "procedure",
        "received_on",
        "summary",
        "facts",
        "request",
        "workers_affected",
        "amount_claimed",
        "violation_from",
        "violation_until",
        "violation_continuing",
        "limitation_reason",
        "filed_on",
        "filed_by_id",
    ]
    meta = {f.attname: f for f in case._meta.concrete_fields}
    content = {name: _value(meta[name], case) for name in fields}
    content["causes"] = causes
    return [_entry("case", f"案件{case.number}（{case.summary}）", content)]


def _parties(case) -> list[dict]:
    from sanxiang.cases.models import Party

    return [
        _entry(f"party:{p.pk}", f"当事人{p.name}", row(p))
        for p in Party.objects.filter(case=case).order_by("pk")
    ]


def _team(case) -> list[dict]:
    from sanxiang.cases.models import Assignment

    out = []
    for a in Assignment.objects.filter(case=case).select_related("user").order_by("pk"):
        released = f"（{_cn(a.released_on)}调出）" if a.released_on else ""
        out.append(
            _entry(
                f"assignment:{a.pk}",
                f"办案人员{a.user}（{a.get_role_display()}）{released}",
                row(a),
            )
        )
    return out


def _file(role: str, sha256: str, sm3: str, size) -> dict:
    return {"role": role, "sha256": sha256, "sm3": sm3, "size": size}


def _documents(case) -> list[dict]:
    from sanxiang.records.selectors import documents_of_subject

    out = []
    docs = (
        documents_of_subject(case)
        .exclude(doc_type__in=REVIEW_DOC_TYPES)
        .filter(replaced_by__isnull=True)
        .order_by("pk")
    )
    for d in docs:
        files = [_file("pdf", d.pdf_sha256, d.pdf_sm3, d.pdf_size)]
        if d.docx_sha256:
            files.append(_file("docx", d.docx_sha256, d.docx_sm3, d.docx_size))
        scan = getattr(d, "final_scan", None)
        if scan is not None:
            files.append(_file("scan", scan.sha256, scan.sm3, scan.size))
        content = {
            "doc_type": d.doc_type,
            "number": d.number,
            "title": d.title,
            "issued_on": d.issued_on.isoformat(),
            "template_version": d.template_version,
            "context_sha256": d.context_sha256,
            "replaces": d.replaces_id,
            "files": files,
        }
        label = f"{d.doc_name}{' ' + d.number if d.number else ''}"
        out.append(_entry(f"document:{d.pk}", label, content, files=files))
    return out


# Evidence fields that change without the evidence changing: the fixity sweep's last result,
# the ledger bookkeeping, where the bytes are stored.
_EVIDENCE_BOOKKEEPING = (
    "fixity_checked_at",
    "fixity_ok",
    "ledger_seq",
    "storage_name",
    "via",
    "uploaded_by",
    "uploaded_at",
)


def _evidence(case) -> list[dict]:
    """Evidence files (证据) of the records app — each with its SHA-256 and SM3 — when that model
    is installed; the entry hash covers the evidence row (what, when, where, by whom, which
    bytes), not the fixity sweep's bookkeeping."""
    from django.apps import apps

    try:
        model = apps.get_model("records", "Evidence")
    except LookupError:
        return []
    out = []
    for e in model.objects.filter(case=case).order_by("pk"):
        files = [_file("original", e.sha256, e.sm3, e.size)]
        label = f"{e}：{e.description[:30]}" if getattr(e, "description", "") else str(e)
        out.append(
            _entry(
                f"evidence:{e.pk}",
                label,
                row(e, exclude=_EVIDENCE_BOOKKEEPING),
                files=files,
            )
        )
    return out


def _records(case) -> list[dict]:
    from sanxiang.cases.models import InvestigationRecord

    out = []
    for r in (
        InvestigationRecord.objects.filter(case=case).prefetch_related("officers").order_by("pk")
    ):
        content = row(r)
        content["officers"] = sorted([o.user_id, o.certificate_number] for o in r.officers.all())
        label = f"{r.get_kind_display()}（{r.person_name}，{_local_date(r.started_at)}）"
        out.append(_entry(f"record:{r.pk}", label, content))
    return out


def _statements(case) -> list[dict]:
    from sanxiang.cases.models import Defence

    return [
        _entry(
            f"defence:{d.pk}",
            f"{d.get_form_display()}（{_cn(d.received_on)}）"
            + (f"及复核意见（{d.get_recheck_result_display()}）" if d.recheck_result else ""),
            row(d),
        )
        for d in Defence.objects.filter(case=case).order_by("pk")
    ]


def _hearings(case) -> list[dict]:
    from sanxiang.cases.models import Hearing

    return [
        _entry(
            f"hearing:{h.pk}",
            f"听证（{_cn(h.requested_on)}申请"
            + (f"，{h.get_outcome_display()}" if h.outcome else "")
            + "）",
            row(h),
        )
        for h in Hearing.objects.filter(case=case).order_by("pk")
    ]


def _process(case) -> list[dict]:
    from sanxiang.cases.models import (
        CorrectionOrder,
        Notice,
        Preservation,
        Recusal,
        ServiceRecord,
    )

    out = []
    for n in Notice.objects.filter(case=case).order_by("pk"):
        out.append(_entry(f"notice:{n.pk}", f"事先告知 {n.number}", row(n)))
    for o in CorrectionOrder.objects.filter(case=case).order_by("pk"):
        checked = f"（复查：{o.get_result_display()}）" if o.result else ""
        out.append(_entry(f"order:{o.pk}", f"责令改正 {o.number}{checked}", row(o)))
    for p in Preservation.objects.filter(case=case).order_by("pk"):
        out.append(
            _entry(
                f"preservation:{p.pk}",
                f"先行登记保存（{p.get_status_display()}）",
                row(p),
            )
        )
    for s in ServiceRecord.objects.filter(case=case).order_by("pk"):
        out.append(
            _entry(
                f"service:{s.pk}",
                f"送达回证（{s.document_name}{' ' + s.document_number if s.document_number else ''}）",
                row(s),
            )
        )
    for r in Recusal.objects.filter(case=case).select_related("person").order_by("pk"):
        out.append(
            _entry(f"recusal:{r.pk}", f"回避（{r.person}，{r.get_status_display()}）", row(r))
        )
    return out


def _draft_decision(case) -> list[dict]:
    from sanxiang.cases.models import Proposal

    p = Proposal.objects.filter(case=case).order_by("-revision").first()
    if p is None:
        return []
    return [
        _entry(
            "proposal",
            f"拟处理意见（第{p.revision}版：{p.get_kind_display()}）",
            row(p, exclude=("created_at",)),
        )
    ]


BUILDERS = {
    "case": _case,
    "parties": _parties,
    "team": _team,
    "documents": _documents,
    "evidence": _evidence,
    "records": _records,
    "statements": _statements,
    "hearings": _hearings,
    "process": _process,
    "draft_decision": _draft_decision,
}
assert tuple(BUILDERS) == SECTIONS


def build_manifest(case) -> dict:
    """The manifest of ``case``'s dossier as it is now (a fixed number of queries)."""
    return {
        "format": MANIFEST_FORMAT,
        "case": {"id": case.pk, "number": case.number},
        "sections": {name: BUILDERS[name](case) for name in SECTIONS},
    }


def section_counts(manifest: dict) -> dict[str, int]:
    return {name: len(entries) for name, entries in manifest.get("sections", {}).items()}

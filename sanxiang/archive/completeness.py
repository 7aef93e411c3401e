"""Is the case file complete? A check per outcome type (DOMAIN.md §7.1 scoring, §7.2 file
structure; requirements checklist B.30–32): the required documents, every document's signed
and sealed scan (签名、盖章), the service receipts, the signatures recorded on the records, and
the audio/video recordings the recording rules require. Each problem says what is missing;
blocking problems stop sealing (封存)."""

from __future__ import annotations

from dataclasses import dataclass

from sanxiang.records import documents
from sanxiang.records.casedocs import builders
from sanxiang.records.casedocs.selectors import case_documents, match_documents

from . import rules

# Documents every general-procedure case file holds, then those per outcome (DOMAIN.md §3.13;
# 案卷评查标准 §7.1). A builder's objects decide how many: one per interview record, per order,
# per service record, ….
COMMON = [
    "filing_approval",
    "interview_record",
    "inspection_record",
    "preservation_notice",
    "correction_order",
    "investigation_report",
    "service_receipt",
    "closing_approval",
]
BY_OUTCOME = {
    # 行政处罚法 第四十四条 (notice), 第五十九条 (decision), 第六十四条 (hearing), 第五十七条
    # (discussion); 行政强制法 第五十四条 (reminder).
    "penalty": [
        "advance_notice",
        "hearing_notice",
        "hearing_record",
        "discussion_record",
        "penalty_decision",
        "performance_reminder",
    ],
    "handling": ["hearing_notice", "hearing_record", "discussion_record"],
    "no_penalty": ["discussion_record"],
    "revoke": [],
    "transfer_agency": [],
    "transfer_judicial": [],
}
# Decisions without a template in this system: their paper original must be filed by hand.
UNTEMPLATED = {
    "handling": "劳动保障监察行政处理决定书",
    "no_penalty": "不予行政处罚决定书",
    "transfer_agency": "案件移送书",
    "transfer_judicial": "案件移送书",
    "on_spot": "当场行政处罚决定书",
}


@dataclass(frozen=True)
class Problem:
    text: str
    blocking: bool = True


def outcome_of(case) -> str:
    try:
        decision = case.decision
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist
        decision = None
    if decision is None:
        return case.closing_reason or ""
    return "on_spot" if decision.on_spot else decision.kind


def _required_types(case, outcome: str) -> list[str]:
    if outcome == "on_spot" or case.procedure == "simplified":
        return ["service_receipt"]
    return COMMON + BY_OUTCOME.get(outcome, [])


def check(case) -> list[Problem]:
    """What the case file lacks (empty: complete)."""
    from sanxiang.cases.choices import State

    problems: list[Problem] = []
    if case.state != State.CLOSED:
        problems.append(Problem("案件尚未结案，结案后方可归档（DOMAIN.md §7.2）"))
    outcome = outcome_of(case)
    data = builders.CaseData(case)
    docs = case_documents(case)
    registered = {t.code for t in documents.all_types()}
    for doc_type in _required_types(case, outcome):
        if doc_type not in registered:
            continue
        builder = builders.get(doc_type)
        spec = documents.get(doc_type)
        objects = builder.objects(data)
        for obj, doc in zip(objects, match_documents(builder, objects, docs), strict=True):
            if doc is None:
                problems.append(Problem(f"缺少{spec.name}（{builder.label(obj)}）"))
    if outcome in UNTEMPLATED:
        problems.append(
            Problem(
                f"{UNTEMPLATED[outcome]}尚无系统模板：请核对纸质原件已入卷，"
                "或作为书证电子件上传后随卷归档",
                blocking=False,
            )
        )
    # 行政处罚法 第五十八条: a major decision has a legal-review opinion in its file.
    if (
        case.is_major
        and "legal_review_opinion" in registered
        and outcome in ("penalty", "handling")
    ):
        if not any(d.doc_type == "legal_review_opinion" for d in docs):
            problems.append(Problem("重大案件缺少法制审核意见书（行政处罚法 第五十八条）"))
    # Decisions served: 行政处罚法 第六十一条; 民事诉讼法 第八十七条 (送达回证).
    if outcome in ("penalty", "handling", "no_penalty") and not any(
        s.purpose == "decision" for s in data.records.service_records
    ):
        problems.append(Problem("决定书尚无送达记录（送达回证）"))
    # Signatures on the records (行政处罚法 第五十五条; 第六十四条第（八）项).
    for r in data.records.records:
        if not r.signatures_complete:
            problems.append(
                Problem(
                    f"{r.get_kind_display()}（{r.person_name}）签名不全：未逐页签名或未注明拒签"
                )
            )
    for h in data.records.hearings:
        if h.outcome == "held" and not (h.party_signed or h.refusal_note):
            problems.append(Problem("听证笔录当事人未签字，主持人也未注明"))
    # Every document in the file is the signed and sealed paper (its scan is the final version).
    for d in docs:
        if d.doc_type in rules.ARCHIVE_DOC_TYPES:
            continue
        try:
            d.replaced_by  # noqa: B018
            continue
        except type(d).DoesNotExist:
            pass
        if not hasattr(d, "final_scan"):
            problems.append(
                Problem(f"{d.doc_name}（{d.number or d.grouped_code}）尚未上传签名盖章后的扫描件")
            )
    problems += recording_problems(case)
    return problems


def recording_problems(case) -> list[Problem]:
    """Audio/video the recording rules require (records.evidence; 国办发〔2018〕118号): missing
    ones block, prompts are listed."""
    from sanxiang.records.evidence.selectors import case_materials

    materials = case_materials(case)
    out = [Problem(f"缺少音像记录：{r.reason}") for r in materials.blocking]
    out += [Problem(f"建议补充音像记录：{r.reason}", blocking=False) for r in materials.prompts]
    return out


def blocking(problems: list[Problem]) -> list[str]:
    return [p.text for p in problems if p.blocking]

"""What a decision says, read from cases — the *original* (unmasked) text of a publication and
what the masker needs to know about the people in the case.

Staff code only (services and the review page). The portal never imports this module: public
pages read ``PortalEntry`` rows, which hold masked text only (see portal.py and the test that
crawls the portal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sanxiang.lib import codes
from sanxiang.lib.masking import MaskingContext, Person, mask_text

from . import rules

# The published fields of a decision, in document order: (key, label).
FIELDS = [
    ("party", "当事人"),
    ("item", "违法行为类型"),
    ("facts", "违法事实"),
    ("evidence", "证据"),
    ("basis", "处罚（处理）依据"),
    ("discretion", "裁量理由"),
    ("content", "处罚（处理）内容"),
    ("remedy", "救济途径"),
]
FIELD_LABELS = dict(FIELDS)
REQUIRED_FIELDS = ("party", "facts", "content")
FIELD_MAX = 5000

DOC_NAMES = {
    "penalty": "行政处罚决定书",
    "handling": "劳动保障监察行政处理决定书",
    "no_penalty": "不予行政处罚决定书",
}
PARTY_KINDS = {
    "organisation": "法人及非法人组织",
    "individual_business": "个体工商户",
    "natural_person": "自然人",
}


@dataclass(frozen=True)
class Source:
    """A decision as the publication is built from it."""

    decision_id: int
    agency_name: str
    agency_uscc: str
    agency_phone: str
    outcome_kind: str
    category: str | None
    doc_name: str
    doc_number: str
    decided_on: dt.date
    party_name: str
    party_kind: str
    party_code: str
    legal_representative: str
    natural_person: bool
    birth_date: dt.date | None
    act_date: dt.date | None
    item_code: str
    item_name: str
    confidentiality_review: bool
    penalty_types: tuple[str, ...]
    fine_amount: object
    confiscation_amount: object
    original: dict[str, str]  # FIELDS → unmasked text
    masking: MaskingContext
    lead_officer_id: int | None
    original_code: str = ""
    original_sha256: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        # "陵川县某公司" + "用人单位违法延长劳动者工作时间" reads "某公司违法延长…案".
        cause = (self.item_name or "违法").removeprefix("用人单位")
        return f"{self.party_name}{cause}案"[:200]

    def masked(self) -> tuple[dict[str, str], dict[str, int]]:
        """The fields masked, and the count of each kind of masked information."""
        out, counts = {}, {}
        for key, _label in FIELDS:
            result = mask_text(self.original.get(key, ""), self.masking)
            out[key] = result.text
            for kind, n in result.counts().items():
                counts[kind] = counts.get(kind, 0) + n
        return out, counts


def _money(amount) -> str:
    return f"{amount:,.2f}元"


def content_text(decision, proposal) -> str:
    parts = []
    types = list(decision.penalty_types or [])
    for t in types:
        label = rules.PENALTY_LABELS.get(t, t)
        if t == "fine" and decision.fine_amount:
            parts.append(f"罚款人民币{_money(decision.fine_amount)}")
        elif t == "confiscate_gains" and decision.confiscation_amount:
            parts.append(f"没收违法所得人民币{_money(decision.confiscation_amount)}")
        elif t in ("warning", "criticism"):
            parts.append(f"给予{label}")
        else:
            parts.append(label)
    text = "；".join(parts)
    if proposal is not None and proposal.payment_order:
        text = (text + "；" if text else "") + "责令" + proposal.payment_order.removeprefix("责令")
    if decision.kind == "no_penalty":
        text = "不予行政处罚" + (
            f"（{proposal.get_no_penalty_ground_display()}）"
            if proposal and proposal.no_penalty_ground
            else ""
        )
    content = (decision.content or "").strip()
    facts = (proposal.facts_found if proposal else "").strip()
    if content and content != facts and content not in text:
        text = (text + "。" if text else "") + content
    return text or content


def decision_source(decision) -> Source:
    """Everything the publication of ``decision`` is built from (a handful of queries)."""
    from sanxiang.cases.models import Case

    case = (
        Case.objects.select_related("agency")
        .prefetch_related(
            "parties",
            "complainants",
            "investigation_records",
            "service_records",
            "causes__item_version__item",
            "assignments__user",
        )
        .get(pk=decision.case_id)
    )
    proposal = decision.proposal
    agency = case.agency
    parties = list(case.parties.all())
    party = parties[0] if parties else None
    kind = party.kind if party else "organisation"
    natural = kind == "natural_person"
    birth = None
    if party is not None and party.id_number and kind in ("natural_person", "individual_business"):
        try:
            birth = codes.id_number_birth_date(party.id_number)
        except codes.CodeError:
            birth = None

    causes = list(case.causes.all())
    version = proposal.item_version if proposal and proposal.item_version_id else None
    if version is None and causes:
        version = causes[0].item_version
    item_code = version.item.code if version is not None else ""
    item_name = version.name if version is not None else ""

    team = [a.user for a in case.assignments.all()]
    lead = next(
        (a.user_id for a in case.assignments.all() if a.role == "lead" and a.released_on is None),
        None,
    )
    keep = {u.real_name for u in team if getattr(u, "real_name", "")}
    decider = getattr(decision.decided_by, "real_name", "")
    if decider:
        keep.add(decider)
    party_person = None
    if party is not None:
        if party.legal_representative:
            keep.add(party.legal_representative)
        if kind in ("natural_person", "individual_business"):
            keep.add(party.name)
            party_person = Person(
                name=party.name,
                role="当事人",
                id_number=party.id_number,
                phone=party.phone,
                address=party.address if natural else "",
            )
    others = []
    for c in case.complainants.all():
        if c.name:
            others.append(Person(c.name, "投诉人", c.id_number, c.phone, c.address))
    for r in case.investigation_records.all():
        if r.person_name and r.person_name not in keep:
            others.append(
                Person(
                    r.person_name, "被询问人", r.person_id_number, r.person_phone, r.person_address
                )
            )
        for w in (r.witnesses or "").replace("，", "、").replace(",", "、").split("、"):
            if w.strip() and w.strip() not in keep:
                others.append(Person(w.strip(), "见证人"))
    for s in case.service_records.all():
        for name in (s.receiver_name, *(s.witnesses or "").split("、")):
            name = (name or "").strip()
            if name and name not in keep:
                others.append(Person(name, "签收人或见证人"))
    masking = MaskingContext(
        others=tuple(others),
        party=party_person,
        keep_names=frozenset(keep),
        keep_numbers=frozenset(n for n in (party.uscc if party else "", agency.phone) if n),
        natural_person=natural,
    )

    if party is None:
        party_text = "（未登记当事人）"
    elif kind == "organisation":
        party_text = (
            f"{party.name}（统一社会信用代码：{party.uscc}；法定代表人（负责人）："
            f"{party.legal_representative or '—'}；住所：{party.address or '—'}）"
        )
    else:
        bits = [f"身份证号码：{party.id_number}"] if party.id_number else []
        if party.uscc:
            bits.insert(0, f"统一社会信用代码：{party.uscc}")
        if party.address:
            bits.append(f"住所：{party.address}")
        party_text = f"{party.name}（{'；'.join(bits)}）" if bits else party.name
    original = {
        "party": party_text,
        "item": item_name,
        "facts": proposal.facts_found if proposal else decision.content,
        "evidence": proposal.evidence_summary if proposal else "",
        "basis": proposal.legal_basis if proposal else "",
        "discretion": proposal.discretion_reason if proposal else "",
        "content": content_text(decision, proposal),
        "remedy": decision.remedy_note,
    }

    original_code = original_sha = ""
    if decision.number:
        from sanxiang.records.selectors import documents_of_subject

        doc = (
            documents_of_subject(case)
            .filter(number=decision.number, replaced_by__isnull=True)
            .first()
        )
        if doc is not None:
            original_code, original_sha = doc.verification_code, doc.pdf_sha256

    return Source(
        decision_id=decision.pk,
        agency_name=agency.name,
        agency_uscc=agency.uscc,
        agency_phone=agency.phone,
        outcome_kind=decision.kind,
        category=rules.category_of(decision.kind),
        doc_name=DOC_NAMES.get(decision.kind, "执法决定书")
        if not decision.on_spot
        else "当场行政处罚决定书",
        doc_number=decision.number or "",
        decided_on=decision.decided_on,
        party_name=party.name if party else "",
        party_kind=PARTY_KINDS.get(kind, kind),
        party_code=party.uscc if party else "",
        legal_representative=party.legal_representative if party and not natural else "",
        natural_person=natural,
        birth_date=birth,
        act_date=case.violation_from,
        item_code=item_code,
        item_name=item_name,
        confidentiality_review=bool(version and version.confidentiality_review),
        penalty_types=tuple(decision.penalty_types or ()),
        fine_amount=decision.fine_amount,
        confiscation_amount=decision.confiscation_amount,
        original=original,
        masking=masking,
        lead_officer_id=lead,
        original_code=original_code,
        original_sha256=original_sha,
    )


def withhold_grounds_of(
    src: Source, *, withhold_warning_only: bool, manual=(), changed: bool = False
) -> list[str]:
    """The grounds not to publish ``src`` (``rules.withhold_grounds``) from the decision's own
    facts plus the bureau's rule and what a person marked."""
    return rules.withhold_grounds(
        rules.WithholdFacts(
            natural_person=src.natural_person,
            birth_date=src.birth_date,
            act_date=src.act_date,
            decided_on=src.decided_on,
            penalty_types=src.penalty_types,
            withhold_warning_only=bool(withhold_warning_only),
            manual=tuple(manual or ()),
            changed=changed,
        )
    )

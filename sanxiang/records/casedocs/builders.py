"""Case data → document contexts: one builder per document type a case produces.

Each :class:`Builder` says which objects of a case a document is made from (the case itself,
each interview record, each service record, …), how to find the document already made for an
object (by its 文号, or by a fragment of its title that names the object: a document row keeps
no foreign key to the case object — records has no model for it, and the ledger is the place
that ties them), which 文号 it carries (the one the case service already allocated — the 立案号,
the order's, the notice's, the decision's, the reminder's — never a second one), and how to
fill its context from the case's rows.

Builders read; ``casedocs.services.case_document_generate`` writes. Higher apps add builders
for documents whose data they own (the archive app: 卷内目录) with :func:`register`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils import timezone

from sanxiang.lib.errors import DomainError

from .. import selectors as records_selectors
from ..documents.context import OfficerRef, Party, Penalty
from ..documents.formatting import cn_date, cn_datetime, yuan
from . import config

# --- the case, read once --------------------------------------------------------------------


def cause_text(name: str) -> str:
    """案由 as printed after the party's name: the catalogue item without "用人单位" in front
    (陵川县某公司 + 违法延长劳动者工作时间 + 案)."""
    return name.removeprefix("用人单位")


class CaseData:
    """Everything a builder needs from one case, read with a fixed number of queries."""

    def __init__(self, case):
        from sanxiang.cases import selectors as case_selectors

        self.case = case
        self.agency = case.agency
        self.records = case_selectors.case_records(case)

    # -- who and what ------------------------------------------------------------------------

    @cached_property
    def party_row(self):
        if not self.records.parties:
            raise DomainError("案件尚未登记当事人，不能制作文书")
        return self.records.parties[0]

    @cached_property
    def party(self) -> Party:
        p = self.party_row
        if p.kind == "natural_person" or (p.kind == "individual_business" and not p.uscc):
            return Party(kind="person", name=p.name, address=p.address, id_number=p.id_number)
        return Party(
            kind="organisation",
            name=p.name,
            address=p.address,
            uscc=p.uscc,
            legal_representative=p.legal_representative or p.name,
        )

    @cached_property
    def cause(self) -> str:
        names = [cause_text(c.item_version.name) for c in self.records.causes]
        return "、".join(names) or cause_text(self.case.summary)

    @cached_property
    def title(self) -> str:
        """案件名称 / 案卷题名: party + violation + 案 (DOMAIN.md §7.2)."""
        return f"{self.party_row.name}{self.cause}案"

    @cached_property
    def source_label(self) -> str:
        return self.case.get_source_display()

    @cached_property
    def team(self) -> list:
        """Officers of the case (lead first), from the assignment rows (released ones too: a
        document of a past act names the officers who acted then)."""
        from sanxiang.cases.models import Assignment

        rows = Assignment.objects.filter(case=self.case).select_related("user")
        return sorted(rows, key=lambda a: (a.role != "lead", a.assigned_on, a.pk))

    def team_on(self, day: dt.date) -> list:
        users, seen = [], set()
        for a in self.team:
            if a.assigned_on <= day and (a.released_on is None or a.released_on >= day):
                if a.user_id not in seen:
                    seen.add(a.user_id)
                    users.append(a.user)
        return users

    def officers_on(self, day: dt.date, users=None) -> list[OfficerRef]:
        """Names and certificate numbers valid on ``day`` (行政处罚法 第四十二条、第五十五条);
        refuses an officer without a valid certificate."""
        return records_selectors.officer_refs(users=users or self.team_on(day), on=day)

    @cached_property
    def lead(self):
        team = [a for a in self.team if a.released_on is None] or self.team
        return team[0].user if team else None

    def contact(self) -> tuple[str, str]:
        lead = self.lead
        name = (getattr(lead, "real_name", "") or lead.get_username()) if lead else ""
        phone = self.agency.phone or (getattr(lead, "phone", "") if lead else "")
        return name, phone

    # -- law -------------------------------------------------------------------------------

    def bases(self, kinds: tuple[str, ...]) -> str:
        """Legal bases of the case's catalogue items, e.g. 《劳动保障监察条例》第二十五条."""
        out = []
        for cause in self.records.causes:
            for b in cause.item_version.bases.all():
                if b.kind in kinds:
                    text = f"{b.law}{b.article}"
                    if text not in out:
                        out.append(text)
        return "；".join(out)

    @cached_property
    def proposal(self):
        return self.records.proposals[0] if self.records.proposals else None


def _name(user) -> str:
    if user is None:
        return ""
    return getattr(user, "real_name", "") or user.get_username()


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


# --- penalties ------------------------------------------------------------------------------

# cases.choices.PenaltyType → documents.context.PENALTY_KINDS (行政处罚法 第九条)
_PENALTY_KIND = {
    "warning": "warning",
    "criticism": "criticism",
    "fine": "fine",
    "confiscate_gains": "confiscation",
    "confiscate_property": "confiscate_property",
    "suspend_licence": "licence_suspension",
    "revoke_licence": "licence_revocation",
}


def penalties_of(row) -> list[Penalty]:
    """Penalty lines from a proposal or a decision (types, fine, confiscated gains)."""
    from sanxiang.cases.choices import PENALTY_RANK, PenaltyType

    labels = dict(PenaltyType.choices)
    out = []
    for t in sorted(row.penalty_types or (), key=lambda t: PENALTY_RANK.get(t, 99)):
        kind = _PENALTY_KIND.get(t, "other")
        amount = None
        if t == "fine":
            amount = row.fine_amount
        elif t == "confiscate_gains":
            amount = row.confiscation_amount
        detail = labels.get(t, t) if kind == "other" else ""
        if t == "fine" and getattr(row, "affected_workers", None):
            detail = f"受侵害的劳动者{row.affected_workers}人"
        out.append(Penalty(kind=kind, amount=amount, detail=detail))
    return out


def penalty_summary(row) -> str:
    """给予警告，罚款900元 — a proposal or decision in one line."""
    from sanxiang.cases.rules import penalty_labels

    parts = []
    if row.penalty_types:
        parts.append(penalty_labels(row.penalty_types))
    if row.fine_amount:
        parts.append(f"罚款{yuan(row.fine_amount)}元")
    if getattr(row, "confiscation_amount", None):
        parts.append(f"没收违法所得{yuan(row.confiscation_amount)}元")
    return "，".join(parts)


def proposal_text(proposal) -> str:
    text = proposal.get_kind_display()
    summary = penalty_summary(proposal)
    if summary:
        text += f"：{summary}"
    if proposal.payment_order:
        text += f"；责令{proposal.payment_order}"
    if proposal.transfer_to:
        text += f"；移送{proposal.transfer_to}"
    return text


def _lines(text: str) -> list[str]:
    return [p.strip(" 。；;") for p in re.split(r"[\n；;]", text or "") if p.strip(" 。；;")]


# --- builders -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Builder:
    doc_type: str
    stage: str  # the case page's group: 立案 调查取证 告知与听证 决定与送达 执行 结案 归档
    objects: Callable[[CaseData], list]  # what documents of this type are made from, in order
    label: Callable[[Any], str]  # the object as the case page names it
    build: Callable[[CaseData, Any], Any]  # the filled context
    # How to find the document made for an object: its 文号 ("number"), a fragment of its
    # title ("title"), or the only one of its type in the case ("single").
    match: str = "single"
    key: Callable[[Any], str] = field(default=lambda obj: "")
    number: Callable[[CaseData, Any], str] | None = None  # the 文号 already allocated
    allocate: bool = False  # the document's own number, allocated on first generation
    waiting: str = ""  # shown when there is no object yet (e.g. "尚未立案")
    # Who may make it: None — an officer of the case team (records.add_generateddocument and
    # an active assignment); else a callable(case, user) -> Chinese reason or None.
    may: Callable[[Any, Any], str | None] | None = None


_BUILDERS: dict[str, Builder] = {}


def register(builder: Builder) -> Builder:
    _BUILDERS[builder.doc_type] = builder
    return builder


def get(doc_type: str) -> Builder:
    try:
        return _BUILDERS[doc_type]
    except KeyError:
        raise DomainError(f"该文书不能从案件数据生成：{doc_type}", field="doc_type") from None


def all_builders() -> list[Builder]:
    return list(_BUILDERS.values())


# 立案审批表 -----------------------------------------------------------------------------------


def _filing(d: CaseData, case):
    from ..documents.types.filing_approval import FilingApproval

    on = case.filed_on
    handlers = d.officers_on(on)
    basis = "《劳动保障监察条例》第十四条；《中华人民共和国行政处罚法》第五十四条"
    return FilingApproval(
        agency_name=d.agency.name,
        source=d.source_label,
        received_on=case.received_on,
        case_cause=d.cause,
        party=d.party,
        party_phone=d.party_row.phone,
        facts=case.facts,
        basis=basis,
        handlers=handlers,
        handler_opinion=(
            f"经核查，当事人涉嫌{d.cause}，属于本机关管辖，且未超过查处时效，建议立案调查。"
        ),
        handler_on=on,
        approver=_name(case.filed_by),
        approver_opinion="同意立案",
        filed_on=on,
    )


register(
    Builder(
        doc_type="filing_approval",
        stage="立案",
        objects=lambda d: [d.case] if d.case.case_no and d.case.filed_on else [],
        label=lambda case: f"立案号 {case.case_no}",
        build=_filing,
        match="number",
        key=lambda case: case.case_no,
        number=lambda d, case: case.case_no,
        waiting="尚未立案",
    )
)

# 不予受理通知书 -------------------------------------------------------------------------------

# 关于实施《劳动保障监察条例》若干规定 第十八条, with the article of the 条例 each way of not
# accepting rests on (cases.choices.Disposition).
RULES_18 = "《关于实施〈劳动保障监察条例〉若干规定》第十八条"
DECLINE_BASIS = {
    "not_accepted": "《劳动保障监察条例》第二十条",  # more than two years ago
    "other_jurisdiction": "《劳动保障监察条例》第十三条",  # 用工所在地 jurisdiction
    "referred": "《劳动保障监察条例》第十八条第二款",  # not a labour-inspection matter
    "labour_dispute": "《劳动保障监察条例》第二十一条",  # 劳动争议处理程序
    "not_filed": "《劳动保障监察条例》第十四条",
}


def _decline_decision(case) -> str:
    body = case.competent_body.strip()
    match case.disposition:
        case "other_jurisdiction":
            return f"不予受理，告知向{body}投诉"
        case "referred":
            return f"不予受理，移送{body}处理"
        case "labour_dispute":
            return "不予受理，告知依照劳动争议处理程序办理"
        case "not_filed":
            return "不予立案"
    return "不予受理"


def _decline_redirect(case) -> str:
    """Where the complainant turns instead (若干规定 第十八条第三款; 条例 第二十一条)."""
    body = case.competent_body.strip()
    match case.disposition:
        case "other_jurisdiction":
            return f"请你向{body}提出投诉"
        case "referred":
            return f"本机关已将该投诉移送{body}处理，请与其联系"
        case "labour_dispute":
            where = body or "劳动人事争议仲裁委员会"
            return (
                "该事项属于劳动争议，你可以依照《中华人民共和国劳动争议调解仲裁法》的规定，"
                f"向{where}申请仲裁"
            )
    return f"请你向{body}反映" if body else ""


def _complainant_names(case) -> str:
    from sanxiang.cases import selectors as case_selectors

    return "、".join(c.name for c in case_selectors.named_complainants(case))


def _not_accepted(d: CaseData, case):
    from ..documents.types.not_accepted_notice import NotAcceptedNotice

    contact, phone = d.contact()
    basis = DECLINE_BASIS.get(case.disposition, "")
    decided = case.disposition_decided_on or case.disposition_notified_on
    return NotAcceptedNotice(
        agency_name=d.agency.name,
        registration_no=case.registration_no,
        complainant=_complainant_names(case),
        received_on=case.received_on,
        respondent=d.records.parties[0].name if d.records.parties else "",
        matter=case.summary.rstrip("。"),
        request=case.request.strip().rstrip("。"),
        decision=_decline_decision(case),
        reason=case.disposition_reason.strip().rstrip("。"),
        basis=f"{RULES_18}、{basis}" if basis else RULES_18,
        redirect=_decline_redirect(case),
        decided_on=decided,
        review_organ=config.review_organ(d.agency),
        court=config.court(d.agency),
        contact_person=contact,
        contact_phone=phone,
        issued_on=case.disposition_notified_on or decided,
    )


def _not_accepted_may(case, user) -> str | None:
    # 劳动保障监察条例 第九条: the notice names the complainant, so only those who may see the
    # complainant's identity make it (the unit head who refused, the registering officer, the team).
    from sanxiang.cases.selectors import may_see_complainant

    if not user.has_perm("records.add_generateddocument"):
        return "您没有制作执法文书的权限"
    if not may_see_complainant(case=case, user=user):
        return "投诉人身份保密：只有登记人、本案办案人员和承办机构负责人可以制作不予受理通知书"
    return None


register(
    Builder(
        doc_type="not_accepted_notice",
        stage="立案",
        # 若干规定 第十八条: the written notice goes to the 投诉人 of a complaint not accepted.
        objects=lambda d: (
            [d.case]
            if d.case.state == "not_filed" and "complainant" in d.records.complainant_roles
            else []
        ),
        label=lambda case: (
            f"{case.get_disposition_display()}"
            f"（{cn_date(case.disposition_decided_on or case.disposition_notified_on)}决定）"
        ),
        build=_not_accepted,
        allocate=True,
        waiting="未对投诉作出不予受理决定",
        may=_not_accepted_may,
    )
)

# 询问笔录、现场检查笔录 -------------------------------------------------------------------------


def _person(r):
    from ..documents.types.interview_record import Person

    return Person(
        name=r.person_name,
        sex=r.person_sex,
        id_number=r.person_id_number,
        employer=r.person_employer,
        post=r.person_post,
        phone=r.person_phone,
        address=r.person_address,
    )


def _record_officers(r) -> list[OfficerRef]:
    """The officers as recorded on the record itself (their certificate numbers then)."""
    return [
        OfficerRef(name=_name(o.user), certificate_no=o.certificate_number)
        for o in r.officers.all()
    ]


def _interview(d: CaseData, r):
    from ..documents.types.interview_record import InterviewRecord

    return InterviewRecord(
        agency_name=d.agency.name,
        case_title=d.title,
        started_at=_local(r.started_at),
        ended_at=_local(r.ended_at),
        place=r.place,
        officers=_record_officers(r),
        recorder=_name(r.recorder) or _name(r.created_by),
        person=_person(r),
        relation=r.relation_to_case or "—",
        ids_shown=r.ids_shown,
        recusal_asked=r.recusal_asked,
        recusal_answer=r.recusal_answer,
        truth_duty_told=r.truth_duty_told,
        content=r.content,
        person_signed=r.person_signed,
        refusal_note=r.refusal_note,
    )


def _inspection(d: CaseData, r):
    return inspection_context(
        r,
        agency_name=d.agency.name,
        case_title=d.title,
        party_name=d.party_row.name,
        party_address=d.party_row.address,
        officers=_record_officers(r),
    )


def inspection_context(
    r, *, agency_name: str, case_title: str, party_name: str, party_address: str, officers
):
    """现场检查笔录 from a record row with the fields of ``cases.InvestigationRecord`` (times,
    place, recorder, the person present, witnesses, ids shown, recusal, content, attachments,
    refusal): a case's record, or the on-site record of a random inspection's task
    (inspections.TaskRecord), which says itself what it is about."""
    from ..documents.types.inspection_record import InspectionRecord

    return InspectionRecord(
        agency_name=agency_name,
        case_title=case_title,
        started_at=_local(r.started_at),
        ended_at=_local(r.ended_at),
        place=r.place,
        party_name=party_name,
        party_address=party_address,
        officers=officers,
        recorder=_name(r.recorder) or _name(r.created_by),
        present=_person(r),
        witnesses=r.witnesses,
        ids_shown=r.ids_shown,
        recusal_asked=r.recusal_asked,
        recusal_answer=r.recusal_answer,
        findings=r.content,
        attachments=_lines(r.attachments_note),
        refusal_note=r.refusal_note,
    )


def _record_key(r) -> str:
    return f"，{cn_datetime(r.started_at)}）"


def _record_label(r) -> str:
    return f"{r.person_name} {cn_datetime(r.started_at)}"


register(
    Builder(
        doc_type="interview_record",
        stage="调查取证",
        objects=lambda d: [r for r in d.records.records if r.kind == "interview"],
        label=_record_label,
        build=_interview,
        match="title",
        key=_record_key,
        waiting="尚无询问笔录",
    )
)
register(
    Builder(
        doc_type="inspection_record",
        stage="调查取证",
        objects=lambda d: [r for r in d.records.records if r.kind == "inspection"],
        label=lambda r: f"{r.place} {cn_datetime(r.started_at)}",
        build=_inspection,
        match="title",
        key=_record_key,
        waiting="尚无现场检查笔录",
    )
)

# 先行登记保存通知书 -----------------------------------------------------------------------------


def _preservation(d: CaseData, p):
    from ..documents.types.preservation_notice import PreservationNotice, PreservedItem

    on = p.preserved_on
    return PreservationNotice(
        agency_name=d.agency.name,
        party=d.party,
        case_cause=d.cause,
        reason=p.reason,
        items=[
            PreservedItem(
                name=str(i.get("name", "")),
                spec=str(i.get("spec", "")),
                quantity=str(i.get("quantity", "")),
            )
            for i in p.items
        ],
        place_kept=p.place_kept,
        preserved_on=on,
        approver=_name(p.approved_by),
        approved_on=p.approved_on,
        officers=d.officers_on(on),
        issued_on=on,
    )


register(
    Builder(
        doc_type="preservation_notice",
        stage="调查取证",
        objects=lambda d: [
            p for p in d.records.preservations if p.status in ("approved", "decided")
        ],
        label=lambda p: (
            "、".join(str(i.get("name", "")) for i in p.items)
            + f"（{cn_date(p.preserved_on)}登记保存）"
        ),
        build=_preservation,
        match="title",
        key=lambda p: f"（{cn_date(p.preserved_on)}）",
        allocate=True,
        waiting="尚无经批准的先行登记保存",
    )
)

# 劳动保障监察限期改正指令书 ---------------------------------------------------------------------


def _order(d: CaseData, o):
    from ..documents.types.correction_order import CorrectionOrder

    contact, phone = d.contact()
    facts = d.proposal.facts_found if d.proposal else d.case.facts
    return CorrectionOrder(
        agency_name=d.agency.name,
        party=d.party,
        case_cause=d.cause,
        facts=facts.rstrip("。"),
        content=o.content.rstrip("。"),
        basis=o.legal_basis.rstrip("。"),
        due_on=o.due_on,
        review_organ=config.review_organ(d.agency),
        court=config.court(d.agency),
        contact_person=contact,
        contact_phone=phone,
        issued_on=o.issued_on,
    )


register(
    Builder(
        doc_type="correction_order",
        stage="调查取证",
        objects=lambda d: list(d.records.orders),
        label=lambda o: f"{o.number}（限{cn_date(o.due_on)}前改正）",
        build=_order,
        match="number",
        key=lambda o: o.number,
        number=lambda d, o: o.number,
        waiting="尚未责令改正",
    )
)

# 案件调查终结报告 ------------------------------------------------------------------------------


def _steps(d: CaseData) -> list[str]:
    steps = []
    for r in d.records.records:
        steps.append(
            (cn_date(_local(r.started_at).date()), f"{r.get_kind_display()}（{r.person_name}）")
        )
    for p in d.records.preservations:
        if p.preserved_on:
            steps.append((cn_date(p.preserved_on), "先行登记保存证据"))
    for o in d.records.orders:
        steps.append((cn_date(o.issued_on), f"下达劳动保障监察限期改正指令书（{o.number}）"))
        if o.checked_on:
            steps.append((cn_date(o.checked_on), f"复查改正情况：{o.get_result_display()}"))
    return [f"{day}，{what}" for day, what in steps]


def _evidence(d: CaseData, proposal) -> list[str]:
    items = _lines(proposal.evidence_summary) if proposal else []
    for r in d.records.records:
        items.append(
            f"{cn_date(_local(r.started_at).date())}{r.get_kind_display()}（{r.person_name}）"
        )
    for o in d.records.orders:
        items.append(f"劳动保障监察限期改正指令书（{o.number}）及复查记录")
    return list(dict.fromkeys(items))


def _report_date(d: CaseData, proposal) -> dt.date:
    from sanxiang.cases.models import Deadline

    closed = (
        Deadline.objects.filter(case=d.case, kind="investigation", status="met")
        .order_by("-closed_on")
        .values_list("closed_on", flat=True)
        .first()
    )
    return closed or proposal.created_on


def _discretion(proposal) -> str:
    from sanxiang.catalog.rules import LEVEL_LABELS

    level = LEVEL_LABELS.get(proposal.tier_level, "")
    reason = proposal.discretion_reason.rstrip("。")
    if level and reason:
        return f"{level}档次：{reason}"
    return reason or (f"依据本机关公布的裁量基准，适用{level}档次" if level else "不涉及裁量")


def _report(d: CaseData, proposal):
    from ..documents.types.investigation_report import InvestigationReport

    on = _report_date(d, proposal)
    return InvestigationReport(
        agency_name=d.agency.name,
        case_title=d.title,
        case_number=d.case.case_no,
        source=d.source_label,
        filed_on=d.case.filed_on,
        party=d.party,
        handlers=d.officers_on(on),
        steps=_steps(d) or ["（无）"],
        facts=proposal.facts_found,
        evidence=_evidence(d, proposal) or ["（见案卷）"],
        characterization=(proposal.legal_basis or "（见处理依据）").rstrip("。"),
        basis=d.bases(("penalty", "handling")) or proposal.legal_basis or "（见定性）",
        discretion=_discretion(proposal),
        proposal=proposal_text(proposal),
        reported_on=on,
    )


register(
    Builder(
        doc_type="investigation_report",
        stage="调查取证",
        objects=lambda d: (
            [d.proposal]
            if d.proposal is not None and d.case.case_no and d.case.state not in ("investigating",)
            else []
        ),
        label=lambda p: f"拟处理意见第{p.revision}版：{p.get_kind_display()}",
        build=_report,
        waiting="调查终结后制作",
    )
)

# 行政处罚事先告知书 ---------------------------------------------------------------------------


def _notice(d: CaseData, n):
    from ..documents.types.advance_notice import AdvanceNotice

    p = n.proposal
    contact, phone = d.contact()
    return AdvanceNotice(
        agency_name=d.agency.name,
        party=d.party,
        case_cause=d.cause,
        facts=p.facts_found,
        evidence=_evidence(d, p) or ["（见案卷）"],
        violated=(p.legal_basis or d.bases(("setting",)) or "有关劳动保障法律、法规").rstrip("。"),
        basis=d.bases(("penalty", "handling")) or p.legal_basis,
        discretion=p.discretion_reason.rstrip("。"),
        penalties=penalties_of(p),
        statement_days=n.defence_workdays,
        hearing=n.hearing_eligible,
        contact_person=contact,
        contact_phone=phone or "—",
        contact_address=d.agency.address or d.agency.name,
        issued_on=n.served_on,
    )


register(
    Builder(
        doc_type="advance_notice",
        stage="告知与听证",
        objects=lambda d: [n for n in d.records.notices if n.proposal.kind == "penalty"],
        label=lambda n: f"{n.number}（{cn_date(n.served_on)}送达）",
        build=_notice,
        match="number",
        key=lambda n: n.number,
        number=lambda d, n: n.number,
        waiting="尚未事先告知",
    )
)

# 听证通知书、听证笔录 --------------------------------------------------------------------------


def _hearing_notice(d: CaseData, h):
    from ..documents.types.hearing_notice import HearingNotice

    contact, phone = d.contact()
    return HearingNotice(
        agency_name=d.agency.name,
        party=d.party,
        case_cause=d.cause,
        requested_on=h.requested_on,
        scheduled_at=_local(h.scheduled_at),
        place=h.place,
        presider=_name(h.presider),
        clerk=_name(h.clerk) or "（另行指定）",
        public=h.public,
        closed_reason=h.closed_reason,
        contact_person=contact,
        contact_phone=phone or "—",
        issued_on=h.notice_served_on or timezone.localdate(),
    )


def _hearing_attendees(party: str, h) -> str:
    """当事人亲自参加 and/or 委托代理人 (行政处罚法 第六十四条第一款第（五）项), as recorded."""
    if h.party_attended is None:  # recorded before attendance was asked
        return f"当事人{party}（或其委托代理人，见笔录）"
    parts = [f"当事人{party}亲自参加"] if h.party_attended else [f"当事人{party}未亲自参加"]
    if h.agents:
        parts.append(f"委托代理人{'、'.join(h.agents)}")
    return "；".join(parts)


def _hearing_record(d: CaseData, h):
    from ..documents.types.hearing_record import HearingRecord

    on = _local(h.scheduled_at).date()
    investigators = [u for u in d.team_on(on) if u.pk not in (h.presider_id, h.clerk_id)]
    return HearingRecord(
        agency_name=d.agency.name,
        case_title=d.title,
        started_at=_local(h.scheduled_at),
        place=h.place,
        presider=_name(h.presider),
        clerk=_name(h.clerk) or "—",
        attendees=_hearing_attendees(d.party_row.name, h),
        investigators=d.officers_on(on, investigators) if investigators else [],
        public=h.public,
        closed_reason=h.closed_reason,
        content=h.record_summary,
        party_signed=h.party_signed,
        refusal_note=h.refusal_note,
        report=h.report,
    )


register(
    Builder(
        doc_type="hearing_notice",
        stage="告知与听证",
        objects=lambda d: [h for h in d.records.hearings if h.scheduled_at],
        label=lambda h: f"{cn_datetime(h.scheduled_at)}，{h.place}",
        build=_hearing_notice,
        match="title",
        key=lambda h: f"（{cn_datetime(h.scheduled_at)}听证）",
        allocate=True,
        waiting="尚未安排听证",
    )
)
register(
    Builder(
        doc_type="hearing_record",
        stage="告知与听证",
        objects=lambda d: [h for h in d.records.hearings if h.outcome == "held" and h.scheduled_at],
        label=lambda h: f"{cn_datetime(h.scheduled_at)}举行",
        build=_hearing_record,
        match="title",
        key=lambda h: f"，{cn_datetime(h.scheduled_at)}）",
        waiting="尚未举行听证",
    )
)

# 重大案件集体讨论记录 --------------------------------------------------------------------------


def _discussion(d: CaseData, x):
    from sanxiang.registry.models import Officer

    from ..documents.types.discussion_record import DiscussionRecord, Opinion

    posts = dict(
        Officer.objects.filter(user__in=[o.attendee_id for o in x.opinions.all()]).values_list(
            "user_id", "post"
        )
    )
    return DiscussionRecord(
        agency_name=d.agency.name,
        case_title=d.title,
        case_number=d.case.case_no,
        held_on=x.held_on,
        chair=_name(x.chair),
        recorder=_name(x.recorded_by),
        reporter=_name(d.lead),
        subject=proposal_text(x.proposal),
        opinions=[
            Opinion(name=_name(o.attendee), post=posts.get(o.attendee_id, ""), opinion=o.opinion)
            for o in x.opinions.all()
        ],
        conclusion_label=x.get_conclusion_kind_display(),
        conclusion=x.conclusion,
    )


register(
    Builder(
        doc_type="discussion_record",
        stage="告知与听证",
        objects=lambda d: list(d.records.discussions),
        label=lambda x: f"{cn_date(x.held_on)}，主持人{_name(x.chair)}",
        build=_discussion,
        match="title",
        key=lambda x: f"（{cn_date(x.held_on)}）",
        waiting="未经集体讨论",
    )
)

# 行政处罚决定书 -----------------------------------------------------------------------------

# 行政处罚法 第四十八条: 具有一定社会影响的行政处罚决定应当依法公开 — and the party is told so
# in the decision (DOMAIN.md §12 A16). Whether this decision is published, and where, is the
# publicity app's to say (a higher floor): it fills this slot at start-up (ARCHITECTURE.md §3)
# with ``callable(decision) -> (publish, channel)``; ``channel`` names the portal and its
# address. It raises a Chinese DomainError when the address is not configured. Until it is
# filled every decision is published and the channel is missing, so the decision is refused.
PublicationNotice = Callable[[Any], tuple[bool, str]]


def _publicity_not_installed(decision) -> tuple[bool, str]:
    return True, ""


_publication_notice: PublicationNotice = _publicity_not_installed


def set_publication_notice(notice: PublicationNotice) -> None:
    global _publication_notice
    _publication_notice = notice


def _defence(d: CaseData, decision):
    from ..documents.types.penalty_decision import Defence

    notice = decision.proposal.notices.order_by("-pk").first() if decision.proposal else None
    defences = [x for x in d.records.defences if notice is None or x.notice_id == notice.pk]
    if not defences:
        if notice is not None and notice.defence_waived_on:
            return Defence(outcome="waived")
        return Defence(outcome="none")
    last = defences[-1]
    outcome = {"adopted": "adopted", "partly": "partly", "not_adopted": "rejected"}.get(
        last.recheck_result, ""
    )
    if not outcome:
        raise DomainError("陈述申辩尚未复核，不能制作决定书（行政处罚法 第四十五条）")
    return Defence(
        outcome=outcome,
        summary=last.content.rstrip("。") + "。",
        reasons=last.recheck_reason.rstrip("。") + "。",
    )


def _decision(d: CaseData, decision):
    from ..documents.types.penalty_decision import PenaltyDecision

    p = decision.proposal
    notice = p.notices.order_by("-pk").first() if p else None
    hearing = next((h for h in d.records.hearings if h.outcome == "held"), None)
    penalties = penalties_of(decision)
    fine = any(x.kind in ("fine", "confiscation") and x.amount for x in penalties)
    order = d.records.orders[-1] if d.records.orders else None
    publish, channel = _publication_notice(decision)
    return PenaltyDecision(
        agency_name=d.agency.name,
        party=d.party,
        case_cause=d.cause,
        notice_number=notice.number if notice else "",
        notice_served_on=notice.served_on if notice else None,
        hearing_note=(
            f"{d.party.you}于{cn_date(hearing.requested_on)}要求举行听证，本机关于"
            f"{cn_date(_local(hearing.scheduled_at).date())}依法举行了听证。"
            if hearing
            else ""
        ),
        facts=(p.facts_found if p else decision.content),
        evidence=_evidence(d, p) or ["（见案卷）"],
        defence=_defence(d, decision),
        violated=((p.legal_basis if p else "") or d.bases(("setting",)) or "有关规定").rstrip("。"),
        basis=d.bases(("penalty",)) or (p.legal_basis if p else ""),
        discretion=_discretion(p) if p else "不涉及裁量",
        penalties=penalties,
        correction=(order.content.rstrip("。") if order else (p.payment_order if p else "")),
        payment=config.fine_account() if fine else None,
        review_organ=config.review_organ(d.agency),
        court=config.court(d.agency),
        publish=publish,
        publication_channel=channel,
        issued_on=decision.decided_on,
        officers=d.officers_on(decision.decided_on),
    )


register(
    Builder(
        doc_type="penalty_decision",
        stage="决定与送达",
        objects=lambda d: (
            [d.records.decision]
            if d.records.decision is not None
            and d.records.decision.kind == "penalty"
            and d.records.decision.number
            and not d.records.decision.on_spot
            else []
        ),
        label=lambda x: f"{x.number}（{cn_date(x.decided_on)}）",
        build=_decision,
        match="number",
        key=lambda x: x.number,
        number=lambda d, x: x.number,
        waiting="尚未作出行政处罚决定",
    )
)

# 送达回证 -----------------------------------------------------------------------------------


def _receipt(d: CaseData, s):
    from ..documents.types.service_receipt import ServedDocument, ServiceReceipt

    servers = [u for u in (s.server, s.second_server) if u is not None]
    substitute = ""
    relation = ""
    if s.receiver_name and s.receiver_relation not in ("", "self", "legal_rep"):
        substitute, relation = s.receiver_name, s.get_receiver_relation_display()
    remarks = []
    if s.postal_no:
        remarks.append(f"邮件号码：{s.postal_no}")
    if s.entrusted_to:
        remarks.append(f"受委托机关：{s.entrusted_to}")
    if s.consent_id:
        remarks.append(f"电子送达地址：{s.consent.address}（已签署确认书）")
    if s.published_on:
        remarks.append(
            f"{cn_date(s.published_on)}在{s.publication_medium}公告（{s.public_reason}），"
            "自公告之日起经过三十日视为送达"
        )
    if s.recording_ref:
        remarks.append(f"音像记录：{s.recording_ref}")
    remarks.append(f"送达日期：{cn_date(s.served_on)}")
    return ServiceReceipt(
        agency_name=d.agency.name,
        case_cause=d.title,
        documents=[ServedDocument(name=s.document_name, number=s.document_number)],
        addressee=s.addressee,
        address=s.place or d.party_row.address or "—",
        method=s.method,
        servers=d.officers_on(s.served_on, servers),
        receiver=s.receiver_name if not substitute else "",
        substitute=substitute,
        substitute_relation=relation,
        refusal_reason=s.refusal_reason,
        witnesses=[w.strip() for w in re.split(r"[、,，；;]", s.witnesses) if w.strip()],
        remarks="；".join(remarks),
        issued_on=s.served_on,
    )


def _receipt_key(s) -> str:
    return (
        f"《{s.document_name}》（{s.document_number}）"
        if s.document_number
        else (f"《{s.document_name}》")
    )


register(
    Builder(
        doc_type="service_receipt",
        stage="决定与送达",
        objects=lambda d: list(d.records.service_records),
        label=lambda s: (
            f"{s.document_name} {s.document_number}（{s.get_method_display()}，"
            f"{cn_date(s.served_on)}）"
        ),
        build=_receipt,
        match="title",
        key=_receipt_key,
        waiting="尚无送达记录",
    )
)

# 履行催告书 ---------------------------------------------------------------------------------


def _reminder(d: CaseData, r):
    from ..documents.types.performance_reminder import PerformanceReminder

    decision = d.records.decision
    service = next((s for s in d.records.service_records if s.purpose == "decision"), None)
    contact, phone = d.contact()
    return PerformanceReminder(
        agency_name=d.agency.name,
        party=d.party,
        decision_number=decision.number if decision else "",
        decided_on=decision.decided_on if decision else None,
        decision_served_on=service.served_on if service else None,
        fine_outstanding=r.fine_outstanding,
        surcharge=min(r.surcharge, r.fine_outstanding) if r.fine_outstanding else r.surcharge,
        content=r.content,
        payment=config.fine_account(),
        court=config.court(d.agency),
        contact_person=contact,
        contact_phone=phone or "—",
        issued_on=r.issued_on,
    )


register(
    Builder(
        doc_type="performance_reminder",
        stage="执行",
        objects=lambda d: list(d.records.reminders),
        label=lambda r: f"{r.number}（{cn_date(r.issued_on)}）",
        build=_reminder,
        match="number",
        key=lambda r: r.number,
        number=lambda d, r: r.number,
        waiting="未催告",
    )
)

# 结案审批表 ---------------------------------------------------------------------------------


def _closing(d: CaseData, case):
    from ..documents.types.closing_approval import ClosingApproval

    decision = d.records.decision
    execution = []
    for p in d.records.payments:
        execution.append(
            f"{cn_date(p.paid_on)}缴纳{p.get_kind_display()}{yuan(p.amount)}元"
            f"（缴款凭证号 {p.receipt_no}，{p.get_channel_display()}）"
        )
    for o in d.records.orders:
        if o.checked_on:
            execution.append(
                f"{cn_date(o.checked_on)}复查责令改正（{o.number}）：{o.get_result_display()}"
            )
    for a in d.records.court_applications:
        execution.append(f"{cn_date(a.applied_on)}申请{a.court}强制执行：{a.get_status_display()}")
    if case.closing_evidence:
        execution.append(case.closing_evidence.rstrip("。"))
    if decision is not None:
        outcome = decision.get_kind_display()
        summary = penalty_summary(decision)
        if summary:
            outcome += f"：{summary}"
    else:
        outcome = case.get_closing_reason_display()
    on = case.closed_on
    handlers = d.officers_on(on) if d.team_on(on) else []
    return ClosingApproval(
        agency_name=d.agency.name,
        case_number=case.case_no or case.registration_no,
        case_cause=d.cause,
        party_name=d.party_row.name,
        filed_on=case.filed_on or case.received_on,
        outcome=outcome,
        decision_number=(decision.number or "") if decision else "",
        decided_on=decision.decided_on if decision else None,
        execution=execution or ["无需执行"],
        closing_reason=case.get_closing_reason_display(),
        handlers=handlers,
        handler_opinion=f"本案{case.get_closing_reason_display()}，建议结案。",
        approver=_name(case.closed_by),
        closed_on=on,
    )


register(
    Builder(
        doc_type="closing_approval",
        stage="结案",
        objects=lambda d: [d.case] if d.case.state == "closed" and d.case.closed_on else [],
        label=lambda case: f"{cn_date(case.closed_on)}结案（{case.get_closing_reason_display()}）",
        build=_closing,
        waiting="尚未结案",
    )
)

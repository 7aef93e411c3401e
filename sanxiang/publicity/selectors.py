"""Staff reads of publicity: the work list, the review page (original and masked side by side),
the to-do entries, the 双公示 export rows. Public pages use ``portal.py`` instead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from sanxiang.lib.masking import find_sensitive
from sanxiang.lib.todo import TodoItem
from sanxiang.workcalendar.selectors import CalendarYearMissing, deadline_status

from . import rules, sources
from .models import (
    AnnualReport,
    CreditRepair,
    Publication,
    PublicationVersion,
    RepairStatus,
    State,
    VersionState,
)

TABS = [
    ("draft", "待审核"),
    ("withdraw", "待撤下"),
    ("published", "已公开"),
    ("withdrawn", "已撤下"),
    ("withheld", "不予公开"),
    ("terminated", "提前终止"),
    ("all", "全部"),
]


def publication_list(*, tab: str = "draft") -> QuerySet[Publication]:
    qs = Publication.objects.select_related("decision", "decision__case", "drafted_by", "entry")
    if tab == "withdraw":
        qs = qs.filter(state=State.PUBLISHED, withdraw_due__isnull=False)
    elif tab in State.values:
        qs = qs.filter(state=tab)
    order = ["due_on", "pk"] if tab == "draft" else ["-decided_on", "-pk"]
    return qs.order_by(*order)


def urgency(today: dt.date, due: dt.date | None) -> str:
    if due is None:
        return "unknown"
    try:
        status = deadline_status(today, due)
    except CalendarYearMissing:
        return "overdue" if today > due else "unknown"
    name = getattr(status, "name", str(status)).lower()
    if "overdue" in name:
        return "overdue"
    if "soon" in name or "due" in name:
        return "soon"
    return "normal"


def publication_detail(pk: int) -> Publication:
    return (
        Publication.objects.select_related(
            "decision",
            "decision__case",
            "drafted_by",
            "published_by",
            "ended_by",
            "entry",
            "agency",
        )
        .prefetch_related("versions__author", "repairs")
        .get(pk=pk)
    )


@dataclass(frozen=True)
class Segment:
    text: str
    kind: str = ""  # masked kind, or "" for kept text
    label: str = ""


@dataclass(frozen=True)
class SideBySide:
    key: str
    label: str
    original: list[Segment]
    masked: str


def side_by_side(publication: Publication, version: PublicationVersion) -> list[SideBySide]:
    """Each published field: the original with what the masker removes highlighted, next to
    the masked text of ``version`` (which a person may have edited)."""
    src = sources.decision_source(publication.decision)
    out = []
    for key, label in sources.FIELDS:
        text = src.original.get(key, "") or ""
        segments, pos = [], 0
        for f in find_sensitive(text, src.masking):
            if f.start > pos:
                segments.append(Segment(text[pos : f.start]))
            segments.append(Segment(text[f.start : f.end], f.kind, f.label))
            pos = f.end
        if pos < len(text):
            segments.append(Segment(text[pos:]))
        out.append(SideBySide(key, label, segments, (version.fields or {}).get(key, "")))
    return out


def current_draft(publication: Publication) -> PublicationVersion | None:
    return publication.versions.filter(state=VersionState.DRAFT).first()


def changes_of(publication: Publication) -> list:
    """The decision's changes as the cases app recorded them (复议、诉讼、自行纠正)."""
    from sanxiang.cases.selectors import decision_changes

    return decision_changes(publication.decision)


# --- 我的待办 ------------------------------------------------------------------------------------


def todo_items_for(*, user, today: dt.date) -> list[TodoItem]:
    """To-do provider: drafts to review (公示管理员), drafts the officer is responsible for,
    withdrawals due within 3 working days, credit-repair applications, the annual report."""
    if not user.has_perm("publicity.view_publication"):
        return []
    items: list[TodoItem] = []
    approver = user.has_perm("publicity.approve_publication")
    drafts = Publication.objects.filter(state=State.DRAFT).select_related("decision")
    if not approver:
        drafts = drafts.filter(drafted_by=user)
    for p in drafts.order_by("due_on", "pk")[:200]:
        number = p.decision.number or "（无文号）"
        url = reverse("publicity:detail", args=[p.pk])
        if p.withhold_grounds and approver:
            title = "作出不予公开决定"
        elif approver and p.drafted_by_id != user.pk:
            title = "审核公示信息（原文与脱敏文本对照）"
        else:
            title = "核对公示信息的脱敏文本"
        items.append(
            TodoItem(
                title=title,
                subject=f"{number} {rules.CATEGORY_LABELS.get(p.category, '')}",
                url=url,
                due=p.due_on,
                basis=f"国办发〔2018〕118号：作出决定之日起{p.publish_workdays}个工作日内公开",
                urgency=urgency(today, p.due_on),
                note=p.due_reason,
            )
        )
    if user.has_perm("publicity.withdraw_publication"):
        for p in Publication.objects.filter(
            state=State.PUBLISHED, withdraw_due__isnull=False
        ).select_related("decision")[:200]:
            items.append(
                TodoItem(
                    title="撤下公示信息并说明理由",
                    subject=p.decision.number or "（无文号）",
                    url=reverse("publicity:detail", args=[p.pk]),
                    due=p.withdraw_due,
                    basis="行政处罚法第四十八条第二款：三个工作日内撤回并公开说明理由",
                    urgency=urgency(today, p.withdraw_due),
                    note=p.withdraw_due_reason,
                )
            )
    if user.has_perm("publicity.handle_credit_repair"):
        for r in CreditRepair.objects.filter(status=RepairStatus.APPLIED).select_related(
            "publication__decision"
        )[:100]:
            items.append(
                TodoItem(
                    title="审查信用修复申请",
                    subject=f"{r.applicant}（{r.publication.decision.number or ''}）",
                    url=reverse("publicity:detail", args=[r.publication_id]),
                    basis="失信行为纠正后的信用信息修复管理办法（试行）",
                )
            )
    if approver and today.month == 1:
        year = today.year - 1
        if not AnnualReport.objects.filter(year=year).exists():
            due = dt.date(today.year, 1, 31)
            items.append(
                TodoItem(
                    title=f"发布{year}年度行政执法统计年报",
                    subject="行政执法统计年报",
                    url=reverse("publicity:report") + f"?year={year}",
                    due=due,
                    basis="国办发〔2018〕118号：每年1月31日前公开上年度行政执法总体情况",
                    urgency="soon" if today.day > 24 else "normal",
                )
            )
    return items


# --- 双公示 export ----------------------------------------------------------------------------------


def export_publications(*, agency=None, date_from=None, date_to=None) -> QuerySet[Publication]:
    qs = Publication.objects.filter(
        state__in=[State.PUBLISHED, State.WITHDRAWN, State.TERMINATED], entry__isnull=False
    ).select_related("entry", "agency", "decision")
    if agency is not None:
        qs = qs.filter(agency=agency)
    if date_from:
        qs = qs.filter(decided_on__gte=date_from)
    if date_to:
        qs = qs.filter(decided_on__lte=date_to)
    return qs.filter(Q(category=rules.PENALTY)).order_by("decided_on", "pk")


def export_record(p: Publication) -> dict[str, str]:
    """One 双公示 record (DOMAIN.md §5.2) from the *published* data only (the PortalEntry):
    nothing here comes from the unmasked case."""
    e = p.entry
    code = rules.STATE_CODES.get(e.state, "3")
    remark = ""
    if e.state == State.WITHDRAWN:
        remark = f"已于{e.ended_at:%Y-%m-%d}撤销公示：{e.end_reason}"
    elif e.state == State.TERMINATED:
        remark = f"已于{e.ended_at:%Y-%m-%d}提前终止公示（信用修复）"
    kind = e.party_kind
    return {
        "CF_XDR_MC": e.party_name,
        "CF_XDR_LB": kind,
        "CF_XDR_SHXYM": e.party_code,
        "CF_XDR_GSZC": "",
        "CF_XDR_ZZJG": "",
        "CF_XDR_SWDJ": "",
        "CF_XDR_SYDW": "",
        "CF_XDR_SHZZ": "",
        "CF_FRDB": e.legal_representative,
        "CF_XDR_ZJLX": "身份证" if kind == "自然人" else "",
        "CF_WSH": e.doc_number,
        "CF_WFXW": e.item_name,
        "CF_SY": e.facts,
        "CF_YJ": e.basis,
        "CF_CFLB": ";".join(rules.PENALTY_LABELS.get(t, t) for t in e.penalty_types),
        "CF_NR": e.summary,
        "CF_NR_FK": rules.to_wan(e.fine_amount),
        "CF_NR_WFFF": rules.to_wan(e.confiscation_amount),
        "CF_NR_ZKDX": "",
        "CF_JDRQ": e.decided_on.isoformat(),
        "CF_YXQ": e.period_end.isoformat(),
        "CF_GSJZQ": e.period_end.isoformat(),
        "CF_CFJG": e.agency_name,
        "CF_CFJGDM": e.agency_uscc,
        "CF_SJLY": e.agency_name,
        "CF_SJLYDM": e.agency_uscc,
        "DQZT": code,
        "BZ": remark,
    }


# --- the notice of publication printed in a penalty decision -----------------------------------


def portal_address() -> str:
    """The public portal's address as printed on documents: ``SITE_ROOT`` + /gongkai/."""
    from django.conf import settings

    from sanxiang.lib.errors import DomainError

    root = (getattr(settings, "SITE_ROOT", "") or "").strip().rstrip("/")
    if not root:
        raise DomainError(
            "未配置公示平台网址，不能制作行政处罚决定书：决定书须告知当事人公开的网址"
            "（行政处罚法 第四十八条），请在设置中配置 SITE_ROOT",
            field="SITE_ROOT",
        )
    return root + reverse("portal:home")


def decision_publication_notice(decision) -> tuple[bool, str]:
    """The slot ``records.casedocs.builders.set_publication_notice`` (installed by
    ``PublicityConfig.ready``): whether ``decision`` is to be published under the agency's
    publicity rules, and where — the portal's name and address the decision tells the party
    (行政处罚法 第四十八条: 具有一定社会影响的行政处罚决定应当依法公开; DOMAIN.md §12 A16).

    Not published when a ground not to publish applies (``rules.withhold_grounds``: a minor,
    the bureau's 仅给予警告 rule, or the secrets, privacy … marked on the draft) or when the
    公示管理员 decided not to publish. Before the draft is collected the grounds the system finds
    itself are computed from the decision; the ones a person marks come with the draft."""
    from .models import PublicitySettings

    publication = (
        Publication.objects.filter(decision_id=decision.pk)
        .only("state", "withhold_grounds")
        .first()
    )
    if publication is not None:
        publish = publication.state != State.WITHHELD and not publication.withhold_grounds
    else:
        src = sources.decision_source(decision)
        warning_only = (
            PublicitySettings.objects.filter(agency_id=decision.case.agency_id)
            .values_list("withhold_warning_only", flat=True)
            .first()
        )
        grounds = sources.withhold_grounds_of(src, withhold_warning_only=bool(warning_only))
        publish = src.category is not None and not grounds
    if not publish:
        return False, ""
    return True, f"{decision.case.agency.name}行政执法公示平台（{portal_address()}）"

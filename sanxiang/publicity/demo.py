"""Demo publicity (``sanxiang.publicity.demo.load``; after the cases, records, inspections and
review loaders, before the ledger's, which signs a checkpoint over everything): every demo
decision is collected and masked, approved by 周公示 (the collector of record is the case's
lead officer, so the approver is another person), one on-the-spot warning is then revoked by
the bureau itself and withdrawn — so the portal shows published decisions, a withdrawal notice
and proof links — and the previous year's statistics report is published; the 事前公开 pages get their first
dated versions. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from . import services
from .handlers import collect_pending
from .models import AnnualReport, Publication, State


def load(*, context: dict, stdout) -> None:
    agency, users = context["agency"], context["users"]
    admin = users["zhougongshi"]
    collected = collect_pending()
    published = 0
    for p in Publication.objects.filter(agency=agency, state=State.DRAFT).order_by(
        "decided_on", "pk"
    ):
        if p.withhold_grounds:
            continue
        services.publication_approve(
            publication=p,
            actor=admin,
            confidentiality_checked=True,
            confidentiality_note="经审查，公开内容不涉及国家秘密、商业秘密和个人隐私"
            if p.confidentiality_review
            else "",
        )
        published += 1
    on_spot = (
        Publication.objects.filter(agency=agency, state=State.PUBLISHED, decision__on_spot=True)
        .select_related("decision")
        .first()
    )
    withdrawn = 0
    if (
        on_spot is not None
        and not Publication.objects.filter(agency=agency, state=State.WITHDRAWN).exists()
    ):
        today = timezone.localdate()
        from sanxiang.cases.services import decision_change_record

        change = decision_change_record(
            case=on_spot.decision.case,
            actor=users["zhaomin"],
            kind="revoked",
            authority="self",
            authority_name=agency.name,
            document=f"关于撤销{on_spot.decision.number}当场行政处罚决定的决定",
            happened_on=max(on_spot.decision.decided_on, today - dt.timedelta(days=1)),
            reason="经案卷评查，当场处罚时未告知当事人陈述、申辩的权利，依法自行撤销",
        )
        # The subscription notes it after the demo's transaction commits; note it now so the
        # withdrawal below is on time by the recorded deadline.
        services.publication_note_change(change=change)
        services.publication_withdraw(
            publication=on_spot,
            actor=admin,
            reason="该当场行政处罚决定因程序瑕疵已由本机关依法撤销（行政处罚法第四十八条第二款）",
        )
        withdrawn = 1
    year = timezone.localdate().year - 1
    if not AnnualReport.objects.filter(agency=agency, year=year).exists():
        services.annual_report_publish(
            agency=agency,
            actor=admin,
            year=year,
            narrative=(
                f"{year}年，本局依法履行劳动保障监察职责。本平台自{year + 1}年起投入使用，"
                f"{year}年度的行政处罚、行政检查等数据均按本平台记录统计；本平台尚未办理的事项"
                "由本局另行统计填报。"
            ),
        )
    # 事前公开 pages: their first dated versions (the sweep keeps later ones).
    kept, _skipped = services.portal_snapshots_refresh()
    stdout.write(
        f"公示信息：采集 {collected} 条，公开 {published} 条，撤下 {withdrawn} 条；"
        f"{year}年度统计年报已发布；事前公开页面留存新版本 {len(kept)} 个"
    )

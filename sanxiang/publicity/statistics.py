"""行政执法统计年报 (DOMAIN.md §8): the tables of one agency's year, from the platform's data.

Counting rules (广东 template, 大同 rules):
- 行政处罚: period 1 January – 31 December by decision date; decisions later revoked on review
  or litigation are counted too (and reported separately); a decision with several penalties
  counts once, under the heaviest type (``rules.SEVERITY``); the amount is the fine plus the
  quantifiable confiscation, as decided.
- 行政检查: one target with a complete inspection record counts once — on-site inspection
  records (distinct case and day) plus random-inspection tasks with a recorded result; patrols
  without a record do not count.
- A category the agency has duties in (its 执法事项清单 has items of it) shows 0 when nothing
  happened; a category without duties shows "无此职责"; a category the platform does not handle
  yet (行政许可, 行政强制, 行政征收, 行政确认) is marked as not kept here, never as a made-up 0.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q

from . import rules

CATEGORY_LABELS = {
    "licensing": "行政许可",
    "coercion": "行政强制",
    "levy": "行政征收",
    "confirmation": "行政确认",
}


def annual_data(*, agency, year: int) -> dict:
    from sanxiang.cases.models import Decision, DecisionChange, InvestigationRecord
    from sanxiang.catalog.models import ItemVersion
    from sanxiang.inspections.models import Task
    from sanxiang.registry.models import Officer
    from sanxiang.registry.selectors import public_roster

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    decisions = list(
        Decision.objects.filter(case__agency=agency, decided_on__range=(start, end)).values(
            "pk", "kind", "penalty_types", "fine_amount", "confiscation_amount", "decided_on"
        )
    )
    penalties = [d for d in decisions if d["kind"] == "penalty"]
    by_row = {code: 0 for code, _label, _types in rules.REPORT_ROWS}
    row_of = {t: code for code, _label, types in rules.REPORT_ROWS for t in types}
    amount = Decimal("0")
    for d in penalties:
        main = rules.heaviest(d["penalty_types"]) or "other"
        by_row[row_of.get(main, "other")] += 1
        amount += (d["fine_amount"] or 0) + (d["confiscation_amount"] or 0)
    changes = DecisionChange.objects.filter(decision__case__agency=agency)
    revoked_ids = set(changes.values_list("decision_id", flat=True))
    monthly = [0] * 12
    for d in penalties:
        monthly[d["decided_on"].month - 1] += 1

    inspections = (
        InvestigationRecord.objects.filter(
            case__agency=agency, kind="inspection", started_at__date__range=(start, end)
        )
        .values("case_id", "started_at__date")
        .distinct()
        .count()
    )
    random_tasks = (
        Task.objects.filter(plan__agency=agency, inspected_on__range=(start, end))
        .exclude(result="")
        .count()
    )

    duties = set(ItemVersion.objects.filter(item__agency=agency).values_list("category", flat=True))
    untracked = [
        {
            "code": code,
            "label": label,
            "duty": code in duties,
            "text": "本平台尚未办理此类事项，数据由本机关另行统计填报"
            if code in duties
            else "无此职责",
        }
        for code, label in CATEGORY_LABELS.items()
    ]
    officers = Officer.objects.filter(agency=agency, is_active=True).count()
    certified = len({r["name"] for r in public_roster(agency=agency, on=end)})
    change_rows = (
        changes.filter(happened_on__range=(start, end))
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by("kind")
    )
    from sanxiang.cases.choices import DecisionChangeKind as ChangeKind

    return {
        "year": year,
        "agency": agency.name,
        "period": [start.isoformat(), end.isoformat()],
        "penalty": {
            "rows": [
                {"code": code, "label": label, "count": by_row[code]}
                for code, label, _types in rules.REPORT_ROWS
            ],
            "total": len(penalties),
            "amount": f"{amount:.2f}",
            "revoked_later": sum(1 for d in penalties if d["pk"] in revoked_ids),
            "monthly": monthly,
        },
        "other_results": {
            "handling": sum(1 for d in decisions if d["kind"] == "handling"),
            "no_penalty": sum(1 for d in decisions if d["kind"] == "no_penalty"),
        },
        "inspection": {
            "on_site": inspections,
            "random": random_tasks,
            "total": inspections + random_tasks,
        },
        "untracked": untracked,
        "corrections": [
            {"kind": r["kind"], "label": ChangeKind(r["kind"]).label, "count": r["n"]}
            for r in change_rows
        ],
        "certificates": {
            "officers": officers,
            "certified": certified,
            "rate": f"{(certified / officers * 100):.1f}" if officers else "",
        },
        "decisions_with_items": Decision.objects.filter(
            case__agency=agency, decided_on__range=(start, end)
        )
        .filter(~Q(kind="revoke"))
        .count(),
    }

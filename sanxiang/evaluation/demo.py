"""Demo data: a 案卷评查 of the demo bureau — 赵敏 (法制审核员, never on a demo case team) draws
the demo's closed cases for this year from a public seed and evaluates the first one drawn
(one deduction with its reason), so the list, sample, scoring and results pages have
something to show. Runs after the cases and archive demos; idempotent."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanxiang.cases.models import Case

from . import services
from .models import Evaluation, Sample


def load(*, context: dict, stdout) -> None:
    from sanxiang.cases.demo import MARK

    agency, users = context["agency"], context["users"]
    if Sample.objects.filter(agency=agency).exists():
        stdout.write("演示案卷评查：已存在，未重复载入")
        return
    closed = Case.objects.filter(agency=agency, summary__startswith=MARK, state="closed")
    dates = sorted(d for d in closed.values_list("closed_on", flat=True) if d)
    if not dates:
        stdout.write("演示案卷评查：没有已结案的演示案件，未载入")
        return
    reviewer = users["zhaomin"]
    sample = services.sample_draw(
        actor=reviewer,
        agency=agency,
        period_from=dt.date(dates[0].year, 1, 1),
        period_to=max(dates[-1], timezone.localdate()),
        count=min(2, len(dates)),
        seed_text="演示：2026年第一季度案卷评查（公开种子）",
    )
    case = sample.cases.order_by("pk").first()
    evaluation = services.evaluation_start(actor=reviewer, case=case, sample=sample)
    services.evaluation_score(
        actor=reviewer,
        evaluation=evaluation,
        deductions={"D3": ("1", "询问笔录个别问答记录过简，未写明加班的起止时间")},
        vetoes={},
        summary="案卷材料齐全，程序合法；笔录记录可更详细。",
        finalise=True,
    )
    evaluation = Evaluation.objects.get(pk=evaluation.pk)
    stdout.write(
        f"演示案卷评查：抽取 {sample.cases.count()} 件，已评查 {case.number}"
        f"（{evaluation.total}分，{evaluation.grade}）"
    )

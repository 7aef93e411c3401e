"""Reads of 案卷评查: the standard in force, lists, facts from the case as hints for the
evaluator, and results per handler and per unit (DOMAIN.md §12 item 75)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from sanxiang.cases.choices import State
from sanxiang.cases.models import Case, Decision

from . import config, rules
from .models import Evaluation, Item, Sample, Score, Section, Standard, Status, VetoMark


def standard_current(*, on: dt.date) -> Standard | None:
    """The newest standard in force on ``on``."""
    return (
        Standard.objects.filter(effective_from__lte=on).order_by("-effective_from", "-pk").first()
    )


def standard_sections(standard: Standard) -> list[Section]:
    """Sections with their items, in order (two queries)."""
    return list(
        standard.sections.prefetch_related(
            Prefetch("items", queryset=Item.objects.order_by("position"))
        ).order_by("position")
    )


def sample_list(*, agency=None) -> QuerySet[Sample]:
    qs = Sample.objects.select_related("drawn_by", "agency")
    return qs.filter(agency=agency) if agency is not None else qs


def sample_cases(sample: Sample) -> list[dict]:
    """The drawn cases in drawing order, each with its evaluation if any."""
    cases = {c.number: c for c in sample.cases.all()}
    evaluations = {
        e.case_id: e
        for e in Evaluation.objects.filter(case__in=cases.values()).select_related("evaluator")
    }
    rows = []
    for n, number in enumerate(sample.drawn, start=1):
        case = cases.get(number)
        rows.append(
            {
                "n": n,
                "number": number,
                "case": case,
                "evaluation": evaluations.get(case.pk) if case else None,
            }
        )
    return rows


def evaluation_list(*, agency=None, status: str = "") -> QuerySet[Evaluation]:
    qs = Evaluation.objects.select_related("case", "evaluator", "handler", "unit", "sample")
    if agency is not None:
        qs = qs.filter(case__agency=agency)
    if status in Status.values:
        qs = qs.filter(status=status)
    return qs


def case_by_number(*, number: str, agency=None) -> Case | None:
    number = (number or "").strip()
    if not number:
        return None
    qs = Case.objects.select_related("agency").filter(Q(case_no=number) | Q(registration_no=number))
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.first()


def closed_cases_waiting(*, agency=None, limit: int = 20) -> list[Case]:
    """Recently closed cases not evaluated yet under any standard (to choose one by hand)."""
    qs = Case.objects.filter(state=State.CLOSED).exclude(
        pk__in=Evaluation.objects.values("case_id")
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    return list(qs.order_by("-closed_on", "-pk")[:limit])


# --- hints: facts read from the case ---------------------------------------------------------


def case_facts(case: Case) -> dict[str, str]:
    """Short Chinese facts keyed by the hint names of the standard's items (standards.py). They
    remind the evaluator what the system holds; they are not scores (the paper file decides)."""
    counts = Case.objects.filter(pk=case.pk).aggregate(
        parties=Count("parties", distinct=True),
        causes=Count("causes", distinct=True),
        team=Count("assignments__user", distinct=True),
        records=Count("investigation_records", distinct=True),
        unsigned=Count(
            "investigation_records",
            filter=Q(investigation_records__person_signed=False),
            distinct=True,
        ),
        proposals=Count("proposals", distinct=True),
        orders=Count("correction_orders", distinct=True),
        preservations=Count("preservations", distinct=True),
        notices=Count("notices", distinct=True),
        defences=Count("defences", distinct=True),
        hearings=Count("hearings", distinct=True),
        discussions=Count("discussions", distinct=True),
        services=Count("service_records", distinct=True),
        payments=Count("payments", distinct=True),
    )
    has_decision = Decision.objects.filter(case=case).exists()
    facts = {
        "parties": f"系统登记当事人 {counts['parties']} 个",
        "source": f"案件来源：{case.get_source_display()}",
        "causes": f"系统登记案由 {counts['causes']} 项",
        "filing": (f"立案日期 {case.filed_on:%Y-%m-%d}" if case.filed_on else "系统无立案审批记录"),
        "team": f"指派办案人员 {counts['team']} 名",
        "records": f"系统有询问（检查）笔录 {counts['records']} 份",
        "records_signed": (
            f"{counts['unsigned']} 份笔录未记录被询问人签名"
            if counts["unsigned"]
            else "笔录均记录被询问人已签名"
        ),
        "proposal": f"拟处理意见（调查终结报告） {counts['proposals']} 份",
        "correction_orders": f"限期改正指令书 {counts['orders']} 份",
        "preservations": f"先行登记保存 {counts['preservations']} 次",
        "notices": f"事先告知 {counts['notices']} 次",
        "notice_service": f"送达回证 {counts['services']} 份（含告知书、决定书）",
        "defences": f"陈述申辩记录 {counts['defences']} 份",
        "hearings": f"听证 {counts['hearings']} 次",
        "decision": "系统有执法决定" if has_decision else "系统无执法决定",
        "payments": f"缴款记录 {counts['payments']} 笔",
        "closing": (
            f"结案日期 {case.closed_on:%Y-%m-%d}，{case.get_closing_reason_display()}"
            if case.closed_on
            else "未结案"
        ),
        "discussions": (
            f"重大案件，集体讨论 {counts['discussions']} 次"
            if case.is_major
            else f"非重大案件（集体讨论 {counts['discussions']} 次）"
        ),
        "services": f"送达回证 {counts['services']} 份",
        "execution": f"缴款记录 {counts['payments']} 笔",
    }
    if counts["team"] < 2:
        facts["team"] += "（少于两人）"
    return facts


# --- results ---------------------------------------------------------------------------------


@dataclass
class ResultRow:
    key: object
    label: str
    count: int = 0
    points: Decimal = Decimal(0)
    grades: Counter = field(default_factory=Counter)
    deductions: Counter = field(default_factory=Counter)

    @property
    def average(self) -> Decimal:
        if not self.count:
            return Decimal(0)
        return (self.points / self.count).quantize(Decimal("0.1"))

    def grade_counts(self, names: list[str]) -> list[int]:
        return [self.grades.get(n, 0) for n in names]

    def top_deductions(self, n: int = 3) -> list[tuple[str, int]]:
        return sorted(self.deductions.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


@dataclass
class Results:
    grade_names: list[str]
    overall: ResultRow
    by_handler: list[ResultRow]
    by_unit: list[ResultRow]


def evaluation_results(
    *, agency=None, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> Results:
    """Finalised evaluations aggregated per handler (主办人) and per unit: count, average score,
    grade distribution and most frequent deductions. Three queries whatever the volume."""
    qs = Evaluation.objects.filter(status=Status.FINAL).select_related("handler", "unit")
    if agency is not None:
        qs = qs.filter(case__agency=agency)
    if date_from is not None:
        qs = qs.filter(case__closed_on__gte=date_from)
    if date_to is not None:
        qs = qs.filter(case__closed_on__lte=date_to)
    qs = qs.prefetch_related(
        Prefetch("scores", queryset=Score.objects.select_related("item")),
        Prefetch("veto_marks", queryset=VetoMark.objects.select_related("veto")),
    )
    overall = ResultRow(key=None, label="合计")
    handlers: dict[object, ResultRow] = {}
    units: dict[object, ResultRow] = {}
    for e in qs:
        handler_label = str(e.handler) if e.handler else "（未指派）"
        unit_label = str(e.unit) if e.unit else "（未分配机构）"
        rows = (
            overall,
            handlers.setdefault(e.handler_id, ResultRow(key=e.handler_id, label=handler_label)),
            units.setdefault(e.unit_id, ResultRow(key=e.unit_id, label=unit_label)),
        )
        for row in rows:
            row.count += 1
            row.points += e.total or 0
            row.grades[e.grade] += 1
            for s in e.scores.all():
                row.deductions[f"{s.item.code} {s.item.text}"] += 1
            for m in e.veto_marks.all():
                row.deductions[f"否决项 {m.veto.code} {m.veto.text}"] += 1

    def ordered(rows: dict) -> list[ResultRow]:
        return sorted(rows.values(), key=lambda r: (-r.average, r.label))

    return Results(
        grade_names=rules.grade_names(config.grades()),
        overall=overall,
        by_handler=ordered(handlers),
        by_unit=ordered(units),
    )


def case_by_pk(*, pk: int, agency=None) -> Case | None:
    qs = Case.objects.select_related("agency").filter(pk=pk)
    if agency is not None:
        qs = qs.filter(agency=agency)
    return qs.first()

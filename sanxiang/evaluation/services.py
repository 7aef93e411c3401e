"""Writes of 案卷评查: drawing a sample of closed files, starting, scoring and finalising an
evaluation. Each service checks permission and input first (Chinese ``DomainError`` /
``Blocked``, nothing written) and records its ledger event in the same transaction
(ARCHITECTURE.md §3)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.accounts.guards import require as _require
from sanxiang.cases.choices import State
from sanxiang.cases.models import Assignment, Case
from sanxiang.lib import draw
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from . import config, rules, selectors
from .models import Evaluation, Sample, Score, Status, VetoMark

MAX_SAMPLE = 500


def _name(user) -> str:
    return (getattr(user, "real_name", "") or user.get_username()) if user else ""


# --- sampling (抽查) -------------------------------------------------------------------------


@transaction.atomic
def sample_draw(
    *,
    actor,
    agency,
    period_from: dt.date,
    period_to: dt.date,
    count: int,
    seed_text: str = "",
) -> Sample:
    """随机抽取 ``count`` 件在期间内结案的案卷 (DOMAIN.md §12 item 75). The pool, the seed and the
    result are stored and recorded, so anyone can re-run the draw (``rules.sample_draw``).
    ``seed_text`` is a public value (e.g. a lottery result) to derive the seed from; blank
    means a fresh random seed."""
    _require(actor, "evaluation.draw_sample", "抽取评查案卷", agency=agency)
    reasons = []
    if period_from is None or period_to is None:
        reasons.append("请填写结案日期的起止日期")
    elif period_to < period_from:
        reasons.append("结案日期的截止日期不能早于起始日期")
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_SAMPLE:
        reasons.append(f"抽取数量应为 1 至 {MAX_SAMPLE} 的整数")
    seed_text = (seed_text or "").strip()
    if len(seed_text) > 200:
        reasons.append("种子来源不能超过 200 字")
    if reasons:
        raise Blocked(reasons, code="invalid")

    closed = list(
        Case.objects.filter(
            agency=agency, state=State.CLOSED, closed_on__range=(period_from, period_to)
        ).only("pk", "case_no", "registration_no", "summary")
    )
    if not closed:
        raise DomainError(
            f"{period_from:%Y-%m-%d} 至 {period_to:%Y-%m-%d} 没有已结案的案件，无法抽取"
        )
    by_number = {c.number: c for c in closed}
    pool = rules.sample_pool((number, c.summary) for number, c in by_number.items())
    seed = draw.seed_from_text(seed_text) if seed_text else secrets.token_hex(32)
    try:
        drawn = rules.sample_draw(pool, seed=seed, count=count)
    except draw.DrawError as exc:
        raise DomainError(str(exc), field="count") from None

    sample = Sample.objects.create(
        agency=agency,
        period_from=period_from,
        period_to=period_to,
        count=count,
        algorithm=rules.ALGORITHM,
        seed=seed,
        seed_text=seed_text,
        pool=pool.data.decode("utf-8"),
        pool_sha256=pool.sha256,
        pool_size=len(pool.entries),
        drawn=drawn,
        drawn_by=actor,
    )
    sample.cases.set([by_number[n] for n in drawn])
    ledger.record(
        actor=actor,
        subject=sample,
        type="evaluation.sample_drawn",
        data={
            "agency": agency.pk,
            "period": [period_from, period_to],
            "count": count,
            "algorithm": rules.ALGORITHM,
            "seed": seed,
            "seed_text": seed_text,
            "pool_sha256": pool.sha256,
            "pool_size": len(pool.entries),
            "drawn": drawn,
        },
    )
    return sample


def sample_verify(sample: Sample) -> list[str]:
    """Re-run a stored draw from its pool file and seed; reasons why it does not reproduce
    (empty list: it does)."""
    try:
        pool = draw.pool_parse("targets", sample.pool.encode("utf-8"))
    except draw.DrawError as exc:
        return [str(exc)]
    reasons = []
    if pool.sha256 != sample.pool_sha256:
        reasons.append("案卷池文件的 SHA-256 与记录不符")
    try:
        again = rules.sample_draw(pool, seed=sample.seed, count=sample.count)
    except draw.DrawError as exc:
        return [*reasons, str(exc)]
    if again != list(sample.drawn):
        reasons.append("按记录的种子重新抽取，结果与记录不符")
    return reasons


# --- evaluation (评查) -----------------------------------------------------------------------


def _team_reason(actor, case) -> str | None:
    # 评查人回避: anyone ever assigned to the case (even if later released) handled the file.
    row = Assignment.objects.filter(case=case, user=actor).order_by("pk").first()
    if row is None:
        return None
    return f"您是本案的办案人员（{row.get_role_display()}），不能评查本案案卷，请由其他人员评查"


@transaction.atomic
def evaluation_start(*, actor, case, sample: Sample | None = None) -> Evaluation:
    """开始评查一件已结案案件的案卷, under the standard in force today."""
    _require(actor, "evaluation.evaluate_casefile", "评查案卷", agency=case.agency)
    # Lock the case row: two evaluators starting the same file at once get a Chinese refusal
    # (the second sees the first's evaluation), not a unique-constraint error.
    case = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
    reasons = []
    if case.state != State.CLOSED:
        reasons.append(f"只能评查已结案的案件（本案状态：{case.get_state_display()}）")
    team = _team_reason(actor, case)
    if team:
        reasons.append(team)
    if sample is not None and not sample.cases.filter(pk=case.pk).exists():
        reasons.append("该案件不在所选抽查的抽中名单中")
    standard = selectors.standard_current(on=timezone.localdate())
    if standard is None:
        reasons.append("没有施行中的评查标准，请先由系统管理员设置")
    elif (
        done := Evaluation.objects.filter(case=case, standard=standard)
        .select_related("evaluator")
        .first()
    ) is not None:
        reasons.append(
            f"该案卷已由{_name(done.evaluator)}按本标准评查（{done.get_status_display()}）"
        )
    if reasons:
        raise Blocked(reasons)

    # Results count for the 主办人 (and his unit): the lead officer, else the first assigned.
    team_rows = list(
        Assignment.objects.filter(case=case).select_related("user__unit").order_by("pk")
    )
    handler_row = next(
        (a for a in team_rows if a.role == "lead"), team_rows[0] if team_rows else None
    )
    handler = handler_row.user if handler_row else None
    evaluation = Evaluation.objects.create(
        case=case,
        standard=standard,
        sample=sample,
        evaluator=actor,
        handler=handler,
        unit=getattr(handler, "unit", None),
    )
    ledger.record(
        actor=actor,
        subject=case,
        type="evaluation.started",
        data={
            "evaluation": evaluation.pk,
            "standard": str(standard),
            "sample": sample.pk if sample else None,
        },
    )
    return evaluation


@transaction.atomic
def evaluation_score(
    *,
    actor,
    evaluation: Evaluation,
    deductions: Mapping[str, tuple[object, str]],
    vetoes: Mapping[str, str],
    summary: str = "",
    finalise: bool = False,
) -> Evaluation:
    """逐项评分. ``deductions`` maps an item code to (points deducted as entered, reason);
    ``vetoes`` maps a veto item code to its explanation. Every deduction and every veto item
    needs a reason. With ``finalise`` the total and grade are fixed (any veto → 不合格) and the
    file's evaluation becomes read-only."""
    evaluation = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency", "evaluator", "standard")
        .get(pk=evaluation.pk)
    )
    _require(actor, "evaluation.evaluate_casefile", "评查案卷", agency=evaluation.case.agency)
    if evaluation.evaluator_id != actor.pk:
        raise NotPermitted(f"本案卷由{_name(evaluation.evaluator)}评查，您不能修改其评分")
    if evaluation.is_final:
        raise DomainError("评查已完成，评分不能再修改", code="read_only")
    reasons = []
    team = _team_reason(actor, evaluation.case)
    if team:
        reasons.append(team)

    items = {i.code: i for i in evaluation.standard.items.all()}
    veto_items = {v.code: v for v in evaluation.standard.vetoes.all()}
    parsed: dict[str, rules.Deduction] = {}
    for code, (raw, note) in deductions.items():
        amount = rules.parse_points(raw)
        label = f"{code}「{items[code].text}」" if code in items else code
        if amount is None:
            reasons.append(f"{label}的扣分应为数字，最多保留一位小数")
            continue
        if amount == 0 and not (note or "").strip():
            continue
        parsed[code] = rules.Deduction(code=code, amount=amount, note=(note or "").strip())
    rule_items = [rules.ItemRule(code=i.code, text=i.text, points=i.points) for i in items.values()]
    reasons += rules.check_deductions(rule_items, parsed)
    marks = {}
    for code, note in vetoes.items():
        veto = veto_items.get(code)
        if veto is None:
            reasons.append(f"评查标准中没有否决项 {code}")
            continue
        note = (note or "").strip()
        if not note:
            reasons.append(f"否决项 {code}「{veto.text}」须写明认定理由")
        elif len(note) > rules.MAX_NOTE:
            reasons.append(f"否决项 {code}「{veto.text}」的理由不能超过 {rules.MAX_NOTE} 字")
        marks[code] = note
    summary = (summary or "").strip()
    if len(summary) > 2000:
        reasons.append("评查意见不能超过 2000 字")
    if reasons:
        raise Blocked(reasons, code="invalid")

    evaluation.scores.all().delete()
    evaluation.veto_marks.all().delete()
    Score.objects.bulk_create(
        Score(evaluation=evaluation, item=items[d.code], deduction=d.amount, note=d.note)
        for d in parsed.values()
        if d.amount > 0
    )
    VetoMark.objects.bulk_create(
        VetoMark(evaluation=evaluation, veto=veto_items[code], note=note)
        for code, note in marks.items()
    )
    counted = {c: d for c, d in parsed.items() if d.amount > 0}
    evaluation.total = rules.total_score(rule_items, counted)
    evaluation.vetoed = bool(marks)
    evaluation.summary = summary
    if finalise:
        evaluation.grade = rules.grade_for(
            evaluation.total, vetoed=evaluation.vetoed, grades=config.grades()
        )
        evaluation.status = Status.FINAL
        evaluation.finalised_at = timezone.now()
    evaluation.save()
    ledger.record(
        actor=actor,
        subject=evaluation.case,
        type="evaluation.finalised" if finalise else "evaluation.scored",
        data={
            "evaluation": evaluation.pk,
            "standard": str(evaluation.standard),
            "total": evaluation.total,
            "grade": evaluation.grade,
            "vetoes": {code: note for code, note in sorted(marks.items())},
            "deductions": {
                c: {"points": d.amount, "note": d.note} for c, d in sorted(counted.items())
            },
        },
    )
    return evaluation

"""Pages of 案卷评查: parse → permission → service/selector → render. Refusals from services
come back as Chinese form errors or messages; nothing is written then."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sanxiang.accounts.http import require_perm as _need
from sanxiang.accounts.http import user_agency as _agency
from sanxiang.lib.errors import DomainError, NotPermitted

from . import forms, selectors, services
from .models import Evaluation, Sample, Status

PAGE_SIZE = 50


def _reasons(exc: DomainError) -> list[str]:
    return getattr(exc, "reasons", None) or [str(exc)]


def _scoped(request, agency_id: int) -> None:
    agency = _agency(request.user)
    if agency is not None and agency.pk != agency_id:
        raise PermissionDenied("该记录不属于您所在的执法主体")


# --- list --------------------------------------------------------------------------------------


def _home(request, *, sample_form=None, choose_form=None, status=200):
    agency = _agency(request.user)
    state = request.GET.get("status", "")
    page = Paginator(selectors.evaluation_list(agency=agency, status=state), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_draw = request.user.has_perm("evaluation.draw_sample")
    can_evaluate = request.user.has_perm("evaluation.evaluate_casefile")
    today = timezone.localdate()
    return render(
        request,
        "evaluation/home.html",
        {
            "page": page,
            "evaluations": page.object_list,
            "status": state,
            "statuses": Status.choices,
            "samples": selectors.sample_list(agency=agency)[:20],
            "waiting": selectors.closed_cases_waiting(agency=agency) if can_evaluate else [],
            "can_draw": can_draw,
            "can_evaluate": can_evaluate,
            "sample_form": sample_form
            or forms.SampleForm(
                initial={
                    "period_from": today.replace(month=1, day=1),
                    "period_to": today,
                    "count": 5,
                }
            ),
            "choose_form": choose_form or forms.ChooseCaseForm(),
        },
        status=status,
    )


@login_required
@require_GET
def home(request):
    _need(request, "evaluation.view_evaluation", "查看案卷评查")
    return _home(request)


# --- samples -----------------------------------------------------------------------------------


@login_required
@require_POST
def sample_new(request):
    _need(request, "evaluation.draw_sample", "抽取评查案卷")
    form = forms.SampleForm(request.POST)
    agency = _agency(request.user)
    if form.is_valid() and agency is None:
        form.add_error(None, "您没有所属的执法主体，不能抽取案卷")
    if form.is_valid():
        try:
            sample = services.sample_draw(actor=request.user, agency=agency, **form.cleaned_data)
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except DomainError as exc:
            for reason in _reasons(exc):
                form.add_error(None, reason)
        else:
            messages.success(request, f"已随机抽取 {sample.count} 件案卷")
            return redirect("evaluation:sample", pk=sample.pk)
    return _home(request, sample_form=form, status=400)


def _sample(request, pk: int) -> Sample:
    _need(request, "evaluation.view_sample", "查看案卷抽查")
    sample = Sample.objects.select_related("agency", "drawn_by").filter(pk=pk).first()
    if sample is None:
        raise Http404("没有找到该抽查")
    _scoped(request, sample.agency_id)
    return sample


@login_required
@require_GET
def sample_page(request, pk: int):
    sample = _sample(request, pk)
    return render(
        request,
        "evaluation/sample.html",
        {
            "sample": sample,
            "rows": selectors.sample_cases(sample),
            "problems": services.sample_verify(sample),
            "can_evaluate": request.user.has_perm("evaluation.evaluate_casefile"),
        },
    )


@login_required
@require_GET
def sample_pool(request, pk: int):
    """The pool file exactly as hashed, for re-running the draw elsewhere."""
    sample = _sample(request, pk)
    response = HttpResponse(
        sample.pool.encode("utf-8"), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="sample-{sample.pk}-pool.jsonl"'
    return response


# --- evaluations -------------------------------------------------------------------------------


@login_required
@require_POST
def start(request):
    """Start evaluating a drawn case (``case`` + ``sample``) or one chosen by its number."""
    _need(request, "evaluation.evaluate_casefile", "评查案卷")
    agency = _agency(request.user)
    sample = None
    if request.POST.get("sample"):
        sample = _sample(request, _int(request.POST["sample"]))
    back = reverse("evaluation:sample", args=[sample.pk]) if sample else reverse("evaluation:home")
    if request.POST.get("case"):
        case = selectors.case_by_pk(pk=_int(request.POST["case"]), agency=agency)
        if case is None:
            messages.error(request, "没有找到该案件")
            return redirect(back)
    else:
        form = forms.ChooseCaseForm(request.POST)
        if not form.is_valid():
            return _home(request, choose_form=form, status=400)
        case = selectors.case_by_number(number=form.cleaned_data["number"], agency=agency)
        if case is None:
            form.add_error("number", "没有找到该案号或登记号的案件")
            return _home(request, choose_form=form, status=400)
    try:
        evaluation = services.evaluation_start(actor=request.user, case=case, sample=sample)
    except NotPermitted as exc:
        raise PermissionDenied(str(exc)) from None
    except DomainError as exc:
        for reason in _reasons(exc):
            messages.error(request, reason)
        return redirect(back)
    messages.success(request, f"已开始评查 {case.number}")
    return redirect("evaluation:evaluation", pk=evaluation.pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("参数无效") from None


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_page(request, pk: int):
    _need(request, "evaluation.view_evaluation", "查看案卷评查")
    evaluation = (
        Evaluation.objects.select_related(
            "case", "case__agency", "standard", "evaluator", "handler", "unit", "sample"
        )
        .filter(pk=pk)
        .first()
    )
    if evaluation is None:
        raise Http404("没有找到该评查")
    _scoped(request, evaluation.case.agency_id)
    sections = selectors.standard_sections(evaluation.standard)
    items = [i for s in sections for i in s.items.all()]
    vetoes = list(evaluation.standard.vetoes.order_by("position"))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        deductions, marked, summary, finalise = forms.parse_scoring(
            request.POST, items=items, vetoes=vetoes
        )
        try:
            services.evaluation_score(
                actor=request.user,
                evaluation=evaluation,
                deductions=deductions,
                vetoes=marked,
                summary=summary,
                finalise=finalise,
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except DomainError as exc:
            errors = _reasons(exc)
            status = 400
            entered = {
                "deductions": {c: {"raw": r, "note": n} for c, (r, n) in deductions.items()},
                "vetoes": marked,
                "summary": summary,
            }
        else:
            messages.success(request, "评查已完成" if finalise else "评分已保存")
            return redirect("evaluation:evaluation", pk=evaluation.pk)
    if not errors:
        entered = {
            "deductions": {
                s.item.code: {"raw": s.deduction, "note": s.note}
                for s in evaluation.scores.select_related("item")
            },
            "vetoes": {m.veto.code: m.note for m in evaluation.veto_marks.select_related("veto")},
            "summary": evaluation.summary,
        }
    facts = selectors.case_facts(evaluation.case)
    rows = [
        {
            "section": s,
            "items": [
                {
                    "item": i,
                    "raw": entered["deductions"].get(i.code, {}).get("raw", ""),
                    "note": entered["deductions"].get(i.code, {}).get("note", ""),
                    "fact": facts.get(i.hint, ""),
                }
                for i in s.items.all()
            ],
        }
        for s in sections
    ]
    veto_rows = [
        {
            "veto": v,
            "marked": v.code in entered["vetoes"],
            "note": entered["vetoes"].get(v.code, ""),
        }
        for v in vetoes
    ]
    editable = (
        not evaluation.is_final
        and evaluation.evaluator_id == request.user.pk
        and request.user.has_perm("evaluation.evaluate_casefile")
    )
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "evaluation": evaluation,
            "case": evaluation.case,
            "rows": rows,
            "veto_rows": veto_rows,
            "summary": entered["summary"],
            "errors": errors,
            "editable": editable,
        },
        status=status,
    )


# --- results -----------------------------------------------------------------------------------


@login_required
@require_GET
def results_page(request):
    _need(request, "evaluation.view_results", "查看评查结果")
    form = forms.ResultsFilterForm(request.GET or None)
    date_from = date_to = None
    if form.is_bound and form.is_valid():
        date_from, date_to = form.cleaned_data.get("date_from"), form.cleaned_data.get("date_to")
    results = selectors.evaluation_results(
        agency=_agency(request.user), date_from=date_from, date_to=date_to
    )
    names = results.grade_names

    def table(rows):
        return [
            {"row": r, "grades": r.grade_counts(names), "top": r.top_deductions()} for r in rows
        ]

    return render(
        request,
        "evaluation/results.html",
        {
            "form": form,
            "results": results,
            "grade_names": names,
            "overall_rows": table([results.overall]),
            "by_handler": table(results.by_handler),
            "by_unit": table(results.by_unit),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )

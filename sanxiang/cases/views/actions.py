"""The one view behind every operation of the case page (see ``ops``): parse → offered? →
service → render. ``DomainError`` goes next to its field, ``Blocked`` becomes the list of
reasons, ``NotPermitted`` a 403; the services write nothing when they refuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .. import selectors, services, workflow
from ..choices import TERMINAL_STATES, State
from ..forms import RevealForm
from ..models import Party
from .common import case_for, who
from .ops import OPS, Op, read_only_reason


def _object(op: Op, case, obj_pk):
    if op.model is None:
        if obj_pk is not None:
            raise Http404("没有找到该记录")
        return None
    obj = op.model.objects.filter(pk=obj_pk, case=case).first() if obj_pk is not None else None
    if obj is None:
        raise Http404("没有找到该记录")
    return obj


@login_required
@require_http_methods(["GET", "POST"])
def case_action(request, pk: int, op: str, obj_pk: int | None = None):
    operation = OPS.get(op)
    if operation is None:
        raise Http404("没有该项操作")
    case = case_for(request, pk)
    obj = _object(operation, case, obj_pk)
    back = reverse("cases:case_detail", args=[case.pk]) + f"#{operation.section}"
    context = {
        "case": case,
        "op": operation,
        "obj": obj,
        "obj_kind": obj._meta.model_name if obj is not None else "",
        "back": back,
        "reasons": [],
    }

    # Offered? A role or team the user does not have is a 403; a state in which the step is
    # not possible is explained, without a form.
    warnings: list[str] = []
    if operation.transition:
        t = workflow.TRANSITIONS[operation.transition]
        if reason := workflow.state_reason(t, case.state):
            return render(request, "cases/action_form.html", {**context, "unavailable": reason})
        facts = selectors.case_facts(case, actor=request.user)
        if reason := workflow.permission_reason(t, facts):
            raise PermissionDenied(reason)
        warnings = workflow.blockers(t, facts)
    else:
        if case.state in TERMINAL_STATES and case.state not in operation.states:
            return render(
                request,
                "cases/action_form.html",
                {**context, "unavailable": read_only_reason(case)},
            )
        asker = who(request, case)
        if not operation.who(asker):
            raise PermissionDenied(f"您没有“{operation.title}”的权限，或者不是本案办案人员")
        if case.state not in operation.states:
            labels = "、".join(State(s).label for s in sorted(operation.states))
            return render(
                request,
                "cases/action_form.html",
                {
                    **context,
                    "unavailable": f"案件当前为“{case.get_state_display()}”，"
                    f"“{operation.title}”只能在“{labels}”时办理",
                },
            )

    form = operation.form(request.POST or None, case=case, user=request.user, obj=obj)
    if request.method == "POST" and form.is_valid():
        try:
            result = operation.execute(
                actor=request.user, case=case, obj=obj, kwargs=form.service_kwargs()
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except Blocked as exc:
            context["reasons"] = exc.reasons
        except DomainError as exc:
            form.add_service_error(exc.field, exc.message)
        else:
            message = operation.done(case, result) if operation.done else ""
            messages.success(request, message or f"已办理：{operation.title}")
            return redirect(back)
    form.mark_errors()
    return render(
        request,
        "cases/action_form.html",
        {
            **context,
            "form": form,
            "groups": form.groups(),
            "warnings": warnings,
            "benchmarks": selectors.case_causes(case) if operation.name == "propose" else [],
            "proposal_problems": _proposal_problems(case, request.user)
            if operation.name == "propose"
            else [],
        },
    )


def _proposal_problems(case, user) -> list[str]:
    facts = selectors.case_facts(case, actor=user)
    return workflow.proposal_problems(facts)


@login_required
@require_http_methods(["GET", "POST"])
def complainant_reveal(request, pk: int):
    """查看投诉人、举报人身份: every view (and every refused attempt) goes to the log."""
    case = case_for(request, pk)
    back = reverse("cases:case_detail", args=[case.pk]) + "#complainants"
    form = RevealForm(request.POST or None, case=case, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            people = services.complainant_reveal(
                actor=request.user, case=case, reason=form.cleaned_data["reason"], request=request
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        return render(
            request,
            "cases/complainant_reveal.html",
            {
                "case": case,
                "people": people,
                "revealed": True,
                "back": back,
                "reason": form.cleaned_data["reason"],
            },
        )
    if request.method == "GET" and not selectors.may_see_complainant(case=case, user=request.user):
        raise PermissionDenied(
            "投诉人、举报人身份保密，只有登记人、本案办案人员、承办机构负责人和决定人可以查看"
        )
    form.mark_errors()
    return render(
        request, "cases/complainant_reveal.html", {"case": case, "form": form, "back": back}
    )


@login_required
@require_POST
def party_id_number_reveal(request, pk: int, party_pk: int):
    """查看当事人完整身份证号码: for those who may see the case; recorded, then shown once."""
    case = case_for(request, pk)
    party = get_object_or_404(Party.objects.exclude(id_number=""), pk=party_pk, case=case)
    number = services.party_id_number_reveal(actor=request.user, party=party, request=request)
    return render(
        request,
        "cases/party_id_number.html",
        {
            "case": case,
            "party": party,
            "number": number,
            "back": reverse("cases:case_detail", args=[case.pk]) + "#parties",
        },
    )

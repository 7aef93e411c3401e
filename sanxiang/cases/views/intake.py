"""Registering a complaint, report or lead (登记投诉举报、案件线索)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sanxiang.lib.errors import Blocked, DomainError, NotPermitted

from .. import services
from ..forms import IntakeForm
from .common import intake_agency, need


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    need(request, "cases.register_case", "登记投诉举报和案件线索")
    form = IntakeForm(request.POST or None, user=request.user)
    reasons: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_register(
                actor=request.user, agency=intake_agency(request.user), **form.service_kwargs()
            )
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from None
        except Blocked as exc:
            reasons = exc.reasons
        except DomainError as exc:
            form.add_service_error(exc.field, exc.message)
        else:
            messages.success(
                request,
                f"已登记，登记号：{case.registration_no}。请在受理期限内决定是否受理（立案）。",
            )
            return redirect(reverse("cases:case_detail", args=[case.pk]))
    form.mark_errors()
    return render(
        request,
        "cases/case_new.html",
        {"form": form, "reasons": reasons, "cancel": reverse("cases:lead_list")},
    )

"""Staff pages of publicity: parse, check permission, call a service, map its Chinese error."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.ledger.audit import security_event
from sanxiang.ledger.selectors import timeline_of_subject
from sanxiang.lib.errors import DomainError

from . import exports, forms, rules, selectors, services, sources
from .models import AnnualReport, CreditRepair, Publication, RepairStatus, State


def _need(request, perm: str) -> None:
    if not request.user.has_perm(f"publicity.{perm}"):
        raise PermissionDenied


def _agency(request):
    unit = getattr(request.user, "unit", None)
    if unit is not None:
        return unit.agency
    from sanxiang.registry.models import Agency

    return Agency.objects.filter(is_active=True).order_by("pk").first()


def _error(request, form, exc: DomainError) -> None:
    reasons = getattr(exc, "reasons", None) or [exc.message]
    if form is not None and exc.field and f"f_{exc.field}" in form.fields:
        form.add_error(f"f_{exc.field}", exc.message)
    elif form is not None and exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        for r in reasons:
            messages.error(request, r)


@login_required
def publication_list(request):
    _need(request, "view_publication")
    tab = request.GET.get("tab", "draft")
    if tab not in dict(selectors.TABS):
        tab = "draft"
    today = timezone.localdate()
    rows = list(selectors.publication_list(tab=tab)[:200])
    for p in rows:
        p.urgency = selectors.urgency(today, p.due_on) if p.state == State.DRAFT else ""
        p.withdraw_urgency = (
            selectors.urgency(today, p.withdraw_due)
            if p.withdraw_due and p.state == State.PUBLISHED
            else ""
        )
    return render(
        request,
        "publicity/list.html",
        {"rows": rows, "tab": tab, "tabs": selectors.TABS, "today": today},
    )


def _versions(publication) -> list:
    from sanxiang.lib.masking import KIND_LABELS

    versions = list(publication.versions.select_related("author").order_by("number"))
    for v in versions:
        v.count_text = "、".join(
            f"{KIND_LABELS.get(k, k)} {n} 处" for k, n in (v.counts or {}).items()
        )
    return versions


# Several forms share one page: distinct element ids keep every label tied to its own field.
AUTO_IDS = {
    forms.ApproveForm: "approve_%s",
    forms.WithholdForm: "withhold_%s",
    forms.WithdrawForm: "withdraw_%s",
    forms.RepairApplyForm: "repair_%s",
    forms.RepairDecideForm: "decide_%s",
}


def _detail_context(request, publication, **extra):
    today = timezone.localdate()
    draft = selectors.current_draft(publication)
    published = publication.versions.filter(state="published").first()
    compare = (
        selectors.side_by_side(publication, draft or published) if (draft or published) else []
    )
    can_approve = request.user.has_perm("publicity.approve_publication")
    problems = (
        services.approval_problems(publication, request.user, confidentiality_checked=True)
        if draft and can_approve
        else []
    )
    repairs = list(publication.repairs.select_related("recorded_by", "decided_by").all())
    ctx = {
        "p": publication,
        "draft": draft,
        "published": published,
        "compare": compare,
        "versions": _versions(publication),
        "changes": selectors.changes_of(publication),
        "repairs": repairs,
        "pending_repair": next((r for r in repairs if r.status == RepairStatus.APPLIED), None),
        "timeline": timeline_of_subject(publication),
        "grounds": rules.ground_labels(publication.withhold_grounds),
        "problems": problems,
        "urgency": selectors.urgency(today, publication.due_on),
        "withdraw_urgency": selectors.urgency(today, publication.withdraw_due)
        if publication.withdraw_due
        else "",
        "approve_form": forms.ApproveForm(
            auto_id=AUTO_IDS[forms.ApproveForm],
            review_needed=publication.confidentiality_review,
        ),
        "withhold_form": forms.WithholdForm(
            initial={"grounds": publication.withhold_grounds}, auto_id=AUTO_IDS[forms.WithholdForm]
        ),
        # A revocation or change is recorded on the case (cases.services.decision_change_record).
        "change_url": (
            reverse("cases:case_action", args=[publication.decision.case_id, "change_decision"])
            if request.user.has_perm("cases.record_decision_change")
            else ""
        ),
        "withdraw_form": forms.WithdrawForm(auto_id=AUTO_IDS[forms.WithdrawForm]),
        "repair_apply_form": forms.RepairApplyForm(
            initial={"applied_on": today}, auto_id=AUTO_IDS[forms.RepairApplyForm]
        ),
        "repair_decide_form": forms.RepairDecideForm(
            initial={"decided_on": today}, auto_id=AUTO_IDS[forms.RepairDecideForm]
        ),
        "today": today,
    }
    ctx.update(extra)
    return ctx


@login_required
def publication_detail(request, pk: int):
    _need(request, "view_publication")
    publication = get_object_or_404(Publication, pk=pk)
    publication = selectors.publication_detail(publication.pk)
    return render(request, "publicity/detail.html", _detail_context(request, publication))


def _post_action(request, pk: int, form_class, call, *, form_key: str, ok: str):
    publication = get_object_or_404(Publication, pk=pk)
    form = form_class(request.POST, auto_id=AUTO_IDS[form_class])
    if form.is_valid():
        try:
            call(publication, form.cleaned_data)
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, ok)
            return redirect("publicity:detail", pk=pk)
    publication = selectors.publication_detail(pk)
    return render(
        request,
        "publicity/detail.html",
        _detail_context(request, publication, **{form_key: form}),
        status=400,
    )


@login_required
@require_POST
def publication_approve(request, pk: int):
    _need(request, "approve_publication")
    return _post_action(
        request,
        pk,
        forms.ApproveForm,
        lambda p, d: services.publication_approve(
            publication=p,
            actor=request.user,
            confidentiality_checked=d.get("confidentiality_checked", False),
            confidentiality_note=d.get("confidentiality_note", ""),
        ),
        form_key="approve_form",
        ok="已审核发布，公示平台已更新",
    )


@login_required
@require_POST
def publication_withhold(request, pk: int):
    _need(request, "approve_publication")
    return _post_action(
        request,
        pk,
        forms.WithholdForm,
        lambda p, d: services.publication_withhold(
            publication=p, actor=request.user, grounds=d["grounds"], reason=d["reason"]
        ),
        form_key="withhold_form",
        ok="已作出不予公开决定",
    )


@login_required
@require_POST
def publication_withdraw(request, pk: int):
    _need(request, "withdraw_publication")
    return _post_action(
        request,
        pk,
        forms.WithdrawForm,
        lambda p, d: services.publication_withdraw(
            publication=p, actor=request.user, reason=d["reason"]
        ),
        form_key="withdraw_form",
        ok="已撤下，公示平台显示撤下说明",
    )


@login_required
@require_POST
def repair_apply(request, pk: int):
    _need(request, "handle_credit_repair")
    return _post_action(
        request,
        pk,
        forms.RepairApplyForm,
        lambda p, d: services.credit_repair_apply(publication=p, actor=request.user, **d),
        form_key="repair_apply_form",
        ok="已登记信用修复申请",
    )


@login_required
@require_POST
def repair_decide(request, pk: int, repair_pk: int):
    _need(request, "handle_credit_repair")
    repair = get_object_or_404(CreditRepair, pk=repair_pk, publication_id=pk)
    return _post_action(
        request,
        pk,
        forms.RepairDecideForm,
        lambda p, d: services.credit_repair_decide(repair=repair, actor=request.user, **d),
        form_key="repair_decide_form",
        ok="已作出信用修复决定",
    )


@login_required
@require_http_methods(["GET", "POST"])
def publication_edit(request, pk: int):
    _need(request, "draft_publication")
    publication = selectors.publication_detail(get_object_or_404(Publication, pk=pk).pk)
    base = (
        selectors.current_draft(publication)
        or publication.versions.filter(state="published").first()
    )
    correcting = publication.state == State.PUBLISHED
    form = forms.ReviseForm(
        request.POST or None,
        initial_fields=base.fields if base else {},
        initial={"manual_grounds": publication.manual_grounds},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publication_revise(
                publication=publication,
                actor=request.user,
                fields=form.field_values(),
                note=form.cleaned_data["note"],
                manual_grounds=form.cleaned_data["manual_grounds"],
            )
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, "已保存为新的待审核版本")
            return redirect("publicity:detail", pk=pk)
    src = sources.decision_source(publication.decision)
    return render(
        request,
        "publicity/edit.html",
        {
            "p": publication,
            "form": form,
            "correcting": correcting,
            "original": src.original,
            "labels": sources.FIELDS,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_view(request):
    _need(request, "configure_publicity")
    agency = _agency(request)
    current = services.settings_for(agency)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "withhold_warning_only": current.withhold_warning_only,
            "default_min_months": current.default_min_months,
            "default_max_months": current.default_max_months,
            "period_rules": "\n".join(
                f"{k} {v[0]} {v[1]}" for k, v in (current.period_rules or {}).items()
            ),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.publicity_settings_set(agency=agency, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, "公示规则已保存")
            return redirect("publicity:settings")
    return render(
        request,
        "publicity/settings.html",
        {"form": form, "labels": rules.PENALTY_LABELS},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_view(request):
    _need(request, "approve_publication")
    from . import charts
    from .statistics import annual_data

    today = timezone.localdate()
    agency = _agency(request)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, 2000), today.year)
    form = forms.ReportForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        try:
            services.annual_report_publish(
                agency=agency,
                actor=request.user,
                year=form.cleaned_data["year"],
                narrative=form.cleaned_data["narrative"],
            )
        except DomainError as exc:
            _error(request, form, exc)
        else:
            messages.success(request, "统计年报已发布")
            return redirect(f"/gongkai/reports/{form.cleaned_data['year']}/")
    data = annual_data(agency=agency, year=year)
    published = AnnualReport.objects.filter(agency=agency, year=year).first()
    return render(
        request,
        "publicity/report.html",
        {
            "form": form,
            "data": data,
            "year": year,
            "published": published,
            "chart": charts.bar_chart(
                [(r["label"], r["count"]) for r in data["penalty"]["rows"]],
                title=f"{year}年行政处罚决定按处罚种类",
                ident="chart-types",
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def export_view(request):
    _need(request, "export_publicity")
    form = forms.ExportForm(request.GET or None)
    if request.GET and form.is_valid():
        d = form.cleaned_data
        records = [
            selectors.export_record(p)
            for p in selectors.export_publications(date_from=d["date_from"], date_to=d["date_to"])
        ]
        try:
            exports.validate(records)
        except DomainError as exc:
            security_event(
                request, "security.exported", result="failure", what="双公示", rows=len(records)
            )
            _error(request, None, exc)
            return render(request, "publicity/export.html", {"form": form}, status=400)
        build, content_type, ext = exports.FORMATS[d["fmt"]]
        body = build(records)
        security_event(request, "security.exported", what="双公示", format=ext, rows=len(records))
        response = HttpResponse(body, content_type=content_type)
        name = f"shuanggongshi-{timezone.localdate():%Y%m%d}.{ext}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request, "publicity/export.html", {"form": form}, status=400 if request.GET else 200
    )

"""Catalogue pages: parse → permission → service → render. Anyone logged in reads; only holders
of ``catalog.manage_catalog`` (系统管理员) create items and add versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry.models import Agency

from . import rules, selectors, services
from .forms import AsOfForm, ListFilterForm, VersionEditor
from .models import Category

PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not request.user.has_perm(services.MANAGE_PERMISSION):
        raise PermissionDenied("只有系统管理员可以维护执法事项清单")


def _agency_of(user) -> Agency:
    """The agency whose catalogue the user maintains: that of the user's unit, else the only
    active agency of the installation."""
    if user.unit_id:
        return user.unit.agency
    agencies = list(Agency.objects.filter(is_active=True)[:2])
    if len(agencies) == 1:
        return agencies[0]
    raise PermissionDenied("您的账号未关联执法主体，无法维护执法事项清单，请联系安全管理员")


def _apply_error(editor: VersionEditor, exc: DomainError) -> None:
    problems = getattr(exc, "problems", None) or [rules.Problem(exc.field or "", exc.message)]
    for problem in problems:
        editor.add_problem(problem.field, problem.message)


@login_required
def item_list(request):
    today = timezone.localdate()
    form = ListFilterForm(request.GET or None)
    on, category, search = today, "", ""
    if form.is_bound and form.is_valid():
        on = form.cleaned_data["on"] or today
        category = form.cleaned_data["category"]
        search = form.cleaned_data["q"]
    versions = selectors.item_list_on(on=on, category=category, search=search)
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/item_list.html",
        {
            "form": form,
            "page": page,
            "on": on,
            "today": today,
            "filtered": bool(category or search),
            "category_label": dict(Category.choices).get(category, ""),
            "query": query.urlencode(),
            "can_manage": request.user.has_perm(services.MANAGE_PERMISSION),
        },
    )


@login_required
def item_detail(request, pk: int):
    item = selectors.item_get(pk)
    if item is None:
        raise Http404("没有这个执法事项")
    today = timezone.localdate()
    as_of = AsOfForm(request.GET if "on" in request.GET else None)
    on = today
    if as_of.is_bound and as_of.is_valid() and as_of.cleaned_data["on"]:
        on = as_of.cleaned_data["on"]
    history = list(selectors.item_history(item))
    in_force_today = next((v.number for v in history if v.effective_from <= today), None)
    number = request.GET.get("v", "")
    if number.isdigit():
        version = selectors.item_version_get(item, int(number))
        if version is None:
            raise Http404("没有这个版本")
        picked_by = "number"
    else:
        version = selectors.item_version_on(item, on)
        picked_by = "date"
    for v in history:
        v.status = rules.version_status(
            number=v.number,
            effective_from=v.effective_from,
            in_force_number=in_force_today,
            on=today,
        )
        v.status_label = rules.VERSION_STATUS_LABELS[v.status]
    status = next((v.status for v in history if version and v.number == version.number), "")
    return render(
        request,
        "catalog/item_detail.html",
        {
            "item": item,
            "version": version,
            "history": history,
            "first_version": history[-1] if history else None,
            "as_of": as_of,
            "on": on,
            "today": today,
            "picked_by": picked_by,
            "status": status,
            "status_label": rules.VERSION_STATUS_LABELS.get(status, ""),
            "can_manage": request.user.has_perm(services.MANAGE_PERMISSION),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_create(request):
    _require_manager(request)
    agency = _agency_of(request.user)
    today = timezone.localdate()
    editor = VersionEditor(
        request.POST or None,
        agency=agency,
        with_code=True,
        effective_from=today,
        change_note="新增事项",
    )
    if request.method == "POST" and editor.is_valid():
        try:
            item = services.item_create(
                actor=request.user,
                agency=agency,
                code=editor.code.cleaned_data["code"],
                effective_from=editor.meta.cleaned_data["effective_from"],
                change_note=editor.meta.cleaned_data["change_note"],
                content=editor.content(),
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except DomainError as exc:
            _apply_error(editor, exc)
        else:
            messages.success(request, f"已新增执法事项 {item.code}。")
            return redirect("catalog:item_detail", pk=item.pk)
    return render(
        request,
        "catalog/version_form.html",
        {"editor": editor, "item": None, "latest": None, "today": today, "title": "新增执法事项"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def version_add(request, pk: int):
    _require_manager(request)
    item = selectors.item_get(pk)
    if item is None:
        raise Http404("没有这个执法事项")
    latest = selectors.item_latest_version(item)
    today = timezone.localdate()
    start = selectors.version_content(latest) if latest else None
    effective = max(today, latest.effective_from) if latest else today
    editor = VersionEditor(
        request.POST or None, agency=item.agency, start=start, effective_from=effective
    )
    if request.method == "POST" and editor.is_valid():
        try:
            version = services.item_version_add(
                actor=request.user,
                item=item,
                effective_from=editor.meta.cleaned_data["effective_from"],
                change_note=editor.meta.cleaned_data["change_note"],
                content=editor.content(),
            )
        except NotPermitted as exc:
            raise PermissionDenied(str(exc)) from None
        except DomainError as exc:
            _apply_error(editor, exc)
        else:
            messages.success(
                request,
                f"已新增 {item.code} 第{version.number}版，"
                f"自{rules.cn_date(version.effective_from)}起生效。",
            )
            return redirect(f"{reverse('catalog:item_detail', args=[item.pk])}?v={version.number}")
    return render(
        request,
        "catalog/version_form.html",
        {
            "editor": editor,
            "item": item,
            "latest": latest,
            "today": today,
            "title": f"{item.code} 新增版本",
        },
    )


@login_required
def first_offence_list(request):
    today = timezone.localdate()
    as_of = AsOfForm(request.GET if "on" in request.GET else None)
    on = today
    if as_of.is_bound and as_of.is_valid() and as_of.cleaned_data["on"]:
        on = as_of.cleaned_data["on"]
    return render(
        request,
        "catalog/first_offence_list.html",
        {
            "rules": selectors.first_offence_list_on(on=on),
            "as_of": as_of,
            "on": on,
            "today": today,
        },
    )

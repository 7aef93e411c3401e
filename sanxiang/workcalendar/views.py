"""Staff pages of the working-day calendar: parse, check permission, call a service, render."""

from __future__ import annotations

import functools
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sanxiang.ledger.selectors import events_of_subject
from sanxiang.lib.errors import DomainError

from . import rules, selectors, services
from .forms import NoticeEntry

VIEW = "workcalendar.view_workcalendaryear"
MANAGE = services.MANAGE

EVENT_LABELS = {
    "workcalendar.year_saved": "录入（草稿）",
    "workcalendar.year_confirmed": "确认为完整年度",
    "workcalendar.year_corrected": "更正",
    "workcalendar.year_discarded": "删除草稿",
}


def _requires(perm: str, reason: str):
    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(perm):
                raise PermissionDenied(reason)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


can_view = _requires(VIEW, "您没有查看工作日历的权限")
can_manage = _requires(MANAGE, "只有系统管理员可以录入、确认或更正法定节假日安排")


class ConfirmForm(forms.Form):
    checked = forms.BooleanField(
        label="我已对照国务院办公厅通知原文，逐项核对了放假日期和调休上班日期",
        error_messages={"required": "请先对照通知原文逐项核对，并勾选确认"},
    )


def _common(request) -> dict:
    return {
        "can_manage": request.user.has_perm(MANAGE),
        "alerts": selectors.calendar_alerts(timezone.localdate()),
    }


@can_view
def year_list(request):
    return render(
        request, "workcalendar/year_list.html", {"rows": selectors.year_list(), **_common(request)}
    )


@can_view
def year_detail(request, year: int):
    record = selectors.year_get(year)
    if record is None:
        raise Http404(f"尚未录入{year}年的节假日安排")
    overview, error = None, ""
    try:
        overview = rules.year_overview(year, selectors.year_days(year))
    except ValueError as exc:
        error = str(exc)
    unusual = None
    usual = selectors.usual_workdays()
    if overview and usual and not usual[0] - 2 <= overview.workdays <= usual[1] + 2:
        unusual = usual
    history = []
    for event in events_of_subject(record):
        data = json.loads(event.payload).get("data", {})
        history.append(
            {
                "at": event.at,
                "label": EVENT_LABELS.get(event.type, event.type),
                "actor": event.actor,
                "reason": data.get("reason", ""),
                "before": (data.get("before") or {}).get("workdays"),
                "after": (data.get("after") or {}).get("workdays"),
            }
        )
    return render(
        request,
        "workcalendar/year_detail.html",
        {
            "record": record,
            "overview": overview,
            "error": error,
            "unusual": unusual,
            "history": history,
            "confirm_form": ConfirmForm(),
            **_common(request),
        },
    )


def _entry_page(request, entry: NoticeEntry, *, record=None, before=None):
    """Preview (writes nothing) or save, then render the form again or go to the year page."""
    preview = None
    if request.method == "POST" and entry.is_valid():
        if request.POST.get("action") == "save":
            try:
                record = services.calendar_year_save(actor=request.user, **entry.service_kwargs())
            except DomainError as exc:
                entry.add_error(exc.field, exc.message)
            else:
                done = "已更正" if record.complete else "已保存为草稿，核对无误后请确认为完整年度"
                messages.success(request, f"{record.year}年的节假日安排{done}。")
                return redirect("workcalendar:year_detail", record.year)
        else:
            days = rules.notice_days(entry.block_list(), entry.makeup_list())
            preview = rules.year_overview(entry.year, days)
    return render(
        request,
        "workcalendar/year_form.html",
        {
            "entry": entry,
            "record": record,
            "preview": preview,
            "before": before,
            "usual_names": rules.USUAL_NAMES,
        },
    )


@can_manage
@require_http_methods(["GET", "POST"])
def year_new(request):
    taken = selectors.entered_years()
    if request.method == "POST":
        return _entry_page(request, NoticeEntry(request.POST, taken=taken))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = max(taken | {timezone.localdate().year}) + 1
    initial = {"year": year, "notice_title": f"国务院办公厅关于{year}年部分节假日安排的通知"}
    return _entry_page(request, NoticeEntry(initial=initial, taken=taken))


@can_manage
@require_http_methods(["GET", "POST"])
def year_edit(request, year: int):
    record = selectors.year_get(year)
    if record is None:
        raise Http404(f"尚未录入{year}年的节假日安排")
    days = selectors.year_days(year)
    blocks = rules.blocks_from_days({d: n for d, (w, n) in days.items() if not w})
    makeup = [rules.MakeupDay(d, n) for d, (w, n) in sorted(days.items()) if w]
    before = None
    if record.complete:
        try:
            before = rules.year_overview(year, days).workdays
        except ValueError:
            before = None
    entry = NoticeEntry(
        request.POST if request.method == "POST" else None,
        year=year,
        correcting=record.complete,
        initial={
            "year": year,
            "notice_title": record.notice_title,
            "notice_number": record.notice_number,
            "published_on": record.published_on,
        },
        blocks=blocks,
        makeup_days=makeup,
    )
    return _entry_page(request, entry, record=record, before=before)


@can_manage
@require_POST
def year_confirm(request, year: int):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["checked"][0])
        return redirect("workcalendar:year_detail", year)
    try:
        services.calendar_year_confirm(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{year}年的节假日安排已确认为完整年度，期限计算自即刻起使用该年度。"
        )
    return redirect("workcalendar:year_detail", year)


@can_manage
@require_POST
def year_discard(request, year: int):
    try:
        services.calendar_year_discard(actor=request.user, year=year)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("workcalendar:year_detail", year)
    messages.success(request, f"{year}年的节假日安排草稿已删除。")
    return redirect("workcalendar:year_list")

"""The public portal (行政执法公示平台): no login, GET only, Chinese, its own layout
(templates/portal/base.html). Views read through ``portal`` (published, masked data) and the
public selectors of other apps; nothing here can reach a case, a party or a complainant."""

from __future__ import annotations

import datetime as dt
import time

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import charts, forms, portal, portal_html, rules
from .models import PortalPage, State

# Revalidated on every visit: a withdrawal must show at once, not after a cache lifetime.
PUBLIC_CACHE = cache_control(no_cache=True)

_site_cache: tuple[float, dict] | None = None


def _site() -> dict:
    """Agency name and contact for the header and footer (kept 60 s per process)."""
    global _site_cache
    now = time.monotonic()
    if _site_cache is not None and now - _site_cache[0] < 60:
        return _site_cache[1]
    agency, _units = portal.agency_public()
    site = {
        "name": agency.name if agency else "行政执法公示平台",
        "phone": agency.phone if agency else "",
        "address": agency.address if agency else "",
    }
    _site_cache = (now, site)
    return site


_items_cache: tuple[float, list] | None = None


def _item_choices() -> list[tuple[str, str]]:
    """The catalogue for the filter (kept 60 s per process: it changes a few times a year)."""
    global _items_cache
    now = time.monotonic()
    if _items_cache is None or now - _items_cache[0] >= 60:
        _items_cache = (now, portal.item_choices())
    return _items_cache[1]


def _render(request, template: str, context: dict, *, status: int = 200, section: str = ""):
    context = {"site": _site(), "section": section, **context}
    return render(request, template, context, status=status)


@require_safe
@PUBLIC_CACHE
def home(request):
    today = timezone.localdate()
    return _render(
        request,
        "portal/home.html",
        {
            "latest": portal.latest_decisions(today=today),
            "withdrawals": portal.recent_withdrawals(),
            "reports": portal.reports()[:3],
        },
        section="home",
    )


@require_safe
@PUBLIC_CACHE
def agency(request):
    return _live_page(request, PortalPage.AGENCY)


@require_safe
@PUBLIC_CACHE
def items(request):
    from sanxiang.catalog.selectors import item_list_on

    today = timezone.localdate()
    versions = [v for v in item_list_on(on=today) if v.effective_from <= today]
    return _render(
        request, "portal/items.html", {"versions": versions, "today": today}, section="before"
    )


def _item(code: str):
    from sanxiang.catalog.models import Item

    item = Item.objects.filter(code=code).select_related("agency").first()
    if item is None:
        raise Http404("没有这个执法事项")
    return item


@require_safe
@PUBLIC_CACHE
def item(request, code: str):
    from sanxiang.catalog.selectors import item_history, item_version_get, item_version_on

    today = timezone.localdate()
    found = _item(code)
    current = item_version_on(found, today)
    if current is None:
        raise Http404("该执法事项尚未施行")
    version = item_version_get(found, current.number)
    history = [v for v in item_history(found) if v.effective_from <= today]
    return _render(
        request,
        "portal/item.html",
        {"item": found, "v": version, "history": history, "current": True, "today": today},
        section="before",
    )


@require_safe
@PUBLIC_CACHE
def item_version(request, code: str, number: int):
    from sanxiang.catalog.selectors import item_history, item_version_get, item_version_on

    today = timezone.localdate()
    found = _item(code)
    version = item_version_get(found, number)
    if version is None or version.effective_from > today:
        raise Http404("没有这个版本")
    current = item_version_on(found, today)
    history = [v for v in item_history(found) if v.effective_from <= today]
    return _render(
        request,
        "portal/item.html",
        {
            "item": found,
            "v": version,
            "history": history,
            "current": current is not None and current.pk == version.pk,
            "today": today,
        },
        section="before",
    )


@require_safe
@PUBLIC_CACHE
def procedure(request):
    return _live_page(request, PortalPage.PROCEDURE)


@require_safe
@PUBLIC_CACHE
def benchmarks(request):
    from sanxiang.catalog.selectors import item_list_on, item_version_get

    today = timezone.localdate()
    shown = [
        item_version_get(v.item, v.number)
        for v in item_list_on(on=today)
        if v.effective_from <= today and v.benchmark_status == "published" and v.tier_count
    ]
    return _render(request, "portal/benchmarks.html", {"versions": shown}, section="before")


@require_safe
@PUBLIC_CACHE
def remedies(request):
    return _live_page(request, PortalPage.REMEDIES)


@require_safe
@PUBLIC_CACHE
def officers(request):
    return _live_page(request, PortalPage.OFFICERS)


# --- 事前公开: live pages and their dated versions (国办发〔2018〕118号) ------------------------------

PAGE_PATHS = {page: f"/gongkai/{prefix}/" for page, prefix in portal.PAGE_PREFIXES.items()}
# The live random-inspection list is the inspections app's page; its versions are kept here.
LIVE_PATHS = {**PAGE_PATHS, PortalPage.RANDOM_ITEMS: "/public/inspections/items/"}
PAGE_TITLES = {PortalPage.PROCEDURE: "劳动保障监察案件办理流程"}


def _page_context(page: str, content: dict | None) -> dict:
    context = {
        "page": page,
        "label": PortalPage(page).label,
        "heading": PAGE_TITLES.get(page, PortalPage(page).label),
        "c": content,
        "partial": f"portal/pages/_{page}.html",
        "base_path": PAGE_PATHS[page],
        "live_path": LIVE_PATHS[page],
    }
    if page == PortalPage.PROCEDURE and content:
        context["chart"] = charts.flow_chart(
            content["steps"], title="劳动保障监察案件办理流程图", ident="flow"
        )
    return context


def _live_page(request, page: str):
    today = timezone.localdate()
    content = portal.page_content(page, on=today)
    latest = portal.snapshot_latest(page)
    same = (
        content is not None
        and latest is not None
        and latest.sha256 == rules.content_sha256(content)
    )
    return _render(
        request,
        "portal/page_live.html",
        {**_page_context(page, content), "today": today, "latest": latest, "same": same},
        section="before",
    )


def _asked_day(text: str) -> tuple[dt.date | None, str]:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, "请输入有效的日期，如 2026-05-01"
    if not portal.DATE_MIN <= day <= portal.DATE_MAX:
        return None, "日期超出范围"
    return day, ""


@require_safe
@PUBLIC_CACHE
def page_history(request, page: str):
    """历史版本 of a 事前公开 page; ``?on=2026-05-01`` opens the version public that day."""
    versions = portal.snapshots(page)
    asked = (request.GET.get("on") or "").strip()
    error, status = "", 200
    if asked:
        day, error = _asked_day(asked)
        status = 400 if error else 200
        if day is not None:
            number = portal.snapshot_number_on(page, day)
            if number is not None:
                return redirect(f"{PAGE_PATHS[page]}v{number}/")
            error, status = f"{day.year}年{day.month}月{day.day}日本平台尚未留存该页面的版本", 404
    rows = []
    for i, v in enumerate(versions):
        newer = versions[i - 1] if i else None
        rows.append({"v": v, "until": newer.published_at if newer else None})
    return _render(
        request,
        "portal/page_history.html",
        {**_page_context(page, None), "rows": rows, "asked": asked, "error": error},
        status=status,
        section="before",
    )


@require_safe
@PUBLIC_CACHE
def page_version(request, page: str, number: int):
    found = portal.snapshot_get(page, number)
    if found is None:
        raise Http404("没有这个版本")
    return _render(
        request,
        "portal/page_version.html",
        {
            **_page_context(page, found.content),
            "v": found,
            "newer": portal.snapshot_get_next(page, number),
        },
        section="before",
    )


@require_safe
@PUBLIC_CACHE
def history_index(request):
    """Every versioned 事前公开 page with its latest version."""
    pages = [
        {
            "label": PortalPage(page).label,
            "path": PAGE_PATHS[page],
            "latest": portal.snapshot_latest(page),
        }
        for page in PortalPage.values
    ]
    return _render(request, "portal/history_index.html", {"pages": pages}, section="before")


@require_safe
def officer_verify_form(request):
    form = forms.OfficerVerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("verify_officer:result", number=form.cleaned_data["number"].strip())
    return _render(
        request,
        "portal/officer_verify.html",
        {"form": form, "searched": False},
        status=400 if request.GET else 200,
        section="during",
    )


@require_safe
def officer_verify(request, number: str):
    today = timezone.localdate()
    results = portal.officer_status(number=number, on=today)
    return _render(
        request,
        "portal/officer_verify.html",
        {
            "form": forms.OfficerVerifyForm(initial={"number": number[:40]}),
            "results": results,
            "number": number[:40],
            "searched": True,
            "now": timezone.localtime(),
        },
        status=200 if results else 404,
        section="during",
    )


@require_safe
@PUBLIC_CACHE
def decisions(request):
    today = timezone.localdate()
    asked = portal.parse_search(request.GET)
    page = None
    if not asked.errors:
        page = portal.search_decisions(asked.q, asked.filters, after=asked.after, today=today)
    query = request.GET.copy()
    query.pop("after", None)
    return _render(
        request,
        "portal/decisions.html",
        {
            "asked": asked,
            "page": page,
            "query": query.urlencode(),
            "filters_html": portal_html.filters(asked, _item_choices()),
            "results_html": portal_html.results(page.rows) if page else "",
        },
        status=400 if asked.errors else 200,
        section="after",
    )


def _decision(pk: int):
    found = portal.decision_get(pk, today=timezone.localdate())
    if found is None:
        raise Http404("没有这条公示信息")
    return found


@require_safe
@PUBLIC_CACHE
def decision(request, pk: int):
    found = _decision(pk)
    versions = portal.decision_versions(found.entry) if found.showing else []
    return _render(
        request,
        "portal/decision.html",
        {
            "d": found,
            "e": found.entry,
            "versions": versions,
            "fields": _body_fields(found.entry.body) if found.showing else [],
            "withdrawn": found.entry.state == State.WITHDRAWN,
            "terminated": found.entry.state == State.TERMINATED,
        },
        status=200,
        section="after",
    )


def _body_fields(body: str) -> list[tuple[str, str]]:
    out = []
    for line in body.split("\n"):
        label, sep, text = line.partition("：")
        if sep and len(label) <= 12:
            out.append((label, text))
        elif out:
            out[-1] = (out[-1][0], out[-1][1] + "\n" + line)
        else:
            out.append(("", line))
    return out


@require_safe
@PUBLIC_CACHE
def decision_version(request, pk: int, number: int):
    found = _decision(pk)
    version = portal.decision_version(found.entry, number) if found.showing else None
    if version is None:
        raise Http404("没有这个版本")
    return _render(
        request,
        "portal/decision_version.html",
        {"e": found.entry, "v": version, "fields": _body_fields(version.body)},
        section="after",
    )


@require_safe
@PUBLIC_CACHE
def decision_pdf(request, pk: int):
    found = _decision(pk)
    if not found.showing or not found.entry.pdf:
        raise Http404("该公示信息已不在公示中")
    handle = default_storage.open(found.entry.pdf, "rb")
    name = f"gongkai-{found.entry.pk}-v{found.entry.version}.pdf"
    return FileResponse(handle, content_type="application/pdf", filename=name)


@require_safe
@PUBLIC_CACHE
def reports(request):
    return _render(request, "portal/reports.html", {"reports": portal.reports()}, section="after")


@require_safe
@PUBLIC_CACHE
def report(request, year: int):
    found = portal.report_get(year)
    if found is None:
        raise Http404("该年度统计年报尚未发布")
    data = found.data
    months = [f"{m}月" for m in range(1, 13)]
    return _render(
        request,
        "portal/report.html",
        {
            "r": found,
            "data": data,
            "types_chart": charts.bar_chart(
                [(row["label"], row["count"]) for row in data["penalty"]["rows"]],
                title=f"{year}年行政处罚决定按处罚种类（每件按最重的处罚种类计一次）",
                ident="types",
            ),
            "month_chart": charts.column_chart(
                data["penalty"]["monthly"],
                months,
                title=f"{year}年各月作出的行政处罚决定",
                ident="months",
            ),
            "months": list(zip(months, data["penalty"]["monthly"], strict=True)),
        },
        section="after",
    )


@require_safe
def verify(request):
    """Document verification (enter or scan a code) in the portal layout; the records app's
    selector decides what a code means."""
    from sanxiang.records import rules as record_rules
    from sanxiang.records.forms import VerifyForm
    from sanxiang.records.selectors import document_verification

    form = VerifyForm(request.GET or None)
    result = None
    status = 200
    if request.GET:
        if form.is_valid():
            result = document_verification(form.cleaned_data["code"])
            status = 200 if result is not None else 404
        else:
            status = 400
    return _render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "v": result,
            "searched": bool(request.GET) and form.is_valid(),
            "code": record_rules.group_code(form.cleaned_data["code"])
            if request.GET and form.is_valid()
            else "",
        },
        status=status,
        section="verify",
    )


@require_safe
@PUBLIC_CACHE
def about(request):
    return _render(
        request,
        "portal/about.html",
        {
            "publish_days": rules.PUBLISH_WORKDAYS,
            "withdraw_days": rules.WITHDRAW_WORKDAYS,
        },
        section="about",
    )

"""双随机、一公开 on the portal: no login, Chinese, only publishable data (selectors decide
what that is). Draw files are served byte-for-byte as hashed, so that anyone can re-run the
draw with tools/sanxiang-verify."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanxiang.lib.draw import ALGORITHM

from . import selectors
from .models import Plan, RiskTag, SeedSource

FILES = {
    "draw-input.json": "application/json; charset=utf-8",
    "draw-result.json": "application/json; charset=utf-8",
    "targets.jsonl": "application/x-ndjson; charset=utf-8",
    "inspectors.jsonl": "application/x-ndjson; charset=utf-8",
    "draw.zip": "application/zip",
}


@require_safe
def index(request):
    return render(
        request,
        "inspections/public/index.html",
        {"plans": selectors.public_plans(), "algorithm": ALGORITHM},
    )


@require_safe
def items(request):
    from sanxiang.registry.models import Agency

    today = timezone.localdate()
    agencies = Agency.objects.filter(is_active=True).order_by("name")
    lists = [(a, list(selectors.item_list(agency=a, on=today))) for a in agencies]
    return render(request, "inspections/public/items.html", {"lists": lists, "today": today})


def _plan(pk: int) -> Plan:
    try:
        return selectors.public_plan(pk)
    except Plan.DoesNotExist:
        raise Http404("没有该抽查计划") from None


@require_safe
def plan(request, pk: int):
    plan = _plan(pk)
    draw = selectors.plan_draw(plan)
    return render(
        request,
        "inspections/public/plan.html",
        {
            "plan": plan,
            "draw": draw,
            "seed": selectors.seed_status(plan, today=timezone.localdate()),
            "weights": [(RiskTag(k).label, v) for k, v in plan.weights.items()],
            "tasks": selectors.public_tasks(plan) if draw and draw.result else [],
            "ledger": plan.seed_source == SeedSource.LEDGER,
            "algorithm": ALGORITHM,
        },
    )


@require_safe
def plan_file(request, pk: int, name: str):
    if name not in FILES:
        raise Http404("没有该文件")
    plan = _plan(pk)
    draw = selectors.plan_draw(plan)
    if draw is None:
        raise Http404("名录库尚未冻结")
    if name == "draw.zip":
        data = selectors.draw_zip(draw)
    else:
        files = selectors.draw_files(draw)
        if name not in files:
            raise Http404("尚未抽取")
        data = files[name]
    response = HttpResponse(data, content_type=FILES[name])
    response["Content-Disposition"] = f'attachment; filename="{plan.pk}-{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def results(request):
    return render(request, "inspections/public/results.html", {"tasks": selectors.public_results()})


@require_safe
def verify_help(request):
    return render(request, "inspections/public/verify.html", {"algorithm": ALGORITHM})

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from .todo import todo_items_for


@login_required
def home(request):
    today = timezone.localdate()
    items = todo_items_for(request.user, today)
    counts = {
        "overdue": sum(1 for i in items if i.urgency == "overdue"),
        "soon": sum(1 for i in items if i.urgency == "soon"),
        "total": len(items),
    }
    return render(
        request, "workbench/home.html", {"items": items, "counts": counts, "today": today}
    )

"""System check: is the calendar of this year and (from 1 November) of next year entered?

Run by ``manage.py check --database default`` (exit status 1 on the error) and by ``migrate``.
"""

from __future__ import annotations

from datetime import date

from django.core import checks
from django.db import DatabaseError
from django.utils import timezone


def check_calendar_years(app_configs=None, databases=None, *, today: date | None = None, **kwargs):
    if not databases or "default" not in databases:
        return []  # database checks query only the databases they are given
    from .selectors import calendar_alerts

    today = today or timezone.localdate()
    try:
        alerts = calendar_alerts(today)
    except DatabaseError:
        return []  # not migrated yet (`migrate` runs this check before migrating)
    messages = []
    for alert in alerts:
        hint = "在“基础数据 → 工作日历”中录入国务院办公厅通知并确认（见 docs/workdays.md）。"
        if alert.draft:
            hint = f"{alert.year}年的安排已录入草稿，请核对后在年度页面点击“确认为完整年度”。"
        if alert.level == "error":
            messages.append(checks.Error(alert.message, hint=hint, id="workcalendar.E001"))
        else:
            messages.append(checks.Warning(alert.message, hint=hint, id="workcalendar.W001"))
    return messages

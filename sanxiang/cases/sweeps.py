"""Sweeps run by ``manage.py run_sweeps`` (see sanxiang/workbench/management/commands)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from sanxiang import ledger

from . import clocks


def refresh_unknown_deadlines(now: dt.datetime) -> str | None:
    """Clocks stored as 期限待定 get their due date once the missing year has been entered."""
    with transaction.atomic():
        fixed = clocks.refresh_unknown()
        if not fixed:
            return None
        ledger.record(
            actor=None, subject=None, type="cases.deadlines_refreshed", data={"count": fixed}
        )
    return f"{fixed}个期限已重新计算"

"""Periodic work for ``manage.py run_sweeps`` (PublicityConfig.sweeps). Sweeps only record and
collect: whether an item is overdue or its period over is derived at read time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def collect_sweep(now: dt.datetime) -> str | None:
    from .handlers import collect_pending

    done = collect_pending()
    return f"已采集公示信息 {done} 条" if done else None


def period_end_sweep(now: dt.datetime) -> str | None:
    from .services import period_end_record

    done = period_end_record(today=timezone.localdate(now))
    return f"已记录公示期满 {done} 条" if done else None

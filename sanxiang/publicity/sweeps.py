"""Periodic work for ``manage.py run_sweeps`` (PublicityConfig.sweeps). Sweeps only record and
collect: whether an item is overdue or its period over is derived at read time."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def collect_sweep(now: dt.datetime) -> str | None:
    from .handlers import collect_pending, note_pending_changes

    done, noted = collect_pending(), note_pending_changes()
    parts = [f"已采集公示信息 {done} 条"] * bool(done) + [f"已处理决定变更 {noted} 项"] * bool(
        noted
    )
    return "；".join(parts) or None


def period_end_sweep(now: dt.datetime) -> str | None:
    from .services import period_end_record

    done = period_end_record(today=timezone.localdate(now))
    return f"已记录公示期满 {done} 条" if done else None


def portal_snapshot_sweep(now: dt.datetime) -> str | None:
    """Keep a dated version of each 事前公开 page whose content changed (国办发〔2018〕118号)."""
    from .services import portal_snapshots_refresh

    made, _skipped = portal_snapshots_refresh(on=timezone.localdate(now))
    if not made:
        return None
    return "已留存事前公开内容新版本：" + "、".join(
        f"{s.get_page_display()}第{s.number}版" for s in made
    )

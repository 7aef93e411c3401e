"""Periodic work for ``manage.py run_sweeps`` (listed in RecordsConfig.sweeps)."""

from __future__ import annotations

import datetime as dt
import time

from django.db.models import F, Q

from . import config, services, tus
from .models import Evidence


def fixity_sweep(now: dt.datetime) -> str | None:
    """Re-hash stored evidence files, the least recently checked first (never-checked files
    first of all), each at most once per RECORDS_FIXITY_INTERVAL_DAYS (default 30), within
    RECORDS_FIXITY_SECONDS (default 60) per run — a run always checks at least one due file,
    however large. Each result is a FixityCheck row; a mismatch is also a ledger event and
    a 我的待办 entry for the system administrator, and `ledger verify --files` reports it."""
    budget = config.fixity_seconds()
    due_before = now - config.fixity_interval()
    due = (
        Evidence.objects.filter(
            Q(fixity_checked_at__isnull=True) | Q(fixity_checked_at__lt=due_before)
        )
        .order_by(F("fixity_checked_at").asc(nulls_first=True), "pk")
        .only("pk", "storage_name", "size", "sha256", "sm3", "fixity_ok")
    )
    started = time.monotonic()
    checked = failed = 0
    for evidence in due.iterator(chunk_size=100):
        check = services.fixity_check(evidence=evidence, now=now)
        checked += 1
        failed += 0 if check.ok else 1
        if time.monotonic() - started >= budget:
            break
    if not checked:
        return None
    return f"证据文件完整性校验：{checked} 个文件，{failed} 个不一致"


def upload_expiry_sweep(now: dt.datetime) -> str | None:
    """Remove resumable uploads abandoned for RECORDS_UPLOAD_EXPIRY_HOURS (default 72)."""
    removed = tus.expire_uploads(now)
    return f"清除过期的未完成上传：{removed} 个" if removed else None

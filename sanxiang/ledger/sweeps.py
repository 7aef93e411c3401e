"""Periodic work of the ledger, run by ``manage.py run_sweeps`` (see LedgerConfig.sweeps),
and the lease that keeps two ``run_sweeps`` processes from running one sweep at once.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.db import IntegrityError, transaction

from . import selectors, services
from .models import SweepLease

DEFAULT_CHECKPOINT_INTERVAL = 600  # seconds; the issue asks for at least hourly


def checkpoint_interval() -> dt.timedelta:
    seconds = getattr(settings, "LEDGER_CHECKPOINT_INTERVAL", DEFAULT_CHECKPOINT_INTERVAL)
    return dt.timedelta(seconds=int(seconds))


def checkpoint_sweep(now: dt.datetime) -> str | None:
    """Sign a checkpoint when entries were added since the last one and it is older than
    LEDGER_CHECKPOINT_INTERVAL (default 10 minutes). Nothing new, nothing signed."""
    latest = selectors.latest_checkpoint()
    if latest is not None:
        if latest.size >= selectors.tree_size():
            return None
        if now - latest.created_at < checkpoint_interval():
            return None
    checkpoint = services.checkpoint_issue(now=now)
    return f"已签发检查点：树大小 {checkpoint.size}"


@contextlib.contextmanager
def lease(name: str, *, holder: str, ttl: dt.timedelta, now: dt.datetime) -> Iterator[bool]:
    """Yield True if ``holder`` may run sweep ``name`` now (and hold it for up to ``ttl``).

    The lease row is locked while it is taken (PostgreSQL row lock; SQLite's IMMEDIATE
    transaction serialises writers), so of two processes only one gets True. A holder that
    dies keeps it until ``ttl`` runs out.
    """
    acquired = False
    try:
        with transaction.atomic():
            row = SweepLease.objects.select_for_update().filter(name=name).first()
            if row is None:
                SweepLease.objects.create(name=name, holder=holder, until=now + ttl)
                acquired = True
            elif row.holder == holder or row.until is None or row.until <= now:
                row.holder, row.until = holder, now + ttl
                row.save(update_fields=["holder", "until"])
                acquired = True
    except IntegrityError:  # another process created the row first
        acquired = False
    try:
        yield acquired
    finally:
        if acquired:
            SweepLease.objects.filter(name=name, holder=holder).update(until=None, holder="")

"""Ledger test helpers: the ledger's URLs, recording events, and raw SQL behind the
append-only triggers (what an administrator with database access could do)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from sanxiang import ledger
from sanxiang.ledger import triggers


@pytest.fixture
def record(db):
    """record(n, subject=..., type=..., actor=...) appends n events, each in its own
    transaction as services do; returns the events."""

    def make(
        n: int = 1,
        *,
        subject=("cases.case", "1"),
        type="case.step_recorded",  # noqa: A002
        actor=None,
        data=None,
    ):
        events = []
        for i in range(n):
            with transaction.atomic():
                events.append(
                    ledger.record(
                        actor=actor,
                        subject=subject,
                        type=type,
                        data=data or {"i": i, "name": "测试"},
                    )
                )
        return events

    return make


def tamper(sql: str, params=()) -> None:
    """Run raw SQL with the append-only triggers dropped (and put back afterwards)."""
    with triggers.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)

"""Ledger subscriptions: handlers run after commit, never on rollback, and a failing handler
does not undo the recorded change."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from sanxiang import ledger
from sanxiang.ledger import subscriptions
from sanxiang.ledger.models import Event

pytestmark = pytest.mark.django_db

seen: list[tuple[str, int]] = []


def handler(event) -> None:
    seen.append((event.type, event.seq))


def failing(event) -> None:
    raise RuntimeError("处理失败")


@pytest.fixture(autouse=True)
def _subscribed():
    seen.clear()
    ledger.subscribe("test.happened", handler)
    ledger.subscribe("test.happened", handler)  # twice: still once
    ledger.subscribe("test.failed", failing)
    ledger.subscribe("test.failed", f"{__name__}.handler")  # by dotted path, after the failure
    yield
    subscriptions.unsubscribe("test.happened", handler)
    subscriptions.unsubscribe("test.failed", failing)
    subscriptions.unsubscribe("test.failed", f"{__name__}.handler")


def test_the_handler_runs_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = ledger.record(actor=None, subject=None, type="test.happened", data={})
            assert seen == []  # not inside the recording transaction
    assert seen == [("test.happened", event.seq)]


def test_no_handler_runs_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            ledger.record(actor=None, subject=None, type="test.happened", data={})
            1 / 0  # noqa: B018
    assert seen == []


def test_other_event_types_are_not_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            ledger.record(actor=None, subject=None, type="test.other", data={})
    assert seen == []


def test_a_failing_handler_is_logged_and_the_next_one_still_runs(
    django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            event = ledger.record(actor=None, subject=None, type="test.failed", data={})
    assert Event.objects.filter(seq=event.seq).exists()  # the change stands
    assert seen == [("test.failed", event.seq)]
    assert "账本订阅处理失败" in caplog.text and "test.failed" in caplog.text

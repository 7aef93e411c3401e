"""The database itself refuses UPDATE and DELETE of ledger rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from sanxiang.ledger import services, triggers
from sanxiang.ledger.management.commands import flush as ledger_flush
from sanxiang.ledger.models import Event

STATEMENTS = [
    "UPDATE ledger_event SET type = 'case.forged' WHERE seq = 0",
    "UPDATE ledger_event SET payload = '{}'",
    "DELETE FROM ledger_event WHERE seq = 1",
    "UPDATE ledger_node SET hash = hash",
    "DELETE FROM ledger_node",
    "UPDATE ledger_subject SET \"key\" = '99'",
    "DELETE FROM ledger_subject",
    "UPDATE ledger_checkpoint SET size = size + 1",
    "DELETE FROM ledger_checkpoint",
]


@pytest.fixture
def filled(record):
    record(4)
    services.checkpoint_issue()


@pytest.mark.parametrize("sql", STATEMENTS)
def test_raw_update_and_delete_are_refused_by_the_database(filled, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert Event.objects.count() == 4


def test_triggers_are_installed_by_the_migrations(db):
    assert triggers.installed(connection)


@pytest.mark.django_db(transaction=True)
def test_truncate_of_a_non_empty_ledger_table_is_refused_on_postgresql(record):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE exists only on PostgreSQL")
    record(4)  # committed: no pending constraint checks in the way
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE ledger_event CASCADE")


def test_flush_refuses_to_empty_a_ledger_outside_tests(filled, monkeypatch):
    monkeypatch.setattr(ledger_flush, "_in_test_run", lambda: False)
    with pytest.raises(CommandError, match="账本只能追加"):
        call_command("flush", interactive=False, verbosity=0)
    assert Event.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_can_flush_a_filled_ledger(record):
    # pytest-django flushes the database after this test: the project's flush command lifts
    # the triggers for a test database and puts them back (checked by the next test).
    record(3)
    assert Event.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_triggers_are_back_after_a_flush(record):
    assert triggers.installed(connection)
    assert not Event.objects.exists()
    record(1)  # the head row was re-created by post_migrate after the flush
    assert Event.objects.get().seq == 0

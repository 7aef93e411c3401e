"""Database triggers that make the ledger tables append-only (issue 3, point 3).

The models already refuse ``save()`` of an existing row, ``delete()`` and queryset
``update()/delete()``; these triggers refuse the same through raw SQL, for anyone who reaches
the database with the application's account:

* SQLite: ``BEFORE UPDATE`` and ``BEFORE DELETE`` triggers that ``RAISE(ABORT, …)``;
* PostgreSQL: a PL/pgSQL function raising ``restrict_violation`` on every row UPDATE/DELETE
  and on TRUNCATE of a non-empty ledger table (truncating an empty one loses nothing).

A database superuser can still drop a trigger; that is why every row is also in a signed
Merkle tree and ``manage.py ledger verify`` finds any change. Migration 0003 installs
version 1 of the SQL below; change it only in a new migration with new names.
"""

from __future__ import annotations

import contextlib

APPEND_ONLY_TABLES = ("ledger_subject", "ledger_event", "ledger_node", "ledger_checkpoint")

_SQLITE_MESSAGE = "账本只能追加，不能修改或删除 (ledger tables are append-only)"

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    has_rows boolean;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', TG_TABLE_NAME) INTO has_rows;
        IF NOT has_rows THEN
            RETURN NULL;
        END IF;
    END IF;
    RAISE EXCEPTION '%: 账本只能追加，拒绝 % (ledger tables are append-only)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END
$$;
"""


def _sqlite_create(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table}: {_SQLITE_MESSAGE}'); END"
        for op in ("UPDATE", "DELETE")
    ]


def _pg_create(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()",
    ]


def create_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [sql for table in APPEND_ONLY_TABLES for sql in _sqlite_create(table)]
    if vendor == "postgresql":
        return [_PG_FUNCTION] + [sql for table in APPEND_ONLY_TABLES for sql in _pg_create(table)]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def drop_statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_{op}"
            for table in APPEND_ONLY_TABLES
            for op in ("update", "delete")
        ]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
            for table in APPEND_ONLY_TABLES
            for name in ("append_only", "no_truncate")
        ] + ["DROP FUNCTION IF EXISTS ledger_append_only()"]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def install(connection) -> None:
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor):
            cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for sql in drop_statements(connection.vendor):
            cursor.execute(sql)


def installed(connection) -> bool:
    """True if every append-only trigger exists."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'ledger_%'"
            )
            return cursor.fetchone()[0] == 2 * len(APPEND_ONLY_TABLES)
        cursor.execute(
            "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'"
            " AND tgname LIKE 'ledger_%%'"
        )
        return cursor.fetchone()[0] == 2 * len(APPEND_ONLY_TABLES)


@contextlib.contextmanager
def suspended(connection):
    """Run a block with the triggers removed (test databases and tamper tests only)."""
    uninstall(connection)
    try:
        yield
    finally:
        install(connection)

"""``flush`` that respects the append-only ledger.

Django's ``flush`` (also run by every transactional test after each test) empties all
tables; the ledger's triggers refuse that, by design. This command, which overrides
Django's for this project, therefore:

* refuses, with a Chinese message, to empty a database whose ledger holds entries — unless
  it is a test database (Django's test set-up is active), where it lifts the triggers for
  the flush and puts them back afterwards;
* otherwise behaves exactly like Django's ``flush``.
"""

from __future__ import annotations

from django.core import mail
from django.core.management.base import CommandError
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections

from sanxiang.ledger import triggers
from sanxiang.lib.cli import ChineseErrorsMixin


def _in_test_run() -> bool:
    # django.test.utils.setup_test_environment() (Django's runner and pytest-django) installs
    # the in-memory mail outbox; nothing else does.
    return hasattr(mail, "outbox")


def _ledger_has_rows(connection) -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in triggers.APPEND_ONLY_TABLES:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


class Command(ChineseErrorsMixin, flush.Command):
    help = flush.Command.help + " 账本（只能追加）非空时拒绝执行，测试数据库除外。"

    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if not _ledger_has_rows(connection):
            return super().handle(**options)
        if not _in_test_run():
            raise CommandError(
                "账本只能追加：数据库中已有账本记录，拒绝清空（flush）。"
                "如确需重建，请新建数据库并执行 migrate。"
            )
        with triggers.suspended(connection):
            return super().handle(**options)

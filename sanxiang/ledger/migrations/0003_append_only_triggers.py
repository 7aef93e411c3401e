"""Append-only triggers on the ledger tables (SQLite and PostgreSQL; see ledger/triggers.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from sanxiang.ledger import triggers

    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from sanxiang.ledger import triggers

    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_tree_checkpoints")]

    operations = [migrations.RunPython(install, uninstall)]

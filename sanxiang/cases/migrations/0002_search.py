"""Substring search of the staff case list (summary, registration and case numbers, party
names) without reading the wide case rows (TECH-NOTES §6), per database:

- SQLite: two FTS5 tables with the ``trigram`` tokenizer — ``cases_case_fts`` (rowid = case
  id; the summary, and the registration and case numbers) and ``cases_party_fts`` (rowid = party
  id; name, case id) — kept equal to the base tables by triggers in the same statement, so a
  bulk insert, an import or a raw correction is indexed too. ``LIKE '%term%'`` on them uses the
  trigram index for terms of 3+ characters and scans the narrow index table for shorter ones.
- PostgreSQL: ``pg_trgm`` GIN indexes on ``UPPER(column)`` — exactly the expression Django's
  ``icontains`` compares — so the ORM query needs no vendor branch there.
Other databases get nothing; search then scans.
"""

from django.db import migrations

_CASE_TEXT = "new.summary, coalesce(new.registration_no, '') || ' ' || coalesce(new.case_no, '')"

SQLITE = [
    "CREATE VIRTUAL TABLE cases_case_fts USING fts5(summary, numbers, tokenize='trigram')",
    "CREATE VIRTUAL TABLE cases_party_fts USING fts5(name, case_id UNINDEXED, tokenize='trigram')",
    "CREATE TRIGGER cases_case_fts_ai AFTER INSERT ON cases_case BEGIN"
    f" INSERT INTO cases_case_fts(rowid, summary, numbers) VALUES (new.id, {_CASE_TEXT}); END",
    "CREATE TRIGGER cases_case_fts_au AFTER UPDATE OF summary, registration_no, case_no"
    " ON cases_case BEGIN"
    " DELETE FROM cases_case_fts WHERE rowid = old.id;"
    f" INSERT INTO cases_case_fts(rowid, summary, numbers) VALUES (new.id, {_CASE_TEXT}); END",
    "CREATE TRIGGER cases_case_fts_ad AFTER DELETE ON cases_case BEGIN"
    " DELETE FROM cases_case_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER cases_party_fts_ai AFTER INSERT ON cases_party BEGIN"
    " INSERT INTO cases_party_fts(rowid, name, case_id) VALUES (new.id, new.name, new.case_id);"
    " END",
    "CREATE TRIGGER cases_party_fts_au AFTER UPDATE OF name, case_id ON cases_party BEGIN"
    " DELETE FROM cases_party_fts WHERE rowid = old.id;"
    " INSERT INTO cases_party_fts(rowid, name, case_id) VALUES (new.id, new.name, new.case_id);"
    " END",
    "CREATE TRIGGER cases_party_fts_ad AFTER DELETE ON cases_party BEGIN"
    " DELETE FROM cases_party_fts WHERE rowid = old.id; END",
    # Rows that exist before this migration.
    "INSERT INTO cases_case_fts(rowid, summary, numbers) SELECT id, summary,"
    " coalesce(registration_no, '') || ' ' || coalesce(case_no, '') FROM cases_case",
    "INSERT INTO cases_party_fts(rowid, name, case_id) SELECT id, name, case_id FROM cases_party",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_party_fts_ad",
    "DROP TRIGGER IF EXISTS cases_party_fts_au",
    "DROP TRIGGER IF EXISTS cases_party_fts_ai",
    "DROP TRIGGER IF EXISTS cases_case_fts_ad",
    "DROP TRIGGER IF EXISTS cases_case_fts_au",
    "DROP TRIGGER IF EXISTS cases_case_fts_ai",
    "DROP TABLE IF EXISTS cases_party_fts",
    "DROP TABLE IF EXISTS cases_case_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cases_case_summary_trgm ON cases_case"
    " USING gin (UPPER(summary::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS cases_case_regno_trgm ON cases_case"
    " USING gin (UPPER(registration_no::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS cases_case_caseno_trgm ON cases_case"
    " USING gin (UPPER(case_no::text) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS cases_party_name_trgm ON cases_party"
    " USING gin (UPPER(name::text) gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS cases_party_name_trgm",
    "DROP INDEX IF EXISTS cases_case_caseno_trgm",
    "DROP INDEX IF EXISTS cases_case_regno_trgm",
    "DROP INDEX IF EXISTS cases_case_summary_trgm",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]

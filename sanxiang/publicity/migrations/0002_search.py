"""Chinese full-text search over published, masked text (TECH-NOTES §6), per database:

- SQLite: an FTS5 external-content table with the ``trigram`` tokenizer over
  ``publicity_portalentry.search_text``, keyed by ``sort_key`` (so MATCH results come out in
  list order), kept up to date by triggers that index a row only while it is published — a
  withdrawn or ended entry leaves the index in the same statement that changes its state;
- PostgreSQL: ``pg_trgm`` and a partial GIN index on the same column for published rows (the
  database's LC_CTYPE must be a UTF-8 locale; system check publicity.W001).
Other databases get no index; search then scans.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE publicity_entry_fts USING fts5("
    "search_text, content='publicity_portalentry', content_rowid='sort_key', tokenize='trigram')",
    "CREATE TRIGGER publicity_entry_fts_ai AFTER INSERT ON publicity_portalentry"
    " WHEN new.state = 'published' BEGIN"
    " INSERT INTO publicity_entry_fts(rowid, search_text) VALUES (new.sort_key, new.search_text);"
    " END",
    "CREATE TRIGGER publicity_entry_fts_ad AFTER DELETE ON publicity_portalentry"
    " WHEN old.state = 'published' BEGIN"
    " INSERT INTO publicity_entry_fts(publicity_entry_fts, rowid, search_text)"
    " VALUES ('delete', old.sort_key, old.search_text);"
    " END",
    "CREATE TRIGGER publicity_entry_fts_au AFTER UPDATE OF state, search_text, sort_key"
    " ON publicity_portalentry BEGIN"
    " INSERT INTO publicity_entry_fts(publicity_entry_fts, rowid, search_text)"
    " SELECT 'delete', old.sort_key, old.search_text WHERE old.state = 'published';"
    " INSERT INTO publicity_entry_fts(rowid, search_text)"
    " SELECT new.sort_key, new.search_text WHERE new.state = 'published';"
    " END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS publicity_entry_fts_au",
    "DROP TRIGGER IF EXISTS publicity_entry_fts_ad",
    "DROP TRIGGER IF EXISTS publicity_entry_fts_ai",
    "DROP TABLE IF EXISTS publicity_entry_fts",
]
POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS publicity_entry_trgm ON publicity_portalentry"
    " USING gin (search_text gin_trgm_ops) WHERE state = 'published'",
]
POSTGRES_REVERSE = ["DROP INDEX IF EXISTS publicity_entry_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("publicity", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]

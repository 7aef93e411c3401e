"""System checks: Chinese full-text search needs SQLite FTS5 with the trigram tokenizer
(SQLite ≥ 3.34) or a PostgreSQL database whose LC_CTYPE is a UTF-8 locale (TECH-NOTES §6.2:
pg_trgm extracts no trigrams from Chinese under ctype C)."""

from __future__ import annotations

from django.core import checks
from django.db import connection


@checks.register(checks.Tags.database, deploy=True)
def check_search_backend(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases:
        return []
    problems = []
    try:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
                ctype = (cur.fetchone() or [""])[0]
                if "utf" not in ctype.lower():
                    problems.append(
                        checks.Warning(
                            f"数据库 LC_CTYPE 为 {ctype}：pg_trgm 无法为中文建立三元组索引，"
                            "公示检索将逐行扫描",
                            hint="以 LC_CTYPE 'C.UTF-8'（或 zh_CN.UTF-8）重新创建数据库",
                            id="publicity.W001",
                        )
                    )
            elif connection.vendor == "sqlite":
                import sqlite3

                if sqlite3.sqlite_version_info < (3, 34):
                    problems.append(
                        checks.Error(
                            f"SQLite {sqlite3.sqlite_version} 没有 FTS5 trigram 分词器（需要 3.34 以上）",
                            id="publicity.E001",
                        )
                    )
    except Exception:  # no database yet: nothing to say
        return []
    return problems

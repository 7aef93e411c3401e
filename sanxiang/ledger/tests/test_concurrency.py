"""Several OS processes recording at once: the sequence stays gap-free and the stored tree
consistent (PostgreSQL: row lock on the head; SQLite: IMMEDIATE transactions)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from sanxiang.ledger import selectors
from sanxiang.ledger.models import Event, Head
from sanxiang.ledger.verify import verify_ledger
from sanxiang.lib import merkle

ROOT = Path(__file__).resolve().parents[3]
WORKER = Path(__file__).with_name("concurrency_worker.py")
WORKERS, EACH = 4, 40


def run_workers(env: dict, tmp_path: Path) -> None:
    start = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), str(w), str(EACH), str(start)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        for w in range(WORKERS)
    ]
    start.touch()
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()


def base_env(tmp_path: Path) -> dict:
    env = dict(os.environ)
    env.update(
        SANXIANG_VAR_DIR=str(tmp_path / "var"),
        LEDGER_KEY_FILE=str(tmp_path / "var" / "ledger" / "log.key"),
        DJANGO_SETTINGS_MODULE="sanxiang.settings",
        LOG_LEVEL="WARNING",
    )
    return env


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_on_postgresql_give_a_gap_free_consistent_log(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with DATABASE_URL=postgres://… (SQLite: see below)")
    db = connection.settings_dict  # the test database pytest-django created (test_<NAME>)
    auth = quote(db["USER"] or "") + (":" + quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    env = base_env(tmp_path)
    env["DATABASE_URL"] = (
        f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    run_workers(env, tmp_path)

    total = WORKERS * EACH
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(range(total))
    assert Head.objects.get().size == total
    entries = [bytes(e) for e in Event.objects.order_by("seq").values_list("entry", flat=True)]
    assert selectors.root_at(total) == merkle.InMemoryTree.from_entries(entries).root()
    assert verify_ledger().events == total


def test_concurrent_processes_on_a_sqlite_file_give_a_gap_free_consistent_log(tmp_path):
    env = base_env(tmp_path)
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    run_workers(env, tmp_path)

    total = WORKERS * EACH
    with sqlite3.connect(tmp_path / "var" / "sanxiang.sqlite3") as db:
        seqs = [row[0] for row in db.execute("SELECT seq FROM ledger_event ORDER BY seq")]
        entries = [row[0] for row in db.execute("SELECT entry FROM ledger_event ORDER BY seq")]
    assert seqs == list(range(total))
    tree = merkle.InMemoryTree.from_entries(entries)
    done = subprocess.run([*manage, "ledger", "checkpoint"], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.split("\n")[1:3] == [str(total), merkle_b64(tree.root())]
    verified = subprocess.run([*manage, "ledger", "verify"], env=env, cwd=ROOT,
                              capture_output=True, text=True)  # fmt: skip
    assert verified.returncode == 0, verified.stderr


def merkle_b64(h: bytes) -> str:
    import base64

    return base64.b64encode(h).decode()

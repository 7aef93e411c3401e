"""Parallel verify (aligned chunks in worker processes) finds exactly what one process finds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction

from sanxiang import ledger
from sanxiang.ledger import services, triggers, verify
from sanxiang.ledger.tree import node_key


def _tamper(sql: str, params=()) -> None:
    with triggers.suspended(connection), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _broken(**kwargs) -> verify.LedgerBroken:
    with pytest.raises(verify.LedgerBroken) as info:
        verify.verify_ledger(**kwargs)
    return info.value


def exercise() -> None:
    """Runs against whatever database is configured; the caller provides a committed one."""
    verify.CHUNK_LEVEL, verify.CHUNK = 3, 8  # chunks of 8 entries, so 50 entries make 7
    for i in range(50):
        with transaction.atomic():
            ledger.record(
                actor=None, subject=("cases.case", str(i % 3)), type="case.filed", data={"i": i}
            )
        if i + 1 in (12, 16, 37):
            services.checkpoint_issue()
    services.checkpoint_issue()
    assert verify._parallel_possible(2, 50)
    one = verify.verify_ledger(workers=1)
    two = verify.verify_ledger(workers=2)
    assert (one.events, one.nodes, one.root, one.checkpoints) == (
        two.events,
        two.nodes,
        two.root,
        two.checkpoints,
    )
    three = verify.verify_ledger(workers=2, from_seq=13)  # unaligned start, then chunks
    assert three.root == one.root

    # a node above the chunks (level 4, leaves 16..31) is checked by the main process
    _tamper("UPDATE ledger_node SET hash = %s WHERE id = %s", [b"\x07" * 32, node_key(4, 1)])
    broken = _broken(workers=2)
    assert broken.seq == 31 and "第 4 层第 1 个" in broken.message
    assert _broken(workers=1).seq == 31
    _tamper("UPDATE ledger_node SET hash = %s WHERE id = %s", [one_node_hash(4, 1), node_key(4, 1)])
    assert verify.verify_ledger(workers=2).root == one.root

    # an entry inside a chunk
    _tamper(
        "UPDATE ledger_event SET payload = replace(payload, '\"i\":21', '\"i\":22') WHERE seq = 21"
    )
    assert _broken(workers=2).seq == 21
    # a deleted entry
    _tamper("DELETE FROM ledger_event WHERE seq = 5")
    assert _broken(workers=2).seq == 5


def one_node_hash(level: int, index: int) -> bytes:
    from sanxiang.ledger.models import Event
    from sanxiang.lib import merkle

    entries = [bytes(e) for e in Event.objects.order_by("seq").values_list("entry", flat=True)]
    return merkle.InMemoryTree.from_entries(entries).get(level, index)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_verify_on_postgresql(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (SQLite: the file-database test below)")
    monkeypatch.setattr(verify, "CHUNK_LEVEL", 3)
    monkeypatch.setattr(verify, "CHUNK", 8)
    exercise()


def test_parallel_verify_on_a_sqlite_file(tmp_path):
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.update(
        SANXIANG_VAR_DIR=str(tmp_path),
        LEDGER_KEY_FILE=str(tmp_path / "ledger" / "log.key"),
        LOG_LEVEL="WARNING",
    )
    script = Path(__file__).with_name("parallel_verify_script.py")
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("OK"), done.stdout + done.stderr

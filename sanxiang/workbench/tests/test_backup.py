"""A backup is proved, not assumed: ``backup check`` restores it into a scratch database and
verifies the ledger and every stored file there (等保 2.0 三级: 数据备份与恢复; DOMAIN.md §10.2).
Real database (SQLite or PostgreSQL as the run uses), real files, real subprocesses."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from sanxiang.cases.tests.conftest import flow, items, p  # noqa: F401  (fixtures)
from sanxiang.lib.errors import DomainError
from sanxiang.workbench import backup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stored(flow, settings, tmp_path):  # noqa: F811
    """A case with ledger entries and one stored evidence-like file under MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    f = flow().registered().assigned()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("documents/test/scan.pdf", ContentFile(b"%PDF-1.4 scan\n"))
    default_storage.save("uploads/part-1", ContentFile(b"partial upload"))
    return f, name


def test_a_backup_restores_into_a_scratch_database_with_the_same_ledger(stored, tmp_path):
    f, name = stored
    made = backup.create(tmp_path / "backups")
    manifest = json.loads((made.folder / "manifest.json").read_text())
    paths = {e["path"] for e in manifest["files"]}
    assert f"media/{name}" in paths and not any(x.startswith("media/uploads") for x in paths)
    assert manifest["ledger"] == backup.ledger_head() and manifest["ledger"]["size"] > 0

    checked = backup.check(made.folder)
    assert checked.ok, checked.problems
    assert checked.ledger == manifest["ledger"]
    assert "账本完整" in checked.verify_output


def test_a_changed_missing_or_extra_file_fails_the_check(stored, tmp_path):
    f, name = stored
    made = backup.create(tmp_path / "backups")
    target = made.folder / "media" / name
    data = bytearray(target.read_bytes())
    data[0] ^= 1
    target.write_bytes(bytes(data))
    (made.folder / "media" / "extra.bin").write_bytes(b"x")
    problems = backup.check(made.folder).problems
    assert f"文件与清单不一致：media/{name}" in problems
    assert "清单之外多出的文件：media/extra.bin" in problems
    target.unlink()
    assert f"缺少文件：media/{name}" in backup.check(made.folder).problems


def test_a_backup_whose_database_lost_a_ledger_row_fails_after_restore(stored, tmp_path):
    """The database copy is restored and the ledger recomputed: a deleted entry is found even
    though the file hashes were recomputed to match (someone rewrote the manifest)."""
    import hashlib
    import sqlite3

    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("edits the SQLite copy in place")
    made = backup.create(tmp_path / "backups")
    db = made.folder / "db.sqlite3"
    with sqlite3.connect(db) as con:
        con.execute("DROP TRIGGER IF EXISTS ledger_event_no_delete")
        for (trigger,) in con.execute(
            "SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='ledger_event'"
        ).fetchall():
            con.execute(f'DROP TRIGGER "{trigger}"')
        con.execute("DELETE FROM ledger_event WHERE seq = (SELECT MAX(seq) FROM ledger_event)")
    manifest = json.loads((made.folder / "manifest.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == "db.sqlite3":
            entry["sha256"] = hashlib.sha256(db.read_bytes()).hexdigest()
            entry["size"] = db.stat().st_size
    (made.folder / "manifest.json").write_text(json.dumps(manifest))
    problems = backup.check(made.folder).problems
    assert problems and problems[0].startswith("恢复后的账本")


def test_the_command_reports_in_chinese(stored, tmp_path, capsys):
    call_command("backup", "create", str(tmp_path / "b"))
    out = capsys.readouterr().out
    assert "备份完成" in out and "签名私钥未包含在备份中" in out
    folder = next((tmp_path / "b").iterdir())
    call_command("backup", "check", str(folder))
    assert "备份可恢复" in capsys.readouterr().out
    with pytest.raises(CommandError, match="不是备份目录"):
        call_command("backup", "check", str(tmp_path))
    with pytest.raises(DomainError, match="备份目录已存在"):
        import datetime as dt

        from django.utils import timezone

        now = timezone.now()
        backup.create(tmp_path / "c", now=now)
        backup.create(tmp_path / "c", now=now + dt.timedelta(microseconds=1))

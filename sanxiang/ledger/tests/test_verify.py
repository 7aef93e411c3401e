"""manage.py ledger verify: exit 0 when intact; exit 1 naming the first bad spot after any
change made behind the application's back (raw SQL with the triggers dropped)."""

from __future__ import annotations

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

from sanxiang import ledger
from sanxiang.ledger import services, verify
from sanxiang.ledger.models import Event, Subject
from sanxiang.ledger.tree import node_key

from .conftest import tamper


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_info:
        return exit_info.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def log(record, personas):
    """30 events on three subjects, two checkpoints (at 12 and 30)."""
    for i in range(12):
        record(1, subject=("cases.case", str(i % 3)), actor=personas.zhangming, data={"i": i})
    services.checkpoint_issue()
    for i in range(12, 30):
        record(1, subject=("cases.case", str(i % 3)) if i % 5 else None, data={"i": i})
    services.checkpoint_issue()


def test_intact_ledger_verifies(log):
    code, out, err = run_verify()
    assert code == 0, err
    assert "账本完整" in out and "30 条记录" in out and "2 个检查点" in out


def test_empty_ledger_verifies(db):
    assert run_verify()[0] == 0


def test_changed_payload_names_the_entry(log):
    tamper("UPDATE ledger_event SET payload = replace(payload, '\"i\":7', '\"i\":8') WHERE seq = 7")
    code, _, err = run_verify()
    assert code == 1
    assert "seq=7" in err and "第 7 条记录" in err and "承诺值" in err


def test_changed_salt_names_the_entry(log):
    tamper("UPDATE ledger_event SET salt = %s WHERE seq = 20", [b"\x00" * 32])
    code, _, err = run_verify()
    assert code == 1 and "第 20 条记录" in err


def test_payload_moved_to_another_entry_is_found(log):
    # Entry 5's payload and salt copied onto entry 6, with entry 6's public entry and leaf
    # rebuilt to match: the payload still says seq 5.
    e5 = Event.objects.get(seq=5)
    tamper(
        "UPDATE ledger_event SET payload = %s, salt = %s WHERE seq = 6",
        [e5.payload, bytes(e5.salt)],
    )
    code, _, err = run_verify()
    assert code == 1 and "第 6 条记录" in err and "载荷所载" in err


def test_deleted_row_names_the_gap(log):
    tamper("DELETE FROM ledger_event WHERE seq = 17")
    code, _, err = run_verify()
    assert code == 1 and "序号 17 的记录缺失" in err and "seq=17" in err


def test_deleted_tail_under_a_checkpoint_is_found(log):
    tamper("DELETE FROM ledger_event WHERE seq >= 28")
    tamper("UPDATE ledger_head SET size = 28")
    code, _, err = run_verify()
    assert code == 1 and "序号 28 起的记录被删除" in err


def test_rows_hidden_beyond_a_lowered_head_are_found(record):
    record(5)
    tamper("UPDATE ledger_head SET size = 3")
    code, _, err = run_verify()
    assert code == 1 and "序号 3 的记录超出账本大小" in err


def test_back_dated_time_names_the_entry(log):
    tamper("UPDATE ledger_event SET at = %s WHERE seq = 9", ["2020-01-01 00:00:00"])
    code, _, err = run_verify()
    assert code == 1 and "第 9 条记录" in err


def test_changed_type_names_the_entry(log):
    tamper("UPDATE ledger_event SET type = 'case.withdrawn' WHERE seq = 3")
    code, _, err = run_verify()
    assert code == 1 and "第 3 条记录" in err


def test_swapped_subject_names_the_entry(log):
    other = Subject.objects.exclude(pk=Event.objects.get(seq=4).subject_id).first()
    tamper("UPDATE ledger_event SET subject_id = %s WHERE seq = 4", [other.pk])
    code, _, err = run_verify()
    assert code == 1 and "第 4 条记录" in err


def test_rewritten_public_entry_names_the_entry(log):
    tamper("UPDATE ledger_event SET entry = %s WHERE seq = 11", [b'{"v":1}'])
    code, _, err = run_verify()
    assert code == 1 and "第 11 条记录" in err


def test_changed_tree_node_names_the_entry_that_completed_it(log):
    tamper("UPDATE ledger_node SET hash = %s WHERE id = %s", [b"\x01" * 32, node_key(2, 1)])
    code, _, err = run_verify()
    assert code == 1 and "第 7 条记录" in err and "第 2 层第 1 个" in err


def test_extra_tree_node_is_found(log):
    tamper("INSERT INTO ledger_node (id, hash) VALUES (%s, %s)", [10_000, b"\x02" * 32])
    code, _, err = run_verify()
    assert code == 1 and "多出的默克尔树节点" in err


def test_rewritten_history_fails_against_the_signed_checkpoint(log):
    # Rewrite entry 3 *consistently* (payload, entry, leaf and all nodes above it): every
    # row agrees with every other, but not with the checkpoints signed before.
    from sanxiang.ledger import formats
    from sanxiang.lib import merkle

    event = Event.objects.get(seq=3)
    payload = event.payload.replace('"i":3', '"i":333').encode()
    entry = bytes(event.entry).replace(
        formats.entry_object(bytes(event.entry))["commitment"].encode(),
        formats.commitment(bytes(event.salt), payload).hex().encode(),
    )
    entries = [bytes(e) for e in Event.objects.order_by("seq").values_list("entry", flat=True)]
    entries[3] = entry
    forged = merkle.InMemoryTree.from_entries(entries)
    tamper(
        "UPDATE ledger_event SET payload = %s, entry = %s, leaf_hash = %s WHERE seq = 3",
        [payload.decode(), entry, forged.leaf_hash(3)],
    )
    for level, index in [(1, 1), (2, 0), (3, 0), (4, 0)]:
        if (index + 1) << level <= 30:
            tamper(
                "UPDATE ledger_node SET hash = %s WHERE id = %s",
                [forged.get(level, index), node_key(level, index)],
            )
    code, _, err = run_verify()
    assert code == 1 and "检查点（树大小 12）的根哈希与重算结果不符" in err


def test_forged_checkpoint_signature_is_found(log):
    tamper("UPDATE ledger_checkpoint SET note = replace(note, '— ', '— x') WHERE size = 12")
    code, _, err = run_verify()
    assert code == 1 and "检查点（树大小 12）" in err


def test_verify_from_a_sequence_number(log):
    tamper("UPDATE ledger_event SET payload = replace(payload, '\"i\":2', '\"i\":9') WHERE seq = 2")
    assert run_verify("--from", "20")[0] == 0  # the damage lies before the start
    assert run_verify("--from", "0")[0] == 1


@pytest.fixture
def stored_file(record):
    content = b"%PDF-1.7 \xe8\xaf\x81\xe6\x8d\xae" + bytes(range(256)) * 64
    name = default_storage.save("evidence/2026/a.pdf", ContentFile(content))
    with transaction.atomic():
        ledger.record(
            actor=None,
            subject=("records.evidence", "1"),
            type="evidence.added",
            data={
                "files": [
                    {
                        "path": name,
                        "sha256": hashlib.sha256(content).hexdigest(),
                        "sm3": hashlib.new("sm3", content).hexdigest(),
                        "size": len(content),
                    }
                ]
            },
        )
    record(2)
    return name


def test_verify_files_rehashes_stored_files(stored_file):
    code, out, err = run_verify("--files")
    assert code == 0, err
    assert "1 个文件" in out


def test_swapped_bytes_of_a_stored_file_name_the_file(stored_file, settings):
    path = settings.MEDIA_ROOT / stored_file
    data = bytearray(path.read_bytes())
    data[100], data[101] = data[101], data[100]
    path.write_bytes(bytes(data))
    assert run_verify()[0] == 0  # without --files the log itself is intact
    code, _, err = run_verify("--files")
    assert code == 1 and stored_file in err and "第 0 条记录" in err and "SHA-256" in err


def test_missing_stored_file_is_named(stored_file, settings):
    (settings.MEDIA_ROOT / stored_file).unlink()
    code, _, err = run_verify("--files")
    assert code == 1 and stored_file in err and "缺失" in err


def test_verify_streams_in_batches(log):
    report = verify.verify_ledger(batch=7)
    assert (report.events, report.checkpoints) == (30, 2)
    assert report.nodes == 30 - bin(30).count("1")


def test_no_progress_bar_when_not_on_a_terminal(log):
    code, out, err = run_verify()
    assert code == 0 and "\r" not in out + err


def test_tampered_head_frontier_is_found(log):
    tamper("UPDATE ledger_head SET frontier = %s", [b"\x05" * 32 * bin(30).count("1")])
    code, _, err = run_verify()
    assert code == 1 and "右边界" in err


def test_progress_bar_draws_on_one_line():
    from sanxiang.ledger.management.commands.ledger import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream, width=10)
    bar(5, 10)
    bar(10, 10)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n") and "100%" in text and "10/10" in text

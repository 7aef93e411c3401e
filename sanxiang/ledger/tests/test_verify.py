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


# --- the fast loop and the reference loop ---------------------------------------------------
# verify._scan checks each batch with verify._fast_batch and, at the first discrepancy, has the
# batch checked again by verify._exact_batch (which names the first bad entry). Every tamper test
# above therefore also shows that the fast loop notices the change; these show that it accepts
# exactly what the reference loop accepts, with the same result, for any batch shape.


@pytest.fixture
def checkpointed_log(record, personas):
    """45 events, some without a subject, checkpoints at many sizes (aligned and not)."""
    for i in range(45):
        subject = ("cases.case", str(i % 4)) if i % 6 else None
        record(1, subject=subject, actor=personas.zhangming if i % 2 else None, data={"i": i})
        if i + 1 in (1, 5, 8, 13, 16, 29, 32, 33):
            services.checkpoint_issue()
    services.checkpoint_issue()


def _scan_both(monkeypatch, lo, hi, *, stack, limit, batch, sizes):
    fast = verify._scan(lo, hi, stack=list(stack), limit=limit, checkpoint_sizes=sizes,
                        files=False, batch=batch)  # fmt: skip
    with monkeypatch.context() as patched:
        patched.setattr(verify, "_fast_batch", lambda *args, **kwargs: False)
        exact = verify._scan(lo, hi, stack=list(stack), limit=limit, checkpoint_sizes=sizes,
                             files=False, batch=batch)  # fmt: skip
    return fast, exact


def _same(fast, exact):
    assert fast.rechecked == 0 and exact.rechecked > 0
    assert (fast.events, fast.nodes, fast.stack, fast.partials, fast.upper) == (
        exact.events, exact.nodes, exact.stack, exact.partials, exact.upper
    )  # fmt: skip


@pytest.mark.parametrize("batch", [1, 2, 4, 7, 8, 16, 16384])
@pytest.mark.parametrize("lo", [0, 3, 13, 16])
def test_fast_loop_agrees_with_the_reference_loop(checkpointed_log, monkeypatch, batch, lo):
    sizes = frozenset(size for size in (1, 5, 8, 13, 16, 29, 32, 33, 45) if size > lo)
    fast, exact = _scan_both(monkeypatch, lo, 45, stack=verify._start(lo), limit=None,
                             batch=batch, sizes=sizes)  # fmt: skip
    _same(fast, exact)
    assert set(fast.partials) == sizes


@pytest.mark.parametrize("batch", [2, 3, 8, 16384])
def test_fast_loop_agrees_in_parallel_chunks(checkpointed_log, monkeypatch, batch):
    """Chunk mode (limit): nodes inside the chunk checked, those above it handed back."""
    sizes = frozenset((1, 5, 8, 13, 16, 29, 32, 33, 45))
    for chunk_lo in range(0, 45, 8):
        fast, exact = _scan_both(monkeypatch, chunk_lo, min(chunk_lo + 8, 45), stack=[],
                                 limit=3, batch=batch, sizes=sizes)  # fmt: skip
        _same(fast, exact)
        if chunk_lo + 8 in (16, 32):  # the last leaf of chunks 1 and 3 completes nodes above
            assert fast.upper


@pytest.mark.parametrize("batch", [4, 7, 8, 16384])
@pytest.mark.parametrize("from_seq", [0, 13])
def test_intact_ledger_verifies_in_the_fast_loop(checkpointed_log, batch, from_seq):
    report = verify.verify_ledger(batch=batch, from_seq=from_seq)
    assert report.rechecked == 0
    assert (report.events, report.checkpoints) == (45 - from_seq, 9)
    assert report.root == verify.verify_ledger().root


def test_whole_second_times_verify_in_the_fast_loop(record, monkeypatch):
    # SQLite stores a time without a fraction as "YYYY-MM-DD HH:MM:SS" (19 characters).
    import datetime as dt

    moment = dt.datetime(2026, 11, 27, 2, 15, 7, tzinfo=dt.UTC)
    monkeypatch.setattr(services.timezone, "now", lambda: moment)
    events = record(3)
    assert all(
        bytes(event.entry).count(b'"time":"2026-11-27T02:15:07.000000Z"') for event in events
    )
    report = verify.verify_ledger()
    assert (report.events, report.rechecked) == (3, 0)


def test_fast_loop_formats_match_the_formats_module(checkpointed_log):
    """The loops' inline format strings are formats.payload_suffix and formats.entry_bytes:
    the stored rows, made by those functions, verify without a recheck."""
    from sanxiang.ledger import formats

    event = Event.objects.select_related("subject").get(seq=7)
    time = formats.time_text(event.at)
    subject = formats.subject_json(event.subject.kind, event.subject.key)
    assert event.payload.encode().endswith(
        formats.payload_suffix(seq=7, subject=subject, time=time, type=event.type)
    )
    assert verify.verify_ledger().rechecked == 0


def test_changed_leaf_hash_names_the_entry(log):
    tamper("UPDATE ledger_event SET leaf_hash = %s WHERE seq = 13", [b"\x03" * 32])
    code, _, err = run_verify()
    assert code == 1 and "第 13 条记录" in err and "叶哈希" in err


def test_event_of_a_missing_subject_names_the_entry(log):
    # The foreign key is checked at commit; a database administrator can still do this.
    subject_id = Event.objects.get(seq=4).subject_id
    tamper("UPDATE ledger_event SET subject_id = 999999 WHERE seq = 4")
    code, _, err = run_verify()
    tamper("UPDATE ledger_event SET subject_id = %s WHERE seq = 4", [subject_id])  # for teardown
    assert code == 1 and "第 4 条记录" in err and "不存在" in err


def test_non_integer_node_key_names_the_entry(log):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores a fraction in an integer column")
    tamper("UPDATE ledger_node SET id = id + 0.5 WHERE id = %s", [node_key(2, 1)])
    code, _, err = run_verify()
    assert code == 1 and "第 7 条记录" in err and "第 2 层第 1 个" in err


def test_non_integer_sequence_number_is_found(log):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("only SQLite stores a fraction in an integer column")
    tamper("UPDATE ledger_event SET seq = 5.5 WHERE seq = 5")
    code, _, err = run_verify()
    assert code == 1 and "序号 5 的记录缺失" in err

"""ledger.record(): gap-free sequence, stored tree, opaque public entries, append-only rows."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.ledger import formats, selectors, services, tree
from sanxiang.ledger.models import AppendOnlyError, Event, Head, Node, Subject
from sanxiang.lib import merkle


def stored_tree_matches_entries() -> None:
    """Every stored node equals the node of a tree rebuilt from the stored entries."""
    entries = [bytes(e) for e in Event.objects.order_by("seq").values_list("entry", flat=True)]
    reference = merkle.InMemoryTree.from_entries(entries)
    stored = {key: bytes(h) for key, h in Node.objects.values_list("id", "hash")}
    expected = {}
    for m in range(len(entries)):
        for level, index, h in merkle.append_nodes(m, reference.leaf_hash(m), reference.get)[1:]:
            expected[tree.node_key(level, index)] = h
    assert stored == expected
    assert selectors.root_at(len(entries)) == reference.root()


def test_sequence_is_gap_free_and_the_stored_tree_matches(record):
    events = record(37)
    assert [e.seq for e in events] == list(range(37))
    assert Head.objects.get().size == 37
    stored_tree_matches_entries()


def test_rolled_back_transaction_gives_its_number_back(record):
    record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        ledger.record(actor=None, subject=None, type="case.filed", data={})
        raise RuntimeError("the service failed after recording")
    assert record(1)[0].seq == 2
    assert list(Event.objects.values_list("seq", flat=True)) == [0, 1, 2]
    stored_tree_matches_entries()


def test_record_outside_a_transaction_is_refused(transactional_db):
    with pytest.raises(services.LedgerUsageError):
        ledger.record(actor=None, subject=None, type="case.filed", data={})
    assert not Event.objects.exists()


@pytest.mark.parametrize("bad", ["case", "Case.Filed", "case filed", "案件.立案", ""])
def test_bad_event_type_is_refused(db, bad):
    with pytest.raises(services.LedgerUsageError), transaction.atomic():
        ledger.record(actor=None, subject=None, type=bad, data={})


def test_unencodable_data_writes_nothing(db):
    with pytest.raises(TypeError), transaction.atomic():
        ledger.record(actor=None, subject=None, type="case.filed", data={"amount": 1.5})
    assert not Event.objects.exists() and Head.objects.get().size == 0


def test_time_never_goes_backwards(record, settings):
    future = timezone.now() + dt.timedelta(hours=1)
    Head.objects.filter(pk=1).update(last_at=future)  # e.g. the clock was ahead before
    event = record(1)[0]
    assert event.at == future


def test_public_entry_carries_no_personal_data(record, personas):
    event = record(
        1,
        actor=personas.zhangming,
        subject=personas.lihua,
        data={"id_number": "140524199001011234"},
    )[0]
    entry = json.loads(bytes(event.entry))
    assert set(entry) == {"commitment", "seq", "subject", "time", "type", "v"}
    text = bytes(event.entry).decode()
    for secret in ("张明", "zhangming", "李华", "lihua", "140524199001011234", "accounts.user"):
        assert secret not in text
    subject = Subject.objects.get(kind="accounts.user", key=str(personas.lihua.pk))
    assert entry["subject"] == subject.ref.hex


def test_a_party_given_payload_and_salt_can_check_the_commitment(record):
    event = Event.objects.get(seq=record(1, data={"fine": "5000.00", "party": "某建筑公司"})[0].seq)
    payload, salt = event.payload.encode(), bytes(event.salt)
    entry = json.loads(bytes(event.entry))
    assert formats.commitment(salt, payload).hex() == entry["commitment"]
    parsed = json.loads(payload)
    assert (parsed["seq"], parsed["time"], parsed["type"]) == (
        entry["seq"],
        entry["time"],
        entry["type"],
    )
    assert merkle.leaf_hash(bytes(event.entry)) == bytes(event.leaf_hash)


def test_same_subject_same_ref_different_subject_different_ref(record):
    a1, a2 = record(2, subject=("cases.case", "7"))
    (b,) = record(1, subject=("cases.case", "8"))
    ref = lambda e: json.loads(bytes(e.entry))["subject"]  # noqa: E731
    assert ref(a1) == ref(a2) != ref(b)


def test_ledger_rows_refuse_update_and_delete_in_the_orm(record):
    event = Event.objects.get(seq=record(1)[0].seq)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        Event.objects.filter(seq=0).update(type="x.y")
    with pytest.raises(AppendOnlyError):
        Event.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Node.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        Subject.objects.all().update(key="x")


def test_proof_selectors_agree_with_an_independent_tree(record):
    events = record(21)
    reference = merkle.InMemoryTree.from_entries(bytes(e.entry) for e in events)
    for size in (1, 5, 16, 21):
        assert selectors.root_at(size) == reference.root(size)
        for index in range(size):
            assert selectors.inclusion_proof(index, size) == reference.inclusion_proof(index, size)
        for old in range(size + 1):
            assert selectors.consistency_proof(old, size) == reference.consistency_proof(old, size)


def test_proof_selectors_read_the_tree_in_one_query(record, django_assert_num_queries):
    record(40)
    with django_assert_num_queries(1):
        selectors.inclusion_proof(17, 40)
    with django_assert_num_queries(1):
        selectors.consistency_proof(13, 40)
    with django_assert_num_queries(1):
        selectors.root_at(39)


def test_append_refuses_a_head_whose_frontier_does_not_fit_its_size(record):
    from .conftest import tamper

    record(3)
    tamper("UPDATE ledger_head SET frontier = %s", [b""])
    with pytest.raises(services.LedgerIntegrityError, match="右边界"), transaction.atomic():
        ledger.record(actor=None, subject=None, type="case.filed", data={})


def test_head_frontier_is_the_compact_range_of_the_stored_tree(record):
    record(11)
    frontier = bytes(Head.objects.get().frontier)
    assert frontier == b"".join(
        services.fetch_nodes(merkle.nodes_for_root(11))[n] for n in merkle.nodes_for_root(11)
    )

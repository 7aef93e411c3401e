"""Signed checkpoints (c2sp.org/tlog-checkpoint): key on first use, idempotent per size,
never two inconsistent checkpoints; the sweep and run_sweeps."""

from __future__ import annotations

import datetime as dt
import io
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from sanxiang.ledger import keys, selectors, services, sweeps
from sanxiang.ledger.models import Checkpoint, Event, SweepLease
from sanxiang.lib import merkle, notes

from .conftest import tamper


def test_key_is_created_on_first_use_private_to_the_owner(db, settings, tmp_path):
    settings.LEDGER_KEY_FILE = tmp_path / "new" / "dir" / "log.key"
    verifier = keys.log_verifier()
    path = settings.LEDGER_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert verifier.name == settings.LEDGER_KEY_NAME
    assert notes.parse_signer_key(path.read_text().strip()).verifier == verifier
    assert keys.log_verifier() == verifier  # the same key next time


def test_a_world_readable_key_file_is_refused(db, settings):
    keys.log_signer()
    settings.LEDGER_KEY_FILE.chmod(0o644)
    keys._cache.clear()
    with pytest.raises(ImproperlyConfigured, match="0600"):
        keys.log_signer()


def test_a_key_file_for_another_name_is_refused(db, settings):
    keys.log_signer()
    settings.LEDGER_KEY_NAME = "another.example/log"
    with pytest.raises(ImproperlyConfigured, match="LEDGER_KEY_NAME"):
        keys.log_signer()


def test_checkpoint_is_a_signed_note_over_the_current_root(record, settings):
    events = record(6)
    checkpoint = services.checkpoint_issue()
    opened = notes.open_checkpoint(
        checkpoint.note, [keys.log_verifier()], origin=settings.LEDGER_ORIGIN
    )
    root = merkle.InMemoryTree.from_entries(bytes(e.entry) for e in events).root()
    assert (opened.size, opened.root) == (6, root)
    assert bytes(checkpoint.root) == root
    assert checkpoint.note.startswith(f"{settings.LEDGER_ORIGIN}\n6\n")
    assert f"\n\n— {settings.LEDGER_KEY_NAME} " in checkpoint.note


def test_one_checkpoint_per_size(record):
    record(3)
    first = services.checkpoint_issue()
    again = services.checkpoint_issue()
    assert again.note == first.note and Checkpoint.objects.count() == 1
    record(1)
    assert services.checkpoint_issue().size == 4
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [3, 4]


def test_refuses_to_sign_after_an_entry_under_a_checkpoint_was_rewritten(record):
    record(5)
    services.checkpoint_issue()
    record(2)
    # An administrator rewrites entry 2's leaf and the stored nodes above it consistently,
    # so that the current tree looks fine on its own but no longer extends the checkpoint.
    events = [bytes(e) for e in Event.objects.order_by("seq").values_list("entry", flat=True)]
    events[2] = events[2].replace(b'"seq":2', b'"seq":2 ')
    forged = merkle.InMemoryTree.from_entries(events)
    from sanxiang.ledger.tree import node_key

    for level, index in [(1, 1), (2, 0)]:
        tamper(
            "UPDATE ledger_node SET hash = %s WHERE id = %s",
            [forged.get(level, index), node_key(level, index)],
        )
    tamper("UPDATE ledger_event SET leaf_hash = %s WHERE seq = 2", [forged.leaf_hash(2)])
    with pytest.raises(services.LedgerIntegrityError, match="拒绝签发"):
        services.checkpoint_issue()
    assert Checkpoint.objects.count() == 1


def test_refuses_to_sign_when_entries_under_a_checkpoint_were_removed(record):
    record(4)
    services.checkpoint_issue()
    tamper("DELETE FROM ledger_event WHERE seq = 3")
    tamper("UPDATE ledger_head SET size = 3")
    with pytest.raises(services.LedgerIntegrityError, match="被删除"):
        services.checkpoint_issue()


def test_refuses_to_sign_when_a_stored_checkpoint_signature_is_forged(record):
    record(2)
    checkpoint = services.checkpoint_issue()
    forged = checkpoint.note.replace("\n2\n", "\n1\n", 1)
    tamper("UPDATE ledger_checkpoint SET note = %s WHERE size = 2", [forged])
    record(1)
    with pytest.raises(services.LedgerIntegrityError, match="签名无效"):
        services.checkpoint_issue()


def test_ledger_checkpoint_command_prints_the_note(record):
    record(2)
    out = io.StringIO()
    call_command("ledger", "checkpoint", stdout=out)
    assert out.getvalue() == selectors.latest_checkpoint().note


def test_sweep_signs_only_when_new_entries_exist_and_the_interval_passed(record, settings):
    settings.LEDGER_CHECKPOINT_INTERVAL = 600
    now = timezone.now()
    assert sweeps.checkpoint_sweep(now) is not None  # first checkpoint: empty log, size 0
    assert sweeps.checkpoint_sweep(now + dt.timedelta(hours=2)) is None  # nothing new
    record(2)
    assert sweeps.checkpoint_sweep(now + dt.timedelta(minutes=5)) is None  # too soon
    assert "树大小 2" in sweeps.checkpoint_sweep(now + dt.timedelta(minutes=11))
    assert list(Checkpoint.objects.values_list("size", flat=True)) == [0, 2]


def test_lease_lets_one_holder_run_a_sweep_at_a_time(db):
    now = timezone.now()
    ttl = dt.timedelta(minutes=5)
    with sweeps.lease("x", holder="a", ttl=ttl, now=now) as first:
        with sweeps.lease("x", holder="b", ttl=ttl, now=now) as second:
            assert first and not second
    with sweeps.lease("x", holder="b", ttl=ttl, now=now) as later:
        assert later  # released after the first finished
    SweepLease.objects.update(holder="dead", until=now + ttl)
    with sweeps.lease("x", holder="c", ttl=ttl, now=now) as blocked:
        assert not blocked
    with sweeps.lease("x", holder="c", ttl=ttl, now=now + ttl + dt.timedelta(seconds=1)) as expired:
        assert expired  # a crashed holder's lease runs out


def test_run_sweeps_once_runs_the_registered_sweeps(record):
    record(3)
    out = io.StringIO()
    call_command("run_sweeps", "--once", stdout=out)
    assert selectors.latest_checkpoint().size == 3
    assert "checkpoint_sweep" in out.getvalue()
    assert not SweepLease.objects.filter(holder__gt="").exists()  # released


def test_run_sweeps_once_exits_1_when_a_sweep_fails(record, monkeypatch):
    record(1)

    def broken(now):
        raise RuntimeError("boom")

    monkeypatch.setattr(sweeps, "checkpoint_sweep", broken)
    with pytest.raises(SystemExit) as exit_info:
        call_command("run_sweeps", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_info.value.code == 1


def test_a_tsa_url_is_not_silently_ignored(settings):
    from sanxiang.ledger import checks

    settings.LEDGER_TSA_URL = ""
    assert checks.tsa_not_implemented() == []
    settings.LEDGER_TSA_URL = "http://tsa.example/"
    (warning,) = checks.tsa_not_implemented()
    assert warning.id == "ledger.W001" and "尚未实现" in warning.msg

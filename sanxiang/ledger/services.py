"""Writes to the ledger: events (:func:`event_record`) and signed checkpoints
(:func:`checkpoint_issue`). Nothing else writes ledger rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from sanxiang.lib import merkle, notes

from . import formats, keys, subscriptions
from .models import Checkpoint, Event, Head, Subject
from .tree import TreeBuilder, node_key

logger = logging.getLogger(__name__)


class LedgerUsageError(RuntimeError):
    """A programming error in a caller (outside a transaction, bad event type, unsaved subject)."""


class LedgerIntegrityError(RuntimeError):
    """The stored log is not what was signed: someone changed or removed ledger rows.

    Raised instead of signing, so that the log never signs two inconsistent checkpoints
    (c2sp.org/tlog-checkpoint "Signatures"). The message is Chinese and names the spot.
    """


# --- subjects -------------------------------------------------------------------------------


def subject_key(subject: Any) -> tuple[str, str] | None:
    """(kind, key) for a model instance, a ``(kind, key)`` pair, or None."""
    if subject is None:
        return None
    if isinstance(subject, Model):
        if subject.pk is None:
            raise LedgerUsageError("save the subject before recording an event about it")
        return subject._meta.label_lower, str(subject.pk)
    kind, key = subject
    return str(kind), str(key)


# --- the tree -------------------------------------------------------------------------------


def fetch_nodes(nodes: list[merkle.Node], *, cursor=None) -> dict[merkle.Node, bytes]:
    """The stored hashes of these perfect subtrees, in one query (level 0 from
    ``ledger_event.leaf_hash``, higher levels from ``ledger_node``; see tree.py).

    Raises LedgerIntegrityError if one is missing (a row removed behind the triggers' back).
    """
    nodes = list(dict.fromkeys(nodes))
    if not nodes:
        return {}
    leaves = [index for level, index in nodes if level == 0]
    inner = {node_key(level, index): (level, index) for level, index in nodes if level > 0}
    parts, params = [], []
    if inner:
        parts.append(
            f"SELECT 1, id, hash FROM ledger_node WHERE id IN ({', '.join(['%s'] * len(inner))})"
        )
        params += list(inner)
    if leaves:
        parts.append(
            "SELECT 0, seq, leaf_hash FROM ledger_event"
            f" WHERE seq IN ({', '.join(['%s'] * len(leaves))})"
        )
        params += leaves
    if cursor is None:
        with connection.cursor() as own:
            own.execute(" UNION ALL ".join(parts), params)
            rows = own.fetchall()
    else:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    found = {(inner[key] if table else (0, key)): bytes(h) for table, key, h in rows}
    if len(found) != len(nodes):
        level, index = sorted(set(nodes) - found.keys())[0]
        if level == 0:
            raise LedgerIntegrityError(f"序号 {index} 的记录缺失（账本数据被删除）")
        raise LedgerIntegrityError(
            f"默克尔树节点缺失：第 {level} 层第 {index} 个节点（账本数据被删除）"
        )
    return found


def _lock_head() -> Head:
    """The head row, locked until the end of the transaction (PostgreSQL: row lock; SQLite:
    the IMMEDIATE transaction already holds the database write lock)."""
    head = Head.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Migration 0001 and the post_migrate handler create it; a flushed test database
        # may not have it yet. get_or_create is race-safe (primary key).
        Head.objects.get_or_create(pk=1)
        head = Head.objects.select_for_update().get(pk=1)
    return head


# The append path is plain SQL: through the ORM one append cost ~1.8 ms on the development
# machine, four times the 0.5 ms that the 2,000 appends/s budget allows (bench/ledger.py).
_SQL = {
    # The head row (locked) and the subject's id and public ref, in one round trip.
    "head": (
        "SELECT h.size, h.last_at, h.frontier, s.id, s.ref FROM ledger_head h"
        ' LEFT JOIN ledger_subject s ON s.kind = %s AND s."key" = %s WHERE h.id = 1'
    ),
    "event": (
        "INSERT INTO ledger_event (seq, at, type, actor_id, subject_id, payload, salt, entry,"
        " leaf_hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
    ),
    "head_update": "UPDATE ledger_head SET size = %s, last_at = %s, frontier = %s WHERE id = 1",
}
_EVENT_FIELDS = [
    "seq", "at", "type", "actor_id", "subject_id", "payload", "salt", "entry", "leaf_hash",
]  # fmt: skip


def _head_row(cursor, key: tuple[str, str] | None) -> tuple:
    """(size, last_at, frontier, subject id, subject ref) with the head row locked."""
    sql = _SQL["head"] + (" FOR UPDATE OF h" if connection.features.has_select_for_update else "")
    params = list(key) if key is not None else [None, None]
    cursor.execute(sql, params)
    row = cursor.fetchone()
    if row is None:
        _lock_head()
        cursor.execute(sql, params)
        row = cursor.fetchone()
    size, last_at, frontier, subject_id, ref = row
    if last_at is not None and not isinstance(last_at, dt.datetime):
        last_at = connection.ops.convert_datetimefield_value(last_at, None, connection)
    elif last_at is not None and timezone.is_naive(last_at):
        last_at = timezone.make_aware(last_at, dt.UTC)
    return size, last_at, bytes(frontier or b""), subject_id, ref


def _frontier(size: int, frontier: bytes) -> list[bytes]:
    hashes = [frontier[i : i + 32] for i in range(0, len(frontier), 32)]
    if len(frontier) % 32 or len(hashes) != size.bit_count():
        raise LedgerIntegrityError(
            f"账本头的树右边界与树大小 {size} 不符（账本头被改动），拒绝追加；"
            "请运行 python manage.py ledger verify"
        )
    return hashes


# --- events ---------------------------------------------------------------------------------


def event_record(*, actor: Any, subject: Any, type: str, data: dict) -> Event:  # noqa: A002
    """Append one event to the log, inside the caller's transaction.

    Callers are services; they call this in the same ``transaction.atomic`` block as the
    change it records, so the change and its record commit or roll back together
    (ARCHITECTURE.md invariant 1). The sequence number is allocated under the head row's
    lock, so numbers are gap-free and unique under concurrent writers: a rolled-back
    transaction gives its number back. The tree nodes the new leaf completes are stored in
    the same transaction (RFC 9162 §2.1.1; see ``tree.py``).
    """
    if not connection.in_atomic_block:
        raise LedgerUsageError("ledger.record must run inside the service's transaction")
    if not formats.valid_type(type):
        raise LedgerUsageError(
            f"bad event type {type!r}: lower-case dotted ASCII such as 'case.filed', ≤ 64 chars"
        )
    key = subject_key(subject)
    actor_id = actor.pk if actor is not None and actor.pk else None

    with connection.cursor() as cursor:
        seq, last_at, frontier, subject_id, ref = _head_row(cursor, key)
        builder = TreeBuilder(seq, _frontier(seq, frontier))
        if key is not None and subject_id is None:
            created, _ = Subject.objects.get_or_create(kind=key[0], key=key[1])
            subject_id, ref = created.pk, created.ref
        subject_ref = None
        if subject_id is not None:
            subject_ref = ref.hex if isinstance(ref, uuid.UUID) else uuid.UUID(ref).hex
        now = timezone.now()
        # Entries never go back in time, even if a server clock does.
        at = max(now, last_at) if last_at else now
        time = formats.time_text(at)
        payload = formats.payload_bytes(
            seq=seq, time=time, type=type, actor=formats.actor_json(actor), subject=key, data=data
        )
        salt = secrets.token_bytes(formats.SALT_BYTES)
        entry = formats.entry_bytes(
            seq=seq,
            time=time,
            type=type,
            subject_ref=subject_ref,
            commitment=formats.commitment(salt, payload),
        )
        leaf = merkle.leaf_hash(entry)
        completed = builder.append(leaf)  # [leaf, level-1 node, …]
        text = payload.decode("utf-8")
        db_at = connection.ops.adapt_datetimefield_value(at)
        cursor.execute(
            _SQL["event"], (seq, db_at, type, actor_id, subject_id, text, salt, entry, leaf)
        )
        if len(completed) > 1:  # the leaf itself is ledger_event.leaf_hash
            rows = [node_key(level, seq >> level) for level in range(1, len(completed))]
            cursor.execute(
                "INSERT INTO ledger_node (id, hash) VALUES " + ", ".join(["(%s, %s)"] * len(rows)),
                [value for pair in zip(rows, completed[1:], strict=True) for value in pair],
            )
        cursor.execute(_SQL["head_update"], (seq + 1, db_at, b"".join(builder.frontier)))

    # The row as it now is in the database (from_db: positional, no defaults to compute).
    event = Event.from_db(
        connection.alias,
        _EVENT_FIELDS,
        (seq, at, type, actor_id, subject_id, text, salt, entry, leaf),
    )
    subscriptions.notify(event)  # higher apps' handlers, after commit
    return event


def atomic_record(**kwargs) -> Event:
    """Record an event that is not part of a larger change (e.g. a security event)."""
    with transaction.atomic():
        return event_record(**kwargs)


# --- checkpoints ----------------------------------------------------------------------------


def checkpoint_note_open(checkpoint: Checkpoint) -> notes.Checkpoint:
    """Verify a stored checkpoint's signature and origin; its parsed content."""
    return notes.open_checkpoint(
        checkpoint.note, [keys.log_verifier()], origin=settings.LEDGER_ORIGIN
    )


@transaction.atomic
def checkpoint_issue(*, now: dt.datetime | None = None) -> Checkpoint:
    """Sign and store a checkpoint of the log at its current size (idempotent per size).

    Before signing, the latest stored checkpoint is opened (signature checked) and its root
    recomputed from the stored tree; the new tree must extend it (RFC 9162 §2.1.4 consistency
    proof, checked here). If not, the stored log was altered after it was signed, and we
    refuse loudly rather than sign a second, inconsistent history.
    """
    head = _lock_head()
    size = head.size
    existing = Checkpoint.objects.filter(size=size).first()
    if existing is not None:
        return existing
    latest = Checkpoint.objects.order_by("-size").first()
    if latest is not None and latest.size > size:
        raise LedgerIntegrityError(
            f"账本只有 {size} 条记录，却已签发过大小为 {latest.size} 的检查点："
            f"序号 {size} 起的记录被删除，拒绝签发新检查点"
        )
    wanted = merkle.nodes_for_root(size)
    if latest is not None:
        wanted += merkle.nodes_for_root(latest.size)
        wanted += merkle.nodes_for_consistency(latest.size, size)
    stored = fetch_nodes(wanted)

    def get(level: int, index: int) -> bytes:
        return stored[level, index]

    root = merkle.root(size, get)
    if latest is not None:
        try:
            signed = checkpoint_note_open(latest)
        except notes.NoteError as exc:
            raise LedgerIntegrityError(
                f"已存检查点（大小 {latest.size}）签名无效：{exc}；拒绝签发新检查点"
            ) from None
        if signed.size != latest.size or signed.root != merkle.root(latest.size, get):
            raise LedgerIntegrityError(
                f"账本前 {latest.size} 条记录的根哈希与已签发的检查点不符：签发后账本被改动，"
                "拒绝签发新检查点（请运行 python manage.py ledger verify 查明位置）"
            )
        proof = merkle.consistency_proof(latest.size, size, get)
        if not merkle.verify_consistency(latest.size, size, signed.root, root, proof):
            raise LedgerIntegrityError(
                f"当前账本与大小为 {latest.size} 的检查点不一致，拒绝签发新检查点"
            )
    text = notes.format_checkpoint(settings.LEDGER_ORIGIN, size, root)
    note = notes.sign_note(text, keys.log_signer())
    checkpoint = Checkpoint(size=size, root=root, note=note, created_at=now or timezone.now())
    checkpoint.save()
    logger.info("ledger checkpoint signed: size %d", size)
    return checkpoint

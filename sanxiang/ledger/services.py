"""Writes to the ledger. Only :func:`event_record` appends events."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from sanxiang.lib import canonical

from .models import Event, Head, Subject

LEAF_PREFIX = b"\x00"  # RFC 9162 §2.1.1


class LedgerUsageError(RuntimeError):
    pass


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


def actor_summary(actor: Any) -> dict | None:
    if actor is None:
        return None
    return {
        "id": actor.pk,
        "username": actor.get_username(),
        "name": getattr(actor, "real_name", "") or actor.get_username(),
    }


def event_record(*, actor: Any, subject: Any, type: str, data: dict) -> Event:  # noqa: A002
    """Append one event to the log, inside the caller's transaction.

    Callers are services; they call this in the same ``transaction.atomic`` block as the
    change it records, so the change and its record commit or roll back together
    (ARCHITECTURE.md invariant 1).
    """
    if not connection.in_atomic_block:
        raise LedgerUsageError("ledger.record must run inside the service's transaction")
    if not type or len(type) > 64 or not type.isascii() or " " in type:
        raise LedgerUsageError(f"bad event type {type!r}")

    # The head row serialises appends: PostgreSQL row lock; on SQLite the IMMEDIATE
    # transaction already holds the database write lock. Sequence numbers are therefore
    # allocated without gaps or duplicates (a rolled-back transaction releases its number).
    head = Head.objects.select_for_update().get(pk=1)
    seq = head.size
    now = timezone.now()
    # Entries never go back in time, even if a server clock does.
    at = max(now, head.last_at) if head.last_at else now

    subj = None
    if (key := subject_key(subject)) is not None:
        subj, _ = Subject.objects.get_or_create(kind=key[0], key=key[1])

    payload = canonical.canonical_json(
        {
            "seq": seq,
            "at": at,
            "type": type,
            "actor": actor_summary(actor),
            "subject": {"kind": key[0], "key": key[1]} if key else None,
            "data": data,
        }
    )
    salt = secrets.token_bytes(32)
    commitment = hashlib.sha256(salt + payload).digest()
    entry = public_entry(seq=seq, at=at, type=type, subject_ref=subj.ref.hex if subj else None,
                         commitment=commitment)
    leaf_hash = hashlib.sha256(LEAF_PREFIX + entry).digest()

    event = Event(
        seq=seq,
        at=at,
        type=type,
        actor=actor if actor is not None and actor.pk else None,
        subject=subj,
        payload=payload.decode("utf-8"),
        salt=salt,
        commitment=commitment,
        entry=entry,
        leaf_hash=leaf_hash,
    )
    event.save()
    head.size = seq + 1
    head.last_at = at
    head.save(update_fields=["size", "last_at"])
    return event


def public_entry(*, seq: int, at, type: str, subject_ref: str | None, commitment: bytes) -> bytes:  # noqa: A002
    """The public leaf entry: no personal data, only a commitment to the payload."""
    return canonical.canonical_json(
        {
            "v": 1,
            "seq": seq,
            "at": at,
            "type": type,
            "subject": subject_ref,
            "commitment": commitment.hex(),
        }
    )


def atomic_record(**kwargs) -> Event:
    """Record an event that is not part of a larger change (e.g. a security event)."""
    with transaction.atomic():
        return event_record(**kwargs)

"""The bytes the ledger hashes: private payload, commitment and public leaf entry.

docs/ledger.md describes these formats for re-implementers; the worked example there is
produced by this code (``sanxiang/ledger/tests/test_formats.py`` checks it).

payload (private)  canonical JSON (``sanxiang.lib.canonical``) of
                   {"actor", "data", "seq", "subject", "time", "type"}
commitment         SHA-256(salt ‖ payload), salt = 32 random bytes per event
entry (public)     canonical JSON of
                   {"commitment", "seq", "subject", "time", "type", "v": 1}
leaf hash          SHA-256(0x00 ‖ entry)                     (RFC 9162 §2.1.1)

The key names are chosen so that, in canonical (sorted) order, the four members that tie a
payload to its entry — seq, subject, time, type — come last. A verifier can therefore check
that a stored payload belongs to its row by comparing one suffix (:func:`payload_suffix`)
instead of parsing a million JSON documents; a party holding one payload simply parses it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

from sanxiang.lib import canonical

ENTRY_VERSION = 1
SALT_BYTES = 32
TYPE_MAX_LENGTH = 64
# Event types are lower-case dotted ASCII names ("case.filed", "security.login"): never any
# character that JSON would escape, so the entry's bytes are plain ASCII.
TYPE_PATTERN = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")
TIME_PATTERN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def valid_type(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) <= TYPE_MAX_LENGTH
        and TYPE_PATTERN.fullmatch(value) is not None
    )


def time_text(moment: dt.datetime) -> str:
    """RFC 3339 UTC with exactly six fractional digits: ``2026-11-27T01:02:03.000456Z``."""
    return canonical.utc_timestamp(moment)


def actor_json(actor: Any) -> dict | None:
    """Who acted, as recorded in the payload (the name at the time of the event)."""
    if actor is None:
        return None
    return {
        "id": actor.pk,
        "username": actor.get_username(),
        "name": getattr(actor, "real_name", "") or actor.get_username(),
    }


def subject_json(kind: str | None, key: str | None) -> str:
    """The payload's ``subject`` member as canonical JSON text (``null`` for none)."""
    if kind is None:
        return "null"
    return canonical.canonical_json({"key": key, "kind": kind}).decode("utf-8")


def payload_bytes(
    *,
    seq: int,
    time: str,
    type: str,  # noqa: A002
    actor: dict | None,
    subject: tuple[str, str] | None,
    data: Any,
) -> bytes:
    """The private payload: everything recorded about the event, canonical JSON."""
    return canonical.canonical_json(
        {
            "actor": actor,
            "data": data,
            "seq": seq,
            "subject": {"key": subject[1], "kind": subject[0]} if subject else None,
            "time": time,
            "type": type,
        }
    )


def payload_suffix(*, seq: int, subject: str, time: str, type: str) -> bytes:  # noqa: A002
    """How every payload of this seq/subject/time/type ends (``subject`` from subject_json).

    In canonical JSON the top-level members are sorted and "seq" < "subject" < "time" <
    "type" are the last four keys, so a well-formed payload ends with exactly these bytes.
    """
    return f',"seq":{seq},"subject":{subject},"time":"{time}","type":"{type}"}}'.encode()


def commitment(salt: bytes, payload: bytes) -> bytes:
    """SHA-256(salt ‖ payload): hides the payload, yet binds the log to it."""
    return hashlib.sha256(salt + payload).digest()


def entry_bytes(
    *,
    seq: int,
    time: str,
    type: str,  # noqa: A002
    subject_ref: str | None,
    commitment: bytes,
) -> bytes:
    """The public leaf entry: canonical JSON with no personal data.

    Written with a format string (it is on the hot path of ``ledger verify``); the test
    suite checks that it equals ``canonical.canonical_json`` of the same object.
    """
    subject = "null" if subject_ref is None else f'"{subject_ref}"'
    return (
        f'{{"commitment":"{commitment.hex()}","seq":{seq},"subject":{subject},'
        f'"time":"{time}","type":"{type}","v":{ENTRY_VERSION}}}'
    ).encode("ascii")


def entry_object(entry: bytes) -> dict:
    """Parse a public entry (for display and checks; raises ValueError when malformed)."""
    import json

    value = json.loads(entry.decode("utf-8"))
    if not isinstance(value, dict) or value.get("v") != ENTRY_VERSION:
        raise ValueError("not a version-1 ledger entry")
    return value

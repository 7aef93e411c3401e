"""The byte formats of docs/ledger.md: fast encoders equal the canonical encoder."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from hypothesis import given
from hypothesis import strategies as st

from sanxiang.ledger import formats
from sanxiang.lib import canonical

types = st.from_regex(r"[a-z][a-z0-9_]{0,8}(\.[a-z][a-z0-9_]{0,8}){1,3}", fullmatch=True)
times = st.datetimes(
    min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)
texts = st.text(max_size=20)


@given(
    seq=st.integers(0, 2**53 - 1),
    moment=times,
    type_=types,
    ref=st.one_of(st.none(), st.uuids().map(lambda u: u.hex)),
    commitment=st.binary(min_size=32, max_size=32),
)
def test_public_entry_is_canonical_json(seq, moment, type_, ref, commitment):
    time = formats.time_text(moment)
    entry = formats.entry_bytes(
        seq=seq, time=time, type=type_, subject_ref=ref, commitment=commitment
    )
    assert entry == canonical.canonical_json(
        {
            "commitment": commitment.hex(),
            "seq": seq,
            "subject": ref,
            "time": time,
            "type": type_,
            "v": 1,
        }
    )


@given(
    seq=st.integers(0, 2**53 - 1),
    moment=times,
    type_=types,
    subject=st.one_of(st.none(), st.tuples(texts, texts)),
    data=st.dictionaries(st.text(alphabet='abcxyz_"\\', max_size=6), texts, max_size=4),
    actor_name=texts,
)
def test_payload_ends_with_its_binding_suffix(seq, moment, type_, subject, data, actor_name):
    time = formats.time_text(moment)
    payload = formats.payload_bytes(
        seq=seq, time=time, type=type_, actor={"id": 1, "name": actor_name, "username": "u"},
        subject=subject, data=data,
    )  # fmt: skip
    text = formats.subject_json(*subject) if subject else "null"
    assert payload.endswith(formats.payload_suffix(seq=seq, subject=text, time=time, type=type_))
    # and the suffix really states the members a parser reads
    parsed = json.loads(payload)
    assert (parsed["seq"], parsed["time"], parsed["type"]) == (seq, time, type_)
    if subject:
        assert parsed["subject"] == {"kind": subject[0], "key": subject[1]}


def test_time_text_always_has_six_fraction_digits():
    assert formats.time_text(dt.datetime(2026, 11, 27, 1, 2, 3, tzinfo=dt.UTC)) == (
        "2026-11-27T01:02:03.000000Z"
    )
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert formats.time_text(dt.datetime(2026, 11, 27, 9, 0, 0, 5, tzinfo=shanghai)) == (
        "2026-11-27T01:00:00.000005Z"
    )


def test_event_types_are_lower_case_dotted_ascii():
    for good in ("case.filed", "security.login", "account.roles_set", "registry.officer_left"):
        assert formats.valid_type(good)
    for bad in (
        "case",
        "Case.filed",
        "case filed",
        "case.立案",
        "case.",
        ".x",
        'a."b',
        "a." + "x" * 70,
    ):
        assert not formats.valid_type(bad)


def test_commitment_is_sha256_of_salt_then_payload():
    salt, payload = bytes(range(32)), b'{"a":1}'
    assert formats.commitment(salt, payload) == hashlib.sha256(salt + payload).digest()


def test_entry_object_parses_a_version_1_entry():
    entry = formats.entry_bytes(
        seq=3, time="2026-11-27T01:02:03.000000Z", type="case.filed",
        subject_ref=uuid.UUID(int=5).hex, commitment=b"\x01" * 32,
    )  # fmt: skip
    assert formats.entry_object(entry)["seq"] == 3

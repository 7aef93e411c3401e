"""docs/ledger.md's worked example is what the code produces."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sanxiang.ledger import formats
from sanxiang.lib import merkle

DOC = Path(__file__).resolve().parents[3] / "docs" / "ledger.md"


def test_worked_example_in_docs_matches_the_code():
    seq, time, type_ = 41, "2026-11-27T02:15:07.123456Z", "case.filed"
    payload = formats.payload_bytes(
        seq=seq,
        time=time,
        type=type_,
        actor={"id": 3, "name": "张明", "username": "zhangming"},
        subject=("cases.case", "17"),
        data={"cause": "拖欠农民工工资", "fine": "5000.00", "party": "陵川县某建筑公司"},
    )
    salt = hashlib.sha256(b"sanxiang ledger worked example - not a real salt").digest()
    commitment = formats.commitment(salt, payload)
    entry = formats.entry_bytes(
        seq=seq, time=time, type=type_, subject_ref="6f1c2b9e3d4a4b8f9a0e1d2c3b4a5f60",
        commitment=commitment,
    )  # fmt: skip
    doc = DOC.read_text(encoding="utf-8")
    assert f"payload ({len(payload)} bytes, UTF-8):\n{payload.decode()}\n" in doc
    assert f"salt (hex):       {salt.hex()}" in doc
    assert f"commitment (hex): {commitment.hex()}" in doc
    assert f"public entry:\n{entry.decode()}\n" in doc
    assert f"leaf hash (hex):  {merkle.leaf_hash(entry).hex()}" in doc
    assert f"printf '%s' {salt.hex()} | xxd -r -p" in doc

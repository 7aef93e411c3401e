"""Canonical JSON: the exact bytes that the ledger hashes.

The encoding (documented for re-implementers in docs/ledger.md):

* UTF-8 JSON text, no byte-order mark, no insignificant whitespace (separators ``,`` and ``:``);
* object keys sorted; keys must be ASCII, so code-point order and UTF-16 order (RFC 8785)
  agree and any JSON library can reproduce the order;
* strings are written as-is (non-ASCII characters are not escaped; JSON's mandatory escapes
  for ``"``, ``\\`` and control characters use Python's ``json`` rules: ``\\n``, ``\\u001f``…);
* only integers (|n| <= 2**53 - 1, so JavaScript verifiers read them exactly), strings, booleans,
  null, arrays and objects. Floats are refused: money is a decimal *string* ("1234.50").

``jsonable`` converts the Python values services naturally hold (Decimal, date, datetime,
UUID, tuples) into that subset first, so that every caller encodes them the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


def jsonable(value: Any) -> Any:
    """Return ``value`` in the canonical subset, converting well-known Python types."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"integer {value} exceeds 2**53-1; encode it as a string")
        return value
    if isinstance(value, float):
        raise TypeError("floats are not allowed in canonical JSON; use Decimal or str")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("non-finite Decimal")
        return format(value, "f")
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime; use an aware UTC datetime")
        return utc_timestamp(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str) or not key.isascii():
                raise ValueError(f"object keys must be ASCII strings, got {key!r}")
            out[key] = jsonable(item)
        return out
    if isinstance(value, (list, tuple)):
        return [jsonable(item) for item in value]
    raise TypeError(f"cannot encode {type(value).__name__} in canonical JSON")


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` (after :func:`jsonable`) as canonical UTF-8 JSON bytes."""
    return json.dumps(
        jsonable(value), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def utc_timestamp(moment: dt.datetime) -> str:
    """RFC 3339 UTC timestamp with microseconds: ``2026-11-27T22:52:48.123456Z``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

"""Evidence settings, read at call time (tests change them), each with a default that works on
one machine. The names to put in settings.py (from environment variables) are in
docs/evidence.md §Settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

MB = 1024 * 1024
GB = 1024 * MB

# Per kind of evidence: a body-camera day is 4–8 GB; photos and scans are small.
DEFAULT_MAX_BYTES = {
    "photo": 50 * MB,
    "audio": 2 * GB,
    "video": 16 * GB,
    "document": 200 * MB,
}
# The plain form (no JavaScript) goes through one HTTP request; beyond this use the resumable
# upload. Bounded so that a proxy's request timeout is not the limit nobody understands.
DEFAULT_FORM_MAX_BYTES = 2 * GB
DEFAULT_UPLOAD_EXPIRY_HOURS = 72
DEFAULT_UPLOADS_PER_USER = 20
DEFAULT_FIXITY_INTERVAL_DAYS = 30
DEFAULT_FIXITY_SECONDS = 60
DEFAULT_MEDIA_TOKEN_HOURS = 4


def max_bytes(kind: str) -> int:
    configured = getattr(settings, "RECORDS_EVIDENCE_MAX_BYTES", None) or {}
    return int(configured.get(kind, DEFAULT_MAX_BYTES.get(kind, 0)))


def max_any() -> int:
    return max(max_bytes(k) for k in DEFAULT_MAX_BYTES)


def form_max_bytes() -> int:
    return int(getattr(settings, "RECORDS_EVIDENCE_FORM_MAX_BYTES", DEFAULT_FORM_MAX_BYTES))


def upload_expiry() -> dt.timedelta:
    hours = getattr(settings, "RECORDS_UPLOAD_EXPIRY_HOURS", DEFAULT_UPLOAD_EXPIRY_HOURS)
    return dt.timedelta(hours=int(hours))


def uploads_per_user() -> int:
    return int(getattr(settings, "RECORDS_UPLOADS_PER_USER", DEFAULT_UPLOADS_PER_USER))


def fixity_interval() -> dt.timedelta:
    days = getattr(settings, "RECORDS_FIXITY_INTERVAL_DAYS", DEFAULT_FIXITY_INTERVAL_DAYS)
    return dt.timedelta(days=int(days))


def fixity_seconds() -> float:
    return float(getattr(settings, "RECORDS_FIXITY_SECONDS", DEFAULT_FIXITY_SECONDS))


def media_token_seconds() -> int:
    hours = getattr(settings, "RECORDS_MEDIA_TOKEN_HOURS", DEFAULT_MEDIA_TOKEN_HOURS)
    return int(float(hours) * 3600)


def human_size(n: int) -> str:
    if n >= GB:
        return f"{n / GB:.1f} GB".replace(".0 GB", " GB")
    return f"{n // MB} MB"

"""Limits of the API, read from Django settings when present (defaults otherwise).

API_AUTH_FAILURES_PER_IP       failed token checks from one address in a window (20)
API_AUTH_FAILURES_PER_PREFIX   failed token checks naming one token prefix in a window (5)
API_AUTH_WINDOW_SECONDS        the counting window (600)
API_AUTH_BLOCK_SECONDS         how long token checks are refused after the limit (900)
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def _int(name: str, default: int) -> int:
    value = getattr(settings, name, default)
    return int(value) if value is not None else default


def failures_per_ip() -> int:
    return _int("API_AUTH_FAILURES_PER_IP", 20)


def failures_per_prefix() -> int:
    return _int("API_AUTH_FAILURES_PER_PREFIX", 5)


def window() -> dt.timedelta:
    return dt.timedelta(seconds=_int("API_AUTH_WINDOW_SECONDS", 600))


def block() -> dt.timedelta:
    return dt.timedelta(seconds=_int("API_AUTH_BLOCK_SECONDS", 900))


# Pagination of every list: ``limit`` (default 20, at most 100) and ``offset``.
PAGE_DEFAULT = 20
PAGE_MAX = 100
OFFSET_MAX = 1_000_000

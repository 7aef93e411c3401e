"""Configurable values of the archive, from settings with the defaults of DOMAIN.md §7.3.

``ARCHIVE_RETENTION`` — which retention period each kind of case gets: a dict with keys
``general`` (普通程序), ``simplified`` (简易程序) and ``major`` (重大案件), values ``"30"``, ``"10"``
or ``"permanent"``. Default ``{"general": "30", "simplified": "10", "major": "permanent"}`` (the
common local mapping of 国家档案局令第8号; an agency's schedule is approved by the archive
authority of its level, 档案法实施条例 第十九条, so it must be configurable).
``ARCHIVE_BORROW_DAYS`` — default borrowing period in days (30).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import rules


def retention_policy() -> dict[str, str]:
    policy = dict(rules.DEFAULT_RETENTION)
    policy.update(getattr(settings, "ARCHIVE_RETENTION", {}) or {})
    for key, value in policy.items():
        if key not in rules.DEFAULT_RETENTION or value not in rules.RETENTION_LABELS:
            raise ImproperlyConfigured(
                f"ARCHIVE_RETENTION[{key!r}] = {value!r}：保管期限只能是 30、10 或 permanent"
            )
    return policy


def borrow_days() -> int:
    return int(getattr(settings, "ARCHIVE_BORROW_DAYS", 30))

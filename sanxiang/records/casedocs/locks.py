"""A slot for higher apps to freeze a case's documents (ARCHITECTURE.md §3: a lower app that
must consult a higher one defines a named slot, the higher app fills it at start-up).

The archive app registers a check that refuses new documents and scans once the case file is
sealed (封存)::

    from sanxiang.records.casedocs import locks
    locks.register_lock(my_check)     # callable(case) -> list of Chinese reasons ([] = open)

``case_document_generate`` asks it before writing. ``lock_reasons(subject)`` accepts any
subject; only cases are locked.
"""

from __future__ import annotations

from collections.abc import Callable

Lock = Callable[[object], list[str]]
_locks: list[Lock] = []


def register_lock(check: Lock) -> None:
    if check not in _locks:
        _locks.append(check)


def lock_reasons(subject) -> list[str]:
    from sanxiang.cases.models import Case

    if not isinstance(subject, Case):
        return []
    reasons: list[str] = []
    for check in _locks:
        reasons.extend(check(subject))
    return reasons

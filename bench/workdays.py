"""Benchmark: working-day arithmetic through the public import point.

    .venv/bin/python bench/workdays.py

Target (ARCHITECTURE.md §7): >= 100,000 ``add_workdays`` calls/s. Runs against a throwaway
SQLite database in a temporary directory (never var/), migrated quietly, so the calendar is the
seeded 2004–2026 table.

Baseline: ``WorkCalendar.add_workdays`` called directly on the very calendar object the
selectors return. That is the arithmetic itself (two bisections and argument checks), so the
ratio isolates what the import point adds on top — the scope look-up and the version check —
which is the part this app owns. A bare ``date + timedelta`` loop is printed too, as the floor
of any per-call Python work on this machine.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CALLS = 200_000
UNSCOPED_CALLS = 5_000


def rates(candidates: dict, pairs, rounds: int = 5) -> dict[str, float]:
    """Calls per second of each candidate over pairs: best of several interleaved rounds, so
    warm-up and frequency scaling do not favour whichever runs last."""
    best = dict.fromkeys(candidates, float("inf"))
    for _ in range(rounds):
        for name, (fn, scope) in candidates.items():
            with scope():
                t0 = time.perf_counter()
                for start, n in pairs:
                    fn(start, n)
                best[name] = min(best[name], time.perf_counter() - t0)
    return {name: len(pairs) / t for name, t in best.items()}


def main() -> None:
    tmp = tempfile.TemporaryDirectory(prefix="sanxiang-bench-workdays-")
    os.environ["SANXIANG_VAR_DIR"] = tmp.name
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanxiang.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")

    import django

    django.setup()
    from django.core.management import call_command

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_s = time.perf_counter() - t0

    from sanxiang.workcalendar import selectors
    from sanxiang.workcalendar.selectors import add_workdays, calendar_scope, work_calendar

    rng = random.Random(2026)
    first = date(2005, 1, 1).toordinal()
    last = date(2025, 6, 30).toordinal()
    pairs = [(date.fromordinal(rng.randint(first, last)), rng.randint(1, 60)) for _ in range(CALLS)]

    # Cold build: what the first request after a calendar change pays, once per process.
    builds = []
    for _ in range(5):
        selectors._shared = None
        t0 = time.perf_counter()
        cal = work_calendar()
        builds.append(time.perf_counter() - t0)
    build_ms = min(builds) * 1000

    # The version check alone: one primary-key read of the token.
    checks = 2000
    t0 = time.perf_counter()
    for _ in range(checks):
        selectors._current_token()
    check_us = (time.perf_counter() - t0) / checks * 1e6

    # Results must agree before speed means anything.
    with calendar_scope():
        assert all(add_workdays(s, n) == cal.add_workdays(s, n) for s, n in pairs[:2000])

    import contextlib

    none = contextlib.nullcontext
    r = rates(
        {
            "floor": (lambda s, n: s + timedelta(days=n), none),
            "raw": (cal.add_workdays, none),
            # As in a request: the version is checked at the first call of the scope.
            "scoped": (add_workdays, calendar_scope),
        },
        pairs,
    )
    floor, raw, scoped = r["floor"], r["raw"], r["scoped"]
    # Outside any scope the version is checked on every call.
    unscoped = rates({"u": (add_workdays, none)}, pairs[:UNSCOPED_CALLS], rounds=3)["u"]

    target = 100_000
    print(f"migrate (throwaway SQLite)          {migrate_s:8.2f} s")
    print(f"calendar build from table (cold)    {build_ms:8.2f} ms  ({len(cal.years)} years)")
    print(f"version check (1 PK read)           {check_us:8.1f} µs per check")
    print(f"date + timedelta (floor)            {floor:12,.0f} /s")
    print(f"WorkCalendar.add_workdays (baseline){raw:12,.0f} /s")
    print(
        f"selectors.add_workdays, in a scope  {scoped:12,.0f} /s  = {scoped / raw:.2f} × baseline"
        f"   target >= {target:,}/s: {'OK' if scoped >= target else 'MISSED'}"
    )
    print(
        f"selectors.add_workdays, no scope    {unscoped:12,.0f} /s  = {unscoped / raw:.3f} × baseline"
        "   (one version check per call)"
    )
    tmp.cleanup()
    if scoped < target:
        sys.exit(1)


if __name__ == "__main__":
    main()

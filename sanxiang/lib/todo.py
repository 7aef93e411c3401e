"""我的待办 entries. A pure data class so that every app — whatever its floor — can build them;
the workbench (top floor) gathers them from the providers each app lists in its AppConfig."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class TodoItem:
    title: str  # what to do, e.g. "受理或不予受理投诉"
    subject: str  # what it concerns, e.g. "张某诉某某公司拖欠工资"
    url: str
    due: dt.date | None = None
    basis: str = ""  # legal basis of the time limit
    urgency: str = "normal"  # normal | soon (<= 2 working days left) | overdue | unknown
    note: str = ""


URGENCY_ORDER = {"overdue": 0, "soon": 1, "unknown": 2, "normal": 3}

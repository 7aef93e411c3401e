"""我的待办: what each user has to do next, with how urgent it is.

Apps contribute by listing a provider in their AppConfig::

    todo_providers = ["sanxiang.cases.selectors.todo_items_for"]

A provider takes the user and today's date and returns ``TodoItem``s. The workbench sits on the
top floor, so it may call every app; apps never import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string


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


def todo_items_for(user, today: dt.date) -> list[TodoItem]:
    items: list[TodoItem] = []
    for config in apps.get_app_configs():
        for dotted in getattr(config, "todo_providers", []):
            items.extend(import_string(dotted)(user=user, today=today))
    return sorted(items, key=lambda i: (URGENCY_ORDER.get(i.urgency, 9), i.due or dt.date.max))

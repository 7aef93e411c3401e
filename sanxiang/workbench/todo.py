"""我的待办: what each user has to do next, with how urgent it is.

Apps contribute by listing a provider in their AppConfig::

    todo_providers = ["sanxiang.cases.selectors.todo_items_for"]

A provider takes the user and today's date and returns ``sanxiang.lib.todo.TodoItem``s. The workbench sits on the
top floor, so it may call every app; apps never import it.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils.module_loading import import_string

from sanxiang.lib.todo import URGENCY_ORDER, TodoItem

__all__ = ["TodoItem", "todo_items_for"]


def todo_items_for(user, today: dt.date) -> list[TodoItem]:
    items: list[TodoItem] = []
    for config in apps.get_app_configs():
        for dotted in getattr(config, "todo_providers", []):
            items.extend(import_string(dotted)(user=user, today=today))
    return sorted(items, key=lambda i: (URGENCY_ORDER.get(i.urgency, 9), i.due or dt.date.max))

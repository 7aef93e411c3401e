"""Chinese labels of event types, declared by the apps that record them.

Each app lists its types on its AppConfig::

    class CasesConfig(AppConfig):
        ledger_event_labels = {"case.filed": "立案", "case.decided": "作出处罚决定"}

and the case timeline and the audit log show ``event_label(type)``; an undeclared type is
shown as its code, so a missing label is visible but never breaks a page.
"""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@cache
def all_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for config in apps.get_app_configs():
        for type_, label in getattr(config, "ledger_event_labels", {}).items():
            if type_ in labels and labels[type_] != label:
                raise ImproperlyConfigured(
                    f"{config.name}: event type {type_!r} already labelled {labels[type_]!r}"
                )
            labels[type_] = label
    return labels


def event_label(type_: str) -> str:
    return all_labels().get(type_, type_)

"""A slot for evidence that belongs to something other than a case (ARCHITECTURE.md §3: a lower
app that must consult a higher one defines a named slot, the higher app fills it at start-up).

The records app knows cases; a random inspection's 检查任务 lives in the inspections app, which
is higher. The inspections app registers the task as an evidence *holder* in its
``AppConfig.ready()``::

    from sanxiang.records.evidence import holders
    holders.register_holder("inspections.task", holders.Holder(...))
    holders.register_case_link(tasks_of_case)   # callable(case) -> [holder objects]

``services.evidence_add(holder=task, …)`` then asks the holder who may upload and whether it is
still open; ``tus`` accepts ``holder`` ("inspections.task:12") in the upload metadata; the case
page lists the evidence and documents of every holder linked to the case (a task whose result
was 立案), so the case file is complete without the records app importing inspections.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model


@dataclass(frozen=True)
class Holder:
    name: str  # 检查任务
    agency_id: Callable[[Model], int]  # the 执法主体 the evidence belongs to
    # Chinese reasons why ``user`` may not add evidence now ([] = may): not a drawn officer,
    # the task already has its result …
    upload_problems: Callable[[Model, object], list[str]]
    # Users who may be named as 记录人 (the drawn officers).
    recorders: Callable[[Model], list]
    url: Callable[[Model], str]  # the holder's page


_holders: dict[str, Holder] = {}
_case_links: list[Callable[[object], list[Model]]] = []


def register_holder(label: str, holder: Holder) -> None:
    _holders[label.lower()] = holder


def register_case_link(find: Callable[[object], list[Model]]) -> None:
    if find not in _case_links:
        _case_links.append(find)


def holder_of(obj: Model) -> Holder | None:
    if obj is None:
        return None
    return _holders.get(obj._meta.label_lower)


def ref(obj: Model) -> str:
    """``inspections.task:12`` — how a holder is named in tus metadata and forms."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def resolve(value: str) -> Model | None:
    """The registered holder object named by ``ref`` (None when unknown or missing)."""
    label, _, pk = (value or "").partition(":")
    label = label.lower()
    if label not in _holders or not pk.isascii() or not pk.isdigit() or len(pk) > 18:
        return None
    model = apps.get_model(label)
    return model.objects.filter(pk=int(pk)).first()


def linked_to_case(case) -> list[Model]:
    """Holders whose material belongs to ``case`` (e.g. the inspection task that led to it)."""
    found: list[Model] = []
    for find in _case_links:
        found.extend(find(case))
    return found

"""Reads from the ledger."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Event
from .services import subject_key


def events_of_subject(subject: Any) -> QuerySet[Event]:
    """The events of one subject in order (the case page timeline reads this)."""
    key = subject_key(subject)
    if key is None:
        return Event.objects.none()
    return (
        Event.objects.filter(subject__kind=key[0], subject__key=key[1])
        .select_related("actor")
        .order_by("seq")
    )

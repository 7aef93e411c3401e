"""Reacting to decisions: every decision becomes a publication draft.

A ledger subscription (ARCHITECTURE.md §3, ``sanxiang.ledger.subscriptions``): ``case.decide``
and ``case.decide_on_spot`` call :func:`on_case_decided` after the deciding transaction
commits. As a safety net for a handler that failed, ``sweeps.collect_sweep`` runs
:func:`collect_pending`. Correctness does not depend on either
running on time: the 7 / 20 working-day clock runs from the decision date, and a decision not
yet collected is shown to the 公示管理员 as a to-do with that due date.
"""

from __future__ import annotations

import logging

from django.apps import apps

logger = logging.getLogger(__name__)


def subscribe() -> None:
    from sanxiang import ledger

    config = apps.get_app_config("publicity")
    for event_type, dotted in config.ledger_subscriptions.items():
        ledger.subscribe(event_type, dotted)


def on_case_decided(event) -> None:
    """Handler for ``case.decide`` / ``case.decide_on_spot`` (runs after commit)."""
    from sanxiang.cases.models import Decision

    from . import services

    case = _case_of(event)
    decision = Decision.objects.filter(case=case).first() if case is not None else None
    if decision is not None:
        services.publication_collect(decision=decision, actor=None)


def _case_of(event):
    from sanxiang.cases.models import Case
    from sanxiang.ledger.models import Subject

    key = getattr(event, "subject_id", None)
    subject = Subject.objects.filter(pk=key).first() if key is not None else None
    if subject is None or subject.kind != "cases.case":
        return None
    return Case.objects.filter(pk=subject.key).first()


def on_decision_changed(event) -> None:
    """Handler for ``case.decision_changed`` (runs after commit): the publication of the changed
    decision is due to come down, or its draft can no longer be published."""
    import json

    from sanxiang.cases.models import DecisionChange

    from . import services

    change_id = json.loads(event.payload).get("data", {}).get("change")
    change = DecisionChange.objects.filter(pk=change_id).first()
    if change is not None:
        services.publication_note_change(change=change)


def note_pending_changes(*, limit: int = 200) -> int:
    """Safety net for ``on_decision_changed``: decision changes whose publication has not
    noted them yet. Revocations are rare, so all changes of published-or-drafted decisions are
    read in two queries and compared with what each publication noted."""
    from sanxiang.cases.models import DecisionChange

    from . import services
    from .models import Publication

    changes = list(
        DecisionChange.objects.filter(
            decision_id__in=Publication.objects.values("decision_id")
        ).order_by("pk")
    )
    noted_of = dict(
        Publication.objects.filter(decision_id__in={c.decision_id for c in changes}).values_list(
            "decision_id", "noted_changes"
        )
    )
    pending = [c for c in changes if c.pk not in (noted_of.get(c.decision_id) or [])]
    noted = 0
    for change in pending[:limit]:
        try:
            services.publication_note_change(change=change)
            noted += 1
        except Exception:  # one failure must not stop the others; it is retried next sweep
            logger.exception("decision change %s not noted", change.pk)
    return noted


def pending_decisions():
    """Decisions of a published kind that have no publication yet."""
    from sanxiang.cases.models import Decision

    from .rules import OUTCOME_CATEGORY

    return (
        Decision.objects.filter(kind__in=list(OUTCOME_CATEGORY), publication__isnull=True)
        .select_related("case")
        .order_by("decided_on", "pk")
    )


def collect_pending(*, limit: int = 200) -> int:
    from . import services

    done = 0
    for decision in pending_decisions()[:limit]:
        try:
            if services.publication_collect(decision=decision, actor=None) is not None:
                done += 1
        except Exception:  # one bad decision must not stop the others; it stays pending
            logger.exception("publication draft for decision %s failed", decision.pk)
    return done

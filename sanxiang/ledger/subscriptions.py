"""Ledger subscriptions: how a higher app reacts to a lower app's event (ARCHITECTURE.md §3).

The ledger events are the domain events. A higher app subscribes to an event type in its
``AppConfig.ready()``::

    from sanxiang import ledger
    ledger.subscribe("case.decide", "sanxiang.publicity.handlers.on_case_decided")

and the handler is called with the :class:`~sanxiang.ledger.models.Event` once the transaction
that recorded it commits (``transaction.on_commit(..., robust=True)``): never inside the
recording service's transaction, never if it rolls back, and a failing handler is logged
without undoing the change that was recorded. Handlers must therefore be idempotent and have
a catch-up sweep for events whose handler failed (publicity's ``collect_sweep`` is one).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

Handler = Callable[[object], None]
_subscribers: dict[str, list[str | Handler]] = {}


def subscribe(event_type: str, handler: str | Handler) -> None:
    """Call ``handler`` (a callable or its dotted path) after commit of every ``event_type``
    event. Subscribing the same handler twice has no effect."""
    handlers = _subscribers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def unsubscribe(event_type: str, handler: str | Handler) -> None:
    handlers = _subscribers.get(event_type, [])
    if handler in handlers:
        handlers.remove(handler)


def _resolve(handler: str | Handler) -> Handler:
    return import_string(handler) if isinstance(handler, str) else handler


def _run(handler: str | Handler, event) -> None:
    try:
        _resolve(handler)(event)
    except Exception:  # logged with the event; the recorded change stands (see module doc)
        log.exception("账本订阅处理失败：%s（事件 %s，序号 %s）", handler, event.type, event.seq)


def notify(event) -> None:
    """Schedule the subscribers of ``event.type`` for after the current transaction commits."""
    for handler in _subscribers.get(event.type, ()):
        transaction.on_commit(functools.partial(_run, handler, event), robust=True)

"""The ledger: an append-only, Merkle-tree event log (全过程记录的防篡改账本).

Services record every state change with :func:`record`, inside their own transaction::

    from sanxiang import ledger
    ledger.record(actor=user, subject=case, type="case.filed", data={"cause": ...})

Formats, conventions (event types and labels, ``data["files"]``, security events) and the
public endpoints are described in docs/ledger.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Event


def record(*, actor: Any, subject: Any, type: str, data: dict | None = None) -> Event:  # noqa: A002
    """Append one event; see :func:`sanxiang.ledger.services.event_record`."""
    from .services import event_record

    return event_record(actor=actor, subject=subject, type=type, data=data or {})


def subscribe(event_type: str, handler) -> None:
    """React after commit to every ``event_type`` event; see :mod:`sanxiang.ledger.subscriptions`."""
    from .subscriptions import subscribe as _subscribe

    _subscribe(event_type, handler)

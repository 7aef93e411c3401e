"""Recording security events (等保 2.0 三级 8.1.4.3 安全审计) from any app's views.

The audit log is the ledger itself: each security event is an entry with time, user,
source IP, event type and result, tamper-evident like every other record. Apps call::

    from sanxiang.ledger.audit import security_event

    security_event(request, "security.id_number_viewed", subject=party, field="id_number")
    security_event(request, "security.evidence_downloaded", subject=evidence,
                   file=evidence.storage_name)
    security_event(request, "security.exported", what="双公示", rows=120)

Types are ``security.<what>`` and need a Chinese label in some AppConfig's
``ledger_event_labels`` (the ledger declares the common ones). Details must not contain the
sensitive value itself (never the unmasked ID number): the ledger keeps payloads for good.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from .models import Event
from .services import LedgerUsageError, event_record

RESULTS = ("success", "failure", "denied")


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For is trusted only behind a configured TLS proxy
    (the same rule as sanxiang.accounts.http.client_ip, which this floor may not import)."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def security_event(
    request,
    type: str,  # noqa: A002
    *,
    result: str = "success",
    subject: Any = None,
    **details: Any,
) -> Event:
    """Record a security event of the request's user, in its own transaction (or the
    caller's, when there is one) — call it before sending the data the user asked for."""
    if not type.startswith("security."):
        raise LedgerUsageError(f"security events are typed 'security.*', got {type!r}")
    if result not in RESULTS:
        raise LedgerUsageError(f"result must be one of {RESULTS}, got {result!r}")
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    data = {"ip": client_ip(request), "result": result, **details}
    with transaction.atomic():
        return event_record(actor=actor, subject=subject, type=type, data=data)

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """The client's address; X-Forwarded-For is trusted only behind a configured proxy."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:64]
    return request.META.get("REMOTE_ADDR", "")[:64]


def require_perm(request, perm: str, what: str) -> None:
    """A page's permission check: 403 with the Chinese reason (the 403 page shows it and the
    refusal is audited by the middleware)."""
    from django.core.exceptions import PermissionDenied

    if not request.user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def user_agency(user):
    """The 执法主体 the user works for (None for a user without a unit)."""
    unit = getattr(user, "unit", None)
    return unit.agency if unit is not None else None

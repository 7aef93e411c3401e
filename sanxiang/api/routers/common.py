"""What every router uses: the declared answers of an operation, and finding the objects a
request names with the same permission checks as the pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from sanxiang.accounts.http import require_perm as need  # noqa: F401  (the pages' check, same 403)
from sanxiang.accounts.http import user_agency

from ..errors import ApiError, Error

# Answers any authenticated operation may give: not signed in (401), refused (403: a missing
# permission or a failed CSRF check), parameters that do not validate (422), too many failed
# token checks from this address (429).
BASE_ERRORS = (401, 403, 422, 429)


def responses(ok: dict[int, Any], *extra: int) -> dict[int, Any]:
    """``{200: Schema, 401: Error, …}``: every status code the operation can answer."""
    out = dict(ok)
    for status in sorted({*BASE_ERRORS, *extra}):
        out[status] = Error
    return out


def default_agency(user):
    """The agency of the user's unit, else the first active one (a single-agency install)."""
    from sanxiang.registry.models import Agency

    agency = user_agency(user)
    if agency is not None:
        return agency
    agency = Agency.objects.filter(is_active=True).order_by("name", "pk").first()
    if agency is None:
        raise ApiError(409, "尚未登记执法主体", code="conflict")
    return agency


def same_agency(user, agency_id: int, what: str = "该记录") -> None:
    agency = user_agency(user)
    if agency is not None and agency.pk != agency_id:
        raise PermissionDenied(f"{what}不属于您所在的执法主体")

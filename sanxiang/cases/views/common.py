"""What every case page does first: who is asking, may they see this case at all."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sanxiang.registry.models import Agency

from .. import selectors
from ..choices import DeadlineKind, DeadlineStatus
from ..models import Assignment, Case, DeadlineSuspension, Hearing
from .ops import Who


def need(request, perm: str, what: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied(f"您没有{what}的权限")


def user_agency(user) -> Agency | None:
    """The agency the user works for (None for a user without a unit, e.g. an administrator
    of a single-agency installation: then every agency's cases are visible)."""
    unit = getattr(user, "unit", None)
    return unit.agency if unit is not None else None


def intake_agency(user) -> Agency | None:
    return user_agency(user) or Agency.objects.filter(is_active=True).order_by("pk").first()


def case_for(request, pk: int) -> Case:
    """The case, if the user may see it: ``cases.view_case`` and the same agency (a provincial
    installation hosts several agencies)."""
    need(request, "cases.view_case", "查看案件")
    try:
        case = selectors.case_detail(pk)
    except Case.DoesNotExist:
        raise Http404("没有找到该案件") from None
    agency = user_agency(request.user)
    if agency is not None and agency.pk != case.agency_id:
        raise PermissionDenied("该案件不属于您所在的执法主体")
    return case


def who(request, case: Case) -> Who:
    """The asker and their relation to the case (three queries)."""
    team = frozenset(
        Assignment.objects.filter(case=case, released_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    presiders = frozenset(
        pk
        for row in Hearing.objects.filter(case=case, outcome="").values_list(
            "presider_id", "clerk_id"
        )
        for pk in row
        if pk is not None
    )
    suspension = (
        DeadlineSuspension.objects.filter(
            deadline__case=case,
            deadline__kind=DeadlineKind.DECISION,
            deadline__status=DeadlineStatus.OPEN,
            ends_on__isnull=True,
        )
        .values_list("reason", flat=True)
        .first()
    )
    return Who(
        user=request.user,
        case=case,
        perms=frozenset(request.user.get_all_permissions()),
        team_ids=team,
        presider_ids=presiders,
        decision_suspension=suspension or "",
    )

"""The demo personas of ARCHITECTURE.md §1 (also the test personas, see conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone

from sanxiang.registry.models import Agency, Unit

from . import roles
from .models import User

DEMO_PASSWORD = "Sanxiang@2026"


@dataclass(frozen=True)
class Persona:
    username: str
    real_name: str
    roles: tuple[str, ...]
    unit_kind: str | None
    phone: str = ""


PERSONAS = [
    Persona("zhangming", "张明", (roles.OFFICER,), Unit.Kind.ENFORCEMENT, "13903560001"),
    Persona("lihua", "李华", (roles.OFFICER,), Unit.Kind.ENFORCEMENT, "13903560002"),
    Persona("wangqiang", "王强", (roles.UNIT_HEAD,), Unit.Kind.ENFORCEMENT, "13903560003"),
    Persona("zhaomin", "赵敏", (roles.REVIEWER,), Unit.Kind.LEGAL_REVIEW, "13903560004"),
    Persona("chenlvshi", "陈律师", (roles.LEGAL_ADVISER,), Unit.Kind.OTHER, "13903560005"),
    Persona("liujuzhang", "刘局长", (roles.BUREAU_HEAD,), Unit.Kind.LEADERSHIP, "13903560006"),
    Persona("zhougongshi", "周公示", (roles.PUBLICITY_ADMIN,), Unit.Kind.OFFICE, "13903560007"),
    Persona("sundangan", "孙档案", (roles.ARCHIVIST,), Unit.Kind.OFFICE, "13903560008"),
    Persona("xitong", "系统管理员", (roles.SYSTEM_ADMIN,), Unit.Kind.OFFICE),
    Persona("anquan", "安全管理员", (roles.SECURITY_ADMIN,), Unit.Kind.OFFICE),
    Persona("shenji", "审计管理员", (roles.AUDIT_ADMIN,), Unit.Kind.OFFICE),
]

# Only for tests: a logged-in user without any role.
NO_ROLE = Persona("wuquanxian", "无权限用户", (), None)


def ensure_persona(persona: Persona, agency: Agency, *, password: str = DEMO_PASSWORD) -> User:
    unit = (
        Unit.objects.filter(agency=agency, kind=persona.unit_kind).order_by("pk").first()
        if persona.unit_kind
        else None
    )
    user, created = User.objects.get_or_create(
        username=persona.username,
        defaults={"real_name": persona.real_name, "unit": unit, "phone": persona.phone},
    )
    if created:
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
    # Demo set-up assigns roles directly: the role-assignment service needs an acting
    # security administrator, and this is the bootstrap that creates one.
    user.groups.set(Group.objects.filter(name__in=persona.roles))
    is_staff = bool(set(persona.roles) & roles.ADMIN_SITE_ROLES)
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    return user


def ensure_personas(agency: Agency, *, include_no_role: bool = False) -> dict[str, User]:
    people = PERSONAS + ([NO_ROLE] if include_no_role else [])
    return {p.username: ensure_persona(p, agency) for p in people}


def load(*, context: dict, stdout) -> None:
    context["users"] = ensure_personas(context["agency"])
    stdout.write(f"演示人员：{len(context['users'])} 人")

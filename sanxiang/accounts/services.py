"""Account services: roles, role assignment, login bookkeeping (lock-out) and security events."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import DomainError, NotPermitted

from . import roles
from .models import User


def declared_role_permissions() -> dict[str, set[str]]:
    """Role name → set of "app_label.codename", collected from every app's AppConfig."""
    declared: dict[str, set[str]] = {name: set() for name in roles.ALL}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            if role not in declared:
                raise ImproperlyConfigured(f"{config.name}: unknown role {role!r}")
            for perm in perms:
                declared[role].add(perm if "." in perm else f"{config.label}.{perm}")
    for role, perms in declared.items():
        for a, b in roles.SEPARATED_PERMISSIONS:
            if a in perms and b in perms:
                raise ImproperlyConfigured(f"role {role} would hold both {a} and {b}")
    return declared


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and set each one's permissions to exactly the declared ones."""
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, perms in declared_role_permissions().items():
        missing = sorted(perms - by_name.keys())
        if missing:
            raise ImproperlyConfigured(f"role {role}: unknown permissions {missing}")
        group, _ = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([by_name[p] for p in sorted(perms)])


@transaction.atomic
def user_set_roles(*, actor: User | None, user: User, role_names: list[str]) -> User:
    """Give ``user`` exactly these roles. Refuses incompatible combinations (三权分立)."""
    if actor is not None and not actor.has_perm("accounts.manage_accounts"):
        raise NotPermitted("只有安全管理员可以分配角色")
    unknown = sorted(set(role_names) - set(roles.ALL))
    if unknown:
        raise DomainError(f"未知角色：{'、'.join(unknown)}", field="roles")
    chosen = set(role_names)
    for pair in roles.INCOMPATIBLE:
        if pair <= chosen:
            a, b = sorted(pair)
            raise DomainError(f"“{a}”与“{b}”须由不同人员担任（三权分立）", field="roles")
    if (
        actor is not None
        and actor.pk == user.pk
        and roles.SECURITY_ADMIN in chosen | set(user.role_names)
    ):
        raise DomainError("安全管理员不能修改自己的角色", field="roles")
    before = user.role_names
    user.groups.set(Group.objects.filter(name__in=chosen))
    user.is_staff = bool(chosen & roles.ADMIN_SITE_ROLES)
    user.save(update_fields=["is_staff"])
    ledger.record(
        actor=actor,
        subject=user,
        type="account.roles_set",
        data={"before": before, "after": sorted(chosen)},
    )
    return user


def login_locked_until(user: User) -> dt.datetime | None:
    if user.locked_until and user.locked_until > timezone.now():
        return user.locked_until
    return None


@transaction.atomic
def login_failed(*, username: str, user: User | None, ip: str, reason: str) -> None:
    """Count a failed login; lock the account after LOGIN_MAX_FAILURES failures in a row."""
    locked = False
    if user is not None:
        user = User.objects.select_for_update().get(pk=user.pk)
        user.failed_logins += 1
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
            user.failed_logins = 0
            locked = True
        user.save(update_fields=["failed_logins", "locked_until"])
    ledger.record(
        actor=None,
        subject=user,
        type="security.login",
        data={
            "result": "failure",
            "username": username[:150],
            "ip": ip,
            "reason": reason,
            "locked": locked,
        },
    )


@transaction.atomic
def login_succeeded(*, user: User, ip: str) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    ledger.record(
        actor=user, subject=user, type="security.login", data={"result": "success", "ip": ip}
    )


@transaction.atomic
def logout_recorded(*, user: User, ip: str, reason: str) -> None:
    ledger.record(
        actor=user,
        subject=user,
        type="security.logout",
        data={"ip": ip, "reason": reason, "result": "success"},
    )


@transaction.atomic
def permission_denied_recorded(*, user: User | None, ip: str, path: str, reason: str) -> None:
    ledger.record(
        actor=user if user is not None and user.is_authenticated else None,
        subject=None,
        type="security.permission_denied",
        data={"ip": ip, "path": path[:500], "reason": reason[:500], "result": "denied"},
    )


def password_expired(user: User) -> bool:
    if not settings.PASSWORD_MAX_AGE_DAYS or user.password_changed_at is None:
        return False
    age = timezone.now() - user.password_changed_at
    return age > dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    from django.contrib.auth.password_validation import validate_password

    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "password_changed_at"])
    ledger.record(actor=user, subject=user, type="security.password_changed", data={})
    return user

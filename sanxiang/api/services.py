"""Writes of the API app: personal tokens (create, revoke, check) and the failed-authentication
counters. Each write records its ledger event in the same transaction (security.* events are
the audit log, 等保 2.0 三级 安全审计)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib.errors import DomainError, NotPermitted

from . import config
from .models import ApiToken, AuthThrottle

TOKEN_PREFIX = "sx_"
PREFIX_LENGTH = 8  # characters after "sx_" kept in clear (names the token, keys the limit)
MAX_TOKENS_PER_USER = 20


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def prefix_of(raw: str) -> str:
    """The public prefix named by a presented token ("" when it is not shaped like ours)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) < len(TOKEN_PREFIX) + PREFIX_LENGTH:
        return ""
    prefix = raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + PREFIX_LENGTH]
    return prefix if all(c.isalnum() or c in "-_" for c in prefix) else ""


# --- tokens ------------------------------------------------------------------------------------


@transaction.atomic
def token_create(*, actor, name: str, expires_on: dt.date | None = None) -> tuple[ApiToken, str]:
    """A new token for ``actor``: 32 random bytes, shown once as ``sx_…``; only its SHA-256 is
    stored. ``expires_on`` is the last day it works (Beijing time). Returns (token, raw)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise NotPermitted("请先登录")
    name = " ".join(str(name or "").split())
    if not name:
        raise DomainError("请填写令牌名称（如“省平台对接”）", field="name")
    if len(name) > 100:
        raise DomainError("令牌名称不能超过100个字", field="name")
    now = timezone.now()
    expires_at = None
    if expires_on is not None:
        today = timezone.localdate()
        if expires_on < today:
            raise DomainError("有效期不能早于今天", field="expires_on")
        if expires_on > today + dt.timedelta(days=3 * 366):
            raise DomainError("有效期不能超过三年", field="expires_on")
        next_day = expires_on + dt.timedelta(days=1)
        expires_at = timezone.make_aware(dt.datetime(next_day.year, next_day.month, next_day.day))
    live = ApiToken.objects.filter(user=actor, revoked_at__isnull=True)
    if (
        live.filter(expires_at__isnull=True).count() + live.filter(expires_at__gt=now).count()
        >= MAX_TOKENS_PER_USER
    ):
        raise DomainError(f"每人最多持有{MAX_TOKENS_PER_USER}个有效令牌，请先撤销不用的令牌")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix_of(raw),
        digest=digest_of(raw),
        created_at=now,
        expires_at=expires_at,
    )
    ledger.record(
        actor=actor,
        subject=token,
        type="security.api_token_created",
        data={
            "result": "success",
            "token": token.pk,
            "prefix": token.prefix,
            "name": name,
            "expires_at": expires_at,
        },
    )
    return token, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke one of ``actor``'s own tokens (it stops working at once; kept for the record)."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if actor is None or not actor.is_authenticated or token.user_id != actor.pk:
        raise NotPermitted("只能撤销本人的令牌")
    if token.revoked_at is not None:
        raise DomainError("该令牌已撤销")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    ledger.record(
        actor=actor,
        subject=token,
        type="security.api_token_revoked",
        data={"result": "success", "token": token.pk, "prefix": token.prefix},
    )
    return token


@dataclass(frozen=True)
class TokenCheck:
    user: object | None
    reason: str  # "" when valid; else unknown / malformed / revoked / expired / inactive
    token: ApiToken | None = None


REASONS = {
    "malformed": "令牌格式不正确",
    "unknown": "令牌无效",
    "revoked": "令牌已撤销",
    "expired": "令牌已过期",
    "inactive": "令牌持有人的账号已停用",
}

# Writing "last used" on every call would make each read a write; a minute's precision is
# what the settings page shows.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


def token_check(raw: str) -> TokenCheck:
    """Who ``raw`` acts for. Looked up by its SHA-256 (the raw token is never stored or
    compared), so the comparison leaks nothing usable about other tokens."""
    raw = (raw or "").strip()
    if not prefix_of(raw) or len(raw) > 200:
        return TokenCheck(None, "malformed")
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
    if token is None:
        return TokenCheck(None, "unknown")
    now = timezone.now()
    state = token.state(now)
    if state != "active":
        return TokenCheck(None, state, token)
    if not token.user.is_active:
        return TokenCheck(None, "inactive", token)
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return TokenCheck(token.user, "", token)


# --- failed authentication: counters and blocks -------------------------------------------------


def blocked_for(*, ip: str, prefix: str) -> dt.timedelta | None:
    """How long token checks from ``ip`` (or naming ``prefix``) are still refused, or None.
    Counts the refusal (not logged one by one: the block itself was logged once)."""
    now = timezone.now()
    keys = [(AuthThrottle.Scope.IP, ip)] + ([(AuthThrottle.Scope.PREFIX, prefix)] if prefix else [])
    rows = [
        r
        for r in AuthThrottle.objects.filter(blocked_until__gt=now).filter(
            scope__in=[s for s, _ in keys], key__in=[k for _, k in keys]
        )
        if (r.scope, r.key) in keys
    ]
    if not rows:
        return None
    AuthThrottle.objects.filter(pk__in=[r.pk for r in rows]).update(refused=F("refused") + 1)
    return max(r.blocked_until for r in rows) - now


def _count_failure(scope: str, key: str, limit: int, now: dt.datetime) -> bool:
    """Count one failure for (scope, key); True when this failure starts a block."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = AuthThrottle.objects.select_for_update().filter(scope=scope, key=key).first()
                if row is None:
                    row = AuthThrottle.objects.create(
                        scope=scope, key=key, window_start=now, failures=0
                    )
                if now - row.window_start > config.window():
                    row.window_start, row.failures, row.refused = now, 0, 0
                row.failures += 1
                starts_block = row.failures >= limit and (
                    row.blocked_until is None or row.blocked_until <= now
                )
                if starts_block:
                    row.blocked_until = now + config.block()
                    row.window_start, row.failures = now, 0
                row.save()
                return starts_block
        except IntegrityError:
            continue  # another request created the row first: count on it
    return False


def auth_failure_record(*, request, ip: str, prefix: str, reason: str) -> bool:
    """Count a failed token check against the address and the prefix it named, and record it
    in the audit log; when the limit is reached, record the block once. Returns True when
    checks from now on are refused (a block started)."""
    from sanxiang.ledger.audit import security_event

    now = timezone.now()
    detail = {"reason": reason, "prefix": prefix, "path": request.path[:200]}
    with transaction.atomic():
        started = _count_failure(AuthThrottle.Scope.IP, ip, config.failures_per_ip(), now)
        if prefix:
            started = (
                _count_failure(AuthThrottle.Scope.PREFIX, prefix, config.failures_per_prefix(), now)
                or started
            )
        security_event(request, "security.api_auth_failed", result="failure", **detail)
        if started:
            security_event(
                request,
                "security.api_auth_blocked",
                result="denied",
                block_seconds=int(config.block().total_seconds()),
                **detail,
            )
    return started


def throttle_prune(now: dt.datetime) -> int:
    """Forget counters whose window and block ended a day ago (a sweep)."""
    cutoff = now - dt.timedelta(days=1)
    stale = AuthThrottle.objects.filter(window_start__lt=cutoff).exclude(blocked_until__gt=cutoff)
    count, _ = stale.delete()
    return count

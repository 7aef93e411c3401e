"""Helpers shared by the case services: permission, validation with Chinese messages, locking
the case, refusing changes to closed cases."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django.utils import timezone

from sanxiang import ledger
from sanxiang.lib import codes
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.lib.money import MoneyError, parse_yuan

from ..choices import TERMINAL_STATES, State
from ..models import Case

# Dates further than this from the case's dates are almost certainly typing errors.
MAX_YEARS_BACK = 30


def require(actor, perm: str, what: str, *, case: Case | None = None, agency=None) -> None:
    """The actor holds ``perm`` and — when a case or agency is given — works for that agency
    (a provincial installation hosts several agencies; a user without a unit is not bound)."""
    if actor is None or not actor.is_active or not actor.has_perm(perm):
        raise NotPermitted(f"您没有{what}的权限")
    agency_id = case.agency_id if case is not None else getattr(agency, "pk", None)
    unit = getattr(actor, "unit", None)
    if agency_id is not None and unit is not None and unit.agency_id != agency_id:
        raise NotPermitted(f"您不属于该执法主体，不能{what.strip('“”')}")


def require_team(actor, case: Case, what: str) -> None:
    """执法人员 acts are done by the officers assigned to the case."""
    from ..selectors import is_on_team

    require(actor, "cases.handle_case", what, case=case)
    if not is_on_team(case=case, user=actor):
        raise NotPermitted(f"{what}须由本案办案人员办理")


def locked_case(case: Case | int, *, allow_terminal: bool = False) -> Case:
    """The case row locked for this transaction (SELECT … FOR UPDATE; on SQLite the IMMEDIATE
    transaction holds the write lock), refreshed. Closed cases are read-only (ARCHITECTURE.md
    invariant 9), and so are leads that were not filed."""
    pk = case.pk if isinstance(case, Case) else case
    try:
        fresh = Case.objects.select_for_update(of=("self",)).select_related("agency").get(pk=pk)
    except Case.DoesNotExist:
        raise DomainError("案件不存在") from None
    if not allow_terminal and fresh.state in TERMINAL_STATES:
        what = "已结案" if fresh.state == State.CLOSED else "未立案并已办结"
        raise DomainError(f"案件{what}，不能再修改（结案后只读）", code="read_only")
    if isinstance(case, Case):
        # Keep the caller's object in step with the database.
        for f in fresh._meta.concrete_fields:
            setattr(case, f.attname, getattr(fresh, f.attname))
    return fresh


def touch(case: Case, *fields: str) -> None:
    """Save ``fields`` of the case. ``state`` is always written with them: inside
    ``case_transition`` the new state is set before the action's effects, so the row's
    constraints (e.g. closed ⇔ closed_on) hold at every UPDATE."""
    case.updated_at = timezone.now()
    case.save(update_fields=sorted({*fields, "state", "updated_at"}))


def text(value, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    out = " ".join(str(value or "").split())
    if required and not out:
        raise DomainError(f"请填写{label}", field=field)
    if len(out) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return out


def long_text(
    value, *, field: str, label: str, required: bool = True, max_length: int = 20000
) -> str:
    out = str(value or "").strip()
    if required and not out:
        raise DomainError(f"请填写{label}", field=field)
    if len(out) > max_length:
        raise DomainError(f"{label}不能超过{max_length}个字", field=field)
    return out


def date(
    value,
    *,
    field: str,
    label: str,
    not_after_today: bool = True,
    not_before: dt.date | None = None,
    not_before_label: str = "",
    required: bool = True,
) -> dt.date | None:
    if value is None and not required:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise DomainError(f"请填写{label}（日期）", field=field)
    today = timezone.localdate()
    if not_after_today and value > today:
        raise DomainError(f"{label}不能晚于今天", field=field)
    if value.year < today.year - MAX_YEARS_BACK or value.year > today.year + 5:
        raise DomainError(f"{label}不在合理范围内，请检查年份", field=field)
    if not_before is not None and value < not_before:
        raise DomainError(
            f"{label}不能早于{not_before_label}（{not_before.isoformat()}）", field=field
        )
    return value


def choice(value, choices, *, field: str, label: str, required: bool = True) -> str:
    if not value and not required:
        return ""
    if value not in choices.values:
        raise DomainError(f"请选择{label}", field=field)
    return value


def money(value, *, field: str, label: str, required: bool = False) -> Decimal | None:
    try:
        amount = parse_yuan(value, label=label)
    except (MoneyError, TypeError) as exc:
        raise DomainError(str(exc), field=field) from None
    if amount is None and required:
        raise DomainError(f"请填写{label}", field=field)
    return amount


def positive_int(
    value, *, field: str, label: str, required: bool = False, maximum: int = 10**6
) -> int | None:
    if value in (None, "") and not required:
        return None
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(f"{label}应为整数", field=field) from None
    if isinstance(value, bool) or n < 1 or n > maximum:
        raise DomainError(f"{label}应为1至{maximum}之间的整数", field=field)
    return n


def uscc(value, *, field: str = "uscc", required: bool = True) -> str:
    raw = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if not raw and not required:
        return ""
    try:
        return codes.validate_uscc(raw)
    except codes.CodeError as exc:
        raise DomainError(str(exc), field=field) from None


def id_number(value, *, field: str = "id_number", required: bool = True) -> str:
    raw = "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()
    if not raw and not required:
        return ""
    try:
        return codes.validate_id_number(raw)
    except codes.CodeError as exc:
        raise DomainError(str(exc), field=field) from None


_LANDLINE = re.compile(r"(0\d{2,3}-?)?[2-9]\d{6,7}(转\d{1,6})?")


def phone(value, *, field: str = "phone") -> str:
    """A mobile number (11 digits starting with 1) is validated as such; otherwise a landline
    with an optional area code and extension ("0356-6221234", "6221234转801")."""
    raw = "".join(unicodedata.normalize("NFKC", str(value or "")).split())
    if not raw:
        return ""
    if raw.startswith("1") or raw.startswith("+86"):
        try:
            return codes.validate_mobile(raw.removeprefix("+86"))
        except codes.CodeError as exc:
            raise DomainError(f"联系电话：{exc}", field=field) from None
    if not _LANDLINE.fullmatch(raw):
        raise DomainError("联系电话格式不正确（手机号码或带区号的固定电话）", field=field)
    return raw


def record(*, actor, case: Case, type: str, data: dict) -> None:  # noqa: A002
    """One ledger event about the case, in the service's transaction."""
    ledger.record(actor=actor, subject=case, type=type, data=data)


def require_state(case: Case, states, what: str) -> None:
    if case.state not in states:
        labels = "、".join(State(s).label for s in states)
        raise DomainError(
            f"案件当前为“{State(case.state).label}”，{what}只能在“{labels}”时进行",
            code="wrong_state",
        )


def aware(value, *, field: str, label: str) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise DomainError(f"请填写{label}（日期和时间）", field=field)
    if timezone.is_naive(value):
        raise DomainError(f"{label}缺少时区", field=field)
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise DomainError(f"{label}不能晚于现在", field=field)
    return value

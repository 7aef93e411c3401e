"""Writes to the enforcement catalogue. Only these functions create items and versions.

Each one checks that the actor may maintain the catalogue (系统管理员, permission
``catalog.manage_catalog``), validates the whole content with :mod:`.rules` (Chinese reasons),
writes the version with its legal bases, tiers and 首违不罚 rule, and records a ledger event
carrying the full content in the same transaction, so the ledger can prove what the catalogue
said from which date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.db import IntegrityError, transaction

from sanxiang import ledger
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry.models import Agency, Unit

from . import rules
from .models import DiscretionTier, FirstOffenceRule, Item, ItemVersion, LegalBasis

MANAGE_PERMISSION = "catalog.manage_catalog"


class ContentInvalid(Blocked):
    """Several problems at once; ``problems`` ties each message to the field at fault."""

    def __init__(self, problems: list[rules.Problem]):
        self.problems = problems
        super().__init__([p.message for p in problems], code="invalid")


def _check_permission(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(MANAGE_PERMISSION):
        raise NotPermitted("只有系统管理员可以维护执法事项清单")


def _raise(problems: list[rules.Problem]) -> None:
    if len(problems) == 1:
        raise DomainError(problems[0].message, field=problems[0].field)
    if problems:
        raise ContentInvalid(problems)


def _unit_problems(content: rules.VersionContent, agency: Agency) -> list[rules.Problem]:
    if content.unit_id is None:
        return []
    if not Unit.objects.filter(pk=content.unit_id, agency=agency).exists():
        return [rules.Problem("unit", "承办机构应为本执法主体的内设机构")]
    return []


def _snapshot(content: rules.VersionContent) -> dict:
    return dataclasses.asdict(content)


def _write_version(
    *,
    actor,
    item: Item,
    number: int,
    effective_from: dt.date,
    change_note: str,
    content: rules.VersionContent,
) -> ItemVersion:
    version = ItemVersion(
        item=item,
        number=number,
        effective_from=effective_from,
        change_note=change_note.strip(),
        name=content.name.strip(),
        category=content.category,
        unit_id=content.unit_id,
        description=content.description.strip(),
        time_limit_text=content.time_limit_text.strip(),
        time_limit_workdays=content.time_limit_workdays,
        review_days=content.review_days,
        litigation_months=content.litigation_months,
        remedy_note=content.remedy_note.strip(),
        random_inspection=content.random_inspection,
        confidentiality_review=content.confidentiality_review,
        amount_nature=content.amount_nature,
        statutory_kind=content.statutory_kind,
        statutory_low=content.statutory_low,
        statutory_high=content.statutory_high,
        base_label=content.base_label.strip(),
        benchmark_status=content.benchmark_status,
        benchmark_note=content.benchmark_note.strip(),
        created_by=actor,
    )
    version.save()
    LegalBasis.objects.bulk_create(
        LegalBasis(
            version=version,
            position=i,
            kind=b.kind,
            law=b.law.strip(),
            article=b.article.strip(),
            text=b.text.strip(),
        )
        for i, b in enumerate(content.bases, start=1)
    )
    DiscretionTier.objects.bulk_create(
        DiscretionTier(
            version=version,
            level=t.level,
            rank=rules.LEVEL_RANK[t.level],
            circumstances=t.circumstances.strip(),
            sanction=t.sanction.strip(),
            amount_kind=t.amount_kind,
            low=t.low,
            high=t.high,
        )
        for t in content.tiers
    )
    if (fo := content.first_offence) is not None:
        FirstOffenceRule.objects.create(
            version=version,
            conditions=fo.conditions.strip(),
            max_affected_workers=fo.max_affected_workers,
            legal_basis=fo.legal_basis.strip(),
            measures=list(fo.measures),
            measures_note=fo.measures_note.strip(),
        )
    return version


@transaction.atomic
def item_create(
    *,
    actor,
    agency: Agency,
    code: str,
    effective_from: dt.date | None,
    change_note: str,
    content: rules.VersionContent,
) -> Item:
    """Create an item and its first version."""
    _check_permission(actor)
    code = rules.normalize_code(code)
    problems = rules.code_problems(code)
    if not problems and Item.objects.filter(agency=agency, code=code).exists():
        problems.append(rules.Problem("code", f"事项编码“{code}”已存在"))
    problems += rules.effective_date_problems(effective_from, None)
    if not (change_note or "").strip():
        problems.append(rules.Problem("change_note", "请填写变更说明（如“新增事项”）"))
    problems += rules.content_problems(content)
    problems += _unit_problems(content, agency)
    _raise(problems)
    assert effective_from is not None

    try:
        with transaction.atomic():
            item = Item.objects.create(agency=agency, code=code)
    except IntegrityError:  # the same code entered at the same moment by someone else
        raise DomainError(f"事项编码“{code}”已存在", field="code") from None
    version = _write_version(
        actor=actor,
        item=item,
        number=1,
        effective_from=effective_from,
        change_note=change_note,
        content=content,
    )
    ledger.record(
        actor=actor,
        subject=item,
        type="catalog.item_created",
        data={
            "code": code,
            "agency": agency.pk,
            "version": version.number,
            "effective_from": effective_from,
            "change_note": version.change_note,
            "content": _snapshot(content),
        },
    )
    return item


@transaction.atomic
def item_version_add(
    *,
    actor,
    item: Item,
    effective_from: dt.date | None,
    change_note: str,
    content: rules.VersionContent,
) -> ItemVersion:
    """Add a new version of ``item``; earlier versions stay as they were.

    The effective date may be in the future (a scheduled change) but not before the latest
    version's, so that "the version in force on a date" never depends on entry order.
    """
    _check_permission(actor)
    # Lock the item row so two concurrent additions cannot take the same number.
    item = Item.objects.select_for_update(of=("self",)).select_related("agency").get(pk=item.pk)
    latest = item.versions.order_by("-number").first()
    problems = rules.effective_date_problems(
        effective_from, latest.effective_from if latest else None
    )
    if not (change_note or "").strip():
        problems.append(rules.Problem("change_note", "请填写变更说明，写明改了什么、为什么改"))
    problems += rules.content_problems(content)
    problems += _unit_problems(content, item.agency)
    _raise(problems)
    assert effective_from is not None

    version = _write_version(
        actor=actor,
        item=item,
        number=(latest.number if latest else 0) + 1,
        effective_from=effective_from,
        change_note=change_note,
        content=content,
    )
    ledger.record(
        actor=actor,
        subject=item,
        type="catalog.item_version_added",
        data={
            "code": item.code,
            "version": version.number,
            "effective_from": effective_from,
            "change_note": version.change_note,
            "content": _snapshot(content),
        },
    )
    return version

"""Reads of the enforcement catalogue.

"The version in force on a date" is the version with the highest number whose effective date
is on or before that date (services keep effective dates non-decreasing with the number, so
this is also the latest effective date). Later case handling asks it twice, for the violation
date and the decision date (行政处罚法 第三十七条).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from . import rules
from .models import DiscretionTier, FirstOffenceRule, Item, ItemVersion, LegalBasis


def _in_force_pk(on: dt.date, *, item_ref: str = "pk") -> Subquery:
    return Subquery(
        ItemVersion.objects.filter(item=OuterRef(item_ref), effective_from__lte=on)
        .order_by("-number")
        .values("pk")[:1]
    )


def _first_pk(*, item_ref: str = "pk") -> Subquery:
    return Subquery(
        ItemVersion.objects.filter(item=OuterRef(item_ref)).order_by("number").values("pk")[:1]
    )


def item_version_on(item: Item, on: dt.date) -> ItemVersion | None:
    """The version of ``item`` in force on ``on``, or None if none had taken effect yet."""
    return (
        ItemVersion.objects.filter(item=item, effective_from__lte=on)
        .select_related("item", "item__agency", "unit", "created_by", "first_offence")
        .prefetch_related(*_version_prefetches())
        .order_by("-number")
        .first()
    )


def item_versions_for_act(
    item: Item, *, acted_on: dt.date, decided_on: dt.date
) -> tuple[ItemVersion | None, ItemVersion | None]:
    """The versions in force on the violation date and on the decision date.

    行政处罚法 第三十七条: the rules in force at the time of the act apply; if the rules in force
    at the decision are lighter (or the act is no longer punishable), those apply. Which one is
    lighter is a legal judgement recorded in the case; this returns both to compare.
    """
    return item_version_on(item, acted_on), item_version_on(item, decided_on)


@dataclass(frozen=True)
class Benchmark:
    """The discretion benchmark (裁量基准) of one item version."""

    version: ItemVersion
    statutory: rules.AmountRule
    tiers: list[DiscretionTier]

    @property
    def is_published(self) -> bool:
        return self.version.benchmark_status == rules.BENCHMARK_PUBLISHED

    def tier(self, level: str) -> DiscretionTier | None:
        return next((t for t in self.tiers if t.level == level), None)


def benchmark_on(item: Item, on: dt.date) -> Benchmark | None:
    """The benchmark in force on ``on``: the tiers of the version then in force (None when no
    version was in force or that version has no tiers)."""
    version = item_version_on(item, on)
    if version is None:
        return None
    tiers = list(version.tiers.all())
    if not tiers:
        return None
    return Benchmark(version=version, statutory=version.statutory, tiers=tiers)


def first_offence_rule_on(item: Item, on: dt.date) -> FirstOffenceRule | None:
    """The 首违不罚 rule of ``item`` in force on ``on`` (行政处罚法 第三十三条第一款)."""
    version = item_version_on(item, on)
    if version is None:
        return None
    return getattr(version, "first_offence", None)


def first_offence_list_on(*, on: dt.date, agency=None) -> QuerySet[FirstOffenceRule]:
    """The 首违不罚清单 in force on ``on``: one rule per item whose version then in force has one."""
    in_force = ItemVersion.objects.filter(pk=_in_force_pk(on, item_ref="item"))
    if agency is not None:
        in_force = in_force.filter(item__agency=agency)
    return (
        FirstOffenceRule.objects.filter(version__in=in_force.values("pk"))
        .select_related("version", "version__item")
        .prefetch_related(
            Prefetch("version__bases", queryset=LegalBasis.objects.order_by("position"))
        )
        .order_by("version__item__code")
    )


def item_list_on(
    *,
    on: dt.date,
    category: str = "",
    search: str = "",
    agency=None,
    random_inspection: bool | None = None,
) -> QuerySet[ItemVersion]:
    """The catalogue as of ``on``: for each item its version in force, or — for an item whose
    first version takes effect later — that first version (shown as "待生效").

    One query (plus the paginator's count) whatever the number of items: everything the list
    shows is joined or annotated.
    """
    shown = Item.objects.annotate(shown_pk=Coalesce(_in_force_pk(on), _first_pk())).values(
        "shown_pk"
    )
    qs = ItemVersion.objects.filter(pk__in=shown)
    if agency is not None:
        qs = qs.filter(item__agency=agency)
    if category:
        qs = qs.filter(category=category)
    if random_inspection is not None:
        qs = qs.filter(random_inspection=random_inspection)
    search = (search or "").strip()
    if search:
        basis_hit = LegalBasis.objects.filter(version=OuterRef("pk")).filter(
            Q(law__icontains=search) | Q(article__icontains=search)
        )
        qs = qs.filter(
            Q(item__code__icontains=search)
            | Q(name__icontains=search)
            | Q(description__icontains=search)
            | Exists(basis_hit)
        )
    later = ItemVersion.objects.filter(item=OuterRef("item"), number__gt=OuterRef("number"))
    return (
        qs.select_related("item", "unit")
        .annotate(
            tier_count=Count("tiers", distinct=True),
            has_first_offence=Exists(FirstOffenceRule.objects.filter(version=OuterRef("pk"))),
            has_later=Exists(later),
        )
        .order_by("item__code")
    )


def random_inspection_items_on(*, on: dt.date, agency=None) -> QuerySet[ItemVersion]:
    """The 双随机抽查事项清单 as of ``on`` (used by random inspections)."""
    return item_list_on(on=on, agency=agency, random_inspection=True).filter(effective_from__lte=on)


def _version_prefetches() -> list[Prefetch]:
    return [
        Prefetch("bases", queryset=LegalBasis.objects.order_by("position")),
        Prefetch("tiers", queryset=DiscretionTier.objects.order_by("rank")),
    ]


def item_version_get(item: Item, number: int) -> ItemVersion | None:
    return (
        ItemVersion.objects.filter(item=item, number=number)
        .select_related("item", "item__agency", "unit", "created_by", "first_offence")
        .prefetch_related(*_version_prefetches())
        .first()
    )


def item_latest_version(item: Item) -> ItemVersion | None:
    """The version with the highest number (possibly not yet in force): new versions follow it."""
    return (
        ItemVersion.objects.filter(item=item)
        .select_related("item", "unit", "first_offence")
        .prefetch_related(*_version_prefetches())
        .order_by("-number")
        .first()
    )


def item_history(item: Item) -> QuerySet[ItemVersion]:
    """All versions of ``item``, newest first, with who entered them."""
    return ItemVersion.objects.filter(item=item).select_related("created_by").order_by("-number")


def item_get(pk: int) -> Item | None:
    return Item.objects.select_related("agency").filter(pk=pk).first()


def version_content(version: ItemVersion) -> rules.VersionContent:
    """A version's content as plain values: the starting point of the next version."""
    fo = getattr(version, "first_offence", None)
    return rules.VersionContent(
        name=version.name,
        category=version.category,
        unit_id=version.unit_id,
        description=version.description,
        time_limit_text=version.time_limit_text,
        time_limit_workdays=version.time_limit_workdays,
        review_days=version.review_days,
        litigation_months=version.litigation_months,
        remedy_note=version.remedy_note,
        random_inspection=version.random_inspection,
        confidentiality_review=version.confidentiality_review,
        amount_nature=version.amount_nature,
        statutory_kind=version.statutory_kind,
        statutory_low=version.statutory_low,
        statutory_high=version.statutory_high,
        base_label=version.base_label,
        benchmark_status=version.benchmark_status,
        benchmark_note=version.benchmark_note,
        bases=tuple(
            rules.BasisData(kind=b.kind, law=b.law, article=b.article, text=b.text)
            for b in version.bases.all()
        ),
        tiers=tuple(
            rules.TierData(
                level=t.level,
                circumstances=t.circumstances,
                sanction=t.sanction,
                amount_kind=t.amount_kind,
                low=t.low,
                high=t.high,
            )
            for t in version.tiers.all()
        ),
        first_offence=rules.FirstOffenceData(
            conditions=fo.conditions,
            legal_basis=fo.legal_basis,
            measures=tuple(fo.measures),
            max_affected_workers=fo.max_affected_workers,
            measures_note=fo.measures_note,
        )
        if fo is not None
        else None,
    )

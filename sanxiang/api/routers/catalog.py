"""执法事项清单 Catalogue: items, their dated versions, legal bases, discretion benchmarks
(裁量基准) and the 首违不罚 list — read through ``catalog.selectors``, as the pages do. Like the
pages, every signed-in user may read the catalogue (it is public policy)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from sanxiang.catalog import rules, selectors
from sanxiang.catalog.models import Category, Item, ItemVersion

from ..paging import Page, PageQuery, paginate
from ..schemas import money
from ..types import Id, IsoDate, QueryText, choice
from .common import responses

router = Router(tags=["执法事项 Catalogue"])

DECIMAL = '金额（元）或倍数，字符串，两位小数，如 "2000.00"；无则为 null'


# --- shapes -----------------------------------------------------------------------------------


class ItemRow(Schema):
    id: int = Field(description="执法事项编号（跨版本不变）")
    code: str = Field(description="事项编码")
    version_id: int
    number: int = Field(description="所显示版本的版本号")
    name: str
    category: str
    category_label: str
    unit: str | None = Field(description="承办机构")
    effective_from: dt.date
    pending: bool = Field(description="该版本在 on 当日尚未生效（首个版本待生效）")
    has_later: bool = Field(description="有更新的版本")
    random_inspection: bool = Field(description="列入双随机抽查事项清单")
    tier_count: int = Field(description="裁量档次数")
    has_first_offence: bool = Field(description="有首违不罚情形")


class Basis(Schema):
    kind: str
    kind_label: str
    law: str
    article: str
    text: str


class Tier(Schema):
    level: str = Field(
        description="no_penalty 不予处罚；mitigated 减轻；lenient 从轻；general 一般；severe 从重"
    )
    level_label: str
    rank: int
    circumstances: str
    sanction: str
    amount_kind: str = Field(description="none / fixed（元）/ per_worker（元/人）/ multiple（倍）")
    low: str | None = Field(description=DECIMAL)
    high: str | None = Field(description=DECIMAL)
    amount_text: str


class Statutory(Schema):
    nature: str = Field(description="fine 罚款；compensation 加付赔偿金；空")
    kind: str
    low: str | None = Field(description=DECIMAL)
    high: str | None = Field(description=DECIMAL)
    base_label: str
    text: str


class FirstOffence(Schema):
    conditions: str
    max_affected_workers: int | None
    legal_basis: str
    measures: list[str]
    measure_labels: list[str]
    measures_note: str


class Version(Schema):
    id: int
    item_id: int
    code: str
    number: int
    effective_from: dt.date
    change_note: str
    status: str = Field(
        description="current 现行；scheduled 待生效；superseded 已被取代（以今天计）"
    )
    status_label: str
    name: str
    category: str
    category_label: str
    unit: str | None
    description: str
    time_limit_text: str
    time_limit_workdays: int | None
    review_days: int = Field(description="申请行政复议期限（日）")
    litigation_months: int = Field(description="提起行政诉讼期限（月）")
    remedy_note: str
    random_inspection: bool
    confidentiality_review: bool
    statutory: Statutory
    benchmark_status: str = Field(description="draft 草案；published 已公布施行；空")
    benchmark_note: str
    bases: list[Basis]
    tiers: list[Tier]
    first_offence: FirstOffence | None
    created_at: dt.datetime


class VersionRow(Schema):
    id: int
    number: int
    effective_from: dt.date
    change_note: str
    status: str
    status_label: str
    name: str
    created_at: dt.datetime


class Benchmark(Schema):
    item_id: int
    code: str
    on: dt.date
    version_id: int
    version_number: int
    published: bool = Field(description="裁量基准已公布施行（草案不得作为裁量依据对外适用）")
    statutory: Statutory
    tiers: list[Tier]


class FirstOffenceRow(Schema):
    item_id: int
    code: str
    version_id: int
    version_number: int
    name: str
    rule: FirstOffence


class ListQuery(PageQuery):
    on: IsoDate | None = Field(None, description="清单所依据的日期（默认今天）")
    category: choice(["", *Category.values]) = Field("", description="事项类别")  # type: ignore[valid-type]
    q: QueryText = Field("", description="编码、名称、内容或法律依据")


class OnQuery(Schema):
    on: IsoDate | None = Field(None, description="日期（默认今天）")


class ItemQuery(Schema):
    on: IsoDate | None = Field(None, description="取该日施行的版本（默认今天）")


class FirstOffenceQuery(PageQuery):
    on: IsoDate | None = Field(None, description="日期（默认今天）")


# --- conversion -------------------------------------------------------------------------------


def _row(v: ItemVersion, on: dt.date) -> dict:
    return {
        "id": v.item_id,
        "code": v.item.code,
        "version_id": v.pk,
        "number": v.number,
        "name": v.name,
        "category": v.category,
        "category_label": v.get_category_display(),
        "unit": v.unit.name if v.unit_id else None,
        "effective_from": v.effective_from,
        "pending": v.effective_from > on,
        "has_later": bool(getattr(v, "has_later", False)),
        "random_inspection": v.random_inspection,
        "tier_count": getattr(v, "tier_count", 0),
        "has_first_offence": bool(getattr(v, "has_first_offence", False)),
    }


def _statutory(v: ItemVersion) -> dict:
    return {
        "nature": v.amount_nature,
        "kind": v.statutory_kind,
        "low": money(v.statutory_low),
        "high": money(v.statutory_high),
        "base_label": v.base_label,
        "text": v.statutory_text,
    }


def _tier(t) -> dict:
    return {
        "level": t.level,
        "level_label": t.get_level_display(),
        "rank": t.rank,
        "circumstances": t.circumstances,
        "sanction": t.sanction,
        "amount_kind": t.amount_kind,
        "low": money(t.low),
        "high": money(t.high),
        "amount_text": t.amount_text,
    }


def _first_offence(fo) -> dict:
    return {
        "conditions": fo.conditions,
        "max_affected_workers": fo.max_affected_workers,
        "legal_basis": fo.legal_basis,
        "measures": list(fo.measures),
        "measure_labels": fo.measure_labels,
        "measures_note": fo.measures_note,
    }


def _status(item: Item, v: ItemVersion) -> tuple[str, str]:
    today = timezone.localdate()
    in_force = selectors.item_version_on(item, today)
    status = rules.version_status(
        number=v.number,
        effective_from=v.effective_from,
        in_force_number=in_force.number if in_force else None,
        on=today,
    )
    return status, rules.VERSION_STATUS_LABELS[status]


def _version(item: Item, v: ItemVersion) -> dict:
    status, label = _status(item, v)
    fo = getattr(v, "first_offence", None)
    return {
        "id": v.pk,
        "item_id": item.pk,
        "code": item.code,
        "number": v.number,
        "effective_from": v.effective_from,
        "change_note": v.change_note,
        "status": status,
        "status_label": label,
        "name": v.name,
        "category": v.category,
        "category_label": v.get_category_display(),
        "unit": v.unit.name if v.unit_id else None,
        "description": v.description,
        "time_limit_text": v.time_limit_text,
        "time_limit_workdays": v.time_limit_workdays,
        "review_days": v.review_days,
        "litigation_months": v.litigation_months,
        "remedy_note": v.remedy_note,
        "random_inspection": v.random_inspection,
        "confidentiality_review": v.confidentiality_review,
        "statutory": _statutory(v),
        "benchmark_status": v.benchmark_status,
        "benchmark_note": v.benchmark_note,
        "bases": [
            {
                "kind": b.kind,
                "kind_label": b.get_kind_display(),
                "law": b.law,
                "article": b.article,
                "text": b.text,
            }
            for b in v.bases.all()
        ],
        "tiers": [_tier(t) for t in v.tiers.all()],
        "first_offence": _first_offence(fo) if fo is not None else None,
        "created_at": v.created_at,
    }


def _item(pk: int) -> Item:
    item = selectors.item_get(pk)
    if item is None:
        raise Http404("没有这个执法事项")
    return item


# --- endpoints --------------------------------------------------------------------------------


@router.get(
    "/items",
    response=responses({200: Page[ItemRow]}),
    operation_id="catalog_items",
    summary="执法事项清单",
)
def items(request, q: Query[ListQuery]):
    """`on` 当日的执法事项清单：每个事项显示当日施行的版本；首个版本尚未生效的事项显示该版本
    （`pending`）。与“执法事项清单”页面相同。"""
    on = q.on or timezone.localdate()
    rows = selectors.item_list_on(on=on, category=q.category, search=q.q)
    return paginate(request, rows, q, lambda page: [_row(v, on) for v in page])


@router.get(
    "/items/{item_id}",
    response=responses({200: Version}, 404),
    operation_id="catalog_item",
    summary="执法事项（某日施行的版本）",
)
def item(request, item_id: Id, q: Query[ItemQuery]):
    """事项在 `on` 当日施行的版本（行政处罚法第三十七条：适用违法行为发生时的规定）。
    该日尚无施行的版本时返回 404。"""
    found = _item(item_id)
    on = q.on or timezone.localdate()
    version = selectors.item_version_on(found, on)
    if version is None:
        raise Http404(f"该事项在{rules.cn_date(on)}尚无施行的版本")
    return _version(found, version)


@router.get(
    "/items/{item_id}/versions",
    response=responses({200: Page[VersionRow]}, 404),
    operation_id="catalog_item_versions",
    summary="执法事项的全部版本",
)
def versions(request, item_id: Id, q: Query[PageQuery]):
    """全部版本，新版本在前；`status` 以今天计。"""
    found = _item(item_id)
    history = list(selectors.item_history(found))
    today = timezone.localdate()
    in_force = next((v.number for v in history if v.effective_from <= today), None)

    def rows(page):
        out = []
        for v in page:
            status = rules.version_status(
                number=v.number, effective_from=v.effective_from, in_force_number=in_force, on=today
            )
            out.append(
                {
                    "id": v.pk,
                    "number": v.number,
                    "effective_from": v.effective_from,
                    "change_note": v.change_note,
                    "status": status,
                    "status_label": rules.VERSION_STATUS_LABELS[status],
                    "name": v.name,
                    "created_at": v.created_at,
                }
            )
        return out

    return paginate(request, history, q, rows)


@router.get(
    "/items/{item_id}/versions/{number}",
    response=responses({200: Version}, 404),
    operation_id="catalog_item_version",
    summary="执法事项的某一版本",
)
def version(request, item_id: Id, number: Id):
    found = _item(item_id)
    v = selectors.item_version_get(found, number)
    if v is None:
        raise Http404("没有这个版本")
    return _version(found, v)


@router.get(
    "/items/{item_id}/benchmark",
    response=responses({200: Benchmark}, 404),
    operation_id="catalog_item_benchmark",
    summary="裁量基准（某日施行）",
)
def benchmark(request, item_id: Id, q: Query[OnQuery]):
    """`on` 当日施行的裁量基准：当日施行版本的法定幅度和各裁量档次（`catalog.selectors.
    benchmark_on`，案件办理计算拟处罚金额所用的同一查询）。当日没有施行的版本或该版本没有裁量
    档次时返回 404。"""
    found = _item(item_id)
    on = q.on or timezone.localdate()
    bench = selectors.benchmark_on(found, on)
    if bench is None:
        raise Http404(f"该事项在{rules.cn_date(on)}没有施行的裁量基准")
    return {
        "item_id": found.pk,
        "code": found.code,
        "on": on,
        "version_id": bench.version.pk,
        "version_number": bench.version.number,
        "published": bench.is_published,
        "statutory": _statutory(bench.version),
        "tiers": [_tier(t) for t in bench.tiers],
    }


@router.get(
    "/first-offence",
    response=responses({200: Page[FirstOffenceRow]}),
    operation_id="catalog_first_offence",
    summary="首违不罚清单",
)
def first_offence(request, q: Query[FirstOffenceQuery]):
    """`on` 当日施行的首违不罚清单（行政处罚法第三十三条第一款）。"""
    on = q.on or timezone.localdate()
    rows = selectors.first_offence_list_on(on=on)
    return paginate(
        request,
        rows,
        q,
        lambda page: [
            {
                "item_id": r.version.item_id,
                "code": r.version.item.code,
                "version_id": r.version_id,
                "version_number": r.version.number,
                "name": r.version.name,
                "rule": _first_offence(r),
            }
            for r in page
        ],
    )

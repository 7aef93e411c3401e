"""Pagination of every list: ``?limit=`` (1–100, default 20) and ``?offset=`` (default 0).
Each list answers ``{"count": total, "limit": …, "offset": …, "next": url|null,
"previous": url|null, "items": [...]}``; ``next`` is the same query with the next offset."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

from . import config
from .types import Limit, Offset

T = TypeVar("T")


class Page(Schema, Generic[T]):
    count: int = Field(description="符合条件的总条数")
    limit: int
    offset: int
    next: str | None = Field(description="下一页的地址（没有下一页时为 null）")
    previous: str | None = Field(description="上一页的地址（第一页时为 null）")
    items: list[T]


class PageQuery(Schema):
    limit: Limit = config.PAGE_DEFAULT
    offset: Offset = 0


def _url(request, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    query["limit"] = str(limit)
    return f"{request.path}?{query.urlencode()}"


def paginate(
    request,
    rows: QuerySet | Sequence,
    page: PageQuery,
    convert: Callable[[list], list[Any]] | None = None,
) -> dict:
    """One page of ``rows`` (a queryset is counted and sliced in the database); ``convert``
    turns the page's rows into items (e.g. to add what the selector computes per page)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    chunk = list(rows[page.offset : page.offset + page.limit]) if page.offset < count else []
    items = convert(chunk) if convert is not None else chunk
    end = page.offset + len(chunk)
    return {
        "count": count,
        "limit": page.limit,
        "offset": page.offset,
        "next": _url(request, end, page.limit) if end < count else None,
        "previous": _url(request, max(page.offset - page.limit, 0), page.limit)
        if page.offset > 0
        else None,
        "items": items,
    }

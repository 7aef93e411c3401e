"""Input types of the API contract. Bodies are parsed strictly (ARCHITECTURE.md §6, TECH-NOTES
§9): a date is an ISO string, never an integer; a boolean is ``true``/``false``; a number is
not a string; unknown fields are refused. Every string refuses NUL characters (PostgreSQL
cannot store them). Shapes only: every rule about the values is the services'."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from . import config

MAX_ID = 2**63 - 1  # the largest primary key a 64-bit column holds
NO_NUL = "^[^\\u0000]*$"

_DATE = re.compile(r"[12]\d{3}-\d{2}-\d{2}")
_DATE_PATTERN = r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}$"
_DATETIME_PATTERN = r"^[12][0-9]{3}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}"


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # already parsed (a default)
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise PydanticCustomError("date_type", "请按“年-月-日”填写日期，如 2026-03-01")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("date_value", "日期不存在，请检查月份和日期") from None


def _iso_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not re.match(_DATETIME_PATTERN, value) or len(value) > 40:
        raise PydanticCustomError(
            "datetime_type", "请按 ISO 8601 填写日期和时间并带时区，如 2026-03-10T09:30:00+08:00"
        )
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("datetime_value", "日期或时间不存在") from None
    if timezone.is_naive(parsed):
        raise PydanticCustomError(
            "datetime_naive", "日期和时间须带时区，如 2026-03-10T09:30:00+08:00"
        )
    return parsed


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("string_nul", "不能包含空字符（\\u0000）")
    return value


IsoDate = Annotated[
    dt.date,
    PlainValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": _DATE_PATTERN}),
]
IsoDateTime = Annotated[
    dt.datetime,
    PlainValidator(_iso_datetime),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": _DATETIME_PATTERN}),
]


def Text(max_length: int = 200, *, min_length: int = 0):  # noqa: N802 — a type factory
    """A string of at most ``max_length`` characters without NUL."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length, pattern=NO_NUL),
        AfterValidator(_no_nul),
    ]


LongText = Text(20000)
ShortText = Text(200)
Money = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,12}(\.[0-9]{1,2})?$",
        description='金额（元），字符串，最多两位小数，如 "900.00"',
        examples=["900.00"],
    ),
]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=1, le=1_000_000)]

# Query parameters come as text and are converted; these bound them so that no value reaches
# the database that it cannot hold.
QueryText = Annotated[str, Field(max_length=100, pattern=NO_NUL), AfterValidator(_no_nul)]
Limit = Annotated[
    int, Field(ge=1, le=config.PAGE_MAX, description=f"每页条数（1–{config.PAGE_MAX}）")
]
Offset = Annotated[int, Field(ge=0, le=config.OFFSET_MAX, description="跳过的条数")]


def choice(values) -> Any:
    """A ``Literal`` of a TextChoices' values (or any iterable of strings)."""
    return Literal[tuple(v for v in values)]


class Body(Schema):
    """Base of every request body: strict types, unknown fields refused."""

    model_config = ConfigDict(strict=True, extra="forbid")

"""Working-day arithmetic on the legal calendar (the same single import point every deadline
uses: ``workcalendar.selectors``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from sanxiang.lib.workdays import CalendarYearMissing
from sanxiang.workcalendar import selectors as wc

from ..errors import ApiError
from ..types import IsoDate
from .common import need, responses

router = Router(tags=["工作日 Working days"])

UNITS = {
    "workdays": (wc.add_workdays, "个工作日", 1000),
    "days": (wc.add_calendar_days, "日", 3660),
    "months": (wc.add_months, "个月", 120),
}


class DueQuery(Schema):
    start: IsoDate = Field(description="起算日期（当日不计入）")
    count: int = Field(ge=1, le=3660, description="期间长度")
    unit: Literal["workdays", "days", "months"] = Field(
        "workdays", description="workdays 工作日；days 日（届满日为节假日的顺延）；months 月"
    )


class Due(Schema):
    start: dt.date
    count: int
    unit: str
    due: dt.date = Field(description="期间届满日（最后一日）")
    text: str


@router.get(
    "/due",
    response=responses({200: Due}),
    operation_id="workdays_due",
    summary="计算期间届满日",
)
def due(request, q: Query[DueQuery]):
    """起算日期、期间长度和单位 → 届满日（民法典第二百零一条至第二百零三条；行政处罚法第八十五条）。
    所需年份的法定节假日安排尚未录入时，返回 422 和中文说明（不猜测）。"""
    need(request, "workcalendar.view_workcalendarday", "查看工作日历")
    add, label, limit = UNITS[q.unit]
    if q.count > limit:
        raise ApiError(
            422, f"期间长度不能超过{limit}{label}", fields={"count": [f"不能大于{limit}"]}
        )
    try:
        day = add(q.start, q.count)
    except CalendarYearMissing as exc:
        raise ApiError(
            422, exc.message, code="calendar_year_missing", fields={"start": [exc.message]}
        ) from None
    except OverflowError:
        raise ApiError(
            422, "日期超出可计算的范围", fields={"start": ["日期超出可计算的范围"]}
        ) from None
    return {
        "start": q.start,
        "count": q.count,
        "unit": q.unit,
        "due": day,
        "text": f"自{q.start:%Y年%m月%d日}起{q.count}{label}，至{day:%Y年%m月%d日}届满",
    }

from __future__ import annotations

import threading
from datetime import date

import pytest

from sanxiang.workcalendar import selectors
from sanxiang.workcalendar.rules import HolidayBlock, MakeupDay


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(monkeypatch):
    # Some tests change the tables directly (as another process would) inside their rolled-back
    # transaction; start every test with an empty per-process cache.
    monkeypatch.setattr(selectors, "_shared", None)
    monkeypatch.setattr(selectors, "_local", threading.local())


# A made-up 2027 notice (the real one is not published yet): plausible dates, every rule met.
BLOCKS_2027 = [
    HolidayBlock("元旦", date(2027, 1, 1), date(2027, 1, 3)),
    HolidayBlock("春节", date(2027, 2, 5), date(2027, 2, 11)),
    HolidayBlock("清明节", date(2027, 4, 3), date(2027, 4, 5)),
    HolidayBlock("劳动节", date(2027, 5, 1), date(2027, 5, 5)),
    HolidayBlock("端午节", date(2027, 6, 9), date(2027, 6, 9)),
    HolidayBlock("中秋节", date(2027, 9, 15), date(2027, 9, 15)),
    HolidayBlock("国庆节", date(2027, 10, 1), date(2027, 10, 7)),
]
MAKEUP_2027 = [
    MakeupDay(date(2027, 2, 13), "春节"),  # Saturday
    MakeupDay(date(2027, 4, 25), "劳动节"),  # Sunday
    MakeupDay(date(2027, 9, 26), "国庆节"),  # Sunday
    MakeupDay(date(2027, 10, 9), "国庆节"),  # Saturday
]


def notice_2027(**overrides) -> dict:
    kwargs = {
        "year": 2027,
        "notice_title": "国务院办公厅关于2027年部分节假日安排的通知",
        "notice_number": "国办发明电〔2026〕9号",
        "published_on": date(2026, 11, 5),
        "blocks": list(BLOCKS_2027),
        "makeup_days": list(MAKEUP_2027),
    }
    kwargs.update(overrides)
    return kwargs


def form_data(
    *,
    year: int | None = 2027,
    blocks=BLOCKS_2027,
    makeup_days=MAKEUP_2027,
    action: str = "save",
    rows: int = 9,
    **notice,
) -> dict:
    """The POST body of the entry page, as a browser without JavaScript sends it."""
    data = {
        "notice_title": f"国务院办公厅关于{year}年部分节假日安排的通知",
        "notice_number": "国办发明电〔2026〕9号",
        "published_on": "2026-11-05",
        "action": action,
    }
    if year is not None:
        data["year"] = str(year)
    data.update(notice)
    for prefix, items in (("block", blocks), ("makeup", makeup_days)):
        total = max(rows, len(items))
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total),
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for i in range(total):
            item = items[i] if i < len(items) else None
            if prefix == "block":
                data[f"block-{i}-name"] = item.name if item else ""
                data[f"block-{i}-first"] = item.first.isoformat() if item else ""
                data[f"block-{i}-last"] = item.last.isoformat() if item else ""
            else:
                data[f"makeup-{i}-day"] = item.day.isoformat() if item else ""
                data[f"makeup-{i}-name"] = item.name if item else ""
    return data

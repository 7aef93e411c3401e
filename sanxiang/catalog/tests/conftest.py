"""Catalogue test helpers: the catalogue's URLs and valid content to start from."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone

from sanxiang.catalog import rules, services
from sanxiang.registry.models import Unit


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def keeper(personas):
    """系统管理员 maintains the catalogue."""
    return personas.xitong


@pytest.fixture
def unit(agency):
    return Unit.objects.filter(agency=agency, kind=Unit.Kind.ENFORCEMENT).first()


def overtime_content(**changes) -> rules.VersionContent:
    """A valid 行政处罚 item modelled on 条例 第二十五条 (per worker 100–500 yuan)."""
    content = rules.VersionContent(
        name="用人单位违法延长劳动者工作时间",
        category=rules.PENALTY,
        amount_nature=rules.FINE,
        statutory_kind=rules.PER_WORKER,
        statutory_low=D("100"),
        statutory_high=D("500"),
        benchmark_status=rules.BENCHMARK_DRAFT,
        bases=(
            rules.BasisData(rules.BASIS_SETTING, "《中华人民共和国劳动法》", "第四十一条"),
            rules.BasisData(rules.BASIS_PENALTY, "《劳动保障监察条例》", "第二十五条", "……"),
        ),
        tiers=(
            rules.TierData(rules.LENIENT, "受侵害3人以下且及时改正", "警告"),
            rules.TierData(
                rules.GENERAL, "一般情形", "警告并处罚款", rules.PER_WORKER, D("100"), D("300")
            ),
            rules.TierData(
                rules.SEVERE, "20人以上", "警告并处罚款", rules.PER_WORKER, D("300"), D("500")
            ),
        ),
        first_offence=rules.FirstOffenceData(
            conditions="初次违法，受侵害劳动者不超过2人，责令改正期限内改正",
            legal_basis="《中华人民共和国行政处罚法》第三十三条第一款",
            measures=("education", "follow_up"),
            max_affected_workers=2,
        ),
    )
    return dataclasses.replace(content, **changes)


@pytest.fixture
def make_item(agency, keeper):
    def make(code="LCRS-CF-025-01", *, effective_from=dt.date(2020, 1, 1), **changes):
        return services.item_create(
            actor=keeper,
            agency=agency,
            code=code,
            effective_from=effective_from,
            change_note="新增事项",
            content=overtime_content(**changes),
        )

    return make


def post_data(
    content: rules.VersionContent,
    *,
    code: str | None = None,
    effective_from: str = "2020-01-01",
    change_note: str = "新增事项",
    blank_basis_rows: int = 2,
) -> dict:
    """The POST body of the version editor page for ``content`` (what a browser would send)."""
    data: dict = {
        "meta-effective_from": effective_from,
        "meta-change_note": change_note,
        "basics-name": content.name,
        "basics-category": content.category,
        "basics-unit": content.unit_id or "",
        "basics-description": content.description,
        "basics-time_limit_text": content.time_limit_text,
        "basics-time_limit_workdays": content.time_limit_workdays or "",
        "basics-review_days": content.review_days,
        "basics-litigation_months": content.litigation_months,
        "basics-remedy_note": content.remedy_note,
        "statutory-amount_nature": content.amount_nature,
        "statutory-statutory_kind": content.statutory_kind,
        "statutory-statutory_low": ""
        if content.statutory_low is None
        else str(content.statutory_low),
        "statutory-statutory_high": ""
        if content.statutory_high is None
        else str(content.statutory_high),
        "statutory-base_label": content.base_label,
        "statutory-benchmark_status": content.benchmark_status,
        "statutory-benchmark_note": content.benchmark_note,
    }
    if code is not None:
        data["item-code"] = code
    if content.random_inspection:
        data["basics-random_inspection"] = "on"
    if content.confidentiality_review:
        data["basics-confidentiality_review"] = "on"
    rows = list(content.bases) + [None] * blank_basis_rows
    data.update(
        {
            "bases-TOTAL_FORMS": len(rows),
            "bases-INITIAL_FORMS": len(rows),
            "bases-MIN_NUM_FORMS": 0,
            "bases-MAX_NUM_FORMS": 1000,
        }
    )
    for i, b in enumerate(rows):
        data[f"bases-{i}-kind"] = b.kind if b else rules.BASIS_SETTING
        data[f"bases-{i}-law"] = b.law if b else ""
        data[f"bases-{i}-article"] = b.article if b else ""
        data[f"bases-{i}-text"] = b.text if b else ""
    by_level = {t.level: t for t in content.tiers}
    levels = list(rules.LEVEL_LABELS)
    data.update(
        {
            "tiers-TOTAL_FORMS": len(levels),
            "tiers-INITIAL_FORMS": len(levels),
            "tiers-MIN_NUM_FORMS": 0,
            "tiers-MAX_NUM_FORMS": len(levels),
        }
    )
    for i, level in enumerate(levels):
        t = by_level.get(level)
        data[f"tiers-{i}-level"] = level
        data[f"tiers-{i}-circumstances"] = t.circumstances if t else ""
        data[f"tiers-{i}-sanction"] = t.sanction if t else ""
        data[f"tiers-{i}-amount_kind"] = t.amount_kind if t else rules.NONE
        data[f"tiers-{i}-low"] = "" if not t or t.low is None else str(t.low)
        data[f"tiers-{i}-high"] = "" if not t or t.high is None else str(t.high)
    fo = content.first_offence
    data["first_offence-conditions"] = fo.conditions if fo else ""
    data["first_offence-max_affected_workers"] = (fo.max_affected_workers or "") if fo else ""
    data["first_offence-legal_basis"] = fo.legal_basis if fo else ""
    data["first_offence-measures"] = list(fo.measures) if fo else []
    data["first_offence-measures_note"] = fo.measures_note if fo else ""
    return data

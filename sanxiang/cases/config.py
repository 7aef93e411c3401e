"""Configurable values of case handling, per agency with installation defaults.

Why a per-agency table (``CaseSettings``) over settings alone: the 较大数额 thresholds that
give a party the right to a hearing are set by each province (行政处罚法 第六十三条; DOMAIN.md
§3.9 — Beijing 1,000/30,000 yuan, Hunan 1,000/20,000), and a provincial installation serves
agencies of several jurisdictions; the defence period is printed on each agency's notice form.
The system administrator sets them in the admin; an agency without a row (or with a blank
field) uses the installation default from ``settings`` (``CASES_*``, read here with getattr),
and those fall back to the values below. The values applied are copied onto the notice when it
is served, so a later change never alters a notified case.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

DEFAULTS = {
    # Not fixed by national law; commonly 3 working days on the notice form (DOMAIN.md §3.8).
    "defence_workdays": 3,
    # 较大数额罚款 (行政处罚法 第六十三条第一款第（一）项), amounts at or above which a hearing is
    # offered. [M] 人力资源社会保障行政处罚办法 (人社部令第47号) is remembered as 5,000 / 50,000
    # yuan — not verified here; the bureau must confirm the Shanxi figure before relying on it.
    "hearing_fine_natural_person": Decimal("5000"),
    "hearing_fine_organisation": Decimal("50000"),
    # 行政处罚法 第五十一条: 对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告.
    "simplified_fine_natural_person": Decimal("200"),
    "simplified_fine_organisation": Decimal("3000"),
    # 劳动保障监察条例 第二十条: 2 年内未被发现、未被举报投诉的, 不再查处.
    "limitation_years": 2,
}

SETTING_NAMES = {key: f"CASES_{key.upper()}" for key in DEFAULTS}


@dataclass(frozen=True)
class CaseRules:
    defence_workdays: int
    hearing_fine_natural_person: Decimal
    hearing_fine_organisation: Decimal
    simplified_fine_natural_person: Decimal
    simplified_fine_organisation: Decimal
    limitation_years: int
    basis_note: str = ""


def installation_defaults() -> dict:
    out = {}
    for key, default in DEFAULTS.items():
        value = getattr(settings, SETTING_NAMES[key], default)
        out[key] = Decimal(str(value)) if isinstance(default, Decimal) else int(value)
    return out


def rules_for(agency) -> CaseRules:
    """The rules in force for ``agency`` (one query)."""
    from .models import CaseSettings

    values = installation_defaults()
    row = CaseSettings.objects.filter(agency=agency).first() if agency is not None else None
    note = ""
    if row is not None:
        for key in DEFAULTS:
            stored = getattr(row, key)
            if stored is not None:
                values[key] = stored
        note = row.basis_note
    return CaseRules(**values, basis_note=note)

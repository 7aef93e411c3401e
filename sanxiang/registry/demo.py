"""Demo data for the registry: the bureau of the seed plan and its internal units."""

from __future__ import annotations

from .models import Agency, Unit

AGENCY_NAME = "陵川县人力资源和社会保障局"

UNITS = [
    # (name, kind, duties)
    (
        "劳动保障监察大队（行政执法队）",
        Unit.Kind.ENFORCEMENT,
        "承办劳动保障监察案件：受理投诉举报、日常巡查、书面审查、调查取证、送达、执行。",
    ),
    (
        "劳动监察和信访仲裁股",
        Unit.Kind.LEGAL_REVIEW,
        "重大执法决定法制审核的工作机构（实施方案 三（一）1）。",
    ),
    ("局领导班子", Unit.Kind.LEADERSHIP, "作出行政执法决定，主持重大案件集体讨论。"),
    ("办公室", Unit.Kind.OFFICE, "政务公开、执法公示、档案管理、系统管理。"),
    ("外聘法律顾问", Unit.Kind.OTHER, "参与重大执法决定法制审核，提供法律意见。"),
]


def ensure_agency() -> Agency:
    agency, _ = Agency.objects.update_or_create(
        name=AGENCY_NAME,
        defaults={
            "short_name": "陵人社",
            # Fictional but valid under GB 32100-2015 (a real code is entered at installation).
            "uscc": "11140524MB1957031P",
            "legal_basis": (
                "《劳动保障监察条例》第三条、第十三条：县级以上地方各级人民政府劳动保障行政部门"
                "主管本行政区域内的劳动保障监察工作，对用人单位用工所在地的违法行为实施监察；"
                "《中华人民共和国行政处罚法》第十七条。"
            ),
            "jurisdiction": "山西省晋城市陵川县行政区域",
            "division_code": "140524",
            "address": "山西省晋城市陵川县崇文镇（示例地址）",
            "phone": "0356-0000000",
        },
    )
    for name, kind, duties in UNITS:
        Unit.objects.update_or_create(agency=agency, name=name, defaults={"kind": kind, "duties": duties})
    return agency


def unit(agency: Agency, kind: str) -> Unit:
    return Unit.objects.filter(agency=agency, kind=kind).order_by("pk").first()


def load(*, context: dict, stdout) -> None:
    context["agency"] = ensure_agency()
    stdout.write(f"执法主体：{context['agency'].name}")

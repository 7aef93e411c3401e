"""Demo data for the registry: the bureau of the seed plan and its internal units (``load``,
before the personas), then its officers, review staff, training and devices (``load_people``,
after the personas)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import (
    Agency,
    Certificate,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
    Unit,
)

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
        Unit.objects.update_or_create(
            agency=agency, name=name, defaults={"kind": kind, "duties": duties}
        )
    return agency


def unit(agency: Agency, kind: str) -> Unit:
    return Unit.objects.filter(agency=agency, kind=kind).order_by("pk").first()


def load(*, context: dict, stdout) -> None:
    context["agency"] = ensure_agency()
    stdout.write(f"执法主体：{context['agency'].name}")


# --- people, certificates, review staff, training and devices (after the personas) ----------

# Fictional numbers in the shape staff type them; the real ones are entered at installation.
CERT_ISSUER = "山西省人民政府"
CERT_SCOPE = "劳动保障监察 · 陵川县"
OFFICERS = [
    # (username, post, [(kind, number, valid_from, valid_until or None = 25 days from today)])
    (
        "zhangming",
        "劳动保障监察员",
        [
            (
                Certificate.Kind.ENFORCEMENT,
                "晋14052420240017",
                dt.date(2024, 3, 1),
                dt.date(2029, 2, 28),
            )
        ],
    ),
    # 李华's certificate runs out soon: it shows on her to-do list and the keeper's.
    (
        "lihua",
        "劳动保障监察员",
        [(Certificate.Kind.ENFORCEMENT, "晋14052420210033", dt.date(2021, 12, 20), None)],
    ),
    (
        "wangqiang",
        "劳动保障监察大队大队长",
        [
            (
                Certificate.Kind.ENFORCEMENT,
                "晋14052420230005",
                dt.date(2023, 6, 1),
                dt.date(2028, 5, 31),
            ),
            (
                Certificate.Kind.LABOUR_INSPECTION,
                "LDJC1405240009",
                dt.date(2023, 6, 1),
                dt.date(2028, 5, 31),
            ),
        ],
    ),
    (
        "liujuzhang",
        "局长",
        [
            (
                Certificate.Kind.ENFORCEMENT,
                "晋14052420220001",
                dt.date(2022, 9, 1),
                dt.date(2027, 8, 31),
            )
        ],
    ),
]
# Further officers of the 监察大队 without demo logins of their own (they can log in with the
# demo password too). One certificate has expired and one is suspended, so the registry, the
# case team check and the random-inspection pool all show an officer who may not act.
EXTRA_OFFICERS = [
    # (username, real name, post, certificate number, valid from, valid until, status)
    (
        "zhaogang",
        "赵刚",
        "劳动保障监察员",
        "晋14052420220041",
        dt.date(2022, 4, 1),
        dt.date(2027, 3, 31),
        "",
    ),
    (
        "sunli",
        "孙丽",
        "劳动保障监察员",
        "晋14052420230052",
        dt.date(2023, 5, 8),
        dt.date(2028, 5, 7),
        "",
    ),
    (
        "zhoujie",
        "周杰",
        "劳动保障监察员",
        "晋14052420230058",
        dt.date(2023, 5, 8),
        dt.date(2028, 5, 7),
        "",
    ),
    (
        "wumin",
        "吴敏",
        "劳动保障监察员",
        "晋14052420240063",
        dt.date(2024, 9, 2),
        dt.date(2029, 9, 1),
        "",
    ),
    (
        "zhengwei",
        "郑伟",
        "劳动保障监察员",
        "晋14052420190021",
        dt.date(2019, 7, 1),
        dt.date(2024, 6, 30),
        "expired",
    ),
    (
        "fenglei",
        "冯磊",
        "劳动保障监察员",
        "晋14052420210029",
        dt.date(2021, 10, 11),
        dt.date(2031, 10, 10),
        "suspended",
    ),
]
QUALIFICATIONS = [
    ("zhaomin", LegalQualification.Kind.LEGAL_PROFESSION, "A20191405240117", dt.date(2019, 12, 30)),
    ("chenlvshi", LegalQualification.Kind.JUDICIAL_EXAM, "A20121405020388", dt.date(2013, 2, 25)),
]
REVIEWERS = [
    ("zhaomin", ReviewerDesignation.Kind.STAFF, dt.date(2020, 1, 2)),
    ("chenlvshi", ReviewerDesignation.Kind.LEGAL_ADVISER, dt.date(2020, 1, 2)),
]
DEVICES = [
    # (kind, asset_no, model, serial, location, issued to)
    (
        RecordingDevice.Kind.BODY_CAMERA,
        "LCRS-ZFJLY-001",
        "执法记录仪 DSJ-A8（示例型号）",
        "A8S2024060117",
        "",
        "zhangming",
    ),
    (
        RecordingDevice.Kind.BODY_CAMERA,
        "LCRS-ZFJLY-002",
        "执法记录仪 DSJ-A8（示例型号）",
        "A8S2024060118",
        "监察大队设备柜",
        None,
    ),
    (
        RecordingDevice.Kind.FIXED,
        "LCRS-XWS-01",
        "询问室音视频记录系统（示例）",
        "",
        "一楼询问室",
        None,
    ),
]


def load_people(*, context: dict, stdout) -> None:
    """Officers with certificates, review staff with legal qualifications, this year's
    three-systems training and recording devices. Idempotent: existing records are kept."""
    from . import services

    agency, users = context["agency"], context["users"]
    keeper = users["xitong"]
    today = timezone.localdate()
    for username, post, certs in OFFICERS:
        user = users[username]
        officer = Officer.objects.filter(user=user).first() or services.officer_register(
            actor=keeper, user=user, agency=agency, post=post
        )
        for kind, number, valid_from, valid_until in certs:
            if not Certificate.objects.filter(kind=kind, number=number).exists():
                services.certificate_record(
                    actor=keeper,
                    officer=officer,
                    kind=kind,
                    number=number,
                    issuer=CERT_ISSUER
                    if kind == Certificate.Kind.ENFORCEMENT
                    else "山西省人力资源和社会保障厅",
                    scope=CERT_SCOPE,
                    valid_from=valid_from,
                    valid_until=valid_until or today + dt.timedelta(days=25),
                )
    from sanxiang.accounts import roles
    from sanxiang.accounts.demo import Persona, ensure_persona

    for username, real_name, post, number, valid_from, valid_until, status in EXTRA_OFFICERS:
        user = ensure_persona(
            Persona(username, real_name, (roles.OFFICER,), Unit.Kind.ENFORCEMENT), agency
        )
        officer = Officer.objects.filter(user=user).first() or services.officer_register(
            actor=keeper, user=user, agency=agency, post=post
        )
        if Certificate.objects.filter(number=number).exists():
            continue
        cert = services.certificate_record(
            actor=keeper,
            officer=officer,
            kind=Certificate.Kind.ENFORCEMENT,
            number=number,
            issuer=CERT_ISSUER,
            scope=CERT_SCOPE,
            valid_from=valid_from,
            valid_until=valid_until,
        )
        if status == "suspended":
            services.certificate_suspend(
                actor=keeper,
                certificate=cert,
                starts_on=dt.date(2026, 9, 1),
                reason="涉嫌违反执法纪律，调查期间暂扣（演示数据）",
            )
    for username, kind, number, granted_on in QUALIFICATIONS:
        if not LegalQualification.objects.filter(number=number).exists():
            services.qualification_record(
                actor=keeper,
                holder=users[username],
                kind=kind,
                number=number,
                granted_on=granted_on,
            )
    for username, kind, designated_on in REVIEWERS:
        if not ReviewerDesignation.objects.filter(agency=agency, user=users[username]).exists():
            services.reviewer_designate(
                actor=keeper,
                agency=agency,
                user=users[username],
                kind=kind,
                designated_on=designated_on,
            )
    title = f"{today.year}年行政执法“三项制度”专题学习培训"
    if not Training.objects.filter(agency=agency, title=title).exists():
        services.training_record(
            actor=keeper,
            agency=agency,
            data={
                "title": title,
                "topic": Training.Topic.THREE_SYSTEMS,
                "held_on": min(today, dt.date(today.year, 3, 18)),
                "hours": "3",
                "organiser": "陵川县人力资源和社会保障局办公室",
                "place": "局三楼会议室",
                "summary": "学习国办发〔2018〕118号和局实施方案；行政执法公示、全过程记录、"
                "重大执法决定法制审核的操作要求；平台使用演示。",
            },
            attendees=[
                users[u]
                for u in ("zhangming", "lihua", "wangqiang", "zhaomin", "chenlvshi", "liujuzhang")
            ],
        )
    for kind, asset_no, model_name, serial, location, holder in DEVICES:
        device = RecordingDevice.objects.filter(agency=agency, asset_no=asset_no).first()
        if device is None:
            device = services.device_register(
                actor=keeper,
                agency=agency,
                kind=kind,
                asset_no=asset_no,
                model_name=model_name,
                serial_no=serial,
                location=location,
                commissioned_on=dt.date(2024, 6, 20),
            )
            if holder:
                services.device_issue(actor=keeper, device=device, holder=users[holder])
    stdout.write(
        f"执法人员：{Officer.objects.filter(agency=agency, is_active=True).count()} 人；"
        f"法制审核人员：{ReviewerDesignation.objects.filter(agency=agency, ended_on__isnull=True).count()} 人；"
        f"音像记录设备：{RecordingDevice.objects.filter(agency=agency).count()} 台"
    )

"""The default scoring standard (评查标准): the 新疆维吾尔自治区劳动保障监察案卷评查标准 (2010)
100-point model of DOMAIN.md §7.1 [V S18], with veto items (否决项) from S18's 实体部分 and S19.

Plain data, loaded by migration 0002 (and by ``standard_load`` for tests and operators). Each
item: (code, text, points, hint) — ``hint`` names a fact read from the case as a reminder for
the evaluator (selectors.case_facts), never an automatic score.

Where the retrieved excerpt of S18 is cut off, the items are ours and marked ``[M]``: they are
configurable — publish a new version of the standard to change them.
"""

from __future__ import annotations

from decimal import Decimal

XINJIANG_2010 = {
    "name": "劳动保障监察案卷评查标准（新疆100分制）",
    "version": "2010",
    "effective_from": "2010-01-01",
    "note": "依据《新疆维吾尔自治区劳动保障监察案卷评查标准》（2010）；执行、结案、归档部分及送达第2项为本系统补充，可配置。",
    "sections": [
        (
            "立案",
            [
                ("L1", "当事人基本情况填写完整", 3, "parties"),
                ("L2", "案件来源记载清楚", 2, "source"),
                ("L3", "案件事实表述清楚", 3, ""),
                ("L4", "立案依据正确", 2, "causes"),
                ("L5", "承办人意见明确并签名", 2, ""),
                ("L6", "承办机构负责人审批意见明确并签名", 2, "filing"),
            ],
        ),
        (
            "调查",
            [
                ("D1", "调查取证的执法人员不少于两人", 2, "team"),
                ("D2", "询问（调查）笔录要素齐全", 3, "records"),
                ("D3", "笔录内容清楚、准确", 4, ""),
                ("D4", "被询问人签名，或注明拒绝签名情况", 2, "records_signed"),
                ("D5", "调查终结报告", 3, "proposal"),
                ("D6", "限期改正指令书制作正确", 5, "correction_orders"),
            ],
        ),
        (
            "取证",
            [
                ("E1", "证据先行登记保存经批准", 2, "preservations"),
                ("E2", "证据登记保存通知书加盖印章", 2, ""),
                ("E3", "对证据的描述清楚", 2, ""),
                ("E4", "证据持有人、见证人签名", 2, ""),
                ("E5", "证据清单及保存记录", 2, ""),
                ("E6", "对登记保存的证据作出处理决定并加盖印章", 2, ""),
            ],
        ),
        (
            "陈述申辩、听证",
            [
                ("S1", "事先告知", 2, "notices"),
                ("S2", "告知书送达回证", 3, "notice_service"),
                ("S3", "陈述申辩记录", 3, "defences"),
                ("S4", "依法组织听证", 2, "hearings"),
            ],
        ),
        (
            "处罚（处理）",
            [
                ("C1", "处罚（处理）审批表", 4, ""),
                ("C2", "处罚（处理）决定书内容完整", 5, "decision"),
                ("C3", "签名、盖章", 3, ""),
                ("C4", "使用财政部门统一的罚没款收据", 4, "payments"),
                ("C5", "结案报告", 4, "closing"),
                ("C6", "重大案件经集体讨论", 4, "discussions"),
            ],
        ),
        (
            "送达",
            [
                ("T1", "送达程序合法", 4, "services"),
                # [M] the excerpt is cut off at "在法…": most likely "served within the period".
                ("T2", "在法定期限内送达", 3, "services"),
            ],
        ),
        # [M] 执行、结案、归档 (14 points): not visible in the retrieved excerpt of S18; ours,
        # configurable. The seed plan makes the full-process record part of every evaluation
        # ("将行政执法全过程记录的真实性、完整性、准确性作为案卷评查的重要内容"), hence X3.
        (
            "执行、结案、归档",
            [
                ("X1", "决定执行到位，或依法催告、申请人民法院强制执行", 4, "execution"),  # [M]
                ("X2", "结案审批手续完备，结案日期、理由记载清楚", 3, "closing"),  # [M]
                ("X3", "执法全过程记录真实、完整、准确", 4, "records"),  # [M]
                ("X4", "一案一卷，文书齐全、排列有序、页码连续，及时归档", 3, ""),  # [M]
            ],
        ),
    ],
    # Any of these → 不合格 whatever the points (DOMAIN.md §7.1 [V S18, S19]).
    "vetoes": [
        ("V1", "执法主体不合法"),
        ("V2", "执法人员不具备执法资格"),
        ("V3", "当事人认定错误"),
        ("V4", "认定事实不清、证据不足"),
        ("V5", "定性错误或适用法律依据错误"),
        ("V6", "超越法定职权或管辖范围"),
        ("V7", "违反法定程序（应告知未告知、应听证未听证、未经法制审核等）"),
        ("V8", "调查取证的执法人员少于两人"),
        ("V9", "涉嫌犯罪应移送司法机关而未移送"),
    ],
}


def total_points(data: dict) -> Decimal:
    return sum(
        (Decimal(str(points)) for _, items in data["sections"] for _, _, points, _ in items),
        Decimal(0),
    )


def standard_load(data: dict, *, Standard, Section, Item, VetoItem):  # noqa: N803
    """Create the standard described by ``data`` (model classes passed in so that migrations
    can use their historical models). Returns the standard; an existing one (same name and
    version) is returned untouched."""
    import datetime as dt

    existing = Standard.objects.filter(name=data["name"], version=data["version"]).first()
    if existing is not None:
        return existing
    standard = Standard.objects.create(
        name=data["name"],
        version=data["version"],
        effective_from=dt.date.fromisoformat(data["effective_from"]),
        note=data.get("note", ""),
        full_points=total_points(data),
    )
    for s_pos, (title, items) in enumerate(data["sections"], start=1):
        section = Section.objects.create(
            standard=standard,
            position=s_pos,
            title=title,
            points=sum((Decimal(str(i[2])) for i in items), Decimal(0)),
        )
        Item.objects.bulk_create(
            Item(
                section=section,
                standard=standard,
                position=i_pos,
                code=code,
                text=text,
                points=Decimal(str(points)),
                hint=hint,
            )
            for i_pos, (code, text, points, hint) in enumerate(items, start=1)
        )
    VetoItem.objects.bulk_create(
        VetoItem(standard=standard, position=pos, code=code, text=text)
        for pos, (code, text) in enumerate(data["vetoes"], start=1)
    )
    return standard

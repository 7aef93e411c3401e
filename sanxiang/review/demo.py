"""Demo data of legal review: the bureau's 重大执法决定法制审核目录 and review settings, and the
demo's major case (【演示】大面积超时加班（重大）, pending decision) taken through one returned
round and submitted again — so 赵敏's queue holds a round to review, with an advisory opinion
of 陈律师 attached, and the case page shows why the decision is still blocked.

Loader: ``sanxiang.review.demo.load`` — after the cases demo. Idempotent: the catalogue is added
once, and nothing is done for the case when it already has a submission. The catalogue's
amounts are examples for the demo, not Shanxi's official thresholds (DOMAIN.md §3.9: open item).
"""

from __future__ import annotations

import datetime as dt

from sanxiang.cases import services as case_services
from sanxiang.cases.choices import PenaltyType, State
from sanxiang.cases.models import Case, Proposal

from . import rules, services
from .choices import CatalogueKind, PartyScope, Point
from .models import CatalogueEntry, ReviewSettings, Submission

CATALOGUE = [
    # (kind, title, description, basis, extra)
    (
        CatalogueKind.PENALTY_TYPE,
        "吊销许可证件、降低资质等级、责令停产停业、责令关闭、限制从业",
        "拟作出上述行政处罚的",
        "行政处罚法第五十八条、第六十三条；国办发〔2018〕118号",
        {
            "penalty_types": [
                PenaltyType.REVOKE_LICENCE,
                PenaltyType.LOWER_QUALIFICATION,
                PenaltyType.SUSPEND_BUSINESS,
                PenaltyType.CLOSE,
                PenaltyType.RESTRICT_EMPLOYMENT,
            ]
        },
    ),
    (
        CatalogueKind.AMOUNT,
        "对法人或其他组织罚没金额3万元以上",
        "演示标准，以本机关公布的目录为准",
        "国办发〔2018〕118号：按涉案金额编制目录",
        {"threshold": "30000", "party_scope": PartyScope.ORGANISATION},
    ),
    (
        CatalogueKind.AMOUNT,
        "对公民罚没金额5000元以上",
        "演示标准，以本机关公布的目录为准",
        "国办发〔2018〕118号：按涉案金额编制目录",
        {"threshold": "5000", "party_scope": PartyScope.NATURAL_PERSON},
    ),
    (
        CatalogueKind.HEARING,
        "经过听证程序作出的行政执法决定",
        "听证结束时由系统自动标记，不能撤销",
        "行政处罚法第五十八条第一款第（二）项；实施方案 三（三）2",
        {},
    ),
    (
        CatalogueKind.COMPLEX,
        "案件情况疑难复杂、涉及多个法律关系",
        "如劳务派遣、转包分包涉及多个用工主体",
        "行政处罚法第五十八条第一款第（三）项",
        {},
    ),
    (
        CatalogueKind.PUBLIC_INTEREST,
        "涉及重大公共利益",
        "",
        "行政处罚法第五十八条第一款第（一）项",
        {},
    ),
    (
        CatalogueKind.SOCIAL_IMPACT,
        "可能造成重大社会影响或引发社会风险",
        "如拖欠农民工工资人数较多、可能引发群体性事件",
        "实施方案 三（三）2；国办发〔2018〕118号",
        {},
    ),
    (
        CatalogueKind.MAJOR_RIGHTS,
        "直接关系当事人或第三人重大权益",
        "",
        "行政处罚法第五十八条第一款第（二）项",
        {},
    ),
]

DEMO_CASE = "大面积超时加班（重大）"


def load(*, context: dict, stdout) -> None:
    agency, users = context["agency"], context["users"]
    keeper = users["xitong"]
    if not ReviewSettings.objects.filter(agency=agency).exists():
        services.review_settings_set(
            actor=keeper,
            agency=agency,
            review_workdays=5,
            extension_workdays=3,
            complex_needs_review=False,
            basis_note="审核期限参照坎门街道（5个工作日）、辽宁（7+3个工作日）的做法设定（演示）",
        )
    if not CatalogueEntry.objects.filter(agency=agency).exists():
        for kind, title, description, basis, extra in CATALOGUE:
            services.catalogue_entry_add(
                actor=keeper,
                agency=agency,
                kind=kind,
                title=title,
                description=description,
                basis=basis,
                effective_from=dt.date(2020, 1, 1),
                **extra,
            )
    case = Case.objects.filter(
        agency=agency, summary__endswith=DEMO_CASE, state=State.PENDING_DECISION
    ).first()
    if case is None or Submission.objects.filter(case=case).exists():
        stdout.write(
            f"法制审核：目录 {CatalogueEntry.objects.filter(agency=agency).count()} 条；"
            f"送审 {Submission.objects.filter(case__agency=agency).count()} 轮（未重复载入）"
        )
        return
    zhang, zhao, chen = users["zhangming"], users["zhaomin"], users["chenlvshi"]
    materials = [key for key, _ in rules.MATERIALS]
    first = services.review_submit(
        actor=zhang, case=case, checklist=materials, attested=True, note="受侵害劳动者25人"
    )
    points = {code: ("pass", "") for code in Point.values}
    points[Point.LAW] = (
        "problem",
        "适用从重档次，但拟处理意见未写明从重的具体情节及其与裁量基准的对应关系",
    )
    services.review_conclude(
        actor=zhao,
        submission=first,
        points=points,
        opinion="revise",
        reasons="裁量说理不充分，请补充从重处罚的事实依据后再报。",
    )
    last = Proposal.objects.filter(case=case).order_by("-revision").first()
    case_services.proposal_make(
        actor=zhang,
        case=case,
        kind=last.kind,
        facts_found=last.facts_found,
        item_version=last.item_version,
        tier_level=last.tier_level,
        penalty_types=last.penalty_types,
        fine_amount=last.fine_amount,
        affected_workers=last.affected_workers,
        legal_basis=last.legal_basis,
        discretion_reason="受侵害劳动者25人，超过裁量基准“20人以上”的从重情形；"
        "经责令改正后仍有8名劳动者每月加班超过36小时",
        change_reason="按法制审核意见补充从重处罚的情节",
    )
    second = services.review_submit(
        actor=zhang,
        case=case,
        checklist=materials,
        attested=True,
        note="已按第1轮审核意见补充裁量理由（拟处理意见第2版）",
    )
    request = services.expert_request(
        actor=zhao,
        submission=second,
        kind="legal_adviser",
        question="从重档次的适用及罚款数额是否适当？",
        expert=chen,
    )
    services.expert_answer(
        actor=chen,
        request=request,
        answer="受侵害人数达到从重情形，罚款数额在法定幅度内，裁量适当。",
    )
    stdout.write(
        f"法制审核：目录 {CatalogueEntry.objects.filter(agency=agency).count()} 条；"
        f"演示案件 {case.number} 第1轮退回、第2轮待赵敏审核"
    )

"""Demo catalogue of 陵川县人社局: items built from 劳动保障监察条例 第二十三条至第三十条, a few
inspection and coercion items, the bureau's *draft* discretion benchmarks and a 首违不罚 rule.

Everything goes through the services with 系统管理员 as the actor (so the ledger has the
events). Loading twice changes nothing: an item that exists is left alone, and only versions it
lacks are added. Statute text is quoted from 劳动保障监察条例 (国务院令第423号), 劳动法,
劳动合同法 and 社会保险法; the tiers' circumstances are a plausible draft, not an adopted
benchmark, and say so.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from sanxiang.registry.models import Unit

from . import rules, services
from .models import Item

R = rules
S, P, H, IMPL = R.BASIS_SETTING, R.BASIS_PENALTY, R.BASIS_HANDLING, R.BASIS_IMPLEMENTING

REG = "《劳动保障监察条例》"
LABOUR = "《中华人民共和国劳动法》"
CONTRACT = "《中华人民共和国劳动合同法》"
SOCIAL = "《中华人民共和国社会保险法》"
PENALTY_LAW = "《中华人民共和国行政处罚法》"

FIRST_EDITION = dt.date(2020, 1, 1)
FIRST_NOTE = "依据本局《行政执法三项制度工作实施方案》首次编制执法事项清单"
DRAFT_NOTE = (
    "陵川县人力资源和社会保障局劳动保障监察行政处罚裁量基准（草案）。演示数据：未经集体讨论"
    "审议，未公布，不得作为执法依据（行政处罚法 第三十四条：裁量基准应当向社会公布）。"
)
REMEDY = (
    "当事人对决定不服的，可以自知道之日起六十日内向陵川县人民政府申请行政复议，或者自知道"
    "之日起六个月内向有管辖权的人民法院提起行政诉讼。"
)
CASE_TIME = (
    "自立案之日起60个工作日内完成调查；情况复杂的，经局负责人批准可延长30个工作日"
    "（条例 第十七条）。行政处罚自立案之日起90日内作出决定（行政处罚法 第六十条）。"
)
HANDLING_TIME = (
    "自立案之日起60个工作日内完成调查；情况复杂的，经局负责人批准可延长30个工作日"
    "（条例 第十七条）。责令改正、限期支付的期限在责令改正指令书中载明。"
)
NO_PENALTY_TIER = R.TierData(
    R.NO_PENALTY,
    "违法行为轻微并及时改正，没有造成危害后果的（行政处罚法 第三十三条第一款）",
    "不予行政处罚；责令改正，并对当事人进行教育",
)

ART23_HEAD = (
    "用人单位有下列行为之一的，由劳动保障行政部门责令改正，按照受侵害的劳动者每人1000元以上"
    "5000元以下的标准计算，处以罚款："
)
ART23 = [
    # (suffix, name, 劳动法 article, 劳动法 text, 条例 item text)
    (
        "01",
        "安排女职工从事矿山井下、第四级体力劳动强度或者其他禁忌从事的劳动",
        "第五十九条",
        "禁止安排女职工从事矿山井下、国家规定的第四级体力劳动强度的劳动和其他禁忌从事的劳动。",
        "（一）安排女职工从事矿山井下劳动、国家规定的第四级体力劳动强度的劳动或者其他禁忌从事的劳动的",
    ),
    (
        "02",
        "安排经期女职工从事高处、低温、冷水作业或者第三级体力劳动强度的劳动",
        "第六十条",
        "不得安排女职工在经期从事高处、低温、冷水作业和国家规定的第三级体力劳动强度的劳动。",
        "（二）安排女职工在经期从事高处、低温、冷水作业或者国家规定的第三级体力劳动强度的劳动的",
    ),
    (
        "03",
        "安排孕期女职工从事第三级体力劳动强度或者孕期禁忌从事的劳动",
        "第六十一条",
        "不得安排女职工在怀孕期间从事国家规定的第三级体力劳动强度的劳动和孕期禁忌从事的劳动。",
        "（三）安排女职工在怀孕期间从事国家规定的第三级体力劳动强度的劳动或者孕期禁忌从事的劳动的",
    ),
    (
        "04",
        "安排怀孕7个月以上的女职工夜班劳动或者延长其工作时间",
        "第六十一条",
        "对怀孕七个月以上的女职工，不得安排其延长工作时间和夜班劳动。",
        "（四）安排怀孕7个月以上的女职工夜班劳动或者延长其工作时间的",
    ),
    (
        "05",
        "女职工生育享受产假少于90天",
        "第六十二条",
        "女职工生育享受不少于九十天的产假。",
        "（五）女职工生育享受产假少于90天的",
    ),
    (
        "06",
        "安排哺乳期女职工从事禁忌劳动、延长工作时间或者夜班劳动",
        "第六十三条",
        "不得安排女职工在哺乳未满一周岁的婴儿期间从事国家规定的第三级体力劳动强度的劳动和"
        "哺乳期禁忌从事的其他劳动，不得安排其延长工作时间和夜班劳动。",
        "（六）安排女职工在哺乳未满1周岁的婴儿期间从事国家规定的第三级体力劳动强度的劳动或者"
        "哺乳期禁忌从事的其他劳动，以及延长其工作时间或者安排其夜班劳动的",
    ),
    (
        "07",
        "安排未成年工从事矿山井下、有毒有害、第四级体力劳动强度或者其他禁忌从事的劳动",
        "第六十四条",
        "不得安排未成年工从事矿山井下、有毒有害、国家规定的第四级体力劳动强度的劳动和其他禁忌"
        "从事的劳动。",
        "（七）安排未成年工从事矿山井下、有毒有害、国家规定的第四级体力劳动强度的劳动或者其他"
        "禁忌从事的劳动的",
    ),
    (
        "08",
        "未对未成年工定期进行健康检查",
        "第六十五条",
        "用人单位应当对未成年工定期进行健康检查。",
        "（八）未对未成年工定期进行健康检查的",
    ),
]
ITEM_NUMBERS = "一二三四五六七八"

ART26_HEAD = (
    "用人单位有下列行为之一的，由劳动保障行政部门分别责令限期支付劳动者的工资报酬、劳动者工资"
    "低于当地最低工资标准的差额或者解除劳动合同的经济补偿；逾期不支付的，责令用人单位按照应付"
    "金额50%以上1倍以下的标准计算，向劳动者加付赔偿金："
)
CONTRACT85_HEAD = (
    "用人单位有下列情形之一的，由劳动行政部门责令限期支付劳动报酬、加班费或者经济补偿；劳动报酬"
    "低于当地最低工资标准的，应当支付其差额部分；逾期不支付的，责令用人单位按应付金额百分之五十"
    "以上百分之一百以下的标准向劳动者加付赔偿金："
)
ART28_HEAD = (
    "职业介绍机构、职业技能培训机构或者职业技能考核鉴定机构违反国家有关职业介绍、职业技能培训"
    "或者职业技能考核鉴定的规定的，由劳动保障行政部门责令改正，没收违法所得，并处1万元以上"
    "5万元以下的罚款；情节严重的，吊销许可证。"
)
ART29_HEAD = "用人单位违反《中华人民共和国工会法》，有下列行为之一的，由劳动保障行政部门责令改正："
ART30_HEAD = (
    "有下列行为之一的，由劳动保障行政部门责令改正；对有第(一)项、第(二)项或者第(三)项规定的"
    "行为的，处2000元以上2万元以下的罚款："
)


def _content(**kwargs) -> R.VersionContent:
    kwargs.setdefault("time_limit_text", CASE_TIME)
    kwargs.setdefault("time_limit_workdays", 60)
    kwargs.setdefault("remedy_note", REMEDY)
    return R.VersionContent(**kwargs)


def _benchmark(**kwargs) -> dict:
    return {"benchmark_status": R.BENCHMARK_DRAFT, "benchmark_note": DRAFT_NOTE, **kwargs}


def _art23(unit_id) -> list[tuple[str, list]]:
    out = []
    for i, (suffix, name, labour_article, labour_text, item_text) in enumerate(ART23):
        content = _content(
            name=name,
            category=R.PENALTY,
            unit_id=unit_id,
            description=f"对用人单位{name}的行为责令改正并处以罚款。",
            amount_nature=R.FINE,
            statutory_kind=R.PER_WORKER,
            statutory_low=D("1000"),
            statutory_high=D("5000"),
            bases=(
                R.BasisData(S, LABOUR, labour_article, labour_text),
                R.BasisData(
                    P, REG, f"第二十三条第（{ITEM_NUMBERS[i]}）项", ART23_HEAD + item_text + "。"
                ),
                R.BasisData(
                    P,
                    LABOUR,
                    "第九十五条",
                    "用人单位违反本法对女职工和未成年工的保护规定，侵害其合法权益的，由劳动行政部门"
                    "责令改正，处以罚款；对女职工或者未成年工造成损害的，应当承担赔偿责任。",
                ),
            ),
            tiers=(
                NO_PENALTY_TIER,
                R.TierData(
                    R.LENIENT,
                    "受侵害劳动者3人以下，违法行为持续不超过1个月，且在责令改正期限内改正的；"
                    "或者具有行政处罚法第三十二条规定的从轻情形的",
                    "责令改正，按受侵害劳动者每人1000元以上2000元以下处以罚款",
                    R.PER_WORKER,
                    D("1000"),
                    D("2000"),
                ),
                R.TierData(
                    R.GENERAL,
                    "不具有从轻、从重情形的",
                    "责令改正，按受侵害劳动者每人2000元以上4000元以下处以罚款",
                    R.PER_WORKER,
                    D("2000"),
                    D("4000"),
                ),
                R.TierData(
                    R.SEVERE,
                    "受侵害劳动者10人以上；或者对劳动者身体健康造成损害；或者两年内因同类违法行为"
                    "受过行政处罚的",
                    "责令改正，按受侵害劳动者每人4000元以上5000元以下处以罚款",
                    R.PER_WORKER,
                    D("4000"),
                    D("5000"),
                ),
            ),
            **_benchmark(),
        )
        out.append((f"LCRS-CF-023-{suffix}", [(FIRST_EDITION, FIRST_NOTE, content)]))
    return out


def _art24(unit_id):
    content = _content(
        name="用人单位与劳动者建立劳动关系不依法订立劳动合同",
        category=R.OTHER,
        time_limit_text=HANDLING_TIME,
        unit_id=unit_id,
        description=(
            "责令改正（行政命令，不属于行政处罚）。劳动者依劳动合同法第八十二条主张二倍工资的，"
            "属于劳动争议，告知其通过劳动争议处理程序解决（条例 第二十一条）。"
        ),
        bases=(
            R.BasisData(
                S,
                CONTRACT,
                "第十条",
                "建立劳动关系，应当订立书面劳动合同。已建立劳动关系，未同时订立书面劳动合同的，"
                "应当自用工之日起一个月内订立书面劳动合同。",
            ),
            R.BasisData(S, LABOUR, "第十六条第二款", "建立劳动关系应当订立劳动合同。"),
            R.BasisData(
                H,
                REG,
                "第二十四条",
                "用人单位与劳动者建立劳动关系不依法订立劳动合同的，由劳动保障行政部门责令改正。",
            ),
            R.BasisData(
                H,
                LABOUR,
                "第九十八条",
                "用人单位违反本法规定的条件解除劳动合同或者故意拖延不订立劳动合同的，由劳动行政"
                "部门责令改正；对劳动者造成损害的，应当承担赔偿责任。",
            ),
        ),
    )
    return [("LCRS-CL-024-01", [(FIRST_EDITION, FIRST_NOTE, content)])]


def _art25(unit_id):
    bases = (
        R.BasisData(
            S,
            LABOUR,
            "第四十一条",
            "用人单位由于生产经营需要，经与工会和劳动者协商后可以延长工作时间，一般每日不得超过"
            "一小时；因特殊原因需要延长工作时间的，在保障劳动者身体健康的条件下延长工作时间每日"
            "不得超过三小时，但是每月不得超过三十六小时。",
        ),
        R.BasisData(
            P,
            REG,
            "第二十五条",
            "用人单位违反劳动保障法律、法规或者规章延长劳动者工作时间的，由劳动保障行政部门给予"
            "警告，责令限期改正，并可以按照受侵害的劳动者每人100元以上500元以下的标准计算，处以"
            "罚款。",
        ),
        R.BasisData(
            P,
            LABOUR,
            "第九十条",
            "用人单位违反本法规定，延长劳动者工作时间的，由劳动行政部门给予警告，责令改正，并可以"
            "处以罚款。",
        ),
    )
    lenient = R.TierData(
        R.LENIENT,
        "受侵害劳动者5人以下，每月延长工作时间超出法定上限不超过12小时，且在责令限期改正期限内"
        "改正的",
        "给予警告，责令限期改正，不处罚款",
    )
    general = R.TierData(
        R.GENERAL,
        "不具有从轻、从重情形的",
        "给予警告，责令限期改正，按受侵害劳动者每人100元以上300元以下处以罚款",
        R.PER_WORKER,
        D("100"),
        D("300"),
    )
    severe = R.TierData(
        R.SEVERE,
        "受侵害劳动者20人以上；或者每月延长工作时间超出法定上限36小时以上；或者两年内因同类违法"
        "行为受过行政处罚的",
        "给予警告，责令限期改正，按受侵害劳动者每人300元以上500元以下处以罚款",
        R.PER_WORKER,
        D("300"),
        D("500"),
    )
    common = dict(
        name="用人单位违法延长劳动者工作时间",
        category=R.PENALTY,
        unit_id=unit_id,
        description="对用人单位违反劳动保障法律、法规或者规章延长劳动者工作时间的行为给予警告，"
        "责令限期改正，并可以处以罚款。",
        amount_nature=R.FINE,
        statutory_kind=R.PER_WORKER,
        statutory_low=D("100"),
        statutory_high=D("500"),
        bases=bases,
        **_benchmark(),
    )
    first_offence = R.FirstOffenceData(
        conditions="用人单位初次违法延长劳动者工作时间，危害后果轻微，受侵害劳动者不超过2人，"
        "并在劳动保障行政部门责令改正的期限内改正的。",
        legal_basis=f"{PENALTY_LAW}第三十三条第一款、第三款；{REG}第八条第二款（坚持教育与处罚相结合）",
        measures=("education", "admonition", "interview", "follow_up"),
        max_affected_workers=2,
        measures_note="作出不予处罚决定时当面教育、告诫，必要时约谈单位负责人；"
        "30日内回访，核查工作时间安排是否已改正。",
    )
    no_penalty = R.TierData(
        R.NO_PENALTY,
        "符合本事项首违不罚情形的（行政处罚法 第三十三条第一款）",
        "可以不予行政处罚；责令改正，并进行教育、告诫",
    )
    v1 = _content(tiers=(lenient, general, severe), **common)
    v2 = _content(
        tiers=(no_penalty, lenient, general, severe), first_offence=first_offence, **common
    )
    lenient3 = R.TierData(
        R.LENIENT,
        "受侵害劳动者3人以下，每月延长工作时间超出法定上限不超过12小时，且在责令限期改正期限内"
        "改正的",
        lenient.sanction,
    )
    v3 = _content(
        tiers=(no_penalty, lenient3, general, severe), first_offence=first_offence, **common
    )
    return [
        (
            "LCRS-CF-025-01",
            [
                (FIRST_EDITION, FIRST_NOTE, v1),
                (
                    dt.date(2021, 7, 15),
                    "修订后的行政处罚法自2021年7月15日起施行：依第三十三条第一款增加首违不罚情形"
                    "和“不予处罚”档次。",
                    v2,
                ),
                (
                    dt.date(2027, 1, 1),
                    "预定变更（演示）：从轻档的人数标准由5人以下调整为3人以下，自2027年1月1日起施行。",
                    v3,
                ),
            ],
        )
    ]


def _art26(unit_id):
    items = [
        (
            "01",
            "克扣或者无故拖欠劳动者工资报酬",
            R.BasisData(
                S,
                LABOUR,
                "第五十条",
                "工资应当以货币形式按月支付给劳动者本人。不得克扣或者无故拖欠劳动者的工资。",
            ),
            "（一）克扣或者无故拖欠劳动者工资报酬的",
            "第八十五条第（一）项",
            "（一）未按照劳动合同的约定或者国家规定及时足额支付劳动者劳动报酬的",
        ),
        (
            "02",
            "支付劳动者的工资低于当地最低工资标准",
            R.BasisData(
                S, LABOUR, "第四十八条第二款", "用人单位支付劳动者的工资不得低于当地最低工资标准。"
            ),
            "（二）支付劳动者的工资低于当地最低工资标准的",
            "第八十五条第（二）项",
            "（二）低于当地最低工资标准支付劳动者工资的",
        ),
        (
            "03",
            "解除劳动合同未依法给予劳动者经济补偿",
            R.BasisData(
                S,
                LABOUR,
                "第二十八条",
                "用人单位依据本法第二十四条、第二十六条、第二十七条的规定解除劳动合同的，应当依照"
                "国家有关规定给予经济补偿。",
            ),
            "（三）解除劳动合同未依法给予劳动者经济补偿的",
            "第八十五条第（四）项",
            "（四）解除或者终止劳动合同，未依照本法规定向劳动者支付经济补偿的",
        ),
        (
            "04",
            "安排加班不支付加班费",
            R.BasisData(
                S,
                LABOUR,
                "第四十四条",
                "安排劳动者延长工作时间的，支付不低于工资的百分之一百五十的工资报酬；休息日安排"
                "劳动者工作又不能安排补休的，支付不低于工资的百分之二百的工资报酬；法定休假日安排"
                "劳动者工作的，支付不低于工资的百分之三百的工资报酬。",
            ),
            None,
            "第八十五条第（三）项",
            "（三）安排加班不支付加班费的",
        ),
    ]
    out = []
    for suffix, name, setting, reg_item, contract_article, contract_item in items:
        bases = [setting]
        if reg_item:
            roman = "一二三"[int(suffix) - 1]
            bases.append(
                R.BasisData(H, REG, f"第二十六条第（{roman}）项", ART26_HEAD + reg_item + "。")
            )
        bases.append(
            R.BasisData(H, CONTRACT, contract_article, CONTRACT85_HEAD + contract_item + "。")
        )
        content = _content(
            name=f"{name}（责令限期支付，逾期加付赔偿金）",
            category=R.OTHER,
            time_limit_text=HANDLING_TIME,
            unit_id=unit_id,
            description=(
                "行政处理：先责令限期支付；逾期不支付的，责令按应付金额50%以上1倍以下向劳动者加付"
                "赔偿金。加付赔偿金不是罚款。涉嫌拒不支付劳动报酬罪的，依法移送公安机关"
                "（条例 第十八条第二款）。"
            ),
            amount_nature=R.COMPENSATION,
            statutory_kind=R.MULTIPLE,
            statutory_low=D("0.5"),
            statutory_high=D("1"),
            base_label="应付金额",
            bases=tuple(bases),
            tiers=(
                R.TierData(
                    R.LENIENT,
                    "逾期不超过15日，且逾期前已支付应付金额一半以上的",
                    "责令按应付金额的50%以上70%以下加付赔偿金",
                    R.MULTIPLE,
                    D("0.5"),
                    D("0.7"),
                ),
                R.TierData(
                    R.GENERAL,
                    "不具有从轻、从重情形的",
                    "责令按应付金额的70%以上90%以下加付赔偿金",
                    R.MULTIPLE,
                    D("0.7"),
                    D("0.9"),
                ),
                R.TierData(
                    R.SEVERE,
                    "逾期30日以上仍未支付；或者涉及劳动者10人以上；或者转移财产、逃匿以逃避支付的",
                    "责令按应付金额的90%以上100%以下加付赔偿金",
                    R.MULTIPLE,
                    D("0.9"),
                    D("1"),
                ),
            ),
            **_benchmark(),
        )
        out.append((f"LCRS-CL-026-{suffix}", [(FIRST_EDITION, FIRST_NOTE, content)]))
    return out


def _art27(unit_id):
    under_report = _content(
        name="申报社会保险费时瞒报工资总额或者职工人数",
        category=R.PENALTY,
        unit_id=unit_id,
        description="对用人单位向社会保险经办机构申报应缴纳的社会保险费数额时瞒报工资总额或者职工"
        "人数的行为，责令改正并处罚款。",
        amount_nature=R.FINE,
        statutory_kind=R.MULTIPLE,
        statutory_low=D("1"),
        statutory_high=D("3"),
        base_label="瞒报工资数额",
        bases=(
            R.BasisData(
                S,
                LABOUR,
                "第七十二条",
                "用人单位和劳动者必须依法参加社会保险，缴纳社会保险费。",
            ),
            R.BasisData(
                P,
                REG,
                "第二十七条第一款",
                "用人单位向社会保险经办机构申报应缴纳的社会保险费数额时，瞒报工资总额或者职工人数"
                "的，由劳动保障行政部门责令改正，并处瞒报工资数额1倍以上3倍以下的罚款。",
            ),
        ),
        tiers=(
            R.TierData(
                R.LENIENT,
                "瞒报时间不超过3个月，且在责令改正期限内如实申报、补缴的",
                "责令改正，处瞒报工资数额1倍以上1.5倍以下的罚款",
                R.MULTIPLE,
                D("1"),
                D("1.5"),
            ),
            R.TierData(
                R.GENERAL,
                "不具有从轻、从重情形的",
                "责令改正，处瞒报工资数额1.5倍以上2.5倍以下的罚款",
                R.MULTIPLE,
                D("1.5"),
                D("2.5"),
            ),
            R.TierData(
                R.SEVERE,
                "瞒报时间12个月以上；或者伪造、变造工资凭证；或者两年内因同类违法行为受过行政处罚的",
                "责令改正，处瞒报工资数额2.5倍以上3倍以下的罚款",
                R.MULTIPLE,
                D("2.5"),
                D("3"),
            ),
        ),
        **_benchmark(),
    )
    fraud = _content(
        name="以欺诈、伪造证明材料或者其他手段骗取社会保险待遇",
        category=R.PENALTY,
        unit_id=unit_id,
        description=(
            "责令退回骗取的社会保险金，并处罚款。条例 第二十七条第二款规定处骗取金额1倍以上3倍"
            "以下罚款；社会保险法（2011年7月1日施行）第八十八条规定2倍以上5倍以下，依条例"
            " 第三十二条（法律另有规定的，从其规定）适用社会保险法。涉嫌诈骗犯罪的依法移送司法机关。"
        ),
        amount_nature=R.FINE,
        statutory_kind=R.MULTIPLE,
        statutory_low=D("2"),
        statutory_high=D("5"),
        base_label="骗取金额",
        bases=(
            R.BasisData(
                P,
                SOCIAL,
                "第八十八条",
                "以欺诈、伪造证明材料或者其他手段骗取社会保险待遇的，由社会保险行政部门责令退回"
                "骗取的社会保险金，处骗取金额二倍以上五倍以下的罚款。",
            ),
            R.BasisData(
                P,
                REG,
                "第二十七条第二款",
                "骗取社会保险待遇或者骗取社会保险基金支出的，由劳动保障行政部门责令退还，并处骗取"
                "金额1倍以上3倍以下的罚款；构成犯罪的，依法追究刑事责任。",
            ),
            R.BasisData(
                IMPL,
                REG,
                "第三十二条",
                "属于本条例规定的劳动保障监察事项，法律、其他行政法规对处罚另有规定的，从其规定。",
            ),
        ),
        tiers=(
            R.TierData(
                R.LENIENT,
                "骗取金额1万元以下，且在立案前主动退回的",
                "责令退回，处骗取金额2倍以上3倍以下的罚款",
                R.MULTIPLE,
                D("2"),
                D("3"),
            ),
            R.TierData(
                R.GENERAL,
                "不具有从轻、从重情形的",
                "责令退回，处骗取金额3倍以上4倍以下的罚款",
                R.MULTIPLE,
                D("3"),
                D("4"),
            ),
            R.TierData(
                R.SEVERE,
                "骗取金额5万元以上；或者多次骗取；或者拒不退回的",
                "责令退回，处骗取金额4倍以上5倍以下的罚款",
                R.MULTIPLE,
                D("4"),
                D("5"),
            ),
        ),
        confidentiality_review=True,
        **_benchmark(),
    )
    return [
        ("LCRS-CF-027-01", [(FIRST_EDITION, FIRST_NOTE, under_report)]),
        ("LCRS-CF-027-02", [(FIRST_EDITION, FIRST_NOTE, fraud)]),
    ]


def _art28(unit_id):
    kinds = [
        ("01", "职业介绍机构违反国家有关职业介绍规定"),
        ("02", "职业技能培训机构违反国家有关职业技能培训规定"),
        ("03", "职业技能考核鉴定机构违反国家有关职业技能考核鉴定规定"),
    ]
    out = []
    for suffix, name in kinds:
        content = _content(
            name=name,
            category=R.PENALTY,
            unit_id=unit_id,
            description=(
                "责令改正，没收违法所得，并处罚款；情节严重的，吊销许可证。注意：人力资源市场暂行"
                "条例（2018年）等对职业中介活动另有处罚规定的，依条例 第三十二条从其规定。"
            ),
            amount_nature=R.FINE,
            statutory_kind=R.FIXED,
            statutory_low=D("10000"),
            statutory_high=D("50000"),
            bases=(
                R.BasisData(
                    S,
                    REG,
                    "第十一条第（八）项",
                    "职业介绍机构、职业技能培训机构和职业技能考核鉴定机构遵守国家有关职业介绍、"
                    "职业技能培训和职业技能考核鉴定的规定的情况。",
                ),
                R.BasisData(P, REG, "第二十八条第一款", ART28_HEAD),
            ),
            tiers=(
                R.TierData(
                    R.LENIENT,
                    "违法所得5000元以下，未造成劳动者财产损失，且在责令改正期限内改正的",
                    "责令改正，没收违法所得，并处1万元以上2万元以下的罚款",
                    R.FIXED,
                    D("10000"),
                    D("20000"),
                ),
                R.TierData(
                    R.GENERAL,
                    "不具有从轻、从重情形的",
                    "责令改正，没收违法所得，并处2万元以上4万元以下的罚款",
                    R.FIXED,
                    D("20000"),
                    D("40000"),
                ),
                R.TierData(
                    R.SEVERE,
                    "违法所得5万元以上；或者损害劳动者10人以上；或者两年内因同类违法行为受过行政"
                    "处罚的",
                    "责令改正，没收违法所得，并处4万元以上5万元以下的罚款；情节严重的，吊销许可证",
                    R.FIXED,
                    D("40000"),
                    D("50000"),
                ),
            ),
            **_benchmark(),
        )
        out.append((f"LCRS-CF-028-{suffix}", [(FIRST_EDITION, FIRST_NOTE, content)]))
    return out


def _art29(unit_id):
    acts = [
        "阻挠劳动者依法参加和组织工会，或者阻挠上级工会帮助、指导劳动者筹建工会",
        "无正当理由调动依法履行职责的工会工作人员的工作岗位，进行打击报复",
        "劳动者因参加工会活动而被解除劳动合同",
        "工会工作人员因依法履行职责被解除劳动合同",
    ]
    out = []
    for i, act in enumerate(acts, start=1):
        roman = "一二三四"[i - 1]
        content = _content(
            name=act,
            category=R.OTHER,
            time_limit_text=HANDLING_TIME,
            unit_id=unit_id,
            description="责令改正（条例 第二十九条）。",
            bases=(
                R.BasisData(S, LABOUR, "第七条第一款", "劳动者有权依法参加和组织工会。"),
                R.BasisData(
                    H, REG, f"第二十九条第（{roman}）项", f"{ART29_HEAD}（{roman}）{act}的。"
                ),
            ),
        )
        out.append((f"LCRS-CL-029-0{i}", [(FIRST_EDITION, FIRST_NOTE, content)]))
    return out


def _art30(unit_id):
    fined = [
        (
            "01",
            "无理抗拒、阻挠实施劳动保障监察",
            "（一）无理抗拒、阻挠劳动保障行政部门依照本条例的规定实施劳动保障监察的",
        ),
        (
            "02",
            "不按要求报送书面材料，隐瞒事实真相，出具伪证或者隐匿、毁灭证据",
            "（二）不按照劳动保障行政部门的要求报送书面材料，隐瞒事实真相，出具伪证或者隐匿、"
            "毁灭证据的",
        ),
        (
            "03",
            "经责令改正拒不改正，或者拒不履行行政处理决定",
            "（三）经劳动保障行政部门责令改正拒不改正，或者拒不履行劳动保障行政部门的行政处理"
            "决定的",
        ),
    ]
    duty = R.BasisData(
        S, REG, "第六条", "用人单位应当遵守劳动保障法律、法规和规章，接受并配合劳动保障监察。"
    )
    out = []
    for suffix, name, item_text in fined:
        content = _content(
            name=name,
            category=R.PENALTY,
            unit_id=unit_id,
            description=f"对{name}的行为责令改正，并处罚款；构成违反治安管理行为的移送公安机关。",
            amount_nature=R.FINE,
            statutory_kind=R.FIXED,
            statutory_low=D("2000"),
            statutory_high=D("20000"),
            bases=(
                duty,
                R.BasisData(
                    P, REG, f"第三十条第一款第{item_text[:3]}项", ART30_HEAD + item_text + "。"
                ),
            ),
            tiers=(
                R.TierData(
                    R.MITIGATED,
                    "主动消除或者减轻违法行为危害后果的；受他人胁迫或者诱骗实施违法行为的；"
                    "配合查处违法行为有立功表现的（行政处罚法 第三十二条）",
                    "责令改正，处1000元以上2000元以下的罚款",
                    R.FIXED,
                    D("1000"),
                    D("2000"),
                ),
                R.TierData(
                    R.LENIENT,
                    "经批评教育后立即停止违法行为并配合监察，未造成案件事实无法查清的",
                    "责令改正，处2000元以上5000元以下的罚款",
                    R.FIXED,
                    D("2000"),
                    D("5000"),
                ),
                R.TierData(
                    R.GENERAL,
                    "不具有减轻、从轻、从重情形的",
                    "责令改正，处5000元以上1.5万元以下的罚款",
                    R.FIXED,
                    D("5000"),
                    D("15000"),
                ),
                R.TierData(
                    R.SEVERE,
                    "以暴力、威胁方法阻挠监察；或者致使证据灭失、案件事实无法查清；或者两年内再次"
                    "实施同类违法行为的",
                    "责令改正，处1.5万元以上2万元以下的罚款",
                    R.FIXED,
                    D("15000"),
                    D("20000"),
                ),
            ),
            **_benchmark(),
        )
        out.append((f"LCRS-CF-030-{suffix}", [(FIRST_EDITION, FIRST_NOTE, content)]))
    retaliation = _content(
        name="打击报复举报人、投诉人",
        category=R.OTHER,
        time_limit_text=HANDLING_TIME,
        unit_id=unit_id,
        description="责令改正（条例 第三十条第一款第（四）项）；构成违反治安管理行为的移送公安机关，"
        "构成犯罪的依法追究刑事责任。",
        confidentiality_review=True,
        bases=(
            R.BasisData(
                S,
                REG,
                "第九条第三款",
                "劳动保障行政部门应当为举报人保密；对举报属实，为查处重大违反劳动保障法律、法规或者"
                "规章的行为提供主要线索和证据的举报人，给予奖励。",
            ),
            R.BasisData(
                H, REG, "第三十条第一款第（四）项", ART30_HEAD + "（四）打击报复举报人、投诉人的。"
            ),
        ),
    )
    out.append(("LCRS-CL-030-04", [(FIRST_EDITION, FIRST_NOTE, retaliation)]))
    return out


def _inspection_and_coercion(unit_id):
    inspection_basis = (
        R.BasisData(
            IMPL,
            REG,
            "第十四条第一款",
            "劳动保障监察以日常巡视检查、审查用人单位按照要求报送的书面材料以及接受举报投诉等形式"
            "进行。",
        ),
        R.BasisData(
            IMPL,
            REG,
            "第十五条第一款",
            "劳动保障行政部门实施劳动保障监察，有权采取下列调查、检查措施：进入用人单位的劳动场所"
            "进行检查；就调查、检查事项询问有关人员；要求用人单位提供与调查、检查事项相关的文件"
            "资料，并作出解释和说明……",
        ),
        R.BasisData(
            S,
            LABOUR,
            "第八十五条",
            "县级以上各级人民政府劳动行政部门依法对用人单位遵守劳动法律、法规的情况进行监督检查，"
            "对违反劳动法律、法规的行为有权制止，并责令改正。",
        ),
    )
    no_deadline = dict(time_limit_text="", time_limit_workdays=None)
    patrol = _content(
        name="劳动保障日常巡视检查",
        category=R.INSPECTION,
        unit_id=unit_id,
        description="按年度检查计划进入用人单位劳动场所，检查劳动合同、工资支付、工作时间、"
        "社会保险、女职工和未成年工保护等情况；纳入“双随机、一公开”抽查。",
        random_inspection=True,
        time_limit_text="按年度检查计划实施；调查、检查不得少于2名监察员（条例 第十六条）；"
        "发现违法行为需要调查处理的，及时立案（条例 第十四条第二款）。",
        time_limit_workdays=None,
        bases=inspection_basis,
    )
    written = _content(
        name="用人单位书面材料审查",
        category=R.INSPECTION,
        unit_id=unit_id,
        description="审查用人单位按照要求报送的劳动用工、工资支付、社会保险等书面材料。",
        bases=(inspection_basis[0],),
        **no_deadline,
    )
    complaint = _content(
        name="举报投诉案件的调查",
        category=R.INSPECTION,
        unit_id=unit_id,
        description="受理对违反劳动保障法律、法规或者规章行为的举报、投诉，并进行调查、检查。"
        "举报人信息保密（条例 第九条第三款）。",
        confidentiality_review=True,
        bases=(
            R.BasisData(
                IMPL,
                REG,
                "第九条",
                "任何组织或者个人对违反劳动保障法律、法规或者规章的行为，有权向劳动保障行政部门举报。"
                "劳动者认为用人单位侵犯其劳动保障合法权益的，有权向劳动保障行政部门投诉。",
            ),
            *inspection_basis[:2],
            R.BasisData(
                IMPL,
                REG,
                "第十七条",
                "劳动保障行政部门对违反劳动保障法律、法规或者规章的行为的调查，应当自立案之日起60个"
                "工作日内完成；对情况复杂的，经劳动保障行政部门负责人批准，可以延长30个工作日。",
            ),
        ),
    )
    social = _content(
        name="用人单位遵守社会保险法律法规情况的监督检查",
        category=R.INSPECTION,
        unit_id=unit_id,
        description="检查用人单位参加社会保险、申报和缴纳社会保险费的情况；纳入“双随机、一公开”抽查。",
        random_inspection=True,
        bases=(
            R.BasisData(
                IMPL,
                SOCIAL,
                "第七十七条",
                "县级以上人民政府社会保险行政部门应当加强对用人单位和个人遵守社会保险法律、法规情况"
                "的监督检查。社会保险行政部门实施监督检查时，被检查的用人单位和个人应当如实提供与"
                "社会保险有关的资料，不得拒绝检查或者谎报、瞒报。",
            ),
        ),
        **no_deadline,
    )
    seal = _content(
        name="封存可能被转移、隐匿或者灭失的社会保险基金相关资料",
        category=R.COERCION,
        unit_id=unit_id,
        description="对社会保险基金实施监督检查时，对可能被转移、隐匿或者灭失的资料予以封存"
        "（行政强制措施，应制作现场笔录并全程音像记录）。",
        bases=(
            R.BasisData(
                IMPL,
                SOCIAL,
                "第七十九条第二款第（一）项",
                "查阅、记录、复制与社会保险基金收支、管理和投资运营相关的资料，对可能被转移、隐匿"
                "或者灭失的资料予以封存。",
            ),
        ),
        **no_deadline,
    )
    return [
        ("LCRS-JC-001", [(FIRST_EDITION, FIRST_NOTE, patrol)]),
        ("LCRS-JC-002", [(FIRST_EDITION, FIRST_NOTE, written)]),
        ("LCRS-JC-003", [(FIRST_EDITION, FIRST_NOTE, complaint)]),
        ("LCRS-JC-004", [(FIRST_EDITION, FIRST_NOTE, social)]),
        ("LCRS-QZ-001", [(FIRST_EDITION, FIRST_NOTE, seal)]),
    ]


def catalogue(unit_id: int | None) -> list[tuple[str, list[tuple[dt.date, str, R.VersionContent]]]]:
    """(code, [(effective_from, change_note, content), ...]) for every demo item."""
    return [
        *_art23(unit_id),
        *_art24(unit_id),
        *_art25(unit_id),
        *_art26(unit_id),
        *_art27(unit_id),
        *_art28(unit_id),
        *_art29(unit_id),
        *_art30(unit_id),
        *_inspection_and_coercion(unit_id),
    ]


def ensure_catalogue(*, agency, actor) -> tuple[int, int]:
    """Create the demo items and versions that are missing; returns (items, versions) added."""
    unit = Unit.objects.filter(agency=agency, kind=Unit.Kind.ENFORCEMENT).order_by("pk").first()
    added_items = added_versions = 0
    for code, versions in catalogue(unit.pk if unit else None):
        item = Item.objects.filter(agency=agency, code=code).first()
        have = item.versions.count() if item else 0
        for number, (effective_from, note, content) in enumerate(versions, start=1):
            if number <= have:
                continue
            if item is None:
                item = services.item_create(
                    actor=actor,
                    agency=agency,
                    code=code,
                    effective_from=effective_from,
                    change_note=note,
                    content=content,
                )
                added_items += 1
            else:
                services.item_version_add(
                    actor=actor,
                    item=item,
                    effective_from=effective_from,
                    change_note=note,
                    content=content,
                )
            added_versions += 1
    return added_items, added_versions


def load(*, context: dict, stdout) -> None:
    items, versions = ensure_catalogue(agency=context["agency"], actor=context["users"]["xitong"])
    total = Item.objects.filter(agency=context["agency"]).count()
    stdout.write(f"执法事项清单：{total} 项（本次新增事项 {items} 项、版本 {versions} 个）")

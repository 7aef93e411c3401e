"""The vocabulary of case handling (办案): states, sources, outcomes, penalty types, service
methods, clock kinds. ``TextChoices`` so that models, forms and the admin get Chinese labels;
imported by the pure ``workflow`` module too (no database access happens here)."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):  # 案件状态
    LEAD = "lead", "待受理（线索）"
    SUPPLEMENT = "supplement", "待补正"
    NOT_FILED = "not_filed", "未立案"
    INVESTIGATING = "investigating", "调查中"
    CONCLUDED = "concluded", "调查终结"
    NOTIFIED = "notified", "已告知"
    HEARING = "hearing", "听证"
    PENDING_DECISION = "pending_decision", "待决定"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达"
    ENFORCEMENT = "enforcement", "强制执行"
    CLOSED = "closed", "已结案"


# Terminal states: nothing changes afterwards (ARCHITECTURE.md invariant 9 for closed cases).
TERMINAL_STATES = frozenset({State.NOT_FILED, State.CLOSED})
PRE_FILING_STATES = frozenset({State.LEAD, State.SUPPLEMENT, State.NOT_FILED})
# States in which the case is under investigation or later and not yet decided.
OPEN_PROCEDURE_STATES = frozenset(
    {
        State.INVESTIGATING,
        State.CONCLUDED,
        State.NOTIFIED,
        State.HEARING,
        State.PENDING_DECISION,
    }
)


class Source(models.TextChoices):  # 案件来源（劳动保障监察条例 第十四条）
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    PATROL = "patrol", "日常巡视检查"
    WRITTEN_REVIEW = "written_review", "书面审查"
    RANDOM = "random", "双随机抽查"
    REFERRAL = "referral", "其他部门移送"
    ASSIGNED = "assigned", "上级交办"
    HOTLINE_12345 = "hotline_12345", "12345热线"
    HOTLINE_12333 = "hotline_12333", "12333热线"


# Sources with a complainant or reporter, accepted or refused within 5 working days
# (若干规定 第十八条); hotline work orders carry complaints and reports.
COMPLAINT_SOURCES = frozenset(
    {Source.COMPLAINT, Source.REPORT, Source.HOTLINE_12345, Source.HOTLINE_12333}
)
# Sources where the complainant is the worker whose own rights were infringed and may be asked
# to supplement materials (若干规定 第十八条第二款).
SUPPLEMENT_SOURCES = frozenset({Source.COMPLAINT, Source.HOTLINE_12345, Source.HOTLINE_12333})


class Channel(models.TextChoices):  # 受理渠道
    WINDOW = "window", "窗口来访"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    ONLINE = "online", "网络"
    HOTLINE = "hotline", "热线工单"
    ONSITE = "onsite", "现场发现"
    OFFICIAL = "official", "公文（移送、交办）"
    SYSTEM = "system", "抽查系统"


class Procedure(models.TextChoices):  # 程序
    GENERAL = "general", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"


class PartyKind(models.TextChoices):  # 当事人类型
    ORGANISATION = "organisation", "法人或其他组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    NATURAL_PERSON = "natural_person", "自然人"


# 个体工商户 is a 公民 for the purposes of the amount limits of 行政处罚法 第五十一条 and the
# 较大数额 hearing thresholds (its operator bears the liability).
NATURAL_PERSON_KINDS = frozenset({PartyKind.NATURAL_PERSON, PartyKind.INDIVIDUAL_BUSINESS})


class ComplainantRole(models.TextChoices):
    COMPLAINANT = "complainant", "投诉人"
    REPORTER = "reporter", "举报人"


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Disposition(models.TextChoices):  # 不予立案的处理方式
    NOT_ACCEPTED = "not_accepted", "不予受理"  # 若干规定 第十八条 (e.g. over 2 years)
    OTHER_JURISDICTION = "other_jurisdiction", "告知向有管辖权的机关投诉"
    REFERRED = "referred", "移送有关部门处理"  # 条例 第十八条第二款; 保障农民工工资支付条例 第十条
    LABOUR_DISPUTE = "labour_dispute", "告知依照劳动争议处理程序办理"  # 条例 第二十一条
    NOT_FILED = "not_filed", "不予立案"


class FlagKind(models.TextChoices):
    MAJOR = "major", "重大案件"
    COMPLEX = "complex", "情节复杂"


class FlagSource(models.TextChoices):
    AUTO = "auto", "系统判定"
    MANUAL = "manual", "人工标记"
    HEARING = "hearing", "经过听证程序"  # 行政处罚法 第五十八条第一款第（二）项


class TeamRole(models.TextChoices):
    LEAD = "lead", "主办"
    ASSIST = "assist", "协办"


class RecusalKind(models.TextChoices):  # 行政处罚法 第四十三条
    DECLARATION = "declaration", "自行回避"
    APPLICATION = "application", "当事人申请回避"


class RecusalStatus(models.TextChoices):
    PENDING = "pending", "待决定"
    UPHELD = "upheld", "决定回避"
    REJECTED = "rejected", "驳回申请"


class RecordKind(models.TextChoices):
    INTERVIEW = "interview", "询问笔录"
    INSPECTION = "inspection", "现场检查笔录"


class PreservationStatus(models.TextChoices):  # 先行登记保存（行政处罚法 第五十六条）
    REQUESTED = "requested", "待批准"
    APPROVED = "approved", "已登记保存"
    REFUSED = "refused", "不予批准"
    DECIDED = "decided", "已作出处理决定"


class PreservationDisposal(models.TextChoices):
    RELEASED = "released", "解除先行登记保存"
    COPIED = "copied", "记录、复制、拍照后解除"
    TRANSFERRED = "transferred", "移送有关机关"
    OTHER = "other", "其他处理"


class CorrectionResult(models.TextChoices):
    COMPLIED = "complied", "已改正"
    PARTLY = "partly", "部分改正"
    NOT_COMPLIED = "not_complied", "未改正"


class OutcomeKind(models.TextChoices):  # 拟处理意见（条例 第十八条；行政处罚法 第五十七条）
    PENALTY = "penalty", "行政处罚"
    HANDLING = "handling", "行政处理（责令改正、限期支付）"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    REVOKE = "revoke", "撤销立案"
    TRANSFER_AGENCY = "transfer_agency", "移送有关部门"
    TRANSFER_JUDICIAL = "transfer_judicial", "移送司法机关"


# Outcomes that need a prior notice with the right to state and defend (行政处罚法 第四十四条;
# 劳动保障监察条例 第十九条 for 行政处理决定).
NOTICE_OUTCOMES = frozenset({OutcomeKind.PENALTY, OutcomeKind.HANDLING})
# Outcomes that need no service of a decision before closing.
NO_SERVICE_OUTCOMES = frozenset(
    {OutcomeKind.REVOKE, OutcomeKind.TRANSFER_AGENCY, OutcomeKind.TRANSFER_JUDICIAL}
)


class NoPenaltyGround(models.TextChoices):
    MINOR_CORRECTED = (
        "minor_corrected",
        "违法行为轻微并及时改正，没有造成危害后果（第三十三条第一款）",
    )
    FIRST_OFFENCE = (
        "first_offence",
        "初次违法且危害后果轻微并及时改正（首违不罚，第三十三条第一款）",
    )
    NO_FAULT = "no_fault", "有证据足以证明没有主观过错（第三十三条第二款）"
    NOT_ESTABLISHED = "not_established", "违法事实不能成立（第五十七条第一款第三项）"


class PenaltyType(models.TextChoices):  # 处罚种类（行政处罚法 第九条）
    WARNING = "warning", "警告"
    CRITICISM = "criticism", "通报批评"
    FINE = "fine", "罚款"
    CONFISCATE_GAINS = "confiscate_gains", "没收违法所得"
    CONFISCATE_PROPERTY = "confiscate_property", "没收非法财物"
    SUSPEND_LICENCE = "suspend_licence", "暂扣许可证件"
    LOWER_QUALIFICATION = "lower_qualification", "降低资质等级"
    RESTRICT_BUSINESS = "restrict_business", "限制开展生产经营活动"
    SUSPEND_BUSINESS = "suspend_business", "责令停产停业"
    RESTRICT_EMPLOYMENT = "restrict_employment", "限制从业"
    REVOKE_LICENCE = "revoke_licence", "吊销许可证件"
    CLOSE = "close", "责令关闭"


# Relative severity, for "no heavier penalty after a defence" (行政处罚法 第四十五条).
PENALTY_RANK = {value: rank for rank, value in enumerate(PenaltyType.values, start=1)}
# 行政处罚法 第六十三条第一款第（三）（四）项: these always give the right to a hearing.
HEARING_PENALTY_TYPES = frozenset(
    {
        PenaltyType.LOWER_QUALIFICATION,
        PenaltyType.REVOKE_LICENCE,
        PenaltyType.SUSPEND_BUSINESS,
        PenaltyType.CLOSE,
        PenaltyType.RESTRICT_EMPLOYMENT,
    }
)
# 行政处罚法 第五十一条: only these may be imposed on the spot.
ON_SPOT_PENALTY_TYPES = frozenset({PenaltyType.WARNING, PenaltyType.FINE})


class DefenceForm(models.TextChoices):
    WRITTEN = "written", "书面陈述申辩"
    ORAL = "oral", "口头陈述申辩（制作笔录）"


class RecheckResult(models.TextChoices):  # 复核（行政处罚法 第四十五条）
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不予采纳"


class HearingOutcome(models.TextChoices):  # 行政处罚法 第六十四条
    HELD = "held", "已举行"
    WAIVED = "waived", "当事人放弃听证"
    ABSENT = "absent", "无正当理由拒不出席或中途退出，视为放弃"
    WITHDRAWN = "withdrawn", "当事人撤回听证申请"


class DiscussionConclusion(models.TextChoices):
    AGREE = "agree", "同意拟处理意见"
    MODIFY = "modify", "修改拟处理意见后作出决定"
    REINVESTIGATE = "reinvestigate", "补充调查"
    OTHER = "other", "其他"


class ServicePurpose(models.TextChoices):
    NOTICE = "notice", "行政处罚（处理）事先告知书"
    HEARING_NOTICE = "hearing_notice", "听证通知书"
    DECISION = "decision", "决定书"
    REMINDER = "reminder", "履行催告书"
    ORDER = "order", "责令改正（限期改正）指令书"
    OTHER = "other", "其他文书"


class ServiceMethod(models.TextChoices):  # 送达方式（民事诉讼法 第八十七条至第九十五条）
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ENTRUSTED = "entrusted", "委托送达"
    ELECTRONIC = "electronic", "电子送达"
    PUBLIC = "public", "公告送达"


class ReceiverRelation(models.TextChoices):  # 签收人身份（民事诉讼法 第八十八条）
    SELF = "self", "受送达人本人"
    FAMILY = "family", "同住成年家属"
    LEGAL_REP = "legal_rep", "法定代表人或主要负责人"
    RECEIVING_OFFICE = "receiving_office", "负责收件的人"
    AGENT = "agent", "代理人"
    DESIGNATED = "designated", "指定代收人"


class PaymentKind(models.TextChoices):
    FINE = "fine", "罚款"
    SURCHARGE = "surcharge", "加处罚款"


class PaymentChannel(models.TextChoices):  # 行政处罚法 第六十七条至第六十九条
    BANK = "bank", "指定银行"
    ELECTRONIC = "electronic", "电子支付系统"
    ON_SPOT = "on_spot", "当场收缴"


class PlanKind(models.TextChoices):  # 行政处罚法 第六十六条
    DEFERRAL = "deferral", "暂缓缴纳"
    INSTALMENTS = "instalments", "分期缴纳"


class PlanStatus(models.TextChoices):
    APPLIED = "applied", "待批准"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class CourtStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "人民法院已受理"
    GRANTED = "granted", "裁定准予执行"
    REFUSED = "refused", "裁定不准予执行"
    EXECUTED = "executed", "执行完毕"
    TERMINATED = "terminated", "终结执行"


class DecisionChangeKind(models.TextChoices):  # 执法决定被变更、撤销、确认违法或无效
    REVOKED = "revoked", "被依法撤销"
    CONFIRMED_ILLEGAL = "confirmed_illegal", "被确认违法"
    VOID = "void", "被确认无效"
    REMAKE = "remake", "被撤销并责令重新作出"
    CHANGED = "changed", "被依法变更"


# The decision no longer binds the party: nothing of it may be enforced (行政复议法 第六十四条、
# 第六十七条; 行政诉讼法 第七十条、第七十五条). A decision confirmed illegal but not revoked
# (行政诉讼法 第七十四条第一款) or changed (第七十七条) stays in force as it stands.
DECISION_VOIDING_CHANGES = frozenset(
    {DecisionChangeKind.REVOKED, DecisionChangeKind.VOID, DecisionChangeKind.REMAKE}
)


class DecisionChangeAuthority(models.TextChoices):  # 作出变更的机关
    REVIEW = "review", "行政复议机关"
    COURT = "court", "人民法院"
    SELF = "self", "本机关（自行纠正）"
    SUPERVISOR = "supervisor", "上级行政机关或执法监督机关"


class ClosingReason(models.TextChoices):  # 结案情形
    PERFORMED = "performed", "决定已履行完毕"
    COURT_EXECUTED = "court_executed", "人民法院强制执行完毕"
    COURT_ENDED = "court_ended", "人民法院裁定终结执行或不准予执行"
    NO_PENALTY = "no_penalty", "不予行政处罚决定已送达"
    DECISION_VOIDED = "decision_voided", "执法决定被撤销或确认无效"
    REVOKED = "revoked", "撤销立案"
    TRANSFERRED = "transferred", "已移送"
    JURISDICTION = "jurisdiction", "移送管辖"


class DeadlineKind(models.TextChoices):  # 期限种类
    ACCEPTANCE = "acceptance", "受理投诉举报"
    VERIFICATION = "verification", "核查线索、决定是否立案"
    INVESTIGATION = "investigation", "调查"
    DECISION = "decision", "作出行政处罚决定"
    PRESERVATION = "preservation", "先行登记保存处理决定"
    CORRECTION = "correction", "责令改正"
    DEFENCE = "defence", "陈述、申辩"
    HEARING_REQUEST = "hearing_request", "申请听证"
    SERVICE = "service", "送达决定书"
    PAYMENT = "payment", "缴纳罚款"
    REMINDER = "reminder", "催告履行"
    COURT = "court", "申请人民法院强制执行"


class DeadlineUnit(models.TextChoices):
    WORKDAYS = "workdays", "工作日"
    DAYS = "days", "日（届满日为法定休假日的顺延）"
    MONTHS = "months", "月"
    FIXED = "fixed", "指定日期"


class DeadlineStatus(models.TextChoices):
    OPEN = "open", "进行中"
    MET = "met", "已完成"
    CANCELLED = "cancelled", "已取消"

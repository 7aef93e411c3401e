"""From the proposed outcome to the decision: proposals (every revision kept), the notice
(事先告知), statements and defences, hearings, collective discussions and the decision."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import (
    DECISION_VOIDING_CHANGES,
    DecisionChangeAuthority,
    DecisionChangeKind,
    DefenceForm,
    DiscussionConclusion,
    HearingOutcome,
    NoPenaltyGround,
    OutcomeKind,
    RecheckResult,
)
from .case import MONEY, USER, Case


class Proposal(models.Model):  # 拟处理意见（调查终结报告）
    """One revision of the proposed outcome. Revisions are never changed: a change is a new
    revision with its reason, so what was notified, discussed and decided can be read back."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="proposals"
    )
    revision = models.PositiveSmallIntegerField("版本")
    kind = models.CharField("处理意见", max_length=20, choices=OutcomeKind.choices)
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="适用的执法事项版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    tier_level = models.CharField("裁量档次", max_length=20, blank=True)
    penalty_types = models.JSONField("处罚种类", default=list)
    fine_amount = models.DecimalField("罚款金额（元）", null=True, blank=True, **MONEY)
    confiscation_amount = models.DecimalField("没收违法所得（元）", null=True, blank=True, **MONEY)
    compensation_amount = models.DecimalField("加付赔偿金（元）", null=True, blank=True, **MONEY)
    payment_order = models.TextField("责令支付、改正的内容", blank=True)
    affected_workers = models.PositiveIntegerField("受侵害劳动者人数", null=True, blank=True)
    base_amount = models.DecimalField("计算基数（元）", null=True, blank=True, **MONEY)
    outside_range_reason = models.TextField("超出裁量基准的理由", blank=True)
    no_penalty_ground = models.CharField(
        "不予处罚的情形", max_length=20, choices=NoPenaltyGround.choices, blank=True
    )
    # 行政处罚法 第三十三条第一款 (首违不罚): 初次违法且危害后果轻微并及时改正. "及时改正" is
    # read from the correction orders (complied by their deadline), not typed in.
    is_first_offence = models.BooleanField("初次违法", default=False)
    harm_minor = models.BooleanField("危害后果轻微", default=False)
    education_record = models.TextField("教育记录", blank=True)
    transfer_to = models.CharField("移送机关", max_length=100, blank=True)
    transfer_reason = models.TextField("移送理由", blank=True)
    facts_found = models.TextField("认定的事实")
    evidence_summary = models.TextField("证据", blank=True)
    legal_basis = models.TextField("定性及依据", blank=True)
    discretion_reason = models.TextField("裁量理由", blank=True)
    change_reason = models.TextField("修改理由", blank=True)
    created_on = models.DateField("提出日期")
    created_by = models.ForeignKey(
        USER, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "拟处理意见"
        ordering = ["case", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "revision"], name="cases_proposal_revision_uniq"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="cases_proposal_kind_valid"
            ),
            models.CheckConstraint(
                condition=(Q(fine_amount__isnull=True) | Q(fine_amount__gte=0))
                & (Q(confiscation_amount__isnull=True) | Q(confiscation_amount__gte=0))
                & (Q(compensation_amount__isnull=True) | Q(compensation_amount__gte=0)),
                name="cases_proposal_amounts_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（第{self.revision}版）"

    def save(self, *args, **kwargs):
        # Integrity of the record, not business logic: a revision is history.
        if not self._state.adding:
            raise ValueError("拟处理意见不能修改，请提出新版本")
        super().save(*args, **kwargs)


class Notice(models.Model):  # 行政处罚（处理）事先告知（行政处罚法 第四十四条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="notices"
    )
    proposal = models.ForeignKey(
        Proposal, verbose_name="告知的拟处理意见", on_delete=models.PROTECT, related_name="notices"
    )
    number = models.CharField("文号", max_length=60, unique=True)
    served_on = models.DateField("送达日期")
    # Snapshot of the rules applied when it was served.
    defence_workdays = models.PositiveSmallIntegerField("陈述申辩期限（工作日）")
    defence_due = models.DateField("陈述申辩截止日期", null=True, blank=True)
    hearing_eligible = models.BooleanField("告知听证权利")
    hearing_basis = models.TextField("听证依据", blank=True)
    hearing_request_due = models.DateField("申请听证截止日期", null=True, blank=True)
    defence_waived_on = models.DateField("当事人明确放弃陈述申辩的日期", null=True, blank=True)
    hearing_waived_on = models.DateField("当事人明确放弃听证的日期", null=True, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "事先告知"
        ordering = ["case", "served_on", "pk"]

    def __str__(self) -> str:
        return self.number


class Defence(models.Model):  # 陈述、申辩及复核（行政处罚法 第四十五条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="defences"
    )
    notice = models.ForeignKey(
        Notice, verbose_name="告知", on_delete=models.PROTECT, related_name="defences"
    )
    received_on = models.DateField("提出日期")
    form = models.CharField("形式", max_length=10, choices=DefenceForm.choices)
    content = models.TextField("陈述申辩内容")
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    recheck_result = models.CharField(
        "复核结果", max_length=12, choices=RecheckResult.choices, blank=True
    )
    recheck_reason = models.TextField("复核意见", blank=True)
    rechecked_on = models.DateField("复核日期", null=True, blank=True)
    rechecked_by = models.ForeignKey(
        USER,
        verbose_name="复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "陈述申辩"
        ordering = ["case", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(recheck_result="") & Q(rechecked_on__isnull=True))
                | (~Q(recheck_result="") & Q(rechecked_on__isnull=False) & ~Q(recheck_reason="")),
                name="cases_defence_recheck_complete",
            )
        ]

    def __str__(self) -> str:
        return f"陈述申辩（{self.received_on}）"


class Hearing(models.Model):  # 听证（行政处罚法 第六十三条至第六十五条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="hearings"
    )
    notice = models.ForeignKey(
        Notice, verbose_name="告知", on_delete=models.PROTECT, related_name="hearings"
    )
    requested_on = models.DateField("申请日期")
    request_note = models.TextField("申请内容", blank=True)
    scheduled_at = models.DateTimeField("听证时间", null=True, blank=True)
    place = models.CharField("听证地点", max_length=200, blank=True)
    presider = models.ForeignKey(
        USER,
        verbose_name="主持人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clerk = models.ForeignKey(
        USER,
        verbose_name="记录员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notice_served_on = models.DateField("听证通知送达日期", null=True, blank=True)
    earliest_on = models.DateField("最早可举行日期", null=True, blank=True)
    public = models.BooleanField("公开举行", default=True)
    closed_reason = models.CharField("不公开理由", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=HearingOutcome.choices, blank=True)
    ended_on = models.DateField("结束日期", null=True, blank=True)
    record_summary = models.TextField("听证笔录摘要", blank=True)
    # 行政处罚法 第六十四条第一款第（五）项: 当事人可以亲自参加听证，也可以委托一至二人代理.
    # None: recorded before attendance was asked (the record itself says who attended)
    party_attended = models.BooleanField("当事人亲自参加", null=True, blank=True)
    agents = models.JSONField("委托代理人", default=list, blank=True)
    party_signed = models.BooleanField("当事人已在笔录上签字", default=False)
    refusal_note = models.CharField("拒绝签字情况（主持人注明）", max_length=200, blank=True)
    report = models.TextField("听证报告（处理意见）", blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "听证"
        ordering = ["case", "requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(public=True) | ~Q(closed_reason=""),
                name="cases_hearing_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"听证（{self.requested_on}申请）"


class CollectiveDiscussion(models.Model):  # 集体讨论（行政处罚法 第五十七条第二款）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="discussions"
    )
    proposal = models.ForeignKey(
        Proposal,
        verbose_name="讨论的拟处理意见",
        on_delete=models.PROTECT,
        related_name="discussions",
    )
    held_on = models.DateField("讨论日期")
    chair = models.ForeignKey(
        USER, verbose_name="主持人", on_delete=models.PROTECT, related_name="+"
    )
    conclusion_kind = models.CharField("结论", max_length=14, choices=DiscussionConclusion.choices)
    conclusion = models.TextField("讨论结论")
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "集体讨论"
        ordering = ["case", "held_on", "pk"]

    def __str__(self) -> str:
        return f"集体讨论（{self.held_on}）"


class DiscussionOpinion(models.Model):  # 参加人员及其意见
    discussion = models.ForeignKey(
        CollectiveDiscussion,
        verbose_name="集体讨论",
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    attendee = models.ForeignKey(
        USER, verbose_name="参加人员", on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.TextField("意见")

    class Meta:
        verbose_name = verbose_name_plural = "集体讨论意见"
        ordering = ["discussion", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "attendee"], name="cases_opinion_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.attendee}：{self.opinion[:20]}"


class Decision(models.Model):  # 执法决定（行政处罚决定、行政处理决定、不予处罚、撤销立案、移送）
    case = models.OneToOneField(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="decision"
    )
    kind = models.CharField("决定种类", max_length=20, choices=OutcomeKind.choices)
    proposal = models.ForeignKey(
        Proposal,
        verbose_name="决定依据的拟处理意见",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    doc_type = models.CharField("文书种类", max_length=30, blank=True)
    number = models.CharField("文号", max_length=60, null=True, blank=True, unique=True)
    decided_on = models.DateField("决定日期（文书日期）")
    decided_by = models.ForeignKey(
        USER, verbose_name="决定人", on_delete=models.PROTECT, related_name="+"
    )
    content = models.TextField("决定内容")
    penalty_types = models.JSONField("处罚种类", default=list)
    fine_amount = models.DecimalField("罚款金额（元）", null=True, blank=True, **MONEY)
    confiscation_amount = models.DecimalField("没收违法所得（元）", null=True, blank=True, **MONEY)
    remedy_note = models.TextField("救济途径", blank=True)
    on_spot = models.BooleanField("当场作出（简易程序）", default=False)
    on_spot_place = models.CharField("当场处罚地点", max_length=200, blank=True)
    party_signed = models.BooleanField("当事人已签收", default=False)
    refusal_note = models.CharField("拒绝签收情况", max_length=200, blank=True)
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "执法决定"
        constraints = [
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | Q(fine_amount__gte=0),
                name="cases_decision_fine_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.number or self.get_kind_display()


class DecisionChange(models.Model):  # 执法决定变更记录（撤销、确认违法、确认无效、重新作出、变更）
    """A decision revoked, confirmed illegal or void, to be remade, or changed — by 行政复议, a
    court or the agency itself. It is a fact about the case: enforcement stops when the decision
    no longer binds (``DECISION_VOIDING_CHANGES``), and the publicity app, subscribed to
    ``case.decision_changed``, takes a published decision down within 3 working days
    (行政处罚法 第四十八条第二款)."""

    decision = models.ForeignKey(
        Decision, verbose_name="执法决定", on_delete=models.PROTECT, related_name="changes"
    )
    kind = models.CharField("变更情形", max_length=20, choices=DecisionChangeKind.choices)
    authority = models.CharField(
        "作出机关类别", max_length=12, choices=DecisionChangeAuthority.choices
    )
    authority_name = models.CharField("作出机关", max_length=100)
    document = models.CharField("文书名称及文号", max_length=200)
    happened_on = models.DateField("作出日期")
    reason = models.TextField("理由（将向社会公开说明）")
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", default=timezone.now)
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法决定变更记录"
        ordering = ["decision", "happened_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.document}）"

    @property
    def voids_decision(self) -> bool:
        return self.kind in DECISION_VOIDING_CHANGES

"""Legal review of major enforcement decisions (重大执法决定法制审核).

A case is submitted (``Submission``, one row per round, never changed after it is concluded)
with a frozen manifest of its dossier and ONE hash over that manifest; the reviewer concludes it
(``Review`` with its eight ``ReviewPoint``s) by their own act only; the decision gate compares
the hash of the approved round with the hash of the dossier as it is now. Rows are written by
``services`` only; the admin shows them read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .choices import (
    CatalogueKind,
    ExpertKind,
    Opinion,
    PartyScope,
    Point,
    PointResult,
    SubmissionStatus,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}
DEFAULT_REVIEW_WORKDAYS = 5  # DOMAIN.md §2.3: not set nationally; 5 working days (坎门街道)
DEFAULT_EXTENSION_WORKDAYS = 3  # 辽宁: 7 + 3 working days


class ReviewSettings(models.Model):  # 法制审核参数（按执法主体）
    agency = models.OneToOneField(
        "registry.Agency",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="review_settings",
    )
    review_workdays = models.PositiveSmallIntegerField(
        "审核期限（工作日）",
        default=DEFAULT_REVIEW_WORKDAYS,
        help_text="自收到完整送审材料之次日起计算",
    )
    extension_workdays = models.PositiveSmallIntegerField(
        "可延长的期限（工作日，合计）", default=DEFAULT_EXTENSION_WORKDAYS
    )
    # 行政处罚法 第五十八条第一款第（三）项 (案件情况疑难复杂、涉及多个法律关系) is put in scope by
    # flagging the case major with that catalogue ground; the cases app's 情节复杂 flag is the
    # 第五十七条 collective-discussion flag, so by default it does not by itself require review.
    complex_needs_review = models.BooleanField(
        "标记为情节复杂的案件也须经法制审核",
        default=False,
        help_text="不选：疑难复杂、涉及多个法律关系的案件以“标记重大执法决定”纳入审核范围",
    )
    basis_note = models.TextField("依据说明", blank=True)
    updated_at = models.DateTimeField("更新时间", default=timezone.now)
    updated_by = models.ForeignKey(
        USER,
        verbose_name="更新人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "法制审核参数"
        constraints = [
            models.CheckConstraint(
                condition=Q(review_workdays__gte=1) & Q(review_workdays__lte=30),
                name="review_settings_workdays_range",
            ),
            models.CheckConstraint(
                condition=Q(extension_workdays__lte=30), name="review_settings_extension_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} 法制审核参数"


class CatalogueEntry(models.Model):  # 重大执法决定法制审核目录（条目）
    """One line of the agency's catalogue (国办发〔2018〕118号: 编制重大执法决定法制审核目录清单).
    Entries of the kinds in ``choices.AUTO_KINDS`` flag a case major automatically when a proposal
    meets them; the others are the grounds an officer chooses when flagging a case."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("种类", max_length=20, choices=CatalogueKind.choices)
    title = models.CharField("条目名称", max_length=200)
    description = models.TextField("说明", blank=True)
    basis = models.CharField("依据", max_length=200, blank=True)
    item = models.ForeignKey(
        "catalog.Item",
        verbose_name="执法事项",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    threshold = models.DecimalField("罚没金额标准（元，含本数）", null=True, blank=True, **MONEY)
    party_scope = models.CharField(
        "适用当事人", max_length=20, choices=PartyScope.choices, default=PartyScope.ALL
    )
    penalty_types = models.JSONField("处罚种类", default=list, blank=True)
    effective_from = models.DateField("施行日期")
    ended_on = models.DateField("停止适用日期", null=True, blank=True)
    end_reason = models.CharField("停止适用原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "重大执法决定法制审核目录"
        ordering = ["agency", "kind", "pk"]
        permissions = [("manage_catalogue", "维护重大执法决定法制审核目录和审核参数")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="item") | Q(item__isnull=False),
                name="review_catalogue_item_has_item",
            ),
            models.CheckConstraint(
                condition=~Q(kind="amount") | Q(threshold__gt=0),
                name="review_catalogue_amount_has_threshold",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("effective_from")),
                name="review_catalogue_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def penalty_labels(self) -> str:
        from .rules import penalty_labels

        return penalty_labels(self.penalty_types or ())


class Dispute(models.Model):  # 承办机构对审核意见的异议（协调：负责人集体讨论）
    """国办发〔2018〕118号: 建立法制审核机构与承办机构对审核意见不一致时的协调机制 — here the
    disagreement goes to the heads' collective discussion (行政处罚法 第五十七条第二款), whose
    record (cases.CollectiveDiscussion) resolves it before the case is submitted again."""

    submission = models.OneToOneField(
        "review.Submission",
        verbose_name="有异议的送审轮次",
        on_delete=models.PROTECT,
        related_name="dispute",
    )
    raised_by = models.ForeignKey(
        USER, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("提出时间")
    reasons = models.TextField("异议理由")
    discussion = models.ForeignKey(
        "cases.CollectiveDiscussion",
        verbose_name="集体讨论记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_by = models.ForeignKey(
        USER,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField("登记时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见异议"
        constraints = [
            models.CheckConstraint(
                condition=(Q(discussion__isnull=True) & Q(resolved_at__isnull=True))
                | (Q(discussion__isnull=False) & Q(resolved_at__isnull=False)),
                name="review_dispute_resolved_by_discussion",
            )
        ]

    def __str__(self) -> str:
        return f"对第{self.submission.round}轮审核意见的异议"


class Submission(models.Model):  # 送审（每一轮一条）
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="案件",
        on_delete=models.PROTECT,
        related_name="review_submissions",
    )
    round = models.PositiveSmallIntegerField("轮次")
    status = models.CharField(
        "状态", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        USER, verbose_name="送审人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("送审时间")
    submitted_on = models.DateField("送审日期")
    proposal = models.ForeignKey(
        "cases.Proposal",
        verbose_name="送审的拟处理意见",
        on_delete=models.PROTECT,
        related_name="+",
    )
    manifest = models.JSONField("送审案卷清单")
    dossier_sha256 = models.CharField("案卷哈希（SHA-256）", max_length=64)
    dossier_sm3 = models.CharField("案卷哈希（SM3）", max_length=64)
    checklist = models.JSONField("送审材料核对", default=list)
    attestation = models.TextField("送审责任声明")
    note = models.TextField("送审说明", blank=True)
    follows_dispute = models.ForeignKey(
        Dispute,
        verbose_name="经集体讨论的异议",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workdays = models.PositiveSmallIntegerField("审核期限（工作日）")
    due_on = models.DateField("审核期限届满日期", null=True, blank=True)
    due_unknown_reason = models.CharField("期限无法计算的原因", max_length=200, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "送审"
        ordering = ["case", "round"]
        permissions = [
            ("submit_for_review", "送法制审核（承办人员）"),
            ("conclude_review", "作出法制审核意见"),
            ("give_expert_opinion", "提供法制审核咨询意见"),
            ("view_review_figures", "查看法制审核统计"),
            ("view_accountability", "查看重大执法决定责任记录"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "round"], name="review_submission_round_uniq"),
            # One round under review at a time.
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="pending"), name="review_one_pending_per_case"
            ),
            models.CheckConstraint(
                condition=(Q(due_on__isnull=False) & Q(due_unknown_reason=""))
                | (Q(due_on__isnull=True) & ~Q(due_unknown_reason="")),
                name="review_submission_due_or_reason",
            ),
            models.CheckConstraint(condition=~Q(attestation=""), name="review_submission_attested"),
            models.CheckConstraint(
                condition=(Q(status="withdrawn") & Q(withdrawn_at__isnull=False))
                | (~Q(status="withdrawn") & Q(withdrawn_at__isnull=True)),
                name="review_submission_withdrawn_at_iff_withdrawn",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.round}轮送审"


class ReviewExtension(models.Model):  # 延长审核期限
    submission = models.ForeignKey(
        Submission, verbose_name="送审", on_delete=models.PROTECT, related_name="extensions"
    )
    workdays = models.PositiveSmallIntegerField("延长（工作日）")
    reason = models.TextField("理由")
    due_before = models.DateField("原届满日期", null=True, blank=True)
    due_after = models.DateField("延长后届满日期", null=True, blank=True)
    extended_by = models.ForeignKey(
        USER, verbose_name="延长人", on_delete=models.PROTECT, related_name="+"
    )
    extended_at = models.DateTimeField("延长时间")

    class Meta:
        verbose_name = verbose_name_plural = "延长审核期限"
        ordering = ["submission", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(workdays__gte=1), name="review_extension_positive"),
            models.CheckConstraint(condition=~Q(reason=""), name="review_extension_has_reason"),
        ]

    def __str__(self) -> str:
        return f"延长{self.workdays}个工作日"


class Review(models.Model):  # 法制审核意见（审核人本人作出）
    submission = models.OneToOneField(
        Submission, verbose_name="送审", on_delete=models.PROTECT, related_name="review"
    )
    reviewer = models.ForeignKey(
        USER, verbose_name="审核人", on_delete=models.PROTECT, related_name="+"
    )
    opinion = models.CharField("审核意见", max_length=10, choices=Opinion.choices)
    reasons = models.TextField("理由")
    concluded_at = models.DateTimeField("审核时间")
    concluded_on = models.DateField("审核日期")
    document = models.ForeignKey(
        "records.GeneratedDocument",
        verbose_name="法制审核意见书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ledger_seq = models.BigIntegerField("账本序号")

    class Meta:
        verbose_name = verbose_name_plural = "法制审核意见"
        ordering = ["-concluded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opinion__in=Opinion.values), name="review_opinion_valid"
            ),
            models.CheckConstraint(condition=~Q(reasons=""), name="review_has_reasons"),
        ]

    def __str__(self) -> str:
        return f"{self.get_opinion_display()}（第{self.submission.round}轮）"


class ReviewPoint(models.Model):  # 审核事项（八项）
    review = models.ForeignKey(
        Review, verbose_name="审核意见", on_delete=models.PROTECT, related_name="points"
    )
    point = models.CharField("审核事项", max_length=16, choices=Point.choices)
    result = models.CharField("结论", max_length=10, choices=PointResult.choices)
    comment = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核事项"
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "point"], name="review_point_uniq"),
            models.CheckConstraint(
                condition=~Q(result="problem") | ~Q(comment=""),
                name="review_point_problem_has_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_point_display()}：{self.get_result_display()}"


class ExpertRequest(models.Model):  # 征求咨询意见（法律顾问、公职律师、行业专家）
    submission = models.ForeignKey(
        Submission, verbose_name="送审", on_delete=models.PROTECT, related_name="expert_requests"
    )
    kind = models.CharField("专家类别", max_length=20, choices=ExpertKind.choices)
    expert = models.ForeignKey(
        USER,
        verbose_name="专家（本系统用户）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="法律顾问、公职律师在本系统有账号的，由其本人填写意见",
    )
    expert_name = models.CharField("专家姓名", max_length=50)
    expert_org = models.CharField("工作单位", max_length=100, blank=True)
    question = models.TextField("咨询事项")
    requested_by = models.ForeignKey(
        USER, verbose_name="征求人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("征求时间")
    answer = models.TextField("咨询意见", blank=True)
    answered_on = models.DateField("出具日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        USER,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField("录入时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "专家咨询意见"
        ordering = ["submission", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(answer="") & Q(answered_on__isnull=True))
                | (~Q(answer="") & Q(answered_on__isnull=False)),
                name="review_expert_answer_dated",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.expert_name}"

"""Investigation (调查取证): interview and inspection records, 先行登记保存, orders to correct."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import (
    CorrectionResult,
    PreservationDisposal,
    PreservationStatus,
    RecordKind,
    Sex,
)
from .case import USER, Case


class InvestigationRecord(models.Model):  # 询问笔录 / 现场检查笔录（行政处罚法 第五十五条）
    """The structured content of an interview or on-site inspection record; the document
    itself (with page signatures) comes with the records app."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="investigation_records"
    )
    kind = models.CharField("种类", max_length=12, choices=RecordKind.choices)
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200)
    recorder = models.ForeignKey(
        USER,
        verbose_name="记录人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # 被询问人 / 现场负责人
    person_name = models.CharField("被询问人（在场人）姓名", max_length=50)
    person_sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    person_id_number = models.CharField("身份证号码", max_length=18, blank=True)
    person_employer = models.CharField("工作单位", max_length=100, blank=True)
    person_post = models.CharField("职务", max_length=50, blank=True)
    person_phone = models.CharField("联系电话", max_length=30, blank=True)
    person_address = models.CharField("住址", max_length=200, blank=True)
    relation_to_case = models.CharField("与本案关系", max_length=50, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    # 行政处罚法 第五十五条: 出示执法证件; 第四十三条: 告知申请回避的权利.
    ids_shown = models.BooleanField("已出示执法证件")
    recusal_asked = models.BooleanField("已告知申请回避的权利")
    recusal_answer = models.CharField("当事人对回避的答复", max_length=100, blank=True)
    truth_duty_told = models.BooleanField("已告知如实陈述的义务", default=False)
    content = models.TextField("询问内容（问答）或检查情况")
    attachments_note = models.TextField("附件（照片、音像记录编号等）", blank=True)
    pages = models.PositiveSmallIntegerField("页数", default=1)
    person_signed = models.BooleanField("被询问人（在场人）已逐页签名", default=False)
    refusal_note = models.CharField("拒绝签名情况", max_length=200, blank=True)
    officers_signed = models.BooleanField("执法人员已签名", default=False)
    created_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "调查笔录"
        ordering = ["case", "started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="cases_record_time_ordered"
            ),
            models.CheckConstraint(condition=Q(pages__gte=1), name="cases_record_pages_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.person_name}）"

    @property
    def signatures_complete(self) -> bool:
        """Signed on every page by the person, or the refusal noted; signed by the officers."""
        return (self.person_signed or bool(self.refusal_note)) and self.officers_signed


class RecordOfficer(models.Model):  # 笔录中的执法人员及其证件号码
    record = models.ForeignKey(
        InvestigationRecord, verbose_name="笔录", on_delete=models.PROTECT, related_name="officers"
    )
    user = models.ForeignKey(
        USER, verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    certificate_number = models.CharField("执法证件号码", max_length=40)

    class Meta:
        verbose_name = verbose_name_plural = "笔录执法人员"
        constraints = [
            models.UniqueConstraint(fields=["record", "user"], name="cases_record_officer_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.certificate_number}）"


class Preservation(models.Model):  # 先行登记保存（行政处罚法 第五十六条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="preservations"
    )
    items = models.JSONField(
        "物品清单", default=list, help_text='[{"name": , "spec": , "quantity": }]'
    )
    place_kept = models.CharField("保存地点", max_length=200)
    reason = models.TextField("证据可能灭失或者以后难以取得的情况")
    requested_on = models.DateField("申请日期")
    requested_by = models.ForeignKey(
        USER, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态",
        max_length=10,
        choices=PreservationStatus.choices,
        default=PreservationStatus.REQUESTED,
    )
    approved_on = models.DateField("批准（不予批准）日期", null=True, blank=True)
    approved_by = models.ForeignKey(
        USER,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval_note = models.TextField("审批意见", blank=True)
    preserved_on = models.DateField("登记保存日期", null=True, blank=True)
    disposal = models.CharField(
        "处理决定", max_length=12, choices=PreservationDisposal.choices, blank=True
    )
    decided_on = models.DateField("处理决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="处理决定录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("处理决定内容", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "先行登记保存"
        ordering = ["case", "requested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "decided"]) | Q(preserved_on__isnull=False),
                name="cases_preservation_approved_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided") | (Q(decided_on__isnull=False) & ~Q(disposal="")),
                name="cases_preservation_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"先行登记保存（{self.get_status_display()}）"


class CorrectionOrder(models.Model):  # 责令改正（限期改正指令书）
    """劳动保障监察条例 第十八条、行政处罚法 第二十八条: every penalty goes with an order to
    correct; the follow-up check records whether it was complied with."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="correction_orders"
    )
    number = models.CharField("文号", max_length=60, unique=True)
    issued_on = models.DateField("下达日期")
    content = models.TextField("责令改正的内容")
    legal_basis = models.TextField("依据")
    due_on = models.DateField("改正期限")
    issued_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    checked_on = models.DateField("复查日期", null=True, blank=True)
    result = models.CharField(
        "复查结果", max_length=14, choices=CorrectionResult.choices, blank=True
    )
    check_note = models.TextField("复查情况", blank=True)
    checked_by = models.ForeignKey(
        USER,
        verbose_name="复查录入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "责令改正"
        ordering = ["case", "issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("issued_on")), name="cases_order_due_after_issue"
            ),
            models.CheckConstraint(
                condition=(Q(checked_on__isnull=True) & Q(result=""))
                | (Q(checked_on__isnull=False) & ~Q(result="")),
                name="cases_order_checked_has_result",
            ),
        ]

    def __str__(self) -> str:
        return self.number

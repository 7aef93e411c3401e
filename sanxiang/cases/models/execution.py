"""Service (送达) and execution (执行): receipts, payments, deferral and instalments,
reminders, applications to court."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import (
    CourtStatus,
    PaymentChannel,
    PaymentKind,
    PlanKind,
    PlanStatus,
    ReceiverRelation,
    ServiceMethod,
    ServicePurpose,
)
from .case import MONEY, USER, Case, Party


class ServiceConsent(models.Model):  # 电子送达确认书（行政处罚法 第六十一条第二款）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="service_consents"
    )
    party = models.ForeignKey(
        Party, verbose_name="当事人", on_delete=models.PROTECT, related_name="+"
    )
    signed_on = models.DateField("签署日期")
    address = models.CharField("电子送达地址（传真、电子邮件等）", max_length=200)
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "电子送达确认书"
        ordering = ["case", "signed_on", "pk"]

    def __str__(self) -> str:
        return f"电子送达确认书（{self.signed_on}）"


class ServiceRecord(models.Model):  # 送达回证（DOMAIN.md §3.13 第18项；民事诉讼法 第八十七条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="service_records"
    )
    purpose = models.CharField("送达的文书类别", max_length=16, choices=ServicePurpose.choices)
    document_name = models.CharField("文书名称", max_length=100)
    document_number = models.CharField("文书文号", max_length=60, blank=True)
    addressee = models.CharField("受送达人", max_length=100)
    place = models.CharField("送达地点", max_length=200, blank=True)
    method = models.CharField("送达方式", max_length=12, choices=ServiceMethod.choices)
    served_on = models.DateField(
        "送达日期", help_text="签收日期；邮寄为回执日期；公告为视为送达的日期"
    )
    receiver_name = models.CharField("签收人", max_length=50, blank=True)
    receiver_relation = models.CharField(
        "签收人身份", max_length=20, choices=ReceiverRelation.choices, blank=True
    )
    refusal_reason = models.CharField("拒收事由", max_length=200, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    recording_ref = models.CharField("音像记录编号", max_length=100, blank=True)
    postal_no = models.CharField("邮件号码", max_length=40, blank=True)
    entrusted_to = models.CharField("受委托机关", max_length=100, blank=True)
    consent = models.ForeignKey(
        ServiceConsent,
        verbose_name="电子送达确认书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_on = models.DateField("公告日期", null=True, blank=True)
    publication_medium = models.CharField("公告载体", max_length=100, blank=True)
    public_reason = models.CharField("公告送达的原因", max_length=200, blank=True)
    server = models.ForeignKey(
        USER, verbose_name="送达人", on_delete=models.PROTECT, related_name="+"
    )
    second_server = models.ForeignKey(
        USER,
        verbose_name="送达人（二）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "送达回证"
        ordering = ["case", "served_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="electronic") | Q(consent__isnull=False),
                name="cases_service_electronic_needs_consent",
            ),
            models.CheckConstraint(
                condition=~Q(method="public") | Q(published_on__isnull=False),
                name="cases_service_public_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(method="left") | ~Q(refusal_reason=""),
                name="cases_service_left_has_refusal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_name} {self.get_method_display()}（{self.served_on}）"


class Payment(models.Model):  # 缴款记录（行政处罚法 第六十七条：罚缴分离）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField("款项", max_length=10, choices=PaymentKind.choices)
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("缴款日期")
    receipt_no = models.CharField("缴款凭证号", max_length=60)
    channel = models.CharField("缴款渠道", max_length=12, choices=PaymentChannel.choices)
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "缴款记录"
        ordering = ["case", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="cases_payment_positive"),
            models.UniqueConstraint(
                fields=["case", "receipt_no"], name="cases_payment_receipt_uniq"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}元"


class PaymentPlan(models.Model):  # 暂缓或分期缴纳罚款（行政处罚法 第六十六条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="payment_plans"
    )
    kind = models.CharField("方式", max_length=12, choices=PlanKind.choices)
    applied_on = models.DateField("申请日期")
    reason = models.TextField("经济困难的情况")
    schedule = models.JSONField(
        "缴纳安排", default=list, help_text='[{"due": "2026-12-01", "amount": "500.00"}]'
    )
    status = models.CharField(
        "状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.APPLIED
    )
    decided_on = models.DateField("批准日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="批准人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("审批意见", blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "暂缓或分期缴纳"
        ordering = ["case", "applied_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"


class Reminder(models.Model):  # 履行催告书（行政强制法 第三十五条、第五十四条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="reminders"
    )
    number = models.CharField("文号", max_length=60, unique=True)
    issued_on = models.DateField("催告日期")
    served_on = models.DateField("送达日期")
    fine_outstanding = models.DecimalField("未缴罚款（元）", **MONEY)
    surcharge = models.DecimalField("截至催告日的加处罚款（元）", **MONEY)
    content = models.TextField("催告内容（履行义务、期限、方式及依法享有的陈述申辩权）")
    created_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "履行催告"
        ordering = ["case", "served_on", "pk"]

    def __str__(self) -> str:
        return self.number


class CourtApplication(models.Model):  # 申请人民法院强制执行（行政强制法 第五十三条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="court_applications"
    )
    applied_on = models.DateField("申请日期")
    court = models.CharField("人民法院", max_length=100)
    status = models.CharField(
        "进展", max_length=12, choices=CourtStatus.choices, default=CourtStatus.APPLIED
    )
    status_on = models.DateField("进展日期")
    note = models.TextField("说明（裁定书文号等）", blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "申请强制执行"
        ordering = ["case", "applied_on", "pk"]

    def __str__(self) -> str:
        return f"申请{self.court}强制执行（{self.get_status_display()}）"

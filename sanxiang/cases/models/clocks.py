"""Statutory clocks (期限). One model for every kind; the due date is computed only through
``sanxiang.workcalendar.selectors`` (``cases.clocks``) and stored with the inputs that produced
it; "overdue" is derived at read time from the stored dates (ARCHITECTURE.md §3)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import DeadlineKind, DeadlineStatus, DeadlineUnit
from .case import USER, Case


class Deadline(models.Model):  # 期限
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="deadlines"
    )
    kind = models.CharField("期限种类", max_length=20, choices=DeadlineKind.choices)
    ref = models.CharField(
        "对应事项",
        max_length=40,
        blank=True,
        help_text="同一案件有多个同类期限时区分，如“preservation:3”",
    )
    basis = models.CharField("法律依据", max_length=200)
    start = models.DateField("起算日期", help_text="期间开始的当日不计入（民法典 第二百零一条）")
    length = models.PositiveIntegerField("期间长度", null=True, blank=True)
    unit = models.CharField("单位", max_length=10, choices=DeadlineUnit.choices)
    due = models.DateField("届满日期", null=True, blank=True)
    due_unknown_reason = models.CharField("届满日期无法计算的原因", max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN
    )
    closed_on = models.DateField("完成或取消日期", null=True, blank=True)
    close_note = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "期限"
        ordering = ["case", "start", "pk"]
        constraints = [
            # Either a due date or the reason there is none (期限待定), never both, never neither.
            models.CheckConstraint(
                condition=(Q(due__isnull=False) & Q(due_unknown_reason=""))
                | (Q(due__isnull=True) & ~Q(due_unknown_reason="")),
                name="cases_deadline_due_or_reason",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(closed_on__isnull=True))
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="cases_deadline_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(unit="fixed") | Q(length__gte=1), name="cases_deadline_length_positive"
            ),
            models.UniqueConstraint(
                fields=["case", "kind", "ref"],
                condition=Q(status="open"),
                name="cases_deadline_one_open_per_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="cases_deadline_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.due or '期限待定'}）"


class DeadlineSuspension(models.Model):  # 期限中止（不计入期限的期间，如听证）
    deadline = models.ForeignKey(
        Deadline, verbose_name="期限", on_delete=models.PROTECT, related_name="suspensions"
    )
    starts_on = models.DateField("中止日期", help_text="不计入期限的第一日")
    ends_on = models.DateField(
        "恢复前一日", null=True, blank=True, help_text="不计入期限的最后一日"
    )
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "期限中止"
        ordering = ["deadline", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=Q(ends_on__isnull=True),
                name="cases_suspension_one_open",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cases_suspension_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on}—{self.ends_on or ''} {self.reason}"


class DeadlineExtension(models.Model):  # 期限延长
    deadline = models.ForeignKey(
        Deadline, verbose_name="期限", on_delete=models.PROTECT, related_name="extensions"
    )
    length = models.PositiveIntegerField("延长")
    reason = models.TextField("理由")
    approved_on = models.DateField("批准日期")
    approved_by = models.ForeignKey(
        USER, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    discussion = models.ForeignKey(
        "cases.CollectiveDiscussion",
        verbose_name="集体讨论",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "期限延长"
        ordering = ["deadline", "approved_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(length__gte=1), name="cases_extension_positive")
        ]

    def __str__(self) -> str:
        return f"延长{self.length}（{self.approved_on}）"

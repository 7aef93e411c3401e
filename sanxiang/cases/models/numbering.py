"""Document numbers (文号): patterns per agency and document type, and gap-free counters."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from .case import USER


class NumberPattern(models.Model):  # 文号格式
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="number_patterns",
    )
    doc_type = models.CharField("文书种类代码", max_length=30)
    label = models.CharField("文书种类", max_length=50)
    pattern = models.CharField(
        "文号格式", max_length=60, help_text="占位符：{short} 机关代字，{year} 年份，{n} 序号"
    )
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
        verbose_name = verbose_name_plural = "文号格式"
        ordering = ["agency", "doc_type"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "doc_type"], name="cases_pattern_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.label}：{self.pattern}"


class NumberCounter(models.Model):  # 文号计数器（每个执法主体、文书种类、年份一行）
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("文书种类代码", max_length=30)
    year = models.PositiveSmallIntegerField("年份")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文号计数器"
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "year"], name="cases_counter_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_type} {self.year}: {self.last}"


class IssuedNumber(models.Model):  # 发文登记
    """Every number handed out, so "unique and gap-free" can be checked at any time."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("文书种类代码", max_length=30)
    year = models.PositiveSmallIntegerField("年份")
    n = models.PositiveIntegerField("序号")
    text = models.CharField("文号", max_length=60)
    issued_at = models.DateTimeField("编号时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "发文登记"
        ordering = ["agency", "doc_type", "year", "n"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "doc_type", "year", "n"], name="cases_issued_uniq"
            ),
            models.UniqueConstraint(fields=["agency", "text"], name="cases_issued_text_uniq"),
            models.CheckConstraint(condition=Q(n__gte=1), name="cases_issued_positive"),
        ]

    def __str__(self) -> str:
        return self.text

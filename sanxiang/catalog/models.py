"""执法事项清单: items, their dated versions, legal bases, discretion benchmarks, 首违不罚.

An :class:`Item` is only an identity (agency + code). Everything an item says lives in an
:class:`ItemVersion`, a snapshot with an effective date (生效日期) and a change note; the
legal bases, benchmark tiers and the 首违不罚 rule belong to the version. Versions are never
changed or deleted: a change is a new version, so the version in force on any date can be
read back (行政处罚法 第三十七条: the law in force at the time of the act applies), and a case
refers to the exact ``ItemVersion`` it applied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import rules


class Category(models.TextChoices):  # 事项类别
    PENALTY = rules.PENALTY, "行政处罚"
    COERCION = rules.COERCION, "行政强制"
    INSPECTION = rules.INSPECTION, "行政检查"
    LEVY = rules.LEVY, "行政征收"
    LICENSING = rules.LICENSING, "行政许可"
    CONFIRMATION = rules.CONFIRMATION, "行政确认"
    OTHER = rules.OTHER, "其他"


class AmountKind(models.TextChoices):  # 金额计算方式
    NONE = rules.NONE, "不涉及金额"
    FIXED = rules.FIXED, "固定金额幅度（元）"
    PER_WORKER = rules.PER_WORKER, "按受侵害劳动者人数（元/人）"
    MULTIPLE = rules.MULTIPLE, "按基数的倍数（倍）"


class AmountNature(models.TextChoices):  # 金额性质
    FINE = rules.FINE, "罚款（行政处罚）"
    COMPENSATION = rules.COMPENSATION, "加付赔偿金（行政处理）"


class Level(models.TextChoices):  # 裁量档次
    NO_PENALTY = rules.NO_PENALTY, "不予处罚"
    MITIGATED = rules.MITIGATED, "减轻处罚"
    LENIENT = rules.LENIENT, "从轻处罚"
    GENERAL = rules.GENERAL, "一般处罚"
    SEVERE = rules.SEVERE, "从重处罚"


class BasisKind(models.TextChoices):  # 依据种类
    SETTING = rules.BASIS_SETTING, "设定依据"
    PENALTY = rules.BASIS_PENALTY, "处罚依据"
    HANDLING = rules.BASIS_HANDLING, "处理依据"
    IMPLEMENTING = rules.BASIS_IMPLEMENTING, "实施依据"


class BenchmarkStatus(models.TextChoices):  # 裁量基准状态
    DRAFT = rules.BENCHMARK_DRAFT, "草案（未公布）"
    PUBLISHED = rules.BENCHMARK_PUBLISHED, "已公布施行"


class Measure(models.TextChoices):  # 首违不罚配套措施
    EDUCATION = "education", "教育"
    ADMONITION = "admonition", "告诫"
    REMINDER = "reminder", "提醒"
    GUIDANCE = "guidance", "指导"
    INTERVIEW = "interview", "约谈"
    FOLLOW_UP = "follow_up", "回访"
    OBSERVATION = "observation", "观察"


class Item(models.Model):  # 执法事项
    agency = models.ForeignKey(
        "registry.Agency",
        verbose_name="实施主体",
        on_delete=models.PROTECT,
        related_name="catalog_items",
    )
    code = models.CharField("事项编码", max_length=rules.CODE_MAX_LENGTH)
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "执法事项"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="catalog_item_code_uniq"),
        ]
        permissions = [("manage_catalog", "维护执法事项清单与裁量基准")]

    def __str__(self) -> str:
        return self.code


class ItemVersion(models.Model):  # 执法事项版本
    item = models.ForeignKey(
        Item, verbose_name="执法事项", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    effective_from = models.DateField("生效日期")
    change_note = models.TextField("变更说明")

    name = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="catalog_item_versions",
    )
    description = models.TextField("事项内容", blank=True)
    time_limit_text = models.TextField("办理时限", blank=True)
    time_limit_workdays = models.PositiveSmallIntegerField(
        "办理时限（工作日）", null=True, blank=True
    )
    review_days = models.PositiveSmallIntegerField(
        "申请行政复议期限（日）", default=rules.DEFAULT_REVIEW_DAYS
    )
    litigation_months = models.PositiveSmallIntegerField(
        "提起行政诉讼期限（月）", default=rules.DEFAULT_LITIGATION_MONTHS
    )
    remedy_note = models.TextField("救济途径", blank=True)
    random_inspection = models.BooleanField("列入双随机抽查事项清单", default=False)
    confidentiality_review = models.BooleanField("公开前需保密审查", default=False)

    # 法定幅度: the range the law sets; benchmark tiers refine it.
    amount_nature = models.CharField(
        "金额性质", max_length=20, choices=AmountNature.choices, blank=True
    )
    statutory_kind = models.CharField(
        "法定幅度计算方式", max_length=20, choices=AmountKind.choices, default=AmountKind.NONE
    )
    statutory_low = models.DecimalField(
        "法定幅度下限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    statutory_high = models.DecimalField(
        "法定幅度上限", max_digits=14, decimal_places=2, null=True, blank=True
    )
    base_label = models.CharField("计算基数", max_length=50, blank=True)
    benchmark_status = models.CharField(
        "裁量基准状态", max_length=20, choices=BenchmarkStatus.choices, blank=True
    )
    benchmark_note = models.TextField("裁量基准说明", blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "执法事项版本"
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number_uniq"),
            models.CheckConstraint(condition=Q(number__gte=1), name="catalog_version_number_pos"),
            models.CheckConstraint(
                condition=Q(statutory_low__isnull=True)
                | Q(statutory_high__isnull=True)
                | Q(statutory_low__lte=models.F("statutory_high")),
                name="catalog_version_statutory_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(statutory_low__isnull=True) | Q(statutory_low__gte=0))
                & (Q(statutory_high__isnull=True) | Q(statutory_high__gte=0)),
                name="catalog_version_statutory_nonneg",
            ),
        ]
        indexes = [
            models.Index(fields=["item", "effective_from"], name="catalog_version_item_eff"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} 第{self.number}版"

    def save(self, *args, **kwargs):
        # A version is a record of what the catalogue said from a date on; a change is a new
        # version (services.item_version_add), never an overwrite.
        if not self._state.adding:
            raise ValueError("执法事项版本不能修改，请新增版本")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("执法事项版本不能删除")

    @property
    def statutory(self) -> rules.AmountRule:
        return rules.AmountRule(
            kind=self.statutory_kind,
            low=self.statutory_low,
            high=self.statutory_high,
            base_label=self.base_label,
            nature=self.amount_nature or rules.FINE,
        )

    @property
    def statutory_text(self) -> str:
        return rules.rule_text(self.statutory)


class LegalBasis(models.Model):  # 法律依据
    version = models.ForeignKey(
        ItemVersion, verbose_name="事项版本", on_delete=models.PROTECT, related_name="bases"
    )
    position = models.PositiveSmallIntegerField("序号")
    kind = models.CharField("依据种类", max_length=20, choices=BasisKind.choices)
    law = models.CharField("法律法规名称", max_length=100)
    article = models.CharField("条款", max_length=100)
    text = models.TextField("条文内容", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律依据"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="catalog_basis_pos_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.law}{self.article}"


class DiscretionTier(models.Model):  # 裁量档次
    version = models.ForeignKey(
        ItemVersion, verbose_name="事项版本", on_delete=models.PROTECT, related_name="tiers"
    )
    level = models.CharField("裁量档次", max_length=20, choices=Level.choices)
    rank = models.PositiveSmallIntegerField("轻重顺序")
    circumstances = models.TextField("适用情形")
    sanction = models.TextField("处罚（处理）内容")
    amount_kind = models.CharField(
        "金额计算方式", max_length=20, choices=AmountKind.choices, default=AmountKind.NONE
    )
    low = models.DecimalField("下限", max_digits=14, decimal_places=2, null=True, blank=True)
    high = models.DecimalField("上限", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "裁量档次"
        ordering = ["version", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["version", "level"], name="catalog_tier_level_uniq"),
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(low__lte=models.F("high")),
                name="catalog_tier_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(low__isnull=True) | Q(low__gte=0))
                & (Q(high__isnull=True) | Q(high__gte=0)),
                name="catalog_tier_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return self.get_level_display()

    @property
    def rule(self) -> rules.AmountRule:
        """The tier's money rule (the nature and base come from its version)."""
        return rules.AmountRule(
            kind=self.amount_kind,
            low=self.low,
            high=self.high,
            base_label=self.version.base_label,
            nature=self.version.amount_nature or rules.FINE,
        )

    @property
    def amount_text(self) -> str:
        return rules.rule_text(self.rule)


class FirstOffenceRule(models.Model):  # 首违不罚情形（行政处罚法 第三十三条第一款）
    version = models.OneToOneField(
        ItemVersion,
        verbose_name="事项版本",
        on_delete=models.PROTECT,
        related_name="first_offence",
    )
    conditions = models.TextField("适用条件")
    max_affected_workers = models.PositiveSmallIntegerField(
        "受侵害劳动者人数上限", null=True, blank=True
    )
    legal_basis = models.TextField("依据")
    measures = models.JSONField("配套措施", default=list)
    measures_note = models.TextField("措施说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "首违不罚情形"

    def __str__(self) -> str:
        return f"{self.version} 首违不罚"

    @property
    def measure_labels(self) -> list[str]:
        return rules.labels(self.measures, rules.MEASURE_LABELS)

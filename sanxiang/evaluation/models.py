"""案卷评查: scoring standards as data, samples of closed files, evaluations and their scores
(DOMAIN.md §7.1; §12 items 74–75). Written only by ``services``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

USER = settings.AUTH_USER_MODEL
POINTS = {"max_digits": 5, "decimal_places": 1}


class Standard(models.Model):  # 评查标准（版本化）
    name = models.CharField("名称", max_length=100)
    version = models.CharField("版本", max_length=30)
    effective_from = models.DateField("施行日期")
    full_points = models.DecimalField("满分", **POINTS)
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "评查标准"
        ordering = ["-effective_from", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="evaluation_standard_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.version}）"


class Section(models.Model):  # 评查项目（立案、调查……）
    standard = models.ForeignKey(
        Standard, verbose_name="评查标准", on_delete=models.PROTECT, related_name="sections"
    )
    position = models.PositiveSmallIntegerField("顺序")
    title = models.CharField("项目", max_length=50)
    points = models.DecimalField("分值", **POINTS)

    class Meta:
        verbose_name = verbose_name_plural = "评查项目"
        ordering = ["standard", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "position"], name="evaluation_section_position_uniq"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):  # 评查细目（扣分项）
    standard = models.ForeignKey(
        Standard, verbose_name="评查标准", on_delete=models.PROTECT, related_name="items"
    )
    section = models.ForeignKey(
        Section, verbose_name="评查项目", on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("编号", max_length=10)
    text = models.CharField("评查内容", max_length=200)
    points = models.DecimalField("分值", **POINTS)
    hint = models.CharField("参考事实", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评查细目"
        ordering = ["section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="evaluation_item_code_uniq"),
            models.CheckConstraint(condition=Q(points__gt=0), name="evaluation_item_points_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class VetoItem(models.Model):  # 否决项
    standard = models.ForeignKey(
        Standard, verbose_name="评查标准", on_delete=models.PROTECT, related_name="vetoes"
    )
    position = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("编号", max_length=10)
    text = models.CharField("否决情形", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "否决项"
        ordering = ["standard", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="evaluation_veto_code_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


class Sample(models.Model):  # 案卷抽查（随机抽取已结案案卷）
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    period_from = models.DateField("结案日期自")
    period_to = models.DateField("结案日期至")
    count = models.PositiveIntegerField("抽取数量")
    algorithm = models.CharField("算法", max_length=40)
    seed = models.CharField("随机种子", max_length=64)
    seed_text = models.CharField("种子来源（公开值）", max_length=200, blank=True)
    pool = models.TextField("案卷池（规范格式）")
    pool_sha256 = models.CharField("案卷池 SHA-256", max_length=64)
    pool_size = models.PositiveIntegerField("案卷池数量")
    drawn = models.JSONField("抽中的案号（按抽取顺序）")
    cases = models.ManyToManyField(
        "cases.Case", verbose_name="抽中的案件", related_name="+", blank=True
    )
    drawn_by = models.ForeignKey(
        USER, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "案卷抽查"
        ordering = ["-drawn_at", "-pk"]
        permissions = [("draw_sample", "随机抽取已结案案卷")]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=models.F("period_from")),
                name="evaluation_sample_period_ordered",
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="evaluation_sample_count_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.period_from:%Y-%m-%d}至{self.period_to:%Y-%m-%d} 抽查{self.count}件"


class Status(models.TextChoices):
    DRAFT = "draft", "评查中"
    FINAL = "final", "已完成"


class Evaluation(models.Model):  # 案卷评查
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+"
    )
    standard = models.ForeignKey(
        Standard, verbose_name="评查标准", on_delete=models.PROTECT, related_name="evaluations"
    )
    sample = models.ForeignKey(
        Sample,
        verbose_name="所属抽查",
        on_delete=models.PROTECT,
        related_name="evaluations",
        null=True,
        blank=True,
    )
    evaluator = models.ForeignKey(
        USER, verbose_name="评查人", on_delete=models.PROTECT, related_name="+"
    )
    # The handler and unit the result counts for (主办人 and his unit when the evaluation started).
    handler = models.ForeignKey(
        USER, verbose_name="主办人", on_delete=models.PROTECT, related_name="+", null=True
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="承办机构",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    total = models.DecimalField("得分", null=True, blank=True, **POINTS)
    grade = models.CharField("等次", max_length=10, blank=True)
    vetoed = models.BooleanField("触及否决项", default=False)
    summary = models.TextField("评查意见", blank=True)
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finalised_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案卷评查"
        ordering = ["-started_at", "-pk"]
        permissions = [
            ("evaluate_casefile", "评查案卷（逐项评分）"),
            ("view_results", "查看评查结果统计"),
        ]
        constraints = [
            # 同一标准下一件案卷只评查一次
            models.UniqueConstraint(fields=["case", "standard"], name="evaluation_case_once"),
            models.CheckConstraint(
                condition=Q(status="draft")
                | (Q(total__isnull=False) & ~Q(grade="") & Q(finalised_at__isnull=False)),
                name="evaluation_final_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} 评查"

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL


class Score(models.Model):  # 扣分
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评查", on_delete=models.CASCADE, related_name="scores"
    )
    item = models.ForeignKey(
        Item, verbose_name="评查细目", on_delete=models.PROTECT, related_name="+"
    )
    deduction = models.DecimalField("扣分", **POINTS)
    note = models.CharField("扣分理由", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "扣分"
        ordering = ["item__section__position", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="evaluation_score_uniq"),
            models.CheckConstraint(condition=Q(deduction__gt=0), name="evaluation_score_positive"),
            models.CheckConstraint(condition=~Q(note=""), name="evaluation_score_has_note"),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} 扣{self.deduction}分"


class VetoMark(models.Model):  # 触及的否决项
    evaluation = models.ForeignKey(
        Evaluation, verbose_name="评查", on_delete=models.CASCADE, related_name="veto_marks"
    )
    veto = models.ForeignKey(
        VetoItem, verbose_name="否决项", on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=500)

    class Meta:
        verbose_name = verbose_name_plural = "触及的否决项"
        ordering = ["veto__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "veto"], name="evaluation_veto_mark_uniq"
            ),
            models.CheckConstraint(condition=~Q(note=""), name="evaluation_veto_mark_has_note"),
        ]

    def __str__(self) -> str:
        return f"否决项 {self.veto.code}"

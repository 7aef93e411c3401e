"""执法主体、内设机构（其余登记簿见后续迁移）。"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from sanxiang.lib import codes


def validate_uscc_field(value: str) -> None:
    try:
        codes.validate_uscc(value)
    except codes.CodeError as exc:
        raise ValidationError(str(exc), code="invalid_uscc") from None


class Agency(models.Model):  # 执法主体
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=20, help_text="用于文号，如“陵人社”")
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc_field])
    legal_basis = models.TextField("职权依据", help_text="设定该主体执法职权的法律、法规、规章及条款")
    jurisdiction = models.CharField("管辖区域", max_length=100)
    division_code = models.CharField("行政区划代码", max_length=6, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法主体"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):  # 内设机构
    class Kind(models.TextChoices):
        ENFORCEMENT = "enforcement", "执法机构"  # 劳动保障监察大队 / 行政执法队
        LEGAL_REVIEW = "legal_review", "法制审核机构"  # 劳动监察和信访仲裁股
        LEADERSHIP = "leadership", "局领导"
        OFFICE = "office", "综合办公室"
        OTHER = "other", "其他"

    agency = models.ForeignKey(Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="units")
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    duties = models.TextField("职责", blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "内设机构"
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="registry_unit_uniq")]

    def __str__(self) -> str:
        return self.name

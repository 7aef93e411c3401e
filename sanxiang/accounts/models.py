from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from sanxiang.lib import codes


def _validate_mobile(value: str) -> None:
    from django.core.exceptions import ValidationError

    try:
        codes.validate_mobile(value)
    except codes.CodeError as exc:
        raise ValidationError(str(exc), code="invalid_mobile") from None


class User(AbstractUser):
    """A staff account. The public has no accounts.

    Accounts are never deleted (the ledger refers to them); they are deactivated.
    """

    real_name = models.CharField("姓名", max_length=50)
    phone = models.CharField("手机号码", max_length=11, blank=True, validators=[_validate_mobile])
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name="所在机构",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    failed_logins = models.PositiveIntegerField("连续登录失败次数", default=0, editable=False)
    locked_until = models.DateTimeField("锁定至", null=True, blank=True, editable=False)
    password_changed_at = models.DateTimeField(
        "密码修改时间", null=True, blank=True, editable=False
    )

    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        verbose_name = verbose_name_plural = "用户"
        permissions = [
            ("manage_accounts", "管理账号、角色与权限"),
            ("configure_system", "配置系统参数与参考数据"),
        ]

    def __str__(self) -> str:
        return self.real_name or self.username

    def get_full_name(self) -> str:
        return self.real_name or self.username

    def get_short_name(self) -> str:
        return self.real_name or self.username

    @property
    def role_names(self) -> list[str]:
        return sorted(g.name for g in self.groups.all())

    def has_role(self, role: str) -> bool:
        return self.groups.filter(name=role).exists()

"""Ledger tables. Rows of Event are never updated or deleted (database triggers refuse it)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("账本记录只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("账本记录只能追加，不能删除")


class Subject(models.Model):
    """Maps an internal subject (model label + key) to the opaque reference used publicly.

    The reference is random, so the public log reveals nothing about the subject; staff and
    exports can still group a subject's events.
    """

    kind = models.CharField("对象类型", max_length=64)
    key = models.CharField("对象标识", max_length=64)
    ref = models.UUIDField("公开引用", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "账本对象"
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="ledger_subject_uniq")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class Head(models.Model):
    """The single row that serialises appends: current size and time of the last entry."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("条目数", default=0)
    last_at = models.DateTimeField("最后记录时间", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "账本头"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_head_single")]


class Event(models.Model):  # 账本事件
    """One leaf of the log.

    ``entry`` is the public leaf entry (canonical JSON of seq, time, type, opaque subject and
    the payload commitment); ``payload`` is the private canonical JSON of everything recorded,
    and ``commitment`` = SHA-256(salt ‖ payload).
    """

    seq = models.BigIntegerField("序号", primary_key=True)
    at = models.DateTimeField("记录时间")
    type = models.CharField("事件类型", max_length=64, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=True,
    )
    subject = models.ForeignKey(
        Subject,
        verbose_name="对象",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    payload = models.TextField("载荷（规范JSON）")
    salt = models.BinaryField("盐", max_length=32)
    commitment = models.BinaryField("承诺值", max_length=32)
    entry = models.BinaryField("公开条目")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "账本事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject", "seq"], name="ledger_event_subject_seq")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("账本记录只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("账本记录只能追加，不能删除")

"""Ledger tables. Rows of Subject, Event, Node and Checkpoint are never updated or deleted: the
model refuses it and database triggers (migration 0003) refuse raw UPDATE/DELETE too.

Head and SweepLease are bookkeeping rows that change (size of the log; who runs a sweep); they
prove nothing — ``ledger verify`` recomputes everything from the append-only tables.
"""

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


class AppendOnlyModel(models.Model):
    """A row that is written once (INSERT) and never changed or removed."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("账本记录只能追加，不能修改")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("账本记录只能追加，不能删除")


class Subject(AppendOnlyModel):
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
    """The single row that serialises appends: current size, time of the last entry, and the
    tree's right edge.

    ``frontier`` caches the hashes of the perfect subtrees tiling [0, size), largest first
    (32 bytes each, one per 1-bit of size): all an append needs to compute the nodes it
    completes, without reading ``ledger_node``. It proves nothing — ``ledger verify``
    recomputes it — and a wrong one makes wrong nodes that verify and checkpoint_issue find.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    size = models.BigIntegerField("条目数", default=0)
    last_at = models.DateTimeField("最后记录时间", null=True)
    frontier = models.BinaryField("树右边界", default=b"")

    class Meta:
        verbose_name = verbose_name_plural = "账本头"
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="ledger_head_single")]

    def __str__(self) -> str:
        return f"ledger head: {self.size} entries"


class Event(AppendOnlyModel):  # 账本事件
    """One leaf of the log.

    ``entry`` is the public leaf entry (canonical JSON of seq, time, type, opaque subject and
    the commitment SHA-256(salt ‖ payload)); ``payload`` is the private canonical JSON of
    everything recorded; ``leaf_hash`` = SHA-256(0x00 ‖ entry) is level 0 of the Merkle tree.
    The commitment lives only in the entry (one copy, nothing to disagree). The formats are
    in docs/ledger.md.
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
        # The (subject, seq) index below serves every lookup by subject.
        db_index=False,
    )
    payload = models.TextField("载荷（规范JSON）")
    salt = models.BinaryField("盐", max_length=32)
    entry = models.BinaryField("公开条目")
    leaf_hash = models.BinaryField("叶哈希", max_length=32)

    class Meta:
        verbose_name = verbose_name_plural = "账本事件"
        ordering = ["seq"]
        indexes = [models.Index(fields=["subject", "seq"], name="ledger_event_subject_seq")]
        permissions = [
            # 等保 2.0 三级 安全审计: only the 审计管理员 reads the audit log (三权分立).
            ("view_audit_log", "查阅审计日志"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.type}"


class Node(AppendOnlyModel):  # 默克尔树节点
    """One perfect subtree of the RFC 9162 tree above the leaves, stored when complete.

    Leaf hashes (level 0) are ``Event.leaf_hash``. ``id`` is ``tree.node_key(level, index)``,
    Go sumdb/tlog's stored hash index: a bijection with (level, index), so it is also the
    uniqueness constraint on (level, index), and key order is append order.
    """

    id = models.BigIntegerField("存储序号", primary_key=True)
    hash = models.BinaryField("哈希", max_length=32)

    class Meta:
        verbose_name = verbose_name_plural = "默克尔树节点"

    def __str__(self) -> str:
        level, index = self.coordinates
        return f"node({level},{index})"

    @property
    def coordinates(self) -> tuple[int, int]:
        """(level, index) of this perfect subtree."""
        from .tree import split_node_key

        return split_node_key(self.id)


class Checkpoint(AppendOnlyModel):  # 检查点
    """A signed tree head in the c2sp.org/tlog-checkpoint format; at most one per tree size.

    ``note`` is the signed note exactly as served; ``root`` repeats its root hash for queries
    (``ledger verify`` checks that the two agree and that the signature verifies).
    """

    size = models.BigIntegerField("树大小", primary_key=True)
    root = models.BinaryField("根哈希", max_length=32)
    note = models.TextField("签名检查点")
    created_at = models.DateTimeField("签发时间")

    class Meta:
        verbose_name = verbose_name_plural = "检查点"
        ordering = ["size"]

    def __str__(self) -> str:
        return f"checkpoint {self.size}"


class SweepLease(models.Model):
    """Who is running a periodic sweep until when, so two ``run_sweeps`` never run one together."""

    name = models.CharField("任务", max_length=200, primary_key=True)
    holder = models.CharField("执行进程", max_length=200, blank=True)
    until = models.DateTimeField("租约到期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "定时任务租约"

    def __str__(self) -> str:
        return self.name

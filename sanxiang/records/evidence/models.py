"""Evidence files and what watches over them.

- ``Evidence`` (证据): one file bound to a case and a step of it, with the 记录要素 of
  国办发〔2018〕118号 (device, recording officer, start/end, place) and its SHA-256 and SM3.
  Stored content-addressed (``records/evidence/ab/cd/<sha256>.<ext>``): the same bytes are one
  stored object, never overwritten (ARCHITECTURE.md invariant 6). Written only by
  ``services.evidence_add`` in the transaction that records ``evidence.added`` in the ledger.
- ``UploadSession``: a resumable (tus 1.0) upload in progress; its bytes sit in
  ``<upload dir>/<uuid>.part`` until they are ingested as evidence.
- ``RecordingRule`` (音像记录要求): which recordings a kind of act needs, kept by the system
  administrator; ``RecordingExemption``: a reason, approved by the head, for a missing one.
- ``FixityCheck``: one re-hash of a stored evidence file by the fixity sweep.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from .choices import ExemptionStatus, Kind, RuleMode, RuleTarget, Scene, Step, UploadStatus, Via

USER = settings.AUTH_USER_MODEL


def _hex64(field: str) -> Q:
    return Q(Exact(Length(field), 64))


class Evidence(models.Model):  # 证据（照片、录音、录像、书证电子件）
    # A case's evidence names the case; evidence gathered before there is a case (the on-site
    # inspection of a random inspection's 检查任务) names its holder instead (holders.py).
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    holder_type = models.ForeignKey(
        ContentType,
        verbose_name="所属对象（类型）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder_id = models.CharField("所属对象（标识）", max_length=32, blank=True)
    holder = GenericForeignKey("holder_type", "holder_id")
    party = models.ForeignKey(
        "cases.Party",
        verbose_name="涉及的当事人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    step = models.CharField("办案环节", max_length=20, choices=Step.choices)
    # The record of the act this file documents (a 送达回证, 笔录, 听证, 先行登记保存 …), if any.
    record_type = models.ForeignKey(
        ContentType,
        verbose_name="所记录的执法行为（类型）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_id = models.CharField("所记录的执法行为（标识）", max_length=32, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    scene = models.CharField("记录场景", max_length=20, choices=Scene.choices)
    kind = models.CharField("证据形式", max_length=10, choices=Kind.choices)
    device = models.ForeignKey(
        "registry.RecordingDevice",
        verbose_name="记录设备",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    device_holder = models.ForeignKey(
        USER,
        verbose_name="记录时的设备领用人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        USER, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200)
    description = models.TextField("内容说明")

    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型（按内容识别）", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    sm3 = models.CharField("SM3", max_length=64)
    storage_name = models.CharField("存储名称", max_length=200)
    via = models.CharField("上传方式", max_length=10, choices=Via.choices)
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")
    # Written by the fixity sweep only (the rest of the row never changes).
    fixity_checked_at = models.DateTimeField("最近完整性校验时间", null=True, blank=True)
    fixity_ok = models.BooleanField("最近完整性校验结果", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "证据"
        ordering = ["case", "started_at", "pk"]
        permissions = [("export_evidence", "导出证据文件")]
        indexes = [
            models.Index(fields=["case", "step"], name="records_ev_case_step"),
            models.Index(fields=["fixity_checked_at"], name="records_ev_fixity"),
            models.Index(fields=["holder_type", "holder_id"], name="records_ev_holder"),
        ]
        constraints = [
            # The same bytes twice in one case is a mistake; in two cases it is one stored
            # object and two rows (services.evidence_add explains the duplicate).
            models.UniqueConstraint(fields=["case", "sha256"], name="records_ev_case_sha256"),
            models.UniqueConstraint(
                fields=["holder_type", "holder_id", "sha256"],
                condition=Q(case__isnull=True),
                name="records_ev_holder_sha256",
            ),
            # Exactly one of: a case, or another holder (a 检查任务).
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(holder_type__isnull=True) & Q(holder_id=""))
                | (Q(case__isnull=True) & Q(holder_type__isnull=False) & ~Q(holder_id="")),
                name="records_ev_case_or_holder",
            ),
            models.CheckConstraint(
                condition=_hex64("sha256") & _hex64("sm3"), name="records_ev_hashes"
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="records_ev_size_positive"),
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")), name="records_ev_time_ordered"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="records_ev_kind_valid"),
            models.CheckConstraint(
                condition=(Q(record_type__isnull=True) & Q(record_id=""))
                | (Q(record_type__isnull=False) & ~Q(record_id="")),
                name="records_ev_record_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"证据{self.number}（{self.get_kind_display()}）"

    @property
    def number(self) -> str:
        """证据编号 as shown and written on 送达回证 (音像记录编号)."""
        return f"ZJ{self.pk:06d}" if self.pk else ""

    @property
    def ext(self) -> str:
        return self.storage_name.rsplit(".", 1)[-1]


class UploadSession(models.Model):  # 断点续传（tus 1.0）
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        USER, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder = models.CharField("所属对象（非案件）", max_length=60, blank=True)
    kind = models.CharField("证据形式", max_length=10, choices=Kind.choices, blank=True)
    filename = models.CharField("文件名", max_length=200)
    client_type = models.CharField("浏览器报告的类型", max_length=100, blank=True)
    length = models.PositiveBigIntegerField("总长度（字节）")
    offset = models.PositiveBigIntegerField("已接收（字节）", default=0)
    status = models.CharField(
        "状态", max_length=12, choices=UploadStatus.choices, default=UploadStatus.UPLOADING
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    sm3 = models.CharField("SM3", max_length=64, blank=True)
    created_at = models.DateTimeField("开始时间")
    updated_at = models.DateTimeField("最近接收时间")
    completed_at = models.DateTimeField("传完时间", null=True, blank=True)
    evidence = models.OneToOneField(
        Evidence,
        verbose_name="登记的证据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="upload",
    )

    class Meta:
        verbose_name = verbose_name_plural = "断点续传上传"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "updated_at"], name="records_upload_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__lte=models.F("length")), name="records_upload_offset_le"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["complete", "ingested"])
                | (_hex64("sha256") & _hex64("sm3") & Q(offset=models.F("length"))),
                name="records_upload_complete_hashed",
            ),
            models.CheckConstraint(
                condition=(Q(case__isnull=False) & Q(holder=""))
                | (Q(case__isnull=True) & ~Q(holder="")),
                name="records_upload_case_or_holder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename}（{self.get_status_display()}）"


class RecordingRule(models.Model):  # 音像记录要求
    target = models.CharField("执法行为", max_length=20, choices=RuleTarget.choices, unique=True)
    kinds = models.JSONField("可满足要求的记录形式", default=list)
    mode = models.CharField("要求", max_length=10, choices=RuleMode.choices)
    reason = models.CharField(
        "提示语", max_length=300, help_text="未记录时显示给办案人员的原因，写明依据"
    )
    basis = models.CharField("依据", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        USER,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("设置时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录要求"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_target_display()}：{self.get_mode_display()}"

    @property
    def kind_labels(self) -> str:
        return "或".join(Kind(k).label for k in self.kinds if k in Kind.values)


class RecordingExemption(models.Model):  # 免于音像记录（须经负责人批准）
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+"
    )
    rule = models.ForeignKey(
        RecordingRule, verbose_name="音像记录要求", on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField("办案环节", max_length=20, choices=Step.choices)
    record_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_id = models.CharField(max_length=32, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    reason = models.TextField("未能记录的原因")
    status = models.CharField(
        "状态", max_length=10, choices=ExemptionStatus.choices, default=ExemptionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        USER, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("申请时间")
    decided_by = models.ForeignKey(
        USER,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "免于音像记录申请"
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_recording_exemption", "批准免于音像记录")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (
                    ~Q(status="pending") & Q(decided_by__isnull=False) & Q(decided_at__isnull=False)
                ),
                name="records_exemption_decided_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"免于音像记录：{self.rule.get_target_display()}（{self.get_status_display()}）"


class FixityCheck(models.Model):  # 存储完整性校验
    evidence = models.ForeignKey(
        Evidence, verbose_name="证据", on_delete=models.PROTECT, related_name="fixity_checks"
    )
    checked_at = models.DateTimeField("校验时间")
    ok = models.BooleanField("一致")
    size_found = models.PositiveBigIntegerField("实际大小", null=True, blank=True)
    sha256_found = models.CharField("实际 SHA-256", max_length=64, blank=True)
    sm3_found = models.CharField("实际 SM3", max_length=64, blank=True)
    problem = models.CharField("问题", max_length=200, blank=True)
    duration_ms = models.PositiveIntegerField("用时（毫秒）", default=0)
    checked_by = models.ForeignKey(
        USER,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="空：定时任务",
    )

    class Meta:
        verbose_name = verbose_name_plural = "存储完整性校验"
        ordering = ["-checked_at", "-pk"]
        indexes = [models.Index(fields=["evidence", "-checked_at"], name="records_fixity_ev")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ok=False) | Q(problem=""), name="records_fixity_ok_no_problem"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evidence}：{'一致' if self.ok else self.problem}"

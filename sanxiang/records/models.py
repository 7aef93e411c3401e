"""Generated enforcement documents (执法文书) and the scans of their signed and sealed paper.

Both files are content-addressed (stored under their SHA-256, never overwritten) and their
SHA-256 and SM3 (GB/T 32905) are recorded in the ledger in the transaction that stores them
(ARCHITECTURE.md invariant 6; DA/T 97-2023 evidence integrity). Rows are written by
``services.py`` only and never changed afterwards, except that a document gets its final
scan (a separate row) and may be replaced by a corrected version (``replaces``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

from . import rules


def _length_is(field: str, n: int) -> Exact:
    return Exact(Length(field), n)


class GeneratedDocument(models.Model):  # 执法文书（生成记录）
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="制作机关", on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.CharField("文书种类代码", max_length=40)
    doc_name = models.CharField("文书种类", max_length=50)
    template_version = models.CharField("模板版本", max_length=20)
    template_fingerprint = models.CharField("模板指纹（SHA-256）", max_length=64)
    # The case (or any other record) the document belongs to: generic, so any app can use it.
    subject_type = models.ForeignKey(
        ContentType, verbose_name="所属对象类型", on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField("所属对象标识", max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    issued_on = models.DateField("成文日期")
    verification_code = models.CharField("验证码", max_length=10, unique=True)
    context_sha256 = models.CharField("文书数据哈希（SHA-256）", max_length=64)

    pdf = models.FileField("PDF 文件", max_length=200)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64)
    pdf_sm3 = models.CharField("PDF SM3", max_length=64)
    pdf_size = models.PositiveBigIntegerField("PDF 大小（字节）")
    docx = models.FileField("DOCX 文件", max_length=200, blank=True)
    docx_sha256 = models.CharField("DOCX SHA-256", max_length=64, blank=True)
    docx_sm3 = models.CharField("DOCX SM3", max_length=64, blank=True)
    docx_size = models.PositiveBigIntegerField("DOCX 大小（字节）", null=True, blank=True)

    replaces = models.OneToOneField(
        "self",
        verbose_name="取代的文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制作时间")

    class Meta:
        verbose_name = verbose_name_plural = "执法文书"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"], name="records_doc_subject"),
            models.Index(fields=["agency", "number"], name="records_doc_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=_length_is("verification_code", rules.CODE_LENGTH),
                name="records_doc_code_length",
            ),
            models.CheckConstraint(
                condition=Q(_length_is("pdf_sha256", 64)) & Q(_length_is("pdf_sm3", 64)),
                name="records_doc_pdf_hashes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_name} {self.number or self.grouped_code}"

    @property
    def grouped_code(self) -> str:
        return rules.group_code(self.verification_code)


class DocumentScan(models.Model):  # 签章文书扫描件（定稿）
    """The signed and sealed paper, scanned and uploaded: the final version of the document.
    The generated PDF stays; both are hashed and recorded."""

    document = models.OneToOneField(
        GeneratedDocument,
        verbose_name="文书",
        on_delete=models.PROTECT,
        related_name="final_scan",
    )
    file = models.FileField("扫描件", max_length=200)
    content_type = models.CharField("文件类型", max_length=40)
    original_name = models.CharField("上传文件名", max_length=200, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        verbose_name = verbose_name_plural = "签章文书扫描件"
        constraints = [
            models.CheckConstraint(
                condition=Q(_length_is("sha256", 64)) & Q(_length_is("sm3", 64)),
                name="records_scan_hashes",
            )
        ]

    def __str__(self) -> str:
        return f"扫描件：{self.document}"


# Evidence (photos, audio, video, document files), resumable uploads, recording rules and
# fixity checks live in the evidence package; imported here so Django registers them.
from .evidence.models import (  # noqa: E402
    Evidence,
    FixityCheck,
    RecordingExemption,
    RecordingRule,
    UploadSession,
)

__all__ = [
    "DocumentScan",
    "Evidence",
    "FixityCheck",
    "GeneratedDocument",
    "RecordingExemption",
    "RecordingRule",
    "UploadSession",
]

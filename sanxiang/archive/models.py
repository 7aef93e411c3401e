"""The case file (案卷): one case, one file (一案一卷, DOMAIN.md §7.2), its items in the standard
order with page numbers, the restricted 副卷, sealing (封存) and borrowing (借阅).

Items point at the files the records app already keeps content-addressed and hashed in the
ledger (a generated PDF, its signed and sealed scan, an evidence file); the archive copies their
hashes, the ledger sequence number of the event that recorded them, and their page counts, and
never stores bytes of its own. Written only by ``services.py``; a sealed file never changes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact

USER = settings.AUTH_USER_MODEL


class Retention(models.TextChoices):  # 保管期限（国家档案局令第8号；DOMAIN.md §7.3）
    PERMANENT = "permanent", "永久"
    YEARS_30 = "30", "30年"
    YEARS_10 = "10", "10年"


class FileStatus(models.TextChoices):
    ASSEMBLED = "assembled", "已组卷（待检查封存）"
    SEALED = "sealed", "已封存"


class Volume(models.TextChoices):  # 卷别
    MAIN = "main", "正卷"
    RESTRICTED = "restricted", "副卷"


class Classification(
    models.TextChoices
):  # 国办发〔2018〕118号：涉密、商业秘密、个人隐私材料另行归档
    NONE = "", "不涉密"
    WORK_SECRET = "work_secret", "工作秘密"
    BUSINESS_SECRET = "business_secret", "商业秘密"
    PRIVACY = "privacy", "个人隐私"


class ItemKind(models.TextChoices):
    DOCUMENT = "document", "执法文书"
    EVIDENCE = "evidence", "证据"
    ARCHIVE = "archive", "封面、目录、备考表"


class FileRole(models.TextChoices):  # which of the records' files the item is
    PDF = "pdf", "系统生成的PDF"
    SCAN = "scan", "签章扫描件（定稿）"
    EVIDENCE = "evidence", "证据文件"


class BorrowStatus(models.TextChoices):
    REQUESTED = "requested", "待审批"
    APPROVED = "approved", "借阅中"
    REFUSED = "refused", "不予批准"
    RETURNED = "returned", "已归还"


def _hex64(field: str) -> Q:
    return Q(Exact(Length(field), 64))


class CaseFile(models.Model):  # 案卷
    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="case_file"
    )
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="立卷单位", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("案卷题名", max_length=200)
    status = models.CharField(
        "状态", max_length=12, choices=FileStatus.choices, default=FileStatus.ASSEMBLED
    )
    retention = models.CharField("保管期限", max_length=12, choices=Retention.choices)
    retention_reason = models.CharField("保管期限调整理由", max_length=200, blank=True)
    documents = models.PositiveIntegerField("正卷件数", default=0)
    pages = models.PositiveIntegerField("正卷页数", default=0)
    restricted_documents = models.PositiveIntegerField("副卷件数", default=0)
    restricted_pages = models.PositiveIntegerField("副卷页数", default=0)
    assembled_at = models.DateTimeField("组卷时间")
    assembled_by = models.ForeignKey(
        USER, verbose_name="立卷人", on_delete=models.PROTECT, related_name="+"
    )
    archive_year = models.PositiveSmallIntegerField("归档年度", null=True, blank=True)
    archive_seq = models.PositiveIntegerField("年度序号", null=True, blank=True)
    archive_no = models.CharField("档号", max_length=20, blank=True)
    sealed_at = models.DateTimeField("封存时间", null=True, blank=True)
    sealed_by = models.ForeignKey(
        USER,
        verbose_name="检查人（档案管理员）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    seal_manifest_sha256 = models.CharField("封存清单哈希（SHA-256）", max_length=64, blank=True)
    seal_ledger_seq = models.BigIntegerField("封存账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案卷"
        ordering = ["-sealed_at", "-assembled_at", "-pk"]
        permissions = [
            ("assemble_casefile", "组卷（立卷）"),
            ("seal_casefile", "检查并封存案卷"),
            ("view_restricted", "查阅副卷"),
            ("decide_borrowing", "审批案卷借阅"),
            ("export_package", "导出案卷电子包"),
            ("export_register", "导出执法台账"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "archive_no"],
                condition=~Q(archive_no=""),
                name="archive_casefile_no_uniq",
            ),
            models.CheckConstraint(
                condition=~Q(status="sealed")
                | (~Q(archive_no="") & Q(sealed_at__isnull=False) & _hex64("seal_manifest_sha256")),
                name="archive_casefile_sealed_complete",
            ),
            models.CheckConstraint(
                condition=Q(retention__in=Retention.values), name="archive_casefile_retention"
            ),
        ]

    def __str__(self) -> str:
        return self.archive_no or self.title

    @property
    def is_sealed(self) -> bool:
        return self.status == FileStatus.SEALED


class FileItem(models.Model):  # 卷内文件
    case_file = models.ForeignKey(
        CaseFile, verbose_name="案卷", on_delete=models.CASCADE, related_name="items"
    )
    volume = models.CharField("卷别", max_length=12, choices=Volume.choices)
    section = models.CharField("卷内位置", max_length=20)
    position = models.PositiveSmallIntegerField("卷内顺序号")
    kind = models.CharField("种类", max_length=10, choices=ItemKind.choices)
    document = models.ForeignKey(
        "records.GeneratedDocument",
        verbose_name="文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # records.Evidence by key (the evidence models are newer than this app's first migration).
    evidence_id = models.PositiveBigIntegerField("证据标识", null=True, blank=True)
    title = models.CharField("题名", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    author = models.CharField("责任者", max_length=100)
    date = models.DateField("日期")
    file_role = models.CharField("文件", max_length=10, choices=FileRole.choices)
    file_name = models.CharField("存储名称", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    size = models.PositiveBigIntegerField("大小（字节）")
    ledger_seq = models.BigIntegerField("记录该文件的账本序号", null=True, blank=True)
    pages = models.PositiveIntegerField("页数", default=0)
    first_page = models.PositiveIntegerField("起始页号", null=True, blank=True)
    last_page = models.PositiveIntegerField("终止页号", null=True, blank=True)
    classification = models.CharField(
        "密级（副卷）", max_length=20, choices=Classification.choices, blank=True
    )
    classification_reason = models.CharField("划入副卷的理由", max_length=200, blank=True)
    remarks = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "卷内文件"
        ordering = ["case_file", "volume", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file", "volume", "position"], name="archive_item_position_uniq"
            ),
            models.CheckConstraint(
                condition=_hex64("sha256") & _hex64("sm3"), name="archive_item_hashes"
            ),
            # 副卷 holds exactly the classified items.
            models.CheckConstraint(
                condition=(Q(volume="main") & Q(classification=""))
                | (Q(volume="restricted") & ~Q(classification=""))
                | Q(kind="archive"),
                name="archive_item_volume_matches_class",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def page_range(self) -> str:
        if self.first_page is None:
            return ""
        if self.last_page == self.first_page:
            return str(self.first_page)
        return f"{self.first_page}-{self.last_page}"

    @property
    def restricted(self) -> bool:
        return self.volume == Volume.RESTRICTED


class Borrowing(models.Model):  # 借阅
    case_file = models.ForeignKey(
        CaseFile, verbose_name="案卷", on_delete=models.PROTECT, related_name="borrowings"
    )
    borrower = models.ForeignKey(
        USER, verbose_name="借阅人", on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField("借阅目的", max_length=200)
    include_restricted = models.BooleanField("含副卷", default=False)
    requested_at = models.DateTimeField("申请时间")
    status = models.CharField(
        "状态", max_length=12, choices=BorrowStatus.choices, default=BorrowStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        USER,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=200, blank=True)
    due_on = models.DateField("借阅期限", null=True, blank=True)
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    returned_to = models.ForeignKey(
        USER,
        verbose_name="接收人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "案卷借阅"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested") | Q(decided_at__isnull=False),
                name="archive_borrow_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(due_on__isnull=False),
                name="archive_borrow_approved_has_due",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_at__isnull=False),
                name="archive_borrow_returned_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.borrower} 借阅 {self.case_file}"

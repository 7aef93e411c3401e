"""Enforcement publicity (行政执法公示).

Two sides, kept apart on purpose (ARCHITECTURE.md invariant 8):

- the workflow side — :class:`Publication` (one per published decision: clock, state, who
  drafted, approved, withdrew), its masked text versions (:class:`PublicationVersion`), the
  decision changes that force a withdrawal (``cases.DecisionChange``, noted by subscription),
  credit repair (:class:`CreditRepair`), the per-agency rules (:class:`PublicitySettings`) and the annual
  statistics report (:class:`AnnualReport`);
- the public side — :class:`PortalEntry` and :class:`PortalVersion`: what the portal shows, and
  nothing else. Written only by ``services`` when a publication is approved, corrected,
  withdrawn or ended; masked text only; no foreign key to cases or people, so no public query
  can reach unmasked data by following a relation. The full-text index (SQLite FTS5 trigram /
  PostgreSQL pg_trgm, migration 0002) covers ``PortalEntry.search_text`` of published rows only.

Whether a publicity period is over is derived at read time from ``period_end``; a sweep only
records the event.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from . import rules

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}


class Category(models.TextChoices):  # 公示类别（决定期限）
    PENALTY = rules.PENALTY, "行政处罚"
    LICENSING = rules.LICENSING, "行政许可"
    OTHER = rules.OTHER, "其他执法结果"


class State(models.TextChoices):  # 公示状态
    DRAFT = "draft", "待审核"
    WITHHELD = "withheld", "不予公开"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "已撤下"
    TERMINATED = "terminated", "已提前终止公示"


class VersionState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"
    SUPERSEDED = "superseded", "已被更正"
    DISCARDED = "discarded", "未采用"


class RepairStatus(models.TextChoices):  # 信用修复
    APPLIED = "applied", "待审查"
    APPROVED = "approved", "准予提前终止公示"
    REFUSED = "refused", "不予修复"


class RepairMaterial(models.TextChoices):  # 信用修复申请材料（DOMAIN.md §5.5）
    APPLICATION = "application", "信用修复申请书"
    COMMITMENT = "commitment", "信用修复承诺书"
    PERFORMANCE = "performance", "已履行行政处罚决定的证明（缴款凭证等）"
    CORRECTION = "correction", "已改正违法行为、消除不良影响的证明"
    LICENCE = "licence", "营业执照或身份证明复印件"
    AUTHORISATION = "authorisation", "授权委托书（委托办理的）"


REQUIRED_REPAIR_MATERIALS = ("application", "commitment", "performance")


class PublicitySettings(models.Model):  # 公示规则（按执法主体）
    agency = models.OneToOneField(
        "registry.Agency",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="publicity_settings",
    )
    withhold_warning_only = models.BooleanField(
        "仅给予警告的决定不予公开",
        default=False,
        help_text="参照《市场监督管理行政处罚信息公示规定》第二条，由本机关决定是否采用",
    )
    default_min_months = models.PositiveSmallIntegerField(
        "最短公示期限（月）", default=rules.DEFAULT_MIN_MONTHS
    )
    default_max_months = models.PositiveSmallIntegerField(
        "最长公示期限（月）", default=rules.DEFAULT_MAX_MONTHS
    )
    period_rules = models.JSONField(
        "按处罚种类的公示期限",
        default=dict,
        blank=True,
        help_text='如 {"warning": [3, 3], "revoke_licence": [36, 36]}：最短、最长月数',
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
        verbose_name = verbose_name_plural = "公示规则"

    def __str__(self) -> str:
        return f"{self.agency} 公示规则"

    def rules_dict(self) -> dict[str, tuple[int, int]]:
        return {k: (int(v[0]), int(v[1])) for k, v in (self.period_rules or {}).items()}


class PortalEntry(models.Model):  # 公示平台数据（只含已脱敏、可公开的字段）
    sort_key = models.BigIntegerField("排序键", unique=True)
    agency_name = models.CharField("执法机关", max_length=100)
    agency_uscc = models.CharField("执法机关统一社会信用代码", max_length=18)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    doc_name = models.CharField("文书名称", max_length=50)
    doc_number = models.CharField("文号", max_length=60, blank=True)
    title = models.CharField("标题", max_length=200)
    party_name = models.CharField("行政相对人", max_length=100)
    party_kind = models.CharField("行政相对人类别", max_length=20)
    party_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    item_code = models.CharField("执法事项编码", max_length=40, blank=True)
    item_name = models.CharField("违法行为类型", max_length=200, blank=True)
    penalty_types = models.JSONField("处罚种类", default=list)
    main_penalty = models.CharField("最重处罚种类", max_length=24, blank=True)
    fine_amount = models.DecimalField("罚款金额（元）", null=True, blank=True, **MONEY)
    confiscation_amount = models.DecimalField("没收金额（元）", null=True, blank=True, **MONEY)
    decided_on = models.DateField("决定日期")
    summary = models.TextField("处罚内容")
    facts = models.TextField("违法事实（已脱敏）")
    basis = models.TextField("处罚依据", blank=True)
    body = models.TextField("公开文本（已脱敏）")
    search_text = models.TextField("检索文本（已脱敏）")
    state = models.CharField("状态", max_length=12, choices=State.choices)
    version = models.PositiveIntegerField("版本", default=1)
    period_end = models.DateField("公示截止期")
    published_at = models.DateTimeField("公开时间")
    publish_seq = models.BigIntegerField("公开事件账本序号", null=True, blank=True)
    updated_at = models.DateTimeField("最近更正时间", null=True, blank=True)
    update_seq = models.BigIntegerField("更正事件账本序号", null=True, blank=True)
    ended_at = models.DateTimeField("撤下（终止）时间", null=True, blank=True)
    end_seq = models.BigIntegerField("撤下（终止）事件账本序号", null=True, blank=True)
    end_reason = models.TextField("撤下（终止）理由", blank=True)
    pdf = models.CharField("公开文本 PDF", max_length=200, blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    pdf_sm3 = models.CharField("PDF SM3", max_length=64, blank=True)
    pdf_size = models.PositiveBigIntegerField("PDF 大小", null=True, blank=True)
    original_code = models.CharField("送达文书验证码", max_length=10, blank=True)
    original_sha256 = models.CharField("送达文书 PDF SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示平台数据"
        ordering = ["-sort_key"]
        indexes = [
            models.Index(fields=["state", "sort_key"], name="publicity_entry_state_key"),
            models.Index(fields=["state", "category", "sort_key"], name="publicity_entry_cat_key"),
            models.Index(
                fields=["state", "item_code", "sort_key"], name="publicity_entry_item_key"
            ),
            models.Index(
                fields=["state", "main_penalty", "sort_key"], name="publicity_entry_pen_key"
            ),
            # The home page's "recently withdrawn": few rows, found without scanning the rest.
            models.Index(
                fields=["ended_at"],
                condition=Q(state="withdrawn"),
                name="publicity_entry_withdrawn",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["published", "withdrawn", "terminated"]),
                name="publicity_entry_state_public",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PortalVersion(models.Model):  # 公示信息更正记录（公开）
    entry = models.ForeignKey(
        PortalEntry, verbose_name="公示信息", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    title = models.CharField("标题", max_length=200)
    summary = models.TextField("处罚内容")
    body = models.TextField("公开文本（已脱敏）")
    note = models.TextField("更正说明", blank=True)
    published_at = models.DateTimeField("发布时间")
    seq = models.BigIntegerField("账本序号", null=True, blank=True)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示信息版本"
        ordering = ["entry", "number"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "number"], name="publicity_pv_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.number}版）"


class PortalPage(models.TextChoices):  # 留存版本的事前公开页面
    AGENCY = "agency", "执法主体与职责"
    OFFICERS = "officers", "执法人员名录"
    REMEDIES = "remedies", "救济渠道"
    PROCEDURE = "procedure", "执法流程图"
    RANDOM_ITEMS = "random_items", "随机抽查事项清单"


class PortalSnapshot(models.Model):  # 事前公开内容的历史版本（公开）
    """One dated version of a 事前公开 page (国办发〔2018〕118号: 事前公开 content is kept
    current and its changes traceable). ``content`` is the page's canonical data — exactly what
    the page renders — and ``sha256`` its hash, recorded in the ledger as
    ``publicity.page_versioned``. Written only by ``services.portal_snapshot_take`` when the
    live content differs from the latest version; never changed afterwards."""

    page = models.CharField("页面", max_length=20, choices=PortalPage.choices)
    number = models.PositiveIntegerField("版本")
    content = models.JSONField("公开内容")
    sha256 = models.CharField("内容 SHA-256", max_length=64)
    published_at = models.DateTimeField("公开时间")
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "事前公开内容版本"
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="publicity_snapshot_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.get_page_display()}（第{self.number}版）"


class Publication(models.Model):  # 公示信息（采集 → 审核 → 发布 → 撤下）
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.OneToOneField(
        "cases.Decision",
        verbose_name="执法决定",
        on_delete=models.PROTECT,
        related_name="publication",
    )
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.DRAFT)
    decided_on = models.DateField("决定日期")
    publish_workdays = models.PositiveSmallIntegerField("公开期限（工作日）")
    due_on = models.DateField("应公开日期", null=True, blank=True)
    due_reason = models.CharField("期限无法计算的原因", max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        USER,
        verbose_name="采集责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="谁办案、谁录入、谁负责：决定所在案件的主办人员",
    )
    withhold_grounds = models.JSONField("不予公开情形", default=list, blank=True)
    manual_grounds = models.JSONField("人工标记的不予公开情形", default=list, blank=True)
    confidentiality_review = models.BooleanField("需保密审查", default=False)
    item_code = models.CharField("执法事项编码", max_length=40, blank=True)
    collected_at = models.DateTimeField("采集时间", default=timezone.now)

    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        USER,
        verbose_name="审核发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confidentiality_note = models.TextField("保密审查意见", blank=True)
    period_min_end = models.DateField("最短公示期满日", null=True, blank=True)
    period_end = models.DateField("公示截止期", null=True, blank=True)
    period_end_seq = models.BigIntegerField("公示期满事件账本序号", null=True, blank=True)
    entry = models.OneToOneField(
        PortalEntry,
        verbose_name="公示平台数据",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="publication",
    )

    withdraw_due = models.DateField("应撤下日期", null=True, blank=True)
    withdraw_due_reason = models.CharField("撤下期限无法计算的原因", max_length=200, blank=True)
    # cases.DecisionChange ids already applied (publication_note_change is idempotent)
    noted_changes = models.JSONField("已处理的决定变更", default=list, blank=True)
    ended_at = models.DateTimeField("撤下、终止或不予公开的时间", null=True, blank=True)
    ended_by = models.ForeignKey(
        USER,
        verbose_name="经办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField("理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示信息"
        ordering = ["-decided_on", "-pk"]
        permissions = [
            ("draft_publication", "采集、修改公示信息（脱敏文本）"),
            ("approve_publication", "审核发布、更正公示信息，作出不予公开决定"),
            ("withdraw_publication", "撤下公示信息"),
            ("handle_credit_repair", "受理和决定信用修复（提前终止公示）"),
            ("export_publicity", "导出双公示数据"),
            ("configure_publicity", "设置公示规则"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="publicity_pub_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["published", "withdrawn", "terminated"])
                | (Q(published_at__isnull=False) & Q(entry__isnull=False)),
                name="publicity_pub_published_has_entry",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["withheld", "withdrawn", "terminated"])
                | (Q(ended_at__isnull=False) & ~Q(end_reason="")),
                name="publicity_pub_ended_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="publicity_pub_state_due")]

    def __str__(self) -> str:
        return f"公示：{self.decision}"


class PublicationVersion(models.Model):  # 公示文本版本（已脱敏）
    publication = models.ForeignKey(
        Publication, verbose_name="公示信息", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField("版本")
    state = models.CharField(
        "状态", max_length=12, choices=VersionState.choices, default=VersionState.DRAFT
    )
    fields = models.JSONField("公开字段（已脱敏）", default=dict)
    counts = models.JSONField("隐去的信息（种类与处数）", default=dict, blank=True)
    note = models.TextField("修改说明", blank=True)
    author = models.ForeignKey(
        USER,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="为空：系统自动采集并脱敏",
    )
    created_at = models.DateTimeField("形成时间", default=timezone.now)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    publish_seq = models.BigIntegerField("发布事件账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示文本版本"
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publicity_ver_uniq"),
            models.UniqueConstraint(
                fields=["publication"],
                condition=Q(state="draft"),
                name="publicity_ver_one_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"第{self.number}版（{self.get_state_display()}）"


class CreditRepair(models.Model):  # 信用修复（提前终止公示）
    publication = models.ForeignKey(
        Publication, verbose_name="公示信息", on_delete=models.PROTECT, related_name="repairs"
    )
    applied_on = models.DateField("申请日期")
    applicant = models.CharField("申请人", max_length=100)
    materials = models.JSONField("提交的材料", default=list)
    evidence_note = models.TextField("证据说明")
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=RepairStatus.choices, default=RepairStatus.APPLIED
    )
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = models.ForeignKey(
        USER,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_reason = models.TextField("决定理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "信用修复申请"
        ordering = ["publication", "applied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="applied") & Q(decided_on__isnull=True))
                | (~Q(status="applied") & Q(decided_on__isnull=False) & ~Q(decision_reason="")),
                name="publicity_repair_decided_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant} {self.applied_on}"


class AnnualReport(models.Model):  # 行政执法统计年报
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    data = models.JSONField("统计数据")
    narrative = models.TextField("情况说明")
    published_at = models.DateTimeField("发布时间")
    published_by = models.ForeignKey(
        USER, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    ledger_seq = models.BigIntegerField("账本序号", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政执法统计年报"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="publicity_report_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.year}年度行政执法统计年报"

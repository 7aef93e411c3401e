"""双随机、一公开: the target pool (检查对象名录库), plans (抽查计划), the verifiable draw
(抽取), inspection tasks with their drawn officers (检查任务) and published results.

"One list, two pools" (一单两库, DOMAIN.md §6): the item list is the catalogue's items flagged
``random_inspection`` (versioned there); the target pool is :class:`Target`; the inspector
pool is computed from the registry (certified officers on the freeze day) and frozen into
:class:`Draw` as a canonical pool file together with the target pool. Rows are written only by
``services``; "overdue" is derived at read time from stored dates (ARCHITECTURE.md §3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from . import rules


class RiskTag(models.TextChoices):  # 风险标签（提高抽中权重，国办发〔2015〕58号）
    COMPLAINTS = "complaints", "近一年被投诉举报"
    VIOLATIONS = "violations", "近两年有违法记录"
    WAGE_ARREARS = "wage_arrears", "拖欠工资记录"
    ABNORMAL = "abnormal", "列入经营异常名录"
    HIGH_RISK_INDUSTRY = "high_risk_industry", "高风险行业（建筑、制造、餐饮等）"


class Size(models.TextChoices):  # 企业规模
    MICRO = "micro", "微型"
    SMALL = "small", "小型"
    MEDIUM = "medium", "中型"
    LARGE = "large", "大型"


class Target(models.Model):  # 检查对象（用人单位）
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("单位名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    address = models.CharField("地址", max_length=200, blank=True)
    industry = models.CharField("行业", max_length=100, blank=True)
    size = models.CharField("规模", max_length=10, choices=Size.choices, blank=True)
    risk_tags = models.JSONField("风险标签", default=list, blank=True)
    is_active = models.BooleanField("纳入名录库", default=True)
    imported_by = models.ForeignKey(
        "TargetImport",
        verbose_name="最近导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查对象"
        ordering = ["uscc"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "uscc"], name="inspections_target_uscc_uniq")
        ]
        permissions = [("manage_targets", "维护检查对象名录库")]

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"

    @property
    def risk_labels(self) -> list[str]:
        return [RiskTag(t).label for t in self.risk_tags if t in RiskTag.values]


class TargetImport(models.Model):  # 名录导入批次
    """An applied import (all rows valid). Rejected files write nothing (the report is shown
    only), so a batch row always means "these rows were imported together"."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField("文件名", max_length=200)
    file_sha256 = models.CharField("文件 SHA-256", max_length=64)
    rows = models.PositiveIntegerField("数据行数")
    created = models.PositiveIntegerField("新增")
    updated = models.PositiveIntegerField("更新")
    unchanged = models.PositiveIntegerField("未变")
    report = models.JSONField("逐行报告", default=list)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "检查对象导入批次"
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.file_name}（{self.rows}行）"


class SeedSource(models.TextChoices):  # 随机种子来源
    LEDGER = "ledger_checkpoint", "账本检查点根哈希（默认）"
    MANUAL = "manual", "人工登记的公开随机数（如彩票开奖号码）"


class PlanState(models.TextChoices):  # 计划状态
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公布（待冻结名录库）"
    FROZEN = "frozen", "名录库已冻结（待随机种子）"
    SEEDED = "seeded", "种子已确定（待抽取）"
    DRAWN = "drawn", "已抽取（检查实施中）"


class Plan(models.Model):  # 抽查计划
    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    code = models.CharField("计划编号", max_length=40)
    title = models.CharField("计划名称", max_length=200)
    period_start = models.DateField("检查期间自")
    period_end = models.DateField("检查期间至")
    items = models.ManyToManyField(
        "catalog.ItemVersion", verbose_name="抽查事项", related_name="+", blank=True
    )
    scope = models.TextField("检查内容与方式", blank=True)
    ratio = models.DecimalField(
        "抽查比例（%）", max_digits=5, decimal_places=2, default=rules.DEFAULT_RATIO
    )
    ratio_reason = models.TextField("比例低于5%的理由", blank=True)
    weights = models.JSONField("风险权重", default=dict, blank=True)
    inspectors_per_target = models.PositiveSmallIntegerField(
        "每个对象的检查人员数", default=rules.MIN_INSPECTORS_PER_TARGET
    )
    exclude_drawn_this_year = models.BooleanField("本年度已被抽中的不再纳入", default=True)
    seed_source = models.CharField(
        "随机种子来源", max_length=20, choices=SeedSource.choices, default=SeedSource.LEDGER
    )
    seed_tree_size = models.BigIntegerField("约定的账本树大小", null=True, blank=True)
    seed_description = models.CharField("公开随机数的来源", max_length=200, blank=True)
    seed_public_on = models.DateField("公开随机数的产生日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=PlanState.choices, default=PlanState.DRAFT
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制定人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制定时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽查计划"
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="inspections_plan_code_uniq"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="inspections_plan_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ratio__gt=0) & Q(ratio__lte=100), name="inspections_plan_ratio_range"
            ),
            # DOMAIN.md §6 rule 5: at least two drawn officers per target.
            models.CheckConstraint(
                condition=Q(inspectors_per_target__gte=rules.MIN_INSPECTORS_PER_TARGET),
                name="inspections_plan_two_inspectors",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="inspections_plan_published_at",
            ),
        ]
        permissions = [("manage_plans", "制定、公布抽查计划并执行随机抽取")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def ratio_basis_points(self) -> int:
        return rules.basis_points(self.ratio)

    @property
    def is_public(self) -> bool:
        return self.state != PlanState.DRAFT


class Conflict(models.Model):  # 利益冲突（回避）申报
    """An officer's declared conflict of interest with a target (行政处罚法 第四十三条 applies
    by analogy: 与当事人有直接利害关系或者有其他关系可能影响公正执法的, 应当回避). Conflicts
    declared before the pools are frozen are inputs of the draw; later ones cause a redraw."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "registry.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Target, verbose_name="检查对象", on_delete=models.PROTECT, related_name="conflicts"
    )
    reason = models.CharField("回避理由", max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("申报时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "利益冲突申报"
        ordering = ["-declared_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "target"], name="inspections_conflict_pair_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} ↔ {self.target}"


class Draw(models.Model):  # 随机抽取（冻结的名录库、种子、结果）
    """Everything needed to re-run the draw, as published: the canonical pool files and their
    hashes (fixed before the seed exists), the conflicts, the seed and the result."""

    plan = models.OneToOneField(
        Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="draw"
    )
    algorithm = models.CharField("算法版本", max_length=40)
    pool_on = models.DateField("名录库日期")
    targets_pool = models.TextField("检查对象库（规范文件）")
    targets_sha256 = models.CharField("检查对象库 SHA-256", max_length=64)
    targets_count = models.PositiveIntegerField("检查对象数")
    inspectors_pool = models.TextField("执法检查人员库（规范文件）")
    inspectors_sha256 = models.CharField("执法检查人员库 SHA-256", max_length=64)
    inspectors_count = models.PositiveIntegerField("执法检查人员数")
    target_count = models.PositiveIntegerField("抽取数量")
    conflicts = models.JSONField("利益冲突清单", default=list)
    frozen_at = models.DateTimeField("冻结时间")
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="冻结人", on_delete=models.PROTECT, related_name="+"
    )
    freeze_seq = models.BigIntegerField("冻结事件账本序号")
    seed = models.JSONField("随机种子", null=True, blank=True)
    seed_fixed_at = models.DateTimeField("种子确定时间", null=True, blank=True)
    redraws = models.JSONField("重新抽取请求", default=list)
    result = models.JSONField("抽取结果", null=True, blank=True)
    result_sha256 = models.CharField("结果 SHA-256", max_length=64, blank=True)
    executed_at = models.DateTimeField("抽取时间", null=True, blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "随机抽取"

    def __str__(self) -> str:
        return f"{self.plan.code} 抽取"


class TaskResult(models.TextChoices):  # 检查结果（DOMAIN.md §6 rule 7）
    NONE_FOUND = "none_found", "未发现问题"
    CORRECTION = "correction", "发现问题，责令改正"
    CASE = "case", "发现违法行为，立案查处"
    TRANSFER = "transfer", "移送有关部门"


class Task(models.Model):  # 检查任务
    plan = models.ForeignKey(
        Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="tasks"
    )
    number = models.PositiveIntegerField("抽取序号")
    target = models.ForeignKey(
        Target, verbose_name="检查对象", on_delete=models.PROTECT, related_name="tasks"
    )
    target_name = models.CharField("对象名称（抽取时）", max_length=200)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    result = models.CharField("检查结果", max_length=12, choices=TaskResult.choices, blank=True)
    findings = models.TextField("检查情况（内部）", blank=True)
    public_summary = models.CharField("公开的结果说明", max_length=300, blank=True)
    transfer_to = models.CharField("移送机关", max_length=100, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name="立案的案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completed_on = models.DateField("结果登记日期", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = verbose_name_plural = "检查任务"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="inspections_task_number_uniq"),
            models.UniqueConstraint(fields=["plan", "target"], name="inspections_task_target_uniq"),
            models.CheckConstraint(
                condition=Q(result="") | Q(completed_on__isnull=False, inspected_on__isnull=False),
                name="inspections_task_result_dated",
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | ~Q(result=""),
                name="inspections_task_published_has_result",
            ),
        ]
        permissions = [
            ("record_result", "登记双随机检查结果"),
            ("publish_result", "公开双随机检查结果"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code}-{self.number:03d} {self.target_name}"


class TaskInspector(models.Model):  # 任务的检查人员（抽中）
    task = models.ForeignKey(
        Task, verbose_name="检查任务", on_delete=models.PROTECT, related_name="inspectors"
    )
    officer = models.ForeignKey(
        "registry.Officer", verbose_name="执法人员", on_delete=models.PROTECT, related_name="+"
    )
    certificate_number = models.CharField("执法证号", max_length=40)
    name = models.CharField("姓名", max_length=50)
    active = models.BooleanField("在任", default=True)
    removed_reason = models.CharField("调出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "任务检查人员"
        ordering = ["task", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "officer"],
                condition=Q(active=True),
                name="inspections_taskinspector_active_uniq",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"


class TaskRecord(models.Model):  # 现场检查记录（双随机检查任务的现场检查笔录）
    """The structured content of the on-site inspection of a task, with the fields of a case's
    ``cases.InvestigationRecord`` so that the records app fills the 现场检查笔录 from it the same
    way (``records.casedocs.builders.inspection_context``); the issued document is ``document``
    (subject: the task). 劳动保障监察条例 第十五条、第十六条; 行政处罚法 第四十二条、第五十五条."""

    task = models.ForeignKey(
        Task, verbose_name="检查任务", on_delete=models.PROTECT, related_name="records"
    )
    started_at = models.DateTimeField("检查开始时间")
    ended_at = models.DateTimeField("检查结束时间")
    place = models.CharField("检查地点", max_length=200)
    recorder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    # 在场人（被检查单位的现场负责人）
    person_name = models.CharField("在场人姓名", max_length=50)
    person_sex = models.CharField("性别", max_length=1, blank=True)
    person_id_number = models.CharField("身份证号码", max_length=18, blank=True)
    person_employer = models.CharField("工作单位", max_length=100, blank=True)
    person_post = models.CharField("职务", max_length=50)
    person_phone = models.CharField("联系电话", max_length=30, blank=True)
    person_address = models.CharField("住址", max_length=200, blank=True)
    witnesses = models.CharField("见证人", max_length=200, blank=True)
    ids_shown = models.BooleanField("已出示执法证件")
    recusal_asked = models.BooleanField("已告知申请回避的权利")
    recusal_answer = models.CharField("对回避的答复", max_length=100, blank=True)
    content = models.TextField("检查情况")
    attachments_note = models.TextField("附件（照片、音像记录编号等）", blank=True)
    refusal_note = models.CharField("拒绝签名情况", max_length=200, blank=True)
    document = models.OneToOneField(
        "records.GeneratedDocument",
        verbose_name="现场检查笔录",
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("制作时间")

    class Meta:
        verbose_name = verbose_name_plural = "现场检查记录"
        ordering = ["task", "started_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__gte=models.F("started_at")),
                name="inspections_taskrecord_time_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"现场检查笔录（{self.task.target_name}）"

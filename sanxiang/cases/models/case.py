"""The case (案件) from registration to closing, its people and its flags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..choices import (
    Channel,
    ClosingReason,
    ComplainantRole,
    Disposition,
    FlagKind,
    FlagSource,
    PartyKind,
    Procedure,
    RecusalKind,
    RecusalStatus,
    Sex,
    Source,
    State,
    TeamRole,
)

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 14, "decimal_places": 2}


class Case(models.Model):  # 案件（自线索登记至结案为同一对象）
    """One enforcement matter from the moment a lead or complaint is registered until it is
    closed: one timeline, one ledger subject. ``state`` changes only through
    ``services.case_transition`` (the transition table in ``workflow``)."""

    agency = models.ForeignKey(
        "registry.Agency", verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.LEAD)
    procedure = models.CharField(
        "程序", max_length=12, choices=Procedure.choices, default=Procedure.GENERAL
    )
    source = models.CharField("案件来源", max_length=20, choices=Source.choices)
    channel = models.CharField("受理渠道", max_length=12, choices=Channel.choices)
    received_on = models.DateField("收到（发现）日期")
    received_by = models.ForeignKey(
        USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    registration_no = models.CharField("登记号", max_length=60, unique=True)
    case_no = models.CharField("立案号", max_length=60, blank=True)
    summary = models.CharField(
        "案情摘要", max_length=200, help_text="列表和待办中显示；不得含有投诉人、举报人身份信息"
    )
    facts = models.TextField("反映的事实")
    request = models.TextField("投诉请求", blank=True)
    workers_affected = models.PositiveIntegerField("涉及劳动者人数", null=True, blank=True)
    amount_claimed = models.DecimalField("涉及金额（元）", null=True, blank=True, **MONEY)
    # 劳动保障监察条例 第二十条: two years from the act, or from its end if continuing.
    violation_from = models.DateField("违法行为发生日期", null=True, blank=True)
    violation_until = models.DateField("违法行为终了日期", null=True, blank=True)
    violation_continuing = models.BooleanField("违法行为处于连续或继续状态", default=False)
    limitation_reason = models.TextField("超过两年仍予查处的理由", blank=True)

    is_major = models.BooleanField("重大案件", default=False)
    is_complex = models.BooleanField("情节复杂", default=False)

    filed_on = models.DateField("立案日期", null=True, blank=True)
    filed_by = models.ForeignKey(
        USER,
        verbose_name="批准立案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supplement_items = models.TextField("需补正的材料", blank=True)

    disposition = models.CharField(
        "不予立案的处理", max_length=20, choices=Disposition.choices, blank=True
    )
    disposition_reason = models.TextField("不予立案理由", blank=True)
    disposition_decided_on = models.DateField("不予受理（不予立案）决定日期", null=True, blank=True)
    competent_body = models.CharField("有管辖权的机关或移送机关", max_length=100, blank=True)
    disposition_notified_on = models.DateField("书面告知日期", null=True, blank=True)

    transfer_to = models.CharField("移送管辖的接收机关", max_length=100, blank=True)
    transfer_reason = models.TextField("移送管辖理由", blank=True)

    closed_on = models.DateField("结案日期", null=True, blank=True)
    closed_by = models.ForeignKey(
        USER,
        verbose_name="批准结案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closing_reason = models.CharField(
        "结案情形", max_length=20, choices=ClosingReason.choices, blank=True
    )
    closing_evidence = models.TextField("执行情况及证据", blank=True)

    created_at = models.DateTimeField("登记时间", default=timezone.now, editable=False)
    updated_at = models.DateTimeField("更新时间", default=timezone.now, editable=False)

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("register_case", "登记投诉、举报和案件线索"),
            ("handle_case", "办理案件（调查取证、拟处理意见、告知、送达、执行）"),
            ("file_case", "批准立案、不予受理、补充调查、移送管辖"),
            ("assign_case", "指派和调整办案人员"),
            ("close_case", "批准结案"),
            (
                "approve_as_agency_head",
                "以行政机关负责人身份审批（登记保存、回避、延期、分期缴纳）",
            ),
            ("decide_case", "作出执法决定"),
            ("discuss_case", "组织重大案件集体讨论"),
            ("flag_case", "标记重大、复杂案件"),
            ("configure_cases", "设置办案参数与文号格式"),
            ("record_decision_change", "登记执法决定被撤销、确认违法、变更或重新作出"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=State.values), name="cases_case_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(procedure__in=Procedure.values), name="cases_case_procedure_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=Source.values), name="cases_case_source_valid"
            ),
            models.UniqueConstraint(
                fields=["agency", "case_no"], condition=~Q(case_no=""), name="cases_case_no_uniq"
            ),
            # A general-procedure case past the lead stage has been filed.
            models.CheckConstraint(
                condition=Q(state__in=["lead", "supplement", "not_filed"])
                | Q(procedure="simplified")
                | (Q(filed_on__isnull=False) & ~Q(case_no="")),
                name="cases_case_filed_after_lead",
            ),
            models.CheckConstraint(
                condition=(Q(state="closed") & Q(closed_on__isnull=False))
                | (~Q(state="closed") & Q(closed_on__isnull=True)),
                name="cases_case_closed_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=~Q(state="not_filed") | ~Q(disposition=""),
                name="cases_case_not_filed_has_disposition",
            ),
            models.CheckConstraint(
                condition=Q(amount_claimed__isnull=True) | Q(amount_claimed__gte=0),
                name="cases_case_amount_nonneg",
            ),
            models.CheckConstraint(
                condition=Q(violation_from__isnull=True)
                | Q(violation_until__isnull=True)
                | Q(violation_until__gte=models.F("violation_from")),
                name="cases_case_violation_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state"], name="cases_case_agency_state"),
            models.Index(fields=["received_on"], name="cases_case_received"),
        ]

    def __str__(self) -> str:
        return self.case_no or self.registration_no

    @property
    def number(self) -> str:
        """The number to show: the case number once filed, the registration number before."""
        return self.case_no or self.registration_no

    @property
    def is_closed(self) -> bool:
        return self.state == State.CLOSED


class CaseFlag(models.Model):  # 重大、复杂案件标记
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="flags"
    )
    kind = models.CharField("标记", max_length=10, choices=FlagKind.choices)
    source = models.CharField("来源", max_length=10, choices=FlagSource.choices)
    reason = models.TextField("理由")
    set_on = models.DateField("标记日期")
    set_by = models.ForeignKey(
        USER, verbose_name="标记人", on_delete=models.PROTECT, related_name="+"
    )
    removed_on = models.DateField("撤销日期", null=True, blank=True)
    removed_by = models.ForeignKey(
        USER,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removal_reason = models.TextField("撤销理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "案件标记"
        ordering = ["case", "set_on", "pk"]
        constraints = [
            # 行政处罚法 第五十八条第一款第（二）项: a case decided after a hearing stays major.
            models.CheckConstraint(
                condition=~Q(source="hearing") | Q(removed_on__isnull=True),
                name="cases_flag_hearing_not_removable",
            ),
            models.CheckConstraint(
                condition=~Q(source="hearing") | Q(kind="major"), name="cases_flag_hearing_is_major"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_source_display()}）"


class Complainant(models.Model):  # 投诉人、举报人（身份保密：劳动保障监察条例 第九条）
    """Identity is shown only to the case team, the unit head and the decision maker
    (``selectors.may_see_complainant``); everyone else sees "（保密）"."""

    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="complainants"
    )
    role = models.CharField("身份", max_length=12, choices=ComplainantRole.choices)
    anonymous = models.BooleanField("匿名举报", default=False)
    name = models.CharField("姓名", max_length=50, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices, blank=True)
    age = models.PositiveSmallIntegerField("年龄", null=True, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    occupation = models.CharField("职业", max_length=50, blank=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_representative = models.BooleanField("集体投诉代表", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "投诉人、举报人"
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymous=True) | ~Q(name=""),
                name="cases_complainant_named_or_anonymous",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=False) | Q(role="reporter"),
                name="cases_complainant_only_reports_anonymous",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}（保密）"


class Party(models.Model):  # 当事人（被调查的用人单位或个人）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="parties"
    )
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("名称或姓名", max_length=100)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    id_number = models.CharField("身份证号码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人或主要负责人", max_length=50, blank=True)
    representative_post = models.CharField("职务", max_length=50, blank=True)
    address = models.CharField("住所或地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["case", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="organisation") | ~Q(uscc=""), name="cases_party_org_has_uscc"
            ),
            models.CheckConstraint(
                condition=~Q(kind="natural_person") | ~Q(id_number=""),
                name="cases_party_person_has_id",
            ),
            models.CheckConstraint(
                condition=~Q(kind="individual_business") | ~Q(uscc="") | ~Q(id_number=""),
                name="cases_party_business_has_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CaseCause(models.Model):  # 案由（执法事项清单中的事项版本）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="causes"
    )
    item_version = models.ForeignKey(
        "catalog.ItemVersion",
        verbose_name="执法事项版本",
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField("说明", max_length=200, blank=True)
    added_on = models.DateField("添加日期")

    class Meta:
        verbose_name = verbose_name_plural = "案由"
        ordering = ["case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "item_version"], name="cases_cause_uniq")
        ]

    def __str__(self) -> str:
        return self.item_version.name


class Assignment(models.Model):  # 办案人员（指派）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="assignments"
    )
    user = models.ForeignKey(
        USER, verbose_name="执法人员", on_delete=models.PROTECT, related_name="case_assignments"
    )
    role = models.CharField(
        "分工", max_length=10, choices=TeamRole.choices, default=TeamRole.ASSIST
    )
    assigned_on = models.DateField("指派日期")
    assigned_by = models.ForeignKey(
        USER, verbose_name="指派人", on_delete=models.PROTECT, related_name="+"
    )
    released_on = models.DateField("调出日期", null=True, blank=True)
    release_reason = models.CharField("调出原因", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办案人员"
        ordering = ["case", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=Q(released_on__isnull=True),
                name="cases_assignment_one_active",
            ),
            models.CheckConstraint(
                condition=Q(released_on__isnull=True) | Q(released_on__gte=models.F("assigned_on")),
                name="cases_assignment_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.get_role_display()}）"


class Recusal(models.Model):  # 回避（行政处罚法 第四十三条；劳动保障监察条例 第十六条）
    case = models.ForeignKey(
        Case, verbose_name="案件", on_delete=models.PROTECT, related_name="recusals"
    )
    person = models.ForeignKey(
        USER, verbose_name="被申请回避人员", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("类型", max_length=12, choices=RecusalKind.choices)
    applicant = models.CharField("申请人", max_length=100, blank=True)
    grounds = models.TextField("回避事由")
    filed_on = models.DateField("提出日期")
    recorded_by = models.ForeignKey(
        USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "决定", max_length=10, choices=RecusalStatus.choices, default=RecusalStatus.PENDING
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
        verbose_name = verbose_name_plural = "回避"
        ordering = ["case", "filed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="pending") & Q(decided_on__isnull=True))
                | (~Q(status="pending") & Q(decided_on__isnull=False)),
                name="cases_recusal_decided_on_iff_decided",
            ),
            models.CheckConstraint(
                condition=~Q(kind="application") | ~Q(applicant=""),
                name="cases_recusal_application_has_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"


class CaseSettings(models.Model):  # 办案参数（按执法主体）
    """Values that differ between jurisdictions. Blank fields use the installation default
    (``sanxiang.cases.config``). The values in force are copied onto the notice (事先告知) when
    it is served, so a later change never alters a case already notified."""

    agency = models.OneToOneField(
        "registry.Agency",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="case_settings",
    )
    defence_workdays = models.PositiveSmallIntegerField(
        "陈述申辩期限（工作日）", null=True, blank=True
    )
    hearing_fine_natural_person = models.DecimalField(
        "较大数额罚款：公民（元，含本数）", null=True, blank=True, **MONEY
    )
    hearing_fine_organisation = models.DecimalField(
        "较大数额罚款：法人或其他组织（元，含本数）", null=True, blank=True, **MONEY
    )
    simplified_fine_natural_person = models.DecimalField(
        "当场处罚罚款上限：公民（元）", null=True, blank=True, **MONEY
    )
    simplified_fine_organisation = models.DecimalField(
        "当场处罚罚款上限：法人或其他组织（元）", null=True, blank=True, **MONEY
    )
    limitation_years = models.PositiveSmallIntegerField("查处时效（年）", null=True, blank=True)
    basis_note = models.TextField(
        "依据说明", blank=True, help_text="如：山西省关于较大数额罚款的规定"
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
        verbose_name = verbose_name_plural = "办案参数"

    def __str__(self) -> str:
        return f"{self.agency} 办案参数"

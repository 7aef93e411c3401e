"""执法主体与人员登记簿: agencies, units, the officer roster with enforcement certificates,
legal qualifications, legal-review staff, training and audio/video recording equipment.

Rows are written only by ``services``; validity on a date ("was this certificate valid when
the inspection happened?") is derived from stored dates by ``rules`` — no status is flipped by
a background job (ARCHITECTURE.md §3).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from sanxiang.lib import codes

from . import rules


def validate_uscc_field(value: str) -> None:
    try:
        codes.validate_uscc(value)
    except codes.CodeError as exc:
        raise ValidationError(str(exc), code="invalid_uscc") from None


class Agency(models.Model):  # 执法主体
    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=20, help_text="用于文号，如“陵人社”")
    uscc = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_uscc_field]
    )
    legal_basis = models.TextField(
        "职权依据", help_text="设定该主体执法职权的法律、法规、规章及条款"
    )
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

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    duties = models.TextField("职责", blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "内设机构"
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="registry_unit_uniq")
        ]

    def __str__(self) -> str:
        return self.name


# --- 执法人员名录 -------------------------------------------------------------------------


class Officer(models.Model):  # 执法人员（名录）
    """A person on an agency's enforcement-staff roster (执法人员名录).

    The roster is what is published before enforcement (事前公示: name, unit, post, certificate
    number — 国办发〔2018〕118号) and what random inspections draw officers from (执法检查人员
    名录库). Being on the roster does not by itself allow enforcement: that needs a certificate
    valid on the day (行政处罚法 第四十二条).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="账号",
        on_delete=models.PROTECT,
        related_name="officer",
    )
    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="officers"
    )
    post = models.CharField("岗位", max_length=50, help_text="如“劳动保障监察员”“大队长”")
    is_active = models.BooleanField("在册", default=True)
    left_on = models.DateField("离岗日期", null=True, blank=True)
    left_reason = models.CharField("离岗原因", max_length=200, blank=True)
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法人员"
        ordering = ["agency", "user__real_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True, left_on__isnull=True)
                | Q(is_active=False, left_on__isnull=False),
                name="registry_officer_left_on_iff_inactive",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def name(self) -> str:
        return self.user.real_name or self.user.username


class Certificate(models.Model):  # 执法证件
    class Kind(models.TextChoices):
        # 山西省行政执法条例: 行政执法人员应当取得行政执法证件 (issued by the provincial
        # government's justice department after training and examination).
        ENFORCEMENT = "enforcement", "行政执法证"
        # 劳动保障监察条例 第十六条: 劳动保障监察员应当佩戴劳动保障监察标志、出示劳动保障监察证件.
        LABOUR_INSPECTION = "labour_inspection", "劳动保障监察证"

    class End(models.TextChoices):
        REPLACED = "replaced", "已换发"
        CANCELLED = "cancelled", "已注销"
        REVOKED = "revoked", "已吊销"

    officer = models.ForeignKey(
        Officer, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField("证件种类", max_length=20, choices=Kind.choices)
    number = models.CharField("证件号码", max_length=40)
    issuer = models.CharField("发证机关", max_length=100)
    scope = models.CharField(
        "执法类别与区域", max_length=100, blank=True, help_text="如“劳动保障监察 · 陵川县”"
    )
    valid_from = models.DateField("有效期自")
    valid_until = models.DateField("有效期至")
    ended = models.CharField("终止情形", max_length=12, choices=End.choices, blank=True)
    ended_on = models.DateField("终止日期", null=True, blank=True, help_text="自该日起不再有效")
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法证件"
        ordering = ["officer", "kind", "-valid_from", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number"], name="registry_certificate_number_uniq"
            ),
            # One certificate of each kind in force per officer; renewal ends the old one.
            models.UniqueConstraint(
                fields=["officer", "kind"],
                condition=Q(ended=""),
                name="registry_certificate_one_current_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="registry_certificate_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(ended="", ended_on__isnull=True)
                | (~Q(ended="") & Q(ended_on__isnull=False)),
                name="registry_certificate_ended_on_iff_ended",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def facts(self) -> rules.CertificateFacts:
        """The certificate as plain data for ``rules`` (uses prefetched suspensions)."""
        return rules.CertificateFacts(
            kind=self.get_kind_display(),
            number=self.number,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            ended=self.get_ended_display() if self.ended else "",
            ended_on=self.ended_on,
            suspensions=tuple(
                rules.Suspension(s.starts_on, s.ends_on) for s in self.suspensions.all()
            ),
        )


class CertificateSuspension(models.Model):  # 暂扣执法证件
    certificate = models.ForeignKey(
        Certificate, verbose_name="执法证件", on_delete=models.PROTECT, related_name="suspensions"
    )
    starts_on = models.DateField("暂扣日期")
    ends_on = models.DateField("发还日期", null=True, blank=True, help_text="自该日起恢复有效")
    reason = models.CharField("暂扣原因", max_length=200)
    lift_note = models.CharField("发还说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法证件暂扣"
        ordering = ["certificate", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=Q(ends_on__isnull=True),
                name="registry_suspension_one_open",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=models.F("starts_on")),
                name="registry_suspension_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.certificate} 暂扣（{self.starts_on}起）"


# --- 法律职业资格与法制审核人员 ---------------------------------------------------------------


class LegalQualification(models.Model):  # 法律职业资格
    """行政处罚法 第五十八条第二款: 行政机关中初次从事行政处罚决定法制审核的人员, 应当通过国家
    统一法律职业资格考试取得法律职业资格."""

    class Kind(models.TextChoices):
        LEGAL_PROFESSION = "legal_profession", "法律职业资格证书（国家统一法律职业资格考试）"
        # Certificates from the former exams stay valid under the 2018 implementing measures
        # (国家统一法律职业资格考试实施办法) [M: from memory, confirm before relying on it].
        JUDICIAL_EXAM = "judicial_exam", "法律职业资格证书（原国家司法考试）"
        LAWYER = "lawyer", "律师资格证书（原全国律师资格考试）"

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="持有人",
        on_delete=models.PROTECT,
        related_name="legal_qualifications",
    )
    kind = models.CharField("资格种类", max_length=20, choices=Kind.choices)
    number = models.CharField("证书编号", max_length=40, unique=True)
    granted_on = models.DateField("取得日期")
    issuer = models.CharField("颁发机关", max_length=100, default="中华人民共和国司法部")
    withdrawn_on = models.DateField("撤销日期", null=True, blank=True)
    withdraw_reason = models.CharField("撤销原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律职业资格"
        ordering = ["holder", "-granted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True)
                | Q(withdrawn_on__gte=models.F("granted_on")),
                name="registry_qualification_withdrawn_after_granted",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def facts(self) -> rules.QualificationFacts:
        return rules.QualificationFacts(granted_on=self.granted_on, withdrawn_on=self.withdrawn_on)


class ReviewerDesignation(models.Model):  # 法制审核人员（指定）
    """The named staff an agency designates for legal review of major decisions (国办发〔2018〕
    118号 "明确审核机构"; seed plan: 劳动监察和信访仲裁股, with the bureau's 法律顾问)."""

    class Kind(models.TextChoices):
        STAFF = "staff", "法制审核机构工作人员"
        PUBLIC_LAWYER = "public_lawyer", "公职律师"
        LEGAL_ADVISER = "legal_adviser", "法律顾问"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="reviewers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        on_delete=models.PROTECT,
        related_name="reviewer_designations",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    designated_on = models.DateField("指定日期")
    prior_penalty_review = models.BooleanField(
        "2021年7月15日前已从事行政处罚决定法制审核",
        default=False,
        help_text="行政处罚法第五十八条第二款只要求“初次从事”的人员取得法律职业资格。",
    )
    ended_on = models.DateField("终止日期", null=True, blank=True, help_text="自该日起不再担任")
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法制审核人员"
        ordering = ["agency", "ended_on", "designated_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "user"],
                condition=Q(ended_on__isnull=True),
                name="registry_reviewer_one_open_per_agency",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gt=models.F("designated_on")),
                name="registry_reviewer_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}（{self.get_kind_display()}）"

    def facts(self) -> rules.DesignationFacts:
        return rules.DesignationFacts(
            kind=self.kind,
            designated_on=self.designated_on,
            ended_on=self.ended_on,
            prior_penalty_review=self.prior_penalty_review,
        )


# --- 培训 ---------------------------------------------------------------------------------


class Training(models.Model):  # 执法培训
    class Topic(models.TextChoices):
        THREE_SYSTEMS = "three_systems", "三项制度专题学习培训"
        EXCHANGE = "exchange", "三项制度业务交流"
        LAW = "law", "法律法规培训"
        BUSINESS = "business", "执法业务培训"
        OTHER = "other", "其他"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="trainings"
    )
    title = models.CharField("名称", max_length=100)
    topic = models.CharField("类别", max_length=20, choices=Topic.choices)
    held_on = models.DateField("举办日期")
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    organiser = models.CharField("组织单位", max_length=100)
    place = models.CharField("地点", max_length=100, blank=True)
    summary = models.TextField("内容摘要", blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="参训人员",
        through="TrainingAttendance",
        related_name="trainings",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法培训"
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0), name="registry_training_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"


class TrainingAttendance(models.Model):  # 参训记录
    training = models.ForeignKey(
        Training, verbose_name="培训", on_delete=models.CASCADE, related_name="attendance"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="参训人员",
        on_delete=models.PROTECT,
        related_name="training_attendance",
    )

    class Meta:
        verbose_name = verbose_name_plural = "参训记录"
        constraints = [
            models.UniqueConstraint(fields=["training", "user"], name="registry_attendance_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.training}"


# --- 音像记录设备 -----------------------------------------------------------------------------


class RecordingDevice(models.Model):  # 音像记录设备
    """Equipment for audio/video records (国办发〔2018〕118号: 执法记录仪、照相机、摄像机 ...;
    seed plan: 统一配备音像记录设备). Recordings name their device, so a file's provenance
    (which device, held by whom at the time) can be shown (记录要素)."""

    class Kind(models.TextChoices):
        BODY_CAMERA = "body_camera", "执法记录仪"
        CAMERA = "camera", "照相机"
        VIDEO_CAMERA = "video_camera", "摄像机"
        AUDIO_RECORDER = "audio_recorder", "录音笔"
        FIXED = "fixed", "固定音视频设备（询问室、听证室）"
        OTHER = "other", "其他"

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", "在用"
        REPAIR = "repair", "维修中"
        RETIRED = "retired", "已报废"

    agency = models.ForeignKey(
        Agency, verbose_name="执法主体", on_delete=models.PROTECT, related_name="devices"
    )
    kind = models.CharField("设备类型", max_length=20, choices=Kind.choices)
    asset_no = models.CharField("资产编号", max_length=40)
    model_name = models.CharField("品牌型号", max_length=100)
    serial_no = models.CharField("出厂序列号", max_length=60, blank=True)
    location = models.CharField("存放或安装地点", max_length=100, blank=True)
    status = models.CharField(
        "状态", max_length=12, choices=Status.choices, default=Status.IN_SERVICE
    )
    commissioned_on = models.DateField("启用日期")
    retired_on = models.DateField("报废日期", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录设备"
        ordering = ["agency", "kind", "asset_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "asset_no"], name="registry_device_asset_uniq"
            ),
            models.CheckConstraint(
                condition=Q(status="retired", retired_on__isnull=False)
                | (~Q(status="retired") & Q(retired_on__isnull=True)),
                name="registry_device_retired_on_iff_retired",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.asset_no}"


class DeviceAssignment(models.Model):  # 设备领用记录
    device = models.ForeignKey(
        RecordingDevice, verbose_name="设备", on_delete=models.PROTECT, related_name="assignments"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="领用人",
        on_delete=models.PROTECT,
        related_name="device_assignments",
    )
    issued_at = models.DateTimeField("领用时间")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发放人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    returned_at = models.DateTimeField("归还时间", null=True, blank=True)
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.CharField("备注", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "设备领用记录"
        ordering = ["device", "-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(returned_at__isnull=True),
                name="registry_device_one_open_assignment",
            ),
            models.CheckConstraint(
                condition=Q(returned_at__isnull=True) | Q(returned_at__gte=models.F("issued_at")),
                name="registry_assignment_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device} → {self.holder}"

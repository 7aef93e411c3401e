"""Registry forms: parse and present only. Rules live in ``services`` (DomainError → form error)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from .models import (
    Agency,
    Certificate,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
)

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        help_text=help_text,
        error_messages={"invalid": "请按“年-月-日”填写日期，如 2026-03-01"},
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        unit = f"（{obj.unit.name}）" if obj.unit_id else ""
        return f"{obj.real_name or obj.username}{unit}"


class UserMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        unit = f"（{obj.unit.name}）" if obj.unit_id else ""
        return f"{obj.real_name or obj.username}{unit}"


def active_users():
    return (
        User.objects.filter(is_active=True)
        .select_related("unit")
        .order_by("unit__name", "real_name", "pk")
    )


class AgencyFieldMixin(forms.Form):
    """An agency choice that disappears (hidden, preset) when there is only one agency."""

    agency = forms.ModelChoiceField(
        label="执法主体", queryset=Agency.objects.none(), empty_label=None
    )

    def __init__(self, *args, default_agency: Agency | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["agency"]
        field.queryset = Agency.objects.filter(is_active=True).order_by("name")
        if default_agency is not None:
            field.initial = default_agency.pk
        if field.queryset.count() <= 1:
            field.widget = forms.HiddenInput()
            first = field.queryset.first()
            if first is not None:
                field.initial = first.pk


class OfficerRegisterForm(AgencyFieldMixin):
    user = UserChoiceField(
        label="人员账号",
        queryset=User.objects.none(),
        help_text="只列出在用、且不在执法人员名录中的账号；账号由安全管理员在“账号管理”中开设。",
    )
    post = forms.CharField(label="岗位", max_length=50, help_text="如“劳动保障监察员”“大队长”")

    field_order = ["user", "post", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users().exclude(officer__is_active=True)


class OfficerEditForm(forms.Form):
    post = forms.CharField(label="岗位", max_length=50)


class OfficerLeaveForm(forms.Form):
    on = date_field("离岗日期", help_text="自该日起不再列入名录，其在用的执法证件同日注销。")
    reason = forms.CharField(label="离岗原因", max_length=200, help_text="如“调离执法岗位”“退休”")


class CertificateForm(forms.Form):
    kind = forms.ChoiceField(label="证件种类", choices=Certificate.Kind.choices)
    number = forms.CharField(label="证件号码", max_length=40)
    issuer = forms.CharField(label="发证机关", max_length=100, help_text="以证件上的发证机关为准")
    scope = forms.CharField(
        label="执法类别与区域",
        max_length=100,
        required=False,
        help_text="如“劳动保障监察 · 陵川县”",
    )
    valid_from = date_field("有效期自")
    valid_until = date_field(
        "有效期至", help_text="同种证件登记新证时，原证自新证生效之日起记为“已换发”。"
    )


class SuspendForm(forms.Form):
    starts_on = date_field("暂扣日期", help_text="自该日起不得从事执法活动。")
    reason = forms.CharField(label="暂扣原因", max_length=200)


class ReinstateForm(forms.Form):
    on = date_field("发还日期", help_text="自该日起证件恢复有效。")
    note = forms.CharField(label="发还说明", max_length=200, required=False)


class CertificateEndForm(forms.Form):
    how = forms.ChoiceField(
        label="办理事项",
        choices=[(Certificate.End.CANCELLED, "注销"), (Certificate.End.REVOKED, "吊销")],
        widget=forms.RadioSelect,
    )
    on = date_field("终止日期", help_text="自该日起证件不再有效。")
    reason = forms.CharField(label="原因", max_length=200)


class QualificationForm(forms.Form):
    holder = UserChoiceField(label="持有人", queryset=User.objects.none())
    kind = forms.ChoiceField(label="资格种类", choices=LegalQualification.Kind.choices)
    number = forms.CharField(label="证书编号", max_length=40)
    granted_on = date_field("取得日期")
    issuer = forms.CharField(label="颁发机关", max_length=100, initial="中华人民共和国司法部")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = active_users()


class WithdrawForm(forms.Form):
    on = date_field("撤销日期")
    reason = forms.CharField(label="撤销原因", max_length=200)


class ReviewerForm(AgencyFieldMixin):
    user = UserChoiceField(label="审核人员", queryset=User.objects.none())
    kind = forms.ChoiceField(label="类别", choices=ReviewerDesignation.Kind.choices)
    designated_on = date_field("指定日期")
    prior_penalty_review = forms.BooleanField(
        label="2021年7月15日前已从事行政处罚决定法制审核",
        required=False,
        help_text="行政处罚法第五十八条第二款：初次从事行政处罚决定法制审核的人员，应当取得法律职业资格。"
        "未勾选且未登记法律职业资格的，不能审核行政处罚决定。",
    )

    field_order = ["user", "kind", "designated_on", "prior_penalty_review", "agency"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users()


class EndForm(forms.Form):
    on = date_field("终止日期", help_text="自该日起不再担任。")
    reason = forms.CharField(label="终止原因", max_length=200)


class TrainingForm(AgencyFieldMixin):
    title = forms.CharField(label="培训名称", max_length=100)
    topic = forms.ChoiceField(label="类别", choices=Training.Topic.choices)
    held_on = date_field("举办日期")
    hours = forms.DecimalField(
        label="学时",
        max_digits=4,
        decimal_places=1,
        error_messages={"invalid": "请填写学时（如 2 或 1.5）"},
    )
    organiser = forms.CharField(label="组织单位", max_length=100)
    place = forms.CharField(label="地点", max_length=100, required=False)
    summary = forms.CharField(
        label="内容摘要", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attendees = UserMultipleChoiceField(
        label="参训人员",
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择至少一名参训人员"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = active_users()


class DeviceForm(AgencyFieldMixin):
    kind = forms.ChoiceField(label="设备类型", choices=RecordingDevice.Kind.choices)
    asset_no = forms.CharField(label="资产编号", max_length=40)
    model_name = forms.CharField(label="品牌型号", max_length=100)
    serial_no = forms.CharField(label="出厂序列号", max_length=60, required=False)
    location = forms.CharField(
        label="存放或安装地点",
        max_length=100,
        required=False,
        help_text="固定设备必填，如“一楼询问室”",
    )
    commissioned_on = date_field("启用日期")
    note = forms.CharField(label="备注", max_length=200, required=False)


class DeviceIssueForm(forms.Form):
    holder = UserChoiceField(
        label="领用人", queryset=User.objects.none(), help_text="只列出本主体执法人员名录中的人员。"
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, device: RecordingDevice, **kwargs):
        super().__init__(*args, **kwargs)
        on_roster = Officer.objects.filter(agency=device.agency, is_active=True).values("user")
        self.fields["holder"].queryset = active_users().filter(pk__in=on_roster)


class DeviceReturnForm(forms.Form):
    note = forms.CharField(label="备注", max_length=200, required=False, help_text="如设备完好情况")


class DeviceStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="新状态", choices=RecordingDevice.Status.choices, widget=forms.RadioSelect
    )
    on = date_field("报废日期", required=False, help_text="仅报废时填写；报废后不能再变更。")
    note = forms.CharField(label="说明", max_length=200, required=False, help_text="报废时必填。")

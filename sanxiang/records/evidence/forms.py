"""Evidence forms: parse and present only; every rule is the service's (``DomainError`` goes back
onto the form by the view)."""

from __future__ import annotations

import uuid

from django import forms
from django.contrib.auth import get_user_model

from . import config, selectors
from .choices import Kind, RuleMode, RuleTarget, Scene, Step

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "invalid": "请按“年-月-日 时:分”填写，如 2026-04-08 09:30",
            "required": f"请填写{label}",
        },
    )


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return getattr(obj, "real_name", "") or obj.get_username()


class DeviceChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_kind_display()} {obj.asset_no}（{obj.model_name}）"


class FileOrUploadMixin:
    """A form with a plain ``file`` field and the hidden ``upload_id`` of a finished resumable
    upload (tus): one of the two is required. Shared by every evidence upload form."""

    def clean_upload_id(self):
        value = self.cleaned_data.get("upload_id") or ""
        if not value:
            return ""
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise forms.ValidationError("上传标识无效，请重新选择文件") from None

    def require_file_or_upload(self, data: dict) -> None:
        if not data.get("file") and not data.get("upload_id") and "file" not in self.errors:
            self.add_error("file", "请选择要上传的文件")


class EvidenceForm(FileOrUploadMixin, forms.Form):
    """登记证据: the file (plain upload, or the id of a finished resumable upload) and the
    记录要素 (国办发〔2018〕118号: device, officer, time, place, what it shows)."""

    ref = forms.ChoiceField(
        label="所记录的执法行为或办案环节",
        help_text="选择笔录、送达回证等具体记录，录像即与该记录关联；尚未录入的，选择办案环节。",
        error_messages={"required": "请选择所记录的执法行为或办案环节"},
    )
    kind = forms.ChoiceField(
        label="证据形式", choices=[("", "请选择")] + Kind.choices,
        error_messages={"required": "请选择证据形式"},
    )  # fmt: skip
    scene = forms.ChoiceField(
        label="记录场景", choices=[("", "请选择")] + Scene.choices,
        error_messages={"required": "请选择记录场景"},
    )  # fmt: skip
    party = forms.ModelChoiceField(
        queryset=None, label="涉及的当事人", required=False, empty_label="—（不限于某一当事人）"
    )
    device = DeviceChoice(
        queryset=None,
        label="记录设备",
        required=False,
        empty_label="—（无：仅照片、书证电子件可不填）",
        help_text="音像记录设备登记簿中的设备；录音、录像必填。",
    )
    recorded_by = UserChoice(
        queryset=None, label="记录人", error_messages={"required": "请选择记录人"}
    )
    started_at = _datetime("开始时间")
    ended_at = _datetime("结束时间")
    place = forms.CharField(
        label="地点", max_length=200,
        error_messages={"required": "请填写地点", "max_length": "地点不能超过200个字"},
    )  # fmt: skip
    description = forms.CharField(
        label="内容说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="记录了什么：如“受送达人拒收，将决定书留置于其住所门口，全程录像”。",
        error_messages={"required": "请填写内容说明", "max_length": "内容说明不能超过2000个字"},
    )
    file = forms.FileField(
        label="文件",
        required=False,
        help_text="",
        widget=forms.ClearableFileInput(attrs={"data-resumable": "1"}),
    )
    upload_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case, user, **kwargs):
        super().__init__(*args, **kwargs)
        from sanxiang.cases.models import Assignment, Party
        from sanxiang.registry.models import RecordingDevice

        self.case = case
        self.records = selectors.case_records(case)
        self.fields["ref"].choices = [
            ("", "请选择"),
            ("本案的执法记录", [(r.value, r.label) for r in self.records]),
            ("办案环节（记录尚未录入的）", [(f"step:{v}", label) for v, label in Step.choices]),
        ]
        self.fields["party"].queryset = Party.objects.filter(case=case).order_by("pk")
        self.fields["device"].queryset = (
            RecordingDevice.objects.filter(agency_id=case.agency_id)
            .exclude(status="retired")
            .order_by("kind", "asset_no")
        )
        team = Assignment.objects.filter(case=case).values("user_id")
        self.fields["recorded_by"].queryset = get_user_model().objects.filter(pk__in=team)
        if not self.is_bound:
            self.initial.setdefault("recorded_by", user.pk)
        limits = "；".join(
            f"{Kind(k).label} {config.human_size(config.max_bytes(k))}" for k in Kind.values
        )
        self.fields["file"].help_text = (
            f"按文件内容识别类型。大小上限：{limits}。不启用 JavaScript 时单次上传不超过 "
            f"{config.human_size(config.form_max_bytes())}；启用时自动断点续传，网络中断或刷新"
            "页面后重新选择同一文件即可继续。"
        )

    def clean(self):
        data = super().clean()
        self.require_file_or_upload(data)
        ref = data.get("ref") or ""
        data["record"], data["step"] = None, ""
        if ref.startswith("rec:"):
            record = selectors.resolve_record(self.case, ref)
            if record is None:
                self.add_error("ref", "所选执法行为不属于本案")
            data["record"] = record
        elif ref.startswith("step:") and ref[5:] in Step.values:
            data["step"] = ref[5:]
        elif ref:
            self.add_error("ref", "请选择所记录的执法行为或办案环节")
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "scene": d["scene"],
            "step": d["step"],
            "record": d["record"],
            "party": d.get("party"),
            "device": d.get("device"),
            "recorded_by": d["recorded_by"],
            "started_at": d["started_at"],
            "ended_at": d["ended_at"],
            "place": d["place"],
            "description": d["description"],
        }


class AccessReasonForm(forms.Form):
    reason = forms.CharField(
        label="用途",
        max_length=200,
        help_text="下载记入证据保管链（账本），写明用途，如“报送行政复议机关”“提交人民法院”。",
        error_messages={"required": "请写明下载用途", "max_length": "用途不能超过200个字"},
    )


class ExemptionRequestForm(forms.Form):
    target = forms.ChoiceField(choices=RuleTarget.choices, widget=forms.HiddenInput)
    ref = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="未能记录的原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：执法记录仪故障（已报修），由村委会主任某某见证并在送达回证上签名。",
        error_messages={"required": "请写明未能记录的原因"},
    )


class ExemptionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="审批意见",
        choices=[("approve", "批准：免于音像记录"), ("refuse", "不予批准")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择是否批准"},
    )
    note = forms.CharField(
        label="说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecordingRuleForm(forms.Form):
    """The admin form of a recording rule (saved through services.recording_rule_set)."""

    mode = forms.ChoiceField(label="要求", choices=RuleMode.choices)
    kinds = forms.MultipleChoiceField(
        label="可满足要求的记录形式",
        choices=[c for c in Kind.choices if c[0] != Kind.DOCUMENT],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reason = forms.CharField(
        label="提示语", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    basis = forms.CharField(label="依据", max_length=300, required=False)

"""Forms only parse what staff type; every rule is checked by the services."""

from __future__ import annotations

from django import forms

from sanxiang.lib.draw import MAX_WEIGHT
from sanxiang.records.evidence.forms import FileOrUploadMixin

from . import rules
from .models import RiskTag, SeedSource, Size, TaskResult

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ImportForm(forms.Form):
    file = forms.FileField(
        label="名录文件（CSV 或 XLSX）",
        help_text="第1行为表头：单位名称、统一社会信用代码（必填），地址、行业、规模、风险标签、"
        "是否纳入（选填）。有任何一行错误则整个文件不导入。",
    )
    dry_run = forms.BooleanField(label="只校验，不导入", required=False)

    MAX_BYTES = 50 * 1024 * 1024

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > self.MAX_BYTES:
            raise forms.ValidationError("文件不能超过50MB")
        return f


class TargetForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=200)
    address = forms.CharField(label="地址", max_length=200, required=False)
    industry = forms.CharField(label="行业", max_length=100, required=False)
    size = forms.ChoiceField(label="规模", choices=[("", "—")] + Size.choices, required=False)
    risk_tags = forms.MultipleChoiceField(
        label="风险标签",
        choices=RiskTag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label="纳入名录库", required=False)


class PlanForm(forms.Form):
    code = forms.CharField(label="计划编号", max_length=40, help_text="如“2026-01”")
    title = forms.CharField(label="计划名称", max_length=200)
    period_start = forms.DateField(label="检查期间自", widget=DATE)
    period_end = forms.DateField(label="检查期间至", widget=DATE)
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    scope = forms.CharField(label="检查内容与方式", widget=forms.Textarea, required=False)
    ratio = forms.DecimalField(
        label="抽查比例（%）",
        max_digits=5,
        decimal_places=2,
        initial=rules.DEFAULT_RATIO,
        help_text="人社领域全年抽查比例不低于5%；低于5%须说明理由。",
    )
    ratio_reason = forms.CharField(label="比例低于5%的理由", required=False)
    inspectors_per_target = forms.IntegerField(
        label="每个对象的检查人员数", min_value=2, max_value=10, initial=2
    )
    exclude_drawn_this_year = forms.BooleanField(
        label="本年度已被其他计划抽中的对象不再纳入", required=False, initial=True
    )
    seed_source = forms.ChoiceField(
        label="随机种子来源", choices=SeedSource.choices, widget=forms.RadioSelect
    )
    seed_tree_size = forms.IntegerField(
        label="约定的账本树大小",
        required=False,
        min_value=1,
        help_text="种子为树大小不小于该数的第一个签名检查点的根哈希；须大于当前树大小。",
    )
    seed_description = forms.CharField(
        label="公开随机数的来源",
        max_length=200,
        required=False,
        help_text="如“2026年12月1日中国福利彩票双色球第2026138期开奖号码”",
    )
    seed_public_on = forms.DateField(label="公开随机数的产生日期", required=False, widget=DATE)

    def __init__(self, *args, item_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = item_queryset
        self.fields["items"].label_from_instance = lambda v: f"{v.item.code} {v.name}"
        self.weight_fields = []
        for tag in RiskTag:
            name = f"weight_{tag.value}"
            self.fields[name] = forms.IntegerField(
                label=f"权重：{tag.label}",
                required=False,
                min_value=1,
                max_value=MAX_WEIGHT,
                help_text="留空即为1（不提高）",
            )
            self.weight_fields.append(name)

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        weights = {}
        for tag in RiskTag:
            w = d.pop(f"weight_{tag.value}", None)
            if w:
                weights[tag.value] = w
        d["weights"] = weights
        d["items"] = list(d["items"])
        return d

    @classmethod
    def initial_from(cls, plan) -> dict:
        data = {
            f: getattr(plan, f)
            for f in (
                "code",
                "title",
                "period_start",
                "period_end",
                "scope",
                "ratio",
                "ratio_reason",
                "inspectors_per_target",
                "exclude_drawn_this_year",
                "seed_source",
                "seed_tree_size",
                "seed_description",
                "seed_public_on",
            )
        }
        data["items"] = list(plan.items.all())
        for tag, w in plan.weights.items():
            data[f"weight_{tag}"] = w
        return data


class RestateForm(forms.Form):
    seed_tree_size = forms.IntegerField(label="新的账本树大小", required=False, min_value=1)
    seed_public_on = forms.DateField(label="新的公开随机数产生日期", required=False, widget=DATE)
    seed_description = forms.CharField(label="公开随机数的来源", max_length=200, required=False)
    reason = forms.CharField(label="重新约定的理由", max_length=200)


class SeedTextForm(forms.Form):
    text = forms.CharField(
        label="公开随机数",
        max_length=200,
        required=False,
        help_text="照实登记公开发布的数值，如“03 08 12 19 25 31 + 07”。",
    )


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=None)
    uscc = forms.CharField(label="检查对象的统一社会信用代码", max_length=40)
    reason = forms.CharField(label="回避理由", max_length=200)

    def __init__(self, *args, officer_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officer_queryset


class ResultForm(forms.Form):
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    result = forms.ChoiceField(
        label="检查结果", choices=TaskResult.choices, widget=forms.RadioSelect
    )
    findings = forms.CharField(
        label="检查情况（内部记录）",
        widget=forms.Textarea,
        help_text="现场检查的经过和发现的问题；不公开。现场检查笔录和照片、录像在本页上方制作和上传。",
    )
    public_summary = forms.CharField(
        label="公开的结果说明",
        max_length=300,
        required=False,
        help_text="将在门户公开，不得含个人信息，如“未依法签订书面劳动合同，已责令限期改正”。",
    )
    transfer_to = forms.CharField(label="移送机关", max_length=100, required=False)


# --- the on-site inspection of a task (现场检查笔录, evidence) ---------------------------------


def _moment(label: str) -> forms.DateTimeField:
    from sanxiang.records.evidence.forms import DATETIME_FORMATS, DateTimeInput

    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        error_messages={
            "invalid": "请按“年-月-日 时:分”填写，如 2026-04-08 09:30",
            "required": f"请填写{label}",
        },
    )


def _chars(label: str, max_length: int, *, required: bool = True, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"请填写{label}",
            "max_length": f"{label}不能超过{max_length}个字",
        },
        **kwargs,
    )


class TaskRecordForm(forms.Form):
    """现场检查笔录 of a task: what the officers write on site (the service checks everything)."""

    started_at = _moment("检查开始时间")
    ended_at = _moment("检查结束时间")
    place = _chars("检查地点", 200)
    person_name = _chars("在场人姓名", 50, help_text="被检查单位在场的负责人或工作人员")
    person_post = _chars("在场人职务", 50)
    person_phone = _chars("在场人联系电话", 30, required=False)
    witnesses = _chars("见证人", 200, required=False)
    ids_shown = forms.BooleanField(
        label="已向在场人出示执法证件（行政处罚法 第五十五条）",
        required=False,
    )
    recusal_asked = forms.BooleanField(label="已告知申请回避的权利", required=False)
    recusal_answer = _chars("对回避的答复", 100, required=False, initial="不申请回避")
    content = _chars(
        "检查情况",
        5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="检查的经过、查看的资料和发现的情况。",
    )
    attachments_note = _chars(
        "附件（照片、音像记录）",
        2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="每行一项，如“现场照片3张（证据ZJ000011至ZJ000013）”。",
    )
    refusal_note = _chars("拒绝签名情况", 200, required=False)


class TaskEvidenceForm(FileOrUploadMixin, forms.Form):
    """登记现场检查证据: the file (plain upload, or the id of a finished resumable upload) and
    the 记录要素 (国办发〔2018〕118号)."""

    kind = forms.ChoiceField(label="证据形式", error_messages={"required": "请选择证据形式"})
    device = forms.ModelChoiceField(
        queryset=None,
        label="记录设备",
        required=False,
        empty_label="—（无：仅照片、书证电子件可不填）",
        help_text="音像记录设备登记簿中的设备；录音、录像必填。",
    )
    recorded_by = forms.ModelChoiceField(
        queryset=None, label="记录人", error_messages={"required": "请选择记录人"}
    )
    started_at = _moment("开始时间")
    ended_at = _moment("结束时间")
    place = _chars("地点", 200)
    description = _chars("内容说明", 2000, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(
        label="文件",
        required=False,
        help_text="按文件内容识别类型；启用 JavaScript 时自动断点续传。",
        widget=forms.ClearableFileInput(attrs={"data-resumable": "1"}),
    )
    upload_id = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, task, user, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        from sanxiang.records.evidence.choices import Kind
        from sanxiang.records.evidence.forms import DeviceChoice, UserChoice
        from sanxiang.registry.models import RecordingDevice

        from .services.onsite import task_recorders

        self.fields["kind"].choices = [("", "请选择")] + Kind.choices
        self.fields["device"] = DeviceChoice(
            queryset=RecordingDevice.objects.filter(agency_id=task.plan.agency_id)
            .exclude(status="retired")
            .order_by("kind", "asset_no"),
            label="记录设备",
            required=False,
            empty_label="—（无：仅照片、书证电子件可不填）",
            help_text="音像记录设备登记簿中的设备；录音、录像必填。",
        )
        self.fields["recorded_by"] = UserChoice(
            queryset=get_user_model().objects.filter(pk__in=[u.pk for u in task_recorders(task)]),
            label="记录人",
            error_messages={"required": "请选择记录人"},
        )
        if not self.is_bound:
            self.initial.setdefault("recorded_by", user.pk)

    def clean(self):
        data = super().clean()
        self.require_file_or_upload(data)
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        names = ("kind", "device", "recorded_by", "started_at", "ended_at", "place", "description")
        return {name: d.get(name) for name in names}


class ScanForm(forms.Form):
    file = forms.FileField(
        label="签章扫描件（PDF 或图片）",
        error_messages={"required": "请选择扫描件文件"},
    )

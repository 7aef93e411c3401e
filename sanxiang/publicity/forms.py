"""Forms parse and label; the rules live in services and rules (a form never decides)."""

from __future__ import annotations

from django import forms

from . import rules, sources
from .models import RepairMaterial

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReviseForm(forms.Form):
    note = forms.CharField(
        label="修改说明（更正时为更正理由，将公开）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    manual_grounds = forms.MultipleChoiceField(
        label="不得公开的情形（如有）",
        required=False,
        choices=[(g, rules.WITHHOLD_GROUNDS[g]) for g in rules.MANUAL_GROUNDS],
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, initial_fields=None, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in sources.FIELDS:
            self.fields[f"f_{key}"] = forms.CharField(
                label=label,
                required=False,
                initial=(initial_fields or {}).get(key, ""),
                widget=forms.Textarea(attrs={"rows": 4 if key in ("facts", "content") else 2}),
            )
        # Text fields first, in document order.
        order = [f"f_{k}" for k, _ in sources.FIELDS] + ["manual_grounds", "note"]
        self.order_fields(order)

    def field_values(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"f_{k}", "") for k, _ in sources.FIELDS}


class ApproveForm(forms.Form):
    confidentiality_checked = forms.BooleanField(
        label="已完成保密审查，公开内容不涉及国家秘密、商业秘密和个人隐私", required=False
    )
    confidentiality_note = forms.CharField(
        label="保密审查意见", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, review_needed: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not review_needed:  # the item needs no 保密审查: nothing to confirm
            del self.fields["confidentiality_checked"], self.fields["confidentiality_note"]


class WithholdForm(forms.Form):
    grounds = forms.MultipleChoiceField(
        label="不予公开的情形",
        choices=list(rules.WITHHOLD_GROUNDS.items()),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤下理由（将在公示平台公开说明）", widget=forms.Textarea(attrs={"rows": 3})
    )


class RepairApplyForm(forms.Form):
    applied_on = forms.DateField(label="申请日期", widget=DATE_WIDGET)
    applicant = forms.CharField(label="申请人", max_length=100)
    materials = forms.MultipleChoiceField(
        label="提交的材料",
        choices=RepairMaterial.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    evidence_note = forms.CharField(label="证据说明", widget=forms.Textarea(attrs={"rows": 3}))


class RepairDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "准予提前终止公示"), ("0", "不予修复")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label="决定日期", widget=DATE_WIDGET)
    reason = forms.CharField(label="决定理由", widget=forms.Textarea(attrs={"rows": 3}))


class SettingsForm(forms.Form):
    withhold_warning_only = forms.BooleanField(
        label="仅给予警告的行政处罚决定不予公开", required=False
    )
    default_min_months = forms.IntegerField(label="最短公示期限（月）", min_value=0)
    default_max_months = forms.IntegerField(label="最长公示期限（月）", min_value=1)
    period_rules = forms.CharField(
        label="按处罚种类的公示期限",
        required=False,
        help_text="每行一种：处罚种类代码 最短月数 最长月数，如“warning 3 3”",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_period_rules(self):
        out = {}
        for n, line in enumerate(self.cleaned_data.get("period_rules", "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                raise forms.ValidationError(f"第{n}行应为“处罚种类代码 最短月数 最长月数”")
            out[parts[0]] = [int(parts[1]), int(parts[2])]
        return out


class ReportForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    narrative = forms.CharField(
        label="情况说明", widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ExportForm(forms.Form):
    fmt = forms.ChoiceField(
        label="格式", choices=[("csv", "CSV"), ("xlsx", "Excel（XLSX）"), ("json", "JSON")]
    )
    date_from = forms.DateField(label="决定日期自", required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label="决定日期至", required=False, widget=DATE_WIDGET)


# --- portal ---------------------------------------------------------------------------------------


class OfficerVerifyForm(forms.Form):
    number = forms.CharField(
        label="执法证件号码",
        max_length=40,
        help_text="执法证上印制的证件号码；扫描执法证上的二维码会直接打开核验结果",
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "aria-describedby": "number-help"}
        ),
    )

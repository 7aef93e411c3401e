"""Forms of the archive pages (parsing only; rules live in the services)."""

from __future__ import annotations

from django import forms

from . import register
from .models import Classification, Retention

DATE = forms.DateInput(attrs={"type": "date"})


class RegisterFilterForm(forms.Form):
    date_field = forms.ChoiceField(
        label="日期类型", choices=list(register.DATE_FIELDS.items()), required=False
    )
    start = forms.DateField(label="起始日期", required=False, widget=DATE)
    end = forms.DateField(label="截止日期", required=False, widget=DATE)
    state = forms.ChoiceField(label="状态", required=False)
    source = forms.ChoiceField(label="案件来源", required=False)
    officer = forms.TypedChoiceField(label="承办人", required=False, coerce=int, empty_value=None)
    outcome = forms.ChoiceField(label="处理结果", required=False)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        from sanxiang.cases.choices import OutcomeKind, Source, State

        self.fields["state"].choices = [("", "全部")] + list(State.choices)
        self.fields["source"].choices = [("", "全部")] + list(Source.choices)
        self.fields["officer"].choices = [("", "全部")] + list(officers)
        self.fields["outcome"].choices = (
            [("", "全部")] + list(OutcomeKind.choices) + [(register.OUTCOME_NONE, "尚未作出决定")]
        )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def filters(self) -> register.RegisterFilters:
        d = self.cleaned_data
        return register.RegisterFilters(
            date_field=d.get("date_field") or "received_on",
            start=d.get("start"),
            end=d.get("end"),
            state=d.get("state") or "",
            source=d.get("source") or "",
            officer=d.get("officer"),
            outcome=d.get("outcome") or "",
        )


class ClassifyForm(forms.Form):
    classification = forms.ChoiceField(label="密级", choices=Classification.choices, required=False)
    reason = forms.CharField(label="理由", max_length=200, required=False)


class RetentionForm(forms.Form):
    retention = forms.ChoiceField(label="保管期限", choices=Retention.choices)
    reason = forms.CharField(label="调整理由", max_length=200)


class BorrowRequestForm(forms.Form):
    purpose = forms.CharField(label="借阅目的", max_length=200)
    include_restricted = forms.BooleanField(label="同时借阅副卷", required=False)


class BorrowDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="审批",
        choices=[("1", "批准"), ("0", "不予批准")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(label="借阅期限", required=False, widget=DATE)
    note = forms.CharField(label="审批意见", max_length=200, required=False)

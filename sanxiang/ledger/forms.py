from __future__ import annotations

import re

from django import forms

from . import selectors

_IP_PREFIX = re.compile(r"[0-9A-Fa-f.:]{1,45}")


class AuditFilterForm(forms.Form):
    """Filters of the audit log page (all optional)."""

    start = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    user = forms.CharField(label="用户（账号或姓名）", required=False, max_length=150)
    type = forms.ChoiceField(label="事件", required=False)
    result = forms.ChoiceField(
        label="结果",
        required=False,
        choices=[("", "全部")] + list(selectors.RESULTS.items()),
    )
    ip = forms.CharField(label="IP地址（可填前缀）", required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "全部")] + selectors.audit_types()

    def clean_ip(self) -> str:
        value = self.cleaned_data["ip"].strip()
        if value and not _IP_PREFIX.fullmatch(value):
            raise forms.ValidationError("IP地址只能包含数字、字母 a–f、“.”和“:”")
        return value

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def filters(self) -> selectors.AuditFilters:
        data = self.cleaned_data
        return selectors.AuditFilters(
            start=data.get("start"),
            end=data.get("end"),
            user=(data.get("user") or "").strip(),
            type=data.get("type") or "",
            result=data.get("result") or "",
            ip=data.get("ip") or "",
        )

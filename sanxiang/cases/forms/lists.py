"""The case list's filters (GET; every value optional, a bad one is ignored with a message)."""

from __future__ import annotations

from django import forms

from .. import selectors
from ..choices import Procedure, Source, State
from .base import DATE_INVALID, DateInput

DEADLINE_FILTERS = [
    ("", "全部"),
    ("overdue", "已逾期"),
    ("soon", "即将到期（2个工作日内）"),
    ("unknown", "期限待定"),
]
ORDERS = [
    ("-received_on", "收到日期：新→旧"),
    ("received_on", "收到日期：旧→新"),
]
LEAD_STATES = [State.LEAD, State.SUPPLEMENT]


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.real_name or obj.username


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "登记号、立案号、当事人或案情摘要"}
        ),
    )
    state = forms.ChoiceField(label="状态", required=False)
    source = forms.ChoiceField(
        label="来源", required=False, choices=[("", "全部"), *Source.choices]
    )
    procedure = forms.ChoiceField(
        label="程序", required=False, choices=[("", "全部"), *Procedure.choices]
    )
    officer = OfficerChoiceField(
        label="办案人员", required=False, queryset=None, empty_label="全部"
    )
    major = forms.ChoiceField(
        label="重大案件",
        required=False,
        choices=[("", "全部"), ("1", "仅重大案件"), ("0", "非重大案件")],
    )
    deadline = forms.ChoiceField(label="期限", required=False, choices=DEADLINE_FILTERS)
    received_from = forms.DateField(
        label="收到日期自",
        required=False,
        widget=DateInput(),
        error_messages={"invalid": DATE_INVALID},
    )
    received_to = forms.DateField(
        label="至", required=False, widget=DateInput(), error_messages={"invalid": DATE_INVALID}
    )
    order = forms.ChoiceField(label="排序", required=False, choices=ORDERS)

    def __init__(self, *args, agency=None, leads: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        states = [
            (s, State(s).label)
            for s in (LEAD_STATES if leads else State.values)
            if (s in LEAD_STATES) == leads
        ]
        self.fields["state"].choices = [("", "全部"), *states]
        self.fields["officer"].queryset = selectors.roster_users(agency=agency)

    def filters(self) -> dict:
        """The selector's keyword arguments from the valid values (invalid ones are dropped)."""
        self.is_valid()
        d = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        major = d.get("major")
        return {
            "q": d.get("q") or "",
            "state": d.get("state") or "",
            "source": d.get("source") or "",
            "procedure": d.get("procedure") or "",
            "officer": d.get("officer"),
            "major": {"1": True, "0": False}.get(major),
            "deadline": d.get("deadline") or "",
            "received_from": d.get("received_from"),
            "received_to": d.get("received_to"),
            "order": d.get("order") or "-received_on",
        }

    def active(self) -> bool:
        """Whether any filter narrows the list (for the empty-state message)."""
        f = self.filters()
        return any(v not in (None, "", "-received_on") for v in f.values())

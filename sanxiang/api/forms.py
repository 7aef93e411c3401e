"""The form of the token settings page (parses only; ``services.token_create`` decides)."""

from __future__ import annotations

from django import forms


class TokenForm(forms.Form):
    name = forms.CharField(
        label="令牌名称",
        max_length=100,
        help_text="说明用途，如“省平台对接”“移动执法终端”。",
        error_messages={"required": "请填写令牌名称（如“省平台对接”）"},
    )
    expires_on = forms.DateField(
        label="有效期至",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="该日（北京时间）结束时失效；不填则长期有效，直到撤销。最长三年。",
        error_messages={"invalid": "请按“年-月-日”填写日期，如 2026-12-31"},
    )

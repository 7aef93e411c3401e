"""Forms of the evaluation pages (parsing only; the rules live in services and rules)."""

from __future__ import annotations

from django import forms

from .services import MAX_SAMPLE

DATE = forms.DateInput(attrs={"type": "date"})


class SampleForm(forms.Form):
    period_from = forms.DateField(
        label="结案日期自",
        widget=DATE,
        error_messages={"required": "请填写起始日期", "invalid": "请输入有效的日期"},
    )
    period_to = forms.DateField(
        label="结案日期至",
        widget=DATE,
        error_messages={"required": "请填写截止日期", "invalid": "请输入有效的日期"},
    )
    count = forms.IntegerField(
        label="抽取数量（件）",
        min_value=1,
        max_value=MAX_SAMPLE,
        error_messages={
            "required": "请填写抽取数量",
            "invalid": "抽取数量应为整数",
            "min_value": "抽取数量应至少为 1 件",
            "max_value": f"抽取数量不能超过 {MAX_SAMPLE} 件",
        },
    )
    seed_text = forms.CharField(
        label="种子来源（可选）",
        max_length=200,
        required=False,
        help_text="可填写抽取后才公布的公开值（如彩票开奖号码）；留空则由系统生成随机种子。",
        error_messages={"max_length": "种子来源不能超过 200 字"},
    )


class ChooseCaseForm(forms.Form):
    number = forms.CharField(
        label="案号或登记号",
        max_length=60,
        error_messages={"required": "请填写案号或登记号", "max_length": "案号不能超过 60 字"},
    )


class ResultsFilterForm(forms.Form):
    date_from = forms.DateField(label="结案日期自", widget=DATE, required=False)
    date_to = forms.DateField(label="结案日期至", widget=DATE, required=False)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data


def parse_scoring(post, *, items, vetoes) -> tuple[dict, dict, str, bool]:
    """Read the scoring form: (deductions {code: (raw points, note)}, vetoes {code: note},
    summary, finalise). Values are checked by ``services.evaluation_score``."""
    deductions = {}
    for item in items:
        raw = post.get(f"d_{item.code}", "")
        note = post.get(f"n_{item.code}", "")
        if str(raw).strip() or str(note).strip():
            deductions[item.code] = (raw, note)
    marked = {v.code: post.get(f"vn_{v.code}", "") for v in vetoes if post.get(f"v_{v.code}")}
    return deductions, marked, post.get("summary", ""), post.get("action") == "finalise"

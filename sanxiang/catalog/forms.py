"""Forms of the catalogue pages: they parse what was typed; the services decide what is valid.

The version editor is several small forms (basics, statutory range, 首违不罚, effective date)
plus two formsets (legal bases; one row per discretion level), bundled by :class:`VersionEditor`
which builds a :class:`rules.VersionContent` and puts a service's problems back on the fields.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.forms import formset_factory

from sanxiang.registry.models import Unit

from . import rules
from .models import AmountKind, AmountNature, BasisKind, BenchmarkStatus, Category, Level, Measure

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int = 2) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class MoneyField(forms.CharField):
    """Decimal yuan (or a multiple) as typed: "2,000", "２０００", "0.5"; Chinese errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 12}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return rules.parse_money(value, str(self.label or "金额"))
        except rules.RuleError as exc:
            raise forms.ValidationError(str(exc)) from None


class AsOfForm(forms.Form):
    on = forms.DateField(
        label="查看日期",
        required=False,
        widget=DATE_WIDGET,
        error_messages={"invalid": "日期格式应为“年-月-日”，如 2026-01-01"},
    )


class ListFilterForm(AsOfForm):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "编码、名称或依据条款"}),
    )
    category = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部类别"), *Category.choices]
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label="事项编码",
        max_length=60,
        help_text="本局编码规则，如 LCRS-CF-023-01（处罚）、LCRS-JC-001（检查）；录入后不可更改。",
        error_messages={"required": "请填写事项编码"},
    )


class VersionMetaForm(forms.Form):
    effective_from = forms.DateField(
        label="生效日期",
        widget=DATE_WIDGET,
        help_text="可以是将来的日期（预定变更）；不得早于上一版本的生效日期。",
        error_messages={"required": "请填写生效日期", "invalid": "日期格式应为“年-月-日”"},
    )
    change_note = forms.CharField(
        label="变更说明",
        widget=_textarea(2),
        help_text="写明改了什么、为什么改（如“依据某文件调整从重情形”）。",
        error_messages={"required": "请填写变更说明"},
    )


class BasicsForm(forms.Form):
    name = forms.CharField(
        label="事项名称", max_length=200, error_messages={"required": "请填写事项名称"}
    )
    category = forms.ChoiceField(
        label="事项类别",
        choices=[("", "请选择"), *Category.choices],
        error_messages={"required": "请选择事项类别"},
    )
    unit = forms.ModelChoiceField(
        label="承办机构", queryset=Unit.objects.none(), required=False, empty_label="（未指定）"
    )
    description = forms.CharField(label="事项内容", required=False, widget=_textarea(3))
    time_limit_text = forms.CharField(label="办理时限", required=False, widget=_textarea(2))
    time_limit_workdays = forms.IntegerField(
        label="办理时限（工作日）",
        required=False,
        help_text="可计算的期限天数（工作日），如调查期限 60；没有则留空。",
        error_messages={"invalid": "请填写整数天数"},
    )
    review_days = forms.IntegerField(
        label="申请行政复议期限（日）",
        initial=rules.DEFAULT_REVIEW_DAYS,
        help_text="行政复议法 第二十条：六十日。",
        error_messages={"required": "请填写申请行政复议期限", "invalid": "请填写整数天数"},
    )
    litigation_months = forms.IntegerField(
        label="提起行政诉讼期限（月）",
        initial=rules.DEFAULT_LITIGATION_MONTHS,
        help_text="行政诉讼法 第四十六条：六个月。",
        error_messages={"required": "请填写提起行政诉讼期限", "invalid": "请填写整数月数"},
    )
    remedy_note = forms.CharField(label="救济途径", required=False, widget=_textarea(2))
    random_inspection = forms.BooleanField(label="列入双随机抽查事项清单", required=False)
    confidentiality_review = forms.BooleanField(label="公开前需保密审查", required=False)

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            self.fields["unit"].queryset = Unit.objects.filter(agency=agency, is_active=True)


class StatutoryForm(forms.Form):
    amount_nature = forms.ChoiceField(
        label="金额性质",
        required=False,
        choices=[("", "不涉及金额"), *AmountNature.choices],
        help_text="条例 第二十六条的加付赔偿金是行政处理，不是罚款。",
    )
    statutory_kind = forms.ChoiceField(
        label="法定幅度计算方式", choices=AmountKind.choices, initial=AmountKind.NONE
    )
    statutory_low = MoneyField(
        label="法定幅度下限", help_text="元；按倍数计算时填倍数，如 0.5 表示 50%。"
    )
    statutory_high = MoneyField(label="法定幅度上限")
    base_label = forms.CharField(
        label="计算基数",
        required=False,
        max_length=50,
        help_text="按倍数计算时必填，如“瞒报工资数额”“应付金额”。",
    )
    benchmark_status = forms.ChoiceField(
        label="裁量基准状态",
        required=False,
        choices=[("", "（无裁量基准）"), *BenchmarkStatus.choices],
    )
    benchmark_note = forms.CharField(label="裁量基准说明", required=False, widget=_textarea(2))


class BasisForm(forms.Form):
    kind = forms.ChoiceField(label="依据种类", choices=BasisKind.choices, initial=BasisKind.SETTING)
    law = forms.CharField(label="法律法规名称", required=False, max_length=100)
    article = forms.CharField(label="条款", required=False, max_length=100)
    text = forms.CharField(label="条文内容", required=False, widget=_textarea(2))

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any((data.get(k) or "").strip() for k in ("law", "article", "text"))


class TierForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices, widget=forms.HiddenInput)
    circumstances = forms.CharField(label="适用情形", required=False, widget=_textarea(3))
    sanction = forms.CharField(label="处罚（处理）内容", required=False, widget=_textarea(3))
    amount_kind = forms.ChoiceField(
        label="金额计算方式", choices=AmountKind.choices, initial=AmountKind.NONE
    )
    low = MoneyField(label="下限")
    high = MoneyField(label="上限")

    @property
    def level_label(self) -> str:
        value = self.initial.get("level") or self.data.get(self.add_prefix("level"))
        return rules.LEVEL_LABELS.get(value, "")

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            not (data.get("circumstances") or "").strip()
            and not (data.get("sanction") or "").strip()
            and data.get("low") is None
            and data.get("high") is None
        )


class FirstOffenceForm(forms.Form):
    conditions = forms.CharField(
        label="适用条件",
        required=False,
        widget=_textarea(3),
        help_text="留空表示本事项不列入首违不罚清单。",
    )
    max_affected_workers = forms.IntegerField(
        label="受侵害劳动者人数上限",
        required=False,
        help_text="如“不超过2人”填 2；不限人数则留空。",
        error_messages={"invalid": "请填写整数人数"},
    )
    legal_basis = forms.CharField(label="依据", required=False, widget=_textarea(2))
    measures = forms.MultipleChoiceField(
        label="配套措施",
        required=False,
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    measures_note = forms.CharField(label="措施说明", required=False, widget=_textarea(2))

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return (
            not (data.get("conditions") or "").strip()
            and not (data.get("legal_basis") or "").strip()
            and not data.get("measures")
            and data.get("max_affected_workers") is None
        )


BasisFormSet = formset_factory(BasisForm, extra=0, can_delete=True)
TierFormSet = formset_factory(TierForm, extra=0, max_num=len(Level.choices))

BLANK_BASIS_ROWS = 2

_META_FIELDS = {"effective_from", "change_note"}


def _labelled(label: str, message: str) -> str:
    """ "生效日期：…" unless the message already names the field ("生效日期不得早于…")."""
    if not label or message.startswith(label[:4]):
        return message
    return f"{label}：{message}"


class VersionEditor:
    """All the forms of one "new item" / "new version" page."""

    def __init__(
        self,
        data=None,
        *,
        agency,
        start: rules.VersionContent | None = None,
        effective_from: dt.date | None = None,
        change_note: str = "",
        with_code: bool = False,
    ):
        self.with_code = with_code
        self.section_errors: dict[str, list[str]] = {"bases": [], "tiers": [], "other": []}
        start = start or rules.VersionContent(name="", category="")
        self.code = CodeForm(data, prefix="item") if with_code else None
        self.meta = VersionMetaForm(
            data,
            prefix="meta",
            initial={"effective_from": effective_from, "change_note": change_note},
        )
        self.basics = BasicsForm(
            data,
            prefix="basics",
            agency=agency,
            initial={
                "name": start.name,
                "category": start.category,
                "unit": start.unit_id,
                "description": start.description,
                "time_limit_text": start.time_limit_text,
                "time_limit_workdays": start.time_limit_workdays,
                "review_days": start.review_days,
                "litigation_months": start.litigation_months,
                "remedy_note": start.remedy_note,
                "random_inspection": start.random_inspection,
                "confidentiality_review": start.confidentiality_review,
            },
        )
        self.statutory = StatutoryForm(
            data,
            prefix="statutory",
            initial={
                "amount_nature": start.amount_nature,
                "statutory_kind": start.statutory_kind,
                "statutory_low": start.statutory_low,
                "statutory_high": start.statutory_high,
                "base_label": start.base_label,
                "benchmark_status": start.benchmark_status,
                "benchmark_note": start.benchmark_note,
            },
        )
        basis_rows = [
            {"kind": b.kind, "law": b.law, "article": b.article, "text": b.text}
            for b in start.bases
        ]
        basis_rows += [{"kind": BasisKind.SETTING}] * BLANK_BASIS_ROWS
        self.bases = BasisFormSet(data, prefix="bases", initial=basis_rows)
        by_level = {t.level: t for t in start.tiers}
        tier_rows = []
        for level in rules.LEVEL_LABELS:
            t = by_level.get(level)
            tier_rows.append(
                {
                    "level": level,
                    "circumstances": t.circumstances if t else "",
                    "sanction": t.sanction if t else "",
                    "amount_kind": t.amount_kind if t else AmountKind.NONE,
                    "low": t.low if t else None,
                    "high": t.high if t else None,
                }
            )
        self.tiers = TierFormSet(data, prefix="tiers", initial=tier_rows)
        fo = start.first_offence
        self.first_offence = FirstOffenceForm(
            data,
            prefix="first_offence",
            initial={
                "conditions": fo.conditions if fo else "",
                "max_affected_workers": fo.max_affected_workers if fo else None,
                "legal_basis": fo.legal_basis if fo else "",
                "measures": list(fo.measures) if fo else [],
                "measures_note": fo.measures_note if fo else "",
            },
        )

    @property
    def forms(self) -> list:
        forms_ = [
            self.meta,
            self.basics,
            self.statutory,
            self.bases,
            self.tiers,
            self.first_offence,
        ]
        return ([self.code] if self.code else []) + forms_

    def is_valid(self) -> bool:
        ok = all([f.is_valid() for f in self.forms])  # a list: validate every form, show all errors
        # The level of each row is a hidden field: a missing or altered one means the page was
        # tampered with or is stale, which the user can only fix by reloading it.
        levels = [getattr(f, "cleaned_data", {}).get("level") for f in self.tiers.forms]
        if self.tiers.management_form.is_valid() and sorted(map(str, levels)) != sorted(
            rules.LEVEL_LABELS
        ):
            self.section_errors["tiers"].append("裁量档次表格数据不完整，请重新打开页面后填写")
            ok = False
        return ok

    @property
    def has_errors(self) -> bool:
        return any(f.errors for f in self.forms if hasattr(f, "errors")) or any(
            self.section_errors.values()
        )

    def error_summary(self) -> list[str]:
        """Every error on the page as "字段：原因", for the box at the top of a long form."""
        lines: list[str] = []
        for form in (self.code, self.basics, self.statutory, self.first_offence, self.meta):
            if form is None or not form.is_bound:
                continue
            for name, errors in form.errors.items():
                label = str(form.fields[name].label) if name in form.fields else ""
                lines += [_labelled(label, str(e)) for e in errors]
        for title, formset in (("法律依据", self.bases), ("裁量档次", self.tiers)):
            if not formset.is_bound:
                continue
            lines += [f"{title}：{e}" for e in formset.non_form_errors()]
            for i, form in enumerate(formset.forms, start=1):
                row = form.level_label if isinstance(form, TierForm) else f"第{i}行"
                for name, errors in form.errors.items():
                    label = form.fields[name].label if name in form.fields else ""
                    lines += [f"{title}（{row}）{label}：{e}" for e in errors]
        for key in ("bases", "tiers", "other"):
            lines += self.section_errors[key]
        return lines

    def content(self) -> rules.VersionContent:
        b = self.basics.cleaned_data
        s = self.statutory.cleaned_data
        bases = tuple(
            rules.BasisData(
                kind=f.cleaned_data["kind"],
                law=f.cleaned_data.get("law", ""),
                article=f.cleaned_data.get("article", ""),
                text=f.cleaned_data.get("text", ""),
            )
            for f in self.bases.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and not f.is_blank()
        )
        tiers = tuple(
            rules.TierData(
                level=f.cleaned_data["level"],
                circumstances=f.cleaned_data.get("circumstances", ""),
                sanction=f.cleaned_data.get("sanction", ""),
                amount_kind=f.cleaned_data.get("amount_kind") or rules.NONE,
                low=f.cleaned_data.get("low"),
                high=f.cleaned_data.get("high"),
            )
            for f in self.tiers.forms
            if not f.is_blank()
        )
        fo = self.first_offence.cleaned_data
        first_offence = None
        if not self.first_offence.is_blank():
            first_offence = rules.FirstOffenceData(
                conditions=fo.get("conditions", ""),
                legal_basis=fo.get("legal_basis", ""),
                measures=tuple(fo.get("measures") or ()),
                max_affected_workers=fo.get("max_affected_workers"),
                measures_note=fo.get("measures_note", ""),
            )
        unit = b.get("unit")
        return rules.VersionContent(
            name=b["name"],
            category=b["category"],
            unit_id=unit.pk if unit else None,
            description=b.get("description", ""),
            time_limit_text=b.get("time_limit_text", ""),
            time_limit_workdays=b.get("time_limit_workdays"),
            review_days=b["review_days"],
            litigation_months=b["litigation_months"],
            remedy_note=b.get("remedy_note", ""),
            random_inspection=b.get("random_inspection", False),
            confidentiality_review=b.get("confidentiality_review", False),
            amount_nature=s.get("amount_nature", ""),
            statutory_kind=s.get("statutory_kind") or rules.NONE,
            statutory_low=s.get("statutory_low"),
            statutory_high=s.get("statutory_high"),
            base_label=s.get("base_label", ""),
            benchmark_status=s.get("benchmark_status", ""),
            benchmark_note=s.get("benchmark_note", ""),
            bases=bases,
            tiers=tiers,
            first_offence=first_offence,
        )

    def add_problem(self, field: str | None, message: str) -> None:
        """Put a service's refusal next to the field (or section) it concerns."""
        for form in (self.code, self.meta, self.basics, self.statutory):
            if form is not None and field in form.fields:
                form.add_error(field, message)
                return
        if field == "first_offence":
            self.first_offence.add_error(None, message)
        elif field in ("bases", "tiers"):
            self.section_errors[field].append(message)
        else:
            self.section_errors["other"].append(message)

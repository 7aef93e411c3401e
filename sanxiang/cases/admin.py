"""Admin (zh-hans) for the case-handling reference data kept by the 系统管理员: per-agency
settings (较大数额 thresholds, defence period …) and document-number patterns. Saving goes
through the services, so the ledger records every change. Case data itself is handled on the
staff pages only (complainants' identity is confidential, 劳动保障监察条例 第九条)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from sanxiang.lib import docno

from . import numbering, services
from .models import CaseSettings, NumberPattern

SETTING_FIELDS = [
    "defence_workdays",
    "hearing_fine_natural_person",
    "hearing_fine_organisation",
    "simplified_fine_natural_person",
    "simplified_fine_organisation",
    "limitation_years",
]


class CaseSettingsForm(forms.ModelForm):
    class Meta:
        model = CaseSettings
        fields = ["agency", *SETTING_FIELDS, "basis_note"]

    def clean(self):
        data = super().clean()
        for name in ("defence_workdays", "limitation_years"):
            value = data.get(name)
            if value is not None and not 1 <= value <= 30:
                self.add_error(name, "应为1至30之间的整数")
        for name in SETTING_FIELDS:
            value = data.get(name)
            if hasattr(value, "is_finite") and value < 0:
                self.add_error(name, "不得为负数")
        return data


@admin.register(CaseSettings)
class CaseSettingsAdmin(admin.ModelAdmin):
    form = CaseSettingsForm
    list_display = ["agency", *SETTING_FIELDS, "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.case_settings_set(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            basis_note=form.cleaned_data.get("basis_note", ""),
            **{name: form.cleaned_data.get(name) for name in SETTING_FIELDS},
        )
        obj.pk = saved.pk


class NumberPatternForm(forms.ModelForm):
    class Meta:
        model = NumberPattern
        fields = ["agency", "doc_type", "pattern"]
        widgets = {"doc_type": forms.Select(choices=[])}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["doc_type"].widget.choices = [(t.code, t.label) for t in numbering.doc_types()]

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        problems = docno.pattern_problems(pattern)
        if problems:
            raise forms.ValidationError("；".join(problems))
        return pattern


@admin.register(NumberPattern)
class NumberPatternAdmin(admin.ModelAdmin):
    form = NumberPatternForm
    list_display = ["agency", "label", "pattern", "updated_at", "updated_by"]
    list_filter = ["agency"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = numbering.number_pattern_set(
            actor=request.user,
            agency=form.cleaned_data["agency"],
            doc_type=form.cleaned_data["doc_type"],
            pattern=form.cleaned_data["pattern"],
        )
        obj.pk = saved.pk

"""Admin of the recording rules (音像记录要求)."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from . import services
from .choices import Kind
from .models import RecordingRule


class RecordingRuleAdminForm(forms.ModelForm):
    kinds = forms.MultipleChoiceField(
        label="可满足要求的记录形式",
        choices=[c for c in Kind.choices if c[0] != Kind.DOCUMENT],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = RecordingRule
        fields = ["target", "mode", "kinds", "reason", "basis"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def clean(self):
        data = super().clean()
        if data.get("mode") != "off":
            if not data.get("kinds"):
                self.add_error("kinds", "请至少选择一种可满足要求的记录形式（照片、录音、录像）")
            if len((data.get("reason") or "").strip()) < 5:
                self.add_error("reason", "请填写提示语（未记录时显示给办案人员的原因）")
        return data


@admin.register(RecordingRule)
class RecordingRuleAdmin(admin.ModelAdmin):
    form = RecordingRuleAdminForm
    list_display = ["target", "mode", "kind_labels", "reason", "updated_by", "updated_at"]
    readonly_fields = ["updated_by", "updated_at"]

    @admin.display(description="记录形式")
    def kind_labels(self, obj):
        return obj.kind_labels

    def get_readonly_fields(self, request, obj=None):
        # The act a rule covers is fixed once the rule exists.
        return [*self.readonly_fields, "target"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.recording_rule_set(
            actor=request.user,
            target=obj.target,
            mode=form.cleaned_data["mode"],
            kinds=form.cleaned_data["kinds"],
            reason=form.cleaned_data["reason"],
            basis=form.cleaned_data.get("basis", ""),
        )
        obj.pk = saved.pk

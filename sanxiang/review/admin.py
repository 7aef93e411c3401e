"""Admin (zh-hans) for the review reference data kept by the 系统管理员: the 重大执法决定法制审核
目录 and the per-agency review settings. Saving goes through the services (ledger). Submissions
and reviews are shown read-only: a review is concluded only by the reviewer's own act on the
staff pages (``services.review_conclude``); no admin form can mark one passed."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from sanxiang.cases.choices import PenaltyType
from sanxiang.lib.errors import DomainError

from . import services
from .models import CatalogueEntry, Review, ReviewPoint, ReviewSettings, Submission


class CatalogueEntryForm(forms.ModelForm):
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        choices=PenaltyType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CatalogueEntry
        fields = [
            "agency",
            "kind",
            "title",
            "description",
            "basis",
            "item",
            "threshold",
            "party_scope",
            "penalty_types",
            "effective_from",
        ]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(admin.ModelAdmin):
    form = CatalogueEntryForm
    list_display = ["title", "kind", "agency", "effective_from", "ended_on"]
    list_filter = ["agency", "kind"]

    def get_readonly_fields(self, request, obj=None):
        # An entry in force is never edited: end it and add a new one (the ledger keeps both).
        if obj is not None:
            return [f.name for f in CatalogueEntry._meta.fields]
        return []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            raise PermissionDenied("审核目录条目不能修改，请停止适用后另行增加")
        data = form.cleaned_data
        try:
            saved = services.catalogue_entry_add(
                actor=request.user,
                agency=data["agency"],
                kind=data["kind"],
                title=data["title"],
                effective_from=data["effective_from"],
                description=data.get("description", ""),
                basis=data.get("basis", ""),
                item=data.get("item"),
                threshold=data.get("threshold"),
                party_scope=data.get("party_scope"),
                penalty_types=data.get("penalty_types") or [],
            )
        except DomainError as exc:
            raise PermissionDenied(exc.message) from None
        obj.pk = saved.pk


class ReviewSettingsForm(forms.ModelForm):
    class Meta:
        model = ReviewSettings
        fields = [
            "agency",
            "review_workdays",
            "extension_workdays",
            "complex_needs_review",
            "basis_note",
        ]

    def clean(self):
        data = super().clean()
        days = data.get("review_workdays")
        if days is not None and not 1 <= days <= 30:
            self.add_error("review_workdays", "应为1至30之间的整数")
        ext = data.get("extension_workdays")
        if ext is not None and ext > 30:
            self.add_error("extension_workdays", "不得超过30个工作日")
        return data


@admin.register(ReviewSettings)
class ReviewSettingsAdmin(admin.ModelAdmin):
    form = ReviewSettingsForm
    list_display = [
        "agency",
        "review_workdays",
        "extension_workdays",
        "complex_needs_review",
        "updated_at",
        "updated_by",
    ]
    readonly_fields = ["updated_at", "updated_by"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = services.review_settings_set(
            actor=request.user,
            agency=data["agency"],
            review_workdays=data["review_workdays"],
            extension_workdays=data["extension_workdays"],
            complex_needs_review=data["complex_needs_review"],
            basis_note=data.get("basis_note", ""),
        )
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written: no add, change or delete for anyone, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewPointInline(admin.TabularInline):
    model = ReviewPoint
    extra = 0
    can_delete = False
    fields = ["point", "result", "comment"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["case", "round", "status", "submitted_by", "submitted_on", "due_on"]
    list_filter = ["status"]
    exclude = ["manifest"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ["submission", "reviewer", "opinion", "concluded_on"]
    list_filter = ["opinion"]
    inlines = [ReviewPointInline]

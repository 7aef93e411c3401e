"""Admin (zh-hans). Agencies and units are edited here, through the services so the ledger
records every change; the other registers are kept on the staff pages (/registry/...) and are
shown here read-only. Nothing in the registry is ever deleted."""

from __future__ import annotations

from django import forms
from django.contrib import admin

from sanxiang.lib.errors import DomainError

from . import services
from .models import (
    Agency,
    Certificate,
    LegalQualification,
    Officer,
    RecordingDevice,
    ReviewerDesignation,
    Training,
    Unit,
)


class ServiceValidatedForm(forms.ModelForm):
    """Runs the service's own validation in ``clean`` so errors appear on the admin form and
    ``save_model`` (which calls the service) does not fail half-way."""

    def service_clean(self, data: dict) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                self.service_clean(data)
            except DomainError as exc:
                field = exc.field if exc.field in self.fields else None
                self.add_error(field, exc.message)
        return data


class AgencyForm(ServiceValidatedForm):
    class Meta:
        model = Agency
        fields = [
            "name",
            "short_name",
            "uscc",
            "legal_basis",
            "jurisdiction",
            "division_code",
            "address",
            "phone",
            "is_active",
        ]

    def service_clean(self, data):
        services.agency_clean(data=data, instance=self.instance if self.instance.pk else None)


class UnitForm(ServiceValidatedForm):
    class Meta:
        model = Unit
        fields = ["agency", "name", "kind", "duties", "is_active"]

    def service_clean(self, data):
        agency = data.get("agency") if not self.instance.pk else self.instance.agency
        if agency is not None:
            services.unit_clean(
                data=data, agency=agency, instance=self.instance if self.instance.pk else None
            )


class NoDeleteAdmin(admin.ModelAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(NoDeleteAdmin):
    form = AgencyForm
    list_display = ["name", "short_name", "uscc", "jurisdiction", "is_active"]
    search_fields = ["name", "uscc"]

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.agency_update(actor=request.user, agency=obj, data=data)
        else:
            created = services.agency_create(actor=request.user, data=data)
            obj.pk = created.pk
            obj._state.adding = False


@admin.register(Unit)
class UnitAdmin(NoDeleteAdmin):
    form = UnitForm
    list_display = ["name", "agency", "kind", "is_active"]
    list_filter = ["agency", "kind", "is_active"]
    search_fields = ["name"]

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            services.unit_update(actor=request.user, unit=obj, data=data)
        else:
            created = services.unit_create(actor=request.user, agency=data["agency"], data=data)
            obj.pk = created.pk
            obj._state.adding = False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown for reference; changes are made on the staff pages, through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Officer)
class OfficerAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "agency", "post", "is_active", "left_on"]
    list_filter = ["agency", "is_active"]
    search_fields = ["user__real_name", "user__username", "post"]
    list_select_related = ["user", "agency"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "officer", "valid_from", "valid_until", "ended", "ended_on"]
    list_filter = ["kind", "ended"]
    search_fields = ["number", "officer__user__real_name"]
    list_select_related = ["officer__user"]


@admin.register(LegalQualification)
class LegalQualificationAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder", "granted_on", "withdrawn_on"]
    search_fields = ["number", "holder__real_name"]
    list_select_related = ["holder"]


@admin.register(ReviewerDesignation)
class ReviewerDesignationAdmin(ReadOnlyAdmin):
    list_display = ["user", "agency", "kind", "designated_on", "ended_on", "prior_penalty_review"]
    list_filter = ["agency", "kind"]
    list_select_related = ["user", "agency"]


@admin.register(Training)
class TrainingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "title", "topic", "hours", "agency"]
    list_filter = ["topic", "agency"]
    date_hierarchy = "held_on"


@admin.register(RecordingDevice)
class RecordingDeviceAdmin(ReadOnlyAdmin):
    list_display = ["asset_no", "kind", "model_name", "status", "agency"]
    list_filter = ["kind", "status", "agency"]
    search_fields = ["asset_no", "serial_no", "model_name"]

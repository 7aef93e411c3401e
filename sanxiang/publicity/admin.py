from django.contrib import admin

from .models import PublicitySettings


@admin.register(PublicitySettings)
class PublicitySettingsAdmin(admin.ModelAdmin):
    """Read-only here: changes go through the 公示规则 page (a service that records them)."""

    list_display = ["agency", "withhold_warning_only", "default_min_months", "default_max_months"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

"""Admin: read-only view of the scoring standards for the 系统管理员. Standards are data loaded
by migrations (standards.standard_load), one new version per change, so that evaluations keep
the version they were scored under (docs/evaluation.md)."""

from __future__ import annotations

from django.contrib import admin

from .models import Item, Standard, VetoItem


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnlyMixin, admin.TabularInline):
    model = Item
    fields = ["section", "code", "text", "points", "hint"]
    readonly_fields = fields
    extra = 0
    ordering = ["section__position", "position"]


class VetoInline(ReadOnlyMixin, admin.TabularInline):
    model = VetoItem
    fields = ["code", "text"]
    readonly_fields = fields
    extra = 0


@admin.register(Standard)
class StandardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "version", "effective_from", "full_points"]
    readonly_fields = ["name", "version", "effective_from", "full_points", "note", "created_at"]
    inlines = [VetoInline, ItemInline]

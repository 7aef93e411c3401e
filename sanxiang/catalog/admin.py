"""Admin: read-only. Items and versions are written only by the services (pages 新增执法事项 /
新增版本), so that every change is a new version with a ledger event."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from .models import DiscretionTier, FirstOffenceRule, Item, ItemVersion, LegalBasis


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VersionInline(ReadOnlyMixin, admin.TabularInline):
    model = ItemVersion
    fields = ["number", "effective_from", "name", "category", "change_note", "created_by"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    ordering = ["-number"]


@admin.register(Item)
class ItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["code", "agency", "created_at", "page_link"]
    list_filter = ["agency"]
    search_fields = ["code", "versions__name"]
    readonly_fields = ["agency", "code", "created_at", "page_link"]
    inlines = [VersionInline]

    @admin.display(description="维护")
    def page_link(self, obj):
        url = reverse("catalog:item_detail", args=[obj.pk])
        return format_html('<a href="{}">在执法事项页面查看或新增版本</a>', url)


class BasisInline(ReadOnlyMixin, admin.TabularInline):
    model = LegalBasis
    fields = ["position", "kind", "law", "article", "text"]
    readonly_fields = fields
    extra = 0


class TierInline(ReadOnlyMixin, admin.TabularInline):
    model = DiscretionTier
    fields = ["level", "circumstances", "sanction", "amount_kind", "low", "high"]
    readonly_fields = fields
    extra = 0


class FirstOffenceInline(ReadOnlyMixin, admin.StackedInline):
    model = FirstOffenceRule
    fields = ["conditions", "max_affected_workers", "legal_basis", "measures", "measures_note"]
    readonly_fields = fields
    extra = 0


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["item", "number", "name", "category", "effective_from", "created_by"]
    list_filter = ["category", "random_inspection", "benchmark_status"]
    search_fields = ["item__code", "name"]
    list_select_related = ["item", "created_by"]
    inlines = [BasisInline, TierInline, FirstOffenceInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

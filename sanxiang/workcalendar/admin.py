"""Read-only admin (zh-hans): the calendar is written only through the staff pages' services."""

from __future__ import annotations

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from .models import WorkCalendarDay, WorkCalendarYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkCalendarYear)
class WorkCalendarYearAdmin(ReadOnlyAdmin):
    list_display = [
        "year",
        "complete",
        "notice_title",
        "notice_number",
        "source",
        "confirmed_at",
        "page",
    ]
    list_filter = ["complete", "source"]
    search_fields = ["year", "notice_title", "notice_number"]

    @admin.display(description="录入与更正")
    def page(self, obj):
        try:
            url = reverse("workcalendar:year_detail", args=[obj.year])
        except NoReverseMatch:
            return "—"
        return format_html('<a href="{}">在工作日历页面查看、确认或更正</a>', url)


@admin.register(WorkCalendarDay)
class WorkCalendarDayAdmin(ReadOnlyAdmin):
    list_display = ["day", "kind", "name", "source", "entered_by", "entered_at"]
    list_filter = ["kind", "name"]
    date_hierarchy = "day"
    search_fields = ["name", "source"]

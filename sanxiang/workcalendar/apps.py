from django.apps import AppConfig


class WorkCalendarConfig(AppConfig):
    name = "sanxiang.workcalendar"
    verbose_name = "工作日历"
    role_permissions: dict = {}
    nav_items: list = []

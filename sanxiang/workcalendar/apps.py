from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_workcalendaryear", "view_workcalendarday"]


class WorkCalendarConfig(AppConfig):
    name = "sanxiang.workcalendar"
    verbose_name = "工作日历"
    # Entering the State Council notice is reference-data maintenance, the system
    # administrator's duty (roles.DESCRIPTIONS). The 法制审核员 may read but not change it: the
    # calendar moves the deadlines of the cases they review, and one accountable role keeps the
    # 三权分立 split simple. Every role may look at the calendar its deadlines come from.
    role_permissions = {
        role: (["manage_workcalendar", *_VIEW] if role == roles.SYSTEM_ADMIN else _VIEW)
        for role in roles.ALL
    }
    nav_items = [
        ("工作日历", "workcalendar:year_list", "workcalendar.view_workcalendaryear", "基础数据"),
    ]
    todo_providers = ["sanxiang.workcalendar.selectors.todo_items_for"]
    ledger_event_labels = {
        "workcalendar.year_saved": "保存年度工作日历",
        "workcalendar.year_confirmed": "确认年度工作日历",
        "workcalendar.year_corrected": "更正年度工作日历",
        "workcalendar.year_discarded": "放弃年度工作日历草稿",
    }

    def ready(self):
        from django.core import checks
        from django.core.signals import request_finished, request_started

        from . import checks as calendar_checks
        from . import selectors

        # Tagged "database": run by `manage.py check --database default` and by `migrate`,
        # not by runserver or other commands, so a missing year never stops the server that
        # the administrator needs to enter it (see docs/workdays.md).
        checks.register(calendar_checks.check_calendar_years, checks.Tags.database)
        # Cache bookkeeping only (no business logic): each request checks the calendar version
        # once, at its first deadline computation.
        request_started.connect(selectors.begin_request_scope, dispatch_uid="workcalendar.scope")
        request_finished.connect(selectors.end_request_scope, dispatch_uid="workcalendar.unscope")

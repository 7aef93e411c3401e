from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """The staff home page (我的待办) that gathers open steps from every app."""

    name = "sanxiang.workbench"
    verbose_name = "工作台"
    nav_items = [("我的待办", "workbench:home", None, "工作台")]

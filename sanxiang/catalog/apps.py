from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "sanxiang.catalog"
    verbose_name = "执法事项清单"
    role_permissions: dict = {}
    nav_items: list = []

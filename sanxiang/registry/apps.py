from django.apps import AppConfig

from sanxiang.accounts import roles


class RegistryConfig(AppConfig):
    name = "sanxiang.registry"
    verbose_name = "执法主体与人员"
    role_permissions = {
        roles.SYSTEM_ADMIN: [
            "view_agency", "add_agency", "change_agency",
            "view_unit", "add_unit", "change_unit",
        ],
    }
    nav_items: list = []

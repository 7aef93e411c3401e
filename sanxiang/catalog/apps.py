from django.apps import AppConfig

from sanxiang.accounts import roles


class CatalogConfig(AppConfig):
    name = "sanxiang.catalog"
    verbose_name = "执法事项清单"
    # Anyone logged in reads the catalogue (pages need only a login); the system administrator
    # maintains it (等保 三权分立: reference data belongs to the system administrator).
    role_permissions = {
        roles.SYSTEM_ADMIN: ["manage_catalog", "view_item", "view_itemversion"],
    }
    nav_items = [
        # (label, url name, required permission or None, group)
        ("执法事项清单", "catalog:item_list", None, "基础数据"),
        ("首违不罚清单", "catalog:first_offence_list", None, "基础数据"),
    ]
    ledger_event_labels = {
        "catalog.item_created": "新增执法事项",
        "catalog.item_version_added": "发布执法事项新版本",
    }

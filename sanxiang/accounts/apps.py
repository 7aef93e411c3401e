from django.apps import AppConfig
from django.db.models.signals import post_migrate

from . import roles


class AccountsConfig(AppConfig):
    name = "sanxiang.accounts"
    verbose_name = "账号与角色"
    role_permissions = {
        roles.SECURITY_ADMIN: [
            "manage_accounts",
            "view_user",
            "add_user",
            "change_user",
            "auth.view_group",
            "auth.view_permission",
        ],
    }
    nav_items = [
        # (label, url name, required permission or None, group)
        ("账号管理", "admin:accounts_user_changelist", "accounts.manage_accounts", "管理"),
    ]

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)

        # Creating groups after migrate is set-up, not business logic: it makes the declared
        # role permissions exist in every database, including the test databases.
        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="sanxiang.sync_roles")


def _sync_roles_after_migrate(sender, app_config=None, using="default", **kwargs):
    from django.apps import apps

    # post_migrate is sent once per app that has models; run once, after the last of them.
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from .services import roles_sync

    roles_sync(using=using)

from django.apps import AppConfig
from django.db.models.signals import post_migrate

from sanxiang.accounts import roles  # role names only: a constants module, no models


class LedgerConfig(AppConfig):
    name = "sanxiang.ledger"
    verbose_name = "执法记录账本"
    # 等保 2.0 三级 "三权分立": only the audit administrator reads the audit log; the pair
    # (accounts.manage_accounts, ledger.view_audit_log) is in roles.SEPARATED_PERMISSIONS.
    role_permissions = {roles.AUDIT_ADMIN: ["view_audit_log"]}
    nav_items = [("审计日志", "ledger:audit_log", "ledger.view_audit_log", "管理")]
    # Periodic work run by `manage.py run_sweeps` (each is called with the current time).
    sweeps = ["sanxiang.ledger.sweeps.checkpoint_sweep"]
    # Chinese labels of the event types this app records (see sanxiang.ledger.labels).
    ledger_event_labels = {
        "security.login": "登录",
        "security.logout": "退出登录",
        "security.permission_denied": "拒绝访问",
        "security.password_changed": "修改密码",
        "security.id_number_viewed": "查看完整身份证号码",
        "security.evidence_downloaded": "下载证据文件",
        "security.exported": "导出数据",
        "security.audit_exported": "导出审计日志",
        "account.roles_set": "设置角色",
    }

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)

        # Set-up, not business logic: the head row must exist in every database, including
        # test databases that `flush` emptied (flush sends post_migrate afterwards).
        post_migrate.connect(_ensure_head, sender=self, dispatch_uid="sanxiang.ledger.head")


def _ensure_head(sender, using="default", apps=None, **kwargs):
    from django.apps import apps as global_apps

    head = (apps or global_apps).get_model("ledger", "Head")
    head.objects.using(using).get_or_create(pk=1)

from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_publication", "view_publicationversion", "view_creditrepair"]


class PublicityConfig(AppConfig):
    name = "sanxiang.publicity"
    verbose_name = "行政执法公示"
    # 谁执法谁公示: officers collect and correct the masked text of their cases; the 公示管理员
    # reviews and publishes (never their own drafts), withdraws, decides not to publish, handles
    # credit repair and exports. A revoked or changed decision is recorded on its case
    # (cases.record_decision_change: the legal-review staff and the heads).
    role_permissions = {
        roles.OFFICER: _VIEW + ["draft_publication"],
        roles.UNIT_HEAD: _VIEW,
        roles.BUREAU_HEAD: _VIEW + ["handle_credit_repair"],
        roles.REVIEWER: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW
        + [
            "draft_publication",
            "approve_publication",
            "withdraw_publication",
            "handle_credit_repair",
            "export_publicity",
        ],
        roles.SYSTEM_ADMIN: ["configure_publicity", "view_publicitysettings"],
    }
    nav_items = [
        ("公示信息", "publicity:list", "publicity.view_publication", "公示"),
        ("统计年报", "publicity:report", "publicity.approve_publication", "公示"),
        ("双公示导出", "publicity:export", "publicity.export_publicity", "公示"),
        ("公示规则", "publicity:settings", "publicity.configure_publicity", "公示"),
    ]
    todo_providers = ["sanxiang.publicity.selectors.todo_items_for"]
    sweeps = [
        "sanxiang.publicity.sweeps.collect_sweep",
        "sanxiang.publicity.sweeps.period_end_sweep",
        "sanxiang.publicity.sweeps.portal_snapshot_sweep",
    ]
    # ARCHITECTURE.md §3: a higher app reacts to a lower app's ledger events (ledger.subscribe,
    # after commit); collect_sweep is the safety net for a handler that failed.
    ledger_subscriptions = {
        "case.decide": "sanxiang.publicity.handlers.on_case_decided",
        "case.decide_on_spot": "sanxiang.publicity.handlers.on_case_decided",
        "case.decision_changed": "sanxiang.publicity.handlers.on_decision_changed",
    }
    ledger_event_labels = {
        "publicity.collected": "采集公示信息（自动脱敏）",
        "publicity.revised": "修改公示信息",
        "publicity.published": "公开执法决定信息",
        "publicity.corrected": "更正公示信息",
        "publicity.withheld": "决定不予公开",
        "publicity.decision_changed": "登记执法决定被撤销、确认违法、变更或重新作出",
        "publicity.withdrawn": "撤下公示信息",
        "publicity.repair_applied": "受理信用修复申请",
        "publicity.repair_decided": "信用修复决定",
        "publicity.period_ended": "公示期满",
        "publicity.settings_set": "设置公示规则",
        "publicity.report_published": "发布行政执法统计年报",
        "publicity.page_versioned": "事前公开内容更新（留存历史版本）",
    }

    def ready(self):
        from sanxiang.records.casedocs import builders

        from . import checks  # noqa: F401  (registers the system checks)
        from .handlers import subscribe
        from .selectors import decision_publication_notice

        subscribe()
        # ARCHITECTURE.md §3 guard slot: the penalty decision tells the party whether and where
        # it will be published (行政处罚法 第四十八条), as this app's rules decide.
        builders.set_publication_notice(decision_publication_notice)

from django.apps import AppConfig

from sanxiang.accounts import roles

_READ = ["view_standard", "view_sample", "view_evaluation", "view_results"]


class EvaluationConfig(AppConfig):
    name = "sanxiang.evaluation"
    verbose_name = "案卷评查"
    # 案卷评查 (DOMAIN.md §7.1, §12 items 74–75): the 法制审核员 and the 局负责人 draw closed files
    # and score them — never a file of a case they worked on (services.evaluation_start). The
    # 承办机构负责人 reads the results of his officers.
    role_permissions = {
        roles.REVIEWER: _READ + ["draw_sample", "evaluate_casefile"],
        roles.BUREAU_HEAD: _READ + ["draw_sample", "evaluate_casefile"],
        roles.UNIT_HEAD: _READ,
        # reads the standards in the admin site (read-only there; see admin.py)
        roles.SYSTEM_ADMIN: ["view_standard", "view_item", "view_vetoitem"],
    }
    nav_items = [
        ("案卷评查", "evaluation:home", "evaluation.view_evaluation", "档案"),
    ]
    ledger_event_labels = {
        "evaluation.sample_drawn": "随机抽取评查案卷",
        "evaluation.started": "开始案卷评查",
        "evaluation.scored": "保存案卷评查评分",
        "evaluation.finalised": "完成案卷评查",
    }

from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_plan", "view_target", "view_task"]


class InspectionsConfig(AppConfig):
    name = "sanxiang.inspections"
    verbose_name = "双随机抽查"
    # 双随机、一公开 (DOMAIN.md §6): the 监察大队 head keeps the target pool and runs plans and
    # draws; drawn officers record results; the publicity administrator publishes them
    # ("谁检查、谁录入、谁公开" — the publication is a separate, reviewed step).
    role_permissions = {
        roles.UNIT_HEAD: _VIEW + ["manage_targets", "manage_plans", "record_result"],
        roles.OFFICER: _VIEW + ["record_result"],
        roles.BUREAU_HEAD: _VIEW,
        roles.REVIEWER: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW + ["publish_result"],
    }
    nav_items = [
        ("抽查事项清单", "inspections:item_list", "inspections.view_plan", "检查"),
        ("检查对象名录", "inspections:target_list", "inspections.view_target", "检查"),
        ("抽查计划", "inspections:plan_list", "inspections.view_plan", "检查"),
        ("检查任务", "inspections:task_list", "inspections.view_task", "检查"),
    ]
    todo_providers = ["sanxiang.inspections.selectors.todo_items_for"]
    ledger_event_labels = {
        "inspection.targets_imported": "导入检查对象名录",
        "inspection.target_updated": "修改检查对象",
        "inspection.plan_created": "制定抽查计划",
        "inspection.plan_updated": "修改抽查计划",
        "inspection.plan_published": "公布抽查计划",
        "inspection.seed_restated": "重新约定随机种子",
        "inspection.pools_frozen": "冻结检查对象库和执法检查人员库",
        "inspection.conflict_declared": "申报利益冲突（回避）",
        "inspection.seed_fixed": "确定随机种子",
        "inspection.draw_executed": "执行随机抽取",
        "inspection.redrawn": "回避后重新抽取",
        "inspection.result_recorded": "登记检查结果",
        "inspection.result_published": "公开检查结果",
        "inspection.onsite_recorded": "制作现场检查笔录",
    }

    def ready(self):
        # Evidence of a task's on-site inspection is held by the task; the records app (a lower
        # floor) learns about tasks only through this slot (ARCHITECTURE.md §3).
        from sanxiang.records.evidence import holders

        from .services import onsite

        holders.register_holder(
            "inspections.task",
            holders.Holder(
                name="检查任务",
                agency_id=lambda task: task.plan.agency_id,
                upload_problems=onsite.onsite_problems,
                recorders=onsite.task_recorders,
                url=onsite.task_url,
            ),
        )
        holders.register_case_link(onsite.tasks_of_case)

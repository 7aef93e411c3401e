from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = ["view_submission", "view_review", "view_catalogueentry"]


class ReviewConfig(AppConfig):
    name = "sanxiang.review"
    verbose_name = "法制审核"
    # 实施方案 三（三）1: 劳动监察和信访仲裁股 (法制审核员) reviews, the bureau's 法律顾问 takes part
    # (and gives advisory opinions); officers submit their cases; heads see the record and the
    # figures. Reviewers make the 法制审核意见书 and anyone who may see the accountability record
    # may export it, so those roles also make documents (records.add_generateddocument).
    role_permissions = {
        roles.OFFICER: _VIEW + ["submit_for_review", "view_accountability"],
        roles.UNIT_HEAD: _VIEW
        + ["view_review_figures", "view_accountability", "records.add_generateddocument"],
        roles.BUREAU_HEAD: _VIEW
        + ["view_review_figures", "view_accountability", "records.add_generateddocument"],
        roles.REVIEWER: _VIEW
        + [
            "conclude_review",
            "give_expert_opinion",
            "view_review_figures",
            "view_accountability",
            "records.add_generateddocument",
        ],
        roles.LEGAL_ADVISER: _VIEW
        + [
            "conclude_review",
            "give_expert_opinion",
            "view_accountability",
            "records.add_generateddocument",
        ],
        roles.ARCHIVIST: _VIEW + ["view_accountability"],
        roles.SYSTEM_ADMIN: [
            "manage_catalogue",
            "view_catalogueentry",
            "add_catalogueentry",
            "change_catalogueentry",
            "view_reviewsettings",
            "add_reviewsettings",
            "change_reviewsettings",
        ],
    }
    nav_items = [
        ("审核队列", "review:queue", "review.conclude_review", "审核"),
        ("送审记录", "review:submission_list", "review.view_submission", "审核"),
        ("审核统计", "review:figures", "review.view_review_figures", "审核"),
        ("审核目录", "review:catalogue", "review.view_catalogueentry", "审核"),
    ]
    todo_providers = ["sanxiang.review.selectors.todo_items_for"]
    ledger_event_labels = {
        "review.submitted": "送法制审核",
        "review.withdrawn": "撤回送审",
        "review.concluded": "作出法制审核意见",
        "review.extended": "延长法制审核期限",
        "review.expert_requested": "征求专家咨询意见",
        "review.expert_answered": "登记专家咨询意见",
        "review.dispute_raised": "对审核意见提出异议",
        "review.dispute_resolved": "异议经集体讨论",
        "review.catalogue_entry_added": "增加法制审核目录条目",
        "review.catalogue_entry_ended": "停止适用法制审核目录条目",
        "review.settings_set": "设置法制审核参数",
    }

    def ready(self):
        from sanxiang.cases import gates
        from sanxiang.records.documents.types import (  # noqa: F401  (registers the 法审字 series)
            legal_review_opinion,
        )

        from . import selectors

        # ARCHITECTURE.md §3 guard slots: the decision transition asks review_gate(case); the
        # proposal service asks the catalogue whether a proposal makes the case major.
        gates.set_review_gate(selectors.review_gate)
        gates.register_major_criterion(selectors.major_criterion)
        gates.register_case_panel(
            key="legal_review",
            template="review/_case_panel.html",
            context=lambda case, *, user, today: {
                "review_status": selectors.review_status_for_case(case, user=user)
            },
            order=10,
        )

from django.apps import AppConfig

from sanxiang.accounts import roles

_VIEW = [
    "view_case",
    "view_party",
    "view_casecause",
    "view_assignment",
    "view_deadline",
    "view_decision",
]


class CasesConfig(AppConfig):
    name = "sanxiang.cases"
    verbose_name = "案件办理"
    # Who may do what (the transition table names the permission of each action; services check
    # them). Approvals the law gives to the 行政机关负责人 — 先行登记保存 (行政处罚法 第五十六条),
    # 回避 (第四十三条), extending the investigation (劳动保障监察条例 第十七条: 劳动保障行政部门
    # 负责人) and the decision clock, deferral and instalments (第六十六条) — belong to the 局负责人;
    # the 承办机构负责人 approves filing, assigns officers and closes cases.
    role_permissions = {
        roles.OFFICER: _VIEW + ["register_case", "handle_case"],
        # 登记复议、诉讼或自行纠正的结果 (record_decision_change): the unit that handled the
        # case, the agency's head and its legal unit, which answers 复议 and 诉讼.
        roles.UNIT_HEAD: _VIEW
        + [
            "register_case",
            "file_case",
            "assign_case",
            "close_case",
            "flag_case",
            "record_decision_change",
        ],
        roles.BUREAU_HEAD: _VIEW
        + [
            "decide_case",
            "discuss_case",
            "approve_as_agency_head",
            "flag_case",
            "record_decision_change",
        ],
        roles.REVIEWER: _VIEW + ["flag_case", "record_decision_change"],
        roles.LEGAL_ADVISER: _VIEW,
        roles.PUBLICITY_ADMIN: _VIEW,
        roles.ARCHIVIST: _VIEW,
        roles.SYSTEM_ADMIN: [
            "configure_cases",
            "view_numberpattern",
            "add_numberpattern",
            "change_numberpattern",
            "view_casesettings",
            "add_casesettings",
            "change_casesettings",
        ],
    }
    nav_items = [
        # (label, url name, required permission or None, group)
        ("案件", "cases:case_list", "cases.view_case", "办案"),
        ("待受理线索", "cases:lead_list", "cases.view_case", "办案"),
        ("登记投诉举报", "cases:case_new", "cases.register_case", "办案"),
    ]
    todo_providers = ["sanxiang.cases.selectors.todo_items_for"]
    # Periodic work for `manage.py run_sweeps`: recompute clocks whose due date was unknown once
    # the missing year's holiday notice has been entered (correctness does not depend on it:
    # the clock shows 期限待定 and its reason until then).
    sweeps = ["sanxiang.cases.sweeps.refresh_unknown_deadlines"]
    ledger_event_labels = {
        "case.decision_changed": "执法决定被撤销、确认违法、变更或重新作出",
        "case.registered": "登记投诉举报（线索）",
        "case.intake_updated": "修改登记信息",
        "case.complainant_added": "登记投诉人、举报人",
        "case.party_added": "登记当事人",
        "case.cause_added": "选择案由",
        "case.cause_removed": "删除案由",
        "case.officer_assigned": "指派办案人员",
        "case.officer_released": "调出办案人员",
        "case.recusal_filed": "提出回避",
        "case.recusal_decided": "回避决定",
        "case.flagged": "标记重大、复杂案件",
        "case.unflagged": "撤销重大、复杂案件标记",
        "case.record_added": "制作调查笔录",
        "case.record_signed": "笔录签名",
        "case.preservation_requested": "申请先行登记保存",
        "case.preservation_approved": "批准先行登记保存",
        "case.preservation_refused": "不予批准先行登记保存",
        "case.preservation_decided": "先行登记保存处理决定",
        "case.correction_ordered": "责令改正",
        "case.correction_checked": "复查改正情况",
        "case.investigation_extended": "延长调查期限",
        "case.proposal_made": "提出拟处理意见",
        "case.defence_recorded": "登记陈述申辩",
        "case.defence_rechecked": "复核陈述申辩",
        "case.rights_waived": "当事人放弃陈述申辩或听证",
        "case.hearing_scheduled": "安排听证",
        "case.hearing_recorded": "录入听证笔录和报告",
        "case.hearing_forgone": "听证终止（放弃、撤回或缺席）",
        "case.discussion_recorded": "集体讨论",
        "case.decision_extended": "延长作出决定的期限",
        "case.decision_clock_paused": "作出决定的期限中止（鉴定、审计、公告）",
        "case.decision_clock_resumed": "作出决定的期限恢复计算",
        "case.service_consent_recorded": "登记电子送达确认书",
        "case.payment_recorded": "登记缴款",
        "case.payment_plan_applied": "申请暂缓或分期缴纳",
        "case.payment_plan_decided": "审批暂缓或分期缴纳",
        "case.court_applied": "申请人民法院强制执行",
        "case.court_updated": "强制执行进展",
        "case.file": "受理并立案",
        "case.request_supplement": "告知补正材料",
        "case.supplement_received": "收到补正材料",
        "case.decline": "不予受理（不予立案）",
        "case.conclude": "调查终结",
        "case.reopen": "补充调查",
        "case.notify": "事先告知",
        "case.request_hearing": "当事人申请听证",
        "case.end_hearing": "听证结束",
        "case.submit": "提请决定",
        "case.decide": "作出决定",
        "case.serve": "送达决定书",
        "case.remind": "催告履行",
        "case.close": "结案",
        "case.transfer": "移送管辖",
        "case.decide_on_spot": "当场处罚（简易程序）",
        "cases.number_pattern_set": "设置文号格式",
        "cases.settings_set": "设置办案参数",
        "cases.deadlines_refreshed": "重新计算期限",
        "security.complainant_revealed": "查看投诉人、举报人身份",
        "security.complainant_reveal_denied": "查看投诉人、举报人身份（被拒绝）",
        "security.id_number_viewed": "查看完整身份证号码",
    }

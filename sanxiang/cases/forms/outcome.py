"""From the proposed outcome to the decision: proposals, defences, waivers, hearings,
collective discussions, the decision clock."""

from __future__ import annotations

from django import forms

from sanxiang.catalog.models import Level

from .. import selectors
from ..choices import (
    DefenceForm as DefenceKind,
)
from ..choices import (
    DiscussionConclusion,
    HearingOutcome,
    NoPenaltyGround,
    OutcomeKind,
    PenaltyType,
    RecheckResult,
)
from ..models import Assignment, CollectiveDiscussion
from ..services.outcome import EXCLUDED_PERIODS
from .base import (
    CaseForm,
    UserChoiceField,
    choice_field,
    count_field,
    date_field,
    datetime_field,
    long_text,
    money_field,
    text_field,
    yes_no,
)
from .intake import VersionChoiceField

PROPOSAL_COPY = [
    "kind",
    "tier_level",
    "penalty_types",
    "fine_amount",
    "confiscation_amount",
    "compensation_amount",
    "payment_order",
    "affected_workers",
    "base_amount",
    "outside_range_reason",
    "no_penalty_ground",
    "is_first_offence",
    "harm_minor",
    "education_record",
    "transfer_to",
    "transfer_reason",
    "facts_found",
    "evidence_summary",
    "legal_basis",
    "discretion_reason",
]


class ProposalForm(CaseForm):
    """提出（修改）拟处理意见 — 调查终结报告 (services.proposal_make). A revision starts from
    the current proposal; every revision is kept."""

    kind = choice_field("处理意见", OutcomeKind.choices)
    item_version = forms.Field(required=False)
    tier_level = choice_field("裁量档次", Level.choices, required=False, blank="—")
    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        required=False,
        choices=PenaltyType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "请从列表中选择处罚种类"},
    )
    fine_amount = money_field("罚款金额（元）")
    confiscation_amount = money_field("没收违法所得（元）")
    affected_workers = count_field(
        "受侵害劳动者人数", help_text="按人数计罚的事项据此计算法定幅度。"
    )
    base_amount = money_field("计算基数（元）", help_text="按倍数计罚的事项填写。")
    outside_range_reason = long_text(
        "超出裁量基准的理由",
        rows=2,
        help_text="金额不在所选裁量档次的幅度内时必须填写（不得超出法定幅度）。",
    )
    discretion_reason = long_text("裁量理由", rows=2)
    payment_order = long_text("责令支付、改正的内容", rows=2)
    compensation_amount = money_field("加付赔偿金（元）")
    no_penalty_ground = choice_field(
        "不予处罚的情形", NoPenaltyGround.choices, required=False, blank="—"
    )
    is_first_offence = yes_no("初次违法")
    harm_minor = yes_no("危害后果轻微")
    education_record = long_text(
        "教育记录",
        rows=2,
        help_text="不予处罚的，应当对当事人进行教育（行政处罚法第三十三条第三款）。",
    )
    transfer_to = text_field("移送机关", max_length=100)
    transfer_reason = long_text("移送理由", rows=2)
    facts_found = long_text("认定的事实", required=True, rows=4)
    evidence_summary = long_text("证据", rows=2)
    legal_basis = long_text("定性及依据", rows=2)
    change_reason = long_text("修改理由", rows=2, help_text="修改已提出的拟处理意见时必须填写。")
    on = date_field("提出日期", today=True)

    fieldsets = [
        ("kind", "处理意见", ["kind"], ""),
        (
            "penalty",
            "行政处罚",
            [
                "item_version",
                "tier_level",
                "penalty_types",
                "fine_amount",
                "confiscation_amount",
                "affected_workers",
                "base_amount",
                "outside_range_reason",
                "discretion_reason",
            ],
            "适用的执法事项、裁量档次和金额；右侧（手机上为上方）列出各案由的法定幅度和裁量基准。"
            "实施行政处罚应同时责令改正（行政处罚法第二十八条）。",
        ),
        (
            "handling",
            "行政处理（责令改正、限期支付）",
            ["payment_order", "compensation_amount"],
            "",
        ),
        (
            "no_penalty",
            "不予行政处罚",
            ["no_penalty_ground", "is_first_offence", "harm_minor", "education_record"],
            "首违不罚的“及时改正”按责令改正的复查结果判断，无需填写。",
        ),
        ("transfer", "移送", ["transfer_to", "transfer_reason"], ""),
        ("facts", "事实、证据与依据", ["facts_found", "evidence_summary", "legal_basis"], ""),
        ("revision", "提出", ["change_reason", "on"], ""),
    ]
    conditions = {
        "penalty": ("kind", "penalty"),
        "handling": ("kind", "handling"),
        "no_penalty": ("kind", "no_penalty"),
        "transfer": ("kind", "transfer_agency transfer_judicial"),
    }

    def setup(self):
        causes = self.case.causes.values("item_version_id")
        from sanxiang.catalog.models import ItemVersion

        self.fields["item_version"] = VersionChoiceField(
            queryset=ItemVersion.objects.filter(pk__in=causes).select_related("item"),
            label="适用的执法事项",
            required=False,
            empty_label="—",
            error_messages={"invalid_choice": "请从本案案由中选择执法事项"},
        )
        self.order_fields(list(self.base_fields))
        current = selectors.current_proposal(self.case) if self.case is not None else None
        if current is None:
            self.fields["change_reason"].help_text = "首次提出无需填写。"
        elif not self.is_bound:
            for name in PROPOSAL_COPY:
                value = getattr(current, name)
                self.initial[name] = "" if value is None else value
            self.initial["item_version"] = current.item_version_id

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        for name in ("fine_amount", "confiscation_amount", "compensation_amount", "base_amount"):
            d[name] = d.get(name) or None
        d["item_version"] = d.get("item_version") or None
        d["penalty_types"] = list(d.get("penalty_types") or [])
        return d


class DefenceRecordForm(CaseForm):
    """登记陈述、申辩 (services.defence_record)."""

    form = choice_field("形式", DefenceKind.choices)
    content = long_text("陈述申辩内容", required=True, rows=5)
    received_on = date_field("提出日期", today=True)


class DefenceRecheckForm(CaseForm):
    """复核陈述、申辩 (services.defence_recheck)."""

    result = choice_field("复核结果", RecheckResult.choices)
    reason = long_text("复核意见", required=True)
    on = date_field("复核日期", today=True)

    def service_kwargs(self) -> dict:
        return {"defence": self.obj, **self.cleaned_data}


class WaiveForm(CaseForm):
    """当事人明确放弃陈述申辩或听证 (services.notice_waive)."""

    defence = yes_no("放弃陈述、申辩")
    hearing = yes_no("放弃听证")
    on = date_field("放弃日期", today=True)
    note = long_text(
        "当事人书面放弃的说明", required=True, help_text="附当事人签字确认的书面材料。"
    )


def _not_on_team(case):
    team = Assignment.objects.filter(case=case).values("user_id")
    return selectors.agency_users(agency=case.agency).exclude(pk__in=team)


class HearingScheduleForm(CaseForm):
    """安排听证、指定主持人 (services.hearing_schedule)."""

    scheduled_at = datetime_field("听证时间", help_text="听证通知应在举行听证的七个工作日前送达。")
    place = text_field("听证地点", required=True, max_length=200)
    presider = forms.Field()
    clerk = forms.Field(required=False)
    notice_served_on = date_field("听证通知送达日期")
    public = forms.BooleanField(label="公开举行", required=False, initial=True)
    closed_reason = text_field(
        "不公开的理由", max_length=200, help_text="涉及国家秘密、商业秘密或者个人隐私的不公开。"
    )

    def setup(self):
        people = _not_on_team(self.case)
        self.fields["presider"] = UserChoiceField(
            people, label="主持人", help_text="由非本案调查人员主持（行政处罚法第六十四条）。"
        )
        self.fields["clerk"] = UserChoiceField(people, label="记录员", required=False)
        self.order_fields(list(self.base_fields))


class HearingRecordForm(CaseForm):
    """录入听证笔录和听证报告 (services.hearing_record)."""

    party_attended = yes_no("当事人亲自参加")
    agent_1 = text_field(
        "委托代理人（一）",
        max_length=50,
        help_text="当事人可以委托一至二人代理（行政处罚法第六十四条第一款第（五）项）；"
        "均未到场的属缺席，请按“听证终止”办理。",
    )
    agent_2 = text_field("委托代理人（二）", max_length=50)
    record_summary = long_text("听证笔录", required=True, rows=6)
    report = long_text("听证报告（处理意见）", required=True, rows=4)
    party_signed = yes_no("当事人已在笔录上签字")
    refusal_note = text_field("拒绝签字情况（主持人注明）", max_length=200)
    field_map = {"agents": "agent_1"}

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["agents"] = [data.pop("agent_1", ""), data.pop("agent_2", "")]
        return data


class HearingForgoForm(CaseForm):
    """听证终止：放弃、撤回或缺席 (services.hearing_forgo)."""

    outcome = choice_field(
        "情形", [(k, v) for k, v in HearingOutcome.choices if k != HearingOutcome.HELD]
    )
    note = long_text("情况说明（附当事人书面材料或记录）", required=True)
    on = date_field("日期", today=True)


ATTENDEE_ROWS = 5


class DiscussionForm(CaseForm):
    """集体讨论记录 (services.discussion_record): attendees and each one's opinion."""

    held_on = date_field("讨论日期", today=True)
    chair = forms.Field()
    conclusion_kind = choice_field("结论", DiscussionConclusion.choices)
    conclusion = long_text("讨论结论", required=True)
    field_map = {"opinions": "@attendees"}

    def setup(self):
        people = selectors.agency_users(agency=self.case.agency)
        self.fields["chair"] = UserChoiceField(people, label="主持人")
        for i in range(1, ATTENDEE_ROWS + 1):
            self.fields[f"attendee_{i}"] = UserChoiceField(
                people, label=f"参加人员{i}", required=False
            )
            self.fields[f"opinion_{i}"] = long_text(f"参加人员{i}的意见", rows=2)
        if not self.is_bound and self.user is not None:
            self.initial.setdefault("chair", self.user.pk)
            self.initial.setdefault("attendee_1", self.user.pk)

    @property
    def fieldsets(self):
        rows = [f"{k}_{i}" for i in range(1, ATTENDEE_ROWS + 1) for k in ("attendee", "opinion")]
        return [
            ("when", "讨论", ["held_on", "chair"], ""),
            (
                "attendees",
                "参加人员及其意见",
                rows,
                "行政机关负责人两人以上参加，逐一记录每人的意见；主持人应为参加人员之一。",
            ),
            ("conclusion", "结论", ["conclusion_kind", "conclusion"], ""),
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        opinions = [
            (d[f"attendee_{i}"], d.get(f"opinion_{i}") or "")
            for i in range(1, ATTENDEE_ROWS + 1)
            if d.get(f"attendee_{i}")
        ]
        return {
            "held_on": d["held_on"],
            "chair": d["chair"],
            "opinions": opinions,
            "conclusion_kind": d["conclusion_kind"],
            "conclusion": d["conclusion"],
        }


class DiscussionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.held_on:%Y-%m-%d} 集体讨论（{obj.get_conclusion_kind_display()}）"


class DecisionExtendForm(CaseForm):
    """延长作出决定的期限 (services.decision_extend)."""

    days = count_field(
        "延长天数", required=True, help_text="经负责人批准可延长三十日；再延长须经集体讨论。"
    )
    reason = long_text("延长理由", required=True)
    approved_on = date_field("批准日期", today=True)
    discussion = forms.Field(required=False)

    def setup(self):
        self.fields["discussion"] = DiscussionChoiceField(
            queryset=CollectiveDiscussion.objects.filter(case=self.case).order_by("-held_on"),
            label="集体讨论记录",
            required=False,
            empty_label="—",
        )


class DecisionPauseForm(CaseForm):
    """作出决定的期限中止：鉴定、审计、公告 (services.decision_clock_pause)."""

    period = choice_field("不计入期限的事项", list(EXCLUDED_PERIODS.items()))
    note = long_text("说明（委托鉴定、审计或公告的情况）", required=True)
    on = date_field("中止日期", today=True)


class DecisionResumeForm(CaseForm):
    """恢复计算作出决定的期限 (services.decision_clock_resume)."""

    last_excluded = date_field("不计入期限的最后一日", today=True)

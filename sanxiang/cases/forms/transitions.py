"""One form per row of the transition table (``workflow.TRANSITIONS``); each is executed by
``services.case_transition(case=, action=, actor=, **form.service_kwargs())``."""

from __future__ import annotations

from django import forms

from .. import selectors
from ..choices import ClosingReason, Disposition, PenaltyType
from .base import (
    CaseForm,
    UserChoiceField,
    choice_field,
    date_field,
    long_text,
    money_field,
    text_field,
    yes_no,
)
from .execution import ServiceFieldsMixin


class FileForm(CaseForm):
    """受理并立案（承办机构负责人）."""

    filed_on = date_field("立案日期", today=True, help_text="批准立案之日为立案日期。")
    limitation_reason = long_text(
        "超过两年仍予查处的理由",
        rows=2,
        help_text="违法行为已超过二年（劳动保障监察条例第二十条）但仍须立案的，写明理由；否则不填。",
    )

    def setup(self):
        if not self.is_bound and self.case is not None:
            self.initial["limitation_reason"] = self.case.limitation_reason


class RequestSupplementForm(CaseForm):
    """告知补正材料 (若干规定 第十八条)."""

    items = long_text("需补正的材料", required=True)
    notified_on = date_field("告知补正日期", today=True)


class SupplementReceivedForm(CaseForm):
    received_on = date_field("收到补正材料日期", today=True)


class DeclineForm(CaseForm):
    """不予受理（不予立案）."""

    disposition = choice_field("处理方式", Disposition.choices)
    reason = long_text("理由", required=True)
    competent_body = text_field(
        "有管辖权的机关或接收移送的部门",
        max_length=100,
        help_text="告知向有管辖权的机关投诉或移送的，必须填写。",
    )
    decided_on = date_field("决定日期", today=True)
    notified_on = date_field(
        "书面告知日期",
        required=False,
        help_text="投诉不予受理的，须向投诉人送达不予受理通知书（若干规定第十八条），填写送达日期；"
        "举报和本机关发现的线索可不填。",
    )


class ConcludeForm(CaseForm):
    concluded_on = date_field("调查终结日期", today=True)


class ReopenForm(CaseForm):
    reason = long_text("补充调查的理由", required=True)
    on = date_field("补充调查日期", today=True)


class NotifyForm(ServiceFieldsMixin, CaseForm):
    """事先告知 (行政处罚法 第四十四条): the notice is served with its 送达回证."""

    served_on = date_field(
        "告知书送达日期", today=True, help_text="陈述申辩和申请听证的期限自此起算。"
    )
    field_map = ServiceFieldsMixin.SERVICE_MAP

    def setup(self):
        self.setup_service()
        self.without_public_service()

    @property
    def fieldsets(self):
        return [("notice", "告知", ["served_on"], ""), *self.service_fieldsets()]

    def service_kwargs(self) -> dict:
        return {"served_on": self.cleaned_data["served_on"], "service": self.service_data()}


class RequestHearingForm(CaseForm):
    requested_on = date_field("申请听证日期", today=True)
    note = long_text("申请内容", rows=2)


class EndHearingForm(CaseForm):
    ended_on = date_field("听证结束日期", today=True)


class SubmitForm(CaseForm):
    on = date_field("提请日期", today=True)


class DecideForm(CaseForm):
    """作出决定（局负责人）: the document number is assigned now."""

    decided_on = date_field("决定日期（文书日期）", today=True)
    content = long_text("决定内容", rows=4, help_text="不填则采用拟处理意见认定的事实。")
    remedy_note = long_text(
        "救济途径", rows=2, help_text="不填则采用标准表述（六十日内复议、六个月内诉讼）。"
    )


class ServeForm(ServiceFieldsMixin, CaseForm):
    """送达决定书 with its 送达回证."""

    served_on = date_field(
        "送达日期", required=False, help_text="公告送达的，按公告日期自动计算视为送达日期。"
    )
    field_map = ServiceFieldsMixin.SERVICE_MAP

    def setup(self):
        self.setup_service()
        if not self.is_bound:
            from django.utils import timezone

            self.initial["served_on"] = timezone.localdate()

    @property
    def fieldsets(self):
        return [("when", "送达日期", ["served_on"], ""), *self.service_fieldsets()]

    def service_kwargs(self) -> dict:
        out = {"service": self.service_data()}
        if self.cleaned_data.get("served_on"):
            out["served_on"] = self.cleaned_data["served_on"]
        return out


class RemindForm(ServiceFieldsMixin, CaseForm):
    """催告履行 (行政强制法 第五十四条) with the reminder's 送达回证."""

    issued_on = date_field("催告日期", today=True)
    served_on = date_field("催告书送达日期", today=True)
    content = long_text(
        "催告内容",
        required=True,
        rows=4,
        help_text="履行义务的期限、方式，涉及金钱给付的明确金额和给付方式，依法享有的陈述权和申辩权。",
    )
    field_map = ServiceFieldsMixin.SERVICE_MAP

    def setup(self):
        self.setup_service()
        self.without_public_service()

    @property
    def fieldsets(self):
        return [
            ("reminder", "催告", ["issued_on", "served_on", "content"], ""),
            *self.service_fieldsets(),
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "issued_on": d["issued_on"],
            "served_on": d["served_on"],
            "content": d["content"],
            "service": self.service_data(),
        }


class CloseForm(CaseForm):
    """结案（承办机构负责人）."""

    closing_reason = choice_field("结案情形", ClosingReason.choices)
    evidence = long_text(
        "执行情况及证据", required=True, help_text="如缴款日期、缴款凭证号、复查改正情况。"
    )
    closed_on = date_field("结案日期", today=True)


class TransferForm(CaseForm):
    """移送管辖."""

    transfer_to = text_field("接收移送的机关", required=True, max_length=100)
    reason = long_text("移送理由", required=True)
    materials = long_text("移送材料清单", rows=2)
    transferred_on = date_field("移送日期", today=True)


class OnSpotForm(CaseForm):
    """当场处罚（简易程序，行政处罚法 第五十一条、第五十二条）."""

    penalty_types = forms.MultipleChoiceField(
        label="处罚种类",
        choices=[(PenaltyType.WARNING, "警告"), (PenaltyType.FINE, "罚款")],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请选择处罚种类（警告或罚款）"},
    )
    fine_amount = money_field(
        "罚款金额（元）",
        help_text="公民二百元以下、法人或其他组织三千元以下（行政处罚法第五十一条）。",
    )
    second_officer = forms.Field()
    facts = long_text("违法事实", required=True)
    legal_basis = long_text("处罚依据", required=True, rows=2)
    place = text_field("当场处罚地点", required=True, max_length=200)
    party_signed = yes_no("当事人已签收决定书")
    refusal_note = text_field("拒绝签收情况", max_length=200, help_text="拒绝签收的，应当注明。")
    decided_on = date_field("当场处罚日期", today=True)
    field_map = {"officers": "second_officer"}

    def setup(self):
        people = selectors.assignable_officers(agency=self.case.agency)
        if self.user is not None:
            people = people.exclude(pk=self.user.pk)
        self.fields["second_officer"] = UserChoiceField(
            people, label="另一名执法人员", help_text="当场处罚须两名持有有效执法证件的执法人员。"
        )
        self.order_fields(list(self.base_fields))

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["officers"] = [self.user, d.pop("second_officer")]
        d["fine_amount"] = d.get("fine_amount") or None
        d["penalty_types"] = list(d["penalty_types"])
        return d

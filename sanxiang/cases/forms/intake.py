"""Registering a complaint, report or lead (投诉举报、案件线索登记) and completing what was
registered: parties, complainants, causes, corrections of the intake."""

from __future__ import annotations

from django import forms

from .. import selectors
from ..choices import Channel, ComplainantRole, PartyKind, Sex, Source
from .base import (
    CaseForm,
    choice_field,
    clean_id_number,
    clean_uscc,
    count_field,
    date_field,
    long_text,
    money_field,
    text_field,
    yes_no,
)

CONFIDENTIAL_NOTE = (
    "投诉人、举报人的身份依法保密（劳动保障监察条例第九条）：只有登记人、本案办案人员、"
    "承办机构负责人和作出决定的负责人可以查看，每次查看都记入日志；列表、待办和案情摘要中"
    "不得出现其身份信息。"
)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.item.code} {obj.name}（第{obj.number}版）"


def cause_field(*, required: bool, agency) -> VersionChoiceField:
    return VersionChoiceField(
        queryset=selectors.cause_versions_in_force(agency=agency),
        label="案由（执法事项）",
        required=required,
        empty_label="请选择执法事项清单中的事项",
        help_text="立案前须选择案由；拟处理意见适用的执法事项应为案由中的事项。",
        error_messages={
            "required": "请选择执法事项清单中的事项",
            "invalid_choice": "请从执法事项清单中选择",
        },
    )


class PartyFieldsMixin(forms.Form):
    """被调查的用人单位或个人, with its code checked (GB 32100 / GB 11643)."""

    party_kind = choice_field("当事人类型", PartyKind.choices, required=False, blank="请选择")
    party_name = text_field("单位名称或姓名", max_length=100)
    party_uscc = text_field(
        "统一社会信用代码",
        max_length=30,
        help_text="18位，含校验码；个体工商户可填统一社会信用代码或经营者身份证号码。",
    )
    party_id_number = text_field("身份证号码（自然人、个体工商户经营者）", max_length=30)
    party_legal_representative = text_field("法定代表人或主要负责人", max_length=50)
    party_representative_post = text_field("职务", max_length=50)
    party_address = text_field("住所或地址", max_length=200)
    party_phone = text_field("联系电话", max_length=30)

    def clean_party_uscc(self):
        return clean_uscc(self.cleaned_data.get("party_uscc"))

    def clean_party_id_number(self):
        return clean_id_number(self.cleaned_data.get("party_id_number"))

    def party_data(self) -> dict | None:
        d = self.cleaned_data
        if not any(
            d.get(f"party_{k}")
            for k in ("kind", "name", "uscc", "id_number", "legal_representative")
        ):
            return None
        return {
            "kind": d.get("party_kind") or "",
            "name": d.get("party_name") or "",
            "uscc": d.get("party_uscc") or "",
            "id_number": d.get("party_id_number") or "",
            "legal_representative": d.get("party_legal_representative") or "",
            "representative_post": d.get("party_representative_post") or "",
            "address": d.get("party_address") or "",
            "phone": d.get("party_phone") or "",
        }


class ComplainantFieldsMixin(forms.Form):
    """投诉人、举报人 (confidential)."""

    complainant_role = choice_field("身份", ComplainantRole.choices, required=False, blank="请选择")
    complainant_anonymous = yes_no("匿名举报", help_text="只有举报可以匿名；投诉须署名。")
    complainant_name = text_field("姓名", max_length=50)
    complainant_sex = choice_field("性别", Sex.choices, required=False, blank="—")
    complainant_age = count_field("年龄")
    complainant_id_number = text_field("身份证号码", max_length=30)
    complainant_occupation = text_field("职业", max_length=50)
    complainant_employer = text_field("工作单位", max_length=100)
    complainant_address = text_field("住址", max_length=200)
    complainant_phone = text_field("联系电话", max_length=30)
    complainant_is_representative = yes_no("集体投诉的代表")

    def clean_complainant_id_number(self):
        return clean_id_number(self.cleaned_data.get("complainant_id_number"))

    def complainant_data(self, *, default_role: str = "") -> dict | None:
        d = self.cleaned_data
        keys = ("name", "id_number", "phone", "occupation", "employer", "address", "age")
        if not d.get("complainant_anonymous") and not any(d.get(f"complainant_{k}") for k in keys):
            return None
        return {
            "role": d.get("complainant_role") or default_role,
            "anonymous": bool(d.get("complainant_anonymous")),
            "name": d.get("complainant_name") or "",
            "sex": d.get("complainant_sex") or "",
            "age": d.get("complainant_age"),
            "id_number": d.get("complainant_id_number") or "",
            "occupation": d.get("complainant_occupation") or "",
            "employer": d.get("complainant_employer") or "",
            "address": d.get("complainant_address") or "",
            "phone": d.get("complainant_phone") or "",
            "is_representative": bool(d.get("complainant_is_representative")),
        }


COMPLAINANT_FIELDS = [
    "complainant_role",
    "complainant_anonymous",
    "complainant_name",
    "complainant_sex",
    "complainant_age",
    "complainant_id_number",
    "complainant_occupation",
    "complainant_employer",
    "complainant_address",
    "complainant_phone",
    "complainant_is_representative",
]
PARTY_FIELDS = [
    "party_kind",
    "party_name",
    "party_uscc",
    "party_id_number",
    "party_legal_representative",
    "party_representative_post",
    "party_address",
    "party_phone",
]
PARTY_MAP = {
    "kind": "party_kind",
    "name": "party_name",
    "uscc": "party_uscc",
    "id_number": "party_id_number",
    "legal_representative": "party_legal_representative",
    "representative_post": "party_representative_post",
    "address": "party_address",
    "phone": "party_phone",
}


class IntakeForm(ComplainantFieldsMixin, PartyFieldsMixin, CaseForm):
    """投诉、举报、案件线索登记 (services.case_register)."""

    source = choice_field("案件来源", Source.choices)
    channel = choice_field("受理渠道", Channel.choices)
    received_on = date_field("收到（发现）日期", today=True)
    summary = text_field(
        "案情摘要（标题）",
        required=True,
        max_length=200,
        help_text="列表和待办中显示，如“某公司拖欠3名农民工工资”。不得写入投诉人、举报人的姓名等身份信息。",
    )
    facts = long_text("反映的事实", required=True, rows=5)
    request = long_text("投诉请求", rows=2)
    workers_affected = count_field("涉及劳动者人数")
    amount_claimed = money_field("涉及金额（元）", help_text="如拖欠工资总额，可填“12,600.00”。")
    violation_from = date_field("违法行为发生日期", required=False)
    violation_until = date_field("违法行为终了日期", required=False)
    violation_continuing = yes_no("违法行为处于连续或继续状态")
    limitation_reason = long_text(
        "超过两年仍予查处的理由",
        rows=2,
        help_text="劳动保障监察条例第二十条：违法行为在二年内未被发现、举报、投诉的，不再查处。"
        "超过二年仍须立案的，写明理由。",
    )
    cause = forms.Field(required=False)  # replaced in setup()

    wide_fields = ("summary", "cause")
    field_map = {
        "complainants": "@complainant",
        **PARTY_MAP,
        "causes": "cause",
    }
    fieldsets = [
        ("source", "来源与受理", ["source", "channel", "received_on"], ""),
        ("complainant", "投诉人、举报人（保密）", COMPLAINANT_FIELDS, CONFIDENTIAL_NOTE),
        (
            "party",
            "被投诉（举报）的用人单位或个人",
            PARTY_FIELDS,
            "统一社会信用代码和身份证号码按国家标准核验校验码。",
        ),
        (
            "facts",
            "反映的事实与请求",
            ["summary", "facts", "request", "workers_affected", "amount_claimed"],
            "",
        ),
        (
            "period",
            "违法行为时间（查处时效）",
            ["violation_from", "violation_until", "violation_continuing", "limitation_reason"],
            "",
        ),
        ("cause", "案由", ["cause"], ""),
    ]

    def setup(self):
        agency = self.user.unit.agency if self.user and self.user.unit_id else None
        self.fields["cause"] = cause_field(required=False, agency=agency)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        source = d["source"]
        role = ComplainantRole.REPORTER if source == Source.REPORT else ComplainantRole.COMPLAINANT
        complainant = self.complainant_data(default_role=role)
        party = self.party_data()
        return {
            "source": source,
            "channel": d["channel"],
            "received_on": d["received_on"],
            "summary": d["summary"],
            "facts": d["facts"],
            "request": d.get("request") or "",
            "workers_affected": d.get("workers_affected"),
            "amount_claimed": d.get("amount_claimed") or None,
            "violation_from": d.get("violation_from"),
            "violation_until": d.get("violation_until"),
            "violation_continuing": bool(d.get("violation_continuing")),
            "limitation_reason": d.get("limitation_reason") or "",
            "complainants": [complainant] if complainant else [],
            "parties": [party] if party else [],
            "causes": [d["cause"]] if d.get("cause") else [],
        }


class IntakeUpdateForm(CaseForm):
    """修改登记信息 (services.case_update_intake): only what changed is sent."""

    summary = IntakeForm.base_fields["summary"]
    facts = IntakeForm.base_fields["facts"]
    request = IntakeForm.base_fields["request"]
    workers_affected = IntakeForm.base_fields["workers_affected"]
    amount_claimed = IntakeForm.base_fields["amount_claimed"]
    violation_from = IntakeForm.base_fields["violation_from"]
    violation_until = IntakeForm.base_fields["violation_until"]
    violation_continuing = IntakeForm.base_fields["violation_continuing"]
    limitation_reason = IntakeForm.base_fields["limitation_reason"]

    def setup(self):
        if not self.is_bound and self.case is not None:
            for name in self.fields:
                value = getattr(self.case, name)
                self.initial[name] = "" if value is None else value

    def service_kwargs(self) -> dict:
        d = dict(self.cleaned_data)
        d["amount_claimed"] = d.get("amount_claimed") or None
        return d


class PartyForm(PartyFieldsMixin, CaseForm):
    """登记当事人 (services.party_add)."""

    field_map = PARTY_MAP

    def setup(self):
        self.fields["party_kind"].required = True
        self.fields["party_name"].required = True

    def service_kwargs(self) -> dict:
        return {"data": self.party_data() or {}}


class ComplainantForm(ComplainantFieldsMixin, CaseForm):
    """登记投诉人、举报人 (services.complainant_add)."""

    field_map = {"complainants": "@main"}

    def setup(self):
        self.fields["complainant_role"].required = True

    def service_kwargs(self) -> dict:
        return {"data": self.complainant_data() or {"role": self.cleaned_data["complainant_role"]}}


class CauseForm(CaseForm):
    """选择案由 (services.cause_add)."""

    item_version = forms.Field(required=True)
    note = text_field("说明", max_length=200)
    field_map = {"causes": "item_version"}

    def setup(self):
        self.fields["item_version"] = cause_field(required=True, agency=self.case.agency)
        self.order_fields(["item_version", "note"])


class CauseRemoveForm(CaseForm):
    """删除案由 (services.cause_remove)."""

    reason = text_field("删除理由", required=True, max_length=200)

    def service_kwargs(self) -> dict:
        return {"cause": self.obj, "reason": self.cleaned_data["reason"]}


class RevealForm(CaseForm):
    """查看投诉人、举报人身份 (services.complainant_reveal) — recorded in the log."""

    reason = text_field(
        "查看理由",
        required=True,
        max_length=200,
        help_text="如“核实投诉人身份、联系投诉人补正材料”。查看人、时间、理由和来源地址记入日志。",
    )

"""Investigation (调查取证): interview and inspection records, 先行登记保存, orders to correct,
the investigation extension."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from ..choices import CorrectionResult, PreservationDisposal, RecordKind, Sex
from ..models import Assignment
from .base import (
    CaseForm,
    UserChoiceField,
    choice_field,
    clean_id_number,
    count_field,
    date_field,
    datetime_field,
    long_text,
    text_field,
    yes_no,
)


class OfficersField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.real_name or obj.username


class RecordForm(CaseForm):
    """询问笔录 / 现场检查笔录 (services.investigation_record_add). The kind comes from the
    action (制作询问笔录 or 制作现场检查笔录)."""

    kind = RecordKind.INTERVIEW

    started_at = datetime_field("开始时间")
    ended_at = datetime_field("结束时间")
    place = text_field("地点", required=True, max_length=200)
    officers = forms.Field()
    person_name = text_field("姓名", required=True, max_length=50)
    person_sex = choice_field("性别", Sex.choices, required=False, blank="—")
    person_id_number = text_field("身份证号码", max_length=30)
    person_employer = text_field("工作单位", max_length=100)
    person_post = text_field("职务", max_length=50)
    person_phone = text_field("联系电话", max_length=30)
    person_address = text_field("住址", max_length=200)
    person_relation = text_field("与本案关系", max_length=50, help_text="如“被调查单位法定代表人”")
    witnesses = text_field("见证人", max_length=200)
    ids_shown = yes_no("已出示执法证件（行政处罚法第五十五条）")
    recusal_asked = yes_no("已告知申请回避的权利（行政处罚法第四十三条）")
    recusal_answer = text_field("对回避的答复", max_length=100, help_text="如“不申请回避”")
    truth_duty_told = yes_no("已告知如实陈述的义务")
    content = long_text("询问内容（问答）或检查情况", required=True, rows=8)
    attachments_note = long_text("附件（照片、音像记录编号等）", rows=2)
    pages = count_field("页数", required=True)
    person_signed = yes_no("被询问人（在场人）已逐页签名")
    refusal_note = text_field("拒绝签名情况", max_length=200, help_text="拒绝签名的，注明情况。")
    officers_signed = yes_no("执法人员已签名")

    field_map = {"person": "@person"}

    def setup(self):
        team = Assignment.objects.filter(case=self.case, released_on__isnull=True).values("user_id")
        field = self.fields["officers"] = OfficersField(
            queryset=get_user_model().objects.filter(pk__in=team).order_by("real_name", "pk"),
            label="执法人员",
            help_text="参加询问、检查的执法人员（不少于两人，须为本案办案人员）；证件号码自动记入笔录。",
            error_messages={
                "required": "请选择参加的执法人员",
                "invalid_choice": "所选人员不是本案办案人员",
            },
        )
        if not self.is_bound:
            field.initial = list(field.queryset.values_list("pk", flat=True))
            self.initial.setdefault("pages", 1)
        self.order_fields(list(self.base_fields))
        if self.kind == RecordKind.INSPECTION:
            self.fields["person_name"].label = "在场人（现场负责人）姓名"
            self.fields["content"].label = "检查情况"
            self.fields["person_signed"].label = "在场人已逐页签名"
            del self.fields["truth_duty_told"]

    @property
    def fieldsets(self):
        who = "被询问人" if self.kind == RecordKind.INTERVIEW else "在场人（现场负责人）"
        return [
            ("when", "时间、地点和执法人员", ["started_at", "ended_at", "place", "officers"], ""),
            (
                "person",
                who,
                [
                    "person_name",
                    "person_sex",
                    "person_id_number",
                    "person_employer",
                    "person_post",
                    "person_phone",
                    "person_address",
                    "person_relation",
                    "witnesses",
                ],
                "",
            ),
            (
                "rights",
                "告知事项",
                ["ids_shown", "recusal_asked", "recusal_answer", "truth_duty_told"],
                "询问前应出示执法证件、告知申请回避的权利和如实陈述的义务；未做到的不能录入。",
            ),
            ("content", "内容", ["content", "attachments_note", "pages"], ""),
            (
                "signatures",
                "签名",
                ["person_signed", "refusal_note", "officers_signed"],
                "签名不全的笔录可以先录入，调查终结前须补全（或注明拒签）。",
            ),
        ]

    def clean_person_id_number(self):
        return clean_id_number(self.cleaned_data.get("person_id_number"))

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": self.kind,
            "started_at": d["started_at"],
            "ended_at": d["ended_at"],
            "place": d["place"],
            "officers": list(d["officers"]),
            "person": {
                "name": d["person_name"],
                "sex": d.get("person_sex") or "",
                "id_number": d.get("person_id_number") or "",
                "employer": d.get("person_employer") or "",
                "post": d.get("person_post") or "",
                "phone": d.get("person_phone") or "",
                "address": d.get("person_address") or "",
                "relation": d.get("person_relation") or "",
            },
            "witnesses": d.get("witnesses") or "",
            "ids_shown": bool(d.get("ids_shown")),
            "recusal_asked": bool(d.get("recusal_asked")),
            "recusal_answer": d.get("recusal_answer") or "",
            "truth_duty_told": bool(d.get("truth_duty_told")),
            "content": d["content"],
            "attachments_note": d.get("attachments_note") or "",
            "pages": d["pages"],
            "person_signed": bool(d.get("person_signed")),
            "refusal_note": d.get("refusal_note") or "",
            "officers_signed": bool(d.get("officers_signed")),
        }


class InspectionRecordForm(RecordForm):
    kind = RecordKind.INSPECTION


class RecordSignForm(CaseForm):
    """补全笔录签名 (services.investigation_record_sign); the object is the record."""

    person_signed = yes_no("被询问人（在场人）已逐页签名")
    refusal_note = text_field("拒绝签名情况", max_length=200)
    officers_signed = yes_no("执法人员已签名")

    def setup(self):
        if not self.is_bound and self.obj is not None:
            self.initial.update(
                person_signed=self.obj.person_signed,
                refusal_note=self.obj.refusal_note,
                officers_signed=self.obj.officers_signed,
            )

    def service_kwargs(self) -> dict:
        return {"record": self.obj, **self.cleaned_data}


ITEM_ROWS = 5


class PreservationRequestForm(CaseForm):
    """申请先行登记保存 (services.preservation_request)."""

    place_kept = text_field("保存地点", required=True, max_length=200)
    reason = long_text("证据可能灭失或者以后难以取得的情况", required=True)
    requested_on = date_field("申请日期", today=True)
    field_map = {"items": "@items"}

    def setup(self):
        for i in range(1, ITEM_ROWS + 1):
            self.fields[f"item_{i}_name"] = text_field(f"第{i}项 物品名称", max_length=100)
            self.fields[f"item_{i}_spec"] = text_field(f"第{i}项 规格", max_length=100)
            self.fields[f"item_{i}_quantity"] = text_field(f"第{i}项 数量", max_length=30)

    @property
    def fieldsets(self):
        items = [
            f"item_{i}_{k}" for i in range(1, ITEM_ROWS + 1) for k in ("name", "spec", "quantity")
        ]
        return [
            ("items", "物品清单", items, "逐项填写名称、规格和数量；空行不计。"),
            ("where", "保存", ["place_kept", "reason", "requested_on"], ""),
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        items = []
        for i in range(1, ITEM_ROWS + 1):
            row = {k: d.get(f"item_{i}_{k}") or "" for k in ("name", "spec", "quantity")}
            if any(row.values()):
                items.append(row)
        return {
            "items": items,
            "place_kept": d["place_kept"],
            "reason": d["reason"],
            "requested_on": d["requested_on"],
        }


class PreservationApproveForm(CaseForm):
    """批准先行登记保存（行政机关负责人） (services.preservation_approve)."""

    approved = forms.TypedChoiceField(
        label="审批意见",
        choices=[("", "请选择"), ("1", "批准先行登记保存"), ("0", "不予批准")],
        coerce=lambda v: v == "1",
        error_messages={"required": "请选择审批意见"},
    )
    note = long_text("审批意见说明", help_text="不予批准的须写明理由。")
    approved_on = date_field("批准日期", today=True)
    preserved_on = date_field("登记保存日期", required=False, help_text="不填则为批准日期。")

    def service_kwargs(self) -> dict:
        return {"preservation": self.obj, **self.cleaned_data}


class PreservationDecideForm(CaseForm):
    """先行登记保存处理决定（七日内） (services.preservation_decide)."""

    disposal = choice_field("处理决定", PreservationDisposal.choices)
    note = long_text("处理决定内容", required=True)
    decided_on = date_field("处理决定日期", today=True)

    def service_kwargs(self) -> dict:
        return {"preservation": self.obj, **self.cleaned_data}


class OrderIssueForm(CaseForm):
    """下达责令改正（限期改正）指令书 (services.correction_order_issue)."""

    content = long_text("责令改正的内容", required=True)
    legal_basis = long_text("依据", required=True, rows=2)
    issued_on = date_field("下达日期", today=True)
    due_on = date_field("改正期限", help_text="当事人应在此日期前改正。")


class OrderCheckForm(CaseForm):
    """复查改正情况 (services.correction_order_check)."""

    result = choice_field("复查结果", CorrectionResult.choices)
    note = long_text("复查情况", required=True)
    checked_on = date_field("复查日期", today=True)

    def service_kwargs(self) -> dict:
        return {"order": self.obj, **self.cleaned_data}


class InvestigationExtendForm(CaseForm):
    """批准延长调查期限三十个工作日 (services.investigation_extend)."""

    reason = long_text("延长理由（情况复杂的具体情形）", required=True)
    approved_on = date_field("批准日期", today=True)


__all__ = [
    "InspectionRecordForm",
    "InvestigationExtendForm",
    "OrderCheckForm",
    "OrderIssueForm",
    "PreservationApproveForm",
    "PreservationDecideForm",
    "PreservationRequestForm",
    "RecordForm",
    "RecordSignForm",
    "UserChoiceField",
]

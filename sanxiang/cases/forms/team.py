"""The case team (指派、调出), recusal (回避) and the major / complex flags."""

from __future__ import annotations

from django import forms

from .. import selectors
from ..choices import FlagKind, RecusalKind, TeamRole
from ..models import Assignment, Hearing
from .base import CaseForm, UserChoiceField, choice_field, date_field, long_text, text_field


class AssignForm(CaseForm):
    """指派办案人员 (services.case_assign)."""

    user = forms.Field()
    role = choice_field("分工", TeamRole.choices)
    on = date_field("指派日期", today=True)

    def setup(self):
        self.fields["user"] = UserChoiceField(
            selectors.assignable_officers(agency=self.case.agency),
            label="执法人员",
            help_text="只列出本执法主体执法人员名录中、今天持有有效执法证件的人员。",
        )
        self.order_fields(["user", "role", "on"])
        if not self.is_bound:
            has_lead = Assignment.objects.filter(
                case=self.case, role=TeamRole.LEAD, released_on__isnull=True
            ).exists()
            self.initial["role"] = TeamRole.ASSIST if has_lead else TeamRole.LEAD


class ReleaseForm(CaseForm):
    """调出办案人员 (services.case_release); the object is the assignment."""

    reason = text_field("调出原因", required=True, max_length=200)
    on = date_field("调出日期", today=True)

    def service_kwargs(self) -> dict:
        return {"user": self.obj.user, **self.cleaned_data}


class RecusalFileForm(CaseForm):
    """登记回避：执法人员自行回避或当事人申请回避 (services.recusal_file)."""

    person = forms.Field()
    kind = choice_field("类型", RecusalKind.choices)
    applicant = text_field("申请人", max_length=100, help_text="当事人申请回避的，写明申请人。")
    grounds = long_text("回避事由", required=True)
    filed_on = date_field("提出日期", today=True)

    def setup(self):
        ids = set(
            Assignment.objects.filter(case=self.case, released_on__isnull=True).values_list(
                "user_id", flat=True
            )
        )
        ids |= set(
            Hearing.objects.filter(case=self.case, outcome="", presider__isnull=False).values_list(
                "presider_id", flat=True
            )
        )
        qs = selectors.agency_users(agency=self.case.agency).filter(pk__in=ids)
        self.fields["person"] = UserChoiceField(qs, label="被申请回避的人员")
        self.order_fields(["person", "kind", "applicant", "grounds", "filed_on"])


class RecusalDecideForm(CaseForm):
    """回避决定（行政机关负责人） (services.recusal_decide); the object is the recusal."""

    upheld = forms.TypedChoiceField(
        label="决定",
        choices=[("", "请选择"), ("1", "决定回避"), ("0", "驳回申请")],
        coerce=lambda v: v == "1",
        error_messages={"required": "请选择决定"},
    )
    reason = long_text("决定理由", required=True)
    decided_on = date_field("决定日期", today=True)

    def service_kwargs(self) -> dict:
        return {"recusal": self.obj, **self.cleaned_data}


class FlagForm(CaseForm):
    """标记重大、复杂案件 (services.case_flag)."""

    kind = choice_field("标记", FlagKind.choices)
    reason = long_text("理由", required=True)
    on = date_field("标记日期", today=True)


class UnflagForm(CaseForm):
    """撤销标记 (services.case_unflag); the object is the flag."""

    reason = long_text("撤销理由", required=True)
    on = date_field("撤销日期", today=True)

    def service_kwargs(self) -> dict:
        return {"flag": self.obj, **self.cleaned_data}

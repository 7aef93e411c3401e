"""Forms of the review pages: they parse input only. Every rule (a point without a conclusion,
a problem without its description, an opinion without reasons, an incomplete checklist) is the
services' and comes back as a Chinese DomainError, so the page and the service say the same."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from sanxiang.cases.models import CollectiveDiscussion

from . import rules
from .choices import ExpertKind, Opinion, Point, PointResult, SubmissionStatus
from .models import CatalogueEntry


class SubmitForm(forms.Form):
    checklist = forms.MultipleChoiceField(
        label="送审材料核对",
        choices=rules.MATERIALS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attested = forms.BooleanField(label=rules.ATTESTATION, required=False)
    note = forms.CharField(
        label="送审说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：对上轮审核意见的修改情况；需要审核人员特别注意的问题",
    )


class ReviewForm(forms.Form):
    """The eight points (实施方案 三（三）3), each 符合 / 存在问题 with a comment, and the opinion."""

    opinion = forms.ChoiceField(
        label="审核意见",
        choices=Opinion.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="审核意见的理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Point.choices:
            self.fields[f"{code}_result"] = forms.ChoiceField(
                label=label,
                choices=PointResult.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{code}_comment"] = forms.CharField(
                label=f"{label}：说明",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def point_rows(self):
        return [
            (code, label, self[f"{code}_result"], self[f"{code}_comment"])
            for code, label in Point.choices
        ]

    def points(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            code: (data.get(f"{code}_result") or "", data.get(f"{code}_comment") or "")
            for code in Point.values
        }


class ExtendForm(forms.Form):
    workdays = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=30)
    reason = forms.CharField(label="延长理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExpertRequestForm(forms.Form):
    kind = forms.ChoiceField(label="专家类别", choices=ExpertKind.choices)
    expert = forms.ModelChoiceField(
        label="本系统中的专家",
        queryset=get_user_model().objects.none(),
        required=False,
        help_text="法律顾问、公职律师在本系统有账号的，选择后由其本人出具意见；否则填写姓名，收到书面意见后由审核人员登记",
    )
    expert_name = forms.CharField(label="专家姓名", max_length=50, required=False)
    expert_org = forms.CharField(label="工作单位", max_length=100, required=False)
    question = forms.CharField(label="咨询事项", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, experts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if experts is not None:
            self.fields["expert"].queryset = experts


class ExpertAnswerForm(forms.Form):
    answer = forms.CharField(label="咨询意见", widget=forms.Textarea(attrs={"rows": 6}))
    answered_on = forms.DateField(
        label="出具日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, label: str = "理由", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label


class ResolveForm(forms.Form):
    discussion = forms.ModelChoiceField(
        label="集体讨论记录",
        queryset=CollectiveDiscussion.objects.none(),
        help_text="行政机关负责人就该异议集体讨论后，由负责人在案件页面登记讨论记录，再在此选择",
    )

    def __init__(self, *args, case=None, since=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            qs = CollectiveDiscussion.objects.filter(case=case).order_by("-held_on", "-pk")
            if since is not None:
                qs = qs.filter(held_on__gte=since)
            self.fields["discussion"].queryset = qs
            self.fields["discussion"].label_from_instance = lambda d: (
                f"{d.held_on:%Y-%m-%d} {d.get_conclusion_kind_display()}：{d.conclusion[:40]}"
            )


class FlagForm(forms.Form):
    ground = forms.ModelChoiceField(
        label="审核目录中的情形",
        queryset=CatalogueEntry.objects.none(),
        required=False,
        empty_label="（不选，仅写明理由）",
    )
    reason = forms.CharField(
        label="具体理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：涉及农民工工资，受侵害劳动者人数较多，可能引发群体性事件",
    )

    def __init__(self, *args, grounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if grounds is not None:
            self.fields["ground"].queryset = grounds


class ListFilterForm(forms.Form):
    q = forms.CharField(label="案号或案情", required=False)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), *SubmissionStatus.choices],
    )
    opinion = forms.ChoiceField(
        label="审核意见", required=False, choices=[("", "全部"), *Opinion.choices]
    )


def expert_queryset(*, agency):
    """Users who may give an advisory opinion in the system (legal adviser, reviewers)."""
    from django.contrib.auth.models import Permission

    perm = Permission.objects.get(content_type__app_label="review", codename="give_expert_opinion")
    qs = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm))
    )
    if agency is not None:
        qs = qs.filter(Q(unit__agency=agency) | Q(unit__isnull=True))
    return qs.distinct().order_by("real_name", "pk")

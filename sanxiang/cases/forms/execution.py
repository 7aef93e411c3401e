"""Service (送达回证) fields, e-service consent, payments, deferral and instalments, court."""

from __future__ import annotations

from django import forms

from ..choices import (
    CourtStatus,
    DecisionChangeAuthority,
    DecisionChangeKind,
    PaymentChannel,
    PaymentKind,
    PlanKind,
    ReceiverRelation,
    ServiceMethod,
)
from ..models import Assignment, Party, ServiceConsent
from .base import (
    CaseForm,
    UserChoiceField,
    choice_field,
    date_field,
    long_text,
    money_field,
    text_field,
)

# Which receipt fields each method needs (民事诉讼法 第八十七条至第九十五条; rules.service_problems
# decides). Used to group the fields and, with JavaScript, to show only the chosen method's.
SERVICE_GROUPS = [
    (
        "svc_receiver",
        "签收（直接送达、委托送达）",
        ["receiver_name", "receiver_relation", "entrusted_to"],
        "直接送达由受送达人或其同住成年家属、法定代表人、负责收件的人签收；委托送达另填受委托机关。",
        "direct entrusted",
    ),
    (
        "svc_left",
        "留置送达",
        ["refusal_reason", "witnesses", "recording_ref"],
        "写明拒收事由，并有见证人签名或以拍照、录像等方式记录（民事诉讼法第八十九条）。",
        "left",
    ),
    ("svc_post", "邮寄送达", ["postal_no"], "回执上注明的收件日期为送达日期。", "post"),
    (
        "svc_electronic",
        "电子送达",
        ["consent"],
        "须当事人同意并签订确认书（行政处罚法第六十一条第二款）。",
        "electronic",
    ),
    (
        "svc_public",
        "公告送达",
        ["published_on", "publication_medium", "public_reason"],
        "自发出公告之日起经过三十日视为送达（民事诉讼法第九十五条）。",
        "public",
    ),
]


class ConsentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.party.name} {obj.signed_on:%Y-%m-%d} 签署（{obj.address}）"


class ServiceFieldsMixin(forms.Form):
    """送达回证 (DOMAIN.md §3.13 第18项): method and the fields each method needs."""

    method = choice_field("送达方式", ServiceMethod.choices)
    addressee = text_field("受送达人", max_length=100, help_text="不填则为第一位当事人。")
    place = text_field("送达地点", max_length=200)
    receiver_name = text_field("签收人", max_length=50)
    receiver_relation = choice_field(
        "签收人身份", ReceiverRelation.choices, required=False, blank="—"
    )
    entrusted_to = text_field("受委托机关", max_length=100)
    refusal_reason = text_field("拒收事由", max_length=200)
    witnesses = text_field("见证人", max_length=200)
    recording_ref = text_field("音像记录编号", max_length=100)
    postal_no = text_field("邮件号码", max_length=40)
    consent = forms.Field(required=False)
    published_on = date_field("公告日期", required=False)
    publication_medium = text_field("公告载体", max_length=100)
    public_reason = text_field("公告送达的原因", max_length=200)
    second_server = forms.Field(required=False)

    SERVICE_FIELDS = [
        "method",
        "addressee",
        "place",
        "receiver_name",
        "receiver_relation",
        "entrusted_to",
        "refusal_reason",
        "witnesses",
        "recording_ref",
        "postal_no",
        "consent",
        "published_on",
        "publication_medium",
        "public_reason",
        "second_server",
    ]
    SERVICE_MAP = {"service": "@svc_method", "method": "method", "published_on": "published_on"}
    conditions = {key: ("method", methods) for key, _, _, _, methods in SERVICE_GROUPS}

    def setup_service(self):
        self.fields["consent"] = ConsentChoiceField(
            queryset=ServiceConsent.objects.filter(case=self.case).select_related("party"),
            label="电子送达确认书",
            required=False,
            empty_label="—（使用最近签署的确认书）",
        )
        team = Assignment.objects.filter(case=self.case, released_on__isnull=True).values("user_id")
        from django.contrib.auth import get_user_model

        self.fields["second_server"] = UserChoiceField(
            get_user_model().objects.filter(pk__in=team).select_related("unit"),
            label="送达人（二）",
            required=False,
        )
        if not self.is_bound and "addressee" in self.fields:
            first = Party.objects.filter(case=self.case).order_by("pk").first()
            if first is not None:
                self.initial.setdefault("addressee", first.name)
                self.initial.setdefault("receiver_name", first.legal_representative)

    def without_public_service(self):
        """公告送达 is offered for the decision only: for the notice and the reminder the date
        deemed served is not computed by the service (the date entered would be taken)."""
        for name in ("published_on", "publication_medium", "public_reason"):
            del self.fields[name]
        field = self.fields["method"]
        field.choices = [(k, v) for k, v in field.choices if k != ServiceMethod.PUBLIC]

    def service_fieldsets(self):
        return [
            (
                "svc_method",
                "送达",
                ["method", "addressee", "place", "second_server"],
                "按送达方式填写下列相应栏目；送达人为本人。",
            ),
            *[(key, legend, names, note) for key, legend, names, note, _ in SERVICE_GROUPS],
        ]

    def service_data(self) -> dict:
        d = self.cleaned_data
        data = {name: d.get(name) for name in self.SERVICE_FIELDS}
        for name, value in list(data.items()):
            if value is None:
                data[name] = (
                    "" if name not in ("consent", "published_on", "second_server") else None
                )
        return data


class ConsentForm(CaseForm):
    """登记电子送达确认书 (services.service_consent_record)."""

    party = forms.Field()
    signed_on = date_field("签署日期", today=True)
    address = text_field("电子送达地址（传真、电子邮件等）", required=True, max_length=200)

    def setup(self):
        self.fields["party"] = forms.ModelChoiceField(
            queryset=Party.objects.filter(case=self.case).order_by("pk"),
            label="当事人",
            empty_label="请选择",
            error_messages={"required": "请选择当事人"},
        )
        self.order_fields(["party", "signed_on", "address"])


class PaymentForm(CaseForm):
    """登记缴款 (services.payment_record). The surcharge owed is computed, never typed."""

    kind = choice_field("款项", PaymentKind.choices)
    amount = money_field("金额（元）", required=True)
    paid_on = date_field("缴款日期", today=True)
    receipt_no = text_field("缴款凭证号", required=True, max_length=60)
    channel = choice_field("缴款渠道", PaymentChannel.choices)

    def setup(self):
        if not self.is_bound:
            self.initial.setdefault("kind", PaymentKind.FINE)
            self.initial.setdefault("channel", PaymentChannel.BANK)


PLAN_ROWS = 6


class PlanApplyForm(CaseForm):
    """当事人申请暂缓或分期缴纳罚款 (services.payment_plan_apply)."""

    kind = choice_field("方式", PlanKind.choices)
    reason = long_text("经济困难的情况", required=True)
    applied_on = date_field("申请日期", today=True)
    field_map = {"schedule": "@schedule"}

    def setup(self):
        for i in range(1, PLAN_ROWS + 1):
            self.fields[f"due_{i}"] = date_field(f"第{i}期 缴纳日期", required=False)
            self.fields[f"amount_{i}"] = money_field(f"第{i}期 金额（元）")

    @property
    def fieldsets(self):
        rows = [f"{k}_{i}" for i in range(1, PLAN_ROWS + 1) for k in ("due", "amount")]
        return [
            ("plan", "申请", ["kind", "reason", "applied_on"], ""),
            (
                "schedule",
                "缴纳安排",
                rows,
                "暂缓缴纳填一期；分期缴纳至少两期，各期合计应等于未缴罚款。",
            ),
        ]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        schedule = [
            {"due": d.get(f"due_{i}"), "amount": d.get(f"amount_{i}") or ""}
            for i in range(1, PLAN_ROWS + 1)
            if d.get(f"due_{i}") or d.get(f"amount_{i}")
        ]
        return {
            "kind": d["kind"],
            "reason": d["reason"],
            "applied_on": d["applied_on"],
            "schedule": schedule,
        }


class PlanDecideForm(CaseForm):
    """批准暂缓或分期缴纳（行政机关负责人） (services.payment_plan_decide)."""

    approved = forms.TypedChoiceField(
        label="审批意见",
        choices=[("", "请选择"), ("1", "批准"), ("0", "不予批准")],
        coerce=lambda v: v == "1",
        error_messages={"required": "请选择审批意见"},
    )
    note = long_text("审批意见说明", help_text="不予批准的须写明理由。")
    decided_on = date_field("批准日期", today=True)

    def service_kwargs(self) -> dict:
        return {"plan": self.obj, **self.cleaned_data}


class CourtApplyForm(CaseForm):
    """申请人民法院强制执行 (services.court_application_record)."""

    court = text_field("人民法院", required=True, max_length=100)
    applied_on = date_field("申请日期", today=True)
    note = long_text("说明", rows=2)


class DecisionChangeForm(CaseForm):
    """登记执法决定被撤销、确认违法、变更或重新作出 (services.decision_change_record)."""

    kind = choice_field("变更情形", DecisionChangeKind.choices)
    authority = choice_field("作出机关类别", DecisionChangeAuthority.choices)
    authority_name = text_field("作出机关", required=True, max_length=100)
    document = text_field(
        "文书名称及文号",
        required=True,
        max_length=200,
        help_text="如：行政复议决定书 陵政复决字〔2026〕3号",
    )
    happened_on = date_field("作出日期", today=True)
    reason = long_text(
        "理由",
        required=True,
        rows=3,
        help_text="已公开的决定将撤下，并向社会公开说明此理由（行政处罚法第四十八条第二款）。",
    )


class CourtUpdateForm(CaseForm):
    """登记强制执行进展 (services.court_application_update)."""

    status = choice_field("进展", CourtStatus.choices)
    status_on = date_field("进展日期", today=True)
    note = long_text("说明（裁定书文号等）", rows=2)

    def service_kwargs(self) -> dict:
        return {"application": self.obj, **self.cleaned_data}

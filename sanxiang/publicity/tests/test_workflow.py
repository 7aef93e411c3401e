"""The publication workflow: collect → review by another person → publish; never-publish grounds;
withdrawal with its reason; corrections with history; credit repair; every step in the ledger."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from sanxiang.accounts import roles
from sanxiang.cases.models import Decision, DecisionChange, Party
from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.publicity import handlers, services
from sanxiang.publicity.models import (
    CreditRepair,
    PortalEntry,
    Publication,
    PublicationVersion,
    State,
)

from .conftest import ledger_size, publication_of, record_change

pytestmark = pytest.mark.django_db


def _approve(pub, actor, **kw):
    return services.publication_approve(publication=pub, actor=actor, **kw)


def test_a_decision_becomes_a_masked_draft_on_the_seven_working_day_clock(decided):
    pub = publication_of(decided)
    assert pub.state == State.DRAFT
    assert pub.category == "penalty" and pub.publish_workdays == 7
    assert pub.decided_on == dt.date(2026, 4, 7)
    assert pub.due_on == dt.date(2026, 4, 16)
    # 谁办案、谁录入、谁负责: the collector of record is the case's lead officer.
    assert pub.drafted_by == decided.p.zhangming
    draft = pub.versions.get()
    assert draft.author is None and "900" in draft.fields["content"]
    assert Event.objects.filter(type="publicity.collected").count() == 1


def test_collection_is_idempotent_and_skips_unpublished_outcomes(decided):
    assert handlers.collect_pending() == 0
    assert Publication.objects.count() == 1


def test_deciding_collects_the_draft_when_the_decision_commits(
    flow, django_capture_on_commit_callbacks
):
    """ledger.subscribe("case.decide", on_case_decided) in PublicityConfig.ready()."""
    with django_capture_on_commit_callbacks(execute=True):
        f = flow().decided()
    assert publication_of(f).state == State.DRAFT
    assert handlers.collect_pending() == 0  # nothing left for the catch-up sweep


def test_the_ledger_handler_collects_the_decided_case(flow):
    f = flow().decided()
    event = Event.objects.filter(type="case.decide").latest("seq")
    handlers.on_case_decided(event)
    assert publication_of(f).state == State.DRAFT


def test_complainant_name_and_phone_never_reach_the_draft(flow):
    f = flow().investigated(
        facts_found="经查，投诉人孙某（电话13903560101）反映属实，该公司安排3名劳动者每月延长工作时间超过36小时。"
    )
    f.decided()
    handlers.collect_pending()
    draft = publication_of(f).versions.get()
    assert "13903560101" not in str(draft.fields)
    assert draft.counts.get("mobile") == 1


def test_approval_publishes_with_a_pdf_a_period_and_a_ledger_proof(decided):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    pub.refresh_from_db()
    entry = pub.entry
    assert pub.state == State.PUBLISHED and entry.state == "published"
    assert pub.period_min_end == dt.date(2026, 7, 7)
    assert pub.period_end == dt.date(2029, 4, 7)  # 3 years from the decision date
    assert len(entry.pdf_sha256) == 64 and entry.pdf_size > 1000
    event = Event.objects.get(seq=entry.publish_seq)
    assert event.type == "publicity.published"
    assert entry.pdf_sha256 in event.payload
    assert entry.sort_key // 10**9 == dt.date(2026, 4, 7).toordinal()


def test_approval_by_the_drafter_is_refused(decided):
    pub = publication_of(decided)
    zhangming = decided.p.zhangming  # the collector of record, now also a 公示管理员
    zhangming.groups.add(Group.objects.get(name=roles.PUBLICITY_ADMIN))
    zhangming = type(zhangming).objects.get(pk=zhangming.pk)
    before = ledger_size()
    with pytest.raises(Blocked) as caught:
        _approve(pub, zhangming)
    assert any("审核人不能是公示信息的采集责任人或修改人" in r for r in caught.value.reasons)
    assert ledger_size() == before
    assert not PortalEntry.objects.exists()


def test_whoever_edited_the_text_may_not_approve_it_and_another_admin_may(decided, zhou2):
    pub = publication_of(decided)
    zhou = decided.p.zhougongshi
    fields = dict(pub.versions.get().fields, facts="经查，该公司安排3名劳动者超时加班。")
    services.publication_revise(publication=pub, actor=zhou, fields=fields, note="精简")
    with pytest.raises(Blocked):
        _approve(pub, zhou)
    _approve(pub, zhou2)
    pub.refresh_from_db()
    assert pub.entry.facts == "经查，该公司安排3名劳动者超时加班。"


def test_an_officer_may_not_approve(decided):
    with pytest.raises(NotPermitted):
        _approve(publication_of(decided), decided.p.lihua)


def test_personal_data_typed_back_into_the_text_blocks_approval(decided, zhou2):
    pub = publication_of(decided)
    fields = dict(pub.versions.get().fields)
    fields["facts"] += "联系人手机13903561234。"
    services.publication_revise(publication=pub, actor=decided.p.lihua, fields=fields)
    with pytest.raises(Blocked) as caught:
        _approve(pub, decided.p.zhougongshi)
    assert any("手机号码1处" in r for r in caught.value.reasons)


def test_confidentiality_review_item_needs_the_check_and_an_opinion(decided):
    from sanxiang.catalog.models import ItemVersion

    ItemVersion.objects.filter(pk=decided.items.overtime.pk).update(confidentiality_review=True)
    pub = publication_of(decided)
    Publication.objects.filter(pk=pub.pk).update(confidentiality_review=True)
    pub.refresh_from_db()
    with pytest.raises(DomainError):
        _approve(pub, decided.p.zhougongshi)
    with pytest.raises(Blocked):
        _approve(pub, decided.p.zhougongshi, confidentiality_note="不涉密")
    _approve(
        pub, decided.p.zhougongshi, confidentiality_checked=True, confidentiality_note="不涉密"
    )
    assert Publication.objects.get(pk=pub.pk).confidentiality_note == "不涉密"


# --- never publish ------------------------------------------------------------------------------


def test_a_minor_party_is_flagged_at_draft_time_and_needs_a_recorded_non_publication_decision(
    flow,
):
    import random

    from sanxiang.lib.codes import make_id_number

    minor_id = make_id_number(random.Random(3), region="140524", birth_date=dt.date(2010, 5, 1))
    f = flow().registered(
        parties=[
            {
                "kind": "natural_person",
                "name": "小明",
                "id_number": minor_id,
                "address": "陵川县崇文镇某村",
            }
        ]
    )
    f.decided()
    handlers.collect_pending()
    pub = publication_of(f)
    assert pub.withhold_grounds == ["minor"]
    with pytest.raises(Blocked) as caught:
        _approve(pub, f.p.zhougongshi)
    assert any("当事人为未成年人" in r for r in caught.value.reasons)
    services.publication_withhold(
        publication=pub,
        actor=f.p.zhougongshi,
        grounds=["minor"],
        reason="未成年人保护法第一百零三条",
    )
    pub.refresh_from_db()
    assert pub.state == State.WITHHELD and "当事人为未成年人" in pub.end_reason
    assert Event.objects.filter(type="publicity.withheld").exists()
    assert not PortalEntry.objects.exists()


def test_warning_only_decisions_are_flagged_when_the_bureau_policy_says_so(flow, agency, personas):
    services.publicity_settings_set(
        agency=agency,
        actor=personas.xitong,
        withhold_warning_only=True,
        default_min_months=3,
        default_max_months=36,
    )
    f = flow().decided(penalty_types=["warning"], fine_amount=None, tier_level="lenient")
    handlers.collect_pending()
    assert publication_of(f).withhold_grounds == ["warning_only"]


def test_the_drafter_can_mark_secrets_and_the_mark_blocks_publication(decided):
    pub = publication_of(decided)
    services.publication_revise(
        publication=pub,
        actor=decided.p.zhangming,
        fields=pub.versions.get().fields,
        manual_grounds=["business_secret"],
    )
    pub.refresh_from_db()
    assert pub.withhold_grounds == ["business_secret"]
    with pytest.raises(Blocked):
        _approve(pub, decided.p.zhougongshi)


# --- bad input: Chinese errors, nothing written ---------------------------------------------------


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"facts": ""}, "facts", "请填写违法事实"),
        ({"content": "罚" * 5001}, "content", "不能超过5000字"),
        ({"nonsense": "x"}, "fields", "未知的公开字段"),
    ],
)
def test_bad_text_is_refused_in_chinese_and_nothing_is_written(decided, change, field, message):
    pub = publication_of(decided)
    fields = dict(pub.versions.get().fields, **change)
    before = (ledger_size(), PublicationVersion.objects.count())
    with pytest.raises(DomainError) as caught:
        services.publication_revise(publication=pub, actor=decided.p.zhangming, fields=fields)
    assert caught.value.field == field and message in caught.value.message
    assert (ledger_size(), PublicationVersion.objects.count()) == before


def test_bad_decision_change_and_withdrawal_input_write_nothing(decided):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    zhou = decided.p.zhougongshi
    before = (ledger_size(), DecisionChange.objects.count())
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    base = dict(
        decision=pub.decision,
        actor=decided.p.zhaomin,
        kind="revoked",
        authority="review",
        authority_name="陵川县人民政府",
        document="陵政复决字〔2026〕第3号",
        reason="事实不清",
    )
    with pytest.raises(DomainError, match="不能晚于今天"):
        record_change(happened_on=tomorrow, **base)
    with pytest.raises(DomainError, match="不能早于原执法决定"):
        record_change(happened_on=dt.date(2026, 4, 1), **base)
    with pytest.raises(DomainError, match="日期"):
        record_change(happened_on="2026-13-01", **base)
    with pytest.raises(DomainError, match="请选择变更情形"):
        record_change(happened_on=dt.date(2026, 5, 6), **(base | {"kind": "x"}))
    with pytest.raises(DomainError, match="请填写撤下理由"):
        services.publication_withdraw(publication=pub, actor=zhou, reason="  ")
    assert (ledger_size(), DecisionChange.objects.count()) == before
    assert Publication.objects.get(pk=pub.pk).state == State.PUBLISHED


def test_bad_settings_are_refused(agency, personas):
    with pytest.raises(DomainError, match="不能长于最长公示期限"):
        services.publicity_settings_set(
            agency=agency,
            actor=personas.xitong,
            withhold_warning_only=False,
            default_min_months=12,
            default_max_months=6,
        )
    with pytest.raises(DomainError, match="未知的处罚种类"):
        services.publicity_settings_set(
            agency=agency,
            actor=personas.xitong,
            withhold_warning_only=False,
            default_min_months=3,
            default_max_months=36,
            period_rules={"flogging": [1, 2]},
        )


# --- withdrawal, correction, periods, credit repair ----------------------------------------------


def test_a_revocation_opens_a_three_working_day_withdrawal_and_the_page_becomes_a_notice(
    decided, client
):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    pub.refresh_from_db()
    record_change(
        decision=pub.decision,
        actor=decided.p.zhaomin,
        kind="revoked",
        authority="review",
        authority_name="陵川县人民政府",
        document="陵政复决字〔2026〕第3号",
        happened_on=dt.date(2026, 9, 30),
        reason="认定事实不清",
    )
    pub.refresh_from_db()
    assert pub.withdraw_due == dt.date(2026, 10, 10)  # DOMAIN.md §9.3: 国庆, 10 Oct make-up day
    services.publication_withdraw(
        publication=pub, actor=decided.p.zhougongshi, reason="该决定已被行政复议机关撤销"
    )
    entry = PortalEntry.objects.get(pk=pub.entry_id)
    assert entry.state == "withdrawn" and entry.end_reason == "该决定已被行政复议机关撤销"
    assert Event.objects.get(seq=entry.end_seq).type == "publicity.withdrawn"
    page = client.get(f"/gongkai/decisions/{entry.pk}/").content.decode()
    assert "撤下说明" in page and "该决定已被行政复议机关撤销" in page
    assert "违法事实" not in page  # the text itself is gone
    assert client.get(f"/gongkai/decisions/{entry.pk}/document.pdf").status_code == 404


def test_a_revocation_before_publication_blocks_it(decided):
    pub = publication_of(decided)
    record_change(
        decision=pub.decision,
        actor=decided.p.zhaomin,
        kind="remake",
        authority="court",
        authority_name="陵川县人民法院",
        document="（2026）晋0524行初5号",
        happened_on=dt.date(2026, 5, 6),
        reason="程序违法",
    )
    pub.refresh_from_db()
    assert "revoked" in pub.withhold_grounds
    with pytest.raises(Blocked):
        _approve(pub, decided.p.zhougongshi)


def test_a_correction_is_reviewed_published_and_kept_in_the_history(decided, client, zhou2):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    pub.refresh_from_db()
    fields = dict(
        pub.versions.get(state="published").fields, basis="《劳动保障监察条例》第二十五条"
    )
    with pytest.raises(DomainError, match="更正理由"):
        services.publication_revise(publication=pub, actor=decided.p.zhangming, fields=fields)
    services.publication_revise(
        publication=pub, actor=decided.p.zhangming, fields=fields, note="补正处罚依据的条款"
    )
    _approve(pub, decided.p.zhougongshi)
    entry = PortalEntry.objects.get(pk=pub.entry_id)
    assert entry.version == 2 and entry.basis == "《劳动保障监察条例》第二十五条"
    assert Event.objects.get(seq=entry.update_seq).type == "publicity.corrected"
    assert list(entry.versions.values_list("number", flat=True)) == [1, 2]
    page = client.get(f"/gongkai/decisions/{entry.pk}/").content.decode()
    assert "更正记录" in page and "补正处罚依据的条款" in page
    assert client.get(f"/gongkai/decisions/{entry.pk}/v1/").status_code == 200


def test_the_period_ends_by_itself_and_the_sweep_only_records_it(decided, client):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    pub.refresh_from_db()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Publication.objects.filter(pk=pub.pk).update(period_end=yesterday)
    PortalEntry.objects.filter(pk=pub.entry_id).update(period_end=yesterday)
    listing = client.get("/gongkai/decisions/").content.decode()
    assert pub.entry.title not in listing
    assert "公示期已满" in client.get(f"/gongkai/decisions/{pub.entry_id}/").content.decode()
    assert services.period_end_record(today=timezone.localdate()) == 1
    assert services.period_end_record(today=timezone.localdate()) == 0
    assert Event.objects.filter(type="publicity.period_ended").count() == 1


def test_credit_repair_needs_the_materials_and_then_ends_publicity_early(decided):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    pub.refresh_from_db()
    zhou = decided.p.zhougongshi
    repair = services.credit_repair_apply(
        publication=pub,
        actor=zhou,
        applied_on=dt.date(2026, 8, 3),
        applicant="陵川县示例建筑劳务有限公司",
        materials=["application", "performance"],
        evidence_note="罚款已缴清，已调整排班",
    )
    with pytest.raises(Blocked, match="缺少申请材料：信用修复承诺书"):
        services.credit_repair_decide(repair=repair, actor=zhou, approve=True, reason="同意")
    assert CreditRepair.objects.get(pk=repair.pk).status == "applied"
    CreditRepair.objects.filter(pk=repair.pk).update(
        materials=["application", "commitment", "performance"]
    )
    services.credit_repair_decide(
        repair=repair,
        actor=zhou,
        approve=True,
        reason="已履行并作出信用承诺",
        decided_on=dt.date(2026, 8, 10),
    )
    entry = PortalEntry.objects.get(pk=pub.entry_id)
    assert entry.state == "terminated"
    assert Publication.objects.get(pk=pub.pk).state == State.TERMINATED


def test_credit_repair_before_the_minimum_period_is_refused(decided):
    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    zhou = decided.p.zhougongshi
    repair = services.credit_repair_apply(
        publication=pub,
        actor=zhou,
        applied_on=dt.date(2026, 5, 6),
        applicant="陵川县示例建筑劳务有限公司",
        materials=["application", "commitment", "performance"],
        evidence_note="罚款已缴清",
    )
    with pytest.raises(Blocked, match="最短公示期届满"):
        services.credit_repair_decide(
            repair=repair, actor=zhou, approve=True, reason="同意", decided_on=dt.date(2026, 6, 1)
        )


def test_todo_shows_the_review_to_the_admin_and_the_draft_to_its_officer(decided):
    from sanxiang.publicity.selectors import todo_items_for

    today = dt.date(2026, 4, 15)  # one working day before the 16 April deadline
    admin = todo_items_for(user=decided.p.zhougongshi, today=today)
    assert [i.title for i in admin] == ["审核公示信息（原文与脱敏文本对照）"]
    assert admin[0].due == dt.date(2026, 4, 16) and admin[0].urgency == "soon"
    late = todo_items_for(user=decided.p.zhangming, today=dt.date(2026, 4, 17))
    assert late[0].urgency == "overdue" and late[0].title == "核对公示信息的脱敏文本"
    assert todo_items_for(user=decided.p.wangqiang, today=today) == []


def test_withdrawal_todo_after_a_revocation(decided):
    from sanxiang.publicity.selectors import todo_items_for

    pub = publication_of(decided)
    _approve(pub, decided.p.zhougongshi)
    record_change(
        decision=pub.decision,
        actor=decided.p.zhaomin,
        kind="confirmed_illegal",
        authority="court",
        authority_name="陵川县人民法院",
        document="（2026）晋0524行初9号",
        happened_on=dt.date(2026, 9, 30),
        reason="确认违法",
    )
    items = todo_items_for(user=decided.p.zhougongshi, today=dt.date(2026, 10, 12))
    withdraw = [i for i in items if i.title.startswith("撤下")]
    assert (
        withdraw and withdraw[0].due == dt.date(2026, 10, 10) and withdraw[0].urgency == "overdue"
    )


def test_natural_person_party_keeps_the_name_and_loses_id_and_address(flow):
    import random

    from sanxiang.lib.codes import make_id_number

    person_id = make_id_number(random.Random(9), region="140524", birth_date=dt.date(1980, 3, 3))
    f = flow().registered(
        parties=[
            {
                "kind": "natural_person",
                "name": "郭建军",
                "id_number": person_id,
                "address": "陵川县西河底镇积善村8号",
                "phone": "13503561234",
            }
        ]
    )
    f.decided()
    handlers.collect_pending()
    pub = publication_of(f)
    text = str(pub.versions.get().fields)
    assert "郭建军" in text
    assert person_id not in text and "积善村8号" not in text
    _approve(pub, f.p.zhougongshi)
    entry = PortalEntry.objects.get(pk=Publication.objects.get(pk=pub.pk).entry_id)
    assert entry.party_code == "" and person_id not in entry.search_text
    assert Party.objects.filter(id_number=person_id).exists()  # the case keeps it
    assert Decision.objects.count() == 1

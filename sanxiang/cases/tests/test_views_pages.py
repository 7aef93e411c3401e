"""The case list, the intake form and the case page as the personas see them: filters and
search, Chinese errors with nothing written, blocked steps with their reasons, the complainant's
identity kept confidential (and every look at it recorded), closed cases read-only, and a number
of queries that does not grow with the number of cases or events."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import gates, services
from sanxiang.cases.choices import DeadlineKind, RecordKind, State
from sanxiang.cases.models import Assignment, Case, Complainant, Deadline, Party
from sanxiang.ledger.models import Event
from sanxiang.lib import codes
from sanxiang.registry.models import Agency

from .conftest import at


def text(response) -> str:
    """The page's main content, tags removed (what a reader sees)."""
    html = response.content.decode()
    main = html[html.find("<main") : html.find("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def bulk_cases(n: int, *, agency, user, team=(), start: int = 0) -> list[Case]:
    """``n`` filed cases with a party, a team and two open clocks, written in bulk (test data
    for query counts, not a path through the services)."""
    base = dt.date(2026, 3, 2)
    today = timezone.localdate()
    cases = Case.objects.bulk_create(
        [
            Case(
                agency=agency,
                state=State.INVESTIGATING,
                source="complaint" if i % 3 else "patrol",
                channel="window",
                received_on=base + dt.timedelta(days=i % 200),
                received_by=user,
                registration_no=f"批量登字第{start + i}号",
                case_no=f"批量立字第{start + i}号",
                filed_on=base + dt.timedelta(days=i % 200),
                summary=f"拖欠工资案{start + i}",
                facts="批量",
            )
            for i in range(n)
        ]
    )
    rng = random.Random(start)
    Party.objects.bulk_create(
        [
            Party(case=c, kind="organisation", name=f"批量公司{c.pk}", uscc=codes.make_uscc(rng))
            for c in cases
        ]
    )
    Assignment.objects.bulk_create(
        [
            Assignment(
                case=c,
                user=u,
                role="lead" if j == 0 else "assist",
                assigned_on=c.received_on,
                assigned_by=user,
            )
            for c in cases
            for j, u in enumerate(team)
        ]
    )
    # Half the cases have an overdue clock first, half one due within the next weeks (soon or
    # not: the working-day calendar is read), in the small list as in the big one.
    Deadline.objects.bulk_create(
        [
            Deadline(
                case=c,
                kind=kind,
                basis="测试",
                start=c.received_on,
                length=60,
                unit="workdays",
                due=due,
            )
            for i, c in enumerate(cases)
            for kind, due in (
                (
                    DeadlineKind.INVESTIGATION,
                    c.received_on + dt.timedelta(days=90) if i % 2 else today + dt.timedelta(60),
                ),
                (DeadlineKind.DECISION, today + dt.timedelta(days=i % 20)),
            )
        ]
    )
    return cases


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- the list ----------------------------------------------------------------------------------


def test_list_shows_number_title_party_state_team_and_the_nearest_deadline(client, flow):
    f = flow().filed()
    client.force_login(f.p.zhangming)
    page = text(client.get(reverse("cases:case_list")))
    assert "陵人社监立字〔2026〕第1号" in page and "反映拖欠工资、超时加班" in page
    assert "陵川县示例建筑劳务有限公司" in page and "调查中" in page
    assert "张明 （主办）" in page and "李华" in page
    # Filed 3 Mar 2026: 60 working days → 2026-06-01 … long past today: overdue, in words.
    assert "已逾期" in page


def test_leads_have_their_own_tab(client, flow):
    lead = flow().registered(summary="未受理的投诉")
    filed = flow().filed()
    client.force_login(lead.p.zhangming)
    cases = text(client.get(reverse("cases:case_list")))
    leads = text(client.get(reverse("cases:lead_list")))
    assert "未受理的投诉" in leads and filed.case.case_no not in leads
    assert "未受理的投诉" not in cases and filed.case.case_no in cases


@pytest.mark.parametrize(
    ("params", "found", "missing"),
    [
        ({"q": "劳务"}, ["A劳务"], ["B商贸"]),  # party name, Chinese substring
        ({"q": "工资"}, ["A劳务"], ["B商贸"]),  # summary
        ({"q": "第2号"}, ["B商贸"], ["A劳务"]),  # case number
        ({"q": "A劳务有限"}, ["A劳务"], ["B商贸"]),  # 3+ characters: the trigram index
        ({"q": "欠工资"}, ["A劳务"], ["B商贸"]),
        ({"q": "a劳务"}, ["A劳务"], ["B商贸"]),  # ASCII case folded, as icontains
        ({"q": "人社监"}, [], ["A劳务", "B商贸"]),  # not number-like: numbers are not searched
        ({"q": "100%"}, [], ["A劳务", "B商贸"]),  # a LIKE wildcard is a literal character
        ({"source": "report"}, ["B商贸"], ["A劳务"]),
        ({"major": "1"}, ["B商贸"], ["A劳务"]),
        ({"deadline": "overdue"}, ["A劳务", "B商贸"], []),
        ({"received_from": "2026-03-03"}, ["B商贸"], ["A劳务"]),
        ({"received_to": "2026-03-02"}, ["A劳务"], ["B商贸"]),
        ({"state": "concluded"}, [], ["A劳务", "B商贸"]),
        ({"procedure": "simplified"}, [], ["A劳务", "B商贸"]),
    ],
)
def test_list_filters_and_search(client, flow, params, found, missing):
    a = flow().registered(summary="拖欠工资", parties=[{**_org("A劳务有限公司", 1)}])
    a.filed()
    b = flow().registered(
        source="report",
        summary="超时加班",
        received_on=dt.date(2026, 3, 3),
        complainants=[{"role": "reporter", "name": "孙某"}],
        parties=[{**_org("B商贸有限公司", 2)}],
    )
    b.filed()
    services.case_flag(actor=b.p.wangqiang, case=b.case, kind="major", reason="影响大")
    client.force_login(a.p.zhangming)
    page = text(client.get(reverse("cases:case_list"), params))
    for name in found:
        assert name in page
    for name in missing:
        assert name not in page


def test_search_follows_corrections_of_summary_and_party_names(client, flow):
    """The search index (migration 0002: FTS5 trigram tables on SQLite kept by triggers, pg_trgm
    on PostgreSQL) changes in the same statement as the row it indexes."""
    a = flow().registered(summary="拖欠工资", parties=[{**_org("甲乙丙建筑公司", 3)}])
    client.force_login(a.p.zhangming)
    url = reverse("cases:lead_list")
    assert "甲乙丙建筑" in text(client.get(url, {"q": "乙丙建"}))
    Case.objects.filter(pk=a.case.pk).update(summary="未缴社会保险费")
    Party.objects.filter(case=a.case).update(name="丁戊己商贸公司")
    assert "丁戊己商贸" not in text(client.get(url, {"q": "欠工资"}))
    assert "丁戊己商贸" not in text(client.get(url, {"q": "乙丙建"}))
    assert "丁戊己商贸" in text(client.get(url, {"q": "社会保险"}))
    assert "丁戊己商贸" in text(client.get(url, {"q": "戊己"}))


def _org(name: str, seed: int) -> dict:
    return {"kind": "organisation", "name": name, "uscc": codes.make_uscc(random.Random(seed))}


def test_list_filters_by_officer(client, flow):
    mine = flow().filed()
    other = flow().registered(summary="他人的案件")
    other.assigned(other.p.lihua, other.p.zhaoliu)
    other.filed()
    client.force_login(mine.p.zhangming)
    page = text(client.get(reverse("cases:case_list"), {"officer": mine.p.zhangming.pk}))
    assert mine.case.case_no in page and "他人的案件" not in page


def test_bad_filter_values_are_ignored_not_an_error(client, flow):
    f = flow().filed()
    client.force_login(f.p.zhangming)
    response = client.get(reverse("cases:case_list"), {"received_from": "昨天", "state": "x"})
    assert response.status_code == 200 and f.case.case_no in text(response)
    assert "请按“年-月-日”填写日期" in response.content.decode()


def test_list_pages_through_many_cases(client, p, agency):
    bulk_cases(60, agency=agency, user=p.zhangming, team=[p.zhangming, p.lihua])
    client.force_login(p.zhangming)
    first = text(client.get(reverse("cases:case_list")))
    second = text(client.get(reverse("cases:case_list"), {"page": 2}))
    assert "第 1 / 2 页，共 60 件" in first and "第 2 / 2 页" in second
    oldest = text(client.get(reverse("cases:case_list"), {"order": "received_on"}))
    assert oldest.index("批量立字第0号") < oldest.index("批量立字第1号")


def test_list_runs_the_same_number_of_queries_for_10_and_200_cases(
    client, p, agency, django_assert_max_num_queries
):
    client.force_login(p.zhangming)
    url = reverse("cases:case_list")
    bulk_cases(10, agency=agency, user=p.zhangming, team=[p.zhangming, p.lihua])
    client.get(url)  # warm the per-process caches (permissions, calendar)
    small = count_queries(client, url)
    searched_small = count_queries(client, url + "?q=拖欠&deadline=overdue&order=received_on")
    bulk_cases(190, agency=agency, user=p.zhangming, team=[p.zhangming, p.lihua], start=10)
    with django_assert_max_num_queries(small):
        response = client.get(url)
    assert "共 200 件" in text(response)
    assert (
        count_queries(client, url + "?q=拖欠&deadline=overdue&order=received_on") == searched_small
    )
    assert small <= 20


def test_list_needs_the_view_permission(client, p):
    client.force_login(p.wuquanxian)
    assert client.get(reverse("cases:case_list")).status_code == 403
    assert client.get(reverse("cases:lead_list")).status_code == 403


def test_cases_of_another_agency_are_neither_listed_nor_shown(client, flow, agency):
    f = flow().filed()
    other = Agency.objects.create(name="高平市人力资源和社会保障局", short_name="高人社")
    Case.objects.filter(pk=f.case.pk).update(agency=other)
    client.force_login(f.p.zhangming)
    assert f.case.case_no not in text(client.get(reverse("cases:case_list")))
    assert client.get(reverse("cases:case_detail", args=[f.case.pk])).status_code == 403


# --- intake ----------------------------------------------------------------------------------


def intake(items, **over):
    data = {
        "source": "complaint",
        "channel": "window",
        "received_on": "2026-03-02",
        "complainant_role": "complainant",
        "complainant_name": "孙某",
        "complainant_phone": "13903560101",
        "party_kind": "organisation",
        "party_name": "陵川县示例建筑劳务有限公司",
        "party_uscc": codes.make_uscc(random.Random(7), region="140524"),
        "party_legal_representative": "钱某",
        "summary": "拖欠3名农民工工资",
        "facts": "投诉人反映公司拖欠2026年1月至2月工资。",
        "request": "责令支付工资",
        "workers_affected": "3",
        "amount_claimed": "12,600.00",
        "violation_from": "2026-01-01",
        "violation_until": "2026-02-28",
        "cause": items.overtime.pk,
    }
    data.update(over)
    return data


def test_intake_registers_the_complaint_with_its_parts_and_opens_the_acceptance_clock(
    client, p, items
):
    client.force_login(p.zhangming)
    response = client.post(reverse("cases:case_new"), intake(items))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:case_detail", args=[case.pk])
    assert case.registration_no == "陵人社监登字〔2026〕第1号" and case.state == State.LEAD
    assert str(case.amount_claimed) == "12600.00" and case.workers_affected == 3
    assert (
        case.complainants.get().name == "孙某" and case.parties.get().legal_representative == "钱某"
    )
    assert case.causes.get().item_version == items.overtime
    clock = case.deadlines.get()
    assert clock.kind == DeadlineKind.ACCEPTANCE and clock.due == dt.date(2026, 3, 9)
    page = client.get(response["Location"])
    assert "已登记，登记号：陵人社监登字〔2026〕第1号" in page.content.decode()


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"party_uscc": "91140524MA0K00000X"}, "party_uscc", "校验位不符"),
        ({"complainant_id_number": "140524199001011234"}, "complainant_id_number", "校验位"),
        ({"summary": ""}, "summary", "请填写案情摘要（标题）"),
        ({"source": ""}, "source", "请选择案件来源"),
        ({"received_on": "2026-02-30"}, "received_on", "请按“年-月-日”填写日期"),
        ({"received_on": "2099-01-01"}, "received_on", "收到（发现）日期不能晚于今天"),
        ({"violation_from": "2026-04-01"}, "violation_from", "不能晚于收到（发现）日期"),
        ({"amount_claimed": "一万"}, "amount_claimed", "应为数字"),
        ({"complainant_name": "", "complainant_phone": ""}, None, "投诉须登记投诉人"),
        ({"complainant_phone": "12345"}, None, "联系电话"),
        ({"party_kind": "natural_person", "party_uscc": ""}, "party_id_number", "身份证号码"),
    ],
)
def test_intake_errors_are_chinese_next_to_the_field_and_nothing_is_written(
    client, p, items, over, field, message
):
    client.force_login(p.zhangming)
    events = Event.objects.count()
    response = client.post(reverse("cases:case_new"), intake(items, **over))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    if field:  # the message sits inside the field's own block, tied to it by id
        block = html[html.find(f'id="id_{field}"') :]
        assert message in block[: block.find('<div class="field')]
        assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html
    assert not Case.objects.exists() and not Complainant.objects.exists()
    assert Event.objects.count() == events


def test_a_patrol_lead_needs_no_complainant(client, p, items):
    client.force_login(p.lihua)
    data = intake(
        items,
        source="patrol",
        channel="onsite",
        complainant_role="",
        complainant_name="",
        complainant_phone="",
    )
    assert client.post(reverse("cases:case_new"), data).status_code == 302
    case = Case.objects.get()
    assert not case.complainants.exists() and case.deadlines.get().kind == "verification"


@pytest.mark.parametrize("persona", ["wuquanxian", "zhaomin", "liujuzhang"])
def test_only_those_who_register_leads_see_the_intake_form(client, p, items, persona):
    client.force_login(getattr(p, persona))
    assert client.get(reverse("cases:case_new")).status_code == 403
    assert client.post(reverse("cases:case_new"), intake(items)).status_code == 403
    assert not Case.objects.exists()


# --- the case page ------------------------------------------------------------------------------


def test_case_page_shows_numbers_parties_team_causes_clocks_records_and_timeline(client, flow):
    f = flow().decided()
    client.force_login(f.p.zhangming)
    page = text(client.get(reverse("cases:case_detail", args=[f.case.pk])))
    for expected in [
        "陵人社监立字〔2026〕第1号",  # case number
        "陵人社监登字〔2026〕第1号",  # registration number
        "陵人社监罚字〔2026〕第1号",  # decision number
        "已决定",
        "陵川县示例建筑劳务有限公司",
        "证件有效",
        "用人单位违法延长劳动者工作时间",  # cause, with its version
        "第1版",
        "劳动保障监察条例第十七条",  # a clock's basis
        "60个工作日",
        "询问笔录",
        "签名齐全",
        "第1版",  # proposal revision
        "900.00元",
        "警告、罚款",
        "事先告知",
        "登记投诉举报（线索）",  # timeline labels in Chinese …
        "受理并立案",
        "作出决定",
        "刘局长",  # … with the actor
    ]:
        assert expected in page, expected
    decided = Event.objects.filter(type="case.decide").get()
    local = decided.at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert local.strftime("%Y-%m-%d %H:%M") in page  # Asia/Shanghai


def test_a_long_timeline_folds_its_earlier_entries_and_keeps_every_one(client, flow):
    from sanxiang.cases.views.detail import TIMELINE_FOLD, TIMELINE_SHOWN

    f = flow().closed()
    events = list(Event.objects.filter(subject__key=str(f.case.pk), subject__kind="cases.case"))
    assert len(events) > TIMELINE_FOLD
    client.force_login(f.p.zhangming)
    html = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
    older, recent = html.split('<details class="timeline-older">')[1].split("</details>")
    assert f"显示较早的 {len(events) - TIMELINE_SHOWN} 条记录" in older
    assert older.count("<li>") == len(events) - TIMELINE_SHOWN
    recent = recent.split("</ol>")[0]
    assert recent.count("<li>") == TIMELINE_SHOWN and "结案" in recent  # the latest, open
    assert "登记投诉举报（线索）" in older  # the first, folded but on the page

    short = flow().registered()
    html = client.get(reverse("cases:case_detail", args=[short.case.pk])).content.decode()
    assert "timeline-older" not in html


def test_unknown_due_date_shows_the_reason(client, flow):
    f = flow().filed()
    Deadline.objects.filter(case=f.case, kind=DeadlineKind.INVESTIGATION).update(
        due=None, due_unknown_reason="2027年的法定节假日安排尚未录入"
    )
    client.force_login(f.p.zhangming)
    page = text(client.get(reverse("cases:case_detail", args=[f.case.pk])))
    assert "期限待定" in page and "2027年的法定节假日安排尚未录入" in page


def test_blocked_steps_are_shown_with_their_reasons(client, flow):
    f = flow().registered()  # a lead without a team
    client.force_login(f.p.wangqiang)
    html = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert 'aria-disabled="true"' in html
    assert "受理并立案 暂不能办理，原因：" in page
    assert "立案调查须由两名以上持有有效执法证件的执法人员进行" in page
    # …and the step is allowed, as a link to its form, once two officers are assigned.
    f.assigned()
    html = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
    assert f'href="{reverse("cases:case_action", args=[f.case.pk, "file"])}"' in html


def test_the_officer_sees_why_the_decision_waits(client, flow):
    f = flow().pending()
    services.case_flag(actor=f.p.wangqiang, case=f.case, kind="major", reason="涉及25人")
    gate = ["法制审核意见尚未作出（重大执法决定法制审核）"]  # whatever the review app answers
    with gates.overridden(review=lambda case, **kw: gate):
        for persona in (f.p.zhangming, f.p.liujuzhang):
            client.force_login(persona)
            page = text(client.get(reverse("cases:case_detail", args=[f.case.pk])))
            assert "作出决定" in page
            assert gate[0] in page  # the review gate's reason
            assert "集体讨论" in page  # 第五十七条第二款


def test_a_step_for_someone_else_is_refused_with_403(client, flow):
    f = flow().pending()
    client.force_login(f.p.zhangming)
    url = reverse("cases:case_action", args=[f.case.pk, "decide"])
    response = client.get(url)
    assert response.status_code == 403 and "您没有“作出决定”的权限" in response.content.decode()


def test_a_step_not_possible_in_this_state_is_explained_without_a_form(client, flow):
    f = flow().filed()
    client.force_login(f.p.liujuzhang)
    response = client.get(reverse("cases:case_action", args=[f.case.pk, "decide"]))
    page = text(response)
    assert response.status_code == 200 and "目前不能办理" in page and "待决定" in page
    assert "case-form" not in response.content.decode()


def test_blocked_submission_lists_the_reasons_and_writes_nothing(client, flow):
    f = flow().filed()  # no record, no proposal yet
    client.force_login(f.p.zhangming)
    url = reverse("cases:case_action", args=[f.case.pk, "conclude"])
    events = Event.objects.count()
    response = client.post(url, {"concluded_on": "2026-03-25"})
    page = text(response)
    assert "未能办理，原因如下" in page
    assert "尚无询问笔录或现场检查笔录" in page and "尚未提出拟处理意见" in page
    assert Event.objects.count() == events and f.refresh().state == State.INVESTIGATING


def test_closed_case_is_read_only(client, flow):
    f = flow().closed()
    client.force_login(f.p.zhangming)
    response = client.get(reverse("cases:case_detail", args=[f.case.pk]))
    html = response.content.decode()
    assert "已结案" in text(response) and "结案后只读" in text(response)
    assert "/do/" not in html  # no action at all
    client.force_login(f.p.wangqiang)
    for op in ("reopen", "assign", "flag", "edit_intake"):
        url = reverse("cases:case_action", args=[f.case.pk, op])
        assert "目前不能办理" in text(client.get(url))
    events = Event.objects.count()
    client.post(
        reverse("cases:case_action", args=[f.case.pk, "flag"]),
        {"kind": "major", "reason": "x", "on": "2026-04-22"},
    )
    assert Event.objects.count() == events


def test_case_page_needs_view_permission(client, flow):
    f = flow().registered()
    client.force_login(f.p.wuquanxian)
    assert client.get(reverse("cases:case_detail", args=[f.case.pk])).status_code == 403


def test_case_page_queries_do_not_grow_with_records_and_events(client, flow):
    small = flow().served()
    big = flow().registered()
    big.filed()
    for day in range(9, 14):
        services.investigation_record_add(
            actor=big.p.zhangming,
            case=big.case,
            kind=RecordKind.INSPECTION,
            started_at=at(dt.date(2026, 3, day)),
            ended_at=at(dt.date(2026, 3, day), 11),
            place="车间",
            officers=[big.p.zhangming, big.p.lihua],
            person={"name": "钱某"},
            ids_shown=True,
            recusal_asked=True,
            content="检查",
            person_signed=True,
            officers_signed=True,
        )
    big.ordered().ordered().proposed().proposed(fine_amount="800").concluded()
    big.notified().pending().decided().served()
    for i in range(3):
        big.paid(amount="100", paid_on=dt.date(2026, 4, 10 + i))
    events = Event.objects.filter(subject__key=str(big.case.pk)).count()
    assert events > Event.objects.filter(subject__key=str(small.case.pk)).count() + 8
    client.force_login(small.p.zhangming)
    client.get(reverse("cases:case_detail", args=[small.case.pk]))
    n_small = count_queries(client, reverse("cases:case_detail", args=[small.case.pk]))
    n_big = count_queries(client, reverse("cases:case_detail", args=[big.case.pk]))
    assert n_small == n_big


# --- the complainant's identity (劳动保障监察条例 第九条) ---------------------------------------------


def test_identity_is_masked_on_the_page_for_everyone(client, flow):
    f = flow().filed()
    for persona in ("zhangming", "lihua", "wangqiang", "liujuzhang", "zhaoliu", "zhaomin"):
        client.force_login(getattr(f.p, persona))
        html = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
        assert "孙某" not in html and "13903560101" not in html
        assert "（保密）" in html


def test_the_team_may_reveal_with_a_reason_and_the_look_is_recorded(client, flow):
    f = flow().filed()
    client.force_login(f.p.lihua)
    page = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
    url = reverse("cases:complainant_reveal", args=[f.case.pk])
    assert url in page
    response = client.post(url, {"reason": ""})
    assert "请填写查看理由" in response.content.decode()
    assert not Event.objects.filter(type="security.complainant_revealed").exists()
    response = client.post(url, {"reason": "联系投诉人核实工资数额"})
    assert "孙某" in response.content.decode() and "13903560101" in response.content.decode()
    event = Event.objects.get(type="security.complainant_revealed")
    assert event.actor == f.p.lihua and "联系投诉人核实工资数额" in event.payload


def test_other_officers_cannot_reveal_and_the_attempt_is_recorded(client, flow):
    f = flow().filed()
    client.force_login(f.p.zhaoliu)  # an officer of the bureau, not on this case
    page = client.get(reverse("cases:case_detail", args=[f.case.pk])).content.decode()
    url = reverse("cases:complainant_reveal", args=[f.case.pk])
    assert url not in page
    assert client.get(url).status_code == 403
    response = client.post(url, {"reason": "好奇"})
    assert response.status_code == 403 and "孙某" not in response.content.decode()
    assert Event.objects.filter(type="security.complainant_reveal_denied").exists()


def test_without_any_role_nothing_is_shown(client, flow):
    f = flow().filed()
    client.force_login(f.p.wuquanxian)
    url = reverse("cases:complainant_reveal", args=[f.case.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403


# --- 我的待办 and navigation -----------------------------------------------------------------------


def test_todo_links_land_on_the_case_page(client, flow):
    lead = flow().registered(summary="待受理的投诉")
    f = flow().filed()
    services.preservation_request(
        actor=f.p.zhangming,
        case=f.case,
        items=[{"name": "工资表", "quantity": "1"}],
        place_kept="保管室",
        reason="可能灭失",
        requested_on=dt.date(2026, 3, 5),
    )
    expected = {
        "zhangming": {lead.case, f.case},  # registered the lead; on the team of the case
        "wangqiang": {lead.case},  # decides on acceptance
        "liujuzhang": {f.case},  # approves the preservation
    }
    for persona, cases in expected.items():
        client.force_login(getattr(f.p, persona))
        home = client.get(reverse("workbench:home")).content.decode()
        links = set(re.findall(r'href="(/cases/\d+/)"', home))
        assert links == {reverse("cases:case_detail", args=[c.pk]) for c in cases}, persona
        for link in links:
            assert client.get(link).status_code == 200


def test_navigation_entry_resolves(client, p):
    client.force_login(p.zhangming)
    html = client.get(reverse("workbench:home")).content.decode()
    assert f'href="{reverse("cases:case_list")}"' in html
    html = client.get(reverse("cases:case_list")).content.decode()
    assert 'aria-current="page">案件' in html
    assert f'href="{reverse("cases:case_new")}"' in html

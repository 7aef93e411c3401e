"""Results (未发现问题 / 责令改正 / 立案 / 移送), the 20-working-day publication clock in 我的待办,
the staff pages and the portal (no login, no personal data)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry import services as registry_services

from .. import selectors, services
from ..models import Task, TaskResult
from .conftest import plan_data


@pytest.fixture
def drawn(personas, agency, items, officers, pool, run_draw):
    plan = services.plan_create(actor=personas.wangqiang, agency=agency, data=plan_data(items))
    return run_draw(plan)


def seat_user(task):
    return task.inspectors.filter(active=True).select_related("officer__user").first().officer.user


def record(task, result=TaskResult.NONE_FOUND, actor=None, **kw):
    values = {
        "inspected_on": timezone.localdate(),
        "result": result,
        "findings": "现场查阅劳动合同和工资台账，询问劳动者三名。",
        "public_summary": "",
        "transfer_to": "",
    }
    values.update(kw)
    return services.task_result_record(actor=actor or seat_user(task), task=task, **values)


def test_a_drawn_officer_records_the_result_and_the_publication_clock_starts(
    drawn, personas, today
):
    task = Task.objects.filter(plan=drawn).first()
    record(task, TaskResult.CORRECTION, public_summary="未依法订立书面劳动合同，已责令限期改正")
    task.refresh_from_db()
    due = selectors.publication_due(task, today=today)
    from sanxiang.workcalendar.selectors import add_workdays

    assert due.due == add_workdays(today, 20)
    items = selectors.todo_items_for(user=personas.zhougongshi, today=today)
    assert [i.title for i in items] == ["公开双随机抽查结果"]
    assert items[0].due == due.due
    late = selectors.todo_items_for(user=personas.zhougongshi, today=due.due + dt.timedelta(days=1))
    assert late[0].urgency == "overdue"
    services.task_result_publish(actor=personas.zhougongshi, task=task)
    assert selectors.todo_items_for(user=personas.zhougongshi, today=today) == []


def test_drawn_officers_see_their_open_inspections_in_my_todo(drawn, today):
    task = Task.objects.filter(plan=drawn).first()
    user = seat_user(task)
    titles = {i.subject for i in selectors.todo_items_for(user=user, today=today)}
    assert f"{drawn.code} · {task.target_name}" in titles


def test_only_a_drawn_officer_or_the_unit_head_records(drawn, personas):
    task = Task.objects.filter(plan=drawn).first()
    outsider = (
        next(
            p
            for p in (personas.zhangming, personas.lihua)
            if p.pk
            not in set(task.inspectors.filter(active=True).values_list("officer__user", flat=True))
        )
        if task.inspectors.filter(
            active=True, officer__user__in=[personas.zhangming, personas.lihua]
        ).count()
        < 2
        else None
    )
    if outsider is not None:
        with pytest.raises(NotPermitted):
            record(task, actor=outsider)
    with pytest.raises(NotPermitted):
        record(task, actor=personas.zhougongshi)
    record(task, actor=personas.wangqiang)
    with pytest.raises(DomainError, match="已登记"):
        record(task, actor=personas.wangqiang)


def test_a_result_needs_two_officers_with_certificates_valid_on_the_day(
    drawn, personas, officers, today
):
    task = Task.objects.filter(plan=drawn).first()
    seat = task.inspectors.filter(active=True).first()
    cert = next(c for o, c in officers.values() if o.pk == seat.officer_id)
    registry_services.certificate_suspend(
        actor=personas.xitong, certificate=cert, starts_on=today, reason="暂扣"
    )
    with pytest.raises(Blocked, match="两名以上"):
        record(task, actor=personas.wangqiang)
    assert not Task.objects.get(pk=task.pk).result


@pytest.mark.parametrize(
    "change, message",
    [
        ({"result": "other"}, "请选择检查结果"),
        ({"findings": " "}, "请填写检查情况"),
        ({"result": TaskResult.CORRECTION}, "公开的结果说明"),
        ({"result": TaskResult.TRANSFER, "public_summary": "移送"}, "移送机关"),
        ({"inspected_on": dt.date.today() + dt.timedelta(days=3)}, "不能晚于今天"),
    ],
)
def test_bad_results_are_refused_in_chinese_and_nothing_is_written(
    drawn, personas, change, message
):
    task = Task.objects.filter(plan=drawn).first()
    with pytest.raises(DomainError, match=message):
        record(task, actor=personas.wangqiang, **change)
    assert not Task.objects.get(pk=task.pk).result


def test_case_result_registers_a_case_lead_with_source_random_inspection(drawn, personas):
    from sanxiang.cases.models import Case

    task = Task.objects.filter(plan=drawn).first()
    record(
        task,
        TaskResult.CASE,
        actor=personas.wangqiang,
        public_summary="涉嫌拖欠劳动报酬，已立案调查",
        findings="工资台账显示2026年9月、10月工资未发放，涉及劳动者12人。",
    )
    task.refresh_from_db()
    case = Case.objects.get(pk=task.case_id)
    assert case.source == "random" and case.channel == "system"
    assert case.parties.get().uscc == task.target.uscc


# --- pages -----------------------------------------------------------------------------------


def test_staff_pages_render_for_the_unit_head(client, drawn, personas):
    client.force_login(personas.wangqiang)
    task = Task.objects.filter(plan=drawn).first()
    for url in [
        "/inspections/items/",
        "/inspections/targets/",
        "/inspections/targets/import/",
        f"/inspections/targets/{task.target_id}/",
        "/inspections/plans/",
        "/inspections/plans/new/",
        f"/inspections/plans/{drawn.pk}/",
        "/inspections/tasks/",
        f"/inspections/tasks/{task.pk}/",
        "/inspections/conflicts/new/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_staff_pages_need_a_role(client, drawn, personas):
    client.force_login(personas.wuquanxian)
    assert client.get("/inspections/plans/").status_code == 403
    assert client.get("/inspections/targets/").status_code == 403
    client.logout()
    assert client.get("/inspections/plans/").status_code == 302


def test_the_result_form_records_through_the_service_and_shows_chinese_errors(
    client, drawn, personas
):
    task = Task.objects.filter(plan=drawn).first()
    client.force_login(personas.wangqiang)
    bad = client.post(
        f"/inspections/tasks/{task.pk}/result/",
        {"inspected_on": timezone.localdate().isoformat(), "result": "correction", "findings": "x"},
    )
    assert bad.status_code == 400 and "公开的结果说明" in bad.content.decode()
    ok = client.post(
        f"/inspections/tasks/{task.pk}/result/",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "result": "none_found",
            "findings": "未发现问题",
        },
    )
    assert ok.status_code == 302 and Task.objects.get(pk=task.pk).result == "none_found"


def test_the_portal_needs_no_login_and_shows_no_personal_data(client, drawn, personas, today):
    task = Task.objects.filter(plan=drawn).first()
    record(
        task,
        TaskResult.CORRECTION,
        public_summary="未依法订立书面劳动合同，已责令限期改正",
        findings="劳动者王某某（身份证号140524199001011234）反映未签合同。",
    )
    services.task_result_publish(actor=personas.zhougongshi, task=Task.objects.get(pk=task.pk))
    pages = [
        "/public/inspections/",
        "/public/inspections/items/",
        f"/public/inspections/plans/{drawn.pk}/",
        "/public/inspections/results/",
        "/public/inspections/verify/",
    ]
    text = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text += response.content.decode()
    for name in (
        "draw-input.json",
        "targets.jsonl",
        "inspectors.jsonl",
        "draw-result.json",
        "draw.zip",
    ):
        response = client.get(f"/public/inspections/plans/{drawn.pk}/{name}")
        assert response.status_code == 200, name
        if name != "draw.zip":
            text += response.content.decode()
    assert task.target_name in text and "已责令限期改正" in text
    # Never: internal findings, ID numbers, addresses, risk tags, staff phone numbers, logins.
    for secret in (
        "140524199001011234",
        "王某某",
        task.target.address,
        "complaints",
        "13903560001",
        "zhangming",
        "检查情况",
    ):
        assert secret not in text, secret


def test_draft_plans_are_not_on_the_portal(client, personas, agency, items):
    plan = services.plan_create(actor=personas.wangqiang, agency=agency, data=plan_data(items))
    assert client.get(f"/public/inspections/plans/{plan.pk}/").status_code == 404
    assert plan.title not in client.get("/public/inspections/").content.decode()


def test_an_officer_who_was_not_drawn_is_refused_with_403_and_nothing_is_written(
    client, drawn, personas
):
    # The draw is random: take a task one of the two officers was not drawn for (with four
    # or more officers in the pool some task always leaves one of them out).
    task, outsider = next(
        (t, u)
        for t in Task.objects.filter(plan=drawn).order_by("number")
        for u in (personas.zhangming, personas.lihua)
        if u.pk not in set(t.inspectors.values_list("officer__user_id", flat=True))
        and u.has_perm("inspections.view_task")
    )
    client.force_login(outsider)
    refused = client.post(
        f"/inspections/tasks/{task.pk}/result/",
        {
            "inspected_on": timezone.localdate().isoformat(),
            "result": "none_found",
            "findings": "未发现问题",
        },
    )
    assert refused.status_code == 403
    assert Task.objects.get(pk=task.pk).result == ""

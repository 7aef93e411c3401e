"""Pages of 案卷评查: permissions (403), form errors in Chinese with nothing written, and the
happy path through list → sample → scoring form → results."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sanxiang.evaluation import services
from sanxiang.evaluation.models import Evaluation, Sample, Score, Status

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_pages_need_the_evaluation_permissions(closed_case, p, client):
    e = services.evaluation_start(actor=p.zhaomin, case=closed_case)
    client.force_login(p.wuquanxian)
    for url in (
        reverse("evaluation:home"),
        reverse("evaluation:results"),
        reverse("evaluation:evaluation", args=[e.pk]),
    ):
        assert client.get(url).status_code == 403, url
    client.force_login(p.zhangming)  # an officer: no evaluation rights at all
    assert client.get(reverse("evaluation:home")).status_code == 403
    assert client.post(reverse("evaluation:start"), {"case": closed_case.pk}).status_code == 403
    client.force_login(p.wangqiang)  # 承办机构负责人 reads but neither draws nor scores
    assert client.get(reverse("evaluation:home")).status_code == 200
    assert client.get(reverse("evaluation:results")).status_code == 200
    post = {"period_from": "2026-01-01", "period_to": "2026-12-31", "count": "1"}
    assert client.post(reverse("evaluation:sample_new"), post).status_code == 403
    response = client.post(
        reverse("evaluation:evaluation", args=[e.pk]), {"d_L5": "1", "n_L5": "x", "action": "save"}
    )
    assert response.status_code == 403
    assert not Sample.objects.exists() and not Score.objects.exists()


def test_the_nav_shows_the_evaluation_entry_to_reviewers_only(closed_case, p, client):
    client.force_login(p.zhaomin)
    assert "案卷评查" in text(client.get(reverse("evaluation:home")))
    client.force_login(p.zhangming)
    assert reverse("evaluation:home") not in text(client.get("/"))


def test_drawing_a_sample_then_scoring_a_drawn_file(closed_case, p, client):
    client.force_login(p.zhaomin)
    response = client.post(
        reverse("evaluation:sample_new"),
        {"period_from": "2026-01-01", "period_to": "2026-12-31", "count": "1", "seed_text": ""},
    )
    sample = Sample.objects.get()
    assert response.status_code == 302
    page = text(client.get(reverse("evaluation:sample", args=[sample.pk])))
    assert "复核一致" in page and sample.seed in page and closed_case.number in page
    pool = client.get(reverse("evaluation:sample_pool", args=[sample.pk]))
    assert pool.content == sample.pool.encode()

    response = client.post(
        reverse("evaluation:start"), {"case": closed_case.pk, "sample": sample.pk}
    )
    e = Evaluation.objects.get()
    assert response["Location"] == reverse("evaluation:evaluation", args=[e.pk])
    form = text(client.get(response["Location"]))
    assert "系统记录：指派办案人员 2 名" in form  # a hint from the case, not a score
    assert 'name="d_L5"' in form and 'name="v_V8"' in form

    response = client.post(
        response["Location"],
        {"d_L5": "2", "n_L5": "承办人未签名", "summary": "较规范", "action": "finalise"},
    )
    assert response.status_code == 302
    e.refresh_from_db()
    assert (e.status, e.total, e.grade) == (Status.FINAL, 98, "优秀")
    page = text(client.get(reverse("evaluation:evaluation", args=[e.pk])))
    assert "已完成" in page and 'name="d_L5"' not in page  # read-only now


def test_scoring_form_errors_are_shown_in_chinese_and_nothing_is_saved(closed_case, p, client):
    e = services.evaluation_start(actor=p.zhaomin, case=closed_case)
    client.force_login(p.zhaomin)
    response = client.post(
        reverse("evaluation:evaluation", args=[e.pk]),
        {
            "d_L5": "2",
            "n_L5": "",
            "d_L1": "abc",
            "v_V1": "1",
            "vn_V1": "",
            "action": "finalise",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "须写明扣分理由" in page and "应为数字" in page and "须写明认定理由" in page
    assert 'value="abc"' in page  # what was entered stays in the form
    e.refresh_from_db()
    assert e.status == Status.DRAFT and not Score.objects.exists()


def test_sample_form_errors(closed_case, p, client):
    client.force_login(p.zhaomin)
    response = client.post(
        reverse("evaluation:sample_new"),
        {"period_from": "2026-12-31", "period_to": "2026-01-01", "count": "0"},
    )
    assert response.status_code == 400
    assert "抽取数量应至少为 1 件" in text(response)
    response = client.post(
        reverse("evaluation:sample_new"),
        {"period_from": "2026-12-31", "period_to": "2026-01-01", "count": "1"},
    )
    assert "截止日期不能早于起始日期" in text(response)
    response = client.post(
        reverse("evaluation:sample_new"),
        {"period_from": "2026-01-01", "period_to": "2026-12-31", "count": "5"},
    )
    assert "超过可抽取的已结案案件数 1 件" in text(response)
    assert not Sample.objects.exists()


def test_choosing_a_case_by_number(closed_case, flow, p, client):
    client.force_login(p.zhaomin)
    response = client.post(reverse("evaluation:start"), {"number": "不存在的案号"})
    assert response.status_code == 400 and "没有找到该案号" in text(response)
    open_case = flow().filed().refresh()
    response = client.post(reverse("evaluation:start"), {"number": open_case.number}, follow=True)
    assert "只能评查已结案的案件" in text(response)
    response = client.post(reverse("evaluation:start"), {"number": closed_case.number})
    assert response.status_code == 302
    assert Evaluation.objects.get().case == closed_case


def test_a_team_member_is_refused_on_the_page(closed_case, p, client):
    from django.contrib.auth.models import Group

    from sanxiang.accounts import roles

    p.lihua.groups.add(Group.objects.get(name=roles.REVIEWER))
    client.force_login(p.lihua)
    response = client.post(reverse("evaluation:start"), {"case": closed_case.pk}, follow=True)
    assert "您是本案的办案人员（协办），不能评查本案案卷" in text(response)
    assert not Evaluation.objects.exists()


def test_the_list_page_reads_a_fixed_number_of_queries(
    flow, p, client, django_assert_max_num_queries
):
    cases = [flow().closed().refresh() for _ in range(3)]
    for case in cases:
        e = services.evaluation_start(actor=p.zhaomin, case=case)
        services.evaluation_score(
            actor=p.zhaomin, evaluation=e, deductions={"L5": ("1", "x")}, vetoes={}, finalise=True
        )
    client.force_login(p.zhaomin)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("evaluation:home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("evaluation:results")).status_code == 200


def test_the_system_administrator_reads_the_standard_in_the_admin(p, client):
    from sanxiang.evaluation.models import Standard

    standard = Standard.objects.get()
    client.force_login(p.xitong)
    assert client.get(reverse("admin:evaluation_standard_changelist")).status_code == 200
    page = text(client.get(reverse("admin:evaluation_standard_change", args=[standard.pk])))
    assert "限期改正指令书制作正确" in page and "调查取证的执法人员少于两人" in page
    client.force_login(p.zhaomin)
    assert client.get(reverse("admin:evaluation_standard_changelist")).status_code == 302

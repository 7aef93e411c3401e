"""Registry pages as each persona sees them: permissions, forms and Chinese errors, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from sanxiang.ledger.models import Event
from sanxiang.registry import services
from sanxiang.registry.models import Certificate, Officer, RecordingDevice, Training

LIST_PAGES = [
    "registry:officer_list",
    "registry:reviewer_list",
    "registry:training_list",
    "registry:device_list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize(
    "who",
    [
        "zhangming",
        "wangqiang",
        "zhaomin",
        "chenlvshi",
        "liujuzhang",
        "zhougongshi",
        "sundangan",
        "xitong",
    ],
)
def test_staff_can_read_the_registry(client, personas, who, name):
    client.force_login(getattr(personas, who))
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", LIST_PAGES)
@pytest.mark.parametrize("who", ["wuquanxian", "anquan", "shenji"])
def test_people_without_a_business_role_cannot_read_it_and_the_refusal_is_logged(
    client, personas, who, name
):
    client.force_login(getattr(personas, who))
    response = client.get(reverse(name))
    assert response.status_code == 403
    assert "没有" in response.content.decode()
    assert Event.objects.filter(type="security.permission_denied").exists()


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(reverse("registry:officer_list"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_navigation_shows_the_registry_to_staff(client, personas):
    client.force_login(personas.zhangming)
    html = client.get(reverse("registry:officer_list")).content.decode()
    assert "执法人员与证件" in html and "音像记录设备" in html


@pytest.mark.parametrize(
    "name",
    [
        "registry:officer_new",
        "registry:reviewer_new",
        "registry:training_new",
        "registry:device_new",
        "registry:qualification_new",
    ],
)
def test_officers_cannot_open_the_keepers_forms(client, personas, name):
    client.force_login(personas.zhangming)
    assert client.get(reverse(name)).status_code == 403


def test_keeper_registers_an_officer_and_a_certificate_through_the_pages(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        reverse("registry:officer_new"),
        {"user": personas.lihua.pk, "post": "劳动保障监察员", "agency": agency.pk},
    )
    officer = Officer.objects.get(user=personas.lihua)
    assert response.status_code == 302 and response.url == reverse(
        "registry:certificate_new", args=[officer.pk]
    )
    response = client.post(
        reverse("registry:certificate_new", args=[officer.pk]),
        {
            "kind": "enforcement",
            "number": "晋1405242024",
            "issuer": "山西省人民政府",
            "scope": "",
            "valid_from": "2024-03-01",
            "valid_until": "2029-02-28",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已登记行政执法证 晋1405242024" in html
    assert "今天持有有效执法证件" in html


def test_certificate_form_shows_chinese_errors_and_writes_nothing(
    client, personas, keeper, make_officer
):
    officer = make_officer(personas.lihua, certificate=False)
    client.force_login(keeper)
    events = Event.objects.count()
    response = client.post(
        reverse("registry:certificate_new", args=[officer.pk]),
        {
            "kind": "enforcement",
            "number": "X1",
            "issuer": "山西省人民政府",
            "valid_from": "2026-03-01",
            "valid_until": "2025-03-01",
        },
    )
    assert response.status_code == 200
    assert "有效期截止日期不能早于起始日期" in response.content.decode()
    response = client.post(
        reverse("registry:certificate_new", args=[officer.pk]),
        {
            "kind": "enforcement",
            "number": "",
            "issuer": "",
            "valid_from": "2026-13-01",
            "valid_until": "",
        },
    )
    html = response.content.decode()
    assert "这个字段是必填项" in html and "请按“年-月-日”填写日期" in html
    assert not Certificate.objects.exists() and Event.objects.count() == events


def test_officer_page_says_why_he_may_not_enforce_today(client, personas, make_officer, today):
    officer = make_officer(
        personas.lihua,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    client.force_login(personas.zhangming)
    html = client.get(reverse("registry:officer_detail", args=[officer.pk])).content.decode()
    assert "今天不能从事执法活动" in html and "已过期" in html
    assert "登记执法证件" not in html  # not the keeper: no keeper buttons


def test_suspend_and_reinstate_through_the_pages(client, personas, keeper, make_officer, today):
    cert = make_officer(personas.zhangming).certificates.get()
    client.force_login(keeper)
    client.post(
        reverse("registry:certificate_suspend", args=[cert.pk]),
        {"starts_on": today.isoformat(), "reason": "停职检查"},
    )
    assert cert.suspensions.get().ends_on is None
    response = client.post(
        reverse("registry:certificate_reinstate", args=[cert.pk]),
        {"on": today.isoformat(), "note": ""},
    )
    assert "发还日期应晚于暂扣日期" in response.content.decode()
    later = today + dt.timedelta(days=3)
    client.post(
        reverse("registry:certificate_reinstate", args=[cert.pk]), {"on": later.isoformat()}
    )
    assert cert.suspensions.get().ends_on == later


def test_leave_page_reports_a_device_still_held(
    client, personas, agency, keeper, make_officer, today
):
    officer = make_officer(personas.zhangming)
    device = services.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="A1",
        model_name="x",
        commissioned_on=today,
    )
    services.device_issue(actor=keeper, device=device, holder=personas.zhangming)
    client.force_login(keeper)
    response = client.post(
        reverse("registry:officer_leave", args=[officer.pk]),
        {"on": today.isoformat(), "reason": "退休"},
    )
    assert response.status_code == 200 and "尚未归还" in response.content.decode()
    assert Officer.objects.get().is_active


def test_officer_list_query_count_does_not_grow_with_the_list(
    client, personas, make_officer, django_assert_max_num_queries
):
    client.force_login(personas.zhangming)
    make_officer(personas.zhangming)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("registry:officer_list"))
    for u in (
        personas.lihua,
        personas.wangqiang,
        personas.liujuzhang,
        personas.zhaomin,
        personas.sundangan,
    ):
        make_officer(u)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("registry:officer_list"))
    assert response.content.decode().count("badge-ok") >= 6


def test_officer_list_filters_by_certificate_state(client, personas, make_officer, today):
    make_officer(personas.zhangming)
    make_officer(
        personas.lihua,
        valid_from=today - dt.timedelta(days=900),
        valid_until=today - dt.timedelta(days=1),
    )
    make_officer(personas.wangqiang, certificate=False)
    client.force_login(personas.zhougongshi)
    html = client.get(reverse("registry:officer_list"), {"state": "problem"}).content.decode()
    assert "李华" in html and "王强" in html and "张明" not in html
    html = client.get(reverse("registry:officer_list"), {"q": "张"}).content.decode()
    assert "张明" in html and "李华" not in html


def test_reviewer_page_flags_a_reviewer_who_may_not_review_penalties(
    client, personas, agency, keeper, today
):
    services.reviewer_designate(
        actor=keeper, agency=agency, user=personas.zhaomin, kind="staff", designated_on=today
    )
    client.force_login(personas.liujuzhang)
    html = client.get(reverse("registry:reviewer_list")).content.decode()
    assert "不能审核" in html and "第五十八条第二款" in html
    assert "低于5%" not in html  # no certified officers: nothing to compare


def test_reviewer_page_query_count_does_not_grow(
    client, personas, agency, keeper, today, django_assert_max_num_queries
):
    client.force_login(personas.liujuzhang)
    services.reviewer_designate(
        actor=keeper, agency=agency, user=personas.zhaomin, kind="staff", designated_on=today
    )
    with django_assert_max_num_queries(40) as small:
        client.get(reverse("registry:reviewer_list"))
    for i, u in enumerate((personas.chenlvshi, personas.zhangming, personas.lihua)):
        services.qualification_record(
            actor=keeper, holder=u, kind="lawyer", number=f"Q{i}", granted_on=today
        )
        services.reviewer_designate(
            actor=keeper, agency=agency, user=u, kind="legal_adviser", designated_on=today
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("registry:reviewer_list"))


def test_training_recorded_through_the_page(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        reverse("registry:training_new"),
        {
            "agency": agency.pk,
            "title": "三项制度专题培训",
            "topic": "three_systems",
            "held_on": "2026-03-18",
            "hours": "3",
            "organiser": "局办公室",
            "attendees": [personas.zhangming.pk, personas.lihua.pk],
        },
    )
    t = Training.objects.get()
    assert response.url == reverse("registry:training_detail", args=[t.pk])
    html = client.get(reverse("registry:training_list"), {"year": "2026"}).content.decode()
    assert "已开展“三项制度”专题学习培训" in html


def test_training_form_without_attendees_is_refused(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        reverse("registry:training_new"),
        {
            "agency": agency.pk,
            "title": "x",
            "topic": "law",
            "held_on": "2026-03-18",
            "hours": "1",
            "organiser": "y",
        },
    )
    assert "请选择至少一名参训人员" in response.content.decode()
    assert not Training.objects.exists()


def test_unit_head_issues_a_camera_and_the_holder_returns_it(
    client, personas, agency, keeper, make_officer, today
):
    make_officer(personas.zhangming)
    device = services.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="A1",
        model_name="DSJ",
        commissioned_on=today,
    )
    client.force_login(personas.wangqiang)
    client.post(
        reverse("registry:device_issue", args=[device.pk]), {"holder": personas.zhangming.pk}
    )
    assert device.assignments.get().holder == personas.zhangming
    client.force_login(personas.lihua)
    assert client.post(reverse("registry:device_return", args=[device.pk]), {}).status_code == 403
    client.force_login(personas.zhangming)
    html = client.get(reverse("registry:device_detail", args=[device.pk])).content.decode()
    assert "归还登记" in html
    client.post(reverse("registry:device_return", args=[device.pk]), {"note": "完好"})
    assert device.assignments.get().returned_at is not None


def test_device_list_query_count_does_not_grow(
    client, personas, agency, keeper, make_officer, today, django_assert_max_num_queries
):
    make_officer(personas.zhangming)
    client.force_login(personas.wangqiang)
    services.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="A0",
        model_name="x",
        commissioned_on=today,
    )
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("registry:device_list"))
    for i in range(1, 6):
        d = services.device_register(
            actor=keeper,
            agency=agency,
            kind="camera",
            asset_no=f"A{i}",
            model_name="x",
            commissioned_on=today,
        )
        if i == 1:
            services.device_issue(actor=keeper, device=d, holder=personas.zhangming)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get(reverse("registry:device_list")).content.decode()
    assert "张明" in html and RecordingDevice.objects.count() == 6


def test_missing_records_give_404(client, personas):
    client.force_login(personas.zhangming)
    for name in ("registry:officer_detail", "registry:training_detail", "registry:device_detail"):
        assert client.get(reverse(name, args=[999999])).status_code == 404

"""Officer roster and enforcement certificates: services and the selectors other apps use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.registry import rules, selectors, services
from sanxiang.registry.models import Certificate, CertificateSuspension, Officer

DAY = dt.timedelta(days=1)


def record(keeper, officer, **kw):
    base = dict(
        kind=Certificate.Kind.ENFORCEMENT,
        number="晋14052420240017",
        issuer="山西省人民政府",
        valid_from=dt.date(2024, 3, 1),
        valid_until=dt.date(2029, 2, 28),
    )
    return services.certificate_record(actor=keeper, officer=officer, **(base | kw))


# --- roster -----------------------------------------------------------------------------


def test_keeper_puts_a_person_on_the_roster_and_it_is_recorded(personas, agency, keeper):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="劳动保障监察员"
    )
    assert officer.is_active and officer.agency == agency
    event = Event.objects.get(type="registry.officer_registered")
    assert event.actor == keeper and event.subject.key == str(officer.pk)


@pytest.mark.parametrize(
    "who", ["zhangming", "wangqiang", "zhaomin", "liujuzhang", "anquan", "shenji", "wuquanxian"]
)
def test_only_the_registry_keeper_registers_officers(personas, agency, who):
    with pytest.raises(NotPermitted):
        services.officer_register(
            actor=getattr(personas, who), user=personas.lihua, agency=agency, post="监察员"
        )
    assert not Officer.objects.exists()


def test_a_person_is_on_the_roster_once(personas, agency, keeper):
    services.officer_register(actor=keeper, user=personas.zhangming, agency=agency, post="监察员")
    with pytest.raises(DomainError, match="已在") as exc:
        services.officer_register(
            actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
        )
    assert exc.value.field == "user"


def test_deactivated_account_cannot_be_put_on_the_roster(personas, agency, keeper):
    personas.lihua.is_active = False
    personas.lihua.save()
    with pytest.raises(DomainError, match="停用"):
        services.officer_register(actor=keeper, user=personas.lihua, agency=agency, post="监察员")


def test_post_is_required(personas, agency, keeper):
    with pytest.raises(DomainError, match="请填写岗位"):
        services.officer_register(actor=keeper, user=personas.lihua, agency=agency, post="   ")
    assert (
        not Officer.objects.exists()
        and not Event.objects.filter(type__startswith="registry.").exists()
    )


def test_leaving_cancels_certificates_from_that_day(personas, keeper, make_officer, today):
    officer = make_officer(personas.zhangming)
    services.officer_leave(actor=keeper, officer=officer, on=today, reason="调离执法岗位")
    cert = officer.certificates.get()
    assert cert.ended == Certificate.End.CANCELLED and cert.ended_on == today
    problems = selectors.enforcement_problems(users=[personas.zhangming], on=today)
    assert problems[personas.zhangming.pk]
    # but an act done yesterday was still done with a valid certificate
    assert (
        selectors.enforcement_problems(users=[personas.zhangming], on=today - DAY)[
            personas.zhangming.pk
        ]
        == []
    )
    assert Event.objects.filter(type="registry.officer_left").exists()


def test_officer_holding_a_recording_device_cannot_leave(
    personas, agency, keeper, make_officer, today
):
    officer = make_officer(personas.zhangming)
    device = services.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="ZFJLY-1",
        model_name="示例",
        commissioned_on=today,
    )
    services.device_issue(actor=keeper, device=device, holder=personas.zhangming)
    with pytest.raises(Blocked, match="尚未归还"):
        services.officer_leave(actor=keeper, officer=officer, on=today, reason="退休")
    officer.refresh_from_db()
    assert officer.is_active and officer.certificates.get().ended == ""


def test_former_officer_can_be_put_back_on_the_roster(
    personas, agency, keeper, make_officer, today
):
    officer = make_officer(personas.zhangming)
    services.officer_leave(actor=keeper, officer=officer, on=today, reason="借调")
    again = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    assert again.pk == officer.pk and again.is_active and again.left_on is None
    assert Event.objects.filter(type="registry.officer_reinstated").exists()


# --- certificates ------------------------------------------------------------------------


def test_certificate_number_is_normalised_and_recorded(personas, agency, keeper):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    cert = record(keeper, officer, number=" 晋１４０５ ２４ab ")
    assert cert.number == "晋140524AB"
    data = Event.objects.get(type="registry.certificate_recorded").payload
    assert "晋140524AB" in data


def test_certificate_number_is_unique_per_kind(personas, agency, keeper):
    a = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    b = services.officer_register(actor=keeper, user=personas.lihua, agency=agency, post="监察员")
    record(keeper, a)
    with pytest.raises(DomainError, match="已登记（持证人：张明）") as exc:
        record(keeper, b)
    assert exc.value.field == "number"
    record(keeper, b, kind=Certificate.Kind.LABOUR_INSPECTION)  # same digits, other kind: fine


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"valid_until": dt.date(2024, 2, 1)}, "valid_until", "不能早于起始日期"),
        ({"kind": "police"}, "kind", "证件种类"),
        ({"number": ""}, "number", "请填写证件号码"),
        ({"issuer": ""}, "issuer", "请填写发证机关"),
        ({"valid_from": None}, "valid_from", "请填写有效期起始日期"),
        ({"valid_until": dt.date(2092, 1, 1)}, "valid_until", "超出合理范围"),
        ({"number": "X" * 41}, "number", "不能超过40个字符"),
    ],
)
def test_bad_certificate_input_is_refused_and_nothing_is_written(
    personas, agency, keeper, kw, field, message
):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    events = Event.objects.count()
    with pytest.raises(DomainError, match=message) as exc:
        record(keeper, officer, **kw)
    assert exc.value.field == field
    assert not Certificate.objects.exists() and Event.objects.count() == events


def test_new_certificate_of_the_same_kind_replaces_the_old_one(personas, agency, keeper):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    old = record(
        keeper,
        officer,
        number="OLD",
        valid_from=dt.date(2019, 3, 1),
        valid_until=dt.date(2024, 2, 28),
    )
    new = record(keeper, officer, number="NEW", valid_from=dt.date(2024, 2, 20))
    old.refresh_from_db()
    assert old.ended == Certificate.End.REPLACED and old.ended_on == dt.date(2024, 2, 20)
    assert selectors.certificate_on(user=personas.zhangming, on=dt.date(2024, 2, 19)) == old
    assert selectors.certificate_on(user=personas.zhangming, on=dt.date(2024, 2, 20)) == new


def test_replacement_must_start_after_the_certificate_it_replaces(personas, agency, keeper):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    record(keeper, officer, number="OLD")
    with pytest.raises(DomainError, match="晚于原证件"):
        record(keeper, officer, number="NEW", valid_from=dt.date(2024, 3, 1))
    assert Certificate.objects.get().ended == ""


def test_database_refuses_two_current_certificates_of_one_kind(personas, agency, keeper):
    officer = services.officer_register(
        actor=keeper, user=personas.zhangming, agency=agency, post="监察员"
    )
    record(keeper, officer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            officer=officer,
            kind="enforcement",
            number="DUP",
            issuer="x",
            valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2026, 1, 1),
        )


def test_certificate_cannot_be_recorded_for_an_officer_who_left(
    personas, keeper, make_officer, today
):
    officer = make_officer(personas.zhangming)
    services.officer_leave(actor=keeper, officer=officer, on=today, reason="退休")
    with pytest.raises(DomainError, match="已离岗"):
        record(keeper, officer, number="AFTER")


def test_suspension_blocks_enforcement_until_the_certificate_is_returned(
    personas, keeper, make_officer, today
):
    officer = make_officer(personas.zhangming)
    cert = officer.certificates.get()
    services.certificate_suspend(
        actor=keeper, certificate=cert, starts_on=today, reason="涉嫌违规执法，停职检查"
    )
    assert (
        "暂扣"
        in selectors.enforcement_problems(users=[personas.zhangming], on=today)[
            personas.zhangming.pk
        ][0]
    )
    with pytest.raises(DomainError, match="已被暂扣"):
        services.certificate_suspend(actor=keeper, certificate=cert, starts_on=today, reason="再次")
    services.certificate_reinstate(
        actor=keeper, certificate=cert, on=today + 10 * DAY, note="检查结束"
    )
    assert (
        selectors.enforcement_problems(users=[personas.zhangming], on=today + 10 * DAY)[
            personas.zhangming.pk
        ]
        == []
    )
    assert selectors.enforcement_problems(users=[personas.zhangming], on=today + 9 * DAY)[
        personas.zhangming.pk
    ]
    types = list(
        Event.objects.filter(type__startswith="registry.certificate_").values_list(
            "type", flat=True
        )
    )
    assert types[-2:] == ["registry.certificate_suspended", "registry.certificate_reinstated"]


def test_reinstatement_must_follow_the_suspension(personas, keeper, make_officer, today):
    cert = make_officer(personas.zhangming).certificates.get()
    with pytest.raises(DomainError, match="未被暂扣"):
        services.certificate_reinstate(actor=keeper, certificate=cert, on=today)
    services.certificate_suspend(actor=keeper, certificate=cert, starts_on=today, reason="停职")
    with pytest.raises(DomainError, match="应晚于暂扣日期"):
        services.certificate_reinstate(actor=keeper, certificate=cert, on=today)
    assert CertificateSuspension.objects.get().ends_on is None


def test_suspension_date_must_be_within_validity_and_reason_given(
    personas, keeper, make_officer, today
):
    cert = make_officer(personas.zhangming).certificates.get()
    with pytest.raises(DomainError, match="有效期内"):
        services.certificate_suspend(
            actor=keeper, certificate=cert, starts_on=today + 5000 * DAY, reason="x"
        )
    with pytest.raises(DomainError, match="请填写暂扣原因"):
        services.certificate_suspend(actor=keeper, certificate=cert, starts_on=today, reason="")
    assert not CertificateSuspension.objects.exists()


def test_revoked_certificate_cannot_be_revived_or_suspended(personas, keeper, make_officer, today):
    cert = make_officer(personas.zhangming).certificates.get()
    services.certificate_end(
        actor=keeper, certificate=cert, how="revoked", on=today, reason="违法执法被吊销"
    )
    cert.refresh_from_db()
    assert cert.get_ended_display() == "已吊销"
    with pytest.raises(DomainError, match="已吊销"):
        services.certificate_suspend(actor=keeper, certificate=cert, starts_on=today, reason="x")
    with pytest.raises(DomainError, match="已吊销"):
        services.certificate_end(
            actor=keeper, certificate=cert, how="cancelled", on=today, reason="x"
        )


def test_end_accepts_only_cancel_or_revoke(personas, keeper, make_officer, today):
    cert = make_officer(personas.zhangming).certificates.get()
    with pytest.raises(DomainError, match="注销或吊销"):
        services.certificate_end(
            actor=keeper, certificate=cert, how="replaced", on=today, reason="x"
        )


def test_officers_cannot_change_certificates(personas, make_officer, today):
    cert = make_officer(personas.zhangming).certificates.get()
    with pytest.raises(NotPermitted):
        services.certificate_suspend(
            actor=personas.wangqiang, certificate=cert, starts_on=today, reason="x"
        )
    with pytest.raises(NotPermitted):
        services.certificate_end(
            actor=personas.zhangming, certificate=cert, how="cancelled", on=today, reason="x"
        )


# --- what other apps ask -------------------------------------------------------------------


def test_team_of_two_certified_officers_may_investigate(personas, make_officer, today):
    make_officer(personas.zhangming)
    make_officer(personas.lihua)
    assert selectors.team_problems(users=[personas.zhangming, personas.lihua], on=today) == []


def test_team_with_an_expired_certificate_is_refused_naming_the_officer(
    personas, make_officer, today
):
    # 行政处罚法 第四十二条: 执法人员不得少于两人, 且应当具有行政执法资格
    make_officer(personas.zhangming)
    make_officer(personas.lihua, valid_from=today - 1000 * DAY, valid_until=today - DAY)
    reasons = selectors.team_problems(users=[personas.zhangming, personas.lihua], on=today)
    assert "两名以上" in reasons[0]
    assert reasons[1].startswith("李华：") and "已过期" in reasons[1]


def test_person_not_on_the_roster_has_no_certificate(personas, today):
    assert selectors.enforcement_problems(users=[personas.zhougongshi], on=today) == {
        personas.zhougongshi.pk: ["未登记执法证件"]
    }


def test_enforcement_problems_use_a_constant_number_of_queries(
    personas, make_officer, today, django_assert_max_num_queries
):
    users = [personas.zhangming, personas.lihua, personas.wangqiang, personas.liujuzhang]
    for u in users:
        make_officer(u)
    with django_assert_max_num_queries(2):
        assert all(p == [] for p in selectors.enforcement_problems(users=users, on=today).values())


def test_certified_officers_query_agrees_with_the_rules(
    personas, agency, keeper, make_officer, today
):
    """The database filter used for random-inspection draws must say exactly what the rules say."""
    z = make_officer(personas.zhangming)
    make_officer(personas.lihua, valid_from=today - 1000 * DAY, valid_until=today - DAY)  # expired
    w = make_officer(personas.wangqiang)
    services.certificate_suspend(
        actor=keeper, certificate=w.certificates.get(), starts_on=today, reason="停职"
    )
    make_officer(personas.liujuzhang, valid_from=today + DAY)  # not yet valid
    make_officer(personas.zhaomin, certificate=False)
    j = make_officer(personas.sundangan)
    services.certificate_end(
        actor=keeper,
        certificate=j.certificates.get(),
        how="cancelled",
        on=today + 2 * DAY,
        reason="x",
    )
    for day in (today - DAY, today, today + DAY, today + 2 * DAY):
        from_db = set(selectors.certified_officers(agency=agency, on=day))
        by_rules = {
            o
            for o in Officer.objects.filter(is_active=True)
            if not rules.holder_problems([c.facts() for c in o.certificates.all()], day)
        }
        assert from_db == by_rules, day
    assert set(selectors.certified_officers(agency=agency, on=today)) == {z, j}


def test_public_roster_shows_only_public_fields_of_valid_certificates(
    personas, agency, make_officer, today
):
    make_officer(personas.zhangming)
    make_officer(personas.lihua, valid_from=today - 1000 * DAY, valid_until=today - DAY)
    roster = selectors.public_roster(agency=agency, on=today)
    assert [r["name"] for r in roster] == ["张明"]
    assert set(roster[0]) == {
        "name",
        "unit",
        "post",
        "kind",
        "number",
        "issuer",
        "scope",
        "valid_until",
        "valid",
        "status",
    }
    assert personas.zhangming.phone not in str(roster)


def test_party_can_verify_a_certificate_number_shown_to_them(personas, make_officer, today):
    officer = make_officer(personas.zhangming)
    number = officer.certificates.get().number
    [found] = selectors.certificate_verify(number=f" {number.lower()} ", on=today)
    assert found["name"] == "张明" and found["valid"] is True
    assert selectors.certificate_verify(number="NOPE", on=today) == []
    assert selectors.certificate_verify(number="", on=today) == []


def test_officer_is_listed_under_the_agency_of_his_unit(personas, agency, keeper):
    other = services.agency_create(
        actor=keeper,
        data={
            "name": "陵川县应急管理局",
            "short_name": "陵应急",
            "uscc": "911405244JURQ2830G",
            "legal_basis": "《安全生产法》",
            "jurisdiction": "陵川县",
        },
    )
    with pytest.raises(DomainError, match="所在机构属于陵川县人力资源和社会保障局") as exc:
        services.officer_register(
            actor=keeper, user=personas.zhangming, agency=other, post="监察员"
        )
    assert exc.value.field == "agency"

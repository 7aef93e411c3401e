"""Training records and the yearly three-systems training duty (实施方案 三（二）)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry import selectors, services
from sanxiang.registry.models import Training, TrainingAttendance


def data(**kw):
    base = {
        "title": "三项制度专题学习培训",
        "topic": "three_systems",
        "held_on": dt.date(2026, 3, 18),
        "hours": "3",
        "organiser": "局办公室",
        "place": "三楼会议室",
        "summary": "学习国办发〔2018〕118号",
    }
    return base | kw


def test_three_systems_training_meets_the_yearly_duty(personas, agency, keeper):
    assert not selectors.training_duty_met(agency=agency, year=2026)
    t = services.training_record(
        actor=keeper,
        agency=agency,
        data=data(),
        attendees=[personas.zhangming, personas.lihua, personas.zhangming],
    )
    assert t.hours == Decimal("3.0")
    assert t.attendance.count() == 2  # duplicates collapse
    assert selectors.training_duty_met(agency=agency, year=2026)
    assert not selectors.training_duty_met(agency=agency, year=2025)
    assert Event.objects.filter(type="registry.training_recorded").exists()


def test_other_trainings_do_not_meet_the_duty(personas, agency, keeper):
    services.training_record(
        actor=keeper, agency=agency, data=data(topic="law"), attendees=[personas.lihua]
    )
    assert not selectors.training_duty_met(agency=agency, year=2026)


@pytest.mark.parametrize(
    ("kw", "field", "message"),
    [
        ({"title": ""}, "title", "请填写培训名称"),
        ({"topic": "fun"}, "topic", "培训类别"),
        ({"hours": "0"}, "hours", "大于0"),
        ({"hours": "abc"}, "hours", "请填写学时"),
        ({"hours": "NaN"}, "hours", "大于0"),
        ({"hours": "1000"}, "hours", "不超过200"),
        ({"held_on": dt.date(2099, 1, 1)}, "held_on", "不能晚于今天"),
        ({"organiser": ""}, "organiser", "请填写组织单位"),
    ],
)
def test_bad_training_input_is_refused_and_nothing_is_written(
    personas, agency, keeper, kw, field, message
):
    with pytest.raises(DomainError, match=message) as exc:
        services.training_record(
            actor=keeper, agency=agency, data=data(**kw), attendees=[personas.lihua]
        )
    assert exc.value.field == field
    assert not Training.objects.exists() and not TrainingAttendance.objects.exists()


def test_training_needs_attendees(agency, keeper):
    with pytest.raises(DomainError, match="至少一名参训人员"):
        services.training_record(actor=keeper, agency=agency, data=data(), attendees=[])
    assert not Training.objects.exists()


def test_update_changes_fields_and_attendees_and_records_the_difference(personas, agency, keeper):
    t = services.training_record(
        actor=keeper, agency=agency, data=data(), attendees=[personas.zhangming]
    )
    services.training_update(
        actor=keeper,
        training=t,
        data=data(hours="2.5"),
        attendees=[personas.lihua, personas.wangqiang],
    )
    t.refresh_from_db()
    assert t.hours == Decimal("2.5")
    assert set(t.attendance.values_list("user__username", flat=True)) == {"lihua", "wangqiang"}
    event = Event.objects.get(type="registry.training_updated")
    assert '"attendees"' in event.payload and '"hours"' in event.payload


def test_officers_cannot_record_trainings(personas, agency):
    with pytest.raises(NotPermitted):
        services.training_record(
            actor=personas.zhangming, agency=agency, data=data(), attendees=[personas.zhangming]
        )

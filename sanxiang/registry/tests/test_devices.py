"""Recording devices: register, issue, return, repair, retire; who held a device when."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError, NotPermitted
from sanxiang.registry import selectors, services
from sanxiang.registry.models import DeviceAssignment, RecordingDevice


@pytest.fixture
def camera(agency, keeper, today):
    return services.device_register(
        actor=keeper,
        agency=agency,
        kind="body_camera",
        asset_no="lcrs-zfjly-001",
        model_name="DSJ-A8",
        commissioned_on=today,
    )


def test_device_is_registered_with_a_normalised_asset_number(camera):
    assert camera.asset_no == "LCRS-ZFJLY-001" and camera.status == "in_service"
    assert Event.objects.filter(type="registry.device_registered").exists()


def test_asset_number_is_unique_per_agency(agency, keeper, camera, today):
    with pytest.raises(DomainError, match="已登记") as exc:
        services.device_register(
            actor=keeper,
            agency=agency,
            kind="camera",
            asset_no="LCRS-ZFJLY-001",
            model_name="x",
            commissioned_on=today,
        )
    assert exc.value.field == "asset_no"


def test_fixed_device_needs_its_location(agency, keeper, today):
    with pytest.raises(DomainError, match="安装地点"):
        services.device_register(
            actor=keeper,
            agency=agency,
            kind="fixed",
            asset_no="XWS-1",
            model_name="x",
            commissioned_on=today,
        )
    assert not RecordingDevice.objects.exists()


def test_officer_on_the_roster_takes_and_returns_a_device(personas, keeper, make_officer, camera):
    make_officer(personas.zhangming)
    before = timezone.now()
    services.device_issue(
        actor=personas.wangqiang, device=camera, holder=personas.zhangming
    )  # 承办机构负责人
    assert selectors.device_holder_at(device=camera, at=timezone.now()) == personas.zhangming
    assert selectors.device_holder_at(device=camera, at=before - dt.timedelta(seconds=1)) is None
    assert list(selectors.devices_held_by(personas.zhangming)) == [camera]
    services.device_return(
        actor=personas.zhangming, device=camera, note="完好"
    )  # the holder returns it
    assert selectors.device_holder_at(device=camera, at=timezone.now()) is None
    types = list(
        Event.objects.filter(
            subject__key=str(camera.pk), subject__kind="registry.recordingdevice"
        ).values_list("type", flat=True)
    )
    assert types == [
        "registry.device_registered",
        "registry.device_issued",
        "registry.device_returned",
    ]


def test_device_is_held_by_one_person_at_a_time(personas, keeper, make_officer, camera):
    make_officer(personas.zhangming)
    make_officer(personas.lihua)
    services.device_issue(actor=keeper, device=camera, holder=personas.zhangming)
    with pytest.raises(DomainError, match="已由张明领用"):
        services.device_issue(actor=keeper, device=camera, holder=personas.lihua)
    assert DeviceAssignment.objects.count() == 1


def test_only_officers_on_the_roster_take_devices(personas, keeper, camera):
    with pytest.raises(DomainError, match="不在") as exc:
        services.device_issue(actor=keeper, device=camera, holder=personas.zhougongshi)
    assert exc.value.field == "holder"


def test_another_officer_cannot_return_someone_elses_device(personas, keeper, make_officer, camera):
    make_officer(personas.zhangming)
    services.device_issue(actor=keeper, device=camera, holder=personas.zhangming)
    with pytest.raises(NotPermitted):
        services.device_return(actor=personas.lihua, device=camera)
    with pytest.raises(NotPermitted):
        services.device_issue(actor=personas.lihua, device=camera, holder=personas.lihua)


def test_device_out_for_repair_cannot_be_issued_and_retired_is_final(
    personas, keeper, make_officer, camera, today
):
    make_officer(personas.zhangming)
    services.device_set_status(actor=keeper, device=camera, status="repair", note="镜头损坏")
    with pytest.raises(DomainError, match="维修中"):
        services.device_issue(actor=keeper, device=camera, holder=personas.zhangming)
    with pytest.raises(DomainError, match="请填写说明"):
        services.device_set_status(actor=keeper, device=camera, status="retired", on=today)
    services.device_set_status(
        actor=keeper, device=camera, status="retired", on=today, note="无法修复"
    )
    camera.refresh_from_db()
    assert camera.retired_on == today
    with pytest.raises(DomainError, match="已报废"):
        services.device_set_status(actor=keeper, device=camera, status="in_service")


def test_issued_device_must_be_returned_before_repair(personas, keeper, make_officer, camera):
    make_officer(personas.zhangming)
    services.device_issue(actor=keeper, device=camera, holder=personas.zhangming)
    with pytest.raises(DomainError, match="先办理归还"):
        services.device_set_status(actor=keeper, device=camera, status="repair", note="x")
    assert RecordingDevice.objects.get().status == "in_service"


def test_a_uniqueness_clash_found_only_by_the_database_is_a_chinese_error(agency, camera, today):
    """Two keepers registering the same asset at once: the loser gets the message, not a 500,
    and the surrounding transaction stays usable."""
    with pytest.raises(DomainError, match="已登记") as exc:
        services._create(
            RecordingDevice,
            conflict="资产编号LCRS-ZFJLY-001已登记",
            field="asset_no",
            agency=agency,
            kind="camera",
            asset_no="LCRS-ZFJLY-001",
            model_name="x",
            commissioned_on=today,
        )
    assert exc.value.field == "asset_no"
    assert RecordingDevice.objects.count() == 1

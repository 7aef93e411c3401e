"""Fixity: the sweep re-hashes stored evidence (least recently checked first, within a time
budget), records each result, and a one-byte change is reported by the sweep — as a ledger
event and a 我的待办 entry for the system administrator — and by ``ledger verify --files``."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sanxiang.ledger.models import Event
from sanxiang.records.evidence import selectors, sweeps
from sanxiang.records.models import Evidence, FixityCheck

from .evidence_support import (  # noqa: F401  (fixtures)
    add,
    device,
    flow,
    items,
    jpeg_bytes,
    left_served,
    mp4_bytes,
    p,
)

pytestmark = pytest.mark.django_db


def run_verify(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ledger", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_info:
        return exit_info.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def stored(flow, device, tmp_path):
    f = left_served(flow)
    video = add(f, tmp_path, mp4_bytes(500_000), device=device)
    photo = add(f, tmp_path, jpeg_bytes(), kind="photo", name="门口.jpg", device=None)
    return f, video, photo


def flip_one_byte(settings, evidence: Evidence, at: int = 1000) -> bytes:
    path = settings.MEDIA_ROOT / evidence.storage_name
    original = path.read_bytes()
    changed = bytearray(original)
    changed[min(at, len(changed) - 1)] ^= 0x01
    path.write_bytes(bytes(changed))
    return original


def test_the_sweep_checks_every_file_once_per_interval(stored):
    _, video, photo = stored
    now = timezone.now()
    assert sweeps.fixity_sweep(now) == "证据文件完整性校验：2 个文件，0 个不一致"
    assert FixityCheck.objects.filter(ok=True).count() == 2
    assert sweeps.fixity_sweep(now + dt.timedelta(days=1)) is None  # nothing due
    assert sweeps.fixity_sweep(now + dt.timedelta(days=31)) is not None
    # Passing checks leave no ledger noise.
    assert not Event.objects.filter(type__startswith="evidence.fixity").exists()


def test_the_least_recently_checked_go_first_within_the_time_budget(stored, settings):
    _, video, photo = stored
    settings.RECORDS_FIXITY_SECONDS = 0  # one file per run, however small the budget
    now = timezone.now()
    Evidence.objects.filter(pk=video.pk).update(fixity_checked_at=now - dt.timedelta(days=90))
    Evidence.objects.filter(pk=photo.pk).update(fixity_checked_at=now - dt.timedelta(days=40))
    sweeps.fixity_sweep(now)
    assert list(FixityCheck.objects.values_list("evidence_id", flat=True)) == [video.pk]
    sweeps.fixity_sweep(now)
    assert FixityCheck.objects.filter(evidence=photo).count() == 1


def test_one_changed_byte_is_reported_by_the_sweep_and_by_ledger_verify(
    stored, settings, p, client
):
    f, video, photo = stored
    assert run_verify("--files")[0] == 0
    original = flip_one_byte(settings, video)

    # The sweep: a failed check, a ledger event, a to-do for the system administrator.
    assert sweeps.fixity_sweep(timezone.now()) == "证据文件完整性校验：2 个文件，1 个不一致"
    check = FixityCheck.objects.get(evidence=video)
    assert not check.ok and check.problem == "SHA-256 哈希不符（文件被改动）"
    video.refresh_from_db()
    assert video.fixity_ok is False
    event = Event.objects.get(type="evidence.fixity_failed")
    assert f'"path":"{video.storage_name}"' in event.payload
    todo = selectors.todo_items_for(user=p.xitong, today=timezone.localdate())
    assert [i.title for i in todo] == ["证据文件完整性校验失败：请从备份恢复后复查"]
    assert video.number in todo[0].subject
    assert selectors.todo_items_for(user=p.zhougongshi, today=timezone.localdate()) == []

    # ledger verify --files names the same file.
    code, _, err = run_verify("--files")
    assert code == 1 and video.storage_name in err and "SHA-256" in err
    assert photo.storage_name not in err

    # Restored from backup; the administrator re-checks from the fixity page.
    (settings.MEDIA_ROOT / video.storage_name).write_bytes(original)
    client.force_login(p.xitong)
    page = client.get(reverse("records:fixity"))
    assert page.status_code == 200 and video.storage_name in page.content.decode()
    response = client.post(reverse("records:fixity"), {"evidence": video.pk})
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.fixity_ok is True
    assert Event.objects.filter(type="evidence.fixity_restored").count() == 1
    assert selectors.todo_items_for(user=p.xitong, today=timezone.localdate()) == []
    assert run_verify("--files")[0] == 0


def test_a_missing_or_truncated_file_is_reported(stored, settings):
    _, video, photo = stored
    (settings.MEDIA_ROOT / video.storage_name).unlink()
    path = settings.MEDIA_ROOT / photo.storage_name
    path.write_bytes(path.read_bytes()[:-10])
    sweeps.fixity_sweep(timezone.now())
    problems = dict(FixityCheck.objects.values_list("evidence_id", "problem"))
    assert problems[video.pk].startswith("文件缺失或无法读取")
    assert problems[photo.pk].startswith("大小不符")
    code, _, err = run_verify("--files")
    assert code == 1 and "缺失" in err and "大小不符" in err


def test_only_the_system_administrator_sees_the_fixity_page(client, p):
    client.force_login(p.zhangming)
    assert client.get(reverse("records:fixity")).status_code == 403
    client.force_login(p.xitong)
    assert client.get(reverse("records:fixity")).status_code == 200


def test_the_sweeps_are_registered():
    from django.apps import apps

    assert apps.get_app_config("records").sweeps == [
        "sanxiang.records.evidence.sweeps.fixity_sweep",
        "sanxiang.records.evidence.sweeps.upload_expiry_sweep",
    ]

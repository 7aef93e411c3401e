"""Helpers for the evidence tests: the cases app's ``Flow`` (a case driven through the cases
services), a recording device, sample files that are what they claim to be, and a direct
ingest helper. Test modules import the fixtures they use from here."""

# ruff: noqa: F811  (pytest fixtures imported from evidence_support are parameters)

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
from pathlib import Path

import pytest

from sanxiang.cases import services as case_services
from sanxiang.cases.choices import ServiceMethod, State
from sanxiang.cases.tests.conftest import SERVED, Flow, at, items, p  # noqa: F401
from sanxiang.records.evidence import services
from sanxiang.records.evidence.hashing import Digests, file_digests

__all__ = ["Flow", "at", "items", "p", "SERVED"]


@pytest.fixture
def flow(p, items, agency):
    def make() -> Flow:
        return Flow(p, items, agency)

    return make


@pytest.fixture
def device(p, agency):
    """A body camera on the demo agency's register, issued to 张明."""
    from sanxiang.registry import services as registry

    cam = registry.device_register(
        actor=p.xitong,
        agency=agency,
        kind="body_camera",
        asset_no="LCRS-ZFJLY-001",
        model_name="海康威视 DSJ-X1",
        commissioned_on=dt.date(2025, 1, 1),
    )
    issued = registry.device_issue(actor=p.wangqiang, device=cam, holder=p.zhangming)
    # Issued at the start of the year (the service stamps "now"; the flow's dates are in spring).
    type(issued).objects.filter(pk=issued.pk).update(
        issued_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    )
    return cam


def mp4_bytes(size: int = 64 * 1024, *, seed: int = 1) -> bytes:
    """An ISO base media file: an ``ftyp`` box (isom) followed by an ``mdat`` box."""
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    payload = hashlib.shake_256(f"video-{seed}".encode()).digest(max(size - len(ftyp) - 8, 0))
    return ftyp + (len(payload) + 8).to_bytes(4, "big") + b"mdat" + payload


def jpeg_bytes(color=(180, 40, 40)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    return buffer.getvalue()


def left_served(flow, **service):
    """A penalty case whose decision was served by 留置送达 (the party refused; a witness
    signed the receipt) on 2026-04-08 — entered while the recording gate was not asked (as if
    the rule had been switched to 必须记录 later), so that the case now lacks its recording."""
    from sanxiang.cases import gates

    f = flow().decided()
    with gates.overridden(recordings=[]):
        _serve_left(f, **service)
    assert f.refresh().state == State.SERVED
    return f


def _serve_left(f, **service):
    case_services.case_transition(
        case=f.case,
        action="serve",
        actor=f.p.zhangming,
        served_on=SERVED,
        service={
            "method": ServiceMethod.LEFT,
            "refusal_reason": "法定代表人钱某拒绝签收",
            "witnesses": "崇文镇某村委会主任赵某",
            "place": "陵川县崇文镇该公司办公室",
            **service,
        },
    )


def incoming(tmp_path: Path, data: bytes, name: str = "VID_20260408_093000.mp4"):
    """A file as it has arrived (hashed), ready for services.evidence_add."""
    path = tmp_path / f"in-{hashlib.sha256(data).hexdigest()[:12]}-{os.getpid()}.upload"
    path.write_bytes(data)
    return services.Incoming(path=path, original_name=name, digests=file_digests(path), via="form")


def add(f, tmp_path, data: bytes | None = None, *, record=None, **kw):
    """Ingest ``data`` (default: a small MP4) as evidence of the flow's case, by 张明."""
    data = mp4_bytes() if data is None else data
    fields = dict(
        kind="video",
        scene="service_left",
        step="service",
        recorded_by=f.p.zhangming,
        started_at=at(SERVED, 9, 30),
        ended_at=at(SERVED, 9, 42),
        place="陵川县崇文镇该公司办公室门口",
        description="受送达人拒收，将决定书留置于其办公室，全程录像",
        record=record,
    )
    fields.update(kw)
    if "device" not in fields:  # the body camera of the ``device`` fixture, when there is one
        from sanxiang.registry.models import RecordingDevice

        fields["device"] = RecordingDevice.objects.filter(asset_no="LCRS-ZFJLY-001").first()
    name = fields.pop("name", "VID_20260408_093000.mp4")
    return services.evidence_add(
        actor=fields.pop("actor", f.p.zhangming),
        case=f.case,
        incoming=incoming(tmp_path, data, name),
        **fields,
    )


def digests_of(data: bytes) -> Digests:
    return Digests(
        hashlib.sha256(data).hexdigest(), hashlib.new("sm3", data).hexdigest(), len(data)
    )

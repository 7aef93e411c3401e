"""Archive test helpers: a penalty case driven through the case services from complaint to
closing, with every standard document generated from its data, a signed-and-sealed scan of
each, and evidence files (a photo and a video) — a case file that can be sealed."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanxiang.cases.tests.conftest import (  # noqa: F401 (fixtures)
    PAID,
    SERVED,
    _skip_postgres_only,
    at,
    flow,
    items,
    p,
)
from sanxiang.records import services as records_services
from sanxiang.records.casedocs import builders
from sanxiang.records.casedocs import services as casedocs_services

FINE_ACCOUNT = {
    "bank": "中国工商银行陵川县支行",
    "account_name": "陵川县财政局非税收入汇缴结算户",
    "account_no": "0508 0000 0000 0000 123",
}


@pytest.fixture(autouse=True)
def _archive_settings(settings):
    settings.RECORDS_FINE_ACCOUNT = FINE_ACCOUNT
    settings.SITE_ROOT = "https://zfgs.example.gov.cn"


def scan_pdf(label: str, pages: int = 1) -> bytes:
    """A small, valid PDF of ``pages`` pages standing for the scan of a signed paper."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>",
        *["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>" for _ in range(pages)],
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n% scan of " + label.encode("utf-8") + b"\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def generate_all(p, case, *, skip: tuple[str, ...] = ()) -> list:
    made = []
    for builder in builders.all_builders():
        if builder.may is not None or builder.doc_type in skip:
            continue  # archive-made documents (卷内目录) come with sealing
        for obj in builder.objects(builders.CaseData(case)):
            made.append(
                casedocs_services.case_document_generate(
                    actor=p.zhangming, case=case, doc_type=builder.doc_type, obj=obj
                )
            )
    return made


def scan_all(p, documents) -> None:
    for doc in documents:
        upload = SimpleUploadedFile(
            f"scan-{doc.pk}.pdf", scan_pdf(f"{doc.doc_name} {doc.pk}", pages=2), "application/pdf"
        )
        records_services.document_attach_scan(actor=p.zhangming, document=doc, uploaded_file=upload)


def add_evidence(f, tmp_path) -> list:
    """A photo and a video of the case (through the evidence service)."""
    import datetime as dt

    from PIL import Image

    from sanxiang.records.evidence import services as evidence
    from sanxiang.records.evidence.hashing import file_digests
    from sanxiang.registry import services as registry

    camera = registry.device_register(
        actor=f.p.xitong,
        agency=f.case.agency,
        kind="body_camera",
        asset_no="LCRS-ZFJLY-009",
        model_name="执法记录仪（测试）",
        commissioned_on=dt.date(2025, 1, 1),
    )
    issued = registry.device_issue(actor=f.p.wangqiang, device=camera, holder=f.p.zhangming)
    type(issued).objects.filter(pk=issued.pk).update(
        issued_at=dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    )
    photo = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(photo, "JPEG")
    ftyp = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
    payload = hashlib.shake_256(b"video").digest(4096)
    video = ftyp + (len(payload) + 8).to_bytes(4, "big") + b"mdat" + payload
    out = []
    for data, name, kind in (
        (photo.getvalue(), "IMG_0001.jpg", "photo"),
        (video, "VID_0001.mp4", "video"),
    ):
        path = tmp_path / f"in-{kind}-{os.getpid()}.upload"
        path.write_bytes(data)
        incoming = evidence.Incoming(
            path=path, original_name=name, digests=file_digests(path), via="form"
        )
        out.append(
            evidence.evidence_add(
                actor=f.p.zhangming,
                case=f.case,
                incoming=incoming,
                kind=kind,
                scene="investigation",
                step="inspection",
                recorded_by=f.p.zhangming,
                started_at=at(SERVED, 9, 30),
                ended_at=at(SERVED, 9, 40),
                place="陵川县崇文镇示例工地",
                description="现场考勤机及排班表" if kind == "photo" else "现场检查全程录像",
                device=camera,
            )
        )
    return out


@pytest.fixture
def closed_case(flow):
    """A closed penalty case with no documents yet."""
    return flow().closed().refresh()


@pytest.fixture
def complete_case(flow, p, tmp_path):
    """A closed penalty case whose file is complete: documents, scans, evidence."""
    f = flow().served()
    add_evidence(f, tmp_path)
    f.paid().closed()
    case = f.refresh()
    scan_all(p, generate_all(p, case))
    return case

"""One case, one file: assembly in the standard order with page numbers, the completeness check
that blocks sealing, retention, the restricted 副卷, sealing that freezes the case, borrowing
and the access log."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import hashlib
import json

import pytest
from django.urls import reverse

from sanxiang.archive import completeness, rules, selectors, services
from sanxiang.archive.models import CaseFile, FileItem, FileStatus, Volume
from sanxiang.cases.models import Case
from sanxiang.ledger.models import Event
from sanxiang.lib import canonical
from sanxiang.lib.errors import Blocked, DomainError, NotPermitted
from sanxiang.records.casedocs import services as casedocs_services
from sanxiang.records.documents.registry import squash
from sanxiang.records.tests.conftest import pdf_text

from .conftest import generate_all, scan_all, scan_pdf


def _seal(p, case) -> CaseFile:
    case_file = services.casefile_assemble(actor=p.zhangming, case=case)
    return services.casefile_seal(actor=p.sundangan, case_file=case_file)


# --- pure rules ------------------------------------------------------------------------------


def test_pages_are_numbered_across_the_volume_but_not_on_cover_index_and_note_sheet():
    numbered = rules.number_pages(
        [("cover", 1), ("index", 2), ("filing", 2), ("evidence", 0), ("decision", 3), ("note", 1)]
    )
    assert [(n.first, n.last) for n in numbered] == [
        (None, None),
        (None, None),
        (1, 2),
        (None, None),  # audio/video: no paper pages
        (3, 5),
        (None, None),
    ]


@pytest.mark.parametrize(
    ("procedure", "major", "expected"),
    [("general", False, "30"), ("simplified", False, "10"), ("general", True, "permanent")],
)
def test_retention_follows_the_kind_of_case(procedure, major, expected):
    # DOMAIN.md §7.3: general 30 years, summary procedure 10, major cases permanent.
    policy = rules.DEFAULT_RETENTION
    assert rules.retention_for(procedure=procedure, major=major, policy=policy) == expected


def test_archive_number_is_year_and_four_digit_sequence():
    assert rules.archive_number(2026, 3) == "20260003"
    with pytest.raises(ValueError):
        rules.archive_number(2026, 10000)


def test_page_count_reads_pdf_and_images():
    assert rules.pdf_page_count(scan_pdf("x", pages=3)) == 3
    assert rules.page_count(b"not a pdf", "application/octet-stream") == 0


# --- completeness ------------------------------------------------------------------------------


def test_completeness_lists_what_is_missing_and_blocks_sealing(closed_case, p):
    problems = completeness.blocking(completeness.check(closed_case))
    text = "；".join(problems)
    for missing in [
        "缺少立案审批表",
        "缺少询问笔录",
        "缺少行政处罚决定书",
        "缺少送达回证",
        "缺少结案审批表",
    ]:
        assert missing in text, missing
    generate_all(p, closed_case)
    problems = completeness.blocking(completeness.check(closed_case))
    assert problems and all("尚未上传签名盖章后的扫描件" in t for t in problems)
    case_file = services.casefile_assemble(actor=p.zhangming, case=closed_case)
    events = Event.objects.count()
    with pytest.raises(Blocked, match="尚未上传签名盖章后的扫描件"):
        services.casefile_seal(actor=p.sundangan, case_file=case_file)
    # Nothing written: no archive number taken, no document issued, no event.
    row = CaseFile.objects.get(pk=case_file.pk)
    assert row.status == FileStatus.ASSEMBLED and row.archive_no == "" and row.archive_seq is None
    assert Event.objects.count() == events


def test_audio_video_the_recording_rules_require_blocks_sealing(complete_case, p):
    """A rule made 必须记录 after the case closed: the file lacks the interview's recording."""
    from sanxiang.records.evidence import services as evidence_services

    evidence_services.recording_rule_set(
        actor=p.xitong,
        target="interview",
        mode="block",
        kinds=["audio", "video"],
        reason="询问须全程录音录像（本局规定）",
    )
    problems = completeness.check(complete_case)
    assert any(
        x.blocking and "缺少音像记录" in x.text and "询问须全程录音录像" in x.text for x in problems
    ), problems
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    with pytest.raises(Blocked, match="缺少音像记录"):
        services.casefile_seal(actor=p.sundangan, case_file=case_file)
    evidence_services.recording_rule_set(
        actor=p.xitong,
        target="interview",
        mode="prompt",
        kinds=["audio", "video"],
        reason="询问宜全程录音录像（本局规定）",
    )
    problems = completeness.check(complete_case)
    assert not completeness.blocking(problems)
    assert any(not x.blocking and "建议补充音像记录" in x.text for x in problems)


def test_a_complete_case_has_no_blocking_problem(complete_case):
    assert completeness.blocking(completeness.check(complete_case)) == []


def test_an_open_case_cannot_be_assembled(flow, p):
    case = flow().served().refresh()
    with pytest.raises(DomainError, match="尚未结案"):
        services.casefile_assemble(actor=p.zhangming, case=case)


# --- assembly ----------------------------------------------------------------------------------


def test_assembly_puts_the_file_in_the_standard_order_with_page_numbers(complete_case, p):
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    items = list(case_file.items.order_by("position"))
    sections = [i.section for i in items]
    # DOMAIN.md §7.2: filing → decision + receipt → other documents to the party → evidence →
    # closing report → execution → closing form.
    order = [rules.SECTION_RANK[s] for s in sections]
    assert order == sorted(order)
    assert sections[0] == "filing" and sections[-1] == "closing"
    decision = next(i for i in items if i.document and i.document.doc_type == "penalty_decision")
    after = items[items.index(decision) + 1]
    assert after.document.doc_type == "service_receipt" and decision.number in after.document.title
    assert after.title == "送达回证（行政处罚决定书）" and decision.title == "行政处罚决定书"
    # Every document is filed as its signed and sealed scan (2 pages each); evidence files too.
    docs = [i for i in items if i.kind == "document"]
    assert docs and all(i.file_role == "scan" and i.pages == 2 for i in docs)
    evidence = [i for i in items if i.kind == "evidence"]
    assert {i.section for i in evidence} == {"evidence"}
    photo = next(i for i in evidence if i.content_type == "image/jpeg")
    video = next(i for i in evidence if i.content_type.startswith("video/"))
    assert photo.pages == 1 and video.pages == 0 and video.first_page is None
    # Numbered across the volume, no gaps.
    expected = 1
    for i in items:
        if i.pages:
            assert (i.first_page, i.last_page) == (expected, expected + i.pages - 1), i.title
            expected += i.pages
    assert case_file.pages == expected - 1 and case_file.documents == len(items)
    assert case_file.retention == "30"
    assert Event.objects.filter(type="archive.assembled").exists()


def test_only_handlers_and_the_archivist_assemble(closed_case, p):
    with pytest.raises(NotPermitted):
        services.casefile_assemble(actor=p.zhougongshi, case=closed_case)


# --- sealing ----------------------------------------------------------------------------------


def test_sealing_numbers_the_file_issues_cover_index_note_and_freezes_the_case(
    complete_case, p, tmp_path
):
    case_file = _seal(p, complete_case)
    assert case_file.status == FileStatus.SEALED
    assert len(case_file.archive_no) == 8 and case_file.archive_no.startswith(
        str(case_file.sealed_at.year)
    )
    items = list(case_file.items.filter(volume=Volume.MAIN).order_by("position"))
    assert [i.section for i in (items[0], items[1], items[-1])] == ["cover", "index", "note"]
    assert all(i.first_page is None for i in (items[0], items[1], items[-1]))
    # The 卷内目录 lists every item with its page range (pdftotext of the issued PDF).
    index = items[1].document
    with index.pdf.open("rb") as fh:
        text = squash(pdf_text(fh.read(), tmp_path, name="index"))
    assert case_file.archive_no in text
    for item in items[2:-1]:
        if item.page_range:
            assert item.page_range in text
    cover = items[0].document
    with cover.pdf.open("rb") as fh:
        cover_text = squash(pdf_text(fh.read(), tmp_path, name="cover"))
    assert "30年" in cover_text and f"{case_file.pages}页" in cover_text
    assert complete_case.decision.number in cover_text
    # The seal event records the manifest of every item's hashes.
    seal = Event.objects.get(seq=case_file.seal_ledger_seq)
    assert seal.type == "archive.sealed"
    manifest = services.seal_manifest(case_file)
    digest = hashlib.sha256(canonical.canonical_json(manifest)).hexdigest()
    assert (
        json.loads(seal.payload)["data"]["manifest_sha256"]
        == digest
        == (case_file.seal_manifest_sha256)
    )
    # Read-only: no new document, no new version, no reassembly, no classification.
    with pytest.raises(DomainError, match="案卷已封存"):
        casedocs_services.case_document_generate(
            actor=p.zhangming, case=complete_case, doc_type="filing_approval"
        )
    with pytest.raises(DomainError, match="已封存"):
        services.casefile_assemble(actor=p.zhangming, case=complete_case)
    # The generic document services (records pages, API) consult the same lock.
    from django.core.files.base import ContentFile

    from sanxiang.records import services as records_services

    with pytest.raises(Blocked, match="案卷已封存"):
        records_services.document_generate(
            actor=p.zhangming,
            subject=complete_case,
            doc_type=cover.doc_type,
            context={},  # the lock answers before the context is looked at
        )
    with pytest.raises(Blocked, match="案卷已封存"):
        records_services.document_attach_scan(
            actor=p.zhangming, document=cover, uploaded_file=ContentFile(scan_pdf("封面"), "c.pdf")
        )
    with pytest.raises(DomainError, match="已封存"):
        services.item_classify(
            actor=p.sundangan, item=items[3], classification="privacy", reason="x"
        )


def test_only_the_archivist_seals(complete_case, p):
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    with pytest.raises(NotPermitted):
        services.casefile_seal(actor=p.zhangming, case_file=case_file)


def test_retention_can_be_changed_before_sealing_with_a_reason(complete_case, p):
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    with pytest.raises(DomainError, match="理由"):
        services.casefile_set_retention(
            actor=p.sundangan, case_file=case_file, retention="permanent", reason=""
        )
    services.casefile_set_retention(
        actor=p.sundangan, case_file=case_file, retention="permanent", reason="社会影响较大"
    )
    assert CaseFile.objects.get(pk=case_file.pk).retention == "permanent"


def test_the_retention_policy_is_configurable(complete_case, p, settings):
    settings.ARCHIVE_RETENTION = {"general": "10"}
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    assert case_file.retention == "10"


# --- 副卷 and access --------------------------------------------------------------------------


def test_classified_items_go_to_the_restricted_volume_with_separate_access(
    complete_case, p, client
):
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    photo = case_file.items.get(content_type="image/jpeg")
    with pytest.raises(DomainError, match="理由"):
        services.item_classify(actor=p.sundangan, item=photo, classification="privacy")
    with pytest.raises(NotPermitted):
        services.item_classify(actor=p.zhangming, item=photo, classification="privacy", reason="x")
    moved = services.item_classify(
        actor=p.sundangan, item=photo, classification="privacy", reason="拍到劳动者面部"
    )
    assert moved.volume == Volume.RESTRICTED and moved.position == 1
    case_file.refresh_from_db()
    assert case_file.restricted_documents == 1
    # Pages of the 正卷 are renumbered without the photo.
    main = list(case_file.items.filter(volume=Volume.MAIN, pages__gt=0).order_by("position"))
    assert main[-1].last_page == case_file.pages
    # Reassembly keeps the classification.
    case_file = services.casefile_assemble(actor=p.zhangming, case=complete_case)
    assert case_file.items.filter(volume=Volume.RESTRICTED).count() == 1
    case_file = services.casefile_seal(actor=p.sundangan, case_file=case_file)
    restricted = case_file.items.filter(volume=Volume.RESTRICTED).order_by("position")
    assert [i.section for i in restricted][0] == "cover"  # its own cover, index and note sheet
    photo = case_file.items.get(content_type="image/jpeg")

    # Access: the officer needs an approved borrowing; the 副卷 only if it was asked for.
    assert selectors.access(case_file, p.zhangming).main is False
    assert selectors.access(case_file, p.sundangan).restricted is True
    borrowing = services.borrowing_request(
        actor=p.zhangming, case_file=case_file, purpose="行政复议答复", include_restricted=False
    )
    with pytest.raises(NotPermitted):
        services.borrowing_decide(actor=p.zhangming, borrowing=borrowing, approve=True)
    services.borrowing_decide(actor=p.sundangan, borrowing=borrowing, approve=True)
    access = selectors.access(case_file, p.zhangming)
    assert access.main and not access.restricted

    client.force_login(p.zhangming)
    url = reverse("archive:item_file", args=[complete_case.pk, photo.pk])
    assert client.get(url).status_code == 403
    main_item = case_file.items.filter(volume=Volume.MAIN, kind="document").first()
    response = client.get(reverse("archive:item_file", args=[complete_case.pk, main_item.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    types = list(
        Event.objects.filter(type__startswith="security.archive").values_list("type", flat=True)
    )
    assert "security.archive_denied" in types and "security.archive_item_downloaded" in types

    services.borrowing_return(actor=p.sundangan, borrowing=borrowing)
    assert selectors.access(case_file, p.zhangming).main is False


def test_every_view_of_a_sealed_file_is_in_the_access_log(complete_case, p, client):
    case_file = _seal(p, complete_case)
    client.force_login(p.sundangan)
    before = Event.objects.filter(type="security.archive_viewed").count()
    response = client.get(reverse("archive:casefile", args=[complete_case.pk]))
    assert response.status_code == 200
    assert Event.objects.filter(type="security.archive_viewed").count() == before + 1
    log = selectors.access_log(case_file)
    assert [r.label for r in log][-1] == "查阅案卷"
    assert "案卷封存" in [r.label for r in log]


def test_refusing_a_borrowing_needs_a_reason(complete_case, p):
    case_file = _seal(p, complete_case)
    own = services.borrowing_request(actor=p.sundangan, case_file=case_file, purpose="自查")
    with pytest.raises(DomainError, match="本人"):
        services.borrowing_decide(actor=p.sundangan, borrowing=own, approve=True)
    row = services.borrowing_request(actor=p.lihua, case_file=case_file, purpose="案卷评查")
    with pytest.raises(DomainError, match="理由"):
        services.borrowing_decide(actor=p.sundangan, borrowing=row, approve=False)
    services.borrowing_decide(actor=p.sundangan, borrowing=row, approve=False, note="非本案人员")
    with pytest.raises(DomainError, match="不能再审批"):
        services.borrowing_decide(actor=p.sundangan, borrowing=row, approve=True)


def test_a_sealed_case_locks_its_documents_through_the_casedocs_slot(complete_case, p):
    from sanxiang.records.casedocs import locks

    _seal(p, complete_case)
    assert locks.lock_reasons(Case.objects.get(pk=complete_case.pk))


def test_scans_attach_before_sealing_then_reassembly_files_them(closed_case, p):
    docs = generate_all(p, closed_case)
    case_file = services.casefile_assemble(actor=p.zhangming, case=closed_case)
    assert set(case_file.items.values_list("file_role", flat=True)) == {"pdf"}
    scan_all(p, docs)
    case_file = services.casefile_assemble(actor=p.zhangming, case=closed_case)
    assert set(case_file.items.values_list("file_role", flat=True)) == {"scan"}


# --- pages --------------------------------------------------------------------------------------


def test_archive_pages_render_for_the_archivist_and_an_officer(complete_case, p, client):
    _seal(p, complete_case)
    client.force_login(p.sundangan)
    for name, args in [
        ("archive:file_list", []),
        ("archive:borrowing_list", []),
        ("archive:register", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    page = client.get(reverse("archive:casefile", args=[complete_case.pk])).content.decode()
    assert "正卷" in page and "导出案卷电子包" in page and "查阅和处理记录" in page
    client.force_login(p.zhangming)
    page = client.get(reverse("archive:casefile", args=[complete_case.pk])).content.decode()
    assert "申请借阅" in page and "导出案卷电子包" not in page
    assert client.get(reverse("archive:register")).status_code == 403
    client.force_login(p.wuquanxian)
    assert client.get(reverse("archive:file_list")).status_code == 403


def test_the_case_page_section_lists_the_documents(closed_case, p, client):
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = p.zhangming
    html = Template("{% load casedocs %}{% case_documents case %}").render(
        Context({"case": closed_case, "request": request})
    )
    assert "立案审批表" in html and "生成" in html and "行政处罚决定书" in html
    client.force_login(p.zhangming)
    # The case page shows the section through the cases panel slot (records.apps).
    page = client.get(reverse("cases:case_detail", args=[closed_case.pk])).content.decode()
    assert 'id="documents"' in page and "立案审批表" in page
    response = client.post(
        reverse("records:case_document_generate", args=[closed_case.pk]),
        {"doc_type": "filing_approval"},
    )
    assert response.status_code == 302
    assert closed_case.pk and FileItem.objects.count() == 0
    from sanxiang.records.models import GeneratedDocument

    assert GeneratedDocument.objects.filter(doc_type="filing_approval").count() == 1


def test_the_file_pages_read_a_fixed_number_of_queries(
    complete_case, p, client, django_assert_max_num_queries
):
    _seal(p, complete_case)
    client.force_login(p.sundangan)
    client.get(reverse("archive:casefile", args=[complete_case.pk]))  # warm caches (perms)
    # 14 items, 3 borrowings and a growing access log: the count does not follow them.
    for who in (p.zhangming, p.lihua, p.wangqiang):
        services.borrowing_request(
            actor=who, case_file=CaseFile.objects.get(case=complete_case), purpose="案卷评查"
        )
    with django_assert_max_num_queries(30):
        assert client.get(reverse("archive:casefile", args=[complete_case.pk])).status_code == 200
    with django_assert_max_num_queries(15):
        assert client.get(reverse("archive:file_list")).status_code == 200


def test_a_major_case_file_needs_the_legal_review_opinion(complete_case, p):
    # 行政处罚法 第五十八条: a major decision is reviewed before it is made; the opinion is filed.
    assert completeness.blocking(completeness.check(complete_case)) == []
    Case.objects.filter(pk=complete_case.pk).update(is_major=True)
    case = Case.objects.get(pk=complete_case.pk)
    assert "重大案件缺少法制审核意见书（行政处罚法 第五十八条）" in completeness.blocking(
        completeness.check(case)
    )
    # …and its file is kept permanently (DOMAIN.md §7.3).
    assert services.casefile_assemble(actor=p.zhangming, case=case).retention == "permanent"

"""The documents-to-archive journey in a real browser (Playwright driving Debian's chromium,
through the shared ``page`` and ``login`` fixtures): the officer makes the last document of a
closed case from its data on the case page and uploads its signed scan; the archivist assembles
the file, seals it and exports the package, which then verifies offline with
tools/sanxiang-verify.

Set ``SANXIANG_SHOTS=/some/dir`` to keep screenshots of the pages on the way."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sanxiang.archive.models import CaseFile

from .conftest import (  # noqa: F401 (fixtures)
    _skip_postgres_only,
    add_evidence,
    flow,
    generate_all,
    items,
    p,
    scan_all,
    scan_pdf,
)

pytestmark = pytest.mark.browser

TOOL = Path(__file__).resolve().parents[3] / "tools" / "sanxiang-verify"


def shot(page, name: str, *, part: str = "") -> None:
    """A full-page screenshot (or of the element ``part``) when SANXIANG_SHOTS names a folder."""
    folder = os.environ.get("SANXIANG_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = str(Path(folder) / f"{name}.png")
        if part:
            page.locator(part).screenshot(path=path)
        else:
            page.screenshot(path=path, full_page=True)


@pytest.fixture
def almost_complete_case(flow, p, tmp_path):
    """A closed penalty case with evidence and every document made and scanned — except the
    结案审批表, which the officer makes in the browser."""
    f = flow().served()
    add_evidence(f, tmp_path)
    f.paid().closed()
    case = f.refresh()
    scan_all(p, generate_all(p, case, skip=("closing_approval",)))
    return case


def test_documents_are_made_on_the_case_page_then_the_file_is_sealed_and_exported(
    almost_complete_case, p, page, login, tmp_path
):
    case = almost_complete_case

    # The officer makes the 结案审批表 from the case data.
    login("zhangming", next_path=f"/cases/{case.pk}/")
    section = page.locator("section#documents")
    row = section.locator("tr", has_text="结案审批表")
    assert "未生成" in row.inner_text()
    row.get_by_role("button", name="生成").click()
    page.wait_for_url(f"{page.base_url}/cases/{case.pk}/*")
    assert page.get_by_text("结案审批表已生成").is_visible()
    row = page.locator("section#documents tr", has_text="结案审批表")
    assert "待上传扫描件" in row.inner_text()
    shot(page, "1-case-documents", part="section#documents")

    # …prints, signs and seals it, and uploads the scan on the document's page.
    row.get_by_role("link").first.click()
    scan = tmp_path / "结案审批表-签章.pdf"
    scan.write_bytes(scan_pdf("结案审批表", pages=1))
    page.locator("input[type=file][name=file]").set_input_files(str(scan))
    page.get_by_role("button", name="上传").click()
    assert page.get_by_text("签章文书扫描件已上传").is_visible()

    # The archivist finds the closed case waiting, assembles and seals the file.
    page.context.clear_cookies()
    login("sundangan", next_path="/archive/files/")
    waiting = page.locator("section", has_text="待组卷")
    waiting.get_by_role("link", name="组卷").click()
    page.get_by_role("button", name="组卷").click()
    assert page.get_by_text("可以封存").is_visible()
    page.get_by_role("button", name="检查并封存").click()
    case_file = CaseFile.objects.get(case=case)
    assert case_file.is_sealed and case_file.archive_no
    assert page.get_by_text("已封存").first.is_visible()
    assert page.get_by_text(case_file.archive_no).first.is_visible()
    shot(page, "3-case-file")

    # The sealed case no longer offers to make documents.
    assert case_file.documents > 10

    # The export package downloads and verifies offline with the bureau's key.
    with page.expect_download() as info:
        page.get_by_role("button", name="导出案卷电子包（ZIP）").click()
    zip_path = tmp_path / "package.zip"
    info.value.save_as(zip_path)
    from sanxiang.ledger import keys

    key = tmp_path / "bureau.vkey"
    key.write_text(keys.log_verifier().encode() + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(TOOL), "package", str(zip_path), "--key", str(key)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert case_file.archive_no in result.stdout

    page.goto(f"{page.base_url}/archive/files/")
    assert page.get_by_role("link", name=case_file.title).is_visible()
    shot(page, "2-file-list")

    # Back on the case page the officer can no longer make documents for the sealed case.
    page.context.clear_cookies()
    login("zhangming", next_path=f"/cases/{case.pk}/")
    assert page.locator("section#documents").get_by_role("button", name="重新生成").count() == 0

"""The penalty decision tells the party that, and where, it will be published (行政处罚法 第四十八条:
具有一定社会影响的行政处罚决定应当依法公开; DOMAIN.md §12 A16). Whether a decision is published
is the publicity app's rule (its slot in ``casedocs.builders``): the notice names the portal
and its address (``SITE_ROOT``); a decision the publicity rules keep back carries no notice;
without a portal address the decision is refused in Chinese and nothing is written."""

# ruff: noqa: F811  (pytest fixtures imported from other conftest modules are parameters)

from __future__ import annotations

import pytest

from sanxiang.cases.choices import PenaltyType
from sanxiang.cases.tests.conftest import (  # noqa: F401 (fixtures)
    flow,
    items,
    p,
)
from sanxiang.catalog import rules as C
from sanxiang.lib.errors import DomainError
from sanxiang.records import documents
from sanxiang.records.casedocs import services
from sanxiang.records.documents.registry import squash
from sanxiang.records.models import GeneratedDocument

from .conftest import SITE_ROOT, pdf_text

pytestmark = pytest.mark.django_db

NOTICE = "根据《中华人民共和国行政处罚法》第四十八条的规定，本决定将依法在"


@pytest.fixture(autouse=True)
def _fine_account(settings):
    settings.RECORDS_FINE_ACCOUNT = {
        "bank": "中国工商银行陵川县支行",
        "account_name": "陵川县财政局非税收入汇缴结算户",
        "account_no": "0508 0000 0000 0000 123",
    }


def _decision_text(p, case, tmp_path) -> str:
    doc = services.case_document_generate(actor=p.zhangming, case=case, doc_type="penalty_decision")
    with doc.pdf.open("rb") as fh:
        return squash(pdf_text(fh.read(), tmp_path, name=f"d{doc.pk}"))


def test_the_decision_tells_the_party_it_will_be_published_on_the_portal(flow, p, tmp_path):
    case = flow().decided().refresh()
    text = _decision_text(p, case, tmp_path)
    assert f"{NOTICE}{case.agency.name}行政执法公示平台（{SITE_ROOT}/gongkai/）公开。" in text, (
        text[-400:]
    )


def test_without_a_portal_address_the_decision_is_refused_in_chinese(flow, p, settings):
    case = flow().decided().refresh()
    settings.SITE_ROOT = ""
    before = GeneratedDocument.objects.count()
    with pytest.raises(DomainError, match="未配置公示平台网址") as caught:
        services.case_document_generate(actor=p.zhangming, case=case, doc_type="penalty_decision")
    assert "SITE_ROOT" in caught.value.message and "第四十八条" in caught.value.message
    assert GeneratedDocument.objects.count() == before


def test_a_warning_the_bureau_does_not_publish_carries_no_notice(flow, p, agency, tmp_path):
    # The bureau's rule 仅给予警告的决定不予公开 (publicity rules.withhold_grounds "warning_only").
    from sanxiang.publicity.models import PublicitySettings

    PublicitySettings.objects.create(agency=agency, withhold_warning_only=True)
    case = (
        flow()
        .decided(penalty_types=[PenaltyType.WARNING], fine_amount=None, tier_level=C.LENIENT)
        .refresh()
    )
    text = _decision_text(p, case, tmp_path)
    assert "给予警告" in text and "本决定将依法" not in text and "第四十八条" not in text


def test_a_decision_the_publicity_admin_withheld_carries_no_notice(flow, p, tmp_path):
    from sanxiang.publicity import services as publicity

    case = flow().decided().refresh()
    assert NOTICE in _decision_text(p, case, tmp_path)
    publication = publicity.publication_collect(decision=case.decision)
    publicity.publication_withhold(
        publication=publication,
        actor=p.zhougongshi,
        grounds=["privacy"],
        reason="主要事实涉及劳动者个人隐私",
    )
    assert "本决定将依法" not in _decision_text(p, case, tmp_path)


def test_a_decision_to_be_published_without_a_channel_is_refused():
    spec = documents.get("penalty_decision")
    context = spec.sample()
    context.publication_channel = " "
    with pytest.raises(DomainError, match="依法公开的决定，请填写公开渠道"):
        documents.render_pdf(spec.code, context)
    context.publish = False  # not published: nothing to tell, nothing missing
    assert documents.render_pdf(spec.code, context).startswith(b"%PDF-")

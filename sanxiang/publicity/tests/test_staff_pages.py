"""Staff pages: the review page shows original and masked text side by side; forms call the
services and show their Chinese refusals; roles decide who sees what."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sanxiang.publicity.models import AnnualReport, Publication, PublicitySettings, State

from .conftest import ledger_size, publication_of

pytestmark = pytest.mark.django_db


def test_review_page_shows_the_original_highlighted_beside_the_masked_text(flow, client):
    from sanxiang.publicity.handlers import collect_pending

    f = flow().investigated(facts_found="经查，投诉人孙某（电话13903560101）反映属实。")
    f.decided()
    collect_pending()
    pub = publication_of(f)
    client.force_login(f.p.zhougongshi)
    body = client.get(f"/publicity/{pub.pk}/").content.decode()
    assert '<mark class="masked" data-kind="手机号码">13903560101</mark>' in body
    assert "〔电话号码已隐去〕" in body and "审核通过并公开" in body
    listing = client.get("/publicity/").content.decode()
    assert pub.decision.number in listing


def test_approve_through_the_page_and_the_officer_is_refused(decided, client):
    pub = publication_of(decided)
    client.force_login(decided.p.lihua)
    assert client.post(f"/publicity/{pub.pk}/approve/").status_code == 403
    client.force_login(decided.p.zhougongshi)
    r = client.post(f"/publicity/{pub.pk}/approve/")
    assert r.status_code == 302
    assert Publication.objects.get(pk=pub.pk).state == State.PUBLISHED


def test_a_refusal_is_shown_in_chinese_and_nothing_changes(decided, client):
    pub = publication_of(decided)
    client.force_login(decided.p.zhougongshi)
    before = ledger_size()
    r = client.post(f"/publicity/{pub.pk}/withhold/", {"grounds": ["privacy"], "reason": ""})
    assert r.status_code == 400 and "这个字段是必填项" in r.content.decode()
    assert ledger_size() == before


def test_edit_page_saves_a_new_version_for_review(decided, client):
    pub = publication_of(decided)
    client.force_login(decided.p.zhangming)
    page = client.get(f"/publicity/{pub.pk}/edit/").content.decode()
    assert "保存为待审核版本" in page
    fields = pub.versions.get().fields
    data = {f"f_{k}": v for k, v in fields.items()} | {"note": "文字调整"}
    data["f_facts"] = "经查，该公司安排劳动者超时加班。"
    assert client.post(f"/publicity/{pub.pk}/edit/", data).status_code == 302
    assert pub.versions.get(state="draft").fields["facts"] == "经查，该公司安排劳动者超时加班。"


def test_settings_page_for_the_system_administrator(client, personas, agency):
    client.force_login(personas.xitong)
    r = client.post(
        "/publicity/settings/",
        {
            "withhold_warning_only": "on",
            "default_min_months": "3",
            "default_max_months": "36",
            "period_rules": "warning 3 3\nrevoke_licence 12 36",
        },
    )
    assert r.status_code == 302
    s = PublicitySettings.objects.get(agency=agency)
    assert s.withhold_warning_only and s.period_rules == {
        "warning": [3, 3],
        "revoke_licence": [12, 36],
    }
    bad = client.post(
        "/publicity/settings/",
        {"default_min_months": "3", "default_max_months": "36", "period_rules": "warning three"},
    )
    assert bad.status_code == 400 and "第1行" in bad.content.decode()
    client.force_login(personas.zhougongshi)
    assert client.get("/publicity/settings/").status_code == 403


def test_annual_report_is_published_once_for_a_past_year(decided, client):
    client.force_login(decided.p.zhougongshi)
    year = timezone.localdate().year - 1
    assert client.get(f"/publicity/report/?year={year}").status_code == 200
    r = client.post("/publicity/report/", {"year": str(year), "narrative": "情况说明"})
    assert r.status_code == 302
    report = AnnualReport.objects.get(year=year)
    assert report.data["penalty"]["total"] == 0 and report.ledger_seq is not None
    again = client.post("/publicity/report/", {"year": str(year), "narrative": "再次"})
    assert again.status_code == 400 and "已经发布" in again.content.decode()
    this_year = client.post("/publicity/report/", {"year": str(year + 1), "narrative": "本年"})
    assert this_year.status_code == 400 and "只能发布已经结束的年度" in this_year.content.decode()
    public = client.get(f"/gongkai/reports/{year}/").content.decode()
    assert "行政执法统计年报" in public and "情况说明" in public


def test_annual_statistics_count_the_heaviest_type_once(decided):
    from sanxiang.cases.models import Decision
    from sanxiang.publicity.statistics import annual_data

    Decision.objects.filter(case=decided.case).update(penalty_types=["warning", "fine"])
    data = annual_data(agency=decided.agency, year=2026)
    rows = {r["code"]: r["count"] for r in data["penalty"]["rows"]}
    assert rows["fine"] == 1 and rows["warning"] == 0
    assert data["penalty"]["total"] == 1 and data["penalty"]["amount"] == "900.00"
    assert data["penalty"]["monthly"][3] == 1  # April

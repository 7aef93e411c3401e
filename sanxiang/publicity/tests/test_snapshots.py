"""事前公开 pages keep dated versions (国办发〔2018〕118号): the agency, the officer roster, the
remedies, the procedure chart and the random-inspection item list. A version is kept when the
live content differs from the latest one — never otherwise — with its content hash in the
ledger; each page has a 历史版本 list and a /v<n>/ page showing what was public then."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanxiang.ledger.models import Event
from sanxiang.lib.errors import DomainError
from sanxiang.publicity import rules, services, sweeps
from sanxiang.publicity.models import PortalPage, PortalSnapshot
from sanxiang.publicity.portal import PAGE_PREFIXES

from .test_portal import FORBIDDEN_TABLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(personas):
    """张明 and 王强 on the roster, each with a 行政执法证 valid for another year."""
    from sanxiang.registry import services as registry

    today = timezone.localdate()
    certs = {}
    for user, number in (
        (personas.zhangming, "晋14052420240017"),
        (personas.wangqiang, "晋14052420230005"),
    ):
        officer = registry.officer_register(
            actor=personas.xitong, user=user, agency=user.unit.agency, post="劳动保障监察员"
        )
        certs[user.username] = registry.certificate_record(
            actor=personas.xitong,
            officer=officer,
            kind="enforcement",
            number=number,
            issuer="山西省人民政府",
            valid_from=today - dt.timedelta(days=400),
            valid_until=today + dt.timedelta(days=365),
        )
    personas.certs = certs
    return personas


def versions(page: str) -> list[int]:
    return list(
        PortalSnapshot.objects.filter(page=page).order_by("number").values_list("number", flat=True)
    )


def test_every_page_gets_a_first_version_with_its_hash_in_the_ledger(roster):
    made, skipped = services.portal_snapshots_refresh()
    assert sorted(s.page for s in made) == sorted(PortalPage.values) and skipped == []
    for s in made:
        s.refresh_from_db()
        assert s.number == 1
        assert s.sha256 == rules.content_sha256(s.content)
        event = Event.objects.get(seq=s.ledger_seq)
        assert event.type == "publicity.page_versioned"
        data = json.loads(event.payload)["data"]
        assert data["sha256"] == s.sha256 and data["page"] == s.page and data["number"] == 1
    officers = PortalSnapshot.objects.get(page="officers", number=1).content["officers"]
    assert sorted(o["name"] for o in officers) == sorted(["张明", "王强"])
    # DOMAIN.md §12 A2: name, unit, post and certificate — nothing else about a person.
    assert set(officers[0]) == {"name", "unit", "post", "kind", "number", "status"}


def test_unchanged_content_keeps_no_new_version(roster):
    services.portal_snapshots_refresh()
    before = Event.objects.count()
    made, _ = services.portal_snapshots_refresh()
    assert made == [] and Event.objects.count() == before
    assert sweeps.portal_snapshot_sweep(timezone.now()) is None


def test_the_sweep_keeps_the_changes_and_says_which(roster):
    assert "执法人员名录第1版" in sweeps.portal_snapshot_sweep(timezone.now())


def test_without_an_agency_the_agency_page_is_not_kept_and_says_why(db):
    with pytest.raises(DomainError, match="尚未登记执法主体"):
        services.portal_snapshot_take(page="agency")
    with pytest.raises(DomainError, match="没有这个事前公开页面"):
        services.portal_snapshot_take(page="cases")


def test_a_suspended_certificate_makes_a_new_roster_version_and_the_old_one_stays_public(
    roster, client
):
    from sanxiang.registry import services as registry

    services.portal_snapshots_refresh()
    registry.certificate_suspend(
        actor=roster.xitong,
        certificate=roster.certs["wangqiang"],
        starts_on=timezone.localdate(),
        reason="涉嫌违法执法，暂扣调查",
    )
    made, _ = services.portal_snapshots_refresh()
    assert [(s.page, s.number) for s in made] == [("officers", 2)]
    assert versions("agency") == [1]  # other pages did not change

    old = client.get("/gongkai/officers/v1/").content.decode()
    new = client.get("/gongkai/officers/v2/").content.decode()
    assert "晋14052420230005" in old and "王强" in old
    assert "晋14052420230005" not in new and "晋14052420240017" in new
    assert '被<a href="/gongkai/officers/v2/">第2版</a>取代' in old
    assert "为现行版本" in new

    history = client.get("/gongkai/officers/history/").content.decode()
    assert 'href="/gongkai/officers/v1/"' in history and 'href="/gongkai/officers/v2/"' in history
    assert history.index("第2版") < history.index("第1版")  # newest first
    live = client.get("/gongkai/officers/").content.decode()
    assert "本页内容为第2版" in live and 'href="/gongkai/officers/history/"' in live


def test_the_roster_publishes_each_officers_post(roster, client):
    # DOMAIN.md §12 A2 (山西: 姓名、单位、岗位、执法证件号码): the live page and the kept version.
    from sanxiang.registry import services as registry
    from sanxiang.registry.models import Officer

    registry.officer_update(
        actor=roster.xitong, officer=Officer.objects.get(user=roster.wangqiang), post="大队长"
    )
    services.portal_snapshots_refresh()
    for url in ("/gongkai/officers/", "/gongkai/officers/v1/"):
        body = client.get(url).content.decode()
        assert '<th scope="col">岗位</th>' in body, url
        row = re.search(r"<tr><th scope=\"row\">王强</th>(.*?)</tr>", body).group(1)
        assert "<td>大队长</td>" in row, url
        assert "<td>劳动保障监察员</td>" in body and "<td>劳动保障监察员</td>" not in row, url


def test_a_changed_post_makes_a_new_roster_version(roster, client):
    from sanxiang.registry import services as registry
    from sanxiang.registry.models import Officer

    services.portal_snapshots_refresh()
    registry.officer_update(
        actor=roster.xitong, officer=Officer.objects.get(user=roster.zhangming), post="副大队长"
    )
    made, _ = services.portal_snapshots_refresh()
    assert [(s.page, s.number) for s in made] == [("officers", 2)]
    assert "<td>副大队长</td>" in client.get("/gongkai/officers/v2/").content.decode()
    assert "<td>副大队长</td>" not in client.get("/gongkai/officers/v1/").content.decode()


def test_a_version_kept_before_posts_were_listed_shows_as_it_was(roster, client):
    """A roster version kept before the post column existed has no "post" key: it keeps its
    hash and renders without a 岗位 column (an archived version looks exactly as it did)."""
    services.portal_snapshots_refresh()
    first = PortalSnapshot.objects.get(page="officers", number=1)
    old = {
        "officers": [{k: v for k, v in o.items() if k != "post"} for o in first.content["officers"]]
    }
    PortalSnapshot.objects.filter(pk=first.pk).update(content=old, sha256=rules.content_sha256(old))
    body = client.get("/gongkai/officers/v1/").content.decode()
    assert "晋14052420240017" in body and "岗位" not in body and "劳动保障监察员" not in body
    # The live content now differs from that version, so the next refresh keeps a new one.
    made, _ = services.portal_snapshots_refresh()
    assert [(s.page, s.number) for s in made] == [("officers", 2)]
    assert PortalSnapshot.objects.get(page="officers", number=1).content == old


def test_the_history_opens_the_version_public_on_a_given_date(roster, client):
    from sanxiang.registry import services as registry

    services.portal_snapshots_refresh()
    first = PortalSnapshot.objects.get(page="officers", number=1)
    first.published_at = timezone.make_aware(dt.datetime(2026, 5, 1, 9, 30))
    first.save(update_fields=["published_at"])
    registry.certificate_end(
        actor=roster.xitong,
        certificate=roster.certs["zhangming"],
        how="cancelled",
        on=timezone.localdate(),
        reason="调离执法岗位",
    )
    services.portal_snapshots_refresh()
    url = "/gongkai/officers/history/"
    assert client.get(url, {"on": "2026-05-01"})["Location"] == "/gongkai/officers/v1/"
    today = timezone.localdate().isoformat()
    assert client.get(url, {"on": today})["Location"] == "/gongkai/officers/v2/"
    before = client.get(url, {"on": "2026-04-30"})
    assert before.status_code == 404 and "尚未留存该页面的版本" in before.content.decode()
    bad = client.get(url, {"on": "2026-02-30"})
    assert bad.status_code == 400 and "请输入有效的日期" in bad.content.decode()
    far = client.get(url, {"on": "9999-12-31"})
    assert far.status_code == 400 and "日期超出范围" in far.content.decode()


def test_a_changed_unit_duty_makes_a_new_agency_version(roster, client):
    from sanxiang.registry.models import Unit

    services.portal_snapshots_refresh()
    unit = Unit.objects.filter(agency__is_active=True, is_active=True).order_by("name").first()
    Unit.objects.filter(pk=unit.pk).update(duties="负责劳动保障监察执法工作（新增：欠薪线索核查）")
    made, _ = services.portal_snapshots_refresh()
    assert [(s.page, s.number) for s in made] == [("agency", 2)]
    assert "欠薪线索核查" in client.get("/gongkai/agency/v2/").content.decode()
    assert "欠薪线索核查" not in client.get("/gongkai/agency/v1/").content.decode()


def test_every_versioned_page_has_its_history_and_version_pages(roster, client):
    services.portal_snapshots_refresh()
    index = client.get("/gongkai/history/").content.decode()
    for page, prefix in PAGE_PREFIXES.items():
        base = f"/gongkai/{prefix}/"
        assert f'href="{base}history/"' in index
        for url in (f"{base}history/", f"{base}v1/"):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert body.count("<h1") == 1 and PortalPage(page).label in body
            touched = {
                m.group(1)
                for q in ctx.captured_queries
                for m in FORBIDDEN_TABLES.finditer(q["sql"])
            }
            assert touched == set(), (url, touched)
        assert client.get(f"{base}v2/").status_code == 404
    procedure = client.get("/gongkai/procedure/v1/").content.decode()
    assert "<svg" in procedure and "作出决定" in procedure

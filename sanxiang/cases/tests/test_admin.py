"""The 系统管理员 keeps case settings and number patterns in the admin; saves go through the
services (ledger)."""

from __future__ import annotations

from sanxiang.cases.models import CaseSettings, NumberPattern
from sanxiang.ledger.models import Event


def test_admin_saves_settings_and_patterns_through_the_services(client, personas, agency):
    client.force_login(personas.xitong)
    response = client.post(
        "/admin/cases/casesettings/add/",
        {
            "agency": agency.pk,
            "defence_workdays": "5",
            "hearing_fine_organisation": "30000",
            "basis_note": "山西省规定（示例）",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CaseSettings.objects.get(agency=agency)
    assert row.defence_workdays == 5 and str(row.hearing_fine_organisation) == "30000.00"
    assert Event.objects.filter(type="cases.settings_set").exists()
    response = client.post(
        "/admin/cases/numberpattern/add/",
        {"agency": agency.pk, "doc_type": "penalty", "pattern": "{short}罚〔{year}〕{n}号"},
    )
    assert response.status_code == 302
    assert (
        NumberPattern.objects.get(agency=agency, doc_type="penalty").pattern
        == "{short}罚〔{year}〕{n}号"
    )
    response = client.post(
        "/admin/cases/numberpattern/add/",
        {"agency": agency.pk, "doc_type": "filing", "pattern": "{short}立"},
    )
    assert response.status_code == 200 and "序号" in response.content.decode()


def test_officers_cannot_open_the_settings(client, personas):
    client.force_login(personas.zhangming)
    assert client.get("/admin/cases/casesettings/").status_code in (302, 403)

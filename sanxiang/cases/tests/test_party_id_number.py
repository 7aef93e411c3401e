"""A party's ID number is masked on the case page; the full number is shown on request, to
those who may see the case, and every such view is a security event (等保 2.0 安全审计)."""

from __future__ import annotations

import random

import pytest
from django.urls import reverse

from sanxiang.ledger.models import Event
from sanxiang.lib import codes
from sanxiang.lib.masking import mask_id_number

NUMBER = codes.make_id_number(random.Random(3), region="140524")
MASKED = NUMBER[:6] + "********" + NUMBER[-4:]


@pytest.fixture
def case(flow):
    person = {"kind": "natural_person", "name": "张三", "id_number": NUMBER}
    return flow().registered(parties=[person]).filed().case


def _reveal_url(case) -> str:
    return reverse("cases:party_id_number_reveal", args=[case.pk, case.parties.get().pk])


def test_mask_keeps_the_region_code_and_the_last_four():
    assert mask_id_number("140524199001011236") == "140524********1236"
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("") == ""


def test_the_case_page_shows_the_id_number_masked(client, case):
    client.force_login(case.assignments.first().user)
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert MASKED in page and NUMBER not in page
    assert _reveal_url(case) in page and "查看完整号码" in page
    assert not Event.objects.filter(type="security.id_number_viewed").exists()


def test_revealing_records_a_security_event_and_shows_the_full_number(client, case, personas):
    client.force_login(personas.zhangming)
    response = client.post(_reveal_url(case))
    assert response.status_code == 200 and NUMBER in response.content.decode()
    event = Event.objects.get(type="security.id_number_viewed")
    assert event.actor == personas.zhangming
    assert (event.subject.kind, event.subject.key) == ("cases.case", str(case.pk))
    assert f'"party":{case.parties.get().pk}' in event.payload.replace(" ", "")
    assert NUMBER not in event.payload  # the ledger keeps payloads for good
    # Once: the case page stays masked afterwards.
    page = client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    assert NUMBER not in page


def test_the_reveal_is_a_post(client, case, personas):
    client.force_login(personas.zhangming)
    assert client.get(_reveal_url(case)).status_code == 405
    assert not Event.objects.filter(type="security.id_number_viewed").exists()


def test_a_user_who_may_not_see_the_case_gets_403_and_nothing_is_recorded(client, case, personas):
    client.force_login(personas.wuquanxian)
    response = client.post(_reveal_url(case))
    assert response.status_code == 403 and NUMBER not in response.content.decode()
    assert not Event.objects.filter(type="security.id_number_viewed").exists()

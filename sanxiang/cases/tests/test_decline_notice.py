"""若干规定 第十八条: a complaint that is not accepted is refused within 5 working days and the
complainant is notified in writing (不予受理通知书). The refusal of a named complainant's
complaint is recorded only with the date of that written notice; reports and leads the bureau
found itself may be declined without one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanxiang.cases import services
from sanxiang.cases.choices import DeadlineKind, Disposition, State
from sanxiang.cases.models import Deadline
from sanxiang.lib.errors import DomainError

from .conftest import FILED, RECEIVED, ledger_size

DECIDED = dt.date(2026, 3, 4)
REASON = "违法行为发生在二年以前，超过劳动保障监察的查处时效"


def _decline(f, **kw):
    params = dict(
        disposition=Disposition.NOT_ACCEPTED,
        reason=REASON,
        decided_on=DECIDED,
    )
    params.update(kw)
    return services.case_transition(case=f.case, action="decline", actor=f.p.wangqiang, **params)


def _state(case):
    case.refresh_from_db()
    return (
        ledger_size(),
        case.state,
        case.disposition,
        case.disposition_reason,
        case.disposition_decided_on,
        case.disposition_notified_on,
        sorted(Deadline.objects.filter(case=case).values_list("kind", "status", "closed_on")),
    )


@pytest.mark.parametrize(
    ("notified_on", "message"),
    [
        (None, "投诉不予受理的，应当书面通知投诉人（若干规定第十八条）：请填写书面告知日期"),
        (dt.date(2026, 3, 3), "书面告知日期不能早于决定日期"),
        ("future", "书面告知日期不能晚于今天"),
    ],
    ids=["missing", "before-decision", "future"],
)
def test_a_complaint_cannot_be_refused_without_a_proper_written_notice_date(
    flow, notified_on, message
):
    f = flow().registered()
    if notified_on == "future":
        notified_on = timezone.localdate() + dt.timedelta(days=3)
    before = _state(f.case)
    with pytest.raises(DomainError) as exc:
        _decline(f, notified_on=notified_on)
    assert exc.value.field == "notified_on"
    assert message in exc.value.message
    assert _state(f.case) == before  # nothing written, not even a ledger event


def test_a_complaint_refused_with_its_notice_date_is_recorded(flow):
    f = flow().registered()
    events = ledger_size()
    _decline(f, notified_on=dt.date(2026, 3, 5))
    case = f.refresh()
    assert case.state == State.NOT_FILED
    assert case.disposition == Disposition.NOT_ACCEPTED and case.disposition_reason == REASON
    assert case.disposition_decided_on == DECIDED
    assert case.disposition_notified_on == dt.date(2026, 3, 5)
    acceptance = Deadline.objects.get(case=case, kind=DeadlineKind.ACCEPTANCE)
    assert acceptance.status == "met" and acceptance.closed_on == DECIDED
    assert ledger_size() == events + 1


def test_the_notice_may_be_given_on_the_day_of_the_decision(flow):
    f = flow().registered()
    _decline(f, decided_on=FILED, notified_on=FILED)
    assert f.refresh().disposition_notified_on == FILED


def test_a_hotline_complaint_also_needs_the_written_notice(flow):
    f = flow().registered(source="hotline_12345")
    with pytest.raises(DomainError) as exc:
        _decline(f)
    assert exc.value.field == "notified_on"


def test_an_anonymous_report_may_be_declined_without_a_notice_date(flow):
    f = flow().registered(source="report", complainants=[{"role": "reporter", "anonymous": True}])
    _decline(f, disposition=Disposition.NOT_FILED, reason="经核查未发现违法行为线索")
    case = f.refresh()
    assert case.state == State.NOT_FILED and case.disposition_notified_on is None


def test_a_lead_found_by_inspection_may_be_declined_without_a_notice_date(flow):
    f = flow().registered(source="patrol", complainant=False)
    _decline(f, disposition=Disposition.NOT_FILED, reason="经核查用人单位已自行改正")
    assert f.refresh().state == State.NOT_FILED


def test_an_optional_notice_date_is_still_checked(flow):
    f = flow().registered(source="patrol", complainant=False)
    with pytest.raises(DomainError, match="不能早于决定日期") as exc:
        _decline(f, disposition=Disposition.NOT_FILED, notified_on=RECEIVED)
    assert exc.value.field == "notified_on"
    assert f.refresh().state == State.LEAD


def test_the_page_shows_the_missing_notice_date_beside_its_field(client, flow):
    f = flow().registered()
    client.force_login(f.p.wangqiang)
    url = reverse("cases:case_action", args=[f.case.pk, "decline"])
    events = ledger_size()
    response = client.post(
        url,
        {"disposition": "not_accepted", "reason": REASON, "decided_on": DECIDED.isoformat()},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "若干规定第十八条" in form.errors["notified_on"][0]
    html = response.content.decode()
    error = html[html.find('id="id_notified_on_error"') :][:200]
    assert "请填写书面告知日期" in error
    assert f.refresh().state == State.LEAD and ledger_size() == events

    response = client.post(
        url,
        {
            "disposition": "not_accepted",
            "reason": REASON,
            "decided_on": DECIDED.isoformat(),
            "notified_on": DECIDED.isoformat(),
        },
    )
    assert response.status_code == 302
    assert f.refresh().disposition_notified_on == DECIDED

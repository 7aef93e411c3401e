"""The case timeline hook: one subject's events in order, with Chinese labels."""

from __future__ import annotations

from sanxiang.ledger import labels, selectors


def test_events_of_subject_in_order_with_labels(record, personas):
    record(2, subject=personas.lihua, type="security.login", actor=personas.lihua)
    record(1, subject=("cases.case", "5"), type="case.filed")
    record(1, subject=personas.lihua, type="security.logout", actor=personas.lihua)
    items = selectors.timeline_of_subject(personas.lihua)
    assert [i.seq for i in items] == [0, 1, 3]
    assert [i.label for i in items] == ["登录", "登录", "退出登录"]
    assert items[0].actor == personas.lihua and items[0].data == {"i": 0, "name": "测试"}
    assert list(selectors.events_of_subject(None)) == []


def test_unlabelled_types_show_their_code():
    assert labels.event_label("case.unheard_of") == "case.unheard_of"


def test_every_security_type_has_a_label():
    from sanxiang.accounts import services  # noqa: F401  (the types accounts records)

    for type_ in ("security.login", "security.logout", "security.permission_denied",
                  "security.password_changed", "account.roles_set"):  # fmt: skip
        assert labels.event_label(type_) != type_

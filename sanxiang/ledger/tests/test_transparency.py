"""Public endpoints /transparency/…: plain text, no login, C2SP formats; junk gets 400."""

from __future__ import annotations

import pytest

from sanxiang.ledger import keys, services
from sanxiang.lib import merkle, notes


@pytest.fixture
def signed(record, settings):
    events = record(9)
    services.checkpoint_issue()
    events += record(4)
    services.checkpoint_issue()
    return events


def text(response) -> str:
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    return response.content.decode()


def test_key_is_the_verifier_key(client, db):
    response = client.get("/transparency/key")
    assert response.status_code == 200
    vkey = text(response).strip()
    assert notes.parse_verifier_key(vkey) == keys.log_verifier()
    name, key_id, _ = vkey.split("+", 2)
    assert len(key_id) == 8


def test_no_checkpoint_yet_is_404_with_a_message(client, db):
    response = client.get("/transparency/checkpoint")
    assert response.status_code == 404 and "尚未签发检查点" in text(response)


def test_latest_checkpoint_and_checkpoint_by_size(client, signed, settings):
    latest = text(client.get("/transparency/checkpoint"))
    opened = notes.open_checkpoint(latest, [keys.log_verifier()], origin=settings.LEDGER_ORIGIN)
    assert opened.size == 13
    older = client.get("/transparency/checkpoint/9")
    assert older.status_code == 200 and "immutable" in older["Cache-Control"]
    assert notes.open_checkpoint(text(older), [keys.log_verifier()]).size == 9
    assert client.get("/transparency/checkpoint/10").status_code == 404


def test_proof_verifies_against_the_latest_checkpoint(client, signed, settings):
    for index in (0, 6, 12):
        response = client.get(f"/transparency/proof/{index}")
        assert response.status_code == 200
        verified = notes.verify_tlog_proof(
            text(response), [keys.log_verifier()], origin=settings.LEDGER_ORIGIN
        )
        assert verified.index == index and verified.checkpoint.size == 13
        assert verified.entry == bytes(signed[index].entry)


def test_proof_of_an_entry_not_yet_checkpointed_is_404(client, signed, record):
    record(1)
    response = client.get("/transparency/proof/13")
    assert response.status_code == 404 and "尚未纳入" in text(response)


def test_consistency_proof_verifies_between_checkpoints(client, signed):
    old = notes.parse_checkpoint(
        text(client.get("/transparency/checkpoint/9")).split("\n\n")[0] + "\n"
    )
    new = notes.parse_checkpoint(
        text(client.get("/transparency/checkpoint")).split("\n\n")[0] + "\n"
    )
    response = client.get("/transparency/consistency?old=9&new=13")
    assert response.status_code == 200
    proof = notes.parse_hash_lines(text(response))
    assert merkle.verify_consistency(9, 13, old.root, new.root, proof)
    assert text(client.get("/transparency/consistency?old=13&new=13")) == ""


@pytest.mark.parametrize(
    "url",
    [
        "/transparency/proof/-1",
        "/transparency/proof/abc",
        "/transparency/proof/01",
        "/transparency/proof/1.0",
        "/transparency/proof/%20",
        "/transparency/proof/99999999999999999999999999",
        "/transparency/proof/13",
        "/transparency/proof/9223372036854775807",
        "/transparency/checkpoint/-5",
        "/transparency/checkpoint/x",
        "/transparency/checkpoint/9223372036854775808",
        "/transparency/consistency",
        "/transparency/consistency?old=1",
        "/transparency/consistency?old=5&new=3",
        "/transparency/consistency?old=-1&new=3",
        "/transparency/consistency?old=a&new=b",
        "/transparency/consistency?old=1&new=14",
        "/transparency/consistency?old=1&new=99999999999999999999",
        "/transparency/consistency?old=%00&new=1",
    ],
)
def test_bad_or_out_of_range_parameters_get_400_with_a_message(client, signed, url):
    response = client.get(url)
    assert response.status_code == 400
    body = text(response)
    assert body.startswith("错误：") and "\nerror: " in body
    assert response["Cache-Control"] == "no-store"


def test_endpoints_need_no_login_and_only_allow_get(client, signed):
    assert client.get("/transparency/proof/3").status_code == 200
    assert client.post("/transparency/proof/3").status_code == 405


def test_proof_endpoint_query_count_does_not_grow_with_the_log(
    client, record, django_assert_max_num_queries
):
    record(64)
    services.checkpoint_issue()
    with django_assert_max_num_queries(5):
        assert client.get("/transparency/proof/37").status_code == 200


def test_a_tampered_store_gives_a_plain_text_server_error(client, signed):
    from .conftest import tamper

    tamper("DELETE FROM ledger_node")
    response = client.get("/transparency/proof/5")
    assert response.status_code == 500 and "账本数据不完整" in text(response)

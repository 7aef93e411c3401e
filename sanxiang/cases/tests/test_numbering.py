"""Document numbers: unique and gap-free per (agency, document type, year), also under
concurrent decisions on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import close_old_connections, connection, transaction

from sanxiang.cases import numbering
from sanxiang.cases.models import IssuedNumber, NumberPattern
from sanxiang.lib.errors import DomainError, NotPermitted


@pytest.mark.django_db
def test_numbers_are_sequential_per_type_and_year(agency):
    with transaction.atomic():
        got = [
            numbering.number_next(agency=agency, doc_type="penalty", year=2026) for _ in range(3)
        ]
        other = numbering.number_next(agency=agency, doc_type="filing", year=2026)
        next_year = numbering.number_next(agency=agency, doc_type="penalty", year=2027)
    assert got == [
        (1, "陵人社监罚字〔2026〕第1号"),
        (2, "陵人社监罚字〔2026〕第2号"),
        (3, "陵人社监罚字〔2026〕第3号"),
    ]
    assert other == (1, "陵人社监立字〔2026〕第1号")
    assert next_year == (1, "陵人社监罚字〔2027〕第1号")


@pytest.mark.django_db
def test_a_rolled_back_document_leaves_no_gap(agency):
    with transaction.atomic():
        numbering.number_next(agency=agency, doc_type="penalty", year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.number_next(agency=agency, doc_type="penalty", year=2026)
        raise RuntimeError("the decision failed")
    with transaction.atomic():
        assert numbering.number_next(agency=agency, doc_type="penalty", year=2026)[0] == 2
    assert list(IssuedNumber.objects.values_list("n", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_number_next_must_run_inside_the_documents_transaction(agency):
    with pytest.raises(RuntimeError, match="inside the transaction"):
        numbering.number_next(agency=agency, doc_type="penalty", year=2026)


@pytest.mark.django_db
def test_unknown_document_type_is_refused(agency):
    with pytest.raises(DomainError, match="未知的文书种类"), transaction.atomic():
        numbering.number_next(agency=agency, doc_type="poem", year=2026)


def test_patterns_are_stored_per_agency_and_changed_only_by_the_administrator(personas, agency):
    with pytest.raises(NotPermitted):
        numbering.number_pattern_set(
            actor=personas.zhangming,
            agency=agency,
            doc_type="penalty",
            pattern="{short}罚〔{year}〕{n}号",
        )
    with pytest.raises(DomainError, match="序号"):
        numbering.number_pattern_set(
            actor=personas.xitong, agency=agency, doc_type="penalty", pattern="{short}罚〔{year}〕"
        )
    numbering.number_pattern_set(
        actor=personas.xitong,
        agency=agency,
        doc_type="penalty",
        pattern="{short}人社罚〔{year}〕{n}号",
    )
    with transaction.atomic():
        assert (
            numbering.number_next(agency=agency, doc_type="penalty", year=2026)[1]
            == "陵人社人社罚〔2026〕1号"
        )
    assert NumberPattern.objects.filter(agency=agency).count() == 1


def test_two_types_with_the_same_pattern_cannot_share_a_number(personas, agency):
    numbering.number_pattern_set(
        actor=personas.xitong,
        agency=agency,
        doc_type="handling",
        pattern="{short}监罚字〔{year}〕第{n}号",
    )
    with transaction.atomic():
        numbering.number_next(agency=agency, doc_type="penalty", year=2026)
    with pytest.raises(DomainError, match="已被使用"), transaction.atomic():
        numbering.number_next(agency=agency, doc_type="handling", year=2026)


def test_other_apps_register_their_document_types():
    numbering.register_doc_type(
        "test_inquiry", "劳动保障监察询问通知书", "{short}监询字〔{year}〕第{n}号"
    )
    assert any(t.code == "test_inquiry" for t in numbering.doc_types())
    with pytest.raises(ValueError):
        numbering.register_doc_type("test_inquiry", "别的", "{short}〔{year}〕{n}")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_decisions_never_share_or_skip_a_number(flow):
    """Eight threads, each with its own database connection, decide cases at the same time."""
    from sanxiang.cases import services

    cases = []
    for _ in range(8):
        f = flow().pending()
        cases.append(f)
    barrier = threading.Barrier(len(cases))
    errors: list[BaseException] = []

    def decide(f):
        try:
            barrier.wait(timeout=30)
            services.case_transition(
                case=f.case, action="decide", actor=f.p.liujuzhang, decided_on=dt.date(2026, 4, 7)
            )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(f,)) for f in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert errors == []
    from sanxiang.cases.models import Decision

    numbers = sorted(Decision.objects.values_list("number", flat=True))
    assert len(set(numbers)) == 8
    issued = sorted(IssuedNumber.objects.filter(doc_type="penalty").values_list("n", flat=True))
    assert issued == list(range(1, 9))


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_allocation_of_a_new_years_counter(agency):
    """The first numbers of a year: the counter row does not exist yet when all start."""
    n_threads, per_thread = 6, 5
    barrier = threading.Barrier(n_threads)
    got: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work():
        try:
            barrier.wait(timeout=30)
            for _ in range(per_thread):
                with transaction.atomic():
                    n, _text = numbering.number_next(agency=agency, doc_type="penalty", year=2031)
                with lock:
                    got.append(n)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert errors == []
    assert sorted(got) == list(range(1, n_threads * per_thread + 1))

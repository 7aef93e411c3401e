"""schemathesis over the whole API, in process (the Django WSGI app), with a bounded number of
examples per operation so that CI stays fast: no 5xx, every response conforms to the declared
schema, no status code the operation does not declare, invalid input is refused.

Authenticated with a personal token of a user holding every permission (a superuser without a
unit sees every agency), against a database holding a case in investigation, so that the
generated ids sometimes name real objects and the requests reach the services.

``SANXIANG_FUZZ_EXAMPLES`` raises the examples per operation for a longer local run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks as sc

from sanxiang.api import services as api_services
from sanxiang.cases.tests.conftest import flow, items, p  # noqa: F401  (fixtures)

EXAMPLES = int(os.environ.get("SANXIANG_FUZZ_EXAMPLES", "4"))

CHECKS = [
    sc.not_a_server_error,
    sc.status_code_conformance,
    sc.content_type_conformance,
    sc.response_schema_conformance,
    sc.response_headers_conformance,
    sc.negative_data_rejection,
]


@pytest.fixture
def fuzz_world(flow, django_user_model):  # noqa: F811
    """A case under investigation with its records, and a token of an all-permission user."""
    case = flow().investigated().case
    root = django_user_model.objects.create_superuser(
        username="fuzz", password="x", real_name="接口测试"
    )
    _token, raw = api_services.token_create(actor=root, name="schemathesis")
    return {"case": case, "token": raw}


@pytest.fixture(autouse=True)
def _node_id(request):
    # schemathesis 4.32's lazy schema reads ``node._nodeid``, which pytest 9 no longer has.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def _keep_connection():
    """Django's test client keeps the test's database connection open across requests (the
    test's transaction lives on it); schemathesis calls the plain WSGI app, whose
    ``request_finished`` would close it (PostgreSQL then fails every later query)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(fuzz_world, _keep_connection):
    from django.core.wsgi import get_wsgi_application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    schema.config.phases.update(phases=["fuzzing"])
    schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, no_shrink=True)
    known = {"case_id": fuzz_world["case"].pk}

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        # Half of the generated ids name the real case: the requests then reach the services.
        if not path_parameters:
            return st.just(path_parameters)
        choices = {
            name: st.sampled_from([known[name], value]) if name in known else st.just(value)
            for name, value in path_parameters.items()
        }
        return st.fixed_dictionaries(choices)

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_every_operation_conforms_to_its_contract(case, fuzz_world):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_world['token']}"}, checks=CHECKS
    )

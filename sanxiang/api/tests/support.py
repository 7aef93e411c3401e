"""What the API tests share: a client carrying a persona's personal token, and a query count."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanxiang.api import services as api_services


def as_user(user) -> Client:
    """A client whose requests carry a personal token of ``user`` (as a machine would)."""
    _token, raw = api_services.token_create(actor=user, name="测试")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def query_count(client, path, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200, response.json()
    return len(ctx.captured_queries)


def load_demo(personas, agency, *apps: str):
    """The demo loaders of ``apps`` (after the officers and the catalogue), as `manage.py demo`
    runs them; returns the personas."""
    import io

    from django.utils.module_loading import import_string

    context = {"agency": agency, "users": vars(personas)}
    loaders = ["sanxiang.registry.demo.load_people", "sanxiang.catalog.demo.load"]
    loaders += [f"sanxiang.{app}.demo.load" for app in apps]
    for dotted in loaders:
        import_string(dotted)(context=context, stdout=io.StringIO())
    return personas

"""The project's URLs plus the inspections staff and portal URLs, for tests (the lead adds them
to sanxiang/urls.py; then this adds nothing)."""

from django.urls import include, path

from sanxiang.urls import urlpatterns as _root

handler403 = "sanxiang.accounts.views.permission_denied_view"

urlpatterns = list(_root)
_names = {getattr(p, "namespace", None) for p in _root}
if "inspections" not in _names:
    urlpatterns.append(path("inspections/", include("sanxiang.inspections.urls")))
if "inspections_public" not in _names:
    urlpatterns.append(path("public/inspections/", include("sanxiang.inspections.public_urls")))

"""The project's URLs plus the catalogue's, for tests (the root URLconf includes the catalogue
once the lead adds it; then this adds nothing)."""

from django.urls import include, path

from sanxiang.urls import urlpatterns as _root

handler403 = "sanxiang.accounts.views.permission_denied_view"

urlpatterns = list(_root)
if not any(getattr(p, "namespace", None) == "catalog" for p in _root):
    urlpatterns.append(path("catalog/", include("sanxiang.catalog.urls")))

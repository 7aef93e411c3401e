"""The project's URLs plus the registry's, for tests (the root URLconf includes the registry
once the lead adds it; then this adds nothing)."""

from django.urls import include, path

from sanxiang.urls import urlpatterns as _root

handler403 = "sanxiang.accounts.views.permission_denied_view"

urlpatterns = list(_root)
if not any(getattr(p, "namespace", None) == "registry" for p in _root):
    urlpatterns.append(path("registry/", include("sanxiang.registry.urls")))

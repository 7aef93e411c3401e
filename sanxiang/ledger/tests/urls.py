"""The project's URLs plus the ledger's, for tests (until the root URLconf includes the
ledger; then this adds nothing)."""

from django.urls import include, path

from sanxiang.urls import urlpatterns as _root

handler403 = "sanxiang.accounts.views.permission_denied_view"

urlpatterns = list(_root)
if not any(getattr(p, "namespace", None) == "ledger" for p in _root):
    urlpatterns.append(path("", include("sanxiang.ledger.urls")))

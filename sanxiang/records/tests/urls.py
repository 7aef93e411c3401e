"""The project's URLs plus the records app's (staff and public), for tests — the root URLconf
includes them once the lead adds the include lines; then this adds nothing."""

from django.urls import include, path

from sanxiang.urls import urlpatterns as _root

handler403 = "sanxiang.accounts.views.permission_denied_view"

urlpatterns = list(_root)
_namespaces = {getattr(p, "namespace", None) for p in _root}
if "records" not in _namespaces:
    urlpatterns.append(path("records/", include("sanxiang.records.urls")))
if "verify" not in _namespaces:
    urlpatterns.append(path("", include("sanxiang.records.public_urls")))
if "ledger" not in _namespaces:
    urlpatterns.append(path("", include("sanxiang.ledger.urls")))

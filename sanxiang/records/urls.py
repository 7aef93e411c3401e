"""Staff pages of the records app: ``path("records/", include("sanxiang.records.urls"))``."""

from django.urls import path

from . import views
from .evidence.urls import urlpatterns as evidence_urlpatterns

app_name = "records"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/<int:pk>/", views.document_detail, name="document_detail"),
    path("documents/<int:pk>/scan/upload/", views.scan_upload, name="scan_upload"),
    path("documents/<int:pk>/files/<str:kind>/", views.document_file, name="document_file"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/<str:code>/sample.pdf", views.template_sample, name="template_sample"),
]

# Evidence, recording rules, resumable uploads, custody and fixity (records/evidence/).
urlpatterns += evidence_urlpatterns

# Case documents filled from case data (records/casedocs/).
from .casedocs.urls import urlpatterns as casedocs_urlpatterns  # noqa: E402

urlpatterns += casedocs_urlpatterns

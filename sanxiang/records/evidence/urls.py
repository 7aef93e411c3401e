"""Evidence routes, appended to the records app's URLs (namespace ``records``)."""

from django.urls import path

from . import tus_views, views

urlpatterns = [
    path("evidence/", views.evidence_list, name="evidence_list"),
    path("evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("evidence/<int:pk>/media", views.evidence_media, name="evidence_media"),
    path("evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/custody/", views.evidence_custody, name="evidence_custody"),
    path("evidence/cases/<int:case_pk>/", views.case_materials, name="case_materials"),
    path("evidence/cases/<int:case_pk>/new/", views.evidence_new, name="evidence_new"),
    path(
        "evidence/cases/<int:case_pk>/exemptions/",
        views.exemption_request,
        name="exemption_request",
    ),
    path("evidence/parties/<int:party_pk>/", views.target_materials, name="target_materials"),
    path("evidence/exemptions/<int:pk>/", views.exemption_detail, name="exemption_detail"),
    path("evidence/rules/", views.recording_rules, name="recording_rules"),
    path("evidence/fixity/", views.fixity, name="fixity"),
    # tus 1.0.0 resumable uploads (tus.py)
    path("evidence/uploads/", tus_views.uploads, name="tus_uploads"),
    path("evidence/uploads/<uuid:upload_id>", tus_views.upload, name="tus_upload"),
]

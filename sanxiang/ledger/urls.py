"""Ledger URLs, mounted at the site root: ``path("", include("sanxiang.ledger.urls"))``.

/transparency/… are public (no login, plain text); /audit/ is the 审计管理员's audit log.
"""

from django.urls import path

from . import views

app_name = "ledger"

urlpatterns = [
    path("transparency/key", views.transparency_key, name="key"),
    path("transparency/checkpoint", views.transparency_checkpoint, name="checkpoint"),
    path(
        "transparency/checkpoint/<str:size>",
        views.transparency_checkpoint_at,
        name="checkpoint_at",
    ),
    path("transparency/proof/<str:index>", views.transparency_proof, name="proof"),
    path("transparency/consistency", views.transparency_consistency, name="consistency"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
]

"""Public verification of documents (no login), mounted at the site root:
``path("", include("sanxiang.records.public_urls"))`` → /verify/document/ and
/verify/document/<code> (the address printed beside every document's QR code)."""

from django.urls import path

from . import views

app_name = "verify"

urlpatterns = [
    path("verify/document/", views.verify_form, name="document_form"),
    path("verify/document/<str:code>", views.verify_document, name="document"),
]

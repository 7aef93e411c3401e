"""Officer verification at the site root (the address printed as a QR code on the 执法证):
``path("", include("sanxiang.publicity.verify_urls"))`` → /verify/officer/ and
/verify/officer/<certificate number>."""

from django.urls import path

from . import portal_views as views

app_name = "verify_officer"

urlpatterns = [
    path("verify/officer/", views.officer_verify_form, name="form"),
    path("verify/officer/<str:number>", views.officer_verify, name="result"),
]

"""双随机、一公开 on the public portal (no login), mounted by the root URLconf as
``path("public/inspections/", include("sanxiang.inspections.public_urls"))``."""

from django.urls import path

from . import public_views as views

app_name = "inspections_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/<str:name>", views.plan_file, name="plan_file"),
    path("results/", views.results, name="results"),
    path("verify/", views.verify_help, name="verify"),
]

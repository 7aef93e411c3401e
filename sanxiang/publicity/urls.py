"""Staff pages, mounted by the root URLconf as ``path("publicity/", include(...))``."""

from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("<int:pk>/", views.publication_detail, name="detail"),
    path("<int:pk>/edit/", views.publication_edit, name="edit"),
    path("<int:pk>/approve/", views.publication_approve, name="approve"),
    path("<int:pk>/withhold/", views.publication_withhold, name="withhold"),
    path("<int:pk>/withdraw/", views.publication_withdraw, name="withdraw"),
    path("<int:pk>/repair/", views.repair_apply, name="repair_apply"),
    path("<int:pk>/repair/<int:repair_pk>/", views.repair_decide, name="repair_decide"),
    path("report/", views.report_view, name="report"),
    path("export/", views.export_view, name="export"),
    path("settings/", views.settings_view, name="settings"),
]

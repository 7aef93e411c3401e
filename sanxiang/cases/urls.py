from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("leads/", views.lead_list, name="lead_list"),
    path("new/", views.case_new, name="case_new"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/complainants/", views.complainant_reveal, name="complainant_reveal"),
    path(
        "<int:pk>/parties/<int:party_pk>/id-number/",
        views.party_id_number_reveal,
        name="party_id_number_reveal",
    ),
    path("<int:pk>/do/<slug:op>/", views.case_action, name="case_action"),
    path("<int:pk>/do/<slug:op>/<int:obj_pk>/", views.case_action, name="case_object_action"),
]

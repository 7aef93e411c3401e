from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_new, name="officer_new"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_edit, name="officer_edit"),
    path("officers/<int:pk>/leave/", views.officer_leave, name="officer_leave"),
    path("officers/<int:pk>/certificates/new/", views.certificate_new, name="certificate_new"),
    path("certificates/<int:pk>/suspend/", views.certificate_suspend, name="certificate_suspend"),
    path(
        "certificates/<int:pk>/reinstate/",
        views.certificate_reinstate,
        name="certificate_reinstate",
    ),
    path("certificates/<int:pk>/end/", views.certificate_end, name="certificate_end"),
    path("reviewers/", views.reviewer_list, name="reviewer_list"),
    path("reviewers/new/", views.reviewer_new, name="reviewer_new"),
    path("reviewers/<int:pk>/end/", views.reviewer_end, name="reviewer_end"),
    path("qualifications/new/", views.qualification_new, name="qualification_new"),
    path(
        "qualifications/<int:pk>/withdraw/",
        views.qualification_withdraw,
        name="qualification_withdraw",
    ),
    path("trainings/", views.training_list, name="training_list"),
    path("trainings/new/", views.training_new, name="training_new"),
    path("trainings/<int:pk>/", views.training_detail, name="training_detail"),
    path("trainings/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("devices/", views.device_list, name="device_list"),
    path("devices/new/", views.device_new, name="device_new"),
    path("devices/<int:pk>/", views.device_detail, name="device_detail"),
    path("devices/<int:pk>/issue/", views.device_issue, name="device_issue"),
    path("devices/<int:pk>/return/", views.device_return, name="device_return"),
    path("devices/<int:pk>/status/", views.device_status, name="device_status"),
]

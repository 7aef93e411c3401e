from django.urls import path

from . import views

app_name = "workcalendar"

urlpatterns = [
    path("", views.year_list, name="year_list"),
    path("new/", views.year_new, name="year_new"),
    path("<int:year>/", views.year_detail, name="year_detail"),
    path("<int:year>/edit/", views.year_edit, name="year_edit"),
    path("<int:year>/confirm/", views.year_confirm, name="year_confirm"),
    path("<int:year>/discard/", views.year_discard, name="year_discard"),
]

from django.urls import path

from . import views

app_name = "catalog"

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/versions/new/", views.version_add, name="version_add"),
    path("first-offence/", views.first_offence_list, name="first_offence_list"),
]

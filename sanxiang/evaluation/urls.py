"""Staff pages of 案卷评查: ``path("evaluation/", include("sanxiang.evaluation.urls"))``."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("samples/new/", views.sample_new, name="sample_new"),
    path("samples/<int:pk>/", views.sample_page, name="sample"),
    path("samples/<int:pk>/pool.jsonl", views.sample_pool, name="sample_pool"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.evaluation_page, name="evaluation"),
    path("results/", views.results_page, name="results"),
]

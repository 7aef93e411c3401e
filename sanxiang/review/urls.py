"""Staff pages of legal review: ``path("review/", include("sanxiang.review.urls"))``."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "review"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="review:queue"), name="home"),
    path("queue/", views.queue, name="queue"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("submissions/<int:pk>/review/", views.review, name="review"),
    path("submissions/<int:pk>/extend/", views.extend, name="extend"),
    path("submissions/<int:pk>/experts/new/", views.expert_new, name="expert_new"),
    path("submissions/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("submissions/<int:pk>/dispute/", views.dispute, name="dispute"),
    path("experts/<int:pk>/answer/", views.expert_answer, name="expert_answer"),
    path("disputes/<int:pk>/resolve/", views.dispute_resolve, name="dispute_resolve"),
    path("cases/<int:pk>/", views.case_review, name="case"),
    path("cases/<int:pk>/submit/", views.submit, name="submit"),
    path("cases/<int:pk>/flag/", views.flag, name="flag"),
    path("cases/<int:pk>/accountability/", views.accountability, name="accountability"),
    path(
        "cases/<int:pk>/accountability/export/",
        views.accountability_export,
        name="accountability_export",
    ),
    path("figures/", views.figures, name="figures"),
    path("catalogue/", views.catalogue, name="catalogue"),
]

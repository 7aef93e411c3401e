"""The public portal (行政执法公示平台, no login), mounted by the root URLconf as
``path("gongkai/", include("sanxiang.publicity.portal_urls"))``."""

from django.urls import path

from . import portal_views as views
from .portal import PAGE_PREFIXES

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("agency/", views.agency, name="agency"),
    path("items/", views.items, name="items"),
    path("items/<str:code>/", views.item, name="item"),
    path("items/<str:code>/v<int:number>/", views.item_version, name="item_version"),
    path("procedure/", views.procedure, name="procedure"),
    path("benchmarks/", views.benchmarks, name="benchmarks"),
    path("remedies/", views.remedies, name="remedies"),
    path("officers/", views.officers, name="officers"),
    path("history/", views.history_index, name="history"),
    *[
        route
        for page, prefix in PAGE_PREFIXES.items()
        for route in (
            path(
                f"{prefix}/history/",
                views.page_history,
                {"page": page.value},
                name=f"{page}_history",
            ),
            path(
                f"{prefix}/v<int:number>/",
                views.page_version,
                {"page": page.value},
                name=f"{page}_version",
            ),
        )
    ],
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("decisions/<int:pk>/v<int:number>/", views.decision_version, name="decision_version"),
    path("decisions/<int:pk>/document.pdf", views.decision_pdf, name="decision_pdf"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:year>/", views.report, name="report"),
    path("verify/", views.verify, name="verify"),
    path("about/", views.about, name="about"),
]

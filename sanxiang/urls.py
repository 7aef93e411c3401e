from django.contrib import admin
from django.urls import include, path

from sanxiang.api.api import api

admin.site.site_header = "三项 · 行政执法三项制度平台 管理后台"
admin.site.site_title = "三项管理后台"
admin.site.index_title = "参考数据与系统管理"

urlpatterns = [
    path("", include("sanxiang.workbench.urls")),
    path("accounts/", include("sanxiang.accounts.urls")),
    path("cases/", include("sanxiang.cases.urls")),
    path("registry/", include("sanxiang.registry.urls")),
    path("catalog/", include("sanxiang.catalog.urls")),
    path("workcalendar/", include("sanxiang.workcalendar.urls")),
    path("records/", include("sanxiang.records.urls")),
    path("review/", include("sanxiang.review.urls")),
    path("inspections/", include("sanxiang.inspections.urls")),
    path("public/inspections/", include("sanxiang.inspections.public_urls")),
    path("publicity/", include("sanxiang.publicity.urls")),
    path("gongkai/", include("sanxiang.publicity.portal_urls")),
    path("", include("sanxiang.publicity.verify_urls")),  # /verify/officer/…
    path("archive/", include("sanxiang.archive.urls")),
    path("evaluation/", include("sanxiang.evaluation.urls")),
    path("", include("sanxiang.records.public_urls")),
    path("", include("sanxiang.ledger.urls")),
    path("api/v1/", api.urls),
    path("", include("sanxiang.api.urls")),  # /settings/api-tokens/
    path("admin/", admin.site.urls),
]

handler403 = "sanxiang.accounts.views.permission_denied_view"

"""The personal API token page. Mounted by the root URLconf with
``path("", include("sanxiang.api.urls"))``; the URL names are global ("api_tokens" is the nav
entry declared in ``ApiConfig.nav_items``). The API itself is ``api.api.urls`` at /api/v1/."""

from django.urls import path

from . import views

urlpatterns = [
    path("settings/api-tokens/", views.token_list, name="api_tokens"),
    path("settings/api-tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]

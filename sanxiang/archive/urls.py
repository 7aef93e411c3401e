"""Staff pages of the archive: ``path("archive/", include("sanxiang.archive.urls"))``."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "archive"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="archive:file_list"), name="home"),
    path("files/", views.file_list, name="file_list"),
    path("files/<int:case_pk>/", views.casefile_page, name="casefile"),
    path("files/<int:case_pk>/assemble/", views.assemble, name="assemble"),
    path("files/<int:case_pk>/seal/", views.seal, name="seal"),
    path("files/<int:case_pk>/retention/", views.retention, name="retention"),
    path("files/<int:case_pk>/items/<int:item_pk>/classify/", views.classify, name="classify"),
    path("files/<int:case_pk>/items/<int:item_pk>/file", views.item_file, name="item_file"),
    path("files/<int:case_pk>/export/", views.export_package, name="export"),
    path("files/<int:case_pk>/borrow/", views.borrow_request, name="borrow_request"),
    path("borrowings/", views.borrowing_list, name="borrowing_list"),
    path("borrowings/<int:pk>/decide/", views.borrowing_decide, name="borrowing_decide"),
    path("borrowings/<int:pk>/return/", views.borrowing_return, name="borrowing_return"),
    path("register/", views.register_page, name="register"),
    path("register/export.xlsx", views.register_export, name="register_export"),
]

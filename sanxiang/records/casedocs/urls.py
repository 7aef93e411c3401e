"""Case documents: included by records/urls.py under /records/."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "cases/<int:case_pk>/documents/generate/",
        views.case_document_generate,
        name="case_document_generate",
    ),
]

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("items/", views.item_list, name="item_list"),
    path("targets/", views.target_list, name="target_list"),
    path("targets/import/", views.target_import, name="target_import"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<int:pk>/restate/", views.plan_restate, name="plan_restate"),
    path("plans/<int:pk>/freeze/", views.plan_freeze, name="plan_freeze"),
    path("plans/<int:pk>/draw/", views.plan_draw, name="plan_draw"),
    path("conflicts/new/", views.conflict_create, name="conflict_create"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/result/", views.task_result, name="task_result"),
    path("tasks/<int:pk>/publish/", views.task_publish, name="task_publish"),
    path("tasks/<int:pk>/record/", views.task_record, name="task_record"),
    path(
        "tasks/<int:pk>/record/<int:record_pk>/scan/",
        views.task_record_scan,
        name="task_record_scan",
    ),
    path("tasks/<int:pk>/evidence/", views.task_evidence, name="task_evidence"),
]

"""The project's URLs plus this app's, for tests until sanxiang/urls.py includes them."""

from django.urls import include, path

from sanxiang import urls as project

handler403 = project.handler403

urlpatterns = list(project.urlpatterns)
if not any(getattr(p, "namespace", None) == "workcalendar" for p in urlpatterns):
    urlpatterns.append(path("workcalendar/", include("sanxiang.workcalendar.urls")))

"""The project's URLs plus a view that fails, for the error-page tests."""

from django.urls import path

from newsroom.urls import urlpatterns as project_urlpatterns


def boom(request):
    raise RuntimeError("A bug in a view.")


urlpatterns = [path("boom/", boom), *project_urlpatterns]

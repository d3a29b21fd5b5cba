"""The site's URLs under /edition/, for the reverse() tests."""

from django.urls import include, path

urlpatterns = [path("edition/", include("newsroom.urls"))]

"""The author pages, under the ``authors`` namespace (``authors:detail``) as before."""

from django.urls import path

from . import author_views

app_name = "authors"
urlpatterns = [
    path("<slug:slug>/", author_views.author_detail, name="detail"),
]

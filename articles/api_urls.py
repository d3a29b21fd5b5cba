from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("articles/", api.article_list, name="articles"),
    path("articles/<int:pk>/", api.article_detail, name="article"),
]

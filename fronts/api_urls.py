from django.urls import path

from . import api

app_name = "fronts_api"
urlpatterns = [path("<str:name>/", api.front_detail, name="front")]

from django.conf import settings
from django.urls import path

from . import views

app_name = "bench"
urlpatterns = [path("bench/bare/", views.bare, name="bare")]
if settings.NEWSROOM_BENCH_SLOW_URL:
    urlpatterns.append(path("bench/slow/", views.slow, name="slow"))

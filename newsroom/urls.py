from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health

handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("authors/", include("articles.author_urls")),
    path("feeds/", include("articles.feed_urls")),
    path("api/fronts/", include("fronts.api_urls")),
    path("api/", include("articles.api_urls")),
    path("", include("articles.site_urls")),
    path("", include("live.urls")),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_BENCH:
    urlpatterns.insert(0, path("", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

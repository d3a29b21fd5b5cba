from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from articles import converters  # noqa: F401  (registers the month converter)
from articles import views as article_views

from . import health

handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("feeds/", include("articles.feed_urls")),
    path("api/", include("articles.api_urls")),
    path("sitemap.xml", article_views.sitemap_index, name="sitemap_index"),
    path(
        "sitemap-stories-<month:month>.xml",
        article_views.story_sitemap,
        name="sitemap_stories",
    ),
    path("sitemap-<section>.xml", article_views.section_sitemap, name="sitemap_section"),
    path("news-sitemap.xml", article_views.news_sitemap, name="news_sitemap"),
    path("robots.txt", article_views.robots_txt, name="robots_txt"),
    path("", include("articles.urls")),
]

if settings.NEWSROOM_BENCH:
    urlpatterns.insert(0, path("", include("bench.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

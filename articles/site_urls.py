"""The documents a site keeps at its root, outside the ``articles`` namespace: the sitemaps and
robots.txt, under the names search engines and the sitemap index know them by."""

from django.urls import path

from . import (
    converters,  # noqa: F401  (registers the month converter)
    views,
)

urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-stories-<month:month>.xml", views.story_sitemap, name="sitemap_stories"),
    path("sitemap-<section>.xml", views.section_sitemap, name="sitemap_section"),
    path("news-sitemap.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

"""Every feed lives under /feeds/, RSS and Atom side by side, with a page listing them at /feeds/."""

from django.urls import path

from . import (
    author_feeds,
    converters,  # noqa: F401  (registers the uslug converter)
    feeds,
    views,
)

app_name = "feeds"
urlpatterns = [
    path("", views.feed_index, name="index"),
    path("rss/", feeds.SiteFeed(), name="site_rss"),
    path("atom/", feeds.SiteAtomFeed(), name="site_atom"),
    path("sections/<slug:slug>/rss/", feeds.SectionFeed(), name="section_rss"),
    path("sections/<slug:slug>/atom/", feeds.SectionAtomFeed(), name="section_atom"),
    path("tags/<uslug:slug>/rss/", feeds.TagFeed(), name="tag_rss"),
    path("tags/<uslug:slug>/atom/", feeds.TagAtomFeed(), name="tag_atom"),
    path("authors/<slug:slug>/rss/", author_feeds.AuthorFeed(), name="author_rss"),
    path("authors/<slug:slug>/atom/", author_feeds.AuthorAtomFeed(), name="author_atom"),
    path("corrections/rss/", feeds.CorrectionFeed(), name="corrections_rss"),
    path("corrections/atom/", feeds.CorrectionAtomFeed(), name="corrections_atom"),
]

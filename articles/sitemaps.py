"""Sitemaps for search engines: stories, sections, tags and authors, plus a Google News sitemap.

Everything listed is public: stories through ``Article.objects.live()``, and only the sections,
tags and authors that have at least one live story.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author

from .models import Article, Section

NEWS_WINDOW = timedelta(hours=48)
# Google reads at most 1,000 stories from a news sitemap.
NEWS_LIMIT = 1000


class StorySitemap(Sitemap):
    limit = 50_000

    def items(self):
        return (
            Article.objects.live()
            .only("slug", "first_published_at", "publish_at", "created_at", "modified_at")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, article):
        return article.modified_at

    def location(self, article):
        return article.get_absolute_url()


class SectionSitemap(Sitemap):
    limit = 50_000

    def items(self):
        live = Article.objects.live().filter(section=OuterRef("pk"))
        latest = live.order_by("-modified_at").values("modified_at")[:1]
        return (
            Section.objects.filter(Exists(live))
            .annotate(latest=Subquery(latest))
            .order_by("position", "name")
        )

    def lastmod(self, section):
        return section.latest


class TagSitemap(Sitemap):
    limit = 50_000

    def items(self):
        live_ids = Article.objects.live().values("pk")
        tagged = TaggedItem.objects.filter(
            tag=OuterRef("pk"),
            content_type__app_label="articles",
            content_type__model="article",
            object_id__in=live_ids,
        )
        return Tag.objects.filter(Exists(tagged)).order_by("name")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(Sitemap):
    limit = 50_000

    def items(self):
        live = Article.objects.live().filter(bylines__author=OuterRef("pk"))
        return Author.objects.filter(Exists(live), is_active=True).order_by("name")


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def news_stories(now=None):
    """Live stories first published in the last 48 hours, for the Google News sitemap."""
    now = now or timezone.now()
    return (
        Article.objects.live(now)
        .filter(publish_at__gte=now - NEWS_WINDOW)
        .for_listing()
        .newest_first()[:NEWS_LIMIT]
    )


def news_language():
    """Google News wants an ISO 639 language code: "en" from "en-gb", but "zh-cn" stays whole."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in {"zh-cn", "zh-tw"} else code.split("-")[0]

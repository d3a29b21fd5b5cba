"""Sitemaps for search engines: stories, sections, tags and authors, plus a Google News sitemap.

Everything listed is public: stories through ``Article.objects.live()``, and only the sections,
tags and authors that have at least one live story.

Stories have one sitemap per calendar month of publication, in the site's time zone (the time
zone of the dates in story addresses). The index finds the months from the oldest live story's
publication time, an indexed MIN(), and each month's sitemap is a range scan on the publish_at
index: nothing counts the archive, the index's queries cost the same at any size, and a month's
sitemap costs what that month's stories do.
"""

import logging
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.core.paginator import Paginator
from django.db.models import Exists, Max, Min, OuterRef, Subquery
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from newsroom import addresses
from newsroom.reversing import reverse

from .models import Article, Section, TaggedArticle
from .querysets import NEWEST_FIRST

logger = logging.getLogger(__name__)

NEWS_WINDOW = timedelta(hours=48)
# Google reads at most 1,000 stories from a news sitemap.
NEWS_LIMIT = 1000
# The sitemap protocol's limit of addresses per sitemap.
SITEMAP_LIMIT = 50_000


def next_month(month):
    return (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_bounds(month):
    """The first moment of ``month`` (a date) and of the month after, in the site's time zone."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(month, time.min, tzinfo=zone),
        datetime.combine(next_month(month), time.min, tzinfo=zone),
    )


def story_months(at=None):
    """Each month from the oldest live story's to ``at``'s, newest first, as its first day.

    A month in between with no live story is listed too: finding the gaps would take a scan.
    """
    at = at or timezone.now()
    oldest = Article.objects.live(at).aggregate(oldest=Min("publish_at"))["oldest"]
    if oldest is None:
        return []
    month, last = timezone.localdate(oldest).replace(day=1), timezone.localdate(at).replace(day=1)
    months = []
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months[::-1]


class SiteSitemap(Sitemap):
    """A sitemap whose addresses start with NEWSROOM_SITE_URL (Django's take the request's host)."""

    def get_protocol(self, protocol=None):
        return addresses.site_scheme()

    def get_domain(self, site=None):
        return addresses.site_domain()


class StorySitemap(SiteSitemap):
    """The live stories whose publication time falls in one month, newest first."""

    # A month holds far fewer: 50,000 stories a month is 1,600 a day. A month beyond the limit
    # lists its newest 50,000 and logs a warning (see items()).
    limit = SITEMAP_LIMIT

    def __init__(self, month):
        self.month = month

    def items(self):
        # A list, not a queryset, so that Django's paginator has nothing to COUNT.
        start, end = month_bounds(self.month)
        stories = list(
            Article.objects.live()
            .filter(publish_at__gte=start, publish_at__lt=end)
            .only("slug", "first_published_at", "publish_at", "created_at", "modified_at")
            .order_by(*NEWEST_FIRST)[: self.limit + 1]
        )
        if len(stories) > self.limit:
            logger.warning(
                "The story sitemap for %s lists only the newest %s stories of the month.",
                self.month.strftime("%Y-%m"),
                self.limit,
            )
        return stories[: self.limit]

    def lastmod(self, article):
        return article.modified_at

    def location(self, article):
        return article.get_absolute_url()


class ListSitemap(SiteSitemap):
    """A sitemap of one kind of page (sections, tags, authors), ``limit`` addresses a page.

    MAX(id) is one index probe and bounds the number of rows from above, so rows are counted
    only when a second page is possible at all: the index never counts, and a sitemap of one
    page is listed without Django's paginator counting its rows first.
    """

    limit = SITEMAP_LIMIT
    model = None  # what items() lists

    def fits_one_page(self):
        highest = self.model.objects.aggregate(highest=Max("pk"))["highest"] or 0
        return highest <= self.limit

    def page_count(self):
        return 1 if self.fits_one_page() else super().paginator.num_pages

    @property
    def paginator(self):
        if self.fits_one_page():
            return Paginator(list(self._items()), self.limit)
        return super().paginator


class SectionSitemap(ListSitemap):
    model = Section

    def items(self):
        live = Article.objects.live().filter(section=OuterRef("pk"))
        # A section page changes when a story is published in it. The newest story is one probe
        # of the section's publish_at index; the latest-edited one would sort the whole section.
        latest = live.order_by(*NEWEST_FIRST).values("publish_at")[:1]
        return (
            Section.objects.filter(Exists(live))
            .annotate(latest=Subquery(latest))
            .order_by("position", "name")
        )

    def lastmod(self, section):
        return section.latest


class TagSitemap(ListSitemap):
    model = Tag

    def items(self):
        live_ids = Article.objects.live().values("pk")
        tagged = TaggedArticle.objects.filter(tag=OuterRef("pk"), content_object__in=live_ids)
        return Tag.objects.filter(Exists(tagged)).order_by("name")

    def location(self, tag):
        return reverse("articles:tag", kwargs={"slug": tag.slug})


class AuthorSitemap(ListSitemap):
    model = Author

    def items(self):
        live = Article.objects.live().filter(bylines__author=OuterRef("pk"))
        return Author.objects.filter(Exists(live), is_active=True).order_by("name")


# Served by Django's sitemap view at sitemap-<name>.xml; the stories' monthly sitemaps have their own.
SITEMAPS = {
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def index_entries(request):
    """The index: every month's story sitemap, then each page of the other sitemaps."""
    paths = [reverse("sitemap_stories", kwargs={"month": month}) for month in story_months()]
    for name, sitemap in SITEMAPS.items():
        path = reverse("sitemap_section", kwargs={"section": name})
        pages = sitemap().page_count()
        paths += [path, *(f"{path}?p={page}" for page in range(2, pages + 1))]
    return [SitemapIndexItem(addresses.absolute_url(path)) for path in paths]


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

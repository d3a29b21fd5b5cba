"""RSS 2.0 and Atom feeds: the whole site, a section, a tag and the corrections log.

Every story feed lists live stories only (``Article.objects.live()``), newest first, with the dek as
the summary and the full sanitised body as the content. Each RSS feed has an Atom twin made by
``atom_twin``; the author feeds live in ``author_feeds.py`` and reuse ``StoryFeed``.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from taggit.models import Tag

from newsroom import addresses
from newsroom.pagecache import reads_query
from newsroom.reversing import reverse

from .models import Article, Correction, Section

FEED_LENGTH = 30


class RssWithContent(Rss201rev2Feed):
    """RSS 2.0 carrying the full body as ``content:encoded`` beside the short description."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(Atom1Feed):
    """Atom with the full body as ``content``; the dek stays the ``summary``."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class SiteRequest:
    """A request as Django's syndication sees it, with the host and scheme of NEWSROOM_SITE_URL.

    The syndication framework puts ``request.get_host()`` and the request's scheme before every
    address it is given as a path (the feed's link and its own address, each item's link).
    """

    def __init__(self, request):
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)

    def get_host(self):
        return addresses.site_domain()

    def is_secure(self):
        return addresses.site_scheme() == "https"


class SiteAddressedFeed(Feed):
    def get_feed(self, obj, request):
        return super().get_feed(obj, SiteRequest(request))


@reads_query()
class StoryFeed(SiteAddressedFeed):
    """Shared behaviour of every story feed; subclasses supply ``stories(obj)`` and titles."""

    feed_type = RssWithContent

    def stories(self, obj):
        return Article.objects.live()

    def items(self, obj):
        return self.stories(obj).for_detail().newest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # RSS descriptions and Atom summaries are HTML: plain text goes in escaped.
        return escape(item.summary)

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        updated = item.updated_at or item.publish_at
        # A story running live coverage was last updated by its newest public entry.
        newest_entry = item.latest_entry_at() if item.coverage else None
        return max(updated, newest_entry) if newest_entry else updated

    def item_author_name(self, item):
        names = [byline.author.name for byline in item.bylines.all()]
        return ", ".join(names) or None

    def item_categories(self, item):
        return [tag.name for tag in item.tag_list]

    def item_extra_kwargs(self, item):
        return {"content_html": item.body_html}


def atom_twin(rss_feed):
    """The Atom version of an RSS feed class: same items, Atom envelope, subtitle from description."""

    def subtitle(self, obj):
        return self._get_dynamic_attr("description", obj)

    return type(
        f"{rss_feed.__name__}Atom",
        (rss_feed,),
        {"feed_type": AtomWithContent, "subtitle": subtitle, "__module__": rss_feed.__module__},
    )


class SiteFeed(StoryFeed):
    def title(self):
        return settings.NEWSROOM_SITE_NAME

    def description(self):
        return f"The latest stories from {settings.NEWSROOM_SITE_NAME}."

    def link(self):
        return reverse("articles:home")


class SectionFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def stories(self, obj):
        return Article.objects.live().filter(section=obj)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return escape(
            obj.description or f"The latest {obj.name} stories from {settings.NEWSROOM_SITE_NAME}."
        )

    def link(self, obj):
        return obj.get_absolute_url()


class TagFeed(StoryFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def stories(self, obj):
        return Article.objects.live().filter(tags=obj)

    def title(self, obj):
        return f"{obj.name} | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return escape(f"Stories about “{obj.name}” from {settings.NEWSROOM_SITE_NAME}.")

    def link(self, obj):
        return reverse("articles:tag", kwargs={"slug": obj.slug})


@reads_query()
class CorrectionFeed(SiteAddressedFeed):
    """The corrections log: each public correction, linked to the story it corrects."""

    feed_type = RssWithContent

    def title(self):
        return f"Corrections | {settings.NEWSROOM_SITE_NAME}"

    def description(self):
        return f"Corrections, clarifications and updates to stories from {settings.NEWSROOM_SITE_NAME}."

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Correction.objects.public().select_related("article")[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.get_kind_display()}: {item.article.headline}"

    def item_description(self, item):
        return escape(item.text)

    def item_link(self, item):
        return f"{item.article.get_absolute_url()}#correction-{item.pk}"

    def item_pubdate(self, item):
        return item.published_at


SiteAtomFeed = atom_twin(SiteFeed)
SectionAtomFeed = atom_twin(SectionFeed)
TagAtomFeed = atom_twin(TagFeed)
CorrectionAtomFeed = atom_twin(CorrectionFeed)

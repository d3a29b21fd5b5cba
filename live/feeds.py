"""Each live story's entries as a feed, RSS 2.0 and Atom: the public entries, newest first, at
``<story address>entries/feed/rss/`` and ``…/atom/``, for a story whose coverage is live or
ended and which is itself public."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.utils.html import escape, format_html

from articles.feeds import RssWithContent, SiteAddressedFeed, atom_twin
from articles.models import Article
from content.markup import excerpt
from newsroom.addresses import absolute_url
from newsroom.pagecache import reads_query

from .models import Entry
from .presentation import entry_title, entry_url

FEED_LENGTH = 50
SUMMARY_LENGTH = 300


def live_story(request, slug, at):
    article = (
        Article.objects.live(at).exclude(coverage=Article.Coverage.NONE).filter(slug=slug).first()
    )
    if article is None or not request.path.startswith(article.get_absolute_url()):
        raise Http404("No such live story.")
    return article


def entry_html(entry):
    """The entry as feed readers show it: its picture with caption and credit, its text, its
    correction note. Every piece of text is escaped; the body is the sanitised HTML."""
    parts = []
    picture = entry.picture if entry.image else None
    if picture:
        caption = " ".join(part for part in (entry.image_caption, entry.image_credit) if part)
        parts.append(
            format_html(
                '<figure><img src="{}" alt="{}">{}</figure>',
                absolute_url(picture.largest_jpeg_url),
                entry.image_alt,
                format_html("<figcaption>{}</figcaption>", caption) if caption else "",
            )
        )
    parts.append(entry.body_html)
    if entry.correction_note:
        parts.append(format_html("<p><strong>Correction:</strong> {}</p>", entry.correction_note))
    return "".join(parts)


@reads_query()
class EntryFeed(SiteAddressedFeed):
    feed_type = RssWithContent

    def get_object(self, request, year, month, day, slug):
        self.at = timezone.now()
        return live_story(request, slug, self.at)

    def title(self, obj):
        return f"{obj.headline}: live updates | {settings.NEWSROOM_SITE_NAME}"

    def description(self, obj):
        return escape(obj.summary or obj.headline)

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        entries = Entry.objects.filter(article=obj).public(self.at).stream()
        return entries[:FEED_LENGTH]

    def item_title(self, item):
        return entry_title(item)

    def item_link(self, item):
        return entry_url(item)

    def item_guid(self, item):
        return entry_url(item)

    def item_guid_is_permalink(self, item):
        return True

    def item_description(self, item):
        return escape(excerpt(item.body_text, SUMMARY_LENGTH))

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.publish_at, item.modified_at)

    def item_author_name(self, item):
        return item.author.name if item.author else None

    def item_extra_kwargs(self, item):
        return {"content_html": entry_html(item)}


EntryAtomFeed = atom_twin(EntryFeed)

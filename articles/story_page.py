"""The story page's data: the story with what its page shows, and the related-stories strip.

Each question the page asks is written once, below, as a function returning a queryset. With
``NEWSROOM_STORY_FAST_PATH`` on (the default) they run as prepared queries (``articles/fastpath/``,
imported by this module only); off, as the plain querysets they are. Either way the page gets the
same objects from the same number of queries. The live page, the draft preview and the teaser
admin's strip view all take the strip from ``related_strip``: readers and editors see one assembly.
"""

from django.conf import settings
from django.utils import timezone

from .fastpath.story import PreparedStoryPage
from .models import Article, Byline, RelatedTeaser
from .querysets import RELATED_MAX_TAGS

# The questions. A value that shapes the SQL itself (a LIMIT) comes last: the fast path compiles
# one query for each of its values.


def story(*, slug, at):
    """The story page's article: ``for_detail()`` (section, tags, public corrections, bylines)."""
    return Article.objects.for_detail(at).filter(slug=slug)


def bylines(*, article_id):
    """A story's bylines with their authors, as ``for_detail()`` prefetches them."""
    return Byline.objects.select_related("author").filter(article_id=article_id)


def curated_teasers(*, article_id, at, count):
    return RelatedTeaser.objects.filter(article_id=article_id).showing(at).for_strip()[:count]


def related_fill(*, tag_ids, section_id, exclude, host, at, room):
    return Article.objects.related_to(
        tag_ids=tag_ids, section_id=section_id, exclude=exclude, host=host, at=at, limit=room
    ).for_listing()


_prepared = PreparedStoryPage(
    story=story, bylines=bylines, curated_teasers=curated_teasers, related_fill=related_fill
)


def _fast_path():
    return settings.NEWSROOM_STORY_FAST_PATH


def _rows(question, prepared, **values):
    return prepared(**values) if _fast_path() else list(question(**values))


# The answers.


def story_for_page(*, slug, at):
    """The story page's article with this slug, or None: two queries (the story, its bylines)."""
    if _fast_path():
        return _prepared.story(slug=slug, at=at)
    return story(slug=slug, at=at).first()


def related_strip(article, at=None):
    """The related-stories strip readers see under ``article`` at ``at``, in at most two queries.

    First the curated teasers showing at ``at``, by position; then, if they leave room, automatic
    related stories, never one that a teaser row of this story points at (see related_to).
    Automatic entries are unsaved ``RelatedTeaser`` objects so that the template treats both
    alike. The story's tags come from ``for_detail()``'s query when present.
    """
    at = at or timezone.now()
    count = article.teaser_count()
    strip, shown = [], {article.pk}
    teasers = _rows(
        curated_teasers, _prepared.curated_teasers, article_id=article.pk, at=at, count=count
    )
    for teaser in teasers:
        if teaser.target_id in shown:
            continue
        strip.append(teaser)
        if teaser.target_id:
            shown.add(teaser.target_id)
    room = count - len(strip)
    if room > 0:
        fill = _rows(
            related_fill,
            _prepared.related_fill,
            tag_ids=sorted(tag.pk for tag in article.tag_list)[:RELATED_MAX_TAGS],
            section_id=article.section_id,
            exclude=sorted(shown),
            host=article.pk,
            at=at,
            room=room,
        )
        strip += [RelatedTeaser(article=article, target=target) for target in fill]
    return strip

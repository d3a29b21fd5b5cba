"""The querysets of the story models: the one visibility rule (``live()``), the lists' orders,
the related-stories fill and the teasers' windows.

Each model module of ``articles/models/`` takes its queryset from here (``as_manager()``), so
this module is imported while ``articles.models`` is still being loaded: it holds that package
as ``models`` and reaches the model classes through it when a query is built, never at import.
"""

from django.core.exceptions import FieldError
from django.db import connections, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)  # fmt: skip
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import models
from .jsonrows import json_rows

# The order of every public list; keyset pagination (articles/pagination.py) relies on it.
NEWEST_FIRST = ("-publish_at", "-id")
# The same order read from the author's bylines' copy of publish_at (ArticleQuerySet.by_author).
NEWEST_FIRST_BY_BYLINE = ("-byline_publish_at", "-byline_article_id")
# The same order read from the tag links' copy of publish_at (ArticleQuerySet.by_tag).
NEWEST_FIRST_BY_TAG = ("-tag_publish_at", "-tag_article_id")
# The automatic related-stories fill ranks a bounded candidate set: the newest few live stories of
# each shared tag (at most RELATED_MAX_TAGS of them) and of the section. Each source is an index walk
# that stops after RELATED_CANDIDATES rows, so the cost does not grow with the corpus or a tag's size.
RELATED_CANDIDATES = 20
RELATED_MAX_TAGS = 10


def union_all(querysets):
    """UNION ALL of sliced, ordered one-column querysets, usable as ``pk__in=``.

    Django refuses LIMIT inside a compound query on SQLite, so each part is compiled by the ORM (the
    visibility rule stays in ``live()``) and wrapped as a derived table, which both databases accept.
    """
    parts, params = [], []
    for number, queryset in enumerate(querysets):
        sql, part_params = queryset.query.get_compiler(queryset.db).as_sql()
        parts.append(f"SELECT * FROM ({sql}) AS candidates_{number}")  # noqa: S608 (see above)
        params.extend(part_params)
    return RawSQL(" UNION ALL ".join(parts), params)  # noqa: S611 (ORM-compiled SQL, bound params)


def _tagged(*, tag_ids):
    """Tag links of the outer story among ``tag_ids``."""
    return models.TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)


def _shared_tag_count(tag_ids):
    if not tag_ids:
        return Value(0)
    tagged = (
        _tagged(tag_ids=tag_ids)
        .order_by()
        .values("content_object")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(tagged), 0)


def _same_section(section_id):
    if section_id is None:
        return Value(0)
    return Case(When(section_id=section_id, then=Value(1)), default=Value(0))


def live_condition(at=None, prefix=""):
    """The one visibility rule, as a condition usable from any model that points at an article.

    An article is live when it is published, its publish_at has come, and its unpublish_at (if any)
    has not. ``prefix`` lets a related model apply the same rule, e.g. ``prefix="target__"``.
    """
    at = at or timezone.now()
    return Q(
        **{f"{prefix}status": models.Article.Status.PUBLISHED, f"{prefix}publish_at__lte": at}
    ) & (Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": at}))


PUBLISH_AT_UPDATE_REFUSED = (
    "Stories are moved in time with reschedule(publish_at=...), which moves the bylines' and tag "
    "links' copies of publish_at too; update() and bulk_update() refuse publish_at. To save one "
    "story, use articles.services.save_story."
)


class ArticleQuerySet(QuerySet):
    def reschedule(self, **kwargs):
        """``update(**kwargs)`` for moving stories in time: the bylines' and tag links' copies of
        ``publish_at`` follow (an expression, e.g. ``F("publish_at") + delta``, is worked out
        per story). The way to change ``publish_at`` of many stories at once; one story is
        saved with ``articles.services.save_story``.

        The copies are written first, while this queryset still selects the stories it is about
        to change.
        """
        if "publish_at" not in kwargs:
            return super().update(**kwargs)
        moment = kwargs["publish_at"]
        with transaction.atomic(using=self.db):
            for model in models.STORY_TIME_COPIES:
                story = model.story_field
                value = moment
                if hasattr(moment, "resolve_expression"):
                    per_story = self.model.objects.filter(pk=OuterRef(f"{story}_id"))
                    value = Subquery(per_story.annotate(moment=moment).values("moment"))
                stories = {f"{story}__in": self.values("pk")}
                model.objects.filter(**stories).update(publish_at=value)
            return super().update(**kwargs)

    # Guards, doing no work of their own: a plain update() or bulk_update() of publish_at would
    # leave the bylines' and tag links' copies behind. bulk_update() is refused before it opens
    # its transaction, so that a caller's transaction stays usable.

    def update(self, **kwargs):
        if "publish_at" in kwargs:
            raise FieldError(PUBLISH_AT_UPDATE_REFUSED)
        return super().update(**kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        if "publish_at" in fields:
            raise FieldError(PUBLISH_AT_UPDATE_REFUSED)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def live(self, at=None):
        return self.filter(live_condition(at))

    def scheduled(self, at=None):
        at = at or timezone.now()
        return self.filter(status=self.model.Status.PUBLISHED, publish_at__gt=at)

    def expired(self, at=None):
        at = at or timezone.now()
        return self.filter(status=self.model.Status.PUBLISHED, unpublish_at__lte=at)

    def drafts(self):
        return self.filter(status__in=[self.model.Status.DRAFT, self.model.Status.IN_REVIEW])

    def in_review(self):
        return self.filter(status=self.model.Status.IN_REVIEW)

    def withdrawn(self):
        return self.filter(status=self.model.Status.WITHDRAWN)

    def with_state(self, state, at=None):
        """Stories in one derived state (``Article.State``); the counterpart of ``Article.state``."""
        by_state = {
            self.model.State.DRAFT: lambda: self.filter(status=self.model.Status.DRAFT),
            self.model.State.IN_REVIEW: self.in_review,
            self.model.State.SCHEDULED: lambda: self.scheduled(at),
            self.model.State.LIVE: lambda: self.live(at),
            self.model.State.EXPIRED: lambda: self.expired(at),
            self.model.State.WITHDRAWN: self.withdrawn,
        }
        return by_state[state]()

    def scheduled_within(self, delta, at=None):
        at = at or timezone.now()
        return self.scheduled(at).filter(publish_at__lte=at + delta)

    def expiring_within(self, delta, at=None):
        at = at or timezone.now()
        return self.live(at).filter(unpublish_at__lte=at + delta)

    def owned_by(self, user):
        """Stories the user created or carries a byline on: a reporter's own stories."""
        return self.filter(
            Q(created_by=user)
            | Q(pk__in=models.Byline.objects.filter(author__user=user).values("article_id"))
        )

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def next_changes(self, at):
        """The next moments at which live() gains or loses a story (each an indexed MIN)."""
        published = self.filter(status=self.model.Status.PUBLISHED)
        return (
            self.scheduled(at).aggregate(moment=Min("publish_at"))["moment"],
            published.filter(unpublish_at__gt=at).aggregate(moment=Min("unpublish_at"))["moment"],
        )

    def for_listing(self):
        """What a list of teasers needs, without the heavy body columns."""
        return self.select_related("section").defer(
            "body", "body_html", "body_text", "search_vector"
        )

    def latest_per_section(self, sections, per_section=4, exclude=()):
        """The newest ``per_section`` stories of each of ``sections``, in one query, grouped by
        section, leaving out the stories ``exclude`` names (shown higher on the page). Each
        section's share is a LIMIT subquery on the section index, so the cost does not grow with
        the archive (a window over every story would): the index walk steps over the few excluded
        stories and stops once it has the share."""
        exclude = list(exclude)
        shares = [
            self.filter(section=section)
            .exclude(pk__in=exclude)
            .newest_first()
            .values("pk")[:per_section]
            for section in sections
        ]
        if not shares:
            return self.none()
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            # PostgreSQL: one IN over a UNION ALL, which it plans as a small semi-join.
            wanted = Q(pk__in=shares[0].union(*shares[1:], all=True))
        else:
            # SQLite cannot LIMIT inside a UNION, but plans OR'ed IN lists as index look-ups.
            wanted = Q(pk__in=[])
            for share in shares:
                wanted |= Q(pk__in=share)
        # Every id already passed this queryset's filters inside its share; repeating them
        # outside only makes SQLite re-check the whole OR list per row.
        return (
            self.model.objects.filter(wanted)
            .for_listing()
            .order_by("section__position", "section__name", "section_id", *NEWEST_FIRST)
        )

    def by_tag(self, tag):
        """Stories with ``tag``, newest first by the tag links' copy of ``publish_at``.

        As with ``by_author``: joined through the story's own link to the tag, the (tag,
        -publish_at, -story) index hands the stories over in page order and the query stops after
        a page, however many stories the tag has and however rare it is in the archive.
        """
        link = FilteredRelation("tagged_items", condition=Q(tagged_items__tag=tag))
        return self._newest_by_copy(link, "content_object_id", NEWEST_FIRST_BY_TAG)

    def by_author(self, author):
        """The author's stories, newest first by the byline's copy of ``publish_at``.

        Joined through the author's own byline, the (author, -publish_at, -article) index hands the
        stories over in page order: the query walks that author's bylines and stops after a page,
        checking each joined story against the queryset's other filters (e.g. ``live()``). Probing
        for a byline from each story would walk the whole archive's newest-first index instead,
        and cost more the more other authors there are.
        """
        byline = FilteredRelation("bylines", condition=Q(bylines__author=author))
        return self._newest_by_copy(byline, "article_id", NEWEST_FIRST_BY_BYLINE)

    def _newest_by_copy(self, relation, story_column, order):
        """Joined through ``relation`` (one row per story), in ``order``: the (publish_at, story)
        names of ``order`` read the joined row's copy of ``publish_at`` and its story column."""
        moment, story = (name.removeprefix("-") for name in order)
        return (
            self.alias(joined_copy=relation)
            .filter(joined_copy__publish_at__isnull=False)
            # Names for the joined row's columns: later filters on them (the page cursor) reuse
            # this join, where a filter through a multi-valued relation would add another.
            .alias(
                **{
                    moment: F("joined_copy__publish_at"),
                    story: F(f"joined_copy__{story_column}"),
                }
            )
            .order_by(*order)
        )

    def with_bylines(self):
        return self.prefetch_related(
            Prefetch("bylines", queryset=models.Byline.objects.select_related("author"))
        )

    def for_detail(self, at=None):
        """The story page's article, with its tags and public corrections folded into the same
        query as JSON (see Article.tag_list and Article.public_corrections)."""
        return (
            self.select_related("section")
            .defer("body_text")
            .with_bylines()
            .annotate(
                tag_rows=json_rows(
                    models.TaggedArticle.objects.all(),
                    "content_object",
                    id="tag_id",
                    name="tag__name",
                    slug="tag__slug",
                ),
                correction_rows=json_rows(
                    models.Correction.objects.public(at),
                    "article_id",
                    kind="kind",
                    text="text",
                    published_at="published_at",
                ),
            )
        )

    def related_to(
        self, *, tag_ids=(), section_id=None, exclude=(), host=None, at=None, limit=None
    ):
        """Live stories ranked by shared tags, then same section, then newest: one query.

        Only a bounded candidate set is ranked (see RELATED_CANDIDATES): the candidates of each source
        are its newest live stories, found by walking an index, never by sorting a whole tag. With
        ``limit``, the candidates are ranked in a subquery that reads only what the ranking needs,
        and only the ``limit`` chosen stories are read whole.

        ``host`` is the id of the story the fill is for: no story any of its teaser rows points at
        is a candidate. A running teaser shows that story already; an ended or upcoming one, or a
        block, is the editor's word that it does not belong under the host now.
        """
        at = at or timezone.now()
        tag_ids = list(tag_ids)[:RELATED_MAX_TAGS]

        def untouched(story):
            if host is None:
                return Q()
            return ~Exists(
                models.RelatedTeaser.objects.filter(article_id=host, target=OuterRef(story))
            )

        newest = (
            self.model.objects.live(at)
            .exclude(pk__in=list(exclude))
            .filter(untouched("pk"))
            .order_by("-publish_at", "-id")
            .values("pk")
        )
        # Each tag's newest live stories, read from the tag's own newest-first index.
        sources = [
            # The copy's bound walks the tag's index from ``at`` down; live() is checked per story.
            models.TaggedArticle.objects.filter(tag=tag_id, publish_at__lte=at)
            .filter(live_condition(at, prefix="content_object__"))
            .exclude(content_object__in=list(exclude))
            .filter(untouched("content_object"))
            .order_by("-publish_at", "-content_object")
            .values("content_object")[:RELATED_CANDIDATES]
            for tag_id in tag_ids
        ]
        if section_id is not None:
            sources.append(newest.filter(section_id=section_id)[:RELATED_CANDIDATES])
        if not sources:
            return self.none()

        def ranked(queryset):
            return queryset.annotate(
                shared_tags=_shared_tag_count(tag_ids), same_section=_same_section(section_id)
            ).order_by("-shared_tags", "-same_section", "-publish_at", "-id")

        candidates = ranked(self.filter(pk__in=union_all(sources)))
        if limit is None:
            return candidates
        return ranked(self.filter(pk__in=candidates.values("pk")[:limit]))


class BylineQuerySet(QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # No save() here: bylines that do not carry their story's publish_at get it in one query.
        objs = list(objs)
        missing = {byline.article_id for byline in objs if byline.publish_at is None}
        if missing:
            moments = dict(
                models.Article.objects.filter(pk__in=missing).values_list("pk", "publish_at")
            )
            for byline in objs:
                if byline.publish_at is None:
                    byline.publish_at = moments.get(byline.article_id)
        return super().bulk_create(objs, *args, **kwargs)


class RelatedTeaserQuerySet(QuerySet):
    def showing(self, at=None):
        """Teasers whose window contains ``at`` and whose target readers can open, unless the
        story blocks that target (the forms refuse a teaser and a block of one target together;
        this holds whatever wrote the rows)."""
        at = at or timezone.now()
        blocked_here = models.RelatedTeaser.objects.filter(
            is_blocked=True, article_id=OuterRef("article_id"), target_id=OuterRef("target_id")
        )
        return self.filter(
            models.window_contains(at),
            Q(target__isnull=True) | live_condition(at, prefix="target__"),
            ~Exists(blocked_here),
            is_blocked=False,
        )

    def waiting(self, at=None):
        """Inside their window, but the story they point at is not live (draft, scheduled, down)."""
        at = at or timezone.now()
        return self.filter(
            models.window_contains(at), target__isnull=False, is_blocked=False
        ).exclude(live_condition(at, prefix="target__"))

    def blocked(self):
        """Blocks ("never show this story here"): rows that only keep a target out of a strip."""
        return self.filter(is_blocked=True)

    def upcoming(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__gt=at)

    def ended(self, at=None):
        at = at or timezone.now()
        return self.filter(ends_at__lte=at)

    def running_on(self, day_start, day_end):
        """Teasers whose window shares an instant with [day_start, day_end)."""
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lt=day_end),
            Q(ends_at__isnull=True) | Q(ends_at__gt=day_start),
        )

    def overlapping(self, teaser):
        """Other teasers on the same story, for the same target, whose windows overlap ``teaser``'s."""
        others = self.filter(article_id=teaser.article_id, target_id=teaser.target_id).exclude(
            pk=teaser.pk
        )
        if teaser.starts_at:
            others = others.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=teaser.starts_at))
        if teaser.ends_at:
            others = others.filter(Q(starts_at__isnull=True) | Q(starts_at__lt=teaser.ends_at))
        return others

    def next_changes(self, at):
        """The next moments at which a teaser's window opens or closes."""
        return (
            self.filter(starts_at__gt=at).aggregate(moment=Min("starts_at"))["moment"],
            self.filter(ends_at__gt=at).aggregate(moment=Min("ends_at"))["moment"],
        )

    def for_strip(self):
        return (
            self.select_related("target__section")
            .defer("target__body", "target__body_html", "target__body_text")
            .order_by("position", "id")
        )

    def for_schedule(self):
        return self.select_related("article__section", "target__section", "created_by").defer(
            "article__body",
            "article__body_html",
            "article__body_text",
            "target__body",
            "target__body_html",
            "target__body_text",
        )


class CorrectionQuerySet(QuerySet):
    def public(self, at=None):
        """Corrections readers see: already published, on a story that is live."""
        at = at or timezone.now()
        return self.filter(live_condition(at, prefix="article__"), published_at__lte=at)

    def for_listing(self):
        return self.select_related("article__section").order_by("-published_at", "-id")

    def next_changes(self, at):
        """The next moment at which a correction written ahead of time becomes public."""
        return (self.filter(published_at__gt=at).aggregate(moment=Min("published_at"))["moment"],)

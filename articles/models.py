from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import FieldError, ValidationError
from django.core.validators import MaxLengthValidator, URLValidator
from django.db import connections, models, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FilteredRelation,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)  # fmt: skip
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase

from content.fields import CleanTextField, SingleLineCharField
from content.images import UploadedImageField, picture_for, saved_with_picture
from content.markup import excerpt, has_words, inline_plain_text, render_markdown, to_plain_text
from newsroom.reversing import reverse

from .jsonrows import json_rows, parse_db_datetime

BODY_MAX_LENGTH = settings.NEWSROOM_BODY_MAX_LENGTH
# The order of every public list; keyset pagination (articles/pagination.py) relies on it.
NEWEST_FIRST = ("-publish_at", "-id")
# The same order read from the author's bylines' copy of publish_at (ArticleQuerySet.by_author).
NEWEST_FIRST_BY_BYLINE = ("-byline_publish_at", "-byline_article_id")
# The same order read from the tag links' copy of publish_at (ArticleQuerySet.by_tag).
NEWEST_FIRST_BY_TAG = ("-tag_publish_at", "-tag_article_id")
# The publish checklist: longer headlines are truncated by search engines and social cards.
HEADLINE_PUBLISH_MAX = 120
DEK_WARNING_LENGTH = 200
# The automatic related-stories fill ranks a bounded candidate set: the newest few live stories of
# each shared tag (at most RELATED_MAX_TAGS of them) and of the section. Each source is an index walk
# that stops after RELATED_CANDIDATES rows, so the cost does not grow with the corpus or a tag's size.
RELATED_CANDIDATES = 20
RELATED_MAX_TAGS = 10


class Section(models.Model):
    name = SingleLineCharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = SingleLineCharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Sections are listed in the navigation in this order."
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


def _union_all(querysets):
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
    return TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag_id__in=tag_ids)


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
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}publish_at__lte": at}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": at})
    )


PUBLISH_AT_UPDATE_REFUSED = (
    "Stories are moved in time with reschedule(publish_at=...), which moves the bylines' and tag "
    "links' copies of publish_at too; update() and bulk_update() refuse publish_at. To save one "
    "story, use articles.services.save_story."
)


class ArticleQuerySet(models.QuerySet):
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
            for model in STORY_TIME_COPIES:
                story = model.story_field
                value = moment
                if hasattr(moment, "resolve_expression"):
                    per_story = Article.objects.filter(pk=OuterRef(f"{story}_id"))
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
        return self.filter(status=Article.Status.PUBLISHED, publish_at__gt=at)

    def expired(self, at=None):
        at = at or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, unpublish_at__lte=at)

    def drafts(self):
        return self.filter(status__in=[Article.Status.DRAFT, Article.Status.IN_REVIEW])

    def in_review(self):
        return self.filter(status=Article.Status.IN_REVIEW)

    def withdrawn(self):
        return self.filter(status=Article.Status.WITHDRAWN)

    def with_state(self, state, at=None):
        """Stories in one derived state (``Article.State``); the counterpart of ``Article.state``."""
        by_state = {
            Article.State.DRAFT: lambda: self.filter(status=Article.Status.DRAFT),
            Article.State.IN_REVIEW: self.in_review,
            Article.State.SCHEDULED: lambda: self.scheduled(at),
            Article.State.LIVE: lambda: self.live(at),
            Article.State.EXPIRED: lambda: self.expired(at),
            Article.State.WITHDRAWN: self.withdrawn,
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
            | Q(pk__in=Byline.objects.filter(author__user=user).values("article_id"))
        )

    def newest_first(self):
        return self.order_by(*NEWEST_FIRST)

    def next_changes(self, at):
        """The next moments at which live() gains or loses a story (each an indexed MIN)."""
        published = self.filter(status=Article.Status.PUBLISHED)
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
            Article.objects.filter(wanted)
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
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
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
                    TaggedArticle.objects.all(),
                    "content_object",
                    id="tag_id",
                    name="tag__name",
                    slug="tag__slug",
                ),
                correction_rows=json_rows(
                    Correction.objects.public(at),
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
            return ~Exists(RelatedTeaser.objects.filter(article_id=host, target=OuterRef(story)))

        newest = (
            Article.objects.live(at)
            .exclude(pk__in=list(exclude))
            .filter(untouched("pk"))
            .order_by("-publish_at", "-id")
            .values("pk")
        )
        # Each tag's newest live stories, read from the tag's own newest-first index.
        sources = [
            # The copy's bound walks the tag's index from ``at`` down; live() is checked per story.
            TaggedArticle.objects.filter(tag=tag_id, publish_at__lte=at)
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

        candidates = ranked(self.filter(pk__in=_union_all(sources)))
        if limit is None:
            return candidates
        return ranked(self.filter(pk__in=candidates.values("pk")[:limit]))


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class State(models.TextChoices):
        """What editors see: derived from ``status`` and the clock, never stored."""

        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        LIVE = "live", "Live"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = SingleLineCharField(max_length=200)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the story's address."
    )
    kicker = SingleLineCharField(
        max_length=60, blank=True, help_text="A word or two above the headline, e.g. “Analysis”."
    )
    dek = CleanTextField(
        blank=True,
        max_length=600,
        help_text="The standfirst under the headline; also the default teaser and meta description.",
    )
    body = CleanTextField(
        blank=True,
        validators=[MaxLengthValidator(BODY_MAX_LENGTH)],
        help_text="Markdown. Quote a social-media post as a blockquote with its source.",
    )
    body_html = models.TextField(blank=True, editable=False)
    # What readers read of the body, as plain text: the source of a search result's passage.
    body_text = models.TextField(blank=True, editable=False)
    body_excerpt = models.CharField(max_length=200, blank=True, editable=False)
    teaser_text = models.TextField(
        blank=True,
        editable=False,
        help_text="Plain-text teaser: the dek without Markdown or HTML, else the start of the body.",
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(through="TaggedArticle", blank=True)
    hero_image = UploadedImageField(
        upload_to="heroes/%Y/%m/",
        blank=True,
        width_field="hero_width",
        height_field="hero_height",
        help_text="JPEG, PNG, WebP or GIF up to 100 megapixels; it is re-encoded and resized for readers.",
    )
    hero_renditions = models.JSONField(default=dict, blank=True, editable=False)
    hero_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    hero_caption = SingleLineCharField(max_length=300, blank=True)
    hero_credit = SingleLineCharField(max_length=120, blank=True)
    hero_alt = SingleLineCharField(
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When the story goes live. A future time schedules it."
    )
    unpublish_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: when the story comes down by itself."
    )
    first_published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Fixes the date in the story's address."
    )
    updated_at = models.DateTimeField(
        null=True, blank=True, help_text="Editorial “Updated” time, set only by an explicit update."
    )
    update_note = SingleLineCharField(
        max_length=200,
        blank=True,
        editable=False,
        help_text="One line shown to readers after the “Updated” time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    canonical_url = models.URLField(
        blank=True, help_text="Only when the story's canonical home is another address."
    )
    seo_title = SingleLineCharField(max_length=120, blank=True)
    seo_description = SingleLineCharField(max_length=300, blank=True)
    is_featured = models.BooleanField(
        default=False, help_text="Featured stories lead the home page while they are live."
    )
    # Filled by a database trigger on PostgreSQL (see migration 0003), which also adds its GIN
    # index; unused on SQLite, where search falls back to substring matching.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and withdraw stories and edit any story"),
        ]
        indexes = [
            # The live predicate and every public list's order.
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(status="published"),
                name="article_published_idx",
            ),
            models.Index(
                fields=["section", "-publish_at", "-id"],
                condition=Q(status="published"),
                name="article_section_published_idx",
            ),
            models.Index(fields=["status", "publish_at"], name="article_status_publish_idx"),
            # The home page's lead: the newest featured story, without scanning the archive.
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(status="published", is_featured=True),
                name="article_featured_idx",
            ),
            # The next take-down time, which bounds how long a cached page may live.
            models.Index(
                fields=["unpublish_at"],
                condition=Q(status="published", unpublish_at__isnull=False),
                name="article_unpublish_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message="A published story needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(unpublish_at__isnull=True)
                | Q(publish_at__isnull=False, unpublish_at__gt=F("publish_at")),
                name="article_unpublish_after_publish",
                violation_error_message="The take-down time must come after the publication time.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), BODY_MAX_LENGTH),
                name="article_body_length_cap",
                violation_error_message=f"The body is limited to {BODY_MAX_LENGTH:,} characters.",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        """Fill this row and its own files: the derived text, the address date, the picture's
        renditions. Nothing else: a save that may move the story in time or to a new address goes
        through ``articles.services.save_story``, which keeps the copies and old addresses."""
        self.body_html = render_markdown(self.body)
        self.body_text = to_plain_text(self.body_html)
        self.body_excerpt = excerpt(self.body_text, 190)
        self.teaser_text = inline_plain_text(self.dek) or self.body_excerpt
        if self.status == self.Status.PUBLISHED and (
            # Until the story has actually gone out, its address follows its (re)scheduled date.
            self.first_published_at is None or self.first_published_at > timezone.now()
        ):
            self.first_published_at = self.publish_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"body", "dek"} & set(update_fields):
            derived = {"body_html", "body_text", "body_excerpt", "teaser_text"}
            kwargs["update_fields"] = {*update_fields, *derived}
        # Renditions are made once per new picture, never while a reader waits. The picture is
        # this row's own file and its renditions this row's own column, so they stay here: made
        # anywhere else, a plain save() could store a picture without its renditions.
        with saved_with_picture(self, "hero_image", "hero_renditions"):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        day = timezone.localtime(self.url_date)
        return reverse(
            "articles:detail",
            kwargs={
                "year": day.year,
                "month": f"{day.month:02d}",
                "day": f"{day.day:02d}",
                "slug": self.slug,
            },
        )

    @property
    def url_date(self):
        return self.first_published_at or self.publish_at or self.created_at or timezone.now()

    def is_live(self, at=None):
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= at
            and (self.unpublish_at is None or self.unpublish_at > at)
        )

    def state_at(self, at=None):
        at = at or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return self.State(self.status)
        if self.is_live(at):
            return self.State.LIVE
        return self.State.SCHEDULED if self.publish_at > at else self.State.EXPIRED

    @property
    def state(self):
        return self.state_at()

    def publish_problems(self, at=None):
        """What blocks Publish and Schedule (for ``at``, default now), in words an editor can act
        on (as saved: the body as rendered, the bylines). Submitting for review shows the same
        list as warnings."""
        problems = []
        if len(self.headline) > HEADLINE_PUBLISH_MAX:
            problems.append(f"The headline is longer than {HEADLINE_PUBLISH_MAX} characters.")
        if not has_words(self.body_html):
            problems.append("The story has no body text.")
        if not self.dek.strip():
            problems.append("The story has no dek.")
        if self.section_id is None:
            problems.append("The story has no section.")
        if not any(byline.author.bio.strip() for byline in self.bylines.select_related("author")):
            problems.append("The story needs at least one byline whose author has a bio.")
        if self.hero_image and not self.hero_alt.strip():
            problems.append("The hero image has no alt text.")
        if self.hero_image and not self.hero_credit.strip():
            problems.append("The hero image has no credit.")
        if self.unpublish_at and self.unpublish_at <= (at or timezone.now()):
            problems.append("The take-down time must come after the publication time.")
        return problems

    def publish_warnings(self):
        warnings = []
        if self.pk is None or not self.tags.exists():
            warnings.append("The story has no tags.")
        if len(self.dek) > DEK_WARNING_LENGTH:
            warnings.append(f"The dek is longer than {DEK_WARNING_LENGTH} characters.")
        return warnings

    @property
    def tag_list(self):
        """Tags in name order; from the for_detail() query when there, else one query."""
        if "tag_rows" not in self.__dict__:
            return sorted(self.tags.all(), key=lambda tag: tag.name.lower())
        return sorted(
            (Tag(pk=row["id"], name=row["name"], slug=row["slug"]) for row in self.tag_rows or ()),
            key=lambda tag: tag.name.lower(),
        )

    def public_corrections(self, at=None):
        """Newest first; from the for_detail() query when there, else one query."""
        if "correction_rows" not in self.__dict__:
            return list(self.corrections.public(at))
        corrections = [
            Correction(article=self, published_at=parse_db_datetime(row.pop("published_at")), **row)
            for row in self.correction_rows or ()
        ]
        return sorted(corrections, key=lambda c: c.published_at, reverse=True)

    @staticmethod
    def teaser_count():
        return settings.NEWSROOM_TEASER_COUNT

    @cached_property
    def hero_picture(self):
        return picture_for(self.hero_image, self.hero_renditions, self.hero_width, self.hero_height)

    @property
    def teaser_excerpt(self):
        """What lists show under the headline: plain text cut at a word boundary."""
        return excerpt(self.teaser_text, 160)

    @property
    def summary(self):
        """The teaser text: the dek, or the start of the body."""
        return self.dek or self.body_excerpt


class ArticleRedirect(models.Model):
    """An address a live story used to have; the story view answers it with a 301.

    Written by ``articles.services.save_story`` (and the revert) when a save moves a live story.
    """

    old_path = models.CharField(max_length=300, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.old_path} → {self.article}"

    @classmethod
    def remember(cls, *, old_path, article):
        cls.objects.update_or_create(old_path=old_path, defaults={"article": article})
        # The story's current address is no longer an old one.
        cls.objects.filter(old_path=article.get_absolute_url()).delete()


class BylineQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # No save() here: bylines that do not carry their story's publish_at get it in one query.
        objs = list(objs)
        missing = {byline.article_id for byline in objs if byline.publish_at is None}
        if missing:
            moments = dict(Article.objects.filter(pk__in=missing).values_list("pk", "publish_at"))
            for byline in objs:
                if byline.publish_at is None:
                    byline.publish_at = moments.get(byline.article_id)
        return super().bulk_create(objs, *args, **kwargs)


class StoryTimeCopy:
    """For a model pointing at a story (``story_field``) with a copy of its ``publish_at``, so
    that an index can hold its rows in the story lists' order (the author page, the tag page).

    The copy is kept in step by this save (whenever the row is pointed at a story), by
    ``articles.services.save_story`` (a story saved) and by ``ArticleQuerySet.reschedule``
    (stories moved in bulk). ``Article.save`` leaves it alone: it fills its own row only.
    """

    story_field = None

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        field = self.story_field
        if update_fields is None or {field, f"{field}_id"} & set(update_fields):
            self.publish_at = getattr(self, field).publish_at
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "publish_at"}
        super().save(*args, **kwargs)


class Byline(StoryTimeCopy, models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "Reporter"
        CONTRIBUTOR = "contributor", "Contributor"
        PHOTOGRAPHER = "photographer", "Photographer"
        EDITOR = "editor", "Editor"
        ADDITIONAL_REPORTING = "additional", "Additional reporting"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey("authors.Author", on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REPORTER)
    position = models.PositiveSmallIntegerField(default=0)
    bio_snapshot = models.TextField(
        blank=True,
        editable=False,
        help_text="The author's bio as published with this story (sanitised HTML).",
    )
    # A copy of the story's (StoryTimeCopy): one index holds each author's stories in page order.
    publish_at = models.DateTimeField(null=True, editable=False)
    story_field = "article"

    objects = BylineQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]
        indexes = [
            models.Index(fields=["author", "article"], name="byline_author_article_idx"),
            # The author page (ArticleQuerySet.by_author): an author's stories, newest first.
            models.Index(
                fields=["author", "-publish_at", "-article"],
                condition=Q(publish_at__isnull=False),
                name="byline_author_published_idx",
            ),
        ]

    def __str__(self):
        return f"{self.author} ({self.get_role_display()})"

    @property
    def bio_html(self):
        return self.bio_snapshot or self.author.bio_html


class TaggedArticle(StoryTimeCopy, TaggedItemBase):
    """A story's tag: django-taggit's link, kept in the project's own table.

    It carries a copy of the story's publish_at (StoryTimeCopy), so that one index holds each
    tag's stories newest first: the tag page and the related-stories fill read a page
    of a tag by walking it, where taggit's shared table made them gather a whole tag and sort it.
    """

    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_items"
    )
    publish_at = models.DateTimeField(null=True, editable=False)
    story_field = "content_object"

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_article_once"),
        ]
        indexes = [
            # The tag page (ArticleQuerySet.by_tag) and the related fill: a tag's stories, newest first.
            models.Index(
                fields=["tag", "-publish_at", "-content_object"],
                condition=Q(publish_at__isnull=False),
                name="tagged_article_newest_idx",
            ),
        ]


# The models that carry a copy of their story's publish_at.
STORY_TIME_COPIES = (Byline, TaggedArticle)


def _window_contains(at):
    return (Q(starts_at__isnull=True) | Q(starts_at__lte=at)) & (
        Q(ends_at__isnull=True) | Q(ends_at__gt=at)
    )


def windows_overlap(starts_a, ends_a, starts_b, ends_b):
    """Whether two half-open windows [starts, ends) share an instant; None is open-ended."""
    return (starts_a is None or ends_b is None or starts_a < ends_b) and (
        starts_b is None or ends_a is None or starts_b < ends_a
    )


class RelatedTeaserQuerySet(models.QuerySet):
    def showing(self, at=None):
        """Teasers whose window contains ``at`` and whose target readers can open, unless the
        story blocks that target (the forms refuse a teaser and a block of one target together;
        this holds whatever wrote the rows)."""
        at = at or timezone.now()
        blocked_here = RelatedTeaser.objects.filter(
            is_blocked=True, article_id=OuterRef("article_id"), target_id=OuterRef("target_id")
        )
        return self.filter(
            _window_contains(at),
            Q(target__isnull=True) | live_condition(at, prefix="target__"),
            ~Exists(blocked_here),
            is_blocked=False,
        )

    def waiting(self, at=None):
        """Inside their window, but the story they point at is not live (draft, scheduled, down)."""
        at = at or timezone.now()
        return self.filter(_window_contains(at), target__isnull=False, is_blocked=False).exclude(
            live_condition(at, prefix="target__")
        )

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


class RelatedTeaser(models.Model):
    class State(models.TextChoices):
        RUNNING = "running", "Running now"
        WAITING = "waiting", "Waiting for its story to go live"
        UPCOMING = "upcoming", "Starting soon"
        ENDED = "ended", "Ended"
        BLOCKED = "blocked", "Never shown here"

    URL_SCHEME_MESSAGE = "Enter a web address starting http:// or https://."

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="teasers")
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teased_by",
        help_text="The story this teaser links to; leave empty for an external link.",
    )
    url = models.URLField(
        blank=True,
        validators=[
            # Its own code: the field would swap an "invalid" message for its generic one.
            URLValidator(
                schemes=["http", "https"],
                message=URL_SCHEME_MESSAGE,
                code="scheme",
            )
        ],
        error_messages={"invalid": URL_SCHEME_MESSAGE},
        help_text="An external link (http or https), instead of a story. Give it a headline.",
    )
    headline = SingleLineCharField(
        max_length=200, blank=True, help_text="Overrides the target's headline."
    )
    excerpt = CleanTextField(
        max_length=400,
        blank=True,
        help_text="Overrides the target's dek as the teaser text. Shown as plain text, cut to 160 "
        "characters.",
    )
    excerpt_text = models.TextField(blank=True, editable=False)
    is_blocked = models.BooleanField(
        "never show this story here",
        default=False,
        help_text="For legal or taste reasons: the story picked above never appears under this "
        "one, neither as a teaser nor among the automatic related stories, until this row is "
        "removed. A block has no window; headline and excerpt are not used.",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Lower numbers show first. Curated teasers come before automatic ones."
    )
    starts_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty: runs from now. The teaser also waits until its story is live.",
    )
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: runs until removed. Must come after the start."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RelatedTeaserQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["article", "position"], name="teaser_article_position_idx"),
            models.Index(fields=["starts_at", "ends_at"], name="teaser_window_idx"),
            models.Index(fields=["ends_at"], name="teaser_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="teaser_ends_after_starts",
                violation_error_message="The teaser's window must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False, url="") | (Q(target__isnull=True) & ~Q(url="")),
                name="teaser_target_xor_url",
                violation_error_message="A teaser links to a story or to an external URL, not both.",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | ~Q(target=F("article")),
                name="teaser_not_self",
                violation_error_message="A story cannot tease itself.",
            ),
            models.CheckConstraint(
                condition=Q(is_blocked=False)
                | Q(target__isnull=False, starts_at__isnull=True, ends_at__isnull=True),
                name="teaser_block_is_a_story_without_window",
                violation_error_message="A block names a story of this site and has no window.",
            ),
        ]

    def __str__(self):
        return self.display_headline

    def save(self, *args, **kwargs):
        self.excerpt_text = inline_plain_text(self.excerpt)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "excerpt" in update_fields:
            kwargs["update_fields"] = {*update_fields, "excerpt_text"}
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.target_id and self.target_id == self.article_id:
            errors["target"] = "A story cannot tease itself; pick another story."
        if self.target_id and self.url:
            errors["url"] = "Link to a story or to an external address, not both."
        elif not self.target_id and not self.url:
            errors["target"] = "Pick a story, or give an external address."
        elif self.url and not self.headline:
            errors["headline"] = "An external link needs a headline."
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The window must end after it starts."
        if self.is_blocked and self.url:
            errors["url"] = (
                "A block keeps a story of this site out; pick the story, not an address."
            )
        if self.is_blocked and (self.starts_at or self.ends_at):
            errors["starts_at"] = "A block holds until it is removed: leave the window empty."
        if errors:
            raise ValidationError(errors)

    @property
    def display_headline(self):
        return self.headline or (self.target.headline if self.target_id else self.url)

    @property
    def display_excerpt(self):
        """Plain text, at most 160 characters: the override, else the target's dek or body start."""
        text = self.excerpt_text or (self.target.teaser_text if self.target_id else "")
        return excerpt(text, 160)

    def state(self, at=None):
        at = at or timezone.now()
        if self.is_blocked:
            return self.State.BLOCKED
        if self.ends_at and self.ends_at <= at:
            return self.State.ENDED
        if self.starts_at and self.starts_at > at:
            return self.State.UPCOMING
        if self.target_id and not self.target.is_live(at):
            return self.State.WAITING
        return self.State.RUNNING

    def describe(self):
        """One line for the audit trail: what the teaser pointed at and when it ran."""
        link = f"story #{self.target_id}" if self.target_id else self.url
        if self.is_blocked:
            return f"Never shown here: “{self.display_headline}” → {link}"
        window = " – ".join(
            timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "open"
            for moment in (self.starts_at, self.ends_at)
        )
        return f"“{self.display_headline}” → {link}; position {self.position}; window {window}"

    @property
    def is_external(self):
        return not self.target_id

    @property
    def href(self):
        return self.target.get_absolute_url() if self.target_id else self.url


class TeaserEvent(models.Model):
    """Append-only audit trail of teaser changes; survives the teaser's removal."""

    class Action(models.TextChoices):
        ADDED = "added", "Added"
        CHANGED = "changed", "Changed"
        REMOVED = "removed", "Removed"
        BLOCKED = "blocked", "Blocked: never shown here"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="teaser_events")
    teaser_pk = models.PositiveBigIntegerField(help_text="The teaser's id, kept after removal.")
    action = models.CharField(max_length=10, choices=Action.choices)
    description = models.TextField(help_text="The teaser as it stood after the change.")
    changed_fields = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["article", "-at"], name="teaserevent_article_at_idx"),
            models.Index(fields=["teaser_pk", "-at"], name="teaserevent_teaser_at_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.description}"

    @classmethod
    def record(cls, *, teaser, action, by, changed_fields=()):
        return cls.objects.create(
            article_id=teaser.article_id,
            teaser_pk=teaser.pk,
            action=action,
            description=teaser.describe(),
            changed_fields=", ".join(changed_fields),
            by=by,
        )


class CorrectionQuerySet(models.QuerySet):
    def public(self, at=None):
        """Corrections readers see: already published, on a story that is live."""
        at = at or timezone.now()
        return self.filter(live_condition(at, prefix="article__"), published_at__lte=at)

    def for_listing(self):
        return self.select_related("article__section").order_by("-published_at", "-id")

    def next_changes(self, at):
        """The next moment at which a correction written ahead of time becomes public."""
        return (self.filter(published_at__gt=at).aggregate(moment=Min("published_at"))["moment"],)


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor’s note"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    text = CleanTextField(max_length=2000, help_text="Plain text, shown to readers as written.")
    published_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"], name="correction_published_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.article}"

    def is_public(self, at=None):
        """Append-only from here on: readers may have seen it."""
        return self.pk is not None and self.published_at <= (at or timezone.now())

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import connections, models
from django.db.models import Exists, F, Min, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItem

from .fields import CleanTextField, SingleLineCharField
from .jsonrows import json_rows, parse_db_datetime
from .markup import excerpt, render_markdown, to_plain_text

BODY_MAX_LENGTH = settings.NEWSROOM_BODY_MAX_LENGTH
# The order of every public list; keyset pagination (articles/pagination.py) relies on it.
NEWEST_FIRST = ("-publish_at", "-id")


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


def live_condition(at=None, prefix=""):
    """The one visibility rule, as a condition usable from any model that points at an article.

    An article is live when it is published, its publish_at has come, and its unpublish_at (if any)
    has not. ``prefix`` lets a related model apply the same rule, e.g. ``prefix="target__"``.
    """
    at = at or timezone.now()
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED, f"{prefix}publish_at__lte": at}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": at})
    )


class ArticleQuerySet(models.QuerySet):
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
        return self.select_related("section").defer("body", "body_html")

    def latest_per_section(self, sections, per_section=4):
        """The newest ``per_section`` stories of each of ``sections``, in one query, grouped by
        section. Each section's share is a LIMIT subquery on the section index, so the cost does
        not grow with the archive (a window over every story would)."""
        shares = [
            self.filter(section=section).newest_first().values("pk")[:per_section]
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

    def tagged(self, tag):
        """Stories with ``tag``. An EXISTS probe lets the newest-first index drive the query; a
        plain join would compare taggit's integer object_id with a cast and miss its index."""
        links = TaggedItem.objects.filter(
            content_type__app_label="articles", content_type__model="article", tag=tag
        )
        return self.filter(Exists(links.filter(object_id=OuterRef("pk"))))

    def by_author(self, author):
        return self.filter(Exists(Byline.objects.filter(article=OuterRef("pk"), author=author)))

    def with_bylines(self):
        return self.prefetch_related(
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )

    def for_detail(self, at=None):
        """The story page's article, with its tags and public corrections folded into the same
        query as JSON (see Article.tag_list and Article.public_corrections)."""
        tagged = TaggedItem.objects.filter(
            content_type__app_label="articles", content_type__model="article"
        )
        return (
            self.select_related("section")
            .with_bylines()
            .annotate(
                tag_rows=json_rows(
                    tagged, "object_id", id="tag_id", name="tag__name", slug="tag__slug"
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


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
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
    body_excerpt = models.CharField(max_length=200, blank=True, editable=False)
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    tags = TaggableManager(blank=True)
    hero_image = models.ImageField(
        upload_to="heroes/%Y/%m/", blank=True, width_field="hero_width", height_field="hero_height"
    )
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
    version = models.PositiveIntegerField(default=1, editable=False)
    canonical_url = models.URLField(
        blank=True, help_text="Only when the story's canonical home is another address."
    )
    seo_title = SingleLineCharField(max_length=120, blank=True)
    seo_description = SingleLineCharField(max_length=300, blank=True)
    is_featured = models.BooleanField(
        default=False, help_text="Featured stories lead the home page while they are live."
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
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
        self.body_html = render_markdown(self.body)
        self.body_excerpt = excerpt(to_plain_text(self.body_html), 190)
        if self.status == self.Status.PUBLISHED and self.first_published_at is None:
            self.first_published_at = self.publish_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_excerpt"}
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

    @property
    def summary(self):
        """The teaser text: the dek, or the start of the body."""
        return self.dek or self.body_excerpt


class Byline(models.Model):
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

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author"),
        ]
        indexes = [models.Index(fields=["author", "article"], name="byline_author_article_idx")]

    def __str__(self):
        return f"{self.author} ({self.get_role_display()})"

    @property
    def bio_html(self):
        return self.bio_snapshot or self.author.bio_html


class RelatedTeaserQuerySet(models.QuerySet):
    def showing(self, at=None):
        """Teasers whose window contains ``at`` and whose target readers can open."""
        at = at or timezone.now()
        return self.filter(
            Q(starts_at__isnull=True) | Q(starts_at__lte=at),
            Q(ends_at__isnull=True) | Q(ends_at__gt=at),
            Q(target__isnull=True) | live_condition(at, prefix="target__"),
        )

    def next_changes(self, at):
        """The next moments at which a teaser's window opens or closes."""
        return (
            self.filter(starts_at__gt=at).aggregate(moment=Min("starts_at"))["moment"],
            self.filter(ends_at__gt=at).aggregate(moment=Min("ends_at"))["moment"],
        )

    def for_strip(self):
        return (
            self.select_related("target__section")
            .defer("target__body", "target__body_html")
            .order_by("position", "id")
        )


class RelatedTeaser(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="teasers")
    target = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="teased_by",
        help_text="The story this teaser links to; leave empty for an external link.",
    )
    url = models.URLField(blank=True, help_text="An external link, instead of a story.")
    headline = SingleLineCharField(
        max_length=200, blank=True, help_text="Overrides the target's headline."
    )
    excerpt = CleanTextField(
        max_length=400, blank=True, help_text="Overrides the target's dek as the teaser text."
    )
    position = models.PositiveSmallIntegerField(default=0)
    starts_at = models.DateTimeField(null=True, blank=True, help_text="Empty: runs from now.")
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: runs until removed.")
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
        ]

    def __str__(self):
        return self.display_headline

    @property
    def display_headline(self):
        return self.headline or (self.target.headline if self.target_id else self.url)

    @property
    def display_excerpt(self):
        text = self.excerpt or (self.target.summary if self.target_id else "")
        return excerpt(text, 160)

    @property
    def is_external(self):
        return not self.target_id

    @property
    def href(self):
        return self.target.get_absolute_url() if self.target_id else self.url


class CorrectionQuerySet(models.QuerySet):
    def public(self, at=None):
        """Corrections readers see: already published, on a story that is live."""
        at = at or timezone.now()
        return self.filter(live_condition(at, prefix="article__"), published_at__lte=at)

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

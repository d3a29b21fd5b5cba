"""The story."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.functional import cached_property
from taggit.managers import TaggableManager
from taggit.models import Tag

from content.fields import CleanTextField, FractionField, SingleLineCharField
from content.images import UploadedImageField, picture_for, saved_with_picture
from content.markup import excerpt, has_words, inline_plain_text, render_markdown, to_plain_text
from newsroom.reversing import reverse

from ..jsonrows import parse_db_datetime
from ..querysets import ArticleQuerySet
from .correction import Correction
from .section import Section

BODY_MAX_LENGTH = settings.NEWSROOM_BODY_MAX_LENGTH
# The publish checklist: longer headlines are truncated by search engines and social cards.
HEADLINE_PUBLISH_MAX = 120
DEK_WARNING_LENGTH = 200


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Coverage(models.TextChoices):
        """A story may be live coverage: entries posted minute by minute (the live app)."""

        NONE = "", "Not live coverage"
        LIVE = "live", "Live coverage, running"
        ENDED = "ended", "Live coverage, ended"

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
    # Where the picture's subject is: each shape's cut is centred on it (content/shapes.py).
    hero_focal_x = FractionField(
        "focal point across", help_text="From the left edge (0) to the right edge (1)."
    )
    hero_focal_y = FractionField(
        "focal point down", help_text="From the top edge (0) to the bottom edge (1)."
    )
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
    coverage = models.CharField(
        max_length=10,
        choices=Coverage.choices,
        default=Coverage.NONE,
        blank=True,
        help_text="Live coverage adds timestamped entries to the story, newest first.",
    )
    coverage_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    coverage_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    poll_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(3600)],
        help_text="How often readers' pages ask for new entries, in seconds; raise it under heavy "
        "load. Empty: the site's setting.",
    )
    # The time of the newest public entry and of each entry scheduled after it (ISO 8601, oldest
    # first), kept by the live app's services: a listing finds the story's updated time at any
    # moment from its own row.
    entry_times = models.JSONField(default=list, blank=True, editable=False)
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
                condition=Q(hero_focal_x__gte=0, hero_focal_x__lte=1)
                & Q(hero_focal_y__gte=0, hero_focal_y__lte=1),
                name="article_hero_focal_point_in_picture",
                violation_error_message="The focal point is two fractions from 0 to 1.",
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
        with saved_with_picture(
            self, "hero_image", "hero_renditions", ("hero_focal_x", "hero_focal_y")
        ):
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

    def hero_picture_in(self, shape):
        """The hero cut to ``shape`` ("wide", "landscape" or "square": content.shapes.SHAPES)
        around its focal point; a picture not cut yet is drawn as uploaded."""
        return picture_for(
            self.hero_image, self.hero_renditions, self.hero_width, self.hero_height, shape=shape
        )

    @property
    def is_live_coverage(self):
        return self.coverage == self.Coverage.LIVE

    def latest_entry_at(self, at=None):
        """When the newest entry readers can see at ``at`` went out, or None."""
        at = at or timezone.now()
        shown = [
            moment for moment in map(parse_db_datetime, self.entry_times or ()) if moment <= at
        ]
        return shown[-1] if shown else None

    def listed_time(self, at=None):
        """The time a listing shows: a live story's newest entry, else its publication time."""
        if self.coverage:
            return self.latest_entry_at(at) or self.publish_at
        return self.publish_at

    @property
    def teaser_excerpt(self):
        """What lists show under the headline: plain text cut at a word boundary."""
        return excerpt(self.teaser_text, 160)

    @property
    def summary(self):
        """The teaser text: the dek, or the start of the body."""
        return self.dek or self.body_excerpt

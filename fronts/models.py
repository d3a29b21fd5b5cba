"""Front pages that editors curate and schedule: a front is an ordered list of zones, each a
block of the page in one of a few layouts; a zone shows its picks, then fills up from a rule.

Picks have a window like a teaser's and share the teasers' audit trail (``PlacementEvent``).
"""

from itertools import combinations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Placement, windows_overlap
from content.fields import CleanTextField, FractionField, SingleLineCharField
from content.images import UploadedImageField, picture_for, saved_with_picture
from content.markup import inline_plain_text
from newsroom.reversing import reverse

from .querysets import PickQuerySet, ZoneQuerySet

URL_SCHEME_MESSAGE = "Enter a web address starting http:// or https://."


class Front(models.Model):
    """The home page's front, a section's, or the site-wide banner shown above every page."""

    class Kind(models.TextChoices):
        HOME = "home", "Home page"
        SECTION = "section", "Section page"
        BANNER = "banner", "Site-wide banner"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    section = models.OneToOneField(
        "articles.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front",
        help_text="For a section page's front: the section.",
    )
    # Optimistic locking: a save that started from an older version is refused (fronts.services).
    version = models.PositiveIntegerField(default=1, editable=False)
    changed_at = models.DateTimeField(default=timezone.now, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["kind", "section__position", "section__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=~Q(kind="section"), name="front_one_home_one_banner"
            ),
            models.CheckConstraint(
                condition=Q(kind="section", section__isnull=False)
                | (~Q(kind="section") & Q(section__isnull=True)),
                name="front_section_iff_section_kind",
                violation_error_message="A section's front names its section; no other does.",
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.SECTION and self.section_id:
            return f"{self.section.name} section front"
        return self.get_kind_display()

    def get_absolute_url(self):
        if self.kind == self.Kind.SECTION:
            return self.section.get_absolute_url()
        return reverse("articles:home")

    @property
    def name(self):
        """The front's name in addresses (the API): "home", "banner" or "section-<slug>"."""
        if self.kind == self.Kind.SECTION:
            return f"section-{self.section.slug}"
        return self.kind

    def doubled_stories(self, among=None):
        """The stories picked more than once on this front with windows that overlap, so that
        they show twice while both run (allowed: an editor may mean it). ``among``: only these
        stories' picks are looked at."""
        picks = Pick.objects.filter(zone__front=self, target__isnull=False)
        if among is not None:
            picks = picks.filter(target__in=among)
        by_story = {}
        for pick in picks.select_related("target").order_by("target_id", "id"):
            by_story.setdefault(pick.target_id, []).append(pick)
        return [
            same[0].target
            for same in by_story.values()
            if any(
                windows_overlap(a.starts_at, a.ends_at, b.starts_at, b.ends_at)
                for a, b in combinations(same, 2)
            )
        ]


class Zone(models.Model):
    """A block of a front: picks first, in order, then stories by its backfill rule, up to size."""

    class Layout(models.TextChoices):
        LEAD = "lead", "Lead story"
        LEAD_PLUS_TWO = "lead_plus_2", "Lead and two"
        LIST = "list", "List"
        GRID = "grid", "Grid"
        BANNER = "banner", "Single banner"
        SECTION_BLOCKS = "section_blocks", "A block per section"

    class Backfill(models.TextChoices):
        NONE = "", "No backfill: picks only"
        EVERYTHING = "everything", "Newest stories"
        SECTION = "section", "Newest in a section"
        TAG = "tag", "Newest with a tag"
        EACH_SECTION = "each_section", "Newest in each section (one block each)"

    class Featured(models.TextChoices):
        ANY = "", "Any story"
        ONLY = "only", "Featured stories only"
        FIRST = "first", "Featured stories first, then any"

    class Shape(models.TextChoices):
        AS_UPLOADED = "", "As uploaded"
        WIDE = "wide", "Wide (16:9)"
        LANDSCAPE = "landscape", "Landscape (4:3)"
        SQUARE = "square", "Square"

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="zones")
    position = models.PositiveSmallIntegerField(default=0, db_index=False)
    heading = SingleLineCharField(
        max_length=120, blank=True, help_text="Shown above the zone; empty for none."
    )
    heading_link = models.CharField(
        max_length=200,
        blank=True,
        help_text="An address on this site the heading links to (e.g. /sections/politics/).",
    )
    anchor = models.SlugField(
        max_length=60,
        blank=True,
        help_text="The zone's name in the page's markup (its id and class); empty: from the "
        "heading.",
    )
    layout = models.CharField(max_length=20, choices=Layout.choices, default=Layout.LIST)
    size = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="How many stories the zone shows (per section, for a block per section).",
    )
    backfill = models.CharField(
        max_length=20, choices=Backfill.choices, blank=True, default=Backfill.NONE
    )
    backfill_section = models.ForeignKey(
        "articles.Section", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    backfill_tag = models.ForeignKey(
        "taggit.Tag", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    featured = models.CharField(
        "featured stories",
        max_length=10,
        choices=Featured.choices,
        blank=True,
        default=Featured.ANY,
    )
    picture_shape = models.CharField(
        max_length=10, choices=Shape.choices, blank=True, default=Shape.AS_UPLOADED
    )
    empty_message = SingleLineCharField(
        max_length=200, blank=True, help_text="Shown when the zone has nothing to show."
    )

    objects = ZoneQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["front", "position"], name="zone_front_position_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(backfill="section", backfill_section__isnull=False)
                | (~Q(backfill="section") & Q(backfill_section__isnull=True)),
                name="zone_section_rule_names_a_section",
                violation_error_message="Newest in a section names the section; no other rule.",
            ),
            models.CheckConstraint(
                condition=Q(backfill="tag", backfill_tag__isnull=False)
                | (~Q(backfill="tag") & Q(backfill_tag__isnull=True)),
                name="zone_tag_rule_names_a_tag",
                violation_error_message="Newest with a tag names the tag; no other rule.",
            ),
        ]

    def __str__(self):
        return self.heading or f"{self.get_layout_display()} ({self.position})"

    @property
    def html_name(self):
        return self.anchor or slugify(self.heading) or f"zone-{self.pk}"

    def clean(self):
        errors = {}
        if self.backfill == self.Backfill.SECTION and not self.backfill_section_id:
            errors["backfill_section"] = "Pick the section this zone fills from."
        if self.backfill != self.Backfill.SECTION and self.backfill_section_id:
            errors["backfill_section"] = "Only “Newest in a section” uses a section."
        if self.backfill == self.Backfill.TAG and not self.backfill_tag_id:
            errors["backfill_tag"] = "Pick the tag this zone fills from."
        if self.backfill != self.Backfill.TAG and self.backfill_tag_id:
            errors["backfill_tag"] = "Only “Newest with a tag” uses a tag."
        if (self.backfill == self.Backfill.EACH_SECTION) != (
            self.layout == self.Layout.SECTION_BLOCKS
        ):
            errors["layout"] = "A block per section goes with “Newest in each section”, only."
        if self.featured and not self.backfill:
            errors["featured"] = "Featured stories are a backfill choice: pick a rule first."
        if self.heading_link and not self.heading_link.startswith("/"):
            errors["heading_link"] = "Give an address on this site, starting with /."
        if errors:
            raise ValidationError(errors)


class Pick(Placement, models.Model):
    """An editor's choice in a zone: a story (live or scheduled) or an external link."""

    class Kind(models.TextChoices):
        NONE = "", "—"
        BREAKING = "breaking", "Breaking"
        DEVELOPING = "developing", "Developing"
        LIVE = "live", "Live"

    class State(models.TextChoices):
        SHOWING = "running", "Showing"
        WAITING = "upcoming", "Waiting for its window"
        NOT_LIVE = "waiting", "Its story is not live"
        ENDED = "ended", "Ended"

    zone = models.ForeignKey(Zone, on_delete=models.CASCADE, related_name="picks")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers show first.")
    target = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="front_picks",
        help_text="The story; it shows once live. Leave empty for an external link.",
    )
    url = models.URLField(
        blank=True,
        validators=[URLValidator(schemes=["http", "https"], message=URL_SCHEME_MESSAGE)],
        error_messages={"invalid": URL_SCHEME_MESSAGE},
        help_text="An external link (http or https), instead of a story. Give it a headline.",
    )
    headline = SingleLineCharField(
        max_length=200, blank=True, help_text="Overrides the story's headline (a banner's text)."
    )
    excerpt = CleanTextField(
        max_length=400,
        blank=True,
        help_text="Overrides the story's dek. Shown as plain text, cut to 160 characters.",
    )
    excerpt_text = models.TextField(blank=True, editable=False)
    image = UploadedImageField(
        upload_to="picks/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="Overrides the story's hero image here.",
    )
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = SingleLineCharField(max_length=250, blank=True)
    image_focal_x = FractionField(
        "focal point across", help_text="From the left edge (0) to the right edge (1)."
    )
    image_focal_y = FractionField(
        "focal point down", help_text="From the top edge (0) to the bottom edge (1)."
    )
    kind = models.CharField(
        "banner label",
        max_length=10,
        choices=Kind.choices,
        blank=True,
        default=Kind.NONE,
        help_text="For a banner: breaking, developing or live.",
    )
    starts_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Empty: from now. A story's pick also waits for it to go live.",
    )
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: until removed. Must come after the start."
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

    objects = PickQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["zone", "position"], name="pick_zone_position_idx"),
            models.Index(fields=["starts_at"], name="pick_starts_idx"),
            models.Index(fields=["ends_at"], name="pick_ends_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True)
                | Q(ends_at__isnull=True)
                | Q(ends_at__gt=F("starts_at")),
                name="pick_ends_after_starts",
                violation_error_message="The pick's window must end after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(image_focal_x__gte=0, image_focal_x__lte=1)
                & Q(image_focal_y__gte=0, image_focal_y__lte=1),
                name="pick_focal_point_in_picture",
                violation_error_message="The focal point is two fractions from 0 to 1.",
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=False, url="") | (Q(target__isnull=True) & ~Q(url="")),
                name="pick_target_xor_url",
                violation_error_message="A pick links to a story or to an external URL, not both.",
            ),
        ]

    def __str__(self):
        return self.display_headline

    def save(self, *args, **kwargs):
        self.excerpt_text = inline_plain_text(self.excerpt)
        with saved_with_picture(
            self, "image", "image_renditions", ("image_focal_x", "image_focal_y")
        ):
            super().save(*args, **kwargs)

    def clean(self):
        errors = self.link_errors()
        if self.image and not self.image_alt.strip():
            errors["image_alt"] = "Describe the picture for readers who cannot see it."
        if errors:
            raise ValidationError(errors)

    def state(self, at=None):
        return self.State(self.window_state(at or timezone.now()))

    def audit_holder(self):
        return self.zone.front

    def describe(self):
        return f"{self.zone}: {super().describe()}"

    @property
    def image_picture(self):
        return picture_for(self.image, self.image_renditions, self.image_width, self.image_height)

    def image_picture_in(self, shape):
        """The pick's own picture cut to ``shape`` around its focal point."""
        return picture_for(
            self.image, self.image_renditions, self.image_width, self.image_height, shape=shape
        )

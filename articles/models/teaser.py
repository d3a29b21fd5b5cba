"""Related-story teasers that editors schedule under a story (their audit trail is the
placements' one: ``placement.PlacementEvent``)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from content.fields import CleanTextField, SingleLineCharField
from content.markup import inline_plain_text

from ..querysets import RelatedTeaserQuerySet
from .placement import Placement


class RelatedTeaser(Placement, models.Model):
    class State(models.TextChoices):
        RUNNING = "running", "Running now"
        WAITING = "waiting", "Waiting for its story to go live"
        UPCOMING = "upcoming", "Starting soon"
        ENDED = "ended", "Ended"
        BLOCKED = "blocked", "Never shown here"

    URL_SCHEME_MESSAGE = "Enter a web address starting http:// or https://."

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="teasers")
    target = models.ForeignKey(
        "Article",
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
        errors.update(self.link_errors())
        if self.is_blocked and self.url:
            errors["url"] = (
                "A block keeps a story of this site out; pick the story, not an address."
            )
        if self.is_blocked and (self.starts_at or self.ends_at):
            errors["starts_at"] = "A block holds until it is removed: leave the window empty."
        if errors:
            raise ValidationError(errors)

    def state(self, at=None):
        if self.is_blocked:
            return self.State.BLOCKED
        return self.State(self.window_state(at or timezone.now()))

    def describe(self):
        """One line for the audit trail: what the teaser pointed at and when it ran."""
        if self.is_blocked:
            link = f"story #{self.target_id}"
            return f"Never shown here: “{self.display_headline}” → {link}"
        return super().describe()

    def audit_story_id(self):
        # A teaser's history is its host story's.
        return self.article_id

    def audit_holder(self):
        return self.article

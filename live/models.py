"""Live coverage's entries: timestamped posts on a story whose ``coverage`` is live or ended."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from content.fields import CleanTextField, SingleLineCharField
from content.images import UploadedImageField, picture_for, saved_with_picture
from content.markup import excerpt, render_markdown, to_plain_text

from .querysets import EntryQuerySet

ENTRY_MAX_LENGTH = 20_000


class Entry(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="entries"
    )
    author = models.ForeignKey(
        "authors.Author",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
        help_text="Who readers see as the entry's writer.",
    )
    headline = SingleLineCharField(max_length=200, blank=True)
    body = CleanTextField(
        validators=[MaxLengthValidator(ENTRY_MAX_LENGTH)],
        help_text="Markdown. Quote a social-media post as a blockquote with its source.",
    )
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    image = UploadedImageField(
        upload_to="entries/%Y/%m/",
        blank=True,
        width_field="image_width",
        height_field="image_height",
        help_text="JPEG, PNG, WebP or GIF up to 100 megapixels.",
    )
    image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_alt = SingleLineCharField(
        max_length=250,
        blank=True,
        help_text="What the picture shows, for readers who cannot see it.",
    )
    image_caption = SingleLineCharField(max_length=300, blank=True)
    image_credit = SingleLineCharField(max_length=120, blank=True)
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Listed under “Key events” at the top of the page."
    )
    is_pinned = models.BooleanField(
        "pinned", default=False, help_text="Shown first, above the stream; one per story."
    )
    publish_at = models.DateTimeField(
        default=timezone.now, help_text="When the entry goes out. A future time schedules it."
    )
    correction_note = SingleLineCharField(
        max_length=300,
        blank=True,
        help_text="When an edit corrects the entry: one line shown to readers on it.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
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

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["-publish_at", "-id"]
        indexes = [
            # The stream, newest first, and its keyset pages (?before=, ?after=).
            models.Index(fields=["article", "-publish_at", "-id"], name="entry_stream_idx"),
            models.Index(
                fields=["article", "-publish_at", "-id"],
                condition=Q(is_key_event=True),
                name="entry_key_event_idx",
            ),
            # The next scheduled entry, which bounds how long a cached page may live.
            models.Index(fields=["publish_at"], name="entry_publish_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(is_pinned=True),
                name="entry_one_pinned_per_story",
                violation_error_message="A story has one pinned entry at most.",
            ),
        ]

    def __str__(self):
        return self.headline or excerpt(self.body_text, 60) or f"Entry {self.pk}"

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        self.body_text = to_plain_text(self.body_html)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html", "body_text"}
        with saved_with_picture(self, "image", "image_renditions"):
            super().save(*args, **kwargs)

    def is_public(self, at=None):
        return self.pk is not None and self.publish_at <= (at or timezone.now())

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @property
    def picture(self):
        return picture_for(self.image, self.image_renditions, self.image_width, self.image_height)

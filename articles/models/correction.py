"""Corrections, clarifications, updates and editors' notes: append-only once public."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from content.fields import CleanTextField

from ..querysets import CorrectionQuerySet


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        CLARIFICATION = "clarification", "Clarification"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor’s note"

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="corrections")
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

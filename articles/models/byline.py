"""Bylines: who wrote a story, in reading order, each with a copy of the story's publish_at."""

from django.db import models
from django.db.models import Q

from ..querysets import BylineQuerySet


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

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
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

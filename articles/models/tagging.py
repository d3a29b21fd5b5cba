"""Tag links: django-taggit's, in the project's own table, with a copy of the story's publish_at."""

from django.db import models
from django.db.models import Q
from taggit.models import TaggedItemBase

from .byline import Byline, StoryTimeCopy


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

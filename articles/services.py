"""Workflows that span models: publishing touches the story and its bylines together."""

from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def publish_article(*, article, by=None, at=None):
    """Publish now, or schedule for ``at``; snapshot each byline's bio as published."""
    article.status = Article.Status.PUBLISHED
    article.publish_at = at or timezone.now()
    article.save()
    for byline in article.bylines.select_related("author"):
        byline.bio_snapshot = byline.author.bio_html
        byline.save(update_fields=["bio_snapshot"])
    return article

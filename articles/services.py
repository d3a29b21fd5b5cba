"""Workflows that span models: publishing touches the story and its bylines together."""

from django.db import transaction
from django.utils import timezone

from .models import Article


class PublishRefused(Exception):
    """Publish or Schedule refused; ``problems`` lists the reasons for the editor."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


@transaction.atomic
def publish_article(*, article, by=None, at=None):
    """Publish now, or schedule for ``at``; snapshot each byline's bio as published.

    Refuses (``PublishRefused``) while the publish checklist has problems; nothing is changed then.
    """
    at = at or timezone.now()
    problems = article.publish_problems(at)
    if problems:
        raise PublishRefused(problems)
    article.status = Article.Status.PUBLISHED
    article.publish_at = at
    article.version += 1
    if by is not None:
        article.modified_by = by
    article.save()
    for byline in article.bylines.select_related("author"):
        byline.bio_snapshot = byline.author.bio_html
        byline.save(update_fields=["bio_snapshot"])
    return article


@transaction.atomic
def withdraw_article(*, article, by=None):
    """Take a story down for good: it leaves every public page and share links stop working."""
    article.status = Article.Status.WITHDRAWN
    article.modified_by = by
    article.version += 1
    article.save()
    return article

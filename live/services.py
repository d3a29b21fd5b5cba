"""Every change to live coverage goes through here: starting and ending it, and each entry
posted, edited or removed. Each runs in one transaction, keeps the story's ``entry_times`` (the
newest public entry and those scheduled after it, so listings know the story's updated time at
any moment from its row), and announces ``story_changed`` once it commits."""

from django.db import transaction
from django.db.models import F, TextChoices
from django.utils import timezone

from articles.models import Article
from articles.services import announce, changed_meanwhile

from .models import Entry


class LiveAction(TextChoices):
    COVERAGE_STARTED = "coverage_started", "Live coverage started"
    COVERAGE_ENDED = "coverage_ended", "Live coverage ended"
    ENTRY_POSTED = "entry_posted", "Entry posted"
    ENTRY_CHANGED = "entry_changed", "Entry changed"
    ENTRY_REMOVED = "entry_removed", "Entry removed"


class EntryChanged(Exception):
    """Another editor saved the entry since this copy of it was made."""


def refresh_entry_times(article, at=None):
    """Write the story's ``entry_times``: its newest public entry's time, then every later one."""
    at = at or timezone.now()
    entries = Entry.objects.filter(article=article)
    newest = entries.public(at).order_by("-publish_at").values_list("publish_at", flat=True)[:1]
    later = entries.filter(publish_at__gt=at).order_by("publish_at")
    moments = [*newest, *later.values_list("publish_at", flat=True)]
    times = [moment.isoformat() for moment in moments]
    Article.objects.filter(pk=article.pk).update(entry_times=times)
    article.entry_times = times


@transaction.atomic
def start_coverage(*, article, by):
    article.coverage = Article.Coverage.LIVE
    article.coverage_started_at = article.coverage_started_at or timezone.now()
    article.coverage_ended_at = None
    article.save(update_fields=["coverage", "coverage_started_at", "coverage_ended_at"])
    announce(article=article, action=LiveAction.COVERAGE_STARTED, by=by)


@transaction.atomic
def end_coverage(*, article, by):
    article.coverage = Article.Coverage.ENDED
    article.coverage_ended_at = timezone.now()
    article.save(update_fields=["coverage", "coverage_ended_at"])
    announce(article=article, action=LiveAction.COVERAGE_ENDED, by=by)


@transaction.atomic
def save_entry(*, entry, by, base_version=None, fields=()):
    """Post a new entry, or save an edit of one. ``base_version`` is the version the editor's
    copy was made from: an edit over someone else's newer save is refused (``EntryChanged``,
    naming who and when) and nothing is written."""
    adding = entry._state.adding
    if adding:
        entry.created_by = by
    else:
        locked = (
            Entry.objects.select_for_update(of=("self",))
            .select_related("modified_by")
            .only("version", "modified_at", "modified_by")
            .get(pk=entry.pk)
        )
        if base_version is not None and base_version != locked.version:
            raise EntryChanged(
                changed_meanwhile("entry", by=locked.modified_by, at=locked.modified_at)
            )
        entry.version = locked.version + 1
    entry.modified_by = by
    if entry.is_pinned:
        # One pinned entry per story: pinning this one unpins the other.
        Entry.objects.filter(article=entry.article_id, is_pinned=True).exclude(pk=entry.pk).update(
            is_pinned=False, version=F("version") + 1
        )
    entry.save()
    refresh_entry_times(entry.article)
    action = LiveAction.ENTRY_POSTED if adding else LiveAction.ENTRY_CHANGED
    announce(article=entry.article, action=action, by=by, fields=fields)
    return entry


@transaction.atomic
def remove_entry(*, entry, by):
    article = entry.article
    entry.delete()
    refresh_entry_times(article)
    announce(article=article, action=LiveAction.ENTRY_REMOVED, by=by)

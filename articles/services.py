"""Every change of a story's workflow, and of what the desk hangs on it, goes through here.

Each transition is one keyword-only function in one transaction. Once that transaction commits,
it sends ``articles.signals.story_changed`` exactly once (never when it is rolled back), with:

- ``article``: the story (for a teaser or a correction, the story it belongs to);
- ``action``: one of ``StoryAction`` (what happened);
- ``by``: the user who did it, or None (a management command, a test);
- ``fields``: a tuple of the names of the fields that changed, where the caller knows them
  (an admin save, a teaser change), else empty.

One signal for all transitions, so a receiver (webhooks, search, the audit) connects once and
filters on ``action``. An admin save that also presses a workflow button is two transitions
(``saved``, then ``published``, ``scheduled`` or ``withdrawn``); Submit and Back to draft are the
save itself (``submitted``, ``returned_to_draft``); a revert is ``reverted`` alone. The page cache does not depend on it: it still learns of every committed
save or delete through the model signals listed in ``newsroom/apps.py``; ``story_changed`` is
additional.

Every transition that saves a story does it with ``save_story``: ``Article.save`` fills the
story's own row only, and ``save_story`` adds what follows the row elsewhere (the bylines' and
tag links' copies of ``publish_at``, and a live story's old address). Any other code that saves
a story whose time, address or status may change calls it too. Moving many stories in time at
once is ``ArticleQuerySet.reschedule``; ``update()`` and ``bulk_update()`` refuse ``publish_at``.
"""

import contextlib

from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format

from .models import STORY_TIME_COPIES, Article, ArticleRedirect, Correction, PlacementEvent
from .signals import story_changed


class StoryAction(models.TextChoices):
    SAVED = "saved", "Saved"
    SUBMITTED = "submitted", "Submitted for review"
    RETURNED_TO_DRAFT = "returned_to_draft", "Back to draft"
    PUBLISHED = "published", "Published"
    SCHEDULED = "scheduled", "Scheduled"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REVERTED = "reverted", "Reverted to an earlier version"
    TEASER_ADDED = "teaser_added", "Teaser added"
    TEASER_CHANGED = "teaser_changed", "Teaser changed"
    TEASER_BLOCKED = "teaser_blocked", "Story blocked from the strip"
    TEASER_REMOVED = "teaser_removed", "Teaser removed"
    CORRECTION_ADDED = "correction_added", "Correction added"
    CORRECTION_CHANGED = "correction_changed", "Correction changed"


class PublishRefused(Exception):
    """Publish or Schedule refused; ``problems`` lists the reasons for the editor."""

    def __init__(self, problems):
        super().__init__("; ".join(problems))
        self.problems = problems


def changed_meanwhile(what, *, by, at):
    """The message refusing a save made from an older version of ``what`` ("story", "front"),
    naming who saved since and when; the editor's input stays in the form."""
    name = (by.get_full_name() or by.get_username()) if by else "someone else"
    when = date_format(timezone.localtime(at), "DATETIME_FORMAT")
    return (
        f"This {what} was changed by {name} at {when} while you were editing it. Your changes "
        f"are not saved: they are still in the form below. Copy them, reload the {what}, and "
        "apply them to the new version."
    )


def announce(*, article, action, by=None, fields=()):
    """Send ``story_changed`` once the current transaction commits (at once outside one)."""
    fields = tuple(fields)

    def send():
        story_changed.send(sender=Article, article=article, action=action, by=by, fields=fields)

    transaction.on_commit(send)


# The story itself.


def save_story(*, article, update_fields=None):
    """Save ``article``'s row, then put what other tables keep of it in step:

    - the bylines' and tag links' copies of ``publish_at`` (``StoryTimeCopy``) follow the row;
    - if the story was live at an address the save changes (slug, first publication date), the
      old address is remembered (``ArticleRedirect``), so that readers' links keep working.

    The one way to save a story whose time, address or status may change. It works in the
    caller's transaction and opens one only when there is none: a transition's transaction
    already holds the row and what follows it together, and a savepoint of its own would add two
    queries to every save.
    """
    in_transaction = transaction.get_connection().in_atomic_block
    moved = article.pk is not None and (update_fields is None or "publish_at" in update_fields)
    with contextlib.nullcontext() if in_transaction else transaction.atomic():
        old_path = _stored_live_address(article)
        article.save(update_fields=update_fields)
        if moved:
            _copies_in_step(article)
        _remember_old_address(article, old_path=old_path)
    return article


def _stored_live_address(article):
    """The story's public address as stored, if it is live there (None for a new story)."""
    if article.pk is None:
        return None
    stored = (
        Article.objects.filter(pk=article.pk)
        .only("slug", "status", "publish_at", "unpublish_at", "first_published_at", "created_at")
        .first()
    )
    return stored.get_absolute_url() if stored and stored.is_live() else None


def _copies_in_step(article):
    for model in STORY_TIME_COPIES:
        copies = model.objects.filter(**{model.story_field: article})
        # No write when the copies are already in step.
        copies.exclude(publish_at=article.publish_at).update(publish_at=article.publish_at)


def _remember_old_address(article, *, old_path):
    if old_path and old_path != article.get_absolute_url():
        ArticleRedirect.remember(old_path=old_path, article=article)


@transaction.atomic
def save_article(*, article, by, fields=(), status=None, part_of_revert=False):
    """The admin's save of a story's form (``save_story``: its row, the copies, the redirect).

    ``status`` is the button's: DRAFT (back to draft) or IN_REVIEW (submit), else the status
    stays. The version number is the form's (the edit-conflict check counts it up). The save
    that ends a revert sends no signal of its own: ``revert_article`` has sent "reverted".
    """
    if article.pk is None:
        article.created_by = by
    article.modified_by = by
    action = StoryAction.SAVED
    if status == Article.Status.DRAFT:
        action = StoryAction.RETURNED_TO_DRAFT
    elif status == Article.Status.IN_REVIEW:
        action = StoryAction.SUBMITTED
    if status is not None:
        article.status = status
    save_story(article=article)
    if not part_of_revert:
        announce(article=article, action=action, by=by, fields=fields)
    return article


def _move_to(status, action, *, article, by):
    article.status = status
    article.modified_by = by
    article.version += 1
    save_story(article=article)
    announce(article=article, action=action, by=by, fields=["status"])
    return article


@transaction.atomic
def submit_article(*, article, by=None):
    """Hand a draft to the desk for review."""
    return _move_to(Article.Status.IN_REVIEW, StoryAction.SUBMITTED, article=article, by=by)


@transaction.atomic
def return_article_to_draft(*, article, by=None):
    """Take a story back to draft (out of review): the reporter works on."""
    return _move_to(Article.Status.DRAFT, StoryAction.RETURNED_TO_DRAFT, article=article, by=by)


@transaction.atomic
def publish_article(*, article, by=None, at=None):
    """Publish now, or schedule for ``at``; snapshot each byline's bio as published.

    Refuses (``PublishRefused``) while the publish checklist has problems; nothing is changed then.
    """
    now = timezone.now()
    at = at or now
    problems = article.publish_problems(at)
    if problems:
        raise PublishRefused(problems)
    article.status = Article.Status.PUBLISHED
    article.publish_at = at
    article.version += 1
    if by is not None:
        article.modified_by = by
    save_story(article=article)
    for byline in article.bylines.select_related("author"):
        byline.bio_snapshot = byline.author.bio_html
        byline.save(update_fields=["bio_snapshot"])
    action = StoryAction.SCHEDULED if at > now else StoryAction.PUBLISHED
    announce(article=article, action=action, by=by, fields=["status", "publish_at"])
    return article


def schedule_article(*, article, at, by=None):
    """Publish at the future moment ``at``: the story goes live then, by itself."""
    return publish_article(article=article, by=by, at=at)


@transaction.atomic
def withdraw_article(*, article, by=None):
    """Take a story down for good: it leaves every public page and share links stop working."""
    article.status = Article.Status.WITHDRAWN
    article.modified_by = by
    article.version += 1
    save_story(article=article)
    announce(article=article, action=StoryAction.WITHDRAWN, by=by, fields=["status"])
    return article


@transaction.atomic
def revert_article(*, article_id, state, by=None):
    """Finish a revert (django-reversion has just written the old version, in this transaction):
    put the workflow state taken before it back (``history.workflow_state``), and remember the
    address the story had if the old slug moves it.

    Reversion writes the rows itself, past ``Article.save`` and ``save_story``, and brings the
    bylines back with the copies of ``publish_at`` they had then. So this is the revert's
    ``save_story``: ``reschedule`` puts the time back and the copies in step, and the old address
    is the one readers knew, taken before the revert.
    """
    Article.objects.filter(pk=article_id).reschedule(**state["fields"])
    article = Article.objects.get(pk=article_id)
    _remember_old_address(article, old_path=state["path"])
    announce(article=article, action=StoryAction.REVERTED, by=by)
    return article


# What the desk hangs on a story: teasers (with their audit trail) and corrections.


@transaction.atomic
def save_teaser(*, teaser, by, changed_fields=()):
    """Add or change a teaser (ending one is a change of its window) and write its audit line.

    A new block, or a teaser turned into one, is recorded as "Blocked".
    """
    adding = teaser._state.adding
    if adding:
        teaser.created_by = by
    teaser.save()
    if teaser.is_blocked and (adding or "is_blocked" in changed_fields):
        action, audit = StoryAction.TEASER_BLOCKED, PlacementEvent.Action.BLOCKED
    elif adding:
        action, audit = StoryAction.TEASER_ADDED, PlacementEvent.Action.ADDED
    else:
        action, audit = StoryAction.TEASER_CHANGED, PlacementEvent.Action.CHANGED
    fields = () if adding else tuple(changed_fields)
    PlacementEvent.record(placement=teaser, action=audit, by=by, changed_fields=fields)
    announce(article=teaser.article, action=action, by=by, fields=fields)
    return teaser


@transaction.atomic
def remove_teaser(*, teaser, by):
    """Delete a teaser; its audit trail keeps what it was."""
    PlacementEvent.record(placement=teaser, action=PlacementEvent.Action.REMOVED, by=by)
    article = teaser.article
    teaser.delete()
    announce(article=article, action=StoryAction.TEASER_REMOVED, by=by)


@transaction.atomic
def save_correction(*, correction, by, fields=()):
    """Add a correction (public from its ``published_at``), or change one not yet public.

    Whether the user may is the caller's check (``permissions.can_change_correction``).
    """
    adding = correction._state.adding
    if adding:
        correction.created_by = by
    correction.save()
    action = StoryAction.CORRECTION_ADDED if adding else StoryAction.CORRECTION_CHANGED
    announce(article=correction.article, action=action, by=by, fields=fields)
    return correction


def add_correction(*, article, kind, text, by, published_at=None):
    """A correction, clarification, update or editor's note on ``article``, public from
    ``published_at`` (now if not given)."""
    correction = Correction(
        article=article,
        kind=kind,
        text=text,
        published_at=published_at or timezone.now(),
    )
    return save_correction(correction=correction, by=by)

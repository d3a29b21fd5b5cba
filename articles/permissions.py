"""Who may do what with a story. The admin and the views ask here; templates never decide.

Group permissions (see the 0002 and 0004 migrations) open the admin screens; these functions add the
per-story rules of DESIGN.md §4: a reporter edits only their own or co-bylined stories, and only
while they are drafts or in review; the desk (``articles.publish_article``, see
``content.permissions``) does everything else.
"""

from content.permissions import can_publish, is_staff

from .models import Article

REPORTER_EDITABLE = {Article.Status.DRAFT, Article.Status.IN_REVIEW}


def is_own(user, article):
    if article.pk is None or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(author__user=user).exists()


def visible_articles(user, queryset):
    """The stories a staff user may open in the admin: all for editors, their own for reporters."""
    if can_publish(user):
        return queryset
    return queryset.owned_by(user)


def visible_story_rows(user, queryset):
    """Teasers, corrections and teaser events: those of the stories the user may open."""
    if can_publish(user):
        return queryset
    return queryset.filter(article__in=Article.objects.owned_by(user))


def can_edit(user, article):
    if not (is_staff(user) and user.has_perm("articles.change_article")):
        return False
    if can_publish(user):
        return True
    return article.status in REPORTER_EDITABLE and is_own(user, article)


def can_view_unpublished(user, article):
    if not (is_staff(user) and user.has_perm("articles.view_article")):
        return False
    return can_publish(user) or is_own(user, article)


def can_change_correction(user, correction):
    """Corrections are append-only once public, for everyone."""
    return can_publish(user) and not correction.is_public()


def workflow_buttons(user, article):
    """The submit buttons of the story form, as (name, label) pairs, for this user and story."""
    if article is not None and not can_edit(user, article):
        return []
    state = article.state if article is not None else Article.State.DRAFT
    buttons = []
    if state == Article.State.DRAFT:
        buttons += [("_save_draft", "Save draft"), ("_submit", "Submit for review")]
    elif state == Article.State.IN_REVIEW:
        buttons += [("_save", "Save"), ("_save_draft", "Back to draft")]
    else:
        buttons.append(("_save", "Save"))
    if can_publish(user):
        if state != Article.State.LIVE:
            buttons += [("_publish", "Publish now"), ("_schedule", "Schedule")]
        if article is not None and article.status == Article.Status.PUBLISHED:
            buttons.append(("_withdraw", "Withdraw"))
    return buttons


def may(user, action, model):
    """Whether ``user`` holds the model permission ``action`` (add, change, delete, view) on ``model``."""
    return user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")

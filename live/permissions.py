"""Who may do what on a live story's desk. The admin screens ask here; templates never decide.

The group permissions on ``live.Entry`` (``articles.roles``) open the desk; these functions add
the per-story rules: editors (``content.permissions.can_publish``) post, edit, pin and remove on
any story; a reporter does so only on a story whose byline names them (``Byline.author.user``),
and removes only entries readers have not seen yet. Starting and ending coverage and its poll
interval are the editors' alone.
"""

from content.permissions import can_publish, is_staff


def _holds(user, action):
    return is_staff(user) and user.has_perm(f"live.{action}_entry")


def is_on_byline(user, article):
    """Asked once per user and story object (a desk asks it for every entry it lists)."""
    answers = article.__dict__.setdefault("_live_on_byline", {})
    if user.pk not in answers:
        answers[user.pk] = article.bylines.filter(author__user=user).exists()
    return answers[user.pk]


def _editor_or_bylined(user, article):
    return can_publish(user) or is_on_byline(user, article)


def can_open_desk(user, article):
    """The desk of a story with coverage (running or ended)."""
    return bool(article.coverage) and _holds(user, "view") and _editor_or_bylined(user, article)


def can_post(user, article):
    """New entries while the coverage runs."""
    return article.is_live_coverage and _holds(user, "add") and _editor_or_bylined(user, article)


def can_edit_entry(user, entry):
    """Edit the entry's text and picture, and toggle its pin and key-event flags."""
    return _holds(user, "change") and _editor_or_bylined(user, entry.article)


def can_delete_entry(user, entry):
    """Editors always; a reporter on the byline only an entry that is not public yet."""
    if not _holds(user, "delete"):
        return False
    if can_publish(user):
        return True
    return not entry.is_public() and is_on_byline(user, entry.article)


def can_manage_coverage(user):
    """Start and end live coverage, and set a story's poll interval."""
    return can_publish(user) and user.has_perm("articles.change_article")


def desk_stories(user, queryset):
    """The stories with coverage whose desk the user may open."""
    queryset = queryset.exclude(coverage="")
    if not _holds(user, "view"):
        return queryset.none()
    if can_publish(user):
        return queryset
    return queryset.filter(bylines__author__user=user).distinct()

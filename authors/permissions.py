"""Who may edit an author profile (DESIGN.md §4). The admin asks here."""

from content.permissions import can_publish, is_staff


def can_edit_author(user, author):
    """Editors edit every profile; anyone else only the one linked to their own login."""
    if not (is_staff(user) and user.has_perm("authors.change_author")):
        return False
    return can_publish(user) or (author is not None and author.user_id == user.pk)

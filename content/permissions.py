"""The one role both stories and author profiles ask about: is this user on the editors' desk?

The desk is whoever holds ``articles.publish_article`` (DESIGN.md §4). The permission is named as a
string, so this module needs no model of ``articles``; the per-object rules stay with their app
(``articles.permissions`` for stories, ``authors.permissions`` for profiles).
"""


def is_staff(user):
    return user.is_active and user.is_staff


def can_publish(user):
    """Publish, schedule, withdraw, and edit any story or profile: the editors' desk."""
    return is_staff(user) and user.has_perm("articles.publish_article")

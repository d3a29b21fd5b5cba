"""Who may do what with a story. The admin and the views ask here; templates never decide."""


def can_view_unpublished(user, article):
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")

from datetime import timedelta

from django import template
from django.utils import timezone

from articles.models import Article
from articles.permissions import visible_articles

register = template.Library()

DASHBOARD_WINDOW = timedelta(hours=48)
DASHBOARD_ROWS = 15


@register.inclusion_tag("admin/articles/_dashboard.html", takes_context=True)
def newsroom_dashboard(context):
    """The desk's view on the admin index: what waits for review, what goes out, what comes down."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"panels": []}
    now = timezone.now()
    stories = visible_articles(
        user, Article.objects.select_related("section", "modified_by__author")
    )
    return {
        "panels": [
            (
                "In review (oldest first)",
                "modified_at",
                stories.in_review().order_by("modified_at"),
            ),
            (
                "Scheduled for the next 48 hours",
                "publish_at",
                stories.scheduled_within(DASHBOARD_WINDOW, now).order_by("publish_at"),
            ),
            (
                "Live, coming down soon",
                "unpublish_at",
                stories.expiring_within(DASHBOARD_WINDOW, now).order_by("unpublish_at"),
            ),
            ("Recently published", "publish_at", stories.live(now).newest_first()),
        ],
        "rows": DASHBOARD_ROWS,
    }


@register.filter
def staff_name(user):
    """A colleague as the desk knows them: their byline name, else their full name, else login."""
    author = getattr(user, "author", None)
    if author is not None:
        return author.name
    return user.get_full_name() or user.get_username()

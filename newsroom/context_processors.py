from django.conf import settings

from articles.views import sections_in_order


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        # A callable, so only templates that draw the navigation fetch it; kept in the cache until
        # the content changes, so most pages spend no query on it.
        "nav_sections": sections_in_order,
    }

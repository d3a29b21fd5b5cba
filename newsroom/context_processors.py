from django.conf import settings

from articles.models import Section


def site(request):
    return {
        "site_name": settings.NEWSROOM_SITE_NAME,
        "site_url": settings.NEWSROOM_SITE_URL,
        # Lazy: evaluated only by templates that draw the navigation.
        "nav_sections": Section.objects.all(),
    }

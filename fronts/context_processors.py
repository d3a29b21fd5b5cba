from django.utils import timezone

from .render import banner_picks


def breaking_news(request):
    # A callable, so that only pages drawing the masthead look; the banner's picks come from the
    # fronts' cached index, so most pages spend no query on it.
    def showing(at=None):
        return banner_picks(at or timezone.now())

    return {"breaking_news": showing}

"""The fronts in the read-only JSON API: what the home page, a section's front or the banner
shows, zone by zone. Its shape is documented in docs/api.md.

Readers get the front as it is now. ``?at=`` asks for another moment, and is for the editors'
desk only: a front worked out at a later moment shows scheduled stories before they are public,
and at an earlier one, stories taken down since (the API shows neither to anyone else).
"""

from datetime import UTC

from django.http import JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_safe

from articles.api import section_summary
from articles.views import sections_in_order
from content.permissions import can_publish
from newsroom.addresses import absolute_url
from newsroom.pagecache import reads_query
from newsroom.reversing import reverse

from .models import Front
from .render import front_of, shown_zones

SECTION_PREFIX = "section-"
BAD_MOMENT = (
    "at must be a date and time in ISO 8601, e.g. 2026-11-27T18:00:00Z; write the + of an "
    "offset as %2B."
)
NO_FRONT = "No front has this name."
# The longest form ISO 8601 gives a moment, microseconds and offset included, is 32 characters.
MOMENT_MAX_LENGTH = 40
OTHER_MOMENT = "A front at another moment than now is for signed-in editors only."


class NotFound(Exception):
    pass


def parse_moment(raw):
    """The moment ``?at=`` names, aware; a value without an offset is in the site's time zone.
    None for a value that is not a date and time this API can work with."""
    if len(raw) > MOMENT_MAX_LENGTH:
        return None
    try:
        moment = parse_datetime(raw)
        if moment is None:
            return None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Near the ends of the calendar an offset can carry the moment past year 1 or 9999.
        moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return moment


def front_zones(name):
    """The zones of the front called ``name``: "home", "banner" or "section-<slug>"."""
    if name in (Front.Kind.HOME, Front.Kind.BANNER):
        zones = front_of(kind=name)
    elif name.startswith(SECTION_PREFIX):
        slug = name.removeprefix(SECTION_PREFIX)
        # The cached section list the navigation uses: no query to find the section.
        section = next((s for s in sections_in_order() if s.slug == slug), None)
        zones = front_of(kind=Front.Kind.SECTION, section=section) if section else None
    else:
        zones = None
    if zones is None:
        raise NotFound(NO_FRONT)
    return zones


def _image(card):
    """The picture a card shows, as uploaded: a pick's own, else its story's hero."""
    if card.picture is None:
        return None
    pick, article = card.pick, card.article
    if pick is not None and pick.image:
        image, width, height, alt = pick.image, pick.image_width, pick.image_height, pick.image_alt
    elif article is not None and article.hero_image:
        image, width, height = article.hero_image, article.hero_width, article.hero_height
        alt = article.hero_alt
    else:
        return None
    return {"url": absolute_url(image.url), "width": width, "height": height, "alt": alt}


def serialise_card(card):
    article, pick = card.article, card.pick
    # The story's publication time (a live story's card shows its newest entry's time).
    published = article.publish_at if article is not None else card.date
    story = {
        "id": article.pk if article is not None else None,
        "api_url": absolute_url(reverse("api:article", kwargs={"pk": article.pk}))
        if article is not None
        else None,
    }
    return {
        "kind": "link" if card.external else "story",
        **story,
        "headline": card.headline,
        "kicker": card.kicker,
        "url": absolute_url(card.href),
        "excerpt": card.excerpt,
        "image": _image(card),
        "section": section_summary(card.section) if card.section is not None else None,
        "published_at": published.isoformat() if published else None,
        "source": "pick" if pick is not None else "backfill",
        "label": pick.kind if pick is not None and pick.kind else None,
    }


def serialise_zone(shown):
    zone = shown.zone
    return {
        "name": zone.html_name,
        "heading": zone.heading,
        "heading_url": absolute_url(zone.heading_link) if zone.heading_link else None,
        "layout": zone.layout,
        "size": zone.size,
        "items": [serialise_card(card) for card in shown.every_card],
    }


@require_safe
@reads_query("at")
def front_detail(request, name):
    raw = request.GET.get("at", "")
    moment = parse_moment(raw) if raw else timezone.now()
    if moment is None:
        return JsonResponse({"error": BAD_MOMENT}, status=400)
    if raw and not can_publish(request.user):
        return JsonResponse({"error": OTHER_MOMENT}, status=404)
    try:
        zones = front_zones(name)
    except NotFound as exc:
        return JsonResponse({"error": str(exc)}, status=404)
    data = {
        "name": name,
        "at": moment.isoformat(),
        "zones": [serialise_zone(shown) for shown in shown_zones(zones, moment)],
    }
    response = JsonResponse(data)
    if raw:
        # An editor's view of another moment: never kept by a browser, a proxy or a CDN.
        patch_cache_control(response, private=True, no_store=True)
    return response

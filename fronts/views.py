"""The home page and the section pages, when a front is there to draw them (registered with
``articles.front_pages``: the reader views stay where they are, and ask here first)."""

from django.shortcuts import render
from django.utils import timezone

from articles.views import paginate

from .models import Front
from .render import front_of, page_stories, shown_zones


def home_page(request, at=None):
    """The home front at ``at`` (now, for readers); None if there is no home front."""
    zones = front_of(kind=Front.Kind.HOME)
    if zones is None:
        return None
    shown = shown_zones(zones, at or timezone.now())
    context = {"zones": shown, "page_stories": page_stories(shown), "front_at": at}
    return render(request, "fronts/home.html", context)


def section_page(request, section, at=None):
    """A section's front above its newest-first list, on the list's first page only (the later
    pages are the list's); None if the section has no front."""
    if request.GET:
        return None
    zones = front_of(kind=Front.Kind.SECTION, section=section)
    if zones is None:
        return None
    page = paginate(request, section.articles.live(at).for_listing().newest_first())
    shown = shown_zones(zones, at or timezone.now())
    context = {"section": section, "page": page, "zones": shown, "front_at": at}
    return render(request, "fronts/section.html", context)


def page_as_of(request, front, at):
    """The page ``front`` draws, as readers will see it at ``at``: a section's page for a
    section's front; the home page for the home front and for the banner (which shows above
    every page), or the bare page around the banner when there is no home front."""
    if front.kind == Front.Kind.SECTION:
        response = section_page(request, front.section, at)
    else:
        response = home_page(request, at)
    return response or render(request, "fronts/as_of.html", {"front_at": at})

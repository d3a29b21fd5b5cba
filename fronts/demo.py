"""The demo's home front and banner, for ``manage.py load_demo`` (registered with
``articles.demo_steps``): a lead the desk picked, backfilled zones (a tag's, a section's, the
newest), a pick whose window opens later today, and a breaking-news banner that ends in a few
hours. Windows are offsets from the moment the demo is loaded.

Every change goes through ``fronts.services``, so the audit trail records each pick. A front is
curated only while it is as it was made (version 1: no change has gone through the services
since); after that it is the editors', and a second run leaves it alone.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from taggit.models import Tag

from articles.models import Section

from . import services
from .models import Front, Pick, Zone


@dataclass(frozen=True)
class PickData:
    story: str
    headline: str = ""
    kind: str = ""
    starts_in: timedelta | None = None
    ends_in: timedelta | None = None


@dataclass(frozen=True)
class ZoneData:
    heading: str
    layout: str
    size: int
    backfill: str = ""
    section: str = ""
    tag: str = ""
    featured: str = ""
    heading_link: str = ""
    picks: tuple = field(default_factory=tuple)


HOME = [
    ZoneData(
        heading="Top stories",
        layout=Zone.Layout.LEAD_PLUS_TWO,
        size=3,
        backfill=Zone.Backfill.EVERYTHING,
        featured=Zone.Featured.FIRST,
        picks=(PickData(story="vessany-basin-drought-third-year"),),
    ),
    ZoneData(
        heading="More on the climate",
        layout=Zone.Layout.LIST,
        size=3,
        backfill=Zone.Backfill.TAG,
        tag="Climate",
        heading_link="/tags/climate/",
    ),
    ZoneData(
        heading="Business",
        layout=Zone.Layout.GRID,
        size=3,
        backfill=Zone.Backfill.SECTION,
        section="business",
        heading_link="/sections/business/",
    ),
    ZoneData(
        heading="More news",
        layout=Zone.Layout.GRID,
        size=6,
        backfill=Zone.Backfill.EVERYTHING,
        picks=(
            PickData(
                story="harbour-museum-reopens",
                headline="Tonight: the harbour museum opens its doors again",
                starts_in=timedelta(hours=2),
            ),
        ),
    ),
]

BANNER = [
    ZoneData(
        heading="Breaking news",
        layout=Zone.Layout.BANNER,
        size=1,
        picks=(
            PickData(
                story="port-halvard-dockworkers-walk-out",
                headline="Port Halvard: dockworkers walk out, fourteen ships held at anchor",
                kind=Pick.Kind.BREAKING,
                ends_in=timedelta(hours=4),
            ),
        ),
    ),
]


def load_demo_fronts(*, now, stories):
    curated = [
        kind.label
        for kind, zones in ((Front.Kind.HOME, HOME), (Front.Kind.BANNER, BANNER))
        if curate(kind, zones, now=now, stories=stories)
    ]
    if not curated:
        return "Fronts: already curated; left as they are."
    return f"Fronts curated: {', '.join(curated)}."


def curate(kind, zones, *, now, stories):
    front, _ = Front.objects.get_or_create(kind=kind)
    if front.version != 1:
        return False
    # What the data migration drew the home page with gives way to the demo's zones.
    for zone in front.zones.all():
        services.remove_zone(zone=zone, by=None)
    for position, data in enumerate(zones):
        zone = services.save_zone(zone=make_zone(front, position, data), by=None)
        for pick_position, pick in enumerate(data.picks):
            services.save_pick(
                pick=Pick(
                    zone=zone,
                    position=pick_position,
                    target=stories[pick.story],
                    headline=pick.headline,
                    kind=pick.kind,
                    starts_at=now + pick.starts_in if pick.starts_in else None,
                    ends_at=now + pick.ends_in if pick.ends_in else None,
                ),
                by=None,
            )
    return True


def make_zone(front, position, data):
    return Zone(
        front=front,
        position=position,
        heading=data.heading,
        heading_link=data.heading_link,
        layout=data.layout,
        size=data.size,
        backfill=data.backfill,
        backfill_section=Section.objects.get(slug=data.section) if data.section else None,
        backfill_tag=Tag.objects.get(name=data.tag) if data.tag else None,
        featured=data.featured,
    )

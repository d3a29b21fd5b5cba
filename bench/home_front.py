"""The curated home front the benchmark measures (its ``home_curated`` page), and the tests
count: eight zones as a desk would set them, over whatever stories the database holds.

    0  lead and two: two picks (one in a window that is open), then the featured first
    1  grid of the newest: a pick whose window has ended and one whose window opens later
       (neither shows), then backfill
    2-4  a list and two grids, each from a section
    5  a list from a tag
    6  a grid of featured stories only
    7  a list from a section, under an external link

``curated_home`` puts it in place of the home front and, once the block ends, puts back the
front the data migration makes (the benchmark's ``home`` page), so one database serves both.
"""

import contextlib
import importlib
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from articles.models import Article
from fronts.models import Front, Pick, Zone
from newsroom.pagecache import content_changed

YEARS = timedelta(days=3650)
HOUR = timedelta(hours=1)


@transaction.atomic
def build_curated_home(*, sections, tag, now=None):
    """Replace the home front with the curated one: ``sections`` (at least one; reused in turn
    when there are fewer than four) and ``tag`` fill its zones. Returns the new front."""
    now = now or timezone.now()
    Front.objects.filter(kind=Front.Kind.HOME).delete()
    home = Front.objects.create(kind=Front.Kind.HOME)
    desks = [sections[n % len(sections)] for n in range(4)]
    rules = [
        ("Top stories", Zone.Layout.LEAD_PLUS_TWO, 3, {"backfill": "everything", "featured": "first"}),
        ("Latest", Zone.Layout.GRID, 8, {"backfill": "everything"}),
        (desks[0].name, Zone.Layout.LIST, 5, {"backfill": "section", "backfill_section": desks[0]}),
        (desks[1].name, Zone.Layout.GRID, 4, {"backfill": "section", "backfill_section": desks[1]}),
        (desks[2].name, Zone.Layout.GRID, 4, {"backfill": "section", "backfill_section": desks[2]}),
        (f"More on {tag.name}", Zone.Layout.LIST, 5, {"backfill": "tag", "backfill_tag": tag}),
        ("Featured", Zone.Layout.GRID, 4, {"backfill": "everything", "featured": "only"}),
        (desks[3].name, Zone.Layout.LIST, 4, {"backfill": "section", "backfill_section": desks[3]}),
    ]  # fmt: skip
    zones = Zone.objects.bulk_create(
        Zone(front=home, position=n, heading=heading, layout=layout, size=size, **rule)
        for n, (heading, layout, size, rule) in enumerate(rules)
    )
    # Stories a desk would pick: a few of the newest, and one from further down the list.
    live = list(Article.objects.live(now).newest_first().values_list("pk", flat=True)[:40])
    chosen = [live[n % len(live)] for n in (9, 25, 3, 30)] if live else []
    picks = [Pick(zone=zones[7], position=0, url="https://example.org/partner", headline="Partner")]
    if chosen:
        lead, second, ended, upcoming = chosen
        picks += [
            Pick(zone=zones[0], position=0, target_id=lead, headline="The desk's lead"),
            Pick(zone=zones[0], position=1, target_id=second, starts_at=now - HOUR, ends_at=now + YEARS),
            Pick(zone=zones[1], position=0, target_id=ended, ends_at=now - HOUR),
            Pick(zone=zones[1], position=1, target_id=upcoming, starts_at=now + YEARS),
        ]  # fmt: skip
    for pick in picks:
        pick.save()  # its own save: it fills the excerpt's text
    # The zones went in with bulk_create, which sends no signal.
    content_changed()
    return home


@transaction.atomic
def restore_migrated_home():
    """The home front as the data migration makes it: today's automatic home page."""
    Front.objects.filter(kind=Front.Kind.HOME).delete()
    migration = importlib.import_module("fronts.migrations.0002_home_front")
    migration.create_home_front(apps, None)
    content_changed()  # its zones, too, go in with bulk_create


@contextlib.contextmanager
def curated_home(*, sections, tag):
    build_curated_home(sections=sections, tag=tag)
    try:
        yield
    finally:
        restore_migrated_home()

"""The backfill query is compiled once per content generation and run with each request's
moment: it finds exactly what the plain queryset finds, at every moment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fronts import render
from fronts.models import Front, Zone
from newsroom import pagecache
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_the_compiled_backfill_finds_what_the_plain_one_finds_at_every_moment():
    now = timezone.now()
    world, arts = make_section(name="World"), make_section(name="Arts")
    stories = [
        make_article(
            section=(world, arts)[n % 2],
            tags=["Ports"] if n % 3 == 0 else [],
            is_featured=n % 4 == 1,
            publish_at=now - timedelta(minutes=n + 1),
        )
        for n in range(30)
    ]
    scheduled = make_article(section=world, tags=["Ports"], publish_at=now + timedelta(hours=1))
    leaving = make_article(section=arts, is_featured=True, unpublish_at=now + timedelta(hours=2))
    Front.objects.filter(kind="home").delete()
    home = Front.objects.create(kind="home")
    tag = stories[0].tags.get()
    rules = [
        {"backfill": "everything", "featured": "first"},
        {"backfill": "section", "backfill_section": world},
        {"backfill": "tag", "backfill_tag": tag},
        {"backfill": "everything", "featured": "only"},
        {"backfill": "everything"},
    ]
    zones = [
        Zone.objects.create(front=home, position=n, size=3, layout="grid", **rule)
        for n, rule in enumerate(rules)
    ]
    picked = {stories[2].pk}
    render._compiled.clear()

    found = []
    for at in (now, now + timedelta(minutes=90), now + timedelta(hours=3)):
        _, compiled = render.backfill(zones, picked, [], at)
        _, plain = render.plain_backfill(zones, picked, [], at)
        assert [vars(row) for row in compiled] == [vars(row) for row in plain]
        found.append({row.pk for row in compiled})
    assert stories[2].pk not in set().union(*found)
    assert [scheduled.pk in ids for ids in found] == [False, True, True]
    assert [leaving.pk in ids for ids in found] == [True, True, False]

    # One compiled query for the three moments, each put in its place among the parameters.
    (entry,) = render._compiled.values()
    assert entry.moments


def test_a_new_generation_compiles_the_query_again():
    section = make_section()
    make_article(section=section)
    zones = list(Front.objects.get(kind="home").zones.all())
    render._compiled.clear()
    render.backfill(zones, set(), [section], timezone.now())
    render.backfill(zones, set(), [section], timezone.now())
    assert len(render._compiled) == 1
    pagecache.new_generation()
    render.backfill(zones, set(), [section], timezone.now())
    assert len(render._compiled) == 2

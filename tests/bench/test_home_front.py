"""The benchmark's curated home front: eight zones in place of the home front, and the front the
data migration makes put back after, so the benchmark's "home" page stays today's home page."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from bench.home_front import build_curated_home, restore_migrated_home
from fronts.models import Front, Zone
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db


def test_the_curated_front_goes_in_and_the_migrated_one_comes_back(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_CACHE = False
    sections = [make_section(name=f"Desk {n}") for n in range(4)]
    for n in range(60):
        make_article(headline=f"Story {n}", section=sections[n % 4], tags=["Ports"])
    before = client.get(reverse("articles:home")).content

    # Each change starts a new generation once committed: pages see the new front at once.
    with django_capture_on_commit_callbacks(execute=True):
        build_curated_home(sections=sections, tag=Tag.objects.get(slug="ports"))
    zones = Zone.objects.filter(front__kind="home")
    assert zones.count() == 8
    assert set(zones.values_list("backfill", flat=True)) == {"everything", "section", "tag"}
    html = client.get(reverse("articles:home")).content.decode()
    assert "The desk&#x27;s lead" in html and "More on Ports" in html

    with django_capture_on_commit_callbacks(execute=True):
        restore_migrated_home()
    assert Front.objects.get(kind="home").zones.count() == 3
    assert client.get(reverse("articles:home")).content == before

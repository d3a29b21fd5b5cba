"""Fronts by the clock, with the page cache on: a pick's window edge and a story going live
change the pages at that second, with no write; the banner ends on every cached page at once."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fronts.models import Front, Pick, Zone
from tests.cache_checks import hit
from tests.factories import make_article, make_section

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TEN = datetime(2026, 12, 3, 10, 0, tzinfo=LONDON)
SIX_PM = datetime(2026, 12, 3, 18, 0, tzinfo=LONDON)
SECOND = timedelta(seconds=1)
API = "/api/fronts/home/"


def at(moment):
    return time_machine.travel(moment, tick=False)


def home_zone(**kw):
    return Zone.objects.create(front=Front.objects.get(kind="home"), **kw)


def test_a_pick_opening_at_ten_is_absent_at_nine_59_59_and_present_at_ten(client):
    with at(TEN - timedelta(hours=2)):
        make_article(headline="Morning briefing")
        story = make_article(headline="Budget day: what to expect")
        zone = home_zone(heading="Budget", layout="grid", size=1)
        Pick.objects.create(zone=zone, target=story, headline="Budget: the speech", starts_at=TEN)
    pages = ["/", API]
    with at(TEN - 2 * SECOND):
        assert all(b"Budget: the speech" not in client.get(page).content for page in pages)
    with at(TEN - SECOND):
        for page in pages:
            response = client.get(page)
            assert hit(response) and b"Budget: the speech" not in response.content, page
    with at(TEN):
        for page in pages:
            response = client.get(page)
            assert not hit(response), page
            assert b"Budget: the speech" in response.content, page
            assert hit(client.get(page))
    headlines = [
        item["headline"] for zone in client.get(API).json()["zones"] for item in zone["items"]
    ]
    assert "Budget: the speech" in headlines


def test_a_pick_of_a_scheduled_story_appears_when_the_story_goes_live(client):
    with at(TEN - timedelta(hours=1)):
        story = make_article(headline="Embargoed report", publish_at=TEN)
        zone = home_zone(heading="Exclusive", layout="lead", size=1)
        Pick.objects.create(zone=zone, target=story)
        assert b"Embargoed report" not in client.get("/").content
    with at(TEN - SECOND):
        assert b"Embargoed report" not in client.get("/").content
    with at(TEN):
        response = client.get("/")
    assert not hit(response)
    assert b"Embargoed report" in response.content


def test_a_pick_that_ends_leaves_room_for_backfill_at_that_second(client):
    with at(TEN - timedelta(hours=3)):
        newest = make_article(headline="Newest story")
        older = make_article(headline="Older story", publish_at=timezone.now() - timedelta(days=2))
        Zone.objects.all().delete()  # this front's one zone
        zone = home_zone(heading="Pinned", layout="grid", size=1, backfill="everything")
        Pick.objects.create(zone=zone, target=older, ends_at=TEN)
    with at(TEN - SECOND):
        html = client.get("/").content.decode()
        pinned = html[html.index('id="pinned-heading"') :]
        assert pinned.index("Older story") < pinned.index("</section>")
        assert "Newest story" not in pinned[: pinned.index("</section>")]
    with at(TEN):
        html = client.get("/").content.decode()
        pinned = html[html.index('id="pinned-heading"') :]
        assert "Newest story" in pinned[: pinned.index("</section>")]
        assert "Older story" not in html
    assert newest.pk


def banner(**kw):
    front = Front.objects.create(kind=Front.Kind.BANNER)
    zone = Zone.objects.create(front=front, layout="banner", size=1)
    return Pick.objects.create(zone=zone, **kw)


def test_a_banner_ending_at_six_is_gone_from_every_cached_reader_page_at_six(client):
    with at(SIX_PM - timedelta(hours=4)):
        section = make_section(name="Weather")
        story = make_article(headline="Storm Ada", section=section, tags=["Storms"])
        banner(target=story, headline="Storm Ada makes landfall", kind="breaking", ends_at=SIX_PM)
    pages = [
        "/",
        story.get_absolute_url(),
        section.get_absolute_url(),
        reverse("articles:tag", args=["storms"]),
        reverse("articles:corrections"),
        reverse("articles:search") + "?q=storm",
    ]
    with at(SIX_PM - 2 * SECOND):
        for page in pages:
            html = client.get(page).content.decode()
            assert "Storm Ada makes landfall" in html, page
            assert 'class="breaking-news breaking-news--breaking"' in html
    with at(SIX_PM - SECOND):
        assert all(hit(client.get(page)) for page in pages)
    with at(SIX_PM):
        for page in pages:
            response = client.get(page)
            assert not hit(response), page
            assert b"Storm Ada makes landfall" not in response.content, page
            assert b"breaking-news" not in response.content


def test_a_banner_linking_to_a_story_waits_for_the_story(client):
    with at(TEN - timedelta(hours=1)):
        story = make_article(headline="Verdict", publish_at=TEN)
        banner(target=story, headline="Verdict due", kind="developing")
        assert b"Verdict due" not in client.get("/").content
    with at(TEN):
        html = client.get("/").content.decode()
    assert "Verdict due" in html and "breaking-news--developing" in html
    assert ">Developing</strong>" in html


def test_a_section_front_shows_above_its_list_on_the_first_page_only(
    client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PAGE_SIZE = 2
    section = make_section(name="Politics")
    plain = make_section(name="Science")
    stories = [
        make_article(
            headline=f"Politics {n}",
            section=section,
            publish_at=timezone.now() - timedelta(hours=n + 1),
        )
        for n in range(5)
    ]
    before = client.get(plain.get_absolute_url()).content
    with django_capture_on_commit_callbacks(execute=True):
        front = Front.objects.create(kind=Front.Kind.SECTION, section=section)
        zone = Zone.objects.create(front=front, heading="Editor's choice", layout="list", size=1)
        Pick.objects.create(zone=zone, target=stories[4], headline="The long read")
    html = client.get(section.get_absolute_url()).content.decode()
    assert html.index("The long read") < html.index("Latest stories")
    assert 'class="teaser-list"' in html
    cursor = re.search(r'href="(\?before=[^"]+)"', html).group(1)
    later = client.get(section.get_absolute_url() + cursor.replace("&amp;", "&"))
    assert later.status_code == 200
    assert b"The long read" not in later.content and b"Politics 2" in later.content
    # A section without a front is exactly as it was.
    assert client.get(plain.get_absolute_url()).content == before

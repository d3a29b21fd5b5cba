"""The fronts in the JSON API: each zone in order with what it shows now; another moment is for
the editors' desk only; bad input is a 400, an unknown front a 404."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fronts.models import Front, Pick, Zone
from tests.factories import (
    make_article,
    make_editor,
    make_image,
    make_reporter,
    make_section,
    make_user,
)

pytestmark = pytest.mark.django_db

SITE = "https://news.example"


def front_url(name):
    return reverse("fronts_api:front", args=[name])


def get(client, name, **params):
    response = client.get(front_url(name), params)
    assert response["Content-Type"] == "application/json"
    return response


def zone(front, **kw):
    return Zone.objects.create(front=front, **kw)


@pytest.fixture
def desk():
    """A curated home front: a lead pick with a picture and a label, a section list filled from
    its section, and an external link."""
    now = timezone.now()
    world = make_section(name="World", slug="world")
    stories = [
        make_article(
            headline=f"World {n}",
            section=world,
            publish_at=now - timedelta(minutes=n + 1),
            kicker="Analysis" if n == 0 else "",
        )
        for n in range(4)
    ]
    elsewhere = make_article(headline="Elsewhere", publish_at=now - timedelta(minutes=30))
    Front.objects.filter(kind="home").delete()
    home = Front.objects.create(kind="home")
    lead = zone(home, position=0, layout="lead", size=1, heading="Top")
    listed = zone(
        home,
        position=1,
        layout="list",
        size=3,
        heading="World news",
        heading_link="/sections/world/",
        backfill="section",
        backfill_section=world,
    )
    links = zone(home, position=2, layout="grid", size=2, heading="Around the web")
    pick = Pick.objects.create(
        zone=lead,
        target=elsewhere,
        headline="Elsewhere, as the desk puts it",
        kind="breaking",
        image=make_image(size=(64, 36)),
        image_alt="A pier at dawn",
    )
    link = Pick.objects.create(
        zone=links, url="https://partner.example/report", headline="A partner's report"
    )
    return {
        "stories": stories,
        "elsewhere": elsewhere,
        "pick": pick,
        "link": link,
        "zones": (lead, listed, links),
    }


def test_each_zone_in_order_with_its_picks_then_its_backfill(client, desk):
    data = get(client, "home").json()
    assert data["name"] == "home"
    assert [z["heading"] for z in data["zones"]] == ["Top", "World news", "Around the web"]
    top, world, web = data["zones"]
    assert (top["layout"], top["size"], top["heading_url"]) == ("lead", 1, None)
    assert world == {
        "name": "world-news",
        "heading": "World news",
        "heading_url": f"{SITE}/sections/world/",
        "layout": "list",
        "size": 3,
        "items": world["items"],
    }
    story = desk["stories"][0]
    assert world["items"][0] == {
        "kind": "story",
        "id": story.pk,
        "api_url": f"{SITE}/api/articles/{story.pk}/",
        "headline": "World 0",
        "kicker": "Analysis",
        "url": SITE + story.get_absolute_url(),
        "excerpt": story.teaser_excerpt,
        "image": None,
        "section": {"name": "World", "slug": "world", "url": f"{SITE}/sections/world/"},
        "published_at": story.publish_at.isoformat(),
        "source": "backfill",
        "label": None,
    }
    assert [item["headline"] for item in world["items"]] == ["World 0", "World 1", "World 2"]
    assert web["items"] == [
        {
            "kind": "link",
            "id": None,
            "api_url": None,
            "headline": "A partner's report",
            "kicker": "",
            "url": "https://partner.example/report",
            "excerpt": "",
            "image": None,
            "section": None,
            "published_at": None,
            "source": "pick",
            "label": None,
        }
    ]


def test_a_pick_carries_its_overrides_its_picture_and_its_label(client, desk):
    (item,) = get(client, "home").json()["zones"][0]["items"]
    pick = desk["pick"]
    assert item["source"] == "pick"
    assert item["label"] == "breaking"
    assert item["headline"] == "Elsewhere, as the desk puts it"
    assert item["url"] == SITE + desk["elsewhere"].get_absolute_url()
    assert item["image"] == {
        "url": SITE + pick.image.url,
        "width": 64,
        "height": 36,
        "alt": "A pier at dawn",
    }


def test_the_items_are_the_stories_the_page_links_to_in_the_same_order(client, desk):
    html = client.get(reverse("articles:home")).content.decode()
    on_page = [
        SITE + href
        for href in re.findall(r'<h[23] class="teaser__headline[^>]*><a href="(/[^"]+)"', html)
    ]
    zones = get(client, "home").json()["zones"]
    in_api = [item["url"] for z in zones for item in z["items"] if item["kind"] == "story"]
    assert in_api == on_page
    assert len(in_api) == 4


def test_the_migrated_home_front_lists_the_automatic_home_page(client):
    now = timezone.now()
    section = make_section(name="Arts", slug="arts")
    for n in range(3):
        make_article(headline=f"Story {n}", section=section, publish_at=now - timedelta(hours=n))
    zones = get(client, "home").json()["zones"]
    assert [z["layout"] for z in zones] == ["lead", "grid", "section_blocks"]
    assert [item["headline"] for item in zones[0]["items"]] == ["Story 0"]
    assert [item["headline"] for item in zones[1]["items"]] == ["Story 1", "Story 2"]
    assert all(item["source"] == "backfill" for z in zones for item in z["items"])


def test_a_section_front_and_the_banner_by_name(client):
    section = make_section(name="Sport", slug="sport")
    story = make_article(headline="Final tonight", section=section)
    front = Front.objects.create(kind="section", section=section)
    zone(
        front,
        layout="grid",
        size=4,
        heading="In sport",
        backfill="section",
        backfill_section=section,
    )
    banner = Front.objects.create(kind="banner")
    strip = zone(banner, layout="banner", size=1)
    Pick.objects.create(
        zone=strip,
        target=story,
        headline="Live: the final",
        kind="live",
        ends_at=timezone.now() + timedelta(hours=3),
    )

    sport = get(client, "section-sport").json()
    assert sport["name"] == "section-sport"
    assert [item["headline"] for item in sport["zones"][0]["items"]] == ["Final tonight"]
    (shown,) = get(client, "banner").json()["zones"][0]["items"]
    assert (shown["headline"], shown["label"], shown["source"]) == (
        "Live: the final",
        "live",
        "pick",
    )


@pytest.mark.parametrize("name", ["nowhere", "section-nowhere", "section-", "Home", "sections"])
def test_an_unknown_front_is_a_404(client, name):
    make_section(name="Culture", slug="culture")  # a section, but without a front of its own
    response = get(client, name)
    assert response.status_code == 404
    assert response.json() == {"error": "No front has this name."}
    assert get(client, "section-culture").status_code == 404


@pytest.mark.parametrize(
    "value",
    [
        "tomorrow",
        "2026-13-45T10:00:00",
        "2026-11-27T25:00:00Z",
        "0001-01-01T00:00:00+01:00",
        "9999-12-31T23:59:59-01:00",
        "2026-11-27T18:00:00 00:00",  # an unencoded + read as a space
        "1" * 10_000,
    ],
)
def test_a_bad_moment_is_a_400_that_says_what_is_wanted(client, value):
    client.force_login(make_editor())
    response = get(client, "home", at=value)
    assert response.status_code == 400
    assert "ISO 8601" in response.json()["error"]


def test_another_moment_is_for_the_desk_only(client, desk):
    later = (timezone.now() + timedelta(hours=2)).isoformat()
    earlier = (timezone.now() - timedelta(hours=2)).isoformat()
    for user in (None, make_reporter(), make_user(is_staff=True)):
        if user is not None:
            client.force_login(user)
        for moment in (later, earlier):
            response = get(client, "home", at=moment)
            assert response.status_code == 404
            assert response.json() == {
                "error": "A front at another moment than now is for signed-in editors only."
            }
    client.force_login(make_editor())
    assert get(client, "home", at=later).status_code == 200
    assert get(client, "home", at=earlier).status_code == 200


def test_the_desk_sees_the_front_as_it_will_be(client, desk):
    now = timezone.now()
    scheduled = make_article(headline="Budget day", publish_at=now + timedelta(hours=3))
    desk["pick"].position = 1
    desk["pick"].save()
    top = desk["zones"][0]
    Pick.objects.create(zone=top, target=scheduled, position=0, starts_at=now + timedelta(hours=2))
    client.force_login(make_editor())

    at = now + timedelta(hours=4)
    response = get(client, "home", at=at.isoformat())
    assert response.json()["at"] == at.isoformat()
    assert response.json()["zones"][0]["items"][0]["headline"] == "Budget day"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # Now the pick waits for its window and its story: the lead is the other pick.
    assert get(client, "home").json()["zones"][0]["items"][0]["headline"] == (
        "Elsewhere, as the desk puts it"
    )
    # An offset is honoured, and a moment without one is in the site's time zone (London).
    in_utc = at.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"
    assert get(client, "home", at=in_utc).json()["at"] == at.isoformat()
    local = at.astimezone(timezone.get_default_timezone()).replace(tzinfo=None).isoformat()
    assert datetime.fromisoformat(get(client, "home", at=local).json()["at"]) == at


def test_at_an_earlier_moment_the_desk_sees_a_story_taken_down_since(client, desk):
    now = timezone.now()
    make_article(
        headline="Taken down",
        section=desk["stories"][0].section,
        publish_at=now - timedelta(hours=2),
        unpublish_at=now - timedelta(hours=1),
    )
    moment = (now - timedelta(minutes=90)).isoformat()
    client.force_login(make_editor())
    then = get(client, "home", at=moment).json()["zones"][1]["items"]
    assert [item["headline"] for item in then][:1] == ["Taken down"]
    client.logout()
    current = get(client, "home").json()["zones"][1]["items"]
    assert "Taken down" not in [item["headline"] for item in current]


def test_readers_get_a_cached_public_answer_whatever_else_the_query_says(client, settings, desk):
    settings.NEWSROOM_PAGE_CACHE = True
    first = get(client, "home")
    again = client.get(front_url("home"), {"utm_source": "newsletter"})
    assert first.status_code == again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    assert "public" in again["Cache-Control"] and "max-age" in again["Cache-Control"]

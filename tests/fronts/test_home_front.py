"""The home front: with no curation it is exactly the automatic home page; curated, each zone
shows its picks, then its backfill, with a story shown once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import front_pages
from fronts.models import Front, Pick, Zone
from tests.articles.test_structured_data import check_item_list
from tests.factories import make_article, make_image, make_section

# Every page here on both paths of fronts/render.py.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("front_path")]

SITE = "https://news.example"


@pytest.fixture
def uncached(settings):
    settings.NEWSROOM_PAGE_CACHE = False


def newsroom(stories=30):
    """Stories over three sections, newest first by the minute, two of them featured, some with a
    hero, one scheduled and one taken down."""
    now = timezone.now()
    sections = [
        make_section(name=name, position=n) for n, name in enumerate(["World", "Arts", "Sport"])
    ]
    articles = []
    for n in range(stories):
        extra = {"hero_image": make_image(), "hero_alt": "A harbour"} if n % 7 == 0 else {}
        articles.append(
            make_article(
                headline=f"Story {n}",
                section=sections[n % 3] if n % 5 else None,
                publish_at=now - timedelta(minutes=n + 1),
                is_featured=n in (4, 20),
                **extra,
            )
        )
    make_article(headline="Scheduled", publish_at=now + timedelta(hours=1), section=sections[0])
    make_article(headline="Taken down", unpublish_at="past", section=sections[1])
    return articles


def home_html(client):
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    return response.content.decode()


def automatic_home_html(client):
    view = front_pages.view_for("home")
    front_pages.unregister("home")
    try:
        return home_html(client)
    finally:
        front_pages.register("home", view)


@pytest.mark.parametrize("stories", [0, 1, 30])
def test_with_no_curation_the_home_page_is_todays_to_the_byte(client, uncached, stories):
    newsroom(stories)
    curated = home_html(client)
    assert curated == automatic_home_html(client)
    if stories:
        assert 'class="lead-story"' in curated
        assert ("Story 4" if stories > 4 else "Story 0") in curated


def test_a_featured_story_older_than_the_latest_leads_and_the_latest_go_on(client, uncached):
    articles = newsroom(40)
    for article in articles[:20]:
        article.is_featured = False
        article.save()
    # The newest featured story is now the 21st: it leads, and the twelve newest follow.
    html = home_html(client)
    assert html == automatic_home_html(client)
    assert html.index(">Story 20<") < html.index(">Story 0<") < html.index(">Story 11<")
    assert "teaser--lead" in html[html.index(">Story 20<") - 600 : html.index(">Story 20<")]


def zone(front, **kw):
    return Zone.objects.create(front=front, **kw)


def test_picks_show_first_in_order_and_are_never_removed_backfill_never_repeats(client, uncached):
    articles = newsroom(12)
    Front.objects.filter(kind="home").delete()
    home = Front.objects.create(kind="home")
    lead = zone(
        home, position=0, layout="lead_plus_2", size=3, heading="Top", backfill="everything"
    )
    more = zone(home, position=1, layout="grid", size=4, heading="More", backfill="everything")
    # The lead zone: story 9, then story 2 (picked again below, on purpose), then backfill.
    Pick.objects.create(zone=lead, target=articles[9], position=0)
    Pick.objects.create(zone=more, target=articles[2], position=0)
    Pick.objects.create(zone=more, target=articles[2], position=1, headline="Again, on purpose")
    html = home_html(client)
    order = [f"Story {n}<" for n in (9, 0)]
    assert html.index(order[0]) < html.index(order[1])
    # Story 2 is picked twice: it shows twice (once with its own headline), and never as backfill.
    assert html.count(">Story 2<") == 1 and html.count("Again, on purpose") == 1
    # Backfill: the lead zone took 0 and 1 after its pick; "More", two picks, then 3 and 4 (2 is
    # picked, so no backfill takes it).
    shown = [n for n in range(12) if f">Story {n}<" in html]
    assert shown == [0, 1, 2, 3, 4, 9]
    for n in (0, 1, 3, 4):
        assert html.count(f">Story {n}<") == 1


def test_the_curated_home_lists_its_stories_once_each_in_page_order(client, uncached):
    articles = newsroom(12)
    Front.objects.filter(kind="home").delete()
    home = Front.objects.create(kind="home")
    lead = zone(home, position=0, layout="lead", size=1)
    links = zone(home, position=1, layout="list", size=3, heading="Picked")
    zone(home, position=2, layout="grid", size=4, heading="More", backfill="everything")
    Pick.objects.create(zone=lead, target=articles[7])
    Pick.objects.create(zone=links, url="https://partner.example/", headline="Elsewhere")
    Pick.objects.create(zone=links, target=articles[7], headline="Again, on purpose")
    Pick.objects.create(zone=links, target=articles[3])

    response = client.get(reverse("articles:home"))

    urls = check_item_list(response)
    expected = [articles[n] for n in (7, 3, 0, 1, 2, 4)]
    assert urls == [SITE + article.get_absolute_url() for article in expected]

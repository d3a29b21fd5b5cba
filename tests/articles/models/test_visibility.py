"""The one visibility rule, cell by cell, on the querysets, the model and every public page."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from articles.models import Article, RelatedTeaser
from tests.factories import (
    make_article,
    make_author,
    make_editor,
    make_section,
    make_teaser,
    make_user,
)

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
PUBLISH_AT = {"none": None, "past": NOW - timedelta(days=2), "future": NOW + timedelta(days=2)}
UNPUBLISH_AT = {"none": None, "past": NOW - timedelta(days=1), "future": NOW + timedelta(days=3)}
Status = Article.Status


def _allowed(status, publish, unpublish):
    """The cells the database constraints let exist."""
    if status == Status.PUBLISHED and publish == "none":
        return False
    if unpublish != "none":
        return publish != "none" and UNPUBLISH_AT[unpublish] > PUBLISH_AT[publish]
    return True


CELLS = [
    (status, publish, unpublish)
    for status in Status.values
    for publish in PUBLISH_AT
    for unpublish in UNPUBLISH_AT
    if _allowed(status, publish, unpublish)
]


def _expected(status, publish, unpublish):
    published = status == Status.PUBLISHED
    return {
        "live": published and publish == "past" and unpublish != "past",
        "scheduled": published and publish == "future",
        "expired": published and unpublish == "past",
        "draft": status in {Status.DRAFT, Status.IN_REVIEW},
    }


def _cell_id(cell):
    return "-".join(cell)


LIVE_CELLS = [cell for cell in CELLS if _expected(*cell)["live"]]
HIDDEN_CELLS = [cell for cell in CELLS if not _expected(*cell)["live"]]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def newsroom(db, frozen):
    """A world to look for the subject story in: its section, tag and author, and a live story
    elsewhere that carries a teaser pointing at it."""
    section = make_section(name="Harbour", slug="harbour")
    author = make_author(name="Ada Reyes", slug="ada-reyes")
    host = make_article(
        headline="Host story",
        slug="host-story",
        section=make_section(name="Elsewhere", slug="elsewhere"),
        publish_at=NOW - timedelta(days=5),
    )
    return {"section": section, "author": author, "host": host}


def _subject(newsroom, status, publish, unpublish):
    subject = make_article(
        headline="Subject story",
        slug="subject-story",
        status=status,
        publish_at=PUBLISH_AT[publish],
        unpublish_at=UNPUBLISH_AT[unpublish],
        section=newsroom["section"],
        tags=["Harbour works"],
        authors=[newsroom["author"]],
    )
    make_teaser(article=newsroom["host"], target=subject)
    return subject


def test_the_grid_covers_every_cell_the_constraints_allow():
    assert len(CELLS) == 23
    assert len(LIVE_CELLS) == 2


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
def test_queryset_and_model_agree_with_the_rule(newsroom, cell):
    subject = _subject(newsroom, *cell)
    expected = _expected(*cell)
    objects = Article.objects.exclude(pk=newsroom["host"].pk)

    assert subject.is_live() is expected["live"]
    assert subject.is_live(NOW) is expected["live"]
    assert objects.live().exists() is expected["live"]
    assert objects.live(NOW).exists() is expected["live"]
    assert objects.scheduled().exists() is expected["scheduled"]
    assert objects.expired().exists() is expected["expired"]
    assert objects.drafts().exists() is expected["draft"]
    assert RelatedTeaser.objects.showing().filter(target=subject).exists() is expected["live"]


@pytest.mark.parametrize("cell", CELLS, ids=_cell_id)
@pytest.mark.usefixtures("story_path")
def test_every_public_page_agrees_with_the_rule(client, newsroom, cell):
    subject = _subject(newsroom, *cell)
    live = _expected(*cell)["live"]
    href = subject.get_absolute_url()

    assert client.get(href).status_code == (200 if live else 404)
    listings = {
        "home": reverse("articles:home"),
        "section": newsroom["section"].get_absolute_url(),
        "tag": reverse("articles:tag", kwargs={"slug": "harbour-works"}),
        "author": newsroom["author"].get_absolute_url(),
        "teaser on another story": newsroom["host"].get_absolute_url(),
    }
    for page, url in listings.items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = response.content.decode()
        assert (href in content) is live, page
        assert ("Subject story" in content) is live, page


@pytest.mark.parametrize("cell", HIDDEN_CELLS, ids=_cell_id)
@pytest.mark.usefixtures("story_path")
def test_editors_can_open_a_story_readers_cannot(client, newsroom, cell):
    subject = _subject(newsroom, *cell)
    client.force_login(make_editor())

    response = client.get(subject.get_absolute_url())

    assert response.status_code == 200
    assert "Subject story" in response.content.decode()
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex' in response.content.decode()


@pytest.mark.parametrize(
    "user_kw",
    [
        pytest.param({"is_staff": True}, id="staff-without-permission"),
        pytest.param({"permissions": ["articles.view_article"]}, id="permission-without-staff"),
        pytest.param(
            {"is_staff": True, "is_active": False, "permissions": ["articles.view_article"]},
            id="inactive-staff",
        ),
    ],
)
def test_non_live_story_is_404_for_users_without_the_right(client, newsroom, user_kw):
    subject = _subject(newsroom, Status.DRAFT, "none", "none")
    client.force_login(make_user(password=None, **user_kw))

    assert client.get(subject.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("cell", HIDDEN_CELLS, ids=_cell_id)
def test_anonymous_reader_gets_404_for_a_non_live_story(client, newsroom, cell):
    subject = _subject(newsroom, *cell)

    response = client.get(subject.get_absolute_url())

    assert response.status_code == 404
    assert "Subject story" not in response.content.decode()


def test_live_story_is_not_marked_private_or_noindex(client, newsroom):
    subject = _subject(newsroom, Status.PUBLISHED, "past", "none")

    response = client.get(subject.get_absolute_url())

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()


def test_the_edges_of_the_window_publish_at_is_inclusive_unpublish_at_exclusive(newsroom):
    at_publish = make_article(publish_at=NOW, unpublish_at=NOW + timedelta(hours=1))
    at_unpublish = make_article(publish_at=NOW - timedelta(hours=1), unpublish_at=NOW)

    assert at_publish.is_live() is True
    assert at_unpublish.is_live() is False
    assert set(Article.objects.live()) == {newsroom["host"], at_publish}
    assert set(Article.objects.expired()) == {at_unpublish}
    assert not Article.objects.scheduled().exists()


def test_a_scheduled_story_appears_and_disappears_on_time_without_a_job(client, newsroom, frozen):
    subject = make_article(
        headline="Subject story",
        publish_at=NOW + timedelta(hours=1),
        unpublish_at=NOW + timedelta(hours=2),
        section=newsroom["section"],
    )
    section_url = newsroom["section"].get_absolute_url()

    assert client.get(subject.get_absolute_url()).status_code == 404
    assert "Subject story" not in client.get(section_url).content.decode()

    frozen.move_to(NOW + timedelta(hours=1))
    assert client.get(subject.get_absolute_url()).status_code == 200
    assert "Subject story" in client.get(section_url).content.decode()
    assert Article.objects.scheduled().count() == 0

    frozen.move_to(NOW + timedelta(hours=2))
    assert client.get(subject.get_absolute_url()).status_code == 404
    assert "Subject story" not in client.get(section_url).content.decode()
    assert list(Article.objects.expired()) == [subject]


def test_live_at_asks_about_another_moment(newsroom):
    subject = make_article(publish_at=NOW + timedelta(days=1), unpublish_at=NOW + timedelta(days=2))

    assert not subject.is_live()
    assert subject.is_live(NOW + timedelta(days=1, hours=1))
    assert Article.objects.live(NOW + timedelta(days=1, hours=1)).filter(pk=subject.pk).exists()
    assert not Article.objects.live(NOW + timedelta(days=2)).filter(pk=subject.pk).exists()


@pytest.mark.parametrize(
    ("starts", "ends", "shown"),
    [
        (None, None, True),
        (NOW - timedelta(hours=1), None, True),
        (NOW + timedelta(hours=1), None, False),
        (None, NOW + timedelta(hours=1), True),
        (None, NOW - timedelta(hours=1), False),
        (NOW, NOW + timedelta(hours=1), True),
        (NOW - timedelta(hours=1), NOW, False),
    ],
)
@pytest.mark.usefixtures("story_path")
def test_a_teaser_shows_only_inside_its_window(client, newsroom, starts, ends, shown):
    target = make_article(headline="Teased story", publish_at=NOW - timedelta(days=1))
    make_teaser(article=newsroom["host"], target=target, starts_at=starts, ends_at=ends)

    content = client.get(newsroom["host"].get_absolute_url()).content.decode()

    assert ("Teased story" in content) is shown
    assert RelatedTeaser.objects.showing().exists() is shown

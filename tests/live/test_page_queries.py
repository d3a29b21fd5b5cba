"""A live story's page costs the same queries at 10 entries as at 10,000: the story, its
bylines, its related strip (curated teasers, then the fill) and one query for the pinned entry,
the key events, the page of entries and the newest entries, on the first page and deep in the
stream alike."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from live.models import Entry
from live.stream import PAGE_SIZE
from tests.live.bulk import delete_stories, long_story

PAGE_QUERIES = 5


@pytest.fixture(scope="module")
def stories(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        built = {"10": long_story(10, headline="Short coverage"), "10000": long_story(10_000)}
    yield built
    with django_db_blocker.unblock():
        delete_stories(*built.values())


@pytest.fixture(params=["fast", "plain"])
def story_path(request, settings):
    settings.NEWSROOM_STORY_FAST_PATH = request.param == "fast"
    return request.param


def page_queries(client, url):
    client.get(reverse("articles:corrections"))  # the generation and the section list
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    assert response.headers.get("X-Page-Cache") != "hit"
    return response, captured.captured_queries


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["10", "10000"])
def test_the_page_costs_five_queries_whatever_the_number_of_entries(
    client, stories, size, story_path
):
    story = stories[size]
    response, queries = page_queries(client, story.get_absolute_url())
    assert len(queries) <= PAGE_QUERIES, [query["sql"] for query in queries]
    stream = [query for query in queries if "live_entry" in query["sql"]]
    assert len(stream) == 1
    html = response.content.decode()
    assert html.count("data-entry=") == min(PAGE_SIZE, int(size)) + 1  # and the pinned copy
    assert "Key events" in html


@pytest.mark.django_db
def test_a_page_deep_in_10000_entries_costs_the_same(client, stories, story_path):
    story = stories["10000"]
    middle = Entry.objects.filter(article=story).order_by("publish_at")[5_000]
    url = f"{story.get_absolute_url()}?before={middle.pk}"
    response, queries = page_queries(client, url)
    assert len(queries) <= PAGE_QUERIES
    html = response.content.decode()
    assert f"Update {middle.body_text[7:-1]}" not in html.split('id="live-stream"')[1]
    assert f"Update {int(middle.body_text[7:-1]) - 1}." in html
    assert "Older updates" in html

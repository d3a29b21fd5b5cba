"""The live story's reader page: the story page with its pinned entry, key events and the stream,
paged by keyset (``?before=<entry id>``), and each entry's permalink."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from articles.models import Article
from live import stream as live_stream
from tests.factories import make_article, make_author, make_entry, make_live_story
from tests.htmltree import parse

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def stream_of(html):
    return parse(html).one("section", id="live-stream")


def entry_ids(html):
    return [int(node.attrs["data-entry"]) for node in stream_of(html).find_all("article")]


@pytest.fixture
def story():
    with at(NOON - timedelta(hours=3)):
        return make_live_story(headline="Storm crosses the coast", dek="Updates as it happens.")


def post(story, minutes_ago, **kw):
    with at(NOON - timedelta(minutes=minutes_ago)):
        return make_entry(article=story, **kw)


def test_the_page_keeps_the_story_and_adds_the_stream_newest_first(client, story):
    old = post(story, 30, headline="Winds reach 100km/h")
    new = post(story, 5, body="Power is out in the harbour district.")
    with at(NOON):
        response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Storm crosses the coast" in html and "Updates as it happens." in html
    assert entry_ids(html) == [new.pk, old.pk]
    stream = stream_of(html)
    assert stream.attrs["data-after"] == str(new.pk)
    assert stream.attrs["data-ended"] == "false"
    assert stream.attrs["data-poll-seconds"] == "15"
    first = next(child for child in stream.children if not isinstance(child, str))
    assert first.attrs == {"class": "live-stream__new", "aria-live": "polite"}
    assert "js/live-updates" in html


def test_pinned_entry_comes_first_and_key_events_link_to_their_anchors(client, story):
    key = post(story, 40, headline="Evacuation ordered", is_key_event=True)
    pinned = post(story, 50, headline="What we know so far", is_pinned=True)
    plain = post(story, 10)
    with at(NOON):
        tree = parse(client.get(story.get_absolute_url()).content)
    assert tree.one("div", class_="live-pinned").one("article").attrs["id"] == (
        f"pinned-{pinned.anchor}"
    )
    stream = tree.one("section", id="live-stream")
    assert [node.attrs["id"] for node in stream.find_all("article")] == [
        plain.anchor,
        key.anchor,
        pinned.anchor,
    ]
    nav = tree.one("nav", class_="key-events")
    links = nav.find_all("a")
    assert [link.attrs["href"] for link in links] == [f"#{key.anchor}"]
    assert "Evacuation ordered" in links[0].clean_text
    # The page's order: pinned, key events, then the stream.
    order = [
        node for node in tree.iter() if node.attrs.get("class") in {"live-pinned", "key-events"}
    ]
    assert [node.attrs["class"] for node in order] == ["live-pinned", "key-events"]


def test_a_scheduled_pinned_entry_is_not_shown_before_its_time(client, story):
    post(story, 10)
    with at(NOON - timedelta(hours=1)):
        make_entry(article=story, headline="Embargoed statement", is_pinned=True, publish_at=NOON)
    with at(NOON - timedelta(seconds=1)):
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Embargoed statement" not in html and "live-pinned" not in html
    with at(NOON):
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Embargoed statement" in html and "live-pinned" in html


def test_key_events_list_is_bounded_to_the_newest(client, story, monkeypatch):
    monkeypatch.setattr(live_stream, "KEY_EVENTS", 2)
    keys = [post(story, 50 - n, headline=f"Key {n}", is_key_event=True) for n in range(4)]
    with at(NOON):
        nav = parse(client.get(story.get_absolute_url()).content).one("nav", class_="key-events")
    assert [link.attrs["href"] for link in nav.find_all("a")] == [
        f"#{keys[3].anchor}",
        f"#{keys[2].anchor}",
    ]


@pytest.fixture
def pages(story, monkeypatch):
    """Seven entries, three to a page: [6 5 4] [3 2 1] [0]; two share one second."""
    monkeypatch.setattr(live_stream, "PAGE_SIZE", 3)
    entries = [post(story, 70 - 10 * n) for n in range(6)]
    with at(NOON - timedelta(minutes=20)):  # the same second as entries[5]
        entries.append(make_entry(article=story))
    return entries


def older_link(html):
    nav = parse(html).find("nav", class_="live-pages")
    return nav.one("a").attrs["href"] if nav else None


def test_older_links_walk_the_stream_by_keyset_to_its_end(client, story, pages):
    url = story.get_absolute_url()
    seen = []
    with at(NOON):
        response = client.get(url)
        while True:
            assert response.status_code == 200
            seen.append(entry_ids(response.content))
            link = older_link(response.content)
            if link is None:
                break
            assert link.startswith("?before=")
            response = client.get(url + link)
    newest_first = [entry.pk for entry in reversed(pages)]
    # Entries 5 and 6 share a second: the id breaks the tie, newest first.
    assert seen == [newest_first[:3], newest_first[3:6], newest_first[6:]]
    # An older page does not poll for new entries and links back to the newest.
    with at(NOON):
        html = client.get(f"{url}?before={newest_first[2]}").content.decode()
    assert stream_of(html).attrs["data-updates-url"] == ""
    assert "Newest updates" in html


@pytest.mark.parametrize("cursor", ["abc", "-1", "0", "1.5", "９", "9" * 19, "99999999"])
def test_a_bad_or_unknown_cursor_is_a_404(client, story, pages, cursor):
    with at(NOON):
        response = client.get(story.get_absolute_url(), {"before": cursor})
    assert response.status_code == 404


def test_a_scheduled_or_other_storys_entry_is_no_cursor(client, story, pages):
    other = make_live_story(headline="Another storm")
    foreign = make_entry(article=other)
    with at(NOON - timedelta(hours=1)):
        scheduled = make_entry(article=story, publish_at=NOON + timedelta(hours=1))
    with at(NOON):
        for entry in (foreign, scheduled):
            response = client.get(story.get_absolute_url(), {"before": entry.pk})
            assert response.status_code == 404


def test_a_plain_story_with_a_cursor_goes_to_its_own_address_and_is_not_cached(client):
    plain = make_article(headline="Council meets")
    response = client.get(plain.get_absolute_url(), {"before": "12"})
    assert response.status_code == 302 and response["Location"] == plain.get_absolute_url()
    response = client.get(plain.get_absolute_url(), {"before": "x" * 500})
    assert response.status_code == 302
    first = client.get(plain.get_absolute_url())
    assert first.status_code == 200 and first.headers.get("X-Page-Cache") != "hit"


def permalink(entry):
    return f"{entry.article.get_absolute_url()}entries/{entry.pk}/"


def test_permalinks_go_to_the_page_and_anchor_that_hold_the_entry(client, story, pages):
    url = story.get_absolute_url()
    newest_first = list(reversed(pages))
    with at(NOON):
        for place, entry in enumerate(newest_first):
            response = client.get(permalink(entry))
            assert response.status_code == 302
            page = place // 3
            cursor = "" if page == 0 else f"?before={newest_first[page * 3 - 1].pk}"
            assert response["Location"] == f"{url}{cursor}#{entry.anchor}"
            # ... and that page holds it: the walk of the Older links lands there too.
            target = client.get(response["Location"].split("#")[0])
            assert entry.pk in entry_ids(target.content)


def test_a_permalink_of_an_unknown_scheduled_or_other_storys_entry_is_a_404(client, story):
    other = make_live_story(headline="Another storm")
    foreign = make_entry(article=other)
    with at(NOON - timedelta(hours=1)):
        scheduled = make_entry(article=story, publish_at=NOON + timedelta(hours=1))
    plain = make_article(headline="Council meets")
    with at(NOON):
        assert client.get(permalink(scheduled)).status_code == 404
        wrong_story = f"{story.get_absolute_url()}entries/{foreign.pk}/"
        assert client.get(wrong_story).status_code == 404
        assert client.get(f"{story.get_absolute_url()}entries/{10**30}/").status_code == 404
        assert client.get(f"{plain.get_absolute_url()}entries/{foreign.pk}/").status_code == 404


def test_a_permalink_of_an_unpublished_story_is_a_404(client):
    draft = make_live_story(status=Article.Status.DRAFT)
    entry = make_entry(article=draft)
    assert client.get(permalink(entry)).status_code == 404


def test_ended_coverage_says_so_and_stops_the_poll(client, story):
    from live.services import end_coverage

    post(story, 10)
    with at(NOON):
        end_coverage(article=story, by=None)
        html = client.get(story.get_absolute_url()).content.decode()
    assert stream_of(html).attrs["data-ended"] == "true"
    assert "Live coverage ended" in html


def test_the_story_poll_interval_overrides_the_site_setting(client, settings):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 20
    story = make_live_story(poll_seconds=120)
    assert stream_of(client.get(story.get_absolute_url()).content).attrs["data-poll-seconds"] == (
        "120"
    )
    story = make_live_story(headline="Second")
    assert stream_of(client.get(story.get_absolute_url()).content).attrs["data-poll-seconds"] == (
        "20"
    )


def test_an_entrys_author_picture_and_correction_note_show(client, story):
    author = make_author(name="Ana Ferreira")
    post(story, 5, author=author, correction_note="An earlier version gave the wrong street.")
    with at(NOON):
        html = client.get(story.get_absolute_url()).content.decode()
    assert "Ana Ferreira" in html and "the wrong street" in html

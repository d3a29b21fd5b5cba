"""The updates fragment a live story's open page polls: which entries it carries, what it tells
the page's script, and that the page cache keeps it exact (0 queries on a hit, ETag and 304, a
scheduled entry at its time, an ended coverage at once)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import RequestFactory

from articles.models import Article
from live import updates
from live.models import Entry
from live.presentation import updates_path
from live.services import end_coverage, remove_entry, save_entry
from newsroom import pagecache
from tests.cache_checks import hit
from tests.factories import make_article, make_entry, make_live_story

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as if its transaction committed, so that the page cache sees it."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def ask(client, story, after=None, **headers):
    query = {} if after is None else {"after": after}
    return client.get(updates_path(story), query, **headers)


def root(response):
    """The fragment's root element's data attributes."""
    tag = re.match(r'\s*<div class="live-updates"([^>]*)>', response.content.decode())
    assert tag, response.content[:200]
    return dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag.group(1)))


def shown(response):
    """The entries the fragment carries, in its order."""
    return [
        int(pk) for pk in re.findall(r'<article [^>]*data-entry="(\d+)"', response.content.decode())
    ]


def test_the_fragment_carries_the_newer_entries_newest_first_drawn_as_on_the_page(client):
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        first = make_entry(article=story, publish_at=NOON - timedelta(minutes=30))
        second = make_entry(
            article=story,
            headline="Ferry <b>resumes</b>",
            body="The *first* crossing left at noon.",
            is_key_event=True,
            publish_at=NOON - timedelta(minutes=20),
        )
        third = make_entry(article=story, publish_at=NOON - timedelta(minutes=10))
        response = ask(client, story, first.pk)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["X-Robots-Tag"] == "noindex"
    assert shown(response) == [third.pk, second.pk]
    assert root(response) == {
        "count": "2",
        "newest": str(third.pk),
        "poll-seconds": "15",
        "ended": "false",
        "more": "false",
    }
    html = response.content.decode()
    assert f'id="{second.anchor}"' in html and "entry--key" in html
    assert "<em>first</em>" in html and "Ferry &lt;b&gt;resumes&lt;/b&gt;" in html


def test_no_after_and_after_zero_give_the_newest_entries_and_nothing_new_says_so(client):
    story = make_live_story()
    older = make_entry(article=story, publish_at=NOON - timedelta(minutes=5))
    newest = make_entry(article=story, publish_at=NOON)
    with at(NOON + timedelta(minutes=1)):
        assert shown(ask(client, story)) == [newest.pk, older.pk]
        assert shown(ask(client, story, 0)) == [newest.pk, older.pk]
        nothing = ask(client, story, newest.pk)
    assert shown(nothing) == []
    assert root(nothing)["count"] == "0"
    # The script keeps asking after the entry it has.
    assert root(nothing)["newest"] == str(newest.pk)


def test_keyset_follows_publish_time_then_id_with_equal_times(client):
    same = NOON - timedelta(minutes=5)
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        a = make_entry(article=story, publish_at=same)
        b = make_entry(article=story, publish_at=same)
        c = make_entry(article=story, publish_at=same)
        # A later id but an earlier time: behind b in the stream, so not newer than it.
        back_dated = make_entry(article=story, publish_at=same - timedelta(minutes=5))
        later = make_entry(article=story, publish_at=NOON - timedelta(minutes=1))
        assert shown(ask(client, story, b.pk)) == [later.pk, c.pk]
        assert shown(ask(client, story, a.pk)) == [later.pk, c.pk, b.pk]
        assert shown(ask(client, story, c.pk)) == [later.pk]
        assert shown(ask(client, story, back_dated.pk)) == [later.pk, c.pk, b.pk, a.pk]


def test_an_after_that_is_no_public_entry_of_the_story_asks_from_the_start(client):
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        other = make_live_story(publish_at=NOON - timedelta(hours=3))
        kept = make_entry(article=story, publish_at=NOON - timedelta(minutes=9))
        removed = make_entry(article=story, publish_at=NOON - timedelta(minutes=8))
        scheduled = make_entry(article=story, publish_at=NOON + timedelta(hours=1))
        elsewhere = make_entry(article=other, publish_at=NOON - timedelta(minutes=1))
        remove_entry(entry=removed, by=None)
        start = ask(client, story, 0)
        for after in (removed.pk, scheduled.pk, elsewhere.pk, 10**12):
            response = ask(client, story, after)
            assert shown(response) == [kept.pk], after
            # A scheduled entry's id tells nothing: the answer is the one for an unknown id.
            assert response.content == start.content
    assert scheduled.pk not in shown(start)


def test_past_the_most_one_fragment_carries_it_says_more(client, monkeypatch):
    monkeypatch.setattr(updates, "MOST", 3)
    story = make_live_story()
    with at(NOON):
        entries = [
            make_entry(article=story, publish_at=NOON - timedelta(minutes=n)) for n in range(5)
        ]
        response = ask(client, story, 0)
    assert shown(response) == [entry.pk for entry in entries[:3]]
    assert root(response)["more"] == "true"
    assert root(response)["newest"] == str(entries[0].pk)


def test_a_hit_costs_no_query_and_a_miss_three(client, django_assert_num_queries):
    story = make_live_story()
    first = make_entry(article=story)
    make_entry(article=story)
    pagecache.current_generation()  # made by whichever request comes first, once
    with django_assert_num_queries(3):
        miss = ask(client, story, first.pk)
    assert not hit(miss)
    with django_assert_num_queries(0):
        again = ask(client, story, first.pk)
    assert hit(again) and again.content == miss.content
    # A made-up parameter names the same page.
    with django_assert_num_queries(0):
        assert hit(client.get(updates_path(story), {"after": first.pk, "utm_source": "x"}))


def test_etag_and_304(client):
    story = make_live_story()
    first = make_entry(article=story)
    made = ask(client, story, first.pk)
    etag = made["ETag"]
    assert etag
    assert ask(client, story, first.pk, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert ask(client, story, first.pk, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_a_new_entry_is_in_the_fragment_at_once_and_the_old_etag_no_longer_matches(
    client, committed
):
    story = make_live_story()
    first = make_entry(article=story)
    etag = ask(client, story, first.pk)["ETag"]
    assert hit(ask(client, story, first.pk))
    posted = committed(lambda: make_entry(article=story))
    response = ask(client, story, first.pk, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and not hit(response)
    assert shown(response) == [posted.pk]


def test_an_edit_and_a_removal_are_seen_at_once(client, committed):
    story = make_live_story()
    first = make_entry(article=story)
    second = make_entry(article=story, body="Ferries are cancelled.")
    assert b"Ferries are cancelled." in ask(client, story, first.pk).content

    def edit():
        second.body = "Ferries run to a reduced timetable."
        save_entry(entry=second, by=None, base_version=second.version)

    committed(edit)
    assert b"reduced timetable" in ask(client, story, first.pk).content
    committed(lambda: remove_entry(entry=Entry.objects.get(pk=second.pk), by=None))
    assert shown(ask(client, story, first.pk)) == []


def test_a_scheduled_entry_comes_out_at_its_time_with_the_page_cache_on(client, settings):
    settings.NEWSROOM_HTTP_S_MAXAGE = 3600
    out_at = NOON + timedelta(minutes=7)
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        first = make_entry(article=story, publish_at=NOON - timedelta(minutes=2))
        scheduled = make_entry(article=story, body="The minister arrives.", publish_at=out_at)
        before = ask(client, story, first.pk)
        assert shown(before) == []
        # No copy outlives the entry's time: not the server's, not a CDN's.
        assert "s-maxage=420" in before["Cache-Control"]
        key = pagecache.page_key(
            RequestFactory().get(updates_path(story)),
            pagecache.current_generation(),
            f"after={first.pk}",
        )
        assert pagecache.cache.get(key).expires == out_at.timestamp()
    with at(out_at - timedelta(seconds=1)):
        almost = ask(client, story, first.pk)
        assert hit(almost) and shown(almost) == []
    with at(out_at):
        response = ask(client, story, first.pk)
    assert not hit(response)
    assert shown(response) == [scheduled.pk]
    assert root(response)["newest"] == str(scheduled.pk)


def test_ending_the_coverage_tells_the_script_to_stop_at_once(client, committed):
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        first = make_entry(article=story, publish_at=NOON - timedelta(minutes=2))
        assert root(ask(client, story, first.pk))["ended"] == "false"
        assert hit(ask(client, story, first.pk))
    with at(NOON + timedelta(minutes=5)):
        committed(lambda: end_coverage(article=story, by=None))
        response = ask(client, story, first.pk)
    assert not hit(response)
    assert root(response)["ended"] == "true"


def test_the_poll_interval_is_the_setting_unless_the_story_overrides_it(
    client, settings, committed
):
    settings.NEWSROOM_LIVE_POLL_SECONDS = 42
    story = make_live_story()
    first = make_entry(article=story)
    assert root(ask(client, story, first.pk))["poll-seconds"] == "42"

    def raise_it():
        story.poll_seconds = 120
        story.save(update_fields=["poll_seconds"])

    # The kill switch: an editor's raise reaches every open page at its next ask.
    committed(raise_it)
    assert root(ask(client, story, first.pk))["poll-seconds"] == "120"


def test_the_setting_comes_from_the_environment(monkeypatch):
    import importlib

    from newsroom import settings as module

    monkeypatch.setenv("NEWSROOM_LIVE_POLL_SECONDS", "30")
    try:
        assert importlib.reload(module).NEWSROOM_LIVE_POLL_SECONDS == 30
        monkeypatch.delenv("NEWSROOM_LIVE_POLL_SECONDS")
        assert importlib.reload(module).NEWSROOM_LIVE_POLL_SECONDS == 15
    finally:
        importlib.reload(module)


@pytest.mark.parametrize(
    "after",
    ["abc", "-1", "1.5", "1e3", "0x1f", "+1", " 1", "٣", "²", "9223372036854775808", "9" * 40],
)
def test_an_after_that_is_no_id_is_a_404(client, after):
    story = make_live_story()
    make_entry(article=story)
    assert ask(client, story, after).status_code == 404


def test_only_a_published_coverage_story_at_its_own_address_answers(client):
    plain = make_article()
    assert client.get(updates_path(plain)).status_code == 404
    draft = make_live_story(status=Article.Status.DRAFT)
    assert client.get(updates_path(draft)).status_code == 404
    scheduled = make_live_story(publish_at="future")
    assert client.get(updates_path(scheduled)).status_code == 404
    expired = make_live_story(unpublish_at="past")
    assert client.get(updates_path(expired)).status_code == 404
    story = make_live_story()
    wrong_day = updates_path(story).replace(f"/{story.url_date:%Y}/", "/1999/")
    assert client.get(wrong_day).status_code == 404
    ended = make_live_story(coverage=Article.Coverage.ENDED)
    response = client.get(updates_path(ended))
    assert response.status_code == 200 and root(response)["ended"] == "true"


def test_the_fragment_is_a_reader_view_answering_get_and_head_only(client):
    story = make_live_story()
    make_entry(article=story)
    assert client.head(updates_path(story)).status_code == 200
    assert client.post(updates_path(story)).status_code == 405

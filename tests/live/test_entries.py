"""Entries and the story's entry times: what a listing shows as a live story's updated time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction

from live.models import Entry
from live.services import end_coverage, remove_entry, save_entry
from newsroom import pagecache
from tests.factories import make_entry, make_live_story

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def at(moment):
    return time_machine.travel(moment, tick=False)


def test_a_listing_shows_the_newest_public_entry_and_a_scheduled_one_at_its_time():
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        assert story.listed_time() == story.publish_at
        make_entry(article=story, publish_at=NOON - timedelta(minutes=30))
        make_entry(article=story, publish_at=NOON - timedelta(minutes=10))
        make_entry(article=story, publish_at=NOON + timedelta(hours=2))
    story.refresh_from_db()
    assert story.listed_time(NOON) == NOON - timedelta(minutes=10)
    later = NOON + timedelta(hours=2)
    assert story.listed_time(later - timedelta(seconds=1)) == NOON - timedelta(minutes=10)
    assert story.listed_time(later) == later


def test_removing_the_newest_entry_falls_back_to_the_one_before():
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        make_entry(article=story, publish_at=NOON - timedelta(minutes=30))
        newest = make_entry(article=story, publish_at=NOON - timedelta(minutes=5))
        remove_entry(entry=newest, by=None)
    story.refresh_from_db()
    assert story.listed_time(NOON) == NOON - timedelta(minutes=30)


def test_pinning_an_entry_unpins_the_other_and_the_database_allows_one_only():
    story = make_live_story()
    first = make_entry(article=story, is_pinned=True)
    second = make_entry(article=story, is_pinned=True)
    first.refresh_from_db()
    assert (first.is_pinned, second.is_pinned) == (False, True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=first.pk).update(is_pinned=True)


def test_an_edit_over_a_newer_save_is_refused_and_writes_nothing():
    story = make_live_story()
    entry = make_entry(article=story, body="First words.")
    stale = Entry.objects.get(pk=entry.pk)
    entry.body = "Second words."
    save_entry(entry=entry, by=None, base_version=1)
    stale.body = "Stale words."
    from live.services import EntryChanged

    with pytest.raises(EntryChanged, match="changed by someone else"):
        save_entry(entry=stale, by=None, base_version=1)
    assert Entry.objects.get(pk=entry.pk).body == "Second words."


def test_a_scheduled_entry_bounds_the_page_cache_generation():
    with at(NOON):
        story = make_live_story(publish_at=NOON - timedelta(hours=3))
        make_entry(article=story, publish_at=NOON + timedelta(minutes=7))
        assert pagecache.next_scheduled_event(NOON) == (NOON + timedelta(minutes=7)).timestamp()


def test_ending_coverage_records_its_end():
    with at(NOON):
        story = make_live_story()
        end_coverage(article=story, by=None)
    story.refresh_from_db()
    assert (story.coverage, story.coverage_ended_at) == ("ended", NOON)

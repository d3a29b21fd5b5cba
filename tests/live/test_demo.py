"""The demo's live story: two reporters, a few dozen entries, one pinned, several key events and
one scheduled for later today; a second run leaves it as the desk has it."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from articles.management import demo_content as demo
from articles.models import Article
from live import demo as live_demo
from live.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(demo, "HERO_SIZE", (160, 90))


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_a_live_story_with_entries_from_two_reporters():
    morning = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    with time_machine.travel(morning, tick=False):
        output = load_demo()
        story = Article.objects.get(slug=live_demo.SLUG)
        entries = Entry.objects.filter(article=story)
        assert "Live coverage:" in output
        assert story.is_live() and story.is_live_coverage
        assert entries.count() >= 24
        assert set(entries.values_list("author__slug", flat=True)) == set(live_demo.REPORTERS)
        assert entries.filter(is_pinned=True).count() == 1
        assert entries.filter(is_key_event=True).count() >= 4
        (scheduled,) = entries.filter(publish_at__gt=morning)
        assert timezone.localdate(scheduled.publish_at) == timezone.localdate(morning)
        assert scheduled.publish_at > morning
        story.refresh_from_db()
        # The story's listed time is its newest public entry's.
        newest = entries.public(morning).order_by("-publish_at").first()
        assert story.listed_time(morning) == newest.publish_at
        assert story.coverage_started_at < newest.publish_at


def test_late_in_the_day_the_scheduled_entry_still_falls_today():
    late = timezone.make_aware(datetime(2026, 12, 3, 23, 30), timezone.get_current_timezone())
    with time_machine.travel(late, tick=False):
        load_demo()
        scheduled = Entry.objects.get(publish_at__gt=late)
    assert timezone.localdate(scheduled.publish_at) == timezone.localdate(late)


def test_a_second_run_leaves_the_desks_changes_alone(time_machine):
    load_demo()
    story = Article.objects.get(slug=live_demo.SLUG)
    Entry.objects.filter(article=story, is_pinned=True).update(body="Changed on the desk.")
    before = list(Entry.objects.order_by("pk").values_list())
    time_machine.move_to(timezone.now() + timedelta(hours=4))
    load_demo()
    assert list(Entry.objects.order_by("pk").values_list()) == before

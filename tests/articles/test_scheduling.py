"""Scheduled stories appear and disappear on time, with no job or command run in between."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.articles.admin.admin_data import article_form_data
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_editor,
    make_section,
)

TEN = datetime(2027, 3, 1, 10, 0, 0, tzinfo=UTC)
JUST_BEFORE = TEN - timedelta(seconds=1)
ELEVEN = TEN + timedelta(hours=1)


@pytest.fixture
def scheduled_story(db):
    """A story scheduled (through the editor's Schedule button) for 10:00, to come down at 11:00."""
    with time_machine.travel(TEN - timedelta(hours=2), tick=False):
        section = make_section(name="Business", slug="business")
        author = make_author(name="Ada Byline", slug="ada-byline")
        article = make_article(
            headline="Harbour deal signed",
            slug="harbour-deal",
            status=Article.Status.DRAFT,
            publish_at=None,
            section=section,
            tags=["harbour"],
            authors=[author],
        )
        make_correction(article=article, text="An earlier draft misspelt the port.")
        client = Client()
        client.force_login(make_editor())
        data = article_form_data(
            article,
            _schedule="1",
            publish_at_0="2027-03-01",
            publish_at_1="10:00:00",
            unpublish_at_0="2027-03-01",
            unpublish_at_1="11:00:00",
        )
        response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
        assert response.status_code == 302
    article.refresh_from_db()
    assert article.publish_at == TEN  # Europe/London is on GMT in March
    return article


def public_pages(article):
    return [
        reverse("articles:home"),
        article.section.get_absolute_url(),
        reverse("articles:tag", args=["harbour"]),
        article.bylines.get().author.get_absolute_url(),
        reverse("articles:corrections"),
    ]


def seen_anywhere(client, article):
    """Where the story shows: each public list page, its own page, and the live count."""
    seen = {url: b"Harbour deal signed" in client.get(url).content for url in public_pages(article)}
    seen["detail"] = client.get(article.get_absolute_url()).status_code == 200
    seen["count"] = Article.objects.live().count() == 1
    seen["state"] = Article.objects.with_state(Article.State.LIVE).exists()
    return seen


def test_scheduled_story_is_absent_everywhere_one_second_before(client, scheduled_story):
    with time_machine.travel(JUST_BEFORE, tick=False):
        assert not any(seen_anywhere(client, scheduled_story).values())
        assert Article.objects.get(pk=scheduled_story.pk).state == Article.State.SCHEDULED


def test_scheduled_story_is_present_everywhere_at_the_time(client, scheduled_story):
    with time_machine.travel(TEN, tick=False):
        assert all(seen_anywhere(client, scheduled_story).values())
        assert Article.objects.get(pk=scheduled_story.pk).state == Article.State.LIVE


def test_take_down_time_removes_the_story_everywhere(client, scheduled_story):
    with time_machine.travel(ELEVEN - timedelta(seconds=1), tick=False):
        assert all(seen_anywhere(client, scheduled_story).values())
    with time_machine.travel(ELEVEN, tick=False):
        assert not any(seen_anywhere(client, scheduled_story).values())
        assert Article.objects.get(pk=scheduled_story.pk).state == Article.State.EXPIRED


def test_schedule_button_refuses_a_time_in_the_past(admin_client, db):
    article = make_article(status=Article.Status.DRAFT, publish_at=None, section=make_section())
    data = article_form_data(
        article, _schedule="1", publish_at_0="2020-01-01", publish_at_1="10:00:00"
    )
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert "set a publication time in the future" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_dashboard_lists_the_scheduled_story_for_the_next_48_hours(
    client, admin_user, scheduled_story
):
    with time_machine.travel(TEN - timedelta(hours=47), tick=False):
        client.force_login(admin_user)
        content = client.get(reverse("admin:index")).content.decode()
    assert "Scheduled for the next 48 hours" in content
    assert "Harbour deal signed" in content
    with time_machine.travel(TEN - timedelta(hours=49), tick=False):
        client.force_login(admin_user)
        content = client.get(reverse("admin:index")).content.decode()
    assert "Scheduled for the next 48 hours" in content
    assert "Harbour deal signed" not in content

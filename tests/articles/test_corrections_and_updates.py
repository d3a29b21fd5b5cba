"""Editing a live story: silent fix, update (with a note), correction; corrections append-only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.articles.admin.admin_data import add_inline, article_form_data
from tests.factories import make_article, make_correction


@pytest.fixture
def live_story(newsroom):
    return make_article(
        headline="Dam inspection finds cracks",
        section=newsroom.section,
        authors=[newsroom.reporter.author],
    )


def edit_live(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    return client.post(url, article_form_data(article, **changes))


def test_live_story_edit_requires_a_kind_of_change(client, newsroom, live_story):
    client.force_login(newsroom.editor)
    response = edit_live(client, live_story, body="Typo fixed.")
    assert response.status_code == 200
    assert "Choose the kind of change" in response.content.decode()
    assert Article.objects.get(pk=live_story.pk).body != "Typo fixed."


@pytest.mark.usefixtures("story_path")
def test_silent_fix_changes_no_reader_visible_date(client, newsroom, live_story):
    client.force_login(newsroom.editor)
    publish_at = live_story.publish_at
    response = edit_live(client, live_story, body="Typo fixed.", change_kind="silent")
    assert response.status_code == 302
    live_story.refresh_from_db()
    assert live_story.body == "Typo fixed."
    assert live_story.updated_at is None
    assert live_story.publish_at == publish_at
    assert not live_story.corrections.exists()
    assert b"Updated" not in client.get(live_story.get_absolute_url()).content


@pytest.mark.usefixtures("story_path")
def test_update_needs_a_note_and_shows_it_with_the_time(client, newsroom, live_story):
    client.force_login(newsroom.editor)
    response = edit_live(client, live_story, body="More.", change_kind="update")
    assert "needs a one-line note" in response.content.decode()
    assert Article.objects.get(pk=live_story.pk).updated_at is None

    response = edit_live(
        client,
        live_story,
        body="More.",
        change_kind="update",
        update_text="Adds the minister's statement.",
    )
    assert response.status_code == 302
    live_story.refresh_from_db()
    assert timezone.now() - live_story.updated_at < timedelta(minutes=1)
    assert live_story.update_note == "Adds the minister's statement."
    client.logout()
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert "Updated <time" in page
    assert ": Adds the minister&#x27;s statement." in page


@pytest.mark.usefixtures("story_path")
def test_correction_is_appended_and_shown_at_the_top_and_on_the_corrections_page(
    client, newsroom, live_story
):
    client.force_login(newsroom.editor)
    response = edit_live(client, live_story, change_kind="correction")
    assert "Write the correction" in response.content.decode()
    response = edit_live(
        client,
        live_story,
        body="The dam is 40 metres high.",
        change_kind="correction",
        correction_kind="correction",
        correction_text="An earlier version gave the height as 400 metres.",
    )
    assert response.status_code == 302
    correction = live_story.corrections.get()
    assert correction.created_by == newsroom.editor
    client.logout()
    page = client.get(live_story.get_absolute_url()).content.decode()
    assert page.index("400 metres") < page.index("story__body")
    listing = client.get(reverse("articles:corrections")).content.decode()
    assert "An earlier version gave the height as 400 metres." in listing
    assert "Dam inspection finds cracks" in listing


def test_public_correction_cannot_be_changed_or_deleted_even_by_editors(
    client, newsroom, live_story
):
    correction = make_correction(article=live_story, text="Original wording.")
    client.force_login(newsroom.editor)
    change = reverse("admin:articles_correction_change", args=[correction.pk])
    response = client.post(
        change,
        {
            "article": live_story.pk,
            "kind": "correction",
            "text": "Rewritten history.",
            "published_at_0": "2020-01-01",
            "published_at_1": "10:00:00",
        },
    )
    assert response.status_code == 403
    delete = reverse("admin:articles_correction_delete", args=[correction.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:articles_correction_changelist")
    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [correction.pk], "post": "yes"},
    )
    assert response.status_code in {200, 302, 403}
    # Through the story form: an edited or deleted inline row is ignored or refused.
    data = article_form_data(live_story, change_kind="silent", _save="1")
    data["corrections-0-text"] = "Rewritten through the inline."
    data["corrections-0-DELETE"] = "on"
    assert edit_live(client, live_story, **data).status_code in {200, 302, 403}
    correction.refresh_from_db()
    assert correction.text == "Original wording."


def test_future_correction_can_still_be_edited_by_an_editor(client, newsroom, live_story):
    later = timezone.localtime(timezone.now() + timedelta(hours=2))
    correction = make_correction(article=live_story, text="Draft wording.", published_at=later)
    client.force_login(newsroom.editor)
    response = client.post(
        reverse("admin:articles_correction_change", args=[correction.pk]),
        {
            "article": live_story.pk,
            "kind": "clarification",
            "text": "Better wording.",
            "published_at_0": later.strftime("%Y-%m-%d"),
            "published_at_1": later.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302
    assert Correction.objects.get(pk=correction.pk).text == "Better wording."


def test_editor_adds_a_correction_through_the_inline(client, newsroom, live_story):
    client.force_login(newsroom.editor)
    data = article_form_data(live_story, change_kind="silent", _save="1")
    now = timezone.localtime()
    add_inline(
        data,
        "corrections",
        {
            "article": live_story.pk,
            "kind": "clarification",
            "text": "Clarifies who inspected the dam.",
            "published_at_0": now.strftime("%Y-%m-%d"),
            "published_at_1": now.strftime("%H:%M:%S"),
        },
    )
    assert edit_live(client, live_story, **data).status_code == 302
    assert live_story.corrections.get().created_by == newsroom.editor


def test_corrections_page_lists_public_corrections_newest_first_paginated(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    now = timezone.now()
    live = make_article(headline="Live story")
    draft = make_article(headline="Draft story", status=Article.Status.DRAFT, publish_at=None)
    for hours, text in [(5, "Oldest fix"), (3, "Middle fix"), (1, "Newest fix")]:
        make_correction(article=live, text=text, published_at=now - timedelta(hours=hours))
    make_correction(article=live, text="Future fix", published_at=now + timedelta(hours=1))
    make_correction(article=draft, text="Fix on a draft", published_at=now - timedelta(hours=2))
    first = client.get(reverse("articles:corrections"))
    page = first.content.decode()
    assert first.status_code == 200
    assert page.index("Newest fix") < page.index("Middle fix")
    assert "Oldest fix" not in page
    assert 'rel="next" href="?page=2"' in page
    second = client.get(reverse("articles:corrections"), {"page": 2}).content.decode()
    assert "Oldest fix" in second
    for hidden in ["Future fix", "Fix on a draft"]:
        assert hidden not in page and hidden not in second
    assert client.get(reverse("articles:corrections"), {"page": 9}).status_code == 404

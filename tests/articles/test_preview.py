"""Previews of drafts (saved or not) and signed, expiring share links."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles import preview
from articles.models import Article
from articles.preview import make_token
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author
from tests.htmltree import parse


def assert_private_preview(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview:" in page
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    return page


@pytest.fixture
def draft(newsroom):
    return make_article(
        headline="Bridge to reopen",
        status=Article.Status.DRAFT,
        publish_at=None,
        section=newsroom.section,
        created_by=newsroom.reporter,
        authors=[newsroom.reporter.author],
    )


@pytest.mark.usefixtures("story_path")
def test_preview_of_the_saved_draft_uses_the_story_template(client, newsroom, draft):
    client.force_login(newsroom.reporter)
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    page = assert_private_preview(response)
    assert "Bridge to reopen" in page
    assert 'class="story__headline"' in page
    assert "Reporter rita" in page  # the byline, from the real template


def story_meta(client, article):
    response = client.get(reverse("articles:preview", args=[make_token(article)]))
    return parse(assert_private_preview(response)).one("header", class_="story__header")


@pytest.mark.usefixtures("story_path")
def test_the_story_meta_line_separates_only_the_items_it_has(client, newsroom, draft):
    # A draft has a section but no date yet: no separator dangles after the section.
    assert story_meta(client, draft).one("p", class_="meta").clean_text == "World"
    draft.publish_at = timezone.now() + timedelta(days=1)
    draft.updated_at = draft.publish_at + timedelta(hours=2)
    draft.section = None
    draft.save()
    meta = story_meta(client, draft).one("p", class_="meta").clean_text
    assert meta.count("·") == 1 and " · Updated " in meta and not meta.startswith("·")
    draft.publish_at = draft.updated_at = None
    draft.save()
    assert story_meta(client, draft).find("p", class_="meta") is None


@pytest.mark.usefixtures("story_path")
def test_preview_of_unsaved_changes_saves_nothing(client, newsroom, draft):
    client.force_login(newsroom.reporter)
    extra = make_author(name="Pat Photographer")
    data = article_form_data(
        draft,
        headline="Bridge to reopen on Monday",
        body="> A quoted post\n\nMore.",
        new_bylines=[(extra, "photographer")],
        _preview="1",
    )
    response = client.post(reverse("admin:articles_article_preview", args=[draft.pk]), data)
    page = assert_private_preview(response)
    assert "Bridge to reopen on Monday" in page
    assert "<blockquote>" in page
    assert "Pat Photographer" in page
    draft.refresh_from_db()
    assert draft.headline == "Bridge to reopen"
    assert draft.version == 1
    assert draft.bylines.count() == 1


@pytest.mark.usefixtures("story_path")
def test_preview_of_a_story_never_saved(client, newsroom):
    client.force_login(newsroom.reporter)
    data = article_form_data(
        headline="Brand new",
        slug="brand-new",
        dek="Fresh.",
        new_bylines=[(newsroom.reporter.author, "reporter")],
        _preview="1",
    )
    response = client.post(reverse("admin:articles_article_preview_new"), data)
    page = assert_private_preview(response)
    assert "Brand new" in page and "Reporter rita" in page
    assert not Article.objects.exists()


def test_preview_of_an_invalid_form_explains_and_saves_nothing(client, newsroom):
    client.force_login(newsroom.reporter)
    data = article_form_data(headline="", slug="not a slug!", _preview="1")
    response = client.post(reverse("admin:articles_article_preview_new"), data)
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert not Article.objects.exists()


def test_preview_post_needs_edit_rights(client, newsroom, draft):
    client.force_login(newsroom.other_reporter)
    data = article_form_data(draft, _preview="1")
    url = reverse("admin:articles_article_preview", args=[draft.pk])
    assert client.post(url, data).status_code == 404
    live = make_article(created_by=newsroom.reporter, authors=[newsroom.reporter.author])
    client.force_login(newsroom.reporter)
    url = reverse("admin:articles_article_preview", args=[live.pk])
    assert client.post(url, article_form_data(live, _preview="1")).status_code == 403


def share(client, article):
    response = client.post(
        reverse("admin:articles_article_share", args=[article.pk]),
        article_form_data(article, _share="1"),
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    match = re.search(r"https://news\.example(/preview/[^/]+/)", " ".join(messages))
    return match.group(1) if match else None


@pytest.mark.usefixtures("story_path")
def test_editor_share_link_shows_the_draft_to_anyone_holding_it(client, newsroom, draft):
    client.force_login(newsroom.editor)
    url = share(client, draft)
    assert url
    client.logout()
    page = assert_private_preview(client.get(url))
    assert "Bridge to reopen" in page


def test_reporters_cannot_issue_share_links(client, newsroom, draft):
    client.force_login(newsroom.reporter)
    response = client.post(reverse("admin:articles_article_share", args=[draft.pk]))
    assert response.status_code == 403
    client.force_login(newsroom.editor)
    assert client.get(reverse("admin:articles_article_share", args=[draft.pk])).status_code == 405


def test_tampered_share_link_is_404(client, newsroom, draft):
    client.force_login(newsroom.editor)
    url = share(client, draft)
    client.logout()
    token = url.split("/")[2]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse("articles:preview", args=[tampered])).status_code == 404
    other = make_article(status=Article.Status.DRAFT, publish_at=None)
    forged = token.replace(token.split(":")[0], str(other.pk))
    assert client.get(reverse("articles:preview", args=[forged])).status_code == 404
    assert client.get(reverse("articles:preview", args=["junk"])).status_code == 404


def test_share_link_expires_after_48_hours(client, newsroom, draft):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(newsroom.editor)
        url = share(client, draft)
        client.logout()
        clock.shift(timedelta(hours=48) - timedelta(seconds=1))
        assert client.get(url).status_code == 200
        clock.shift(timedelta(seconds=2))
        assert client.get(url).status_code == 404


def test_share_link_lifetime_is_a_setting(client, newsroom, draft, settings):
    settings.NEWSROOM_PREVIEW_MAX_AGE = 60
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.force_login(newsroom.editor)
        url = share(client, draft)
        clock.shift(timedelta(seconds=61))
        assert client.get(url).status_code == 404


def test_share_link_of_a_withdrawn_story_is_404(client, newsroom, draft):
    client.force_login(newsroom.editor)
    url = share(client, draft)
    draft.status = Article.Status.WITHDRAWN
    draft.save()
    client.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert b"Bridge to reopen" not in response.content


# A share link follows the story's state at the moment it is opened, whatever it was when made.


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.IN_REVIEW])
def test_share_link_keeps_working_for_an_unpublished_story(client, db, status):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = make_article(headline="Still in the works", status=status, publish_at=None)
        token = preview.make_token(story)
        clock.shift(timedelta(hours=47))
        page = assert_private_preview(client.get(reverse("articles:preview", args=[token])))
        assert "Still in the works" in page


def test_share_link_of_a_scheduled_story_previews_then_sends_to_the_live_page(client, db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = make_article(headline="Embargoed", publish_at=timezone.now() + timedelta(hours=2))
        url = reverse("articles:preview", args=[preview.make_token(story)])
        assert "Embargoed" in assert_private_preview(client.get(url))
        clock.shift(timedelta(hours=2))
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == story.get_absolute_url()
        assert "no-store" in response["Cache-Control"]
        assert client.get(response["Location"]).status_code == 200


def test_share_link_answers_404_once_the_story_is_taken_down(client, db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        story = make_article(
            headline="Pulled at noon", unpublish_at=timezone.now() + timedelta(hours=1)
        )
        url = reverse("articles:preview", args=[preview.make_token(story)])
        assert client.get(url).status_code == 302
        clock.shift(timedelta(hours=1))
        assert client.get(story.get_absolute_url()).status_code == 404
        response = client.get(url)
        assert response.status_code == 404
        assert b"Pulled at noon" not in response.content


def test_share_link_of_a_story_taken_down_before_it_went_live_is_404(client, db):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        story = make_article(
            publish_at=start + timedelta(hours=1), unpublish_at=start + timedelta(hours=2)
        )
        url = reverse("articles:preview", args=[preview.make_token(story)])
        assert client.get(url).status_code == 200
        clock.shift(timedelta(hours=3))
        assert client.get(url).status_code == 404


def test_share_link_answers_404_once_the_story_is_withdrawn_or_deleted(client, db):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        withdrawn = make_article(headline="Withdrawn later")
        deleted = make_article(headline="Deleted later", status=Article.Status.DRAFT)
        urls = [
            reverse("articles:preview", args=[preview.make_token(story)])
            for story in (withdrawn, deleted)
        ]
        clock.shift(timedelta(hours=1))
        Article.objects.filter(pk=withdrawn.pk).update(status=Article.Status.WITHDRAWN)
        deleted.delete()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 404
            assert b"Withdrawn later" not in response.content
            assert b"Deleted later" not in response.content

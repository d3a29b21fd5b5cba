"""History (django-reversion): every admin save recorded with bylines, a readable diff, revert."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, Correction, RelatedTeaser
from articles.services import save_story
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_author, make_correction, make_teaser


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def save(client, article, **changes):
    article.refresh_from_db()
    response = client.post(change_url(article), article_form_data(article, **changes))
    assert response.status_code == 302, response.content
    article.refresh_from_db()
    return article


@pytest.fixture
def edited_draft(client, newsroom):
    """A draft saved twice by the editor: first body, then a rewrite with a new byline."""
    client.force_login(newsroom.editor)
    article = make_article(
        status=Article.Status.DRAFT,
        publish_at=None,
        section=newsroom.section,
        body="The mayor said yes.",
        authors=[newsroom.reporter.author],
    )
    save(client, article, body="The mayor said yes.\nCouncil agreed.", _save_draft="1")
    second = make_author(name="Bea Second")
    save(
        client,
        article,
        body="The mayor said no.\nCouncil agreed.\n<script>alert(1)</script>",
        new_bylines=[(second, "contributor")],
        _save_draft="1",
    )
    return article


def versions_of(article):
    return list(Version.objects.get_for_object(article).order_by("pk"))


def test_every_admin_save_is_recorded_with_its_bylines(edited_draft):
    first, second = versions_of(edited_draft)
    assert first.field_dict["body"] == "The mayor said yes.\nCouncil agreed."
    byline_ct = {v.content_type.model for v in second.revision.version_set.all()}
    assert {"article", "byline"} <= byline_ct
    assert second.revision.version_set.filter(content_type__model="byline").count() == 2


def test_history_page_lists_versions_and_who_saved_them(client, edited_draft):
    response = client.get(reverse("admin:articles_article_history", args=[edited_draft.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('name="from"') == 2
    assert "Edna Editor" in page


def test_diff_between_two_versions_is_readable_and_escaped(client, edited_draft):
    first, second = versions_of(edited_draft)
    url = reverse("admin:articles_article_compare", args=[edited_draft.pk])
    response = client.get(url, {"from": first.pk, "to": second.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert '<del class="diff-removed">− The mayor said yes.</del>' in page
    assert '<ins class="diff-added">+ The mayor said no.</ins>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "Bea Second (contributor)" in page
    assert "Headline" not in page  # unchanged fields are not listed


def test_diff_with_missing_or_foreign_versions_is_a_clear_refusal(client, edited_draft):
    first, _ = versions_of(edited_draft)
    other = save(client, make_article(status=Article.Status.DRAFT, publish_at=None), _save="1")
    (foreign,) = versions_of(other)
    url = reverse("admin:articles_article_compare", args=[edited_draft.pk])
    for params in [{"from": "x", "to": first.pk}, {"from": foreign.pk, "to": first.pk}, {}]:
        response = client.get(url, params, follow=True)
        assert response.status_code == 200
        assert "Choose two versions" in response.content.decode()


def test_revert_of_a_live_story_keeps_it_live_and_counts_the_version_up(client, edited_draft):
    first, _ = versions_of(edited_draft)
    edited_draft.status = Article.Status.PUBLISHED
    edited_draft.publish_at = edited_draft.created_at
    edited_draft.version = 7
    save_story(article=edited_draft)
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, first.pk])
    data = article_form_data(edited_draft, body="Back.", _save="1", change_kind="silent")
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = 1
    assert client.post(revert_url, data).status_code == 302
    edited_draft.refresh_from_db()
    assert edited_draft.is_live()
    assert edited_draft.version == 8
    assert edited_draft.body == "Back."
    # The old version's byline was saved while a draft: its copy of publish_at is brought back too.
    assert [b.publish_at for b in edited_draft.bylines.all()] == [edited_draft.publish_at]


def test_revert_to_an_older_slug_leaves_a_301_from_the_address_readers_knew(client, newsroom):
    client.force_login(newsroom.editor)
    story = make_article(
        slug="harbour-plan", section=newsroom.section, authors=[newsroom.reporter.author]
    )
    save(client, story, change_kind="silent")
    save(client, story, slug="harbour-plan-revised", change_kind="silent")
    revised_url = story.get_absolute_url()
    first = versions_of(story)[0]

    revert_url = reverse("admin:articles_article_revision", args=[story.pk, first.pk])
    data = article_form_data(story, slug="harbour-plan", _save="1", change_kind="silent")
    assert client.post(revert_url, data).status_code == 302
    story.refresh_from_db()
    assert story.slug == "harbour-plan"
    assert [b.publish_at for b in story.bylines.all()] == [story.publish_at]
    client.logout()
    response = client.get(revised_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_revert_restores_text_and_bylines_but_not_the_workflow_state(
    client, newsroom, edited_draft
):
    first, _ = versions_of(edited_draft)
    edited_draft.status = Article.Status.IN_REVIEW
    edited_draft.save()
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, first.pk])
    form_page = client.get(revert_url)
    assert form_page.status_code == 200
    assert "The mayor said yes." in form_page.content.decode()
    assert Article.objects.get(pk=edited_draft.pk).body.startswith("The mayor said no.")
    # The revert form posts the old text back.
    edited_draft.refresh_from_db()
    data = article_form_data(edited_draft, body="The mayor said yes.\nCouncil agreed.", _save="1")
    # The old version had one byline: the second one is deleted by the revert.
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = 1
    response = client.post(revert_url, data)
    assert response.status_code == 302
    edited_draft.refresh_from_db()
    assert edited_draft.body == "The mayor said yes.\nCouncil agreed."
    assert [b.author for b in edited_draft.bylines.all()] == [newsroom.reporter.author]
    assert edited_draft.status == Article.Status.IN_REVIEW
    assert len(versions_of(edited_draft)) == 3


def test_revert_respects_roles(client, newsroom, edited_draft):
    first, _ = versions_of(edited_draft)
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, first.pk])
    data = article_form_data(edited_draft, body="Reverted by the wrong person.", _save="1")
    client.force_login(newsroom.other_reporter)
    assert client.get(revert_url).status_code == 404
    assert client.post(revert_url, data).status_code == 404
    # The reporter's own story, once live, is the desk's: no revert for her.
    edited_draft.created_by = newsroom.reporter
    edited_draft.status = Article.Status.PUBLISHED
    edited_draft.publish_at = edited_draft.created_at
    save_story(article=edited_draft)
    client.force_login(newsroom.reporter)
    assert client.post(revert_url, {**data, "change_kind": "silent"}).status_code == 403
    client.logout()
    assert client.get(revert_url).status_code == 302  # to the login page
    edited_draft.refresh_from_db()
    assert edited_draft.body.startswith("The mayor said no.")


def test_revert_cannot_remove_a_public_correction(client, edited_draft):
    first, _ = versions_of(edited_draft)
    correction = make_correction(article=edited_draft)
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, first.pk])
    response = client.post(revert_url, article_form_data(edited_draft, _save="1"), follow=True)
    assert "corrections are never removed" in response.content.decode()
    assert edited_draft.corrections.filter(pk=correction.pk).exists()
    assert Article.objects.get(pk=edited_draft.pk).body.startswith("The mayor said no.")


def test_reporter_cannot_revert_away_the_desks_teasers(client, newsroom, edited_draft):
    first, _ = versions_of(edited_draft)
    teaser = make_teaser(article=edited_draft, url="https://example.com/", headline="Elsewhere")
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, first.pk])
    data = article_form_data(edited_draft, body="The mayor said yes.", _save_draft="1")
    data["bylines-TOTAL_FORMS"] = data["bylines-INITIAL_FORMS"] = 1
    data["teasers-TOTAL_FORMS"] = data["teasers-INITIAL_FORMS"] = 0
    client.force_login(newsroom.reporter)
    response = client.post(revert_url, data, follow=True)
    assert "only editors change those" in response.content.decode()
    assert RelatedTeaser.objects.filter(pk=teaser.pk).exists()
    assert Article.objects.get(pk=edited_draft.pk).body.startswith("The mayor said no.")
    # The desk may: the revert brings back the story as it was, teasers included.
    client.force_login(newsroom.editor)
    assert client.post(revert_url, data).status_code == 302
    assert not RelatedTeaser.objects.filter(pk=teaser.pk).exists()
    assert Article.objects.get(pk=edited_draft.pk).body == "The mayor said yes."


def test_revert_cannot_reword_a_public_correction(client, edited_draft):
    correction = make_correction(
        article=edited_draft, text="Draft wording.", published_at=timezone.now() + timedelta(days=1)
    )
    save(client, edited_draft, _save_draft="1")
    older = versions_of(edited_draft)[-1]
    Correction.objects.filter(pk=correction.pk).update(
        text="Final wording.", published_at=timezone.now() - timedelta(minutes=1)
    )
    revert_url = reverse("admin:articles_article_revision", args=[edited_draft.pk, older.pk])
    response = client.post(revert_url, article_form_data(edited_draft, _save="1"), follow=True)
    assert "never removed or changed" in response.content.decode()
    assert Correction.objects.get(pk=correction.pk).text == "Final wording."

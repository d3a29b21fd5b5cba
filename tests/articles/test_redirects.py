"""Stable URLs: a live story's old addresses answer with a 301 to the current one."""

from datetime import timedelta

from django.urls import reverse

from articles.models import Article, ArticleRedirect
from articles.services import save_story
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article


def test_slug_change_of_a_live_story_in_the_admin_leaves_a_301(client, newsroom):
    article = make_article(slug="flood-warning", section=newsroom.section)
    old_url = article.get_absolute_url()
    client.force_login(newsroom.editor)
    data = article_form_data(article, slug="flood-warning-lifted", change_kind="silent")
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.slug == "flood-warning-lifted"
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_editor_changes_the_first_publication_date_in_the_admin(client, newsroom):
    article = make_article(slug="election-night", section=newsroom.section)
    old_url = article.get_absolute_url()
    client.force_login(newsroom.editor)
    data = article_form_data(
        article,
        change_kind="silent",
        first_published_0="2026-05-01",
        first_published_1="21:00:00",
    )
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.get_absolute_url() == "/2026/05/01/election-night/"
    client.logout()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == "/2026/05/01/election-night/"


def test_first_publication_date_is_not_reporters_to_change(client, newsroom):
    article = make_article(
        slug="draft-date",
        status=Article.Status.DRAFT,
        publish_at=None,
        created_by=newsroom.reporter,
    )
    article.first_published_at = article.created_at
    article.save()
    client.force_login(newsroom.reporter)
    data = article_form_data(
        article, _save_draft="1", first_published_0="2020-01-01", first_published_1="10:00:00"
    )
    assert (
        client.post(reverse("admin:articles_article_change", args=[article.pk]), data).status_code
        == 302
    )
    article.refresh_from_db()
    assert article.first_published_at.year != 2020


def test_first_publication_date_change_leaves_a_301(client, db):
    article = make_article(slug="budget")
    old_url = article.get_absolute_url()
    article.first_published_at -= timedelta(days=3)
    save_story(article=article)
    assert article.get_absolute_url() != old_url
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_every_old_address_redirects_to_the_newest(client, db):
    article = make_article(slug="first-name")
    first = article.get_absolute_url()
    article.slug = "second-name"
    save_story(article=article)
    second = article.get_absolute_url()
    article.slug = "third-name"
    article.first_published_at -= timedelta(days=1)
    save_story(article=article)
    for old in (first, second):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"] == article.get_absolute_url()


def test_going_back_to_an_old_address_drops_its_redirect(client, db):
    article = make_article(slug="original")
    original = article.get_absolute_url()
    article.slug = "renamed"
    save_story(article=article)
    article.slug = "original"
    save_story(article=article)
    assert not ArticleRedirect.objects.filter(old_path=original).exists()
    assert client.get(original).status_code == 200


def test_drafts_leave_no_redirects_and_withdrawn_stories_are_not_revealed(client, db):
    draft = make_article(slug="draft-name", status=Article.Status.DRAFT, publish_at=None)
    draft.slug = "draft-renamed"
    save_story(article=draft)
    assert not ArticleRedirect.objects.exists()
    live = make_article(slug="live-name")
    old_url = live.get_absolute_url()
    live.slug = "live-renamed"
    save_story(article=live)
    live.status = Article.Status.WITHDRAWN
    save_story(article=live)
    assert client.get(old_url).status_code == 404
    assert client.get("/2020/01/01/never-existed/").status_code == 404

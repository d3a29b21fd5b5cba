"""A database error in the middle of a save leaves no partial story."""

from unittest import mock

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from articles.models import Article, Byline
from articles.services import publish_article
from tests.articles.admin.admin_data import article_form_data
from tests.factories import (
    make_article,
    make_author,
    make_section,
    make_user,
)


@pytest.fixture
def editor_client(db):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


def test_admin_add_failing_at_the_byline_leaves_no_story(editor_client):
    author = make_author()
    data = article_form_data(
        headline="Half-saved",
        slug="half-saved",
        body="Body",
        new_bylines=[(author, "reporter")],
        _save_draft="Save draft",
    )
    with mock.patch.object(Byline, "save", side_effect=DatabaseError("disk full")):
        response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 500
    assert not Article.objects.filter(slug="half-saved").exists()
    assert not Byline.objects.exists()


def test_admin_change_failing_at_the_tags_keeps_the_old_story(editor_client):
    article = make_article(headline="Original", slug="original", body="Old body")
    data = article_form_data(
        article, headline="Rewritten", body="New body", tags="a, b", change_kind="silent"
    )
    with mock.patch("taggit.managers._TaggableManager.set", side_effect=DatabaseError("gone")):
        response = editor_client.post(
            reverse("admin:articles_article_change", args=[article.pk]), data
        )
    assert response.status_code == 500
    article.refresh_from_db()
    assert (article.headline, article.body) == ("Original", "Old body")
    assert "Old body" in article.body_html
    assert not article.tags.exists()


def test_publish_failing_at_a_byline_snapshot_leaves_the_draft(db):
    author = make_author(bio="Bio")
    # A draft that passes the publish checklist, so the save itself is what fails.
    article = make_article(
        status=Article.Status.DRAFT, publish_at=None, section=make_section(), authors=[author]
    )
    with (
        mock.patch.object(Byline, "save", side_effect=DatabaseError("connection lost")),
        pytest.raises(DatabaseError),
    ):
        publish_article(article=article)
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None
    assert article.first_published_at is None

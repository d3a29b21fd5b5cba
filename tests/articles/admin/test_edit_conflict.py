"""Lost-update protection: the second of two concurrent saves is refused, and loses nothing."""

import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.admin.forms import ArticleAdminForm
from articles.models import Article
from tests.articles.admin.admin_data import article_form_data
from tests.factories import make_article, make_editor


def test_second_editor_is_refused_with_the_first_editors_name_and_keeps_their_text(
    client, newsroom
):
    article = make_article(status=Article.Status.DRAFT, publish_at=None, body="Original text.")
    url = reverse("admin:articles_article_change", args=[article.pk])
    # Both editors open the story: each form carries version 1.
    form_of_edna = article_form_data(article, body="Edna's rewrite.", _save_draft="1")
    form_of_eric = article_form_data(article, body="Eric's careful new paragraph.", _save_draft="1")
    assert form_of_edna["base_version"] == form_of_eric["base_version"] == 1

    client.force_login(newsroom.editor)
    assert client.post(url, form_of_edna).status_code == 302

    client.force_login(newsroom.second_editor)
    response = client.post(url, form_of_eric)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by Edna Editor" in page
    assert "Eric&#x27;s careful new paragraph." in page  # still in the form, nothing lost
    article.refresh_from_db()
    assert article.body == "Edna's rewrite."
    assert article.modified_by == newsroom.editor
    assert article.version == 2


def test_reloaded_form_saves_after_a_conflict(client, newsroom):
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(newsroom.editor)
    client.post(url, article_form_data(article, body="First.", _save_draft="1"))
    article.refresh_from_db()
    client.force_login(newsroom.second_editor)
    response = client.post(url, article_form_data(article, body="Second.", _save_draft="1"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.body, article.version, article.modified_by) == (
        "Second.",
        3,
        newsroom.second_editor,
    )


def test_the_version_check_locks_the_row_or_runs_in_a_write_transaction(admin_client, db):
    """Two saves cannot both pass the check: the row is locked (PostgreSQL) until commit, or
    the whole save is one IMMEDIATE write transaction (SQLite, one writer at a time)."""
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    with CaptureQueriesContext(connection) as queries:
        admin_client.post(url, article_form_data(article, body="Locked.", _save_draft="1"))
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)
    else:
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert Article.objects.get(pk=article.pk).body == "Locked."


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="Row-lock race between two connections; SQLite runs one writer at a time "
    "(see test_the_version_check_locks_the_row_or_runs_in_a_write_transaction).",
)
@pytest.mark.django_db(transaction=True)
def test_two_truly_concurrent_saves_cannot_both_win(monkeypatch):
    editors = [make_editor(username=name) for name in ("edna", "eric")]
    article = make_article(status=Article.Status.DRAFT, publish_at=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    # Both saves reach the version check together, before either has committed.
    both_ready = threading.Barrier(2, timeout=10)
    check = ArticleAdminForm._check_version

    def check_together(form, base_version):
        both_ready.wait()
        return check(form, base_version)

    monkeypatch.setattr(ArticleAdminForm, "_check_version", check_together)
    results = {}

    def save(editor):
        client = Client()
        client.force_login(editor)
        data = article_form_data(article, body=f"Text by {editor.username}.", _save_draft="1")
        try:
            results[editor.username] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(editor,)) for editor in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [200, 302]
    winner = next(name for name, status in results.items() if status == 302)
    article.refresh_from_db()
    assert article.body == f"Text by {winner}."
    assert article.version == 2

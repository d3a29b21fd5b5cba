"""Picture files follow the transaction of the row that names them.

A request that saved nothing leaves no file; a replaced or cleared picture's files go once the
change has committed, and not before: a rollback keeps the live picture whole.
"""

import base64
import io
import re

import pytest
from django.contrib import admin
from django.db import DatabaseError, transaction
from django.urls import reverse
from PIL import Image

from articles.models import Article
from authors.models import Author
from content import image_files
from tests.articles.test_upload_failures import (
    FILES_PER_PICTURE,
    author_data,
    files_on_disk,
    picture,
    picture_files,
    story_data,
)
from tests.factories import make_article


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the block, then what its transaction runs when it commits (tests run inside one)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def add_story(admin_client, committed, name="old.png", colour=(200, 40, 40)):
    with committed():
        response = admin_client.post(
            reverse("admin:articles_article_add"),
            {**story_data(), "hero_image": picture(name, colour)},
        )
    assert response.status_code == 302
    return Article.objects.get()


def add_author(admin_client, committed):
    with committed():
        response = admin_client.post(
            reverse("admin:authors_author_add"), author_data(photo=picture("old.png", (9, 9, 9)))
        )
    assert response.status_code == 302
    return Author.objects.get()


def test_a_preview_with_a_new_picture_leaves_no_files(admin_client, settings):
    url = reverse("admin:articles_article_preview_new")

    response = admin_client.post(url, {**story_data(), "hero_image": picture(), "_preview": "1"})

    assert response.status_code == 200
    assert not Article.objects.exists()
    assert files_on_disk(settings) == set()
    # The files are gone before the browser could fetch them: the page carries the picture.
    page = response.content.decode()
    assert "/media/" not in page
    data = re.search(r'src="data:image/jpeg;base64,([^"]+)"', page)
    assert data is not None
    with Image.open(io.BytesIO(base64.b64decode(data.group(1)))) as drawn:
        assert drawn.format == "JPEG" and drawn.width > 0
    assert "data:" in response["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]


def test_a_preview_of_a_stored_picture_links_its_files(admin_client, settings, committed):
    article = add_story(admin_client, committed)
    url = reverse("admin:articles_article_preview", args=[article.pk])

    response = admin_client.post(url, {**story_data(article), "_preview": "1"})

    assert response.status_code == 200
    assert "-640.webp 640w" in response.content.decode()
    assert "data:image" not in response.content.decode()


def test_previewing_a_new_picture_for_a_story_keeps_its_live_one(admin_client, settings, committed):
    article = add_story(admin_client, committed)
    live = files_on_disk(settings)
    url = reverse("admin:articles_article_preview", args=[article.pk])

    with committed():
        response = admin_client.post(
            url, {**story_data(article), "hero_image": picture("new.png"), "_preview": "1"}
        )

    assert response.status_code == 200
    assert files_on_disk(settings) == live
    assert Article.objects.get().hero_image.name == article.hero_image.name


def test_a_replaced_story_picture_is_removed_after_the_commit(admin_client, settings, committed):
    article = add_story(admin_client, committed)
    old = files_on_disk(settings)
    assert len(old) == FILES_PER_PICTURE
    url = reverse("admin:articles_article_change", args=[article.pk])

    with committed():
        response = admin_client.post(url, {**story_data(article), "hero_image": picture("new.png")})
        assert response.status_code == 302
        # Not yet committed: the old picture is still the live one to every other reader.
        assert old < files_on_disk(settings)

    article.refresh_from_db()
    assert article.hero_image.name.endswith("/new.png")
    assert files_on_disk(settings) == picture_files(article.hero_image, article.hero_renditions)
    assert not old & files_on_disk(settings)


def test_a_cleared_story_picture_is_removed_after_the_commit(admin_client, settings, committed):
    article = add_story(admin_client, committed)
    url = reverse("admin:articles_article_change", args=[article.pk])

    with committed():
        response = admin_client.post(url, {**story_data(article), "hero_image-clear": "on"})

    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.hero_image.name, article.hero_renditions) == ("", {})
    assert files_on_disk(settings) == set()


@pytest.fixture
def failing_after_save(monkeypatch):
    """The admin save fails after the row and its picture were stored, as a database error would."""

    def fail(*args, **kwargs):
        raise DatabaseError("the database went away after the row was saved")

    def arm(model):
        monkeypatch.setattr(type(admin.site._registry[model]), "save_related", fail)

    return arm


def test_a_story_save_rolled_back_after_its_picture_was_stored(
    admin_client, settings, committed, failing_after_save
):
    article = add_story(admin_client, committed)
    live, row = files_on_disk(settings), Article.objects.values().get()
    failing_after_save(Article)
    admin_client.raise_request_exception = False
    url = reverse("admin:articles_article_change", args=[article.pk])

    with committed():
        response = admin_client.post(url, {**story_data(article), "hero_image": picture("new.png")})

    assert response.status_code == 500
    assert Article.objects.values().get() == row
    assert files_on_disk(settings) == live


def test_a_replaced_author_photo_is_removed_after_the_commit(admin_client, settings, committed):
    author = add_author(admin_client, committed)
    old = files_on_disk(settings)
    url = reverse("admin:authors_author_change", args=[author.pk])

    with committed():
        response = admin_client.post(url, author_data(photo=picture("new.png")))
        assert response.status_code == 302
        assert old < files_on_disk(settings)

    author.refresh_from_db()
    assert files_on_disk(settings) == picture_files(author.photo, author.photo_renditions)
    assert not old & files_on_disk(settings)


def test_an_author_save_rolled_back_after_the_photo_was_stored(
    admin_client, settings, committed, failing_after_save
):
    author = add_author(admin_client, committed)
    live, row = files_on_disk(settings), Author.objects.values().get()
    failing_after_save(Author)
    admin_client.raise_request_exception = False

    with committed():
        response = admin_client.post(
            reverse("admin:authors_author_change", args=[author.pk]),
            author_data(photo=picture("new.png")),
        )

    assert response.status_code == 500
    assert Author.objects.values().get() == row
    assert files_on_disk(settings) == live


@pytest.mark.django_db(transaction=True)
def test_in_code_the_files_follow_real_commits_and_rollbacks(settings):
    article = make_article()
    article.hero_image = picture("old.png")
    article.save()  # its own transaction, committed
    old = files_on_disk(settings)
    assert len(old) == FILES_PER_PICTURE

    with pytest.raises(RuntimeError), transaction.atomic():
        article.hero_image = picture("rolled-back.png")
        article.save()
        assert len(files_on_disk(settings)) == 2 * FILES_PER_PICTURE
        raise RuntimeError("a later step of the same change failed")
    # Outside a request, code that rolls back its own transaction settles the files it stored.
    image_files.settle()

    assert files_on_disk(settings) == old
    stored = Article.objects.get(pk=article.pk)
    assert picture_files(stored.hero_image, stored.hero_renditions) == old

    stored.hero_image = picture("new.png")
    stored.save()

    assert files_on_disk(settings) == picture_files(stored.hero_image, stored.hero_renditions)
    assert not old & files_on_disk(settings)

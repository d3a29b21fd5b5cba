"""An imported story's admin page shows where it came from, read-only."""

import pytest
from django.urls import reverse

from tests.factories import make_article, make_editor

from .conftest import story
from .wxr_files import SITE, Export, Post

pytestmark = pytest.mark.django_db


def test_the_story_page_shows_the_wordpress_id_and_original_url(admin_client, run_import):
    run_import(Export(items=[Post(4321, slug="from-wp", status="private")]))
    article = story(4321)
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    html = html.decode()
    assert "WordPress origin" in html
    assert "4321" in html
    assert f'href="{SITE}/2020/05/from-wp/"' in html
    assert "never published openly" in html
    # Read-only: no form field of it is sent, so nothing of it can be changed from the page.
    assert 'name="wordpress-0-wp_id"' not in html
    assert 'name="wordpress-0-original_url"' not in html


def test_saving_the_story_leaves_its_origin_alone(admin_client, run_import):
    run_import(Export(items=[Post(7, slug="kept")]))
    article = story(7)
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert article.wordpress.wp_id == 7


def test_a_story_not_imported_shows_no_origin(admin_client):
    article = make_article()
    html = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert "WordPress origin" not in html.content.decode()


def test_an_editor_without_any_wordpress_permission_sees_the_origin(client, run_import):
    run_import(Export(items=[Post(9, slug="theirs", status="draft")]))
    article = story(9)
    client.force_login(make_editor())
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    assert "WordPress origin" in response.content.decode()


def test_the_origin_has_no_admin_screen_of_its_own(admin_client):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse("admin:wordpress_importedpost_changelist")

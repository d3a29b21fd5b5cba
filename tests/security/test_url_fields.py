"""URLs an editor types (teaser link, canonical URL, author website) cannot be scripts."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.models import RelatedTeaser
from authors.models import Author
from tests.articles.admin.admin_data import add_inline, article_form_data
from tests.factories import make_article

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_teaser_link_refuses_script_urls(admin_client, url):
    article = make_article(slug="host")
    data = add_inline(
        article_form_data(article, _save="Save", change_kind="silent"),
        "teasers",
        {"url": url, "headline": "Elsewhere", "position": "0"},
    )
    response = admin_client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 200
    assert escape(RelatedTeaser.URL_SCHEME_MESSAGE) in response.content.decode()
    assert not RelatedTeaser.objects.exists()


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_canonical_url_refuses_script_urls(admin_client, url):
    response = admin_client.post(
        reverse("admin:articles_article_add"),
        article_form_data(headline="Story", slug="story", canonical_url=url),
    )
    assert response.status_code == 200
    assert "Enter a valid URL." in response.content.decode()


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_author_website_and_profiles_refuse_script_urls(admin_client, url):
    response = admin_client.post(
        reverse("admin:authors_author_add"),
        {"name": "Ada", "slug": "ada", "website": url, "social_links": url, "is_active": "on"},
    )
    assert response.status_code == 200
    assert response.content.decode().count("valid") >= 2
    assert not Author.objects.exists()

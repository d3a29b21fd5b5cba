"""The bad inputs the security review found making 500s, each a 400 or a form error now.

tests/security/test_input_fuzz.py sends the whole class of such values everywhere; these are the
cases as found, kept readable.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.articles.admin.admin_world import form_data
from tests.factories import make_article, make_author, make_section, make_user
from tests.security.strict_db import postgresql_rules


@pytest.fixture
def desk(db):
    client = Client(raise_request_exception=False)
    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("name", ["section", "tag", "author", "q", "page", "cursor"])
def test_a_nul_in_the_query_string_is_a_400(client, db, name):
    make_article(section=make_section(slug="world"), tags=["harbour"])
    with postgresql_rules():
        assert client.get(reverse("api:articles"), {name: "\x00"}).status_code == 400
        assert client.get(reverse("articles:search"), {name: "a\x00"}).status_code == 400
        assert client.get(reverse("articles:home"), {f"x\x00{name}": "1"}).status_code == 400


@pytest.mark.parametrize(
    "value", ["not a slug!", "x" * 121, "world/../sport"], ids=["characters", "long", "path"]
)
def test_an_api_filter_that_cannot_be_a_slug_is_a_400(client, db, value):
    response = client.get(reverse("api:articles"), {"author": value})
    assert response.status_code == 400
    assert response.json() == {"error": "author must be a author's slug."}
    assert client.get(reverse("api:articles"), {"author": "nobody"}).json()["results"] == []


@pytest.mark.parametrize("page", ["0" * 5000, "²", "9" * 30])
def test_a_page_number_no_int_can_hold_is_a_404_or_ignored(client, db, page):
    story = make_article()
    assert client.get(reverse("articles:corrections"), {"page": page}).status_code == 404
    response = client.get(story.get_absolute_url(), {"page": page})
    assert response.status_code == 200
    assert 'rel="canonical" href="https://news.example' + story.get_absolute_url() + '"' in (
        response.content.decode()
    )
    assert client.get(reverse("api:articles"), {"limit": page}).status_code == 400


@pytest.mark.parametrize("cursor", ["1.99999999999999999999999", "9" * 19 + ".1", "-1.-1"])
def test_a_page_cursor_out_of_range_is_a_404(client, db, cursor):
    section = make_section()
    make_article(section=section)
    url = section.get_absolute_url()
    assert client.get(url, {"before": cursor}).status_code == 404
    assert client.get(url, {"after": cursor}).status_code == 404


def test_the_admin_autocomplete_refuses_a_nul_term(desk):
    query = {"app_label": "articles", "model_name": "article", "field_name": "section"}
    with postgresql_rules():
        response = desk.get(reverse("admin:autocomplete"), {**query, "term": "\x00"})
    assert response.status_code == 400


def test_a_tag_longer_than_a_tag_can_be_is_a_form_error(desk):
    story = make_article(tags=["harbour"])
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = form_data(desk.get(url).content.decode(), "article_form")
    response = desk.post(url, {**data, "tags": "harbour, " + "x" * 101, "change_kind": "silent"})
    assert response.status_code == 200
    assert "A tag can be at most 100 characters long" in response.content.decode()
    assert list(story.tags.names()) == ["harbour"]
    response = desk.post(url, {**data, "tags": "harbour, " + "x" * 100, "change_kind": "silent"})
    assert response.status_code == 302


def test_a_nul_in_an_authors_social_links_is_a_form_error(desk):
    author = make_author()
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = form_data(desk.get(url).content.decode(), "author_form")
    with postgresql_rules():
        response = desk.post(url, {**data, "social_links": "https://example.com/\x00x"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    author.refresh_from_db()
    assert author.social_links == []


@pytest.mark.parametrize("button", [None, "_save", "_publish", "_schedule", "_withdraw", "_submit"])
def test_a_headline_only_post_to_a_live_story_is_a_form_error(desk, button):
    story = make_article(headline="Harbour reopens")
    url = reverse("admin:articles_article_change", args=[story.pk])
    data = {"headline": "Only this", **({button: "1"} if button else {})}
    response = desk.post(url, data)
    assert response.status_code == 200
    assert "A published story needs a publication time." in response.content.decode()
    story.refresh_from_db()
    assert story.headline == "Harbour reopens" and story.is_live()


def test_a_bad_value_in_an_autocomplete_field_is_a_form_error(desk):
    url = reverse("admin:authors_author_add")
    for value in ("\x00", "abc", "9" * 30):
        response = desk.post(url, {"name": "A", "slug": "a", "bio": "B", "user": value})
        assert response.status_code == 200
        assert "user" in response.context["adminform"].form.errors

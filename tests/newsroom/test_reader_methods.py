"""Reader views answer GET and HEAD, OPTIONS names them, and every other method is a 405.

``READER_URLS`` has a row for every URL name outside the admin; a URL added without one fails
``test_every_reader_url_has_a_row_and_declares_what_it_reads``.
"""

from datetime import date

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.views.static import serve

from articles.models import Article
from articles.preview import make_token
from live import presentation as live_presentation
from newsroom.methods import is_reader_view
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_entry,
    make_live_story,
    make_section,
    make_user,
)

ALLOW = "GET, HEAD, OPTIONS"
REFUSED = ["TRACE", "PUT", "PATCH", "DELETE", "POST", "CONNECT"]


def feed(name, **kwargs):
    return lambda w: reverse(f"feeds:{name}", kwargs={k: v(w) for k, v in kwargs.items()})


READER_URLS = {
    "articles:home": lambda w: reverse("articles:home"),
    "articles:detail": lambda w: w["story"].get_absolute_url(),
    "articles:section": lambda w: w["section"].get_absolute_url(),
    "articles:tag": lambda w: reverse("articles:tag", kwargs={"slug": "harbour"}),
    "articles:corrections": lambda w: reverse("articles:corrections"),
    "articles:preview": lambda w: reverse("articles:preview", args=[make_token(w["draft"])]),
    "articles:search": lambda w: reverse("articles:search") + "?q=harbour",
    "authors:detail": lambda w: w["author"].get_absolute_url(),
    "feeds:index": feed("index"),
    **{f"feeds:site_{kind}": feed(f"site_{kind}") for kind in ("rss", "atom")},
    **{
        f"feeds:section_{kind}": feed(f"section_{kind}", slug=lambda w: w["section"].slug)
        for kind in ("rss", "atom")
    },
    **{
        f"feeds:tag_{kind}": feed(f"tag_{kind}", slug=lambda w: "harbour")
        for kind in ("rss", "atom")
    },
    **{
        f"feeds:author_{kind}": feed(f"author_{kind}", slug=lambda w: w["author"].slug)
        for kind in ("rss", "atom")
    },
    **{f"feeds:corrections_{kind}": feed(f"corrections_{kind}") for kind in ("rss", "atom")},
    "api:articles": lambda w: reverse("api:articles"),
    "api:article": lambda w: reverse("api:article", kwargs={"pk": w["story"].pk}),
    # The home front the fronts' data migration makes.
    "fronts_api:front": lambda w: reverse("fronts_api:front", args=["home"]),
    "sitemap_index": lambda w: reverse("sitemap_index"),
    "sitemap_stories": lambda w: reverse(
        "sitemap_stories", kwargs={"month": date.today().replace(day=1)}
    ),
    "sitemap_section": lambda w: reverse("sitemap_section", kwargs={"section": "tags"}),
    "news_sitemap": lambda w: reverse("news_sitemap"),
    "robots_txt": lambda w: reverse("robots_txt"),
    "live:entry": lambda w: live_presentation.permalink_path(w["entry"]),
    **{
        f"live:entries_{kind}": lambda w, kind=kind: live_presentation.feed_path(w["live"], kind)
        for kind in ("rss", "atom")
    },
    "live:updates": lambda w: live_presentation.updates_path(w["live"]) + f"?after={w['entry'].pk}",
}
# Reader views whose answer to GET is a redirect (an entry's permalink goes to its page).
REDIRECTS = {"live:entry"}
# Not reader views: they keep rules of their own.
OTHERS = {"healthz", "bench:slow", "bench:bare"}


def url_names(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.callback is not serve:
            yield f"{namespace}{entry.name}", entry.callback


def test_every_reader_url_has_a_row_and_declares_what_it_reads():
    found = dict(url_names(get_resolver()))
    assert set(found) - OTHERS == set(READER_URLS)
    undeclared = [name for name in READER_URLS if not is_reader_view(found[name])]
    assert undeclared == []


@pytest.fixture
def world(db):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada")
    story = make_article(
        headline="Harbour reopens", section=section, tags=["Harbour"], authors=[author]
    )
    make_correction(article=story)
    draft = make_article(headline="Draft", status=Article.Status.DRAFT)
    live = make_live_story(headline="Harbour live")
    entry = make_entry(article=live)
    make_entry(article=live, body="Harbour gates close.")
    return {
        "story": story,
        "section": section,
        "author": author,
        "draft": draft,
        "live": live,
        "entry": entry,
    }


@pytest.fixture
def strict_client():
    # CSRF checked as in production, so a refused POST shows which rule refused it.
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("name", sorted(READER_URLS))
def test_reader_url_answers_get_and_head_and_names_them_to_options(name, world, strict_client):
    url = READER_URLS[name](world)
    status = 302 if name in REDIRECTS else 200
    got = strict_client.get(url)
    assert got.status_code == status, url
    head = strict_client.head(url)
    assert head.status_code == status and head.content == b""
    options = strict_client.options(url)
    assert options.status_code == 200
    assert options["Allow"] == ALLOW
    assert options.content == b""


@pytest.mark.parametrize("name", sorted(READER_URLS))
def test_reader_url_refuses_every_other_method_with_405(name, world, strict_client):
    url = READER_URLS[name](world)
    for method in REFUSED:
        response = strict_client.generic(method, url)
        assert response.status_code == 405, (method, url)
        assert response["Allow"] == ALLOW
        assert b"Harbour" not in response.content


def test_a_signed_in_editor_gets_the_same_answer(world, strict_client):
    strict_client.force_login(make_user(is_staff=True, is_superuser=True))
    url = world["story"].get_absolute_url()
    assert strict_client.generic("TRACE", url).status_code == 405
    assert strict_client.post(url).status_code == 405
    assert strict_client.get(url).status_code == 200


def test_admin_posts_and_the_login_still_work(world, client):
    editor = make_user(username="desk", is_staff=True, is_superuser=True)
    login = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "correct horse battery staple"},
    )
    assert login.status_code == 302
    section = world["section"]
    changed = client.post(
        reverse("admin:articles_section_change", args=[section.pk]),
        {"name": "World news", "slug": section.slug, "description": "", "position": 0},
    )
    assert changed.status_code == 302
    section.refresh_from_db()
    assert section.name == "World news"

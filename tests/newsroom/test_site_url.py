"""Every absolute address the site gives out starts with NEWSROOM_SITE_URL, whatever the Host."""

import re

import pytest
from django.urls import reverse

from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_image,
    make_section,
)

SITE = "https://news.example"
# An allowed host, on a port the site does not use.
ODD_HOST = "127.0.0.1:9999"
ADDRESS = re.compile(r"""https?://[^\s"'<>\\]+""")
# Names in XML namespaces and schema.org types, not addresses of this site.
VOCABULARIES = (
    "http://www.w3.org/",
    "http://www.sitemaps.org/",
    "http://www.google.com/schemas/",
    "http://purl.org/",
    "https://schema.org",
)


@pytest.fixture
def world(db):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada", photo=make_image(name="ada.png"))
    story = make_article(
        headline="Harbour reopens",
        slug="harbour-reopens",
        section=section,
        tags=["Harbour"],
        authors=[author],
        hero_image=make_image(name="hero.png", size=(1200, 800)),
        hero_alt="The harbour at dawn",
    )
    make_correction(article=story, text="The harbour is in Leith.")
    return {"story": story, "section": section, "author": author}


def addresses_in(client, path):
    response = client.get(path, headers={"host": ODD_HOST})
    assert response.status_code == 200, path
    text = response.content.decode()
    return [url for url in ADDRESS.findall(text) if not url.startswith(VOCABULARIES)]


def reader_surfaces(world):
    story, section, author = world["story"], world["section"], world["author"]
    feeds = [
        reverse(f"feeds:{name}_{kind}", kwargs=kwargs)
        for name, kwargs in [
            ("site", {}),
            ("section", {"slug": section.slug}),
            ("tag", {"slug": "harbour"}),
            ("author", {"slug": author.slug}),
            ("corrections", {}),
        ]
        for kind in ("rss", "atom")
    ]
    return [
        story.get_absolute_url(),
        reverse("articles:home"),
        section.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "harbour"}),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=harbour",
        reverse("articles:corrections"),
        *feeds,
        reverse("news_sitemap"),
        reverse("robots_txt"),
        reverse("api:articles"),
        reverse("api:article", kwargs={"pk": story.pk}),
    ]


def test_every_surface_gives_only_addresses_under_the_site_url(client, world):
    surfaces = reader_surfaces(world)
    index = addresses_in(client, reverse("sitemap_index"))
    sitemaps = [url.removeprefix(SITE) for url in index]
    assert len(sitemaps) >= 4  # a month of stories, sections, tags, authors
    for path in [reverse("sitemap_index"), *sitemaps, *surfaces]:
        found = addresses_in(client, path)
        assert found, f"{path} gives no absolute address"
        strays = [url for url in found if not url.startswith(SITE + "/")]
        assert strays == [], path


def test_story_page_names_itself_by_the_site_url(client, world):
    story = world["story"]
    html = client.get(story.get_absolute_url(), headers={"host": ODD_HOST}).content.decode()
    own = SITE + story.get_absolute_url()
    assert f'<link rel="canonical" href="{own}">' in html
    assert f'<meta property="og:url" content="{own}">' in html
    assert f'"url": "{own}"' in html
    assert ODD_HOST not in html


def test_robots_txt_and_the_api_name_the_site_url(client, world):
    robots = client.get(reverse("robots_txt"), headers={"host": ODD_HOST}).content.decode()
    assert f"Sitemap: {SITE}/sitemap.xml" in robots.splitlines()
    answer = client.get(reverse("api:articles"), headers={"host": ODD_HOST}).json()
    assert answer["results"][0]["url"] == SITE + world["story"].get_absolute_url()
    assert answer["results"][0]["images"]["hero"]["url"].startswith(SITE + "/media/")


def test_an_absolute_storage_address_is_left_as_it_is(settings):
    from newsroom.addresses import absolute_url

    assert absolute_url("https://cdn.example/heroes/a.jpg") == "https://cdn.example/heroes/a.jpg"
    assert absolute_url("//cdn.example/heroes/a.jpg") == "https://cdn.example/heroes/a.jpg"
    assert absolute_url("/tags/harbour/") == "https://news.example/tags/harbour/"
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    assert absolute_url("/tags/harbour/") == "http://127.0.0.1:8000/tags/harbour/"

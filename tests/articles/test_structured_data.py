import json
import re

import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article, make_author, make_correction, make_section

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    html = response.content.decode()
    return {item["@type"]: item for item in map(json.loads, LD.findall(html))}


def meta(response, attribute, name):
    found = re.search(
        rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', response.content.decode()
    )
    return found and found[1]


@pytest.mark.usefixtures("story_path")
def test_story_has_news_article_with_the_fields_search_engines_read(client, db):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada", job_title="Correspondent")
    article = make_article(
        headline="Harbour reopens",
        dek="Ships return after a year.",
        section=section,
        tags=["harbour", "shipping"],
        authors=[author],
    )
    make_correction(article=article, text="The harbour is in the north.")
    data = json_ld(client.get(article.get_absolute_url()))

    story = data["NewsArticle"]
    url = "https://news.example" + article.get_absolute_url()
    assert story["headline"] == "Harbour reopens"
    assert story["description"] == "Ships return after a year."
    assert story["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert story["articleSection"] == "World"
    assert story["keywords"] == ["harbour", "shipping"]
    assert story["datePublished"].startswith(article.publish_at.isoformat()[:19])
    assert story["dateModified"]
    assert story["author"] == [
        {
            "@type": "Person",
            "name": "Ada Reporter",
            "url": "https://news.example/authors/ada/",
            "jobTitle": "Correspondent",
        }
    ]
    assert story["publisher"]["name"] == "The Newsroom"
    assert story["publisher"]["logo"]["url"].endswith("/static/img/logo.png")
    assert story["correction"][0] == {
        "@type": "CorrectionComment",
        "text": "The harbour is in the north.",
        "datePublished": story["correction"][0]["datePublished"],
    }
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["The Newsroom", "World", "Harbour reopens"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]


@pytest.mark.usefixtures("story_path")
def test_headline_cannot_break_out_of_the_script_element(client, db):
    hostile = '</script><script>alert("x")</script><!-- &'
    article = make_article(headline=hostile, dek="</SCRIPT>dek")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    assert html.count("</script>") == len(LD.findall(html))
    story = json_ld(response)["NewsArticle"]
    assert story["headline"] == hostile
    assert story["description"] == "</SCRIPT>dek"


@pytest.mark.usefixtures("story_path")
def test_canonical_open_graph_and_twitter_tags(client, db):
    plain = make_article(headline="Plain", dek="A dek.")
    moved = make_article(canonical_url="https://partner.example/original")
    response = client.get(plain.get_absolute_url())
    url = "https://news.example" + plain.get_absolute_url()
    assert f'<link rel="canonical" href="{url}">' in response.content.decode()
    assert meta(response, "property", "og:type") == "article"
    assert meta(response, "property", "og:title") == "Plain"
    assert meta(response, "property", "og:description") == "A dek."
    assert meta(response, "property", "og:url") == url
    assert meta(response, "name", "twitter:card") == "summary"
    moved_page = client.get(moved.get_absolute_url()).content.decode()
    assert '<link rel="canonical" href="https://partner.example/original">' in moved_page
    assert json_ld(client.get(moved.get_absolute_url()))["NewsArticle"]["mainEntityOfPage"][
        "@id"
    ] == ("https://partner.example/original")


def test_every_page_has_one_canonical_link(client, db):
    section = make_section(slug="world")
    author = make_author(slug="ada")
    make_article(section=section, tags=["harbour"], authors=[author])
    for path in [
        reverse("articles:home"),
        section.get_absolute_url(),
        reverse("articles:tag", args=["harbour"]),
        author.get_absolute_url(),
        reverse("articles:search") + "?q=story",
        "/no-such-page/",
    ]:
        html = client.get(path).content.decode()
        assert html.count('<link rel="canonical"') == 1, path


def test_canonical_keeps_only_the_page_number(client, db):
    section = make_section(slug="world")
    for _ in range(21):
        make_article(section=section)
    html = client.get(section.get_absolute_url() + "?page=2&utm_source=x").content.decode()
    assert '<link rel="canonical" href="https://news.example/sections/world/?page=2">' in html


def test_author_page_has_profile_page_with_same_as(client, db):
    author = make_author(
        name="Ada Reporter",
        slug="ada",
        website="https://ada.example",
        social_links=["https://social.example/@ada"],
    )
    data = json_ld(client.get(author.get_absolute_url()))
    person = data["ProfilePage"]["mainEntity"]
    assert person["@type"] == "Person"
    assert person["name"] == "Ada Reporter"
    assert person["url"] == "https://news.example/authors/ada/"
    assert person["sameAs"] == ["https://ada.example", "https://social.example/@ada"]
    assert person["description"] == "Covers military, intelligence and geopolitics."
    assert [c["name"] for c in data["BreadcrumbList"]["itemListElement"]] == [
        "The Newsroom",
        "Ada Reporter",
    ]


@pytest.mark.usefixtures("story_path")
def test_preview_of_unpublished_story_has_no_structured_data(admin_client, db):
    draft = make_article(status=Article.Status.DRAFT)
    response = admin_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert json_ld(response) == {}


def test_home_page_describes_the_site_and_its_search(client, db):
    site = json_ld(client.get(reverse("articles:home")))["WebSite"]
    assert site["potentialAction"]["target"]["urlTemplate"] == (
        "https://news.example/search/?q={search_terms}"
    )


# A teaser's headline link, on a list page: the story's address.
TEASER_LINK = re.compile(r'<h[23] class="teaser__headline[^"]*"><a href="([^"]+)"')


def check_item_list(response):
    """The page's ItemList, checked against the page: positions 1..n, and each story the page
    links to from a teaser, once, in page order, as an absolute address. Returns the urls."""
    html = response.content.decode()
    listed = json_ld(response)["ItemList"]
    assert listed["@context"] == "https://schema.org"
    items = listed["itemListElement"]
    assert [item["@type"] for item in items] == ["ListItem"] * len(items)
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    urls = [item["url"] for item in items]
    assert all(url.startswith("https://news.example/") for url in urls)
    on_page = [
        f"https://news.example{href}" for href in TEASER_LINK.findall(html) if href[0] == "/"
    ]
    assert urls == list(dict.fromkeys(on_page))
    return urls


def test_the_automatic_home_page_lists_its_stories_in_page_order(client, db):
    from articles import front_pages

    sections = [make_section(name=name) for name in ("World", "Arts")]
    stories = [make_article(section=sections[n % 2]) for n in range(20)]
    view = front_pages.view_for("home")
    front_pages.unregister("home")
    try:
        response = client.get(reverse("articles:home"))
    finally:
        front_pages.register("home", view)
    urls = check_item_list(response)
    # The lead and the twelve latest, then four of each section's next.
    assert len(urls) == 13 + 4 + 3
    assert urls[0] == "https://news.example" + stories[0].get_absolute_url()


def test_an_empty_home_page_has_no_item_list(client, db):
    assert "ItemList" not in json_ld(client.get(reverse("articles:home")))

from datetime import timedelta
from xml.etree import ElementTree

import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.sitemaps import StorySitemap
from tests.factories import make_article, make_author, make_section

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own output)


def locs(tree):
    return [el.text for el in tree.iterfind(".//sm:loc", NS)]


def absolute(obj):
    return "http://testserver" + obj.get_absolute_url()


def make_hidden_stories(**common):
    return [
        make_article(headline="Scheduled", publish_at="future", **common),
        make_article(headline="Draft", status=Article.Status.DRAFT, **common),
        make_article(
            headline="Expired",
            publish_at=timezone.now() - timedelta(days=1),
            unpublish_at="past",
            **common,
        ),
        make_article(headline="Withdrawn", status=Article.Status.WITHDRAWN, **common),
    ]


def test_index_lists_each_sitemap_and_sections_list_only_live_content(client, db):
    section = make_section(slug="world")
    empty_section = make_section(slug="empty")
    author = make_author(slug="ada")
    idle_author = make_author(slug="idle")
    live = make_article(section=section, tags=["harbour"], authors=[author])
    hidden = make_hidden_stories(section=empty_section, tags=["secret"], authors=[idle_author])

    index = locs(xml(client, reverse("sitemap_index")))
    assert index == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("stories", "sections", "tags", "authors")
    ]

    stories = xml(client, "/sitemap-stories.xml")
    assert locs(stories) == [absolute(live)]
    assert stories.find(".//sm:lastmod", NS) is not None
    assert not set(locs(stories)) & {absolute(a) for a in hidden}
    assert locs(xml(client, "/sitemap-sections.xml")) == [absolute(section)]
    assert locs(xml(client, "/sitemap-tags.xml")) == ["http://testserver/tags/harbour/"]
    assert locs(xml(client, "/sitemap-authors.xml")) == [absolute(author)]


def test_index_splits_a_sitemap_past_its_limit(client, db, monkeypatch):
    monkeypatch.setattr(StorySitemap, "limit", 2)
    stories = [make_article() for _ in range(5)]
    index = locs(xml(client, reverse("sitemap_index")))
    assert "http://testserver/sitemap-stories.xml?p=3" in index
    assert "http://testserver/sitemap-stories.xml?p=4" not in index
    pages = [locs(xml(client, f"/sitemap-stories.xml?p={p}")) for p in (1, 2, 3)]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert sorted(sum(pages, [])) == sorted(absolute(a) for a in stories)
    assert client.get("/sitemap-stories.xml?p=4").status_code == 404
    assert client.get("/sitemap-stories.xml?p=abc").status_code == 404


def test_news_sitemap_has_live_stories_of_the_last_48_hours(client, db, settings):
    settings.NEWSROOM_SITE_NAME = "The Daily <Test> & Co"
    now = timezone.now()
    fresh = make_article(headline='Fresh "news" & <views>', publish_at=now - timedelta(hours=47))
    make_article(headline="Old", publish_at=now - timedelta(hours=49))
    make_hidden_stories()
    tree = xml(client, reverse("news_sitemap"))
    assert locs(tree) == [absolute(fresh)]
    news = tree.find(".//news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Daily <Test> & Co"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == 'Fresh "news" & <views>'
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published == timezone.localtime(fresh.publish_at).isoformat()


def test_news_sitemap_window_moves_with_the_clock(client, db):
    now = timezone.now()
    story = make_article(publish_at=now - timedelta(hours=1))
    assert locs(xml(client, reverse("news_sitemap"))) == [absolute(story)]
    with time_machine.travel(now + timedelta(hours=48), tick=False):
        assert locs(xml(client, reverse("news_sitemap"))) == []


def test_robots_txt_names_both_sitemaps(client, db):
    response = client.get(reverse("robots_txt"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines

"""The hostile corpus inside an export: post titles, content, excerpts, author names and bios,
category and tag names, picture alt texts and captions, original addresses. After the import,
nothing of it is active on any surface: the stored HTML, the reader pages, the feeds, the
admin's story page with its WordPress origin."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles.models import Article, Section
from authors.models import Author
from tests.security.hostile import (
    PAYLOADS,
    fetch_all,
    fetch_data,
    page_violations,
    stored_html_violations,
    xml_violations,
)

from .conftest import put_upload
from .wxr_files import Export, Post, attachment

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

PER_POST = 5


def hostile_export():
    groups = [PAYLOADS[i : i + PER_POST] for i in range(0, len(PAYLOADS), PER_POST)]
    authors, categories, tags, items = [], [], [], []
    for n, group in enumerate(groups):
        post_id = 1000 + n
        login = f"author{n}"
        authors.append((login, group[0], f"a{n}@old.example", "\n\n".join(group)))
        categories.append((10 + n, f"cat-{n}", "", group[-1]))
        tags.append((500 + n, f"tag-{n}", group[1 % len(group)]))
        items.append(
            attachment(
                5000 + n,
                f"2020/05/pic{n}.jpg",
                parent=post_id,
                alt=group[0],
                caption=group[-1],
                credit=group[1 % len(group)],
            )
        )
        items.append(
            Post(
                post_id,
                title=" ".join(group),
                slug=f"hostile-{n}",
                content="\n\n".join(group)
                + f'\n\n[caption]<img src="x.jpg" alt="{group[0]}"> {group[-1]}[/caption]',
                excerpt=group[-1],
                creator=login,
                link=f"https://old.example/{n}/{group[0][:40]}",
                terms=[
                    ("category", f"cat-{n}", group[-1]),
                    ("post_tag", f"tag-{n}", group[1 % len(group)]),
                ],
                meta={"_thumbnail_id": str(5000 + n)},
            )
        )
    return Export(authors=authors, categories=categories, tags=tags, items=items)


def test_the_hostile_corpus_executes_nothing_anywhere(run_import, uploads, client, admin_client):
    groups = (len(PAYLOADS) + PER_POST - 1) // PER_POST
    for n in range(groups):
        put_upload(uploads, f"2020/05/pic{n}.jpg")
    run_import(hostile_export(), "--uploads", str(uploads))
    articles = list(Article.objects.all())
    assert len(articles) == groups

    stored = {}
    for article in articles:
        found = stored_html_violations(article.body_html)
        for byline in article.bylines.all():
            found += stored_html_violations(byline.bio_snapshot)
        if found:
            stored[article.slug] = found
    for author in Author.objects.all():
        if found := stored_html_violations(author.bio_html):
            stored[author.slug] = found
    assert stored == {}

    urls = [reverse("articles:home")]
    urls += [article.get_absolute_url() for article in articles]
    urls += [section.get_absolute_url() for section in Section.objects.all()]
    urls += [reverse("articles:tag", args=[tag.slug]) for tag in Tag.objects.all()]
    urls += [author.get_absolute_url() for author in Author.objects.all()]
    assert fetch_all(client, urls) == {}

    feeds = [reverse("feeds:site_rss"), reverse("feeds:site_atom")]
    feeds += [reverse("feeds:author_rss", args=[a.slug]) for a in Author.objects.all()[:10]]
    assert fetch_data(client, feeds, xml_violations) == {}

    admin_problems = {}
    for article in articles:
        response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert "WordPress origin" in html
        found = page_violations(html, admin=True, admin_scripts={reverse("admin:jsi18n")})
        if found:
            admin_problems[article.pk] = found
    assert admin_problems == {}


def test_hostile_old_addresses_answer_with_the_sites_own_address(run_import, client):
    run_import(hostile_export())
    from articles.models import ArticleRedirect

    for redirect in ArticleRedirect.objects.select_related("article")[:40]:
        response = client.get(redirect.old_path)
        if response.status_code == 301:
            assert response["Location"] == redirect.article.get_absolute_url()

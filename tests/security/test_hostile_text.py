"""Every line of the hostile corpus through the text fields, checked on every surface.

The lines go a few to a story (see ``hostile.build_corpus``): each is whole in its story's body, bio
and correction, leads one of the one-line fields the story's page shows, and shares the other fields
as far as their lengths allow.

A surface is a name and a function from the corpus to the URLs to fetch; feeds, search, the API and
history pages join by adding an entry to READER_SURFACES or ADMIN_SURFACES.
"""

from urllib.parse import urlencode, urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape
from taggit.models import Tag

from articles.history import diff_versions
from articles.search import MAX_QUERY_LENGTH
from authors.models import Author
from content.markup import clean_single_line, clean_text
from tests.factories import make_user
from tests.security.hostile import (
    ONE_LINE,
    PAYLOADS,
    SHOWN_LINE_FIELDS,
    STORY_LINE_FIELDS,
    build_corpus,
    delete_corpus,
    fetch_all,
    fetch_data,
    fit,
    json_violations,
    record_history,
    shown_as_text,
    stored_html_violations,
    story_text,
    xml_violations,
)

# The whole hostile corpus through every surface, the admin forms included.
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus_media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _media_root(settings, corpus_media):
    """The corpus's hero picture stays where the module put it, for every test here."""
    settings.MEDIA_ROOT = corpus_media


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker, corpus_media):
    media = corpus_media
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        built = build_corpus()
        record_history(built)
    yield built
    with django_db_blocker.unblock():
        delete_corpus()


def compare_url(older, newer):
    url = reverse("admin:articles_article_compare", args=[older.object_id])
    return f"{url}?{urlencode({'from': older.pk, 'to': newer.pk})}"


def changelist_pages(name, count):
    url = reverse(f"admin:{name}_changelist")
    return [f"{url}?p={page}" for page in range(1, count // 100 + 2)]


def search_queries(payloads):
    """The lines as queries, joined while a query stays within what the search keeps; a longer
    line goes alone and whole, so the page also says it was shortened."""
    queries = [payloads[0]]
    for payload in payloads[1:]:
        joined = queries[-1] + ONE_LINE + payload
        if len(joined) <= MAX_QUERY_LENGTH:
            queries[-1] = joined
        else:
            queries.append(payload)
    return queries


READER_SURFACES = {
    "home": lambda c: [reverse("articles:home")],
    "story": lambda c: [article.get_absolute_url() for article in c.articles],
    "section": lambda c: [section.get_absolute_url() for section in c.sections],
    "tag": lambda c: [reverse("articles:tag", args=[tag.slug]) for tag in Tag.objects.all()],
    "author": lambda c: [author.get_absolute_url() for author in c.authors],
    # Every payload in a query, too: what a reader types is echoed back on the results page.
    "search": lambda c: [
        f"{reverse('articles:search')}?{urlencode({'q': q})}"
        for q in ["hostile", "story", *search_queries(PAYLOADS)]
    ],
}


def feed_urls(corpus):
    urls = [reverse("feeds:site_rss"), reverse("feeds:site_atom")]
    lists = [
        ("section", [s.slug for s in corpus.sections]),
        ("tag", list(Tag.objects.values_list("slug", flat=True))),
        ("author", [a.slug for a in corpus.authors]),
    ]
    for kind, slugs in lists:
        for slug in slugs:
            urls += [
                reverse(f"feeds:{kind}_rss", args=[slug]),
                reverse(f"feeds:{kind}_atom", args=[slug]),
            ]
    return urls


def sitemap_urls(client):
    """The index, every sitemap it lists (fetched from the index itself) and the news sitemap."""
    from xml.etree import ElementTree

    index = client.get(reverse("sitemap_index"))
    root = ElementTree.fromstring(index.content)  # noqa: S314 - the site's own answer
    listed = [urlsplit(loc.text).path for loc in root.iter() if loc.tag.endswith("loc")]
    listed += [urlsplit(loc.text).path + "?p=2" for loc in root.iter() if loc.tag.endswith("loc")]
    return [reverse("sitemap_index"), reverse("news_sitemap"), *listed]


def api_urls(corpus):
    listing = reverse("api:articles")
    return [
        listing,
        f"{listing}?{urlencode({'limit': 50})}",
        *[reverse("api:article", args=[a.pk]) for a in corpus.articles],
    ]


# Machine-readable surfaces: the rule that fits each, and the URLs to fetch.
DATA_SURFACES = {
    "feeds": (lambda c, client: feed_urls(c), xml_violations),
    "sitemaps": (lambda c, client: sitemap_urls(client), xml_violations),
    "api": (lambda c, client: api_urls(c), json_violations),
}

ADMIN_SURFACES = {
    "article changelist": lambda c: changelist_pages("articles_article", len(c.articles)),
    # Every story's change form: the slowest surface (about 0.3 s a page).
    "article change form": lambda c: [
        reverse("admin:articles_article_change", args=[a.pk]) for a in c.articles
    ],
    "author changelist": lambda c: changelist_pages("authors_author", len(c.authors)),
    "author change form": lambda c: [
        reverse("admin:authors_author_change", args=[a.pk]) for a in c.authors
    ],
    "section changelist": lambda c: changelist_pages("articles_section", len(c.sections)),
    "correction changelist": lambda c: changelist_pages("articles_correction", len(c.articles)),
    "teaser changelist": lambda c: changelist_pages("articles_relatedteaser", 2 * len(c.articles)),
    "tag changelist": lambda c: changelist_pages("taggit_tag", len(c.articles)),
    # Each story's two versions (see record_history): the list, the diff, the revert form.
    "article history": lambda c: [
        reverse("admin:articles_article_history", args=[a.pk]) for a in c.articles
    ],
    "article diff": lambda c: [compare_url(older, newer) for older, newer in c.history],
    "article revert form": lambda c: [
        reverse("admin:articles_article_revision", args=[older.object_id, older.pk])
        for older, _ in c.history
    ],
}


def test_corpus_is_the_whole_file(corpus, db):
    """Every line is carried: whole in its story's body, its author's bio and its correction, and
    at the head of one of the one-line fields the story's page shows. And every line is searched."""
    assert len(PAYLOADS) > 300
    assert [line for chunk in corpus.chunks for line in chunk] == PAYLOADS
    assert ONE_LINE.join(search_queries(PAYLOADS)) == ONE_LINE.join(PAYLOADS)
    missing = []
    for chunk, article in zip(corpus.chunks, corpus.articles, strict=True):
        article.refresh_from_db()
        texts = [article.body, article.bylines.get().author.bio, article.corrections.get().text]
        for line in chunk:
            leads = any(
                getattr(article, name).startswith(clean_single_line(fit(line, limit)))
                for name, limit in SHOWN_LINE_FIELDS
            )
            if not (leads and all(clean_text(line) in text for text in texts)):
                missing.append(line)
    assert missing == []


def test_stored_html_keeps_the_rules(corpus, db):
    problems = {}
    for author in Author.objects.all():
        if found := stored_html_violations(author.bio_html):
            problems[f"bio of {author.slug}"] = found
    for article in corpus.articles:
        article.refresh_from_db()
        if found := stored_html_violations(article.body_html):
            problems[f"body of {article.slug}"] = found
    assert problems == {}


@pytest.mark.parametrize("surface", READER_SURFACES)
def test_reader_surface_sends_no_active_content(corpus, client, db, surface):
    urls = READER_SURFACES[surface](corpus)
    assert urls
    assert fetch_all(client, urls) == {}


@pytest.mark.parametrize("surface", DATA_SURFACES)
def test_data_surface_carries_no_active_content(corpus, client, db, surface):
    urls, check = DATA_SURFACES[surface]
    urls = urls(corpus, client)
    assert len(urls) > 2
    assert fetch_data(client, urls, check) == {}


def test_search_results_list_hostile_stories(corpus, client, db):
    # The search surface above is only worth something if its pages list the corpus's stories.
    content = client.get(reverse("articles:search"), {"q": "alert"}).content.decode()
    assert any(article.get_absolute_url() in content for article in corpus.articles)


@pytest.mark.parametrize("surface", ADMIN_SURFACES)
def test_admin_surface_sends_no_active_content(corpus, db, surface):
    from django.test import Client

    client = Client()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    urls = ADMIN_SURFACES[surface](corpus)
    assert urls
    assert fetch_all(client, urls, admin=True) == {}


def test_story_shows_every_text_field_literally(corpus, client, db):
    missing = {}
    for chunk, article in zip(corpus.chunks, corpus.articles, strict=True):
        content = client.get(article.get_absolute_url()).content.decode()
        text = story_text(chunk)
        for name, _ in SHOWN_LINE_FIELDS:
            if shown_as_text(text[name]) not in content:
                missing.setdefault(article.slug, []).append(name)
        author = article.bylines.get().author
        if escape(author.name) not in content or escape(author.job_title) not in content:
            missing.setdefault(article.slug, []).append("author")
    assert missing == {}


def test_admin_change_form_shows_the_one_line_fields_as_values(corpus, admin_client, db):
    # Every line leads one of these fields, so every line is looked for literally.
    missing = {}
    for chunk, article in zip(corpus.chunks, corpus.articles, strict=True):
        url = reverse("admin:articles_article_change", args=[article.pk])
        content = admin_client.get(url).content.decode()
        text = story_text(chunk)
        for name, _ in STORY_LINE_FIELDS:
            if f'value="{shown_as_text(text[name])}"' not in content:
                missing.setdefault(article.slug, []).append(name)
    assert missing == {}


def test_diff_shows_both_versions_escaped(corpus, admin_client, db):
    """Every line the diff removes or adds is on the page, escaped, whatever the payload."""
    problems = {}
    for older, newer in corpus.history:
        page = admin_client.get(compare_url(older, newer)).content.decode()
        rows = [row for change in diff_versions(older, newer) for row in change["rows"]]
        kinds = {kind for kind, _ in rows}
        if not {"removed", "added"} <= kinds:
            problems[older.object_id] = f"only {sorted(kinds)}"
        for kind, text in rows:
            shown = {
                "removed": f'<del class="diff-removed">− {escape(text)}</del>',
                "added": f'<ins class="diff-added">+ {escape(text)}</ins>',
                "same": f'<span class="diff-same">  {escape(text)}</span>',
            }[kind]
            if shown not in page:
                problems.setdefault(older.object_id, []).append(f"{kind}: {text!r}")
    assert problems == {}


def test_revert_form_shows_the_old_one_line_fields_as_values(corpus, admin_client, db):
    # The older version holds the next story's lines (see record_history): every line again.
    missing = {}
    for number, (older, _) in enumerate(corpus.history):
        url = reverse("admin:articles_article_revision", args=[older.object_id, older.pk])
        content = admin_client.get(url).content.decode()
        text = story_text(corpus.chunks[(number + 1) % len(corpus.chunks)])
        for name, _ in STORY_LINE_FIELDS:
            if f'value="{shown_as_text(text[name])}"' not in content:
                missing.setdefault(older.object_id, []).append(name)
    assert missing == {}

from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import search as search_module
from articles.models import Article, Byline
from tests.factories import make_article, make_author
from tests.htmltree import parse
from tests.security.hostile import PAYLOADS, page_violations

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="full-text search runs on PostgreSQL; SQLite uses the fallback tested below",
)


def search(client, q, **params):
    response = client.get(reverse("articles:search"), {"q": q, **params})
    assert response.status_code == 200
    return response


def headlines(response):
    page = response.context["page"]
    return [article.headline for article in page.object_list] if page else []


def make_hidden(word):
    """One story in every state that must never be found, each containing ``word``."""
    text = {"body": f"Hidden {word} text."}
    make_article(headline="Scheduled", publish_at="future", **text)
    make_article(headline="Draft", status=Article.Status.DRAFT, **text)
    make_article(headline="Review", status=Article.Status.IN_REVIEW, **text)
    make_article(headline="Withdrawn", status=Article.Status.WITHDRAWN, **text)
    make_article(
        headline="Expired",
        publish_at=timezone.now() - timedelta(days=2),
        unpublish_at="past",
        **text,
    )


def test_finds_a_word_that_is_only_in_the_body_and_only_live_stories(client, db):
    make_article(headline="Council meets", dek="A quiet session.", body="The aqueduct leaks.")
    make_article(headline="Unrelated", body="Nothing here.")
    make_hidden("aqueduct")
    assert headlines(search(client, "aqueduct")) == ["Council meets"]


def test_finds_words_in_headline_and_dek(client, db):
    make_article(headline="Lighthouse restored", body="Work finished.")
    make_article(headline="Other", dek="The lighthouse keeper retires.")
    assert sorted(headlines(search(client, "lighthouse"))) == ["Lighthouse restored", "Other"]


@postgresql_only
def test_headline_match_ranks_above_dek_and_body_matches(client, db):
    make_article(headline="Budget vote", body="Parliament met to talk about ferries.")
    make_article(headline="Ferry timetable changes", body="New times from Monday.")
    make_article(headline="Port news", dek="A ferry was delayed.", body="Nothing more.")
    assert headlines(search(client, "ferry")) == [
        "Ferry timetable changes",
        "Port news",
        "Budget vote",
    ]


@postgresql_only
def test_phrase_negation_and_or(client, db):
    make_article(headline="One", body="The new bridge opened on time.")
    make_article(headline="Two", body="The bridge is new and it opened late.")
    make_article(headline="Three", body="A tunnel opened.")
    assert headlines(search(client, '"new bridge"')) == ["One"]
    assert headlines(search(client, "opened -bridge")) == ["Three"]
    assert sorted(headlines(search(client, "tunnel or late"))) == ["Three", "Two"]


@postgresql_only
def test_stemming_and_highlighted_snippets(client, db):
    make_article(
        headline="Harbour",
        body='Fishermen were protesting: 5 < 6 & "x" <script>alert(1)</script> at the wall.',
    )
    response = search(client, "protest")
    assert headlines(response) == ["Harbour"]
    html = response.content.decode()
    assert "<mark>protesting</mark>" in html
    assert "5 &lt; 6 &amp; “x”" in html  # the body's text as readers read it, escaped
    assert "<script>alert" not in html


@postgresql_only
def test_search_vector_follows_edits_including_bulk_updates(client, db):
    article = make_article(headline="Old words", body="Nothing.")
    article.headline = "Windmill repaired"
    article.save()
    assert headlines(search(client, "windmill")) == ["Windmill repaired"]
    Article.objects.filter(pk=article.pk).update(body="A sturgeon was seen.")
    assert headlines(search(client, "sturgeon")) == ["Windmill repaired"]


def test_fallback_highlights_and_escapes(client, db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    make_article(headline="Tram", dek="The line reopens.", body="Tram tram: `<i>tram</i>`.")
    response = search(client, "tram")
    html = response.content.decode()
    assert "<mark>tram</mark>" in html
    assert "&lt;i&gt;<mark>tram</mark>&lt;/i&gt;" in html


def test_fallback_finds_body_words_phrases_and_negation(client, db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    make_article(headline="One", body="The new bridge opened on time.")
    make_article(headline="Two", body="The bridge is new and it opened late.")
    make_article(headline="Three", body="A tunnel opened.")
    make_hidden("opened")
    assert sorted(headlines(search(client, "opened"))) == ["One", "Three", "Two"]
    assert headlines(search(client, '"new bridge"')) == ["One"]
    assert headlines(search(client, "opened -bridge")) == ["Three"]


@postgresql_only
def test_only_the_newest_matches_are_ranked_then_best_first(client, db, monkeypatch, settings):
    settings.NEWSROOM_PAGE_CACHE = False  # the same search is asked twice
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    make_article(headline="Otter otter otter", publish_at=now - timedelta(days=9))
    make_article(headline="Otters return", publish_at=now - timedelta(days=8))
    make_article(headline="Weir", body="An otter by the weir.", publish_at=now - timedelta(days=3))
    make_article(headline="Otter count", body="Otters.", publish_at=now - timedelta(days=2))
    make_article(
        headline="Bridge", body="An otter at the bridge.", publish_at=now - timedelta(days=1)
    )
    make_hidden("otter")
    # The two headline matches outside the newest three are better matches, and are not shown;
    # within the three, a headline match comes first, then the newest.
    assert headlines(search(client, "otter")) == ["Otter count", "Bridge", "Weir"]
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 5)
    assert headlines(search(client, "otter")) == [
        "Otter otter otter",
        "Otter count",
        "Otters return",
        "Bridge",
        "Weir",
    ]


def test_fallback_lists_only_the_newest_matches(client, db, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 3)
    now = timezone.now()
    for days in (5, 4, 3, 2, 1):
        make_article(headline=f"Heron {days}", publish_at=now - timedelta(days=days))
    make_hidden("heron")
    assert headlines(search(client, "heron")) == ["Heron 1", "Heron 2", "Heron 3"]
    assert client.get(reverse("articles:search"), {"q": "heron", "page": 2}).status_code == 404


def test_cap_and_pages_together_never_reach_past_the_candidates(client, db, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CANDIDATES", 25)
    for n in range(30):
        make_article(headline=f"Kestrel sighting {n}")
    assert len(headlines(search(client, "kestrel"))) == 20
    second = search(client, "kestrel", page=2)
    assert len(headlines(second)) == 5
    assert "page=3" not in second.content.decode()


@pytest.mark.parametrize(
    "query",
    # A NUL is refused before any view, as a 400 (tests/security/test_bad_input.py).
    ["   ", "!!! ??? ...", "-", '""', "&&&<>", "\x01\x7f"],
)
def test_empty_and_punctuation_queries_get_a_friendly_page(client, db, query):
    make_article(headline="Anything")
    response = search(client, query)
    assert headlines(response) == []
    assert "Type a word or a phrase" in response.content.decode()


def test_a_query_of_only_operators_or_stop_words_finds_nothing_without_error(client, db):
    make_article(headline="Anything", body="the or and")
    for query in ["or", "-the", '"" or ""', "the"]:
        assert search(client, query).status_code == 200


def test_absurdly_long_query_is_shortened_not_an_error(client, db):
    make_article(headline="Lighthouse")
    response = search(client, "lighthouse " * 5000)
    assert "first 200 characters" in response.content.decode()
    assert len(response.context["query"]) <= 200


def test_search_results_are_paginated_and_keep_the_query(client, db):
    for n in range(25):
        make_article(headline=f"Kestrel sighting {n}")
    first = search(client, "kestrel")
    assert len(headlines(first)) == 20
    # No total: the results are not counted (and only the newest matches are candidates).
    assert ">Results for “kestrel”</h2>" in first.content.decode()
    assert "?q=kestrel&amp;page=2" in first.content.decode()
    second = search(client, "kestrel", page=2)
    assert len(headlines(second)) == 5
    assert '<ol class="search-results" start="21">' in second.content.decode()
    assert client.get(reverse("articles:search"), {"q": "kestrel", "page": 9}).status_code == 404


def test_page_without_query_shows_the_form_only(client, db):
    response = client.get(reverse("articles:search"))
    assert response.status_code == 200
    assert 'role="search"' in response.content.decode()
    assert "Type a word" not in response.content.decode()


@pytest.fixture(params=["database", "fallback"])
def engine(request, monkeypatch):
    """Each test below runs on the database's own search and on the plain fallback."""
    if request.param == "fallback":
        monkeypatch.setattr(connection, "vendor", "sqlite")
    return request.param


def results(response):
    return parse(response.content).find_all("li", class_="search-result")


FILLER = " ".join(f"Sentence {n} says nothing much at all." for n in range(30))


def test_a_result_shows_the_dek_once_and_a_marked_passage_of_the_rendered_body(client, db, engine):
    make_article(
        headline="Keeper retires",
        dek="After forty years, the light goes *automatic*.",
        body=f"# Forty years\n\n{FILLER}\n\nThe **lighthouse** keeper locked the door.",
    )
    [result] = results(search(client, "lighthouse"))
    text = result.clean_text
    assert text.count("After forty years, the light goes automatic.") == 1
    snippet = result.one("p", class_="search-result__snippet")
    assert [mark.clean_text for mark in snippet.find_all("mark")] == ["lighthouse"]
    # The passage is taken around the match, from the text readers read: no Markdown markers.
    assert "keeper locked the door" in snippet.clean_text
    assert "Sentence 0 " not in snippet.clean_text
    assert not {"*", "#"} & set(snippet.clean_text)


def test_a_result_without_a_match_in_the_body_shows_its_opening(client, db, engine):
    make_article(headline="Lighthouse sold", dek="", body="The _new owner_ plans a hotel.")
    [result] = results(search(client, "lighthouse"))
    snippet = result.one("p", class_="search-result__snippet")
    assert snippet.clean_text == "The new owner plans a hotel."
    assert result.clean_text.count("The new owner plans a hotel.") == 1


def test_bylines_names_are_searchable_and_follow_changes(client, db, engine, settings):
    settings.NEWSROOM_PAGE_CACHE = False  # the same searches are asked again after each change
    author = make_author(name="Ada Lovelace")
    story = make_article(headline="Engines", body="Analytical.", authors=[author])
    make_article(headline="Other", body="Nothing.")
    assert headlines(search(client, "lovelace")) == ["Engines"]
    assert headlines(search(client, '"ada lovelace"')) == ["Engines"]
    assert headlines(search(client, "analytical -lovelace")) == []

    author.name = "Ada Byron"
    author.save()
    assert headlines(search(client, "byron")) == ["Engines"]
    assert headlines(search(client, "lovelace")) == []

    Byline.objects.filter(article=story).delete()
    assert headlines(search(client, "byron")) == []
    Byline.objects.create(article=story, author=make_author(name="Grace Hopper"))
    Byline.objects.create(article=story, author=author, position=1)
    assert headlines(search(client, "hopper")) == headlines(search(client, "byron")) == ["Engines"]


def test_passages_of_hostile_bodies_are_escaped_text_with_only_marks_added(client, db, engine):
    for number, start in enumerate(range(0, len(PAYLOADS), 8)):
        lines = PAYLOADS[start : start + 8]
        make_article(headline=f"Hostile {number}", body="\n\n".join(["Zebra.", *lines, "zebra"]))
    response = search(client, "zebra")
    assert len(results(response)) == min(len(range(0, len(PAYLOADS), 8)), 20)
    html = response.content.decode()
    assert page_violations(html, own_forms={reverse("articles:search")}) == []
    for result in results(response):
        snippet = result.one("p", class_="search-result__snippet")
        assert {child.tag for child in snippet.iter()} == {"mark"}

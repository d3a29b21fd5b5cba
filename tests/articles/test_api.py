from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import make_article, make_author, make_correction, make_section


def get(client, url, **params):
    response = client.get(url, params)
    assert response["Content-Type"] == "application/json"
    return response


def test_article_shape(client, db):
    section = make_section(name="World", slug="world")
    author = make_author(name="Ada Reporter", slug="ada", job_title="Correspondent")
    article = make_article(
        headline="Harbour reopens",
        kicker="Update",
        dek="Ships return.",
        body="A *long* wait.",
        section=section,
        tags=["harbour"],
        authors=[author],
    )
    make_correction(article=article, text="Fixed a date.")
    data = get(client, reverse("api:article", args=[article.pk])).json()
    page_url = "https://news.example" + article.get_absolute_url()
    assert data == {
        "id": article.pk,
        "url": page_url,
        "api_url": f"https://news.example/api/articles/{article.pk}/",
        "canonical_url": page_url,
        "headline": "Harbour reopens",
        "kicker": "Update",
        "dek": "Ships return.",
        "body_html": "<p>A <em>long</em> wait.</p>",
        "section": {
            "name": "World",
            "slug": "world",
            "url": "https://news.example/sections/world/",
        },
        "tags": [
            {"name": "harbour", "slug": "harbour", "url": "https://news.example/tags/harbour/"}
        ],
        "bylines": [
            {
                "name": "Ada Reporter",
                "slug": "ada",
                "role": "reporter",
                "job_title": "Correspondent",
                "url": "https://news.example/authors/ada/",
            }
        ],
        "images": {"hero": None},
        "published_at": article.publish_at.isoformat(),
        "first_published_at": article.first_published_at.isoformat(),
        "updated_at": None,
        "corrections": [
            {
                "kind": "correction",
                "text": "Fixed a date.",
                "published_at": data["corrections"][0]["published_at"],
            }
        ],
    }
    assert get(client, reverse("api:articles")).json()["results"] == [data]


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.IN_REVIEW},
        {"status": Article.Status.WITHDRAWN},
        {"publish_at": "future"},
        {"publish_at": timezone.now() - timedelta(days=2), "unpublish_at": "past"},
    ],
)
def test_only_live_stories_are_served(client, db, state):
    hidden = make_article(**state)
    live = make_article()
    assert [a["id"] for a in get(client, reverse("api:articles")).json()["results"]] == [live.pk]
    response = get(client, reverse("api:article", args=[hidden.pk]))
    assert response.status_code == 404
    assert response.json() == {"error": "No live story has this id."}


def test_cursor_pagination_walks_every_story_once_newest_first(client, db):
    now = timezone.now()
    same_moment = now - timedelta(hours=3)
    stories = [make_article(publish_at=now - timedelta(hours=h)) for h in (1, 2)]
    stories += [make_article(publish_at=same_moment) for _ in range(3)]
    expected = [a.pk for a in Article.objects.newest_first()]
    seen, url, pages = [], reverse("api:articles") + "?limit=2", 0
    while url:
        body = client.get(url).json()
        seen += [a["id"] for a in body["results"]]
        url, pages = body["next"], pages + 1
    assert seen == expected
    assert pages == 3
    assert len(stories) == 5


def test_a_story_published_meanwhile_does_not_shift_the_next_page(client, db):
    _newest, second, _oldest = (make_article(publish_at="past") for _ in range(3))
    page = client.get(reverse("api:articles"), {"limit": 1}).json()
    make_article(publish_at=timezone.now() - timedelta(minutes=1))
    following = client.get(page["next"]).json()
    assert following["results"][0]["id"] == second.pk


@pytest.mark.parametrize("cursor", ["garbage", "W10:1tamper:sig", ""])
def test_bad_cursor_or_limit_is_a_400(client, db, cursor):
    make_article()
    if cursor:
        response = get(client, reverse("api:articles"), cursor=cursor)
        assert response.status_code == 400
        assert "cursor" in response.json()["error"]
    for limit in ("0", "51", "ten", "-1"):
        response = get(client, reverse("api:articles"), limit=limit)
        assert response.status_code == 400


def test_filters_by_section_tag_and_author_keep_following_pages_filtered(client, db):
    world = make_section(slug="world")
    ada = make_author(slug="ada")
    both = make_article(section=world, tags=["harbour", "ships"], authors=[ada])
    make_article(section=make_section(slug="sport"), tags=["football"])
    tagged = make_article(tags=["harbour"])

    def ids(**params):
        return [a["id"] for a in get(client, reverse("api:articles"), **params).json()["results"]]

    assert ids(section="world") == [both.pk]
    assert ids(author="ada") == [both.pk]
    assert sorted(ids(tag="harbour")) == sorted([both.pk, tagged.pk])
    assert ids(section="world", tag="football") == []
    assert ids(section="nowhere") == []
    first = get(client, reverse("api:articles"), tag="harbour", limit=1).json()
    assert "tag=harbour" in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert {first["results"][0]["id"], second["results"][0]["id"]} == {both.pk, tagged.pk}


def test_api_is_read_only(client, db):
    assert client.post(reverse("api:articles")).status_code == 405


def test_list_runs_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    for _ in range(3):
        make_article(tags=["a", "b"], authors=[make_author()])
    make_correction(article=Article.objects.first())
    client.get(reverse("articles:home"))  # the page cache's per-generation bookkeeping
    # stories (section joined, tags folded in), bylines+authors, corrections.
    with django_assert_num_queries(3):
        assert len(client.get(reverse("api:articles")).json()["results"]) == 3

"""The article page, read element by element from the rendered HTML."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Byline
from tests.factories import (
    make_article,
    make_author,
    make_correction,
    make_image,
    make_section,
    make_teaser,
)
from tests.htmltree import parse

# Every test on both paths of the story page's data (tests/articles/conftest.py).
pytestmark = pytest.mark.usefixtures("story_path")

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
PUBLISHED = datetime(2025, 3, 13, 7, 30, tzinfo=UTC)
UPDATED = datetime(2025, 3, 14, 9, 15, tzinfo=UTC)
LONG_DEK = (
    "Dock workers returned to the eastern quay on Thursday after a fortnight of repairs, and the "
    "port authority said the first container ships would berth before the end of the week, weather "
    "permitting."
)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _moment(attribute):
    # Whole seconds with a numeric offset: the Nu checker rejects fractional seconds.
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", attribute)
    return datetime.fromisoformat(attribute)


@pytest.fixture
def story(db, frozen):
    ada = make_author(
        name="Ada Reyes",
        slug="ada-reyes",
        job_title="Ports correspondent",
        bio="Covers *shipping* and the coast.",
        photo=make_image(name="ada.png", size=(96, 96)),
    )
    ben = make_author(
        name="Ben Okafor",
        slug="ben-okafor",
        job_title="Staff photographer",
        bio="The bio as it is today.",
        photo=make_image(name="ben.png", size=(96, 96)),
    )
    article = make_article(
        headline="Harbour reopens after the storm",
        slug="harbour-reopens",
        kicker="Analysis",
        dek="The eastern quay is open again, three weeks after the breakwater failed.",
        body=(
            "The first ferry left at **dawn**.\n\n# What comes next\n\n"
            "> We are open for business.\n\n- Repairs\n- Inspections\n"
        ),
        section=make_section(name="Coast", slug="coast"),
        tags=["Ports", "Storm damage"],
        authors=[ada, (ben, Byline.Role.PHOTOGRAPHER)],
        hero_image=make_image(name="quay.png", size=(64, 40)),
        hero_caption="Ferries at the eastern quay on Thursday.",
        hero_credit="Ben Okafor / The Newsroom",
        hero_alt="Two ferries moored at a concrete quay under a grey sky",
        publish_at=PUBLISHED,
        updated_at=UPDATED,
    )
    Byline.objects.filter(author=ben).update(bio_snapshot="<p>The bio as it was published.</p>")
    make_correction(
        article=article,
        text="An earlier version gave the wrong quay.",
        published_at=NOW - timedelta(hours=1),
    )
    make_correction(
        article=article,
        text="A correction not yet released.",
        published_at=NOW + timedelta(hours=1),
    )
    live_target = make_article(
        headline="Breakwater repairs begin", dek=LONG_DEK, publish_at=NOW - timedelta(days=3)
    )
    draft_target = make_article(
        headline="Draft about dredging", status=Article.Status.DRAFT, publish_at=None
    )
    make_teaser(article=article, target=live_target, position=1)
    make_teaser(article=article, target=draft_target, position=2)
    make_teaser(
        article=article,
        url="https://coastguard.example/notice",
        headline="Coastguard notice to mariners",
        excerpt="The official notice.",
        position=3,
    )
    return {"article": article, "ada": ada, "ben": ben, "live_target": live_target}


@pytest.fixture
def page(client, story):
    response = client.get(story["article"].get_absolute_url())
    assert response.status_code == 200
    return parse(response.content)


def test_header_has_kicker_headline_and_dek(page):
    header = page.one("article", class_="story").one("header")

    assert header.one("p", class_="kicker").clean_text == "Analysis"
    assert page.one("h1").clean_text == "Harbour reopens after the storm"
    assert any(ancestor.tag == "header" for ancestor in page.one("h1").ancestors())
    assert header.one("p", class_="dek").clean_text.startswith("The eastern quay is open again")


def test_hero_image_has_alt_caption_and_credit(page, story):
    article = story["article"]
    figure = page.one("figure", class_="story__hero")
    img = figure.one("img")

    # The page serves a re-encoded rendition of the upload, never the original file.
    picture = article.hero_picture
    assert img.attrs["src"] == picture.src
    assert picture.src != article.hero_image.url
    assert figure.one("picture").one("source", type="image/webp").attrs["srcset"] == (
        picture.webp_srcset
    )
    assert img.attrs["alt"] == "Two ferries moored at a concrete quay under a grey sky"
    assert (img.attrs["width"], img.attrs["height"]) == ("64", "40")
    caption = figure.one("figcaption")
    assert "Ferries at the eastern quay on Thursday." in caption.clean_text
    assert caption.one("span", class_="credit").clean_text == "Ben Okafor / The Newsroom"


def test_every_byline_links_to_its_author_page_with_the_role(page, story):
    byline = page.one("p", class_="byline")
    people = byline.find_all("span", class_="byline__person")

    assert len(people) == 2
    assert people[0].one("a").attrs["href"] == story["ada"].get_absolute_url()
    assert people[0].one("a").clean_text == "Ada Reyes"
    assert people[0].one("span", class_="byline__role").clean_text == "(reporter)"
    assert people[1].one("a").attrs["href"] == story["ben"].get_absolute_url()
    assert people[1].one("span", class_="byline__role").clean_text == "(photographer)"


def test_publication_and_updated_times_are_machine_readable(page):
    meta = page.one("article", class_="story").one("header").one("p", class_="meta")
    times = meta.find_all("time")

    assert _moment(times[0].attrs["datetime"]) == PUBLISHED
    assert "13 March 2025" in times[0].clean_text
    updated = meta.one("span", class_="updated")
    assert "Updated" in updated.clean_text
    assert _moment(updated.one("time").attrs["datetime"]) == UPDATED


def test_no_updated_time_unless_one_was_set(client, db, frozen):
    article = make_article(publish_at=PUBLISHED, updated_at=None)

    page = parse(client.get(article.get_absolute_url()).content)

    assert page.find("span", class_="updated") is None
    story = page.one("article", class_="story")
    assert "Updated" not in story.clean_text
    assert len(story.one("header").find_all("time")) == 1


def test_body_is_the_rendered_markdown(page):
    body = page.one("div", class_="story__body")

    assert body.one("strong").text == "dawn"
    assert body.one("h2", id="what-comes-next").clean_text == "What comes next"
    assert body.one("blockquote").clean_text == "We are open for business."
    assert [li.clean_text for li in body.find_all("li")] == ["Repairs", "Inspections"]


def test_tags_link_to_their_tag_pages(client, page):
    tags = page.one("nav", class_="story__tags").find_all("a")

    assert {a.clean_text: a.attrs["href"] for a in tags} == {
        "Ports": reverse("articles:tag", kwargs={"slug": "ports"}),
        "Storm damage": reverse("articles:tag", kwargs={"slug": "storm-damage"}),
    }
    for a in tags:
        assert client.get(a.attrs["href"]).status_code == 200


def test_public_corrections_shown_future_ones_not(page):
    corrections = page.one("aside", class_="corrections")

    assert "An earlier version gave the wrong quay." in corrections.clean_text
    assert "Correction" in corrections.clean_text
    assert "not yet released" not in page.clean_text


def test_one_author_box_per_byline_with_name_title_photo_and_bio(page, story):
    boxes = page.one("footer", class_="story__authors").find_all("section", class_="author-box")

    assert len(boxes) == 2
    ada, ben = boxes
    assert ada.one("p", class_="author-box__name").clean_text == "Ada Reyes"
    assert ada.one("a").attrs["href"] == story["ada"].get_absolute_url()
    assert ada.one("p", class_="author-box__title").clean_text == "Ports correspondent"
    assert ada.one("img").attrs["src"] == story["ada"].photo_picture.src
    assert ada.one("div", class_="author-box__bio").one("em").text == "shipping"
    assert ben.one("p", class_="author-box__title").clean_text == "Staff photographer"
    assert ben.one("img").attrs["src"] == story["ben"].photo_picture.src
    assert ben.one("div", class_="author-box__bio").clean_text == "The bio as it was published."
    assert "The bio as it is today." not in page.clean_text


def test_related_teasers_show_headline_and_cut_excerpt(page, story):
    related = page.one("section", class_="related")
    teasers = related.find_all("article", class_="teaser")

    assert len(teasers) == 2
    first, external = teasers
    link = first.one("a")
    assert link.attrs["href"] == story["live_target"].get_absolute_url()
    assert link.clean_text == "Breakwater repairs begin"
    excerpt = first.one("p", class_="teaser__excerpt").clean_text
    assert excerpt.endswith("…")
    assert len(excerpt) <= 160
    assert LONG_DEK.startswith(excerpt.removesuffix("…"))
    assert external.one("a").attrs == {
        "href": "https://coastguard.example/notice",
        "rel": "noopener",
    }
    assert external.one("a").clean_text == "Coastguard notice to mariners"
    assert external.one("p", class_="teaser__excerpt").clean_text == "The official notice."
    assert "Draft about dredging" not in page.clean_text


def test_page_is_semantic_and_needs_no_script(client, story):
    response = client.get(story["article"].get_absolute_url())
    content = response.content.decode()
    page = parse(content)

    # Only structured data (JSON-LD) may sit in a script element; nothing the browser would run.
    script_types = re.findall(r"<script\b([^>]*)>", content, re.IGNORECASE)
    assert script_types
    for attributes in script_types:
        assert re.fullmatch(r'\s*type="application/ld\+json"\s*', attributes)
    assert not re.search(r"\son[a-z]+\s*=|javascript:", content, re.IGNORECASE)
    skip = page.find("a")
    assert skip.attrs["href"] == "#content"
    assert page.one("main").attrs["id"] == "content"
    story_element = page.one("main").one("article", class_="story")
    assert story_element.one("header", class_="story__header")
    assert story_element.find("figure")
    assert page.find_all("nav")
    assert page.one("html").attrs["lang"]


def test_a_wrong_date_in_the_address_redirects_permanently(client, story):
    article = story["article"]
    wrong = reverse(
        "articles:detail",
        kwargs={"year": 2019, "month": 1, "day": 2, "slug": article.slug},
    )

    response = client.get(wrong)

    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert article.get_absolute_url().startswith("/2025/03/13/")


def test_unknown_slug_is_404(client, story):
    url = reverse(
        "articles:detail", kwargs={"year": 2025, "month": 3, "day": 13, "slug": "no-such-story"}
    )

    assert client.get(url).status_code == 404


def test_an_inactive_author_keeps_the_byline_without_a_link(client, db, frozen):
    gone = make_author(name="Cleo Marsh", is_active=False)
    article = make_article(authors=[gone], publish_at=PUBLISHED)

    page = parse(client.get(article.get_absolute_url()).content)

    person = page.one("span", class_="byline__person")
    assert "Cleo Marsh" in person.clean_text
    assert person.find("a") is None
    assert page.one("section", class_="author-box").find("a") is None


@pytest.mark.parametrize("name", ["Zürich", "São Paulo", "Ελλάδα", "!!!"])
def test_any_tag_name_gives_a_working_story_page_and_tag_page(client, db, frozen, name):
    article = make_article(headline="Tagged story", tags=[name], publish_at=PUBLISHED)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    link = parse(response.content).one("nav", class_="story__tags").one("a")
    assert link.clean_text == name
    tag_page = client.get(link.attrs["href"])
    assert tag_page.status_code == 200
    assert "Tagged story" in tag_page.content.decode()


def test_address_date_is_the_day_a_rescheduled_story_actually_went_live(client, db, frozen):
    article = make_article(slug="budget-day", publish_at=datetime(2025, 3, 20, 9, tzinfo=UTC))
    article.publish_at = datetime(2025, 3, 25, 9, tzinfo=UTC)
    article.save()

    frozen.move_to(datetime(2025, 3, 26, 9, tzinfo=UTC))
    article.refresh_from_db()

    expected = reverse(
        "articles:detail", kwargs={"year": 2025, "month": 3, "day": 25, "slug": "budget-day"}
    )
    assert article.get_absolute_url() == expected
    assert client.get(expected).status_code == 200


def test_the_page_runs_the_same_queries_however_many_bylines_tags_and_teasers(
    client, db, frozen, settings, django_assert_num_queries, django_capture_on_commit_callbacks
):
    # Room for more teasers than either story has, so both strips also run the automatic fill.
    settings.NEWSROOM_TEASER_COUNT = 5

    def build(size):
        article = make_article(
            authors=[make_author() for _ in range(size)],
            tags=[f"topic {size} {n}" for n in range(size)],
            section=make_section(),
        )
        for _ in range(size):
            make_correction(article=article)
            make_teaser(article=article, target=make_article(section=make_section()))
        return article

    # Committed, as an editor's save would be: each page is then a page-cache miss in a fresh
    # content generation, paying the same per-generation bookkeeping.
    with django_capture_on_commit_callbacks(execute=True):
        small = build(1)
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(small.get_absolute_url()).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        large = build(4)
    with django_assert_num_queries(len(small_queries)):
        assert client.get(large.get_absolute_url()).status_code == 200

"""The author page: who the author is and the live stories they wrote."""

import pytest
from django.urls import reverse

from articles.models import Byline
from tests.factories import make_article, make_author, make_image
from tests.htmltree import parse


def _headlines(page):
    return [h.clean_text for h in page.find_all(class_="teaser__headline")]


def test_author_page_shows_the_author_box_and_their_stories_only(client, db):
    ada = make_author(
        name="Ada Reyes",
        job_title="Ports correspondent",
        bio="Covers *ports*.",
        photo=make_image(name="ada.png", size=(96, 96)),
    )
    ben = make_author(name="Ben Okafor")
    make_article(headline="Ada's story", authors=[ada], publish_at="past")
    make_article(headline="Shared story", authors=[ben, (ada, Byline.Role.PHOTOGRAPHER)])
    make_article(headline="Ben's story", authors=[ben])
    make_article(headline="Ada's draft", authors=[ada], status="draft", publish_at=None)

    response = client.get(ada.get_absolute_url())

    assert response.status_code == 200
    page = parse(response.content)
    assert page.one("h1").clean_text == "Ada Reyes"
    box = page.one("section", class_="author-box")
    assert box.one("p", class_="author-box__title").clean_text == "Ports correspondent"
    assert box.one("em").text == "ports"
    assert box.one("img").attrs["src"] == ada.photo_picture.src
    assert box.find("a") is None
    assert sorted(_headlines(page)) == ["Ada's story", "Shared story"]


def test_author_with_no_live_stories_says_so(client, db):
    author = make_author(name="New Hire")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "No published stories yet." in response.content.decode()


def test_email_is_never_shown(client, db):
    author = make_author(email="ada.private@example.org")
    make_article(authors=[author])

    assert "ada.private@example.org" not in client.get(author.get_absolute_url()).content.decode()


def test_inactive_author_has_no_page(client, db):
    author = make_author(slug="gone", is_active=False)
    make_article(authors=[author])

    assert client.get(author.get_absolute_url()).status_code == 404


def test_unknown_author_is_404(client, db):
    url = reverse("authors:detail", kwargs={"slug": "nobody-by-that-name"})

    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("name", "initials"), [("Ada Reporter", "AR"), ("Bo", "B"), ("ana maría de la cruz", "AC")]
)
def test_an_author_without_a_photo_is_shown_by_initials(client, db, name, initials):
    author = make_author(name=name, slug="someone")
    html = client.get(author.get_absolute_url()).content.decode()
    assert (
        f'<span class="author-box__photo author-box__initials" aria-hidden="true">{initials}</span>'
        in html
    )

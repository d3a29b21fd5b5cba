"""The hero's focal point in the story form: the picture to click on beside two real number
boxes, set by a reporter on a draft or by the desk, refused when it is not two fractions."""

import errno

import pytest
from django.core.files.storage import filesystem as filesystem_storage
from django.urls import reverse

from articles.models import Article
from tests.articles.admin.admin_data import article_form_data
from tests.articles.test_upload_failures import (
    StorageFault,
    files_on_disk,
    picture,
    picture_files,
)
from tests.factories import make_article, make_reporter
from tests.htmltree import parse


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def pictured(db):
    """A draft with a hero picture (700×400, cut to every shape around the centre)."""
    return make_article(
        headline="Harbour reopens",
        status=Article.Status.DRAFT,
        publish_at=None,
        hero_image=picture(),
        hero_alt="The quay at dawn",
    )


def test_the_change_form_shows_the_picture_to_click_and_two_number_boxes(admin_client, pictured):
    html = admin_client.get(change_url(pictured)).content.decode()
    page = parse(html)

    picker = page.one("div", class_="focal-point")
    assert picker.attrs["data-focal-x"] == "id_hero_focal_x"
    assert picker.attrs["data-focal-y"] == "id_hero_focal_y"
    image = picker.one("img", class_="focal-point__picture")
    assert image.attrs["src"] == pictured.hero_picture.src
    assert (image.attrs["width"], image.attrs["height"]) == ("700", "400")
    assert "hidden" in picker.one("span", class_="focal-point__marker").attrs
    # No inline style: the script places the marker (the Content-Security-Policy forbids it).
    assert "style" not in html.split('class="focal-point"', 1)[1].split("</div>", 1)[0]
    for name in ("hero_focal_x", "hero_focal_y"):
        box = page.one("input", name=name)
        assert (box.attrs["type"], box.attrs["min"], box.attrs["max"]) == ("number", "0", "1")
        assert (box.attrs["step"], box.attrs["value"]) == ("any", "0.5")
    assert page.find("script", src="/static/js/admin-focal-point.js") is not None
    # The picture is not a form control: its label points at none.
    row = page.one("div", class_="field-hero_focal_point")
    assert "for" not in row.one("label").attrs
    assert "Click the picture where its subject is" in row.clean_text


def test_a_story_without_a_picture_says_where_it_will_appear(admin_client):
    page = parse(admin_client.get(reverse("admin:articles_article_add")).content.decode())

    assert page.find("div", class_="focal-point") is None
    note = page.one("p", class_="focal-point__none")
    assert "Once the picture is saved it is shown here" in note.text
    assert page.one("input", name="hero_focal_x").attrs["value"] == "0.5"


def test_the_desk_sets_the_point_and_the_shapes_are_cut_around_it(
    admin_client, pictured, settings, committed
):
    with committed():
        response = admin_client.post(
            change_url(pictured),
            article_form_data(pictured, hero_focal_x="0.2", hero_focal_y="0.75"),
        )

    assert response.status_code == 302
    pictured.refresh_from_db()
    assert (pictured.hero_focal_x, pictured.hero_focal_y) == (0.2, 0.75)
    shapes = pictured.hero_renditions["shapes"]
    assert all(shaped["focal"] == [0.2, 0.75] for shaped in shapes.values())
    assert shapes["square"]["box"] == [0, 0, 400, 400]  # 140 pixels in: against the left edge
    assert files_on_disk(settings) == picture_files(pictured.hero_image, pictured.hero_renditions)


def test_a_reporter_sets_the_point_of_her_own_draft(client, pictured):
    rita = make_reporter(username="rita")
    pictured.bylines.create(author=rita.author, position=0)
    client.force_login(rita)

    response = client.post(
        change_url(pictured), article_form_data(pictured, hero_focal_x="1", hero_focal_y="0")
    )

    assert response.status_code == 302
    pictured.refresh_from_db()
    assert (pictured.hero_focal_x, pictured.hero_focal_y) == (1.0, 0.0)
    assert pictured.hero_renditions["shapes"]["square"]["box"] == [300, 0, 700, 400]


@pytest.mark.parametrize("value", ["-0.1", "1.5", "abc", "nan", "inf", "1e400"])
@pytest.mark.parametrize("field", ["hero_focal_x", "hero_focal_y"])
def test_a_point_that_is_not_two_fractions_is_a_form_error(admin_client, pictured, field, value):
    stored = Article.objects.filter(pk=pictured.pk).values().get()

    response = admin_client.post(
        change_url(pictured), article_form_data(pictured, **{field: value})
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field]
    assert Article.objects.filter(pk=pictured.pk).values().get() == stored


@pytest.mark.parametrize("sent", ["empty", "left out"])
def test_an_empty_or_missing_box_keeps_the_stored_point(admin_client, pictured, sent):
    Article.objects.filter(pk=pictured.pk).update(hero_focal_x=0.3)
    pictured.refresh_from_db()
    data = article_form_data(pictured, headline="Harbour reopens at last", hero_focal_y="0.6")
    if sent == "empty":
        data["hero_focal_x"] = ""
    else:
        del data["hero_focal_x"]

    response = admin_client.post(change_url(pictured), data)

    assert response.status_code == 302
    pictured.refresh_from_db()
    assert pictured.headline == "Harbour reopens at last"
    assert (pictured.hero_focal_x, pictured.hero_focal_y) == (0.3, 0.6)


def test_a_new_picture_starts_at_the_centre_unless_its_point_is_given(admin_client, pictured):
    Article.objects.filter(pk=pictured.pk).update(hero_focal_x=0.1, hero_focal_y=0.9)
    pictured.refresh_from_db()
    unchanged = {"hero_focal_x": "0.1", "hero_focal_y": "0.9"}

    response = admin_client.post(
        change_url(pictured),
        {**article_form_data(pictured, **unchanged), "hero_image": picture("new.png")},
    )

    assert response.status_code == 302
    pictured.refresh_from_db()
    assert pictured.hero_image.name.endswith("/new.png")
    assert (pictured.hero_focal_x, pictured.hero_focal_y) == (0.5, 0.5)
    assert pictured.hero_renditions["shapes"]["square"]["focal"] == [0.5, 0.5]

    response = admin_client.post(
        change_url(pictured),
        {**article_form_data(pictured, hero_focal_x="0.8"), "hero_image": picture("newer.png")},
    )

    assert response.status_code == 302
    pictured.refresh_from_db()
    assert (pictured.hero_focal_x, pictured.hero_focal_y) == (0.8, 0.5)


def test_a_point_whose_cuts_cannot_be_stored_changes_nothing(
    admin_client, pictured, settings, monkeypatch
):
    stored, files = Article.objects.filter(pk=pictured.pk).values().get(), files_on_disk(settings)
    # Only the cuts are written again: the first file this save writes is a cut's.
    fault = StorageFault(file_number=1, error_number=errno.ENOSPC)
    monkeypatch.setattr(filesystem_storage, "os", fault)
    admin_client.raise_request_exception = False

    response = admin_client.post(
        change_url(pictured), article_form_data(pictured, hero_focal_x="0.9")
    )

    assert fault.failed
    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["hero_image"]
    assert message.startswith("The picture could not be stored: the server is out of space.")
    assert Article.objects.filter(pk=pictured.pk).values().get() == stored
    assert files_on_disk(settings) == files

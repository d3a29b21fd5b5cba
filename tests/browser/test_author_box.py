"""The author boxes under a story, measured in a real browser: the picture (photo or initials)
is a square of its intended size at every width, and the text beside it starts at one line."""

import io
import shutil

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from tests.factories import make_article, make_author

CHROMIUM = shutil.which("chromium")
PICTURE = 96  # px: the size the author box is drawn for (sizes="96px")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium package is not installed"),
]


def portrait():
    out = io.BytesIO()
    Image.new("RGB", (300, 300), (90, 120, 150)).save(out, "JPEG")
    return ContentFile(out.getvalue(), name="portrait.jpg")


@pytest.mark.parametrize("width", [1280, 390])
def test_author_pictures_are_square_and_the_texts_line_up(browser, live_server, width):
    with_photo = make_author(name="Ada Reporter", job_title="Harbour correspondent")
    with_photo.photo = portrait()
    with_photo.save()
    without = make_author(name="Bo Lindqvist", job_title="Photographer")
    story = make_article(headline="Harbour reopens", authors=[with_photo, without])

    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + story.get_absolute_url())
    boxes = page.locator(".story__authors .author-box")
    assert boxes.count() == 2
    assert boxes.nth(0).locator("img").count() == 1

    lefts = []
    for n in range(2):
        if n == 1:
            assert boxes.nth(1).locator(".author-box__photo").inner_text() == "BL"
        picture = boxes.nth(n).locator(".author-box__photo").bounding_box()
        assert picture["width"] == picture["height"] >= PICTURE, (n, picture)
        lefts.append(boxes.nth(n).locator(".author-box__name").bounding_box()["x"])
    assert lefts[0] == lefts[1]
    page.close()

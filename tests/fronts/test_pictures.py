"""A zone draws its pictures in its shape: the story's hero, or the pick's own picture, cut around
its focal point, with srcset, width and height."""

import re

import pytest
from django.urls import reverse

from fronts.models import Front, Pick, Zone
from tests.factories import make_article, make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def uncached(settings):
    settings.NEWSROOM_PAGE_CACHE = False


def only_zone(**kw):
    home = Front.objects.get(kind="home")
    home.zones.all().delete()
    return Zone.objects.create(front=home, **kw)


def img_tags(html):
    return re.findall(r"<img[^>]*>", html)


def size_of(tag):
    return int(re.search(r'width="(\d+)"', tag).group(1)), int(
        re.search(r'height="(\d+)"', tag).group(1)
    )


@pytest.mark.parametrize(
    ("shape", "ratio"), [("wide", 16 / 9), ("landscape", 4 / 3), ("square", 1)]
)
def test_a_zones_shape_cuts_the_hero(client, uncached, shape, ratio):
    make_article(headline="Harbour", hero_image=make_image(size=(400, 300)), hero_alt="Boats")
    only_zone(heading="Pictures", layout="grid", size=1, backfill="everything", picture_shape=shape)
    html = client.get(reverse("articles:home")).content.decode()
    (tag,) = img_tags(html)
    width, height = size_of(tag)
    assert abs(width / height - ratio) < 0.02
    assert f"-{shape}-" in html and "srcset=" in html


def test_the_picks_own_picture_is_cut_around_its_focal_point(client, uncached):
    story = make_article(
        headline="Harbour", hero_image=make_image(size=(400, 300)), hero_alt="Boats"
    )
    zone = only_zone(heading="Pictures", layout="grid", size=1, picture_shape="square")
    pick = Pick.objects.create(
        zone=zone,
        target=story,
        image=make_image(name="own.png", size=(300, 100)),
        image_alt="The quay",
        image_focal_x=0.0,
    )
    square = pick.image_renditions["shapes"]["square"]
    assert square["focal"] == [0.0, 0.5] and square["box"][0] == 0
    html = client.get(reverse("articles:home")).content.decode()
    (tag,) = img_tags(html)
    assert size_of(tag) == (100, 100)
    assert "own-square-" in html and "heroes/" not in html

    pick.image_focal_x = 1.0
    pick.save()
    moved = Pick.objects.get(pk=pick.pk).image_renditions["shapes"]["square"]
    assert moved["box"][0] == 200

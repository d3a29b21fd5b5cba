"""A picture cut to each shape around its focal point, at save time, and drawn in that shape.

The as-uploaded renditions stay as they were (names, description, bytes); the cuts sit beside
them under "shapes", are made again alone when only the focal point moves, and follow the
transaction like every other picture file.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageStat

from articles.models import Article
from content import image_files
from content.images import picture_for
from tests.articles.test_upload_failures import files_on_disk, picture_files
from tests.content.test_images import image_bytes, photo, saved
from tests.factories import make_article, make_author


def two_halves(size=(400, 200)):
    """A PNG, red on the left half and blue on the right."""
    image = Image.new("RGB", size, (230, 20, 20))
    image.paste((20, 20, 230), (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def halves(name="halves.png", size=(400, 200)):
    return SimpleUploadedFile(name, two_halves(size), "image/png")


def opened(settings, name):
    image = Image.open(settings.MEDIA_ROOT / name)
    image.load()
    return image


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_each_shape_is_cut_at_its_widths_in_webp_and_jpeg(db, settings):
    article = saved("wide.png", image_bytes("PNG", (1000, 500)))
    shapes = article.hero_renditions["shapes"]

    assert sorted(shapes) == ["landscape", "square", "wide"]
    expected = {
        # 1000×500 is wider than 16:9: the full height, 889 of the width.
        "wide": ([640, 889], [360, 500], [56, 0, 945, 500]),
        "landscape": ([320, 640, 667], [240, 480, 500], [166, 0, 833, 500]),
        "square": ([160, 320, 500], [160, 320, 500], [250, 0, 750, 500]),
    }
    for name, (widths, heights, box) in expected.items():
        shaped = shapes[name]
        assert shaped["focal"] == [0.5, 0.5]
        assert shaped["box"] == box
        assert (shaped["width"], shaped["height"]) == (widths[-1], heights[-1])
        for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
            assert [r["width"] for r in shaped[kind]] == widths
            assert [r["height"] for r in shaped[kind]] == heights
            for rendition in shaped[kind]:
                assert f"-{name}-{box[0]}-{box[1]}-" in rendition["name"]
                with opened(settings, rendition["name"]) as image:
                    assert image.format == fmt
                    assert image.size == (rendition["width"], rendition["height"])


def test_a_shaped_picture_has_its_own_srcset_width_and_height(db):
    article = saved("wide.png", image_bytes("PNG", (1000, 500)))

    square = article.hero_picture_in("square")

    assert (square.width, square.height) == (500, 500)
    assert square.webp_srcset.count(" ") == 5  # three entries, "url width" and ", " between
    assert "-square-250-0-160.webp 160w" in square.webp_srcset
    assert "-square-250-0-500.jpg 500w" in square.jpeg_srcset
    assert square.src.endswith("-square-250-0-500.jpg")
    assert article.hero_picture_in("wide").width == 889
    # The picture as uploaded is drawn as before.
    assert article.hero_picture.width == 1000
    assert "-square-" not in article.hero_picture.webp_srcset


def test_the_as_uploaded_renditions_are_the_same_with_or_without_cuts(db, settings):
    # The same picture file behind a story's hero (cut to the shapes) and an author's photo (not).
    article, author = make_article(), make_author()
    storage = article.hero_image.storage
    article.hero_image = storage.save("heroes/same.png", io.BytesIO(two_halves((1000, 500))))
    article.save()
    author.photo = storage.save("authors/same.png", io.BytesIO(two_halves((1000, 500))))
    author.save()

    # An author's photo has no focal point and no cuts: its renditions are only the as-uploaded.
    assert "shapes" not in author.photo_renditions
    story, photo_ = article.hero_renditions, author.photo_renditions
    assert [k for k in story if k != "shapes"] == list(photo_)
    for kind in ("webp", "jpeg"):
        assert [r["width"] for r in story[kind]] == [r["width"] for r in photo_[kind]]
        for ours, theirs in zip(story[kind], photo_[kind], strict=True):
            assert ours["name"].rsplit("/", 1)[1] == theirs["name"].rsplit("/", 1)[1]
            ours_bytes = (settings.MEDIA_ROOT / ours["name"]).read_bytes()
            assert ours_bytes == (settings.MEDIA_ROOT / theirs["name"]).read_bytes()


@pytest.mark.parametrize("x, colour", [(0.1, "red"), (0.9, "blue")])
def test_the_square_cut_follows_the_focal_point(db, settings, x, colour):
    article = saved("halves.png", two_halves())
    article.hero_focal_x = x
    article.save()

    smallest = article.hero_renditions["shapes"]["square"]["jpeg"][0]
    with opened(settings, smallest["name"]) as image:
        red, _, blue = ImageStat.Stat(image).mean
    assert (red > 3 * blue) if colour == "red" else (blue > 3 * red)
    # The wide cut of a 2:1 picture moves with the point too; the picture as uploaded does not.
    wide = article.hero_renditions["shapes"]["wide"]["box"]
    assert wide == ([0, 0, 356, 200] if colour == "red" else [44, 0, 400, 200])


def test_a_new_picture_is_cut_around_the_point_it_is_saved_with(db):
    article = make_article(hero_image=halves(), hero_focal_x=1, hero_focal_y=0)

    assert article.hero_renditions["shapes"]["square"]["box"] == [200, 0, 400, 200]
    assert article.hero_renditions["shapes"]["square"]["focal"] == [1.0, 0.0]


def test_moving_the_point_cuts_the_shapes_again_and_nothing_else(db, settings, committed):
    with committed():
        article = make_article(hero_image=halves())
    before = dict(article.hero_renditions)
    as_uploaded = {k: v for k, v in before.items() if k != "shapes"}
    uploaded_bytes = {
        r["name"]: (settings.MEDIA_ROOT / r["name"]).read_bytes()
        for kind in ("webp", "jpeg")
        for r in before[kind]
    }
    old_files = files_on_disk(settings)
    old_cuts = old_files - picture_files(article.hero_image, as_uploaded)

    with committed():
        article.hero_focal_x, article.hero_focal_y = 0.1, 0.9
        article.save()
        # Until the save commits, the cuts readers have are still there.
        assert old_files < files_on_disk(settings)

    article.refresh_from_db()
    after = article.hero_renditions
    assert {k: v for k, v in after.items() if k != "shapes"} == as_uploaded
    for name, content in uploaded_bytes.items():
        assert (settings.MEDIA_ROOT / name).read_bytes() == content
    assert all(shaped["focal"] == [0.1, 0.9] for shaped in after["shapes"].values())
    assert files_on_disk(settings) == picture_files(article.hero_image, after)
    assert not old_cuts & files_on_disk(settings)


def test_a_cut_whose_box_did_not_move_keeps_its_files(db, settings, committed):
    # A 16:9 picture's wide cut is the whole picture, wherever the point is.
    with committed():
        article = make_article(hero_image=halves("exact.png", (640, 360)))
    wide = article.hero_renditions["shapes"]["wide"]
    square = article.hero_renditions["shapes"]["square"]

    with committed():
        article.hero_focal_x = 0
        article.save()

    renditions = Article.objects.get(pk=article.pk).hero_renditions
    shapes = renditions["shapes"]
    assert shapes["wide"] == {**wide, "focal": [0.0, 0.5]}
    assert shapes["square"]["box"] == [0, 0, 360, 360] != square["box"]
    assert shapes["square"]["jpeg"] != square["jpeg"]
    assert files_on_disk(settings) == picture_files(article.hero_image, renditions)


def test_a_save_that_changes_neither_picture_nor_point_writes_nothing(db, settings, monkeypatch):
    article = make_article(hero_image=halves())
    files, renditions = files_on_disk(settings), article.hero_renditions
    storage = article.hero_image.storage
    monkeypatch.setattr(storage, "save", lambda *a, **k: pytest.fail("nothing to write"))
    monkeypatch.setattr(storage, "open", lambda *a, **k: pytest.fail("nothing to read"))

    article.headline = "Edited"
    article.hero_focal_x = 0.5  # as it was
    article.save()
    monkeypatch.undo()

    article.refresh_from_db()
    assert (files_on_disk(settings), article.hero_renditions) == (files, renditions)


def test_a_rolled_back_change_of_point_leaves_no_files(db, settings, committed):
    with committed():
        article = make_article(hero_image=halves())
    files, renditions = files_on_disk(settings), article.hero_renditions

    with pytest.raises(RuntimeError), transaction.atomic():
        article.hero_focal_x = 0.9
        article.save()
        assert len(files_on_disk(settings)) > len(files)
        raise RuntimeError("a later step of the same change failed")
    image_files.settle()

    assert files_on_disk(settings) == files
    assert Article.objects.get(pk=article.pk).hero_renditions == renditions


def test_a_picture_stored_before_the_shapes_is_drawn_as_uploaded_until_saved(db, settings):
    article = make_article(hero_image=halves())
    # As a picture stored before there were shapes: no cuts, in the row or on disk.
    as_uploaded = {k: v for k, v in article.hero_renditions.items() if k != "shapes"}
    Article.objects.filter(pk=article.pk).update(hero_renditions=as_uploaded)
    for name in files_on_disk(settings) - picture_files(article.hero_image, as_uploaded):
        (settings.MEDIA_ROOT / name).unlink()
    article = Article.objects.get(pk=article.pk)

    for name in ("wide", "landscape", "square"):
        assert article.hero_picture_in(name) == article.hero_picture
    assert article.hero_picture_in("square").width == 400

    article.save()

    article.refresh_from_db()
    assert {k: v for k, v in article.hero_renditions.items() if k != "shapes"} == as_uploaded
    assert article.hero_picture_in("square").width == 200
    assert files_on_disk(settings) == picture_files(article.hero_image, article.hero_renditions)


def test_a_picture_without_renditions_is_drawn_from_its_file_in_any_shape(db):
    article = make_article(hero_image=halves())
    Article.objects.filter(pk=article.pk).update(hero_renditions={})
    article = Article.objects.get(pk=article.pk)

    square = article.hero_picture_in("square")

    assert square.src == article.hero_image.url
    assert (square.width, square.height, square.webp_srcset) == (400, 200, "")
    assert make_article().hero_picture_in("square") is None


def test_an_unknown_shape_is_a_programming_error():
    with pytest.raises(ValueError, match="No shape named 'portrait'"):
        picture_for(None, {}, shape="portrait")


def test_a_panoramas_wide_cut_is_drawn_from_enough_pixels(db, image_work):
    content = photo((4000, 900))
    image_work["decoded"].clear()

    article = saved("panorama.jpg", content)

    # The as-uploaded renditions come from a half-scale decode, as before; the wide cut, 1600
    # of the 4000 pixels, needs them all, so the stored picture is decoded again in full for it.
    assert image_work["decoded"] == [(4000, 900), (2000, 450), (4000, 900)]
    assert [r["width"] for r in article.hero_renditions["jpeg"]] == [320, 640, 960, 1280, 1920]
    wide = article.hero_renditions["shapes"]["wide"]
    assert [r["width"] for r in wide["jpeg"]] == [640, 960, 1280, 1600]
    assert (wide["width"], wide["height"]) == (1600, 900)

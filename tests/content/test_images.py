import io

import pytest
from django import forms
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms, JpegImagePlugin, PngImagePlugin

from articles.models import Article
from authors.models import Author
from content.images import MAX_PIXELS, ImageUploadField
from tests.factories import make_article, make_author

ArticleImageForm = forms.modelform_factory(
    Article, fields=["headline", "slug", "hero_image", "hero_alt"]
)


def image_bytes(fmt="JPEG", size=(64, 48), mode="RGB", color=(200, 30, 30), **save):
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, fmt, **save)
    return out.getvalue()


def two_tone_jpeg(orientation):
    """40×20: red on the left, blue on the right, with an EXIF orientation and a camera make."""
    image = Image.new("RGB", (40, 20), (255, 0, 0))
    image.paste((0, 0, 255), (20, 0, 40, 20))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "SecretCam"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=95)
    return out.getvalue()


def psd_header():
    # A minimal Photoshop header: signature, version 1, reserved, 3 channels, 8×8, 8 bits, RGB.
    return (
        b"8BPS\x00\x01" + b"\x00" * 6 + b"\x00\x03" + b"\x00\x00\x00\x08" * 2 + b"\x00\x08\x00\x03"
    )


def upload(name, content):
    form = ArticleImageForm(
        data={"headline": "Pictured", "slug": "pictured", "hero_alt": "A thing"},
        files={"hero_image": SimpleUploadedFile(name, content)},
    )
    return form


def saved(name, content):
    form = upload(name, content)
    assert form.is_valid(), form.errors
    article = form.save()
    article.refresh_from_db()
    return article


def stored_image(fieldfile):
    fieldfile.open("rb")
    data = fieldfile.read()
    fieldfile.close()
    return data, Image.open(io.BytesIO(data))


REFUSED = {
    "text renamed .jpg": ("photo.jpg", b"Just some text pretending to be a picture.\n" * 10, "not an image we accept"),
    "truncated JPEG": ("cut.jpg", image_bytes(size=(400, 300))[:900], "could not be read"),
    "empty file": ("empty.jpg", b"", "The submitted file is empty."),
    "120-megapixel PNG": ("huge.png", image_bytes("PNG", (12_000, 10_000), "1", 0, optimize=True), "too large (12000 × 10000 pixels)"),
    "SVG with script": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not an image we accept"),
    "SVG renamed .png": ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "not an image we accept"),
    "EPS": ("figure.eps", image_bytes("EPS", mode="RGB"), "not an image we accept"),
    "PDF": ("page.pdf", image_bytes("PDF"), "not an image we accept"),
    "PSD": ("layers.psd", psd_header(), "not an image we accept"),
    "PSD renamed .jpg": ("layers.jpg", psd_header(), "not an image we accept"),
}  # fmt: skip


@pytest.mark.parametrize("case", REFUSED, ids=list(REFUSED))
def test_hostile_uploads_get_a_clear_form_error_and_nothing_is_stored(db, case, settings):
    name, content, message = REFUSED[case]
    form = upload(name, content)
    assert not form.is_valid()
    assert message in " ".join(form.errors["hero_image"])
    assert not Article.objects.exists()
    assert not (settings.MEDIA_ROOT / "heroes").exists()


def test_the_120_megapixel_png_is_only_a_few_kilobytes(db):
    assert len(REFUSED["120-megapixel PNG"][1]) < 50_000
    assert MAX_PIXELS < 12_000 * 10_000


def test_gif_with_html_appended_is_re_encoded_without_it(db):
    content = image_bytes("GIF", (30, 30), "P", 1) + b"<html><script>alert(1)</script></html>"
    article = saved("anim.gif", content)
    data, image = stored_image(article.hero_image)
    assert b"<script>" not in data
    # A GIF's first frame is kept without loss, as a PNG.
    assert image.format == "PNG"
    assert article.hero_image.name.endswith("/anim.png")


def test_a_photograph_sized_png_is_kept_as_a_full_colour_jpeg(db):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    content = image_bytes("PNG", (4200, 4000), "RGB", (20, 90, 160), pnginfo=info)
    article = saved("scan.png", content)
    data, image = stored_image(article.hero_image)
    assert article.hero_image.name.endswith("/scan.jpg")
    assert image.format == "JPEG" and image.size == (4200, 4000)
    assert JpegImagePlugin.get_sampling(image) == 0  # 4:4:4, no chroma subsampling
    assert b"<script>" not in data


def test_a_graphic_sized_png_stays_a_png(db):
    _, image = stored_image(saved("chart.png", image_bytes("PNG", (800, 600))).hero_image)
    assert image.format == "PNG"


def test_exif_orientation_6_is_turned_upright_and_metadata_is_stripped(db):
    article = saved("sideways.jpg", two_tone_jpeg(orientation=6))
    data, image = stored_image(article.hero_image)
    assert image.size == (20, 40)
    assert (article.hero_width, article.hero_height) == (20, 40)
    red, blue = image.getpixel((10, 5)), image.getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60, red  # the left of the sensor is now the top
    assert blue[2] > 200 and blue[0] < 60, blue
    assert not image.getexif()
    assert b"SecretCam" not in data


def test_cmyk_jpeg_becomes_rgb(db):
    article = saved("print.jpg", image_bytes("JPEG", (50, 50), "CMYK", (0, 255, 255, 0)))
    _, image = stored_image(article.hero_image)
    assert image.mode == "RGB"
    assert image.getpixel((25, 25))[0] > 200


def test_transparent_png_is_flattened_onto_white(db):
    article = saved("alpha.png", image_bytes("PNG", (20, 20), "RGBA", (0, 0, 0, 0)))
    _, image = stored_image(article.hero_image)
    assert image.getpixel((5, 5)) >= (250, 250, 250)


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.jpg",
        "..\\..\\windows\\evil.jpg",
        "a" * 300 + ".jpg",
        "<script>.jpg",
        ".jpg",
    ],
)
def test_path_like_or_very_long_names_become_short_safe_names(db, name):
    article = saved(name, image_bytes())
    stored = article.hero_image.name
    assert stored.startswith("heroes/")
    assert ".." not in stored and "\\" not in stored and "<" not in stored
    assert len(stored.rsplit("/", 1)[1]) <= 55
    assert stored.endswith(".jpg")


def test_renditions_are_made_once_at_upload_in_webp_and_jpeg(db, settings):
    article = saved("wide.png", image_bytes("PNG", (1000, 500)))
    renditions = article.hero_renditions
    assert renditions["source"] == article.hero_image.name
    for kind, fmt in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [r["width"] for r in renditions[kind]] == [320, 640, 960, 1000]
        assert [r["height"] for r in renditions[kind]] == [160, 320, 480, 500]
        for rendition in renditions[kind]:
            with Image.open(settings.MEDIA_ROOT / rendition["name"]) as image:
                assert image.format == fmt
                assert image.width == rendition["width"]
    before = dict(renditions)
    article.headline = "Edited"
    article.save()
    article.refresh_from_db()
    assert article.hero_renditions == before


def test_story_page_draws_a_responsive_picture(client, db):
    article = saved("wide.png", image_bytes("PNG", (1000, 500)))
    article.status = Article.Status.PUBLISHED
    article.publish_at = make_article().publish_at
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<source type="image/webp" srcset="' in html
    assert "-320.webp 320w" in html and "-1000.jpg 1000w" in html
    assert 'sizes="(min-width: 42rem) 40rem, 100vw"' in html
    assert 'alt="A thing" width="1000" height="500"' in html
    assert '<meta property="og:image" content="https://news.example/media/heroes/' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    home = client.get(reverse("articles:home")).content.decode()
    assert home.count("<picture>") == 1


def test_teasers_below_the_lead_load_lazily(client, db):
    lead = saved("lead.png", image_bytes("PNG", (700, 400)))
    lead.status, lead.publish_at = Article.Status.PUBLISHED, make_article().publish_at
    lead.is_featured = True
    lead.save()
    other = make_article()
    other.hero_image = lead.hero_image
    other.save()
    home = client.get(reverse("articles:home")).content.decode()
    lead_html, rest = home.split('class="latest"', 1)
    assert 'loading="lazy"' not in lead_html.split("<main", 1)[1]
    assert 'loading="lazy"' in rest


def test_admin_forms_use_the_checking_upload_field(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    for model, field in ((Article, "hero_image"), (Author, "photo")):
        form_class = admin_site._registry[model].get_form(request)
        assert isinstance(form_class.base_fields[field], ImageUploadField)


def test_author_photo_upload_through_the_admin(admin_client, db):
    url = reverse("admin:authors_author_add")
    data = {"name": "Ada", "slug": "ada", "is_active": "on", "social_links": ""}
    svg = SimpleUploadedFile("me.svg", b"<svg><script>alert(1)</script></svg>")
    refused = admin_client.post(url, {**data, "photo": svg})
    assert refused.status_code == 200
    assert "not an image we accept" in refused.content.decode()
    assert not Author.objects.exists()
    photo = SimpleUploadedFile("me.jpg", two_tone_jpeg(orientation=6))
    assert admin_client.post(url, {**data, "photo": photo}).status_code == 302
    author = Author.objects.get()
    assert (author.photo_width, author.photo_height) == (20, 40)
    assert [r["width"] for r in author.photo_renditions["webp"]] == [20]
    make_article(authors=[author])
    page = admin_client.get(author.get_absolute_url()).content.decode()
    assert "-20.webp 20w" in page


def test_author_photo_factory_keyword_still_works(db):
    assert make_author(name="No photo").photo_picture is None


@pytest.mark.parametrize(
    "name",
    [
        "renditions/2026/11/harbour-640.webp",
        "photos/a_b-c.1.jpg",
        "photos/space in name.jpg",
        "photos/caf\u00e9.jpg",
        "photos/../up.jpg",
        "photos/q?x=1.jpg",
        "photos/100%.jpg",
    ],
)
@pytest.mark.parametrize("base_url", ["/media/", "https://cdn.example.org/media/"])
def test_rendition_urls_are_the_storages_own(name, base_url):
    from django.core.files.storage import FileSystemStorage

    from content.images import _url_maker

    storage = FileSystemStorage(location="/nonexistent", base_url=base_url)
    assert _url_maker(storage)(name) == storage.url(name)


# Only pixels and the colour profile are stored: the original and every rendition are re-encoded.

SCRIPT = b"<html><script>alert(1)</script></html>"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def crafted_jpeg():
    """800×400, red left half, blue right: comment, camera EXIF with GPS, XMP, and HTML after the end."""
    image = Image.new("RGB", (800, 400), (255, 0, 0))
    image.paste((0, 0, 255), (400, 0, 800, 400))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "SecretCam"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (51.0, 30.0, 12.0), 3: "W"})
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + SCRIPT + b"</x:xmpmeta>"
    image.save(out, "JPEG", quality=95, comment=SCRIPT, exif=exif, xmp=xmp, icc_profile=SRGB)
    return out.getvalue() + SCRIPT


def crafted_png():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", SCRIPT.decode())
    info.add_itxt("Description", SCRIPT.decode(), zip=False)
    out = io.BytesIO()
    Image.new("RGB", (700, 300), (20, 120, 60)).save(out, "PNG", pnginfo=info, icc_profile=SRGB)
    return out.getvalue() + SCRIPT


def stored_files(article):
    renditions = article.hero_renditions
    names = [article.hero_image.name] + [r["name"] for k in ("webp", "jpeg") for r in renditions[k]]
    storage = article.hero_image.storage
    files = {}
    for name in names:
        with storage.open(name, "rb") as file:
            files[name] = file.read()
    return files


def test_the_crafted_jpeg_really_carries_the_extras():
    content = crafted_jpeg()
    assert content.count(SCRIPT) == 3  # comment, XMP, after the end
    with Image.open(io.BytesIO(content)) as image:
        assert image.info["comment"] == SCRIPT
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert image.info["icc_profile"] == SRGB
    assert b"tEXt" in crafted_png() and b"iTXt" in crafted_png()


def test_a_jpeg_is_stored_with_its_pixels_and_colour_profile_only(db):
    article = saved("holiday.jpg", crafted_jpeg())
    files = stored_files(article)
    assert len(files) == 5  # the original; 320 and 400 (its upright width) in WebP and JPEG
    for name, data in files.items():
        assert SCRIPT not in data and b"<script" not in data, name
        assert b"SecretCam" not in data, name
        assert b"xmpmeta" not in data and b"http://ns.adobe.com/xap" not in data, name
        with Image.open(io.BytesIO(data)) as image:
            assert "comment" not in image.info, name
            assert not image.getexif(), name  # no orientation, camera or GPS left
            assert image.info.get("icc_profile") == SRGB, name
            # Upright: the left of the sensor (red) is now the top.
            top = image.convert("RGB").getpixel((image.width // 2, image.height // 8))
            bottom = image.convert("RGB").getpixel((image.width // 2, image.height * 7 // 8))
            assert top[0] > 200 and top[2] < 60, (name, top)
            assert bottom[2] > 200 and bottom[0] < 60, (name, bottom)
            assert image.width / image.height == pytest.approx(0.5, abs=0.01)
        # Nothing after the end of the image.
        end = {b"\xff\xd8": b"\xff\xd9", b"RI": b""}[data[:2]]
        assert not end or data.endswith(end), name
    with Image.open(io.BytesIO(files[article.hero_image.name])) as original:
        assert original.format == "JPEG" and original.size == (400, 800)


def test_a_png_is_stored_as_a_png_without_its_text_chunks_or_trailing_bytes(db):
    article = saved("chart.png", crafted_png())
    files = stored_files(article)
    original = files[article.hero_image.name]
    assert article.hero_image.name.endswith("/chart.png")
    assert original.endswith(b"IEND\xaeB`\x82")
    for name, data in files.items():
        assert b"<script" not in data and b"tEXt" not in data and b"iTXt" not in data, name
        with Image.open(io.BytesIO(data)) as image:
            assert image.info.get("icc_profile") == SRGB, name
    with Image.open(io.BytesIO(original)) as image:
        assert image.format == "PNG"
        assert image.getpixel((10, 10)) == (20, 120, 60)  # without loss


def test_a_jpeg_keeps_its_chroma_subsampling(db):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 90)).save(out, "JPEG", subsampling=0, quality=95)
    article = saved("sharp.jpg", out.getvalue())
    _, image = stored_image(article.hero_image)
    assert JpegImagePlugin.get_sampling(image) == 0  # 4:4:4


# The work a large picture costs: one full decode, one resize of the full picture.


def photo(size, fmt="JPEG"):
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    out = io.BytesIO()
    image.save(out, fmt, quality=90)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_an_upload_is_decoded_once_and_resized_from_full_size_once(db, image_work, fmt):
    content = photo((3000, 2000), fmt)
    image_work["decoded"].clear()
    image_work["resized"].clear()
    article = saved(f"camera.{fmt.lower()}", content)
    assert [r["width"] for r in article.hero_renditions["jpeg"]] == [320, 640, 960, 1280, 1920]
    assert image_work["decoded"].count((3000, 2000)) == 1
    # The largest rendition is cut from the full picture, each smaller one from the one above.
    as_uploaded, cuts = image_work["resized"][:5], image_work["resized"][5:]
    assert as_uploaded == [(3000, 2000), (1920, 1280), (1280, 853), (960, 640), (640, 427)]
    # Each shape's cut is drawn from the largest rendition, which holds all the detail they need,
    # and its smaller renditions each from the one above.
    assert cuts == [
        *[(1920, 1280), (1920, 1080), (1280, 720), (960, 540)],  # wide
        *[(1920, 1280), (960, 720), (640, 480)],  # landscape
        *[(1920, 1280), (640, 640), (320, 320)],  # square
    ]


def test_a_large_jpeg_upload_is_cut_into_renditions_from_a_reduced_decode(db, image_work):
    content = photo((6000, 4000))
    image_work["decoded"].clear()
    image_work["resized"].clear()
    article = saved("camera.jpg", content)
    assert (article.hero_width, article.hero_height) == (6000, 4000)
    assert [r["width"] for r in article.hero_renditions["jpeg"]] == [320, 640, 960, 1280, 1920]
    # In full once, for the stored original; then at half scale by the JPEG decoder (draft).
    assert image_work["decoded"] == [(6000, 4000), (3000, 2000)]
    assert image_work["resized"][0] == (3000, 2000)
    assert (6000, 4000) not in image_work["resized"]


def test_renditions_of_a_stored_jpeg_decode_it_at_reduced_scale(db, image_work, settings):
    article = make_article()
    name = article.hero_image.storage.save("heroes/big.jpg", io.BytesIO(photo((6000, 4000))))
    article.hero_image = name
    image_work["decoded"].clear()
    article.save()
    assert [r["width"] for r in article.hero_renditions["webp"]] == [320, 640, 960, 1280, 1920]
    assert (article.hero_renditions["width"], article.hero_renditions["height"]) == (6000, 4000)
    # Pillow's draft(): the JPEG decoder itself scales by 1/2, enough for 1920 pixels wide.
    assert image_work["decoded"] == [(3000, 2000)]

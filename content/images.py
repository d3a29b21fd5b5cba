"""Image uploads: validated by content, re-encoded, and cut into renditions once, at upload.

An upload is opened with Pillow restricted to four formats (the file name is never trusted), its
pixel count is checked from the header before any pixel is decoded, and it is then decoded in full
(which catches truncated files), turned upright from its EXIF orientation, converted to RGB and
re-encoded in its own format (a GIF becomes a PNG). Only the pixels and the colour profile are
written again: comments, EXIF (GPS, camera, the orientation once applied), XMP, PNG text chunks and
anything appended after the image data are left behind. Renditions at fixed widths, in WebP and
JPEG, are written beside the original when the model is saved, each from the next larger one,
starting from the pixels the upload was decoded to; pages only read them. A model whose picture
has a focal point also gets each shape's cut of it (``content.shapes``) at that shape's widths,
cut again, alone, when only the point moves.

Storing is all or nothing: if the storage fails (a full disk, a folder the server may not write to)
on the original or on any rendition, the files that save wrote are removed, the row is rolled back,
and the admin shows the editor a form error with everything they typed (``saved_with_picture``,
``StorageFailureAdminMixin``). The files follow the transaction (``content.image_files``).
"""

import base64
import contextlib
import errno
import io
import logging
import math
import posixpath
import re
import warnings
from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, router, transaction
from django.utils.text import slugify
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

from . import image_files
from .shapes import CENTRE, SHAPES, crop_box, detail_needed, fraction

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Camera photos run to 61 megapixels; beyond 100 an upload is refused before it is decoded (a
# decoded 100-megapixel picture holds 300 MB). Pillow's own bomb check stays as a second line.
MAX_PIXELS = 100_000_000
# Pillow warns from 89 megapixels (Django's ImageField reads every upload's size with it); it is
# told the project's limit, and still refuses outright at twice that.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
RENDITION_FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True})}  # fmt: skip
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
REDUCING_GAP = 1.5
# The format an original is stored in, by the format it came in: its own, except a GIF, whose
# still first frame is kept losslessly as a PNG.
STORED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "PNG"}
STORED_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Up to this size a PNG is compressed as hard as zlib can; above it, zlib's fastest level keeps a
# large picture to a second or two of work, for files about 5% larger.
PNG_OPTIMISE_PIXELS = 4_000_000
# A PNG or GIF over this size is a photograph or a scan, not a graphic: it is kept as a JPEG of
# high quality without chroma subsampling. Its renditions are JPEG and WebP in any case, and
# writing 36 megapixels of photograph as PNG again costs several seconds of a worker.
LARGE_PNG_PIXELS = 16_000_000
# Colour profiles describe RGB pixels only once the picture is RGB: a CMYK or grey profile is
# dropped with the conversion.
RGB_MODES = ("RGB", "RGBA", "RGBX", "P", "PA")
MAX_STEM = 50

MESSAGES = {
    "not_image": "This file is not an image we accept. Upload a JPEG, PNG, WebP or GIF picture.",
    "too_large": "This picture is too large ({width} × {height} pixels). The limit is {limit} megapixels: export it smaller.",
    "broken": "This picture could not be read; the file may be damaged or incomplete. Please export it again.",
    "not_stored": "The picture could not be stored: {reason}. Nothing was saved and nothing you typed is lost: choose the picture again and retry later. If this keeps happening, tell the technical team.",
}
NO_SPACE = "the server is out of space"
NOT_ALLOWED = "the server is not allowed to write picture files"
STORAGE_REASONS = {errno.ENOSPC: NO_SPACE, errno.EDQUOT: NO_SPACE, errno.EACCES: NOT_ALLOWED, errno.EPERM: NOT_ALLOWED, errno.EROFS: NOT_ALLOWED}  # fmt: skip

logger = logging.getLogger(__name__)


class StorageFailure(Exception):
    """The storage refused one of a picture's files; what that save had written is gone again.

    ``message`` is for the editor; the ``OSError`` it was raised from is for the log.
    """

    def __init__(self, field_name, error):
        reason = STORAGE_REASONS.get(error.errno, "the server's storage reported a fault")
        self.field_name = field_name
        self.message = MESSAGES["not_stored"].format(reason=reason)
        super().__init__(f"{field_name}: {error}")


def safe_name(original_name, extension="jpg"):
    """A short, plain file name: no folders, no odd characters, whatever the browser sent."""
    base = posixpath.basename((original_name or "").replace("\\", "/"))
    stem = slugify(base.rsplit(".", 1)[0])[:MAX_STEM].strip("-_") or "image"
    return f"{stem}.{extension}"


class NormalisedUpload(SimpleUploadedFile):
    """A re-encoded upload that also carries the pixels to cut its renditions from.

    The renditions are made when the model is saved, in the same request, from these pixels: the
    picture is decoded in full once, not again from the file just written.
    """

    def __init__(self, name, content, content_type, *, rendition_source):
        super().__init__(name, content, content_type)
        self.rendition_source = rendition_source


def _open(file):
    # ``formats`` limits the decoders Pillow will even try: no EPS, PDF, PSD or SVG. Pillow's own
    # bomb warning is silenced because the stricter check on MAX_PIXELS follows at once.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return Image.open(file, formats=ACCEPTED_FORMATS)


def _too_large(width, height):
    return forms.ValidationError(
        MESSAGES["too_large"].format(width=width, height=height, limit=MAX_PIXELS // 1_000_000),
        code="too_large",
    )


def normalise(uploaded):
    """Validate an uploaded file and return it re-encoded: upright, RGB, pixels and colour profile only.

    Raises ``forms.ValidationError`` with a message an editor can act on.
    """
    uploaded.seek(0)
    try:
        with _open(uploaded) as image:
            width, height = image.size
            # The size comes from the header; nothing has been decoded yet.
            if width * height > MAX_PIXELS:
                raise _too_large(width, height)
            came_as = image.format
            stored_format = _stored_format(image)
            options = _original_options(image, stored_format)
            image.load()
            icc_profile = image.info.get("icc_profile") if image.mode in RGB_MODES else None
            ImageOps.exif_transpose(image, in_place=True)
            pixels = _to_rgb(image)
    except forms.ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_large("?", "?") from exc
    except UnidentifiedImageError as exc:
        raise forms.ValidationError(MESSAGES["not_image"], code="not_image") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise forms.ValidationError(MESSAGES["broken"], code="broken") from exc
    # Nothing read from the file is written again unless it is named here: Pillow's encoders copy
    # some of ``info`` (a JPEG's comment, for one) into what they write.
    pixels.info = {}
    if icc_profile:
        options["icc_profile"] = icc_profile
    out = io.BytesIO()
    pixels.save(out, stored_format, **options)
    # A large JPEG is decoded a second time at a fraction of its scale: cheaper than shrinking
    # the full pixels to the largest rendition.
    reduced = None
    if came_as == "JPEG":
        uploaded.seek(0)
        with contextlib.suppress(OSError, SyntaxError, ValueError, EOFError):
            reduced = _reduced_source(uploaded, only_if_reduced=True)
    return NormalisedUpload(
        safe_name(uploaded.name, STORED_EXTENSIONS[stored_format]),
        out.getvalue(),
        Image.MIME[stored_format],
        rendition_source=reduced or RenditionSource(pixels, pixels.size, icc_profile),
    )


def _stored_format(image):
    if image.format in ("PNG", "GIF") and image.width * image.height > LARGE_PNG_PIXELS:
        return "JPEG"
    return STORED_FORMATS[image.format]


def _original_options(image, stored_format):
    """Encoder settings for the stored original: close to what came in, without its extras."""
    if stored_format == "JPEG" and image.format != "JPEG":
        return {"quality": 92, "subsampling": 0}
    if stored_format == "JPEG":
        # Keep the camera's chroma subsampling (4:4:4 stays sharp-edged); unknown means 4:2:0.
        sampling = JpegImagePlugin.get_sampling(image)
        return {"quality": 88, "subsampling": sampling if sampling in (0, 1, 2) else 2}
    if stored_format == "WEBP":
        return {"quality": 88, "method": 4}
    if image.width * image.height <= PNG_OPTIMISE_PIXELS:
        return {"optimize": True}
    return {"compress_level": 1}


def _to_rgb(image):
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Flatten transparency onto white rather than the black RGB conversion would give.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    # An RGB picture is used as it is: a copy of 48 megapixels costs 150 MB and a tenth of a second.
    return image if image.mode == "RGB" else image.convert("RGB")


class ImageUploadField(forms.FileField):
    """The form side of ``UploadedImageField``: a clear error, or a re-encoded picture."""

    def to_python(self, data):
        if data not in self.empty_values and getattr(data, "name", None):
            # Shorten and flatten the name first, so a long or path-like name is not an error.
            data.name = safe_name(data.name, "upload")
        data = super().to_python(data)
        return None if data is None else normalise(data)


class UploadedImageField(models.ImageField):
    """An ImageField whose uploads pass through ``normalise`` in every model form (the admin's too)."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ImageUploadField, **kwargs})

    def pre_save(self, model_instance, add):
        # A new upload is written to storage here, just before its row.
        try:
            return super().pre_save(model_instance, add)
        except OSError as error:
            raise StorageFailure(self.name, error) from error


def _listed(described):
    return {r["name"] for key in EXTENSIONS for r in described.get(key, [])}


def picture_files(renditions):
    """Every file a picture's renditions description names: its source, each rendition, and
    each rendition of each shape's cut."""
    renditions = renditions or {}
    names = _listed(renditions)
    for shaped in renditions.get("shapes", {}).values():
        names |= _listed(shaped)
    source = renditions.get("source")
    return names | {source} if source else names


def _focal_point(instance, focal_fields):
    """The focal point the model holds in the two fields named, as [x, y] fractions."""
    return [fraction(getattr(instance, name, CENTRE)) for name in focal_fields]


def shapes_cut_for(renditions, focal):
    """Whether a picture's renditions hold every shape, each cut around ``focal``."""
    shapes = renditions.get("shapes")
    return (
        shapes is not None
        and shapes.keys() == SHAPES.keys()
        and all(shaped.get("focal") == focal for shaped in shapes.values())
    )


@contextlib.contextmanager
def saved_with_picture(instance, field_name, renditions_name, focal_fields=None):
    """Wrap a model's save so that the row and the picture files it names are stored together.

    The field writes a new upload as the row is saved; its renditions are made just after, in the
    same transaction. ``focal_fields`` names the model's two focal-point fractions (x, y): with
    them, each shape's cut (``content.shapes``) is made as well, and when only the point has
    moved (or the picture has no cuts yet), only the cuts are made again. The files follow that
    transaction (``content.image_files``): if any step fails, or the transaction is rolled back
    later, the files this save wrote are removed; the files this save replaced or cleared (a
    picture, or the cuts around an earlier point) are removed once the save has committed. A
    storage error goes on as ``StorageFailure``, with the instance handed back as it was. A save
    whose picture, renditions and cuts are already stored passes straight through.
    """
    picture = getattr(instance, field_name)
    before = getattr(instance, renditions_name) or {}
    same_picture = (picture.name or "") == before.get("source", "")
    focal = _focal_point(instance, focal_fields) if focal_fields else None
    if same_picture and (not picture or focal is None or shapes_cut_for(before, focal)):
        yield
        return
    # Django's own flag for a file assigned but not yet written; only such a file is ours to remove.
    uploading, upload_name = bool(picture) and not picture._committed, picture.name
    source = getattr(picture.file, "rendition_source", None) if uploading else None
    using = router.db_for_write(type(instance), instance=instance)
    storage, written = picture.storage, []
    try:
        with transaction.atomic(using=using):
            written = image_files.track(instance, field_name, renditions_name, storage, using)
            yield
            stored = getattr(instance, field_name)
            if uploading:
                written.append(stored.name)
            if same_picture:
                size = (before["width"], before["height"])
                shapes = make_shapes(
                    stored, size, focal, before=before.get("shapes"), written=written
                )
                renditions = {**before, "shapes": shapes}
            else:
                renditions = (
                    make_renditions(stored, source=source, written=written, focal=focal)
                    if stored
                    else {}
                )
            setattr(instance, renditions_name, renditions)
            rows = type(instance)._base_manager.using(using).filter(pk=instance.pk)
            rows.update(**{renditions_name: renditions})
            kept = picture_files(renditions) | {stored.name}
            image_files.delete_on_commit(storage, picture_files(before) - kept, using)
    except Exception:
        setattr(instance, renditions_name, before)
        stored = getattr(instance, field_name)
        if uploading and stored._committed:
            if stored.name not in written:
                # The row failed after the field wrote the upload: that file is this save's too.
                written.append(stored.name)
            # Hand the upload back unwritten, so that saving again stores it again.
            picture.name, picture._committed = upload_name, False
            setattr(instance, field_name, picture)
        image_files.settle()
        raise
    image_files.settle()


@dataclass(frozen=True)
class RenditionSource:
    """Upright RGB pixels to cut renditions from, and the picture's full upright size."""

    pixels: Image.Image
    size: tuple
    icc_profile: bytes | None = None


def _reduced_source(file, *, only_if_reduced=False, for_shapes=False):
    """The pixels of a picture file, decoded at no more than the largest rendition needs.

    A JPEG is decoded at 1/2, 1/4 or 1/8 scale where that still covers the largest rendition
    (``Image.draft``: the decoder itself scales, for a fraction of a full decode's work), or
    with ``for_shapes`` every shape's largest cut. Other formats are decoded in full, unless
    ``only_if_reduced`` asks for None instead.
    """
    with _open(file) as image:
        full_width, full_height = image.size
        if full_width * full_height > MAX_PIXELS:
            return None
        orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
        # Orientations 5 to 8 turn the picture a quarter: its upright width is the file's height.
        upright = (full_height, full_width) if orientation in (5, 6, 7, 8) else image.size
        scale = min(upright[0], RENDITION_WIDTHS[-1]) / upright[0]
        if for_shapes:
            scale = max(scale, detail_needed(upright))
        image.draft("RGB", (math.ceil(full_width * scale), math.ceil(full_height * scale)))
        if only_if_reduced and image.size == (full_width, full_height):
            return None
        icc_profile = image.info.get("icc_profile") if image.mode in RGB_MODES else None
        image.load()
        ImageOps.exif_transpose(image, in_place=True)
        pixels = _to_rgb(image)
    pixels.info = {}
    return RenditionSource(pixels, upright, icc_profile)


def _stored_source(fieldfile, *, for_shapes=False):
    """For a file that did not come through the upload form in this request."""
    fieldfile.open("rb")
    try:
        return _reduced_source(fieldfile, for_shapes=for_shapes)
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        return None
    finally:
        fieldfile.close()


def make_renditions(fieldfile, *, source=None, written=None, focal=None):
    """Write the fixed-width WebP and JPEG renditions of a stored image; return their description.

    ``source`` holds the upright pixels, when the caller has them (a fresh upload); otherwise the
    stored file is decoded. Each rendition is resized from the next larger one, largest first, so
    only the first resize reads the decoded picture. With a ``focal`` point, each shape's cut is
    made too (``make_shapes``), under "shapes". The name of each file written is appended to
    ``written`` as soon as it exists.
    """
    written = [] if written is None else written
    source = source or _stored_source(fieldfile)
    if source is None:
        # A file that did not come through the upload form and cannot be read: pages fall back
        # to the stored original rather than the save failing.
        return {}
    width, height = source.size
    stem = fieldfile.name.rsplit(".", 1)[0]
    widths = {w for w in RENDITION_WIDTHS if w < width} | {min(width, RENDITION_WIDTHS[-1])}
    sizes = [(w, max(1, round(height * w / width))) for w in sorted(widths, reverse=True)]
    result = {"source": fieldfile.name, "width": width, "height": height}
    made, largest = _write_renditions(fieldfile, source, sizes, stem, written)
    result.update(made)
    if focal is not None:
        # The cuts come from the largest rendition when it holds enough of the picture (it does
        # unless the picture is wider than 16:9): a fraction of the work of the full pixels.
        reduced = RenditionSource(largest, source.size, source.icc_profile)
        cut_from = reduced if _covers(reduced) else source
        result["shapes"] = make_shapes(
            fieldfile, source.size, focal, source=cut_from, written=written
        )
    return result


def make_shapes(fieldfile, size, focal, *, source=None, before=None, written=None):
    """Cut a stored image for each shape around ``focal``, write each cut's WebP and JPEG
    renditions at the shape's widths, and return their description by shape.

    ``size`` is the picture's full upright size, ``source`` its decoded pixels when the caller
    has them; otherwise the stored file is decoded, and only if some cut has moved: a shape whose
    box is the one it has in ``before`` keeps its files. The name of each file written is
    appended to ``written`` as soon as it exists.
    """
    written = [] if written is None else written
    before = before or {}
    boxes = {name: list(crop_box(size, shape, focal)) for name, shape in SHAPES.items()}
    moved = [name for name in SHAPES if before.get(name, {}).get("box") != boxes[name]]
    if moved and (source is None or not _covers(source)):
        # A panorama's wide cut needs more of its pixels than its as-uploaded renditions did.
        source = _stored_source(fieldfile, for_shapes=True) or source
        if source is None:
            return {}
    stem = fieldfile.name.rsplit(".", 1)[0]
    shapes = {}
    for name, shape in SHAPES.items():
        box = boxes[name]
        if name not in moved:
            shapes[name] = {**before[name], "focal": focal}
            continue
        across, down = source.pixels.width / size[0], source.pixels.height / size[1]
        pixel_box = (box[0] * across, box[1] * down, box[2] * across, box[3] * down)
        sizes = [(w, shape.height_for(w)) for w in shape.widths_for(box[2] - box[0])]
        # The box's corner is in the name: a cut moved elsewhere is a new file, never a new
        # picture under an old name that a browser or a CDN may still hold.
        made, _ = _write_renditions(
            fieldfile, source, sizes, f"{stem}-{name}-{box[0]}-{box[1]}", written, box=pixel_box
        )
        shapes[name] = {"focal": focal, "box": box, "width": sizes[0][0], "height": sizes[0][1]}
        shapes[name].update(made)
    return shapes


def _covers(source):
    """Whether the decoded pixels hold enough of the picture for every shape's largest cut."""
    return source.pixels.width + 0.5 >= source.size[0] * detail_needed(source.size)


def _write_renditions(fieldfile, source, sizes, stem, written, *, box=None):
    """Resize the source's pixels (the part in ``box``, if given) to each of ``sizes``, largest
    first, each from the one before, so only the first resize reads the decoded picture; write
    each as WebP and JPEG. Returns their lists, smallest first, and the largest one's pixels."""
    storage = fieldfile.storage
    made = {key: [] for key in RENDITION_FORMATS}
    extra = {"icc_profile": source.icc_profile} if source.icc_profile else {}
    current = largest = source.pixels
    for size in sizes:
        if box is not None or current.size != size:
            # ``reducing_gap`` first shrinks by a whole factor with ``reduce()`` (cheap box
            # averaging), leaving at least 1.5 times the size for Lanczos to resample: a 6000
            # pixel PNG is halved first, where Pillow's suggested 2.0 would resample it whole.
            current = current.resize(
                size, Image.Resampling.LANCZOS, box=box, reducing_gap=REDUCING_GAP
            )
            box = None
        for key, (pil_format, options) in RENDITION_FORMATS.items():
            out = io.BytesIO()
            current.save(out, pil_format, **options, **extra)
            name = f"{stem}-{size[0]}.{EXTENSIONS[key]}"
            try:
                name = storage.save(name, ContentFile(out.getvalue()))
            except OSError as error:
                raise StorageFailure(fieldfile.field.name, error) from error
            written.append(name)
            made[key].insert(0, {"name": name, "width": size[0], "height": size[1]})
        largest = current if size == sizes[0] else largest
    return made, largest


class StorageFailureAdminMixin:
    """For the admin of a model with a picture: a storage failure is a form error, not a 500.

    By the time the failure reaches the view, the save's transaction (the history's revision with
    it) is rolled back and its files are removed. The view then runs once more on the same
    submission, and this time the form refuses it with the reason on the picture's field, so the
    editor gets the page they sent back with everything they typed.
    """

    def add_view(self, request, form_url="", extra_context=None):
        return self._reporting_storage_failure(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = super().change_view
        return self._reporting_storage_failure(view, request, object_id, form_url, extra_context)

    def _reporting_storage_failure(self, view, request, *args):
        try:
            return view(request, *args)
        except StorageFailure as failure:
            logger.exception("A picture could not be stored (%s)", failure)
            request.newsroom_storage_failure = failure
            return view(request, *args)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        failure = getattr(request, "newsroom_storage_failure", None)
        if failure is None:
            return form

        class RefusedForm(form):
            def clean(self):
                self.add_error(failure.field_name, failure.message)
                return super().clean()

        return RefusedForm


@dataclass(frozen=True)
class Picture:
    """What a template needs to draw an image with ``<picture>``: sources, fallback and size."""

    src: str
    width: int
    height: int
    webp_srcset: str = ""
    jpeg_srcset: str = ""

    @property
    def largest_jpeg_url(self):
        return self.jpeg_srcset.rsplit(", ", 1)[-1].split(" ")[0] if self.jpeg_srcset else self.src


# A rendition name as this module writes it: word characters, hyphens, single dots and slashes.
_PLAIN_NAME = re.compile(r"[\w-]+(?:[./][\w-]+)*\Z", re.ASCII)


def _url_maker(storage):
    """``storage.url``, with a shortcut for files on disk whose names need no quoting.

    For such a name FileSystemStorage's answer is its base URL followed by the name; working
    that out with ``urljoin`` for each of a page's 60 or so rendition URLs cost more than the
    rest of the picture markup.
    """
    if not isinstance(storage, FileSystemStorage):
        return storage.url
    base = storage.base_url

    def url(name):
        return base + name if _PLAIN_NAME.match(name) else storage.url(name)

    return url


def inline_picture(fieldfile, renditions):
    """A ``Picture`` that carries its pixels in the page itself (a ``data:`` URL).

    For a preview of an unsaved upload: the preview's transaction is rolled back, so the files it
    wrote are removed when the request ends, before the browser could fetch them. One JPEG
    rendition, the page's usual fallback size, is put in the page instead.
    """
    jpegs = (renditions or {}).get("jpeg", [])
    if not fieldfile or not jpegs or renditions.get("source") != fieldfile.name:
        return None
    chosen = next((r for r in jpegs if r["width"] >= 960), jpegs[-1])
    with fieldfile.storage.open(chosen["name"], "rb") as file:
        data = base64.b64encode(file.read()).decode("ascii")
    return Picture(
        src=f"data:image/jpeg;base64,{data}",
        width=renditions["width"],
        height=renditions["height"],
    )


def picture_for(fieldfile, renditions, width=None, height=None, shape=None):
    """A ``Picture`` for a stored image, using its renditions when they match the current file.

    ``shape`` (a name in ``content.shapes.SHAPES``) asks for the picture's cut to that shape;
    a picture not cut yet is drawn as uploaded.
    """
    if shape is not None and shape not in SHAPES:
        raise ValueError(f"No shape named {shape!r}; the shapes are {', '.join(SHAPES)}.")
    if not fieldfile:
        return None
    if not renditions or renditions.get("source") != fieldfile.name:
        return Picture(src=fieldfile.url, width=width or 0, height=height or 0)
    described = renditions.get("shapes", {}).get(shape) or renditions if shape else renditions

    url = _url_maker(fieldfile.storage)

    def srcset(key):
        return ", ".join(f"{url(r['name'])} {r['width']}w" for r in described.get(key, []))

    jpegs = described.get("jpeg", [])
    fallback = next((r for r in jpegs if r["width"] >= 960), jpegs[-1]) if jpegs else None
    return Picture(
        src=url(fallback["name"]) if fallback else fieldfile.url,
        width=described["width"],
        height=described["height"],
        webp_srcset=srcset("webp"),
        jpeg_srcset=srcset("jpeg"),
    )

"""Image uploads: validated by content, normalised, and cut into renditions once, at upload.

An upload is opened with Pillow restricted to four formats (the file name is never trusted), its
pixel count is checked from the header before any pixel is decoded, and it is then decoded in full
(which catches truncated files), turned upright from its EXIF orientation, converted to RGB and
re-encoded as a JPEG. Re-encoding drops metadata (EXIF, GPS, ICC) and anything appended after the
image data. Renditions at fixed widths, in WebP and JPEG, are written beside the original when the
model is saved; pages only read them.

Storing is all or nothing: if the storage fails (a full disk, a folder the server may not write to)
on the original or on any rendition, the files that save wrote are removed, the row is rolled back,
and the admin shows the editor a form error with everything they typed (``saved_with_picture``,
``StorageFailureAdminMixin``).
"""

import errno
import io
import logging
import posixpath
import re
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, router, transaction
from django.utils.text import slugify
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000
RENDITION_WIDTHS = (320, 640, 960, 1280, 1920)
RENDITION_FORMATS = {"webp": ("WEBP", {"quality": 80, "method": 4}), "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True})}  # fmt: skip
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
MAX_STEM = 50

MESSAGES = {
    "not_image": "This file is not an image we accept. Upload a JPEG, PNG, WebP or GIF picture.",
    "too_large": "This picture is too large ({width} × {height} pixels). The limit is {limit} megapixels.",
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


def normalise(uploaded):
    """Validate an uploaded file and return its upright, RGB, metadata-free JPEG re-encoding.

    Raises ``forms.ValidationError`` with a message an editor can act on.
    """
    uploaded.seek(0)
    try:
        # ``formats`` limits the decoders Pillow will even try: no EPS, PDF, PSD or SVG. Pillow's
        # own bomb warning is silenced because the stricter check below follows at once.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(uploaded, formats=ACCEPTED_FORMATS)
        with image:
            width, height = image.size
            # The size comes from the header; nothing has been decoded yet.
            if width * height > MAX_PIXELS:
                raise forms.ValidationError(
                    MESSAGES["too_large"].format(
                        width=width, height=height, limit=MAX_PIXELS // 1_000_000
                    ),
                    code="too_large",
                )
            image.load()
            upright = ImageOps.exif_transpose(image)
            rgb = _to_rgb(upright)
    except forms.ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise forms.ValidationError(
            MESSAGES["too_large"].format(width="?", height="?", limit=MAX_PIXELS // 1_000_000),
            code="too_large",
        ) from exc
    except UnidentifiedImageError as exc:
        raise forms.ValidationError(MESSAGES["not_image"], code="not_image") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise forms.ValidationError(MESSAGES["broken"], code="broken") from exc
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=90, optimize=True)
    return SimpleUploadedFile(safe_name(uploaded.name), out.getvalue(), "image/jpeg")


def _to_rgb(image):
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Flatten transparency onto white rather than the black RGB conversion would give.
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


class ImageUploadField(forms.FileField):
    """The form side of ``UploadedImageField``: a clear error, or a normalised JPEG."""

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


@contextmanager
def saved_with_picture(instance, field_name, renditions_name):
    """Wrap a model's save so that the row and the picture it names are stored together, or not.

    The field writes a new upload as the row is saved; its renditions are made just after, in the
    same transaction. If any step fails, the files this save wrote are removed and the row's
    changes rolled back before the error goes on (a storage error as ``StorageFailure``): no row
    names a missing file and no stray file is left. A save whose picture and renditions are
    already stored passes straight through.
    """
    picture = getattr(instance, field_name)
    if not picture or getattr(instance, renditions_name).get("source") == picture.name:
        yield
        return
    # Django's own flag for a file assigned but not yet written; only such a file is ours to remove.
    uploading, upload_name = not picture._committed, picture.name
    before, renditions = getattr(instance, renditions_name), {}
    try:
        with transaction.atomic(using=router.db_for_write(type(instance), instance=instance)):
            yield
            renditions = make_renditions(getattr(instance, field_name))
            setattr(instance, renditions_name, renditions)
            rows = type(instance)._base_manager.filter(pk=instance.pk)
            rows.update(**{renditions_name: renditions})
    except Exception:
        setattr(instance, renditions_name, before)
        stored = getattr(instance, field_name)
        if uploading and stored._committed:
            made = [r["name"] for key in EXTENSIONS for r in renditions.get(key, [])]
            _remove(stored.storage, [stored.name, *made])
            # Hand the upload back unwritten, so that saving again stores it again.
            picture.name, picture._committed = upload_name, False
            setattr(instance, field_name, picture)
        raise


def _remove(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not remove %s after a failed save", name)


def make_renditions(fieldfile):
    """Write the fixed-width WebP and JPEG renditions of a stored image; return their description.

    Names are derived from the original's, so making them twice writes the same files again.
    """
    try:
        fieldfile.open("rb")
        with Image.open(fieldfile, formats=ACCEPTED_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                return {}
            image.load()
            source = _to_rgb(ImageOps.exif_transpose(image))
    except (OSError, SyntaxError, ValueError, EOFError, Image.DecompressionBombError):
        # A file that did not come through the upload form and cannot be read: pages fall back
        # to the stored original rather than the save failing.
        return {}
    finally:
        fieldfile.close()
    storage = fieldfile.storage
    stem = fieldfile.name.rsplit(".", 1)[0]
    widths = [w for w in RENDITION_WIDTHS if w < source.width] + [
        min(source.width, RENDITION_WIDTHS[-1])
    ]
    result = {"source": fieldfile.name, "width": source.width, "height": source.height}
    written = []
    for key, (pil_format, options) in RENDITION_FORMATS.items():
        result[key] = []
        for width in sorted(set(widths)):
            height = max(1, round(source.height * width / source.width))
            resized = source.resize((width, height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, pil_format, **options)
            name = f"{stem}-{width}.{EXTENSIONS[key]}"
            try:
                if storage.exists(name):
                    storage.delete(name)
                name = storage.save(name, ContentFile(out.getvalue()))
            except OSError as error:
                _remove(storage, written)
                raise StorageFailure(fieldfile.field.name, error) from error
            written.append(name)
            result[key].append({"name": name, "width": width, "height": height})
    return result


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


def picture_for(fieldfile, renditions, width=None, height=None):
    """A ``Picture`` for a stored image, using its renditions when they match the current file."""
    if not fieldfile:
        return None
    if not renditions or renditions.get("source") != fieldfile.name:
        return Picture(src=fieldfile.url, width=width or 0, height=height or 0)

    url = _url_maker(fieldfile.storage)

    def srcset(key):
        return ", ".join(f"{url(r['name'])} {r['width']}w" for r in renditions.get(key, []))

    jpegs = renditions.get("jpeg", [])
    fallback = next((r for r in jpegs if r["width"] >= 960), jpegs[-1]) if jpegs else None
    return Picture(
        src=url(fallback["name"]) if fallback else fieldfile.url,
        width=renditions["width"],
        height=renditions["height"],
        webp_srcset=srcset("webp"),
        jpeg_srcset=srcset("jpeg"),
    )

"""Image uploads: validated by content, normalised, and cut into renditions once, at upload.

An upload is opened with Pillow restricted to four formats (the file name is never trusted), its
pixel count is checked from the header before any pixel is decoded, and it is then decoded in full
(which catches truncated files), turned upright from its EXIF orientation, converted to RGB and
re-encoded as a JPEG. Re-encoding drops metadata (EXIF, GPS, ICC) and anything appended after the
image data. Renditions at fixed widths, in WebP and JPEG, are written beside the original when the
model is saved; pages only read them.
"""

import io
import posixpath
import warnings
from dataclasses import dataclass

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
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
}


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
    for key, (pil_format, options) in RENDITION_FORMATS.items():
        result[key] = []
        for width in sorted(set(widths)):
            height = max(1, round(source.height * width / source.width))
            resized = source.resize((width, height), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            resized.save(out, pil_format, **options)
            name = f"{stem}-{width}.{EXTENSIONS[key]}"
            if storage.exists(name):
                storage.delete(name)
            name = storage.save(name, ContentFile(out.getvalue()))
            result[key].append({"name": name, "width": width, "height": height})
    return result


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


def picture_for(fieldfile, renditions, width=None, height=None):
    """A ``Picture`` for a stored image, using its renditions when they match the current file."""
    if not fieldfile:
        return None
    if not renditions or renditions.get("source") != fieldfile.name:
        return Picture(src=fieldfile.url, width=width or 0, height=height or 0)

    url = fieldfile.storage.url

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

"""Where uploaded pictures are kept, from the environment: ``STORAGES["default"]``.

Local disk (``NEWSROOM_MEDIA_ROOT``) unless ``NEWSROOM_S3_BUCKET`` names an S3-compatible bucket
(AWS S3, MinIO, Cloudflare R2, …), which every app server then shares. Kept apart from the storage
classes so that reading the settings does not import boto3.

Readers fetch the pictures from ``NEWSROOM_S3_PUBLIC_URL`` (the bucket's public address, or a CDN
in front of it), so the bucket, or that CDN, must let anyone read its objects. Page URLs are then
plain strings built in the app server: no signing, no request to the store while a page renders,
and the same bytes on every render, which the page cache and ETags rely on. Signed URLs would
expire inside cached pages, and building each one through botocore cost about 0.4 ms, some 25 ms
for a story page's renditions.

A half-made configuration is refused when the settings load, with every missing piece named:
with a bucket but no public URL, for instance, uploads would land in the bucket and no reader could
see them; with S3 variables but no bucket, uploads would quietly stay on one server's disk.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL = {"BACKEND": "newsroom.storage.WholeFileStorage"}
OBJECT_STORAGE = "newsroom.object_storage.ObjectStorage"

BUCKET = "NEWSROOM_S3_BUCKET"
PUBLIC_URL = "NEWSROOM_S3_PUBLIC_URL"
ENDPOINT_URL = "NEWSROOM_S3_ENDPOINT_URL"
REGION = "NEWSROOM_S3_REGION"
ACCESS_KEY_ID = "NEWSROOM_S3_ACCESS_KEY_ID"
SECRET_ACCESS_KEY = "NEWSROOM_S3_SECRET_ACCESS_KEY"  # noqa: S105 (a variable's name)
ADDRESSING_STYLE = "NEWSROOM_S3_ADDRESSING_STYLE"
VARIABLES = (
    BUCKET,
    PUBLIC_URL,
    ENDPOINT_URL,
    REGION,
    ACCESS_KEY_ID,
    SECRET_ACCESS_KEY,
    ADDRESSING_STYLE,
)
ADDRESSING_STYLES = ("auto", "path", "virtual")


def media_storage(environ, *, production):
    """The ``STORAGES["default"]`` entry that ``environ`` asks for; ``ImproperlyConfigured`` if
    it asks for S3 without everything S3 needs."""
    values = {name: environ.get(name, "").strip() for name in VARIABLES}
    if not values[BUCKET]:
        stray = [name for name in VARIABLES if values[name]]
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} set but {BUCKET} is not: set {BUCKET} to keep media in "
                "object storage, or unset them to keep it on this server's disk."
            )
        return LOCAL

    problems = []
    public = _url(values[PUBLIC_URL], PUBLIC_URL, problems, https=production, path=True)
    if not values[PUBLIC_URL]:
        problems.append(
            f"{PUBLIC_URL} must be the address readers fetch the bucket's files from, e.g. "
            "https://media.example.com or https://BUCKET.s3.REGION.amazonaws.com."
        )
    endpoint = _url(values[ENDPOINT_URL], ENDPOINT_URL, problems, https=False, path=False)
    if not values[REGION]:
        problems.append(
            f"{REGION} must name the bucket's region (e.g. eu-west-1; us-east-1 for MinIO, "
            "auto for Cloudflare R2)."
        )
    if bool(values[ACCESS_KEY_ID]) != bool(values[SECRET_ACCESS_KEY]):
        problems.append(
            f"{ACCESS_KEY_ID} and {SECRET_ACCESS_KEY} go together: set both, or neither to use "
            "boto3's own credentials (an instance or task role, AWS_* variables)."
        )
    style = values[ADDRESSING_STYLE].lower()
    if style and style not in ADDRESSING_STYLES:
        problems.append(f"{ADDRESSING_STYLE} must be one of {', '.join(ADDRESSING_STYLES)}.")
    if problems:
        raise ImproperlyConfigured("Media in object storage: " + " ".join(problems))

    options = {
        "bucket_name": values[BUCKET],
        "region_name": values[REGION],
        "url_protocol": f"{public.scheme}:",
        # django-storages' "custom domain" is the host and any path readers' URLs start with.
        "custom_domain": (public.netloc + public.path).rstrip("/"),
    }
    if endpoint:
        options["endpoint_url"] = values[ENDPOINT_URL]
    if values[ACCESS_KEY_ID]:
        options["access_key"] = values[ACCESS_KEY_ID]
        options["secret_key"] = values[SECRET_ACCESS_KEY]
    if style:
        options["addressing_style"] = style
    return {"BACKEND": OBJECT_STORAGE, "OPTIONS": options}


def media_origins(storage):
    """Where pictures are served from besides this site: for Content-Security-Policy's img-src."""
    if storage["BACKEND"] != OBJECT_STORAGE:
        return []
    options = storage["OPTIONS"]
    return [f"{options['url_protocol']}//{options['custom_domain'].split('/', 1)[0]}"]


def _url(value, name, problems, *, https, path):
    """``value`` split, if it is a plain http(s) address; otherwise a problem is noted."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = urlsplit("")
    schemes = ("https",) if https else ("http", "https")
    if (
        parts.scheme not in schemes
        or not parts.hostname
        or parts.username
        or parts.query
        or parts.fragment
        or (parts.path.strip("/") and not path)
    ):
        shape = "https://host" if https else "http(s)://host[:port]"
        problems.append(
            f"{name} must be a plain {shape}{'[/path]' if path else ''} address, "
            f"not {value!r}." + (" Production serves pages over HTTPS only." if https else "")
        )
        return None
    return parts

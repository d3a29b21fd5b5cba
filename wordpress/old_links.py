"""The resolver of old WordPress addresses (registered with ``newsroom.old_addresses``).

A story's old permalink, attachment pages and ``?p=<id>`` forms are ``ArticleRedirect`` rows,
answered while the story is live; category and tag archives are ``ArchiveRedirect`` rows.
"""

from articles.models import ArticleRedirect
from articles.querysets import live_condition

from .models import ArchiveRedirect

STORY_QUERY = ("p", "page_id", "attachment_id")
ARCHIVE_QUERY = ("cat", "tag")


def _paths(request):
    path = request.path
    paths = [path]
    if not path.endswith("/"):
        paths.append(f"{path}/")
    return paths


def story_query_path(path, name, value):
    """The one spelling an old ``?p=``-style address is stored under."""
    return f"{path}?{name}={value}"


# WordPress's ids are 64-bit: at most 20 digits. A longer value names nothing.
MAX_ID_DIGITS = 20
MAX_SLUG = 200


def _query_keys(request, names, *, numeric):
    keys = []
    for name in names:
        value = request.GET.get(name, "")
        if numeric:
            # "007" is post 7, as WordPress reads it; the digits are never made a number, so a
            # value of thousands of digits costs nothing.
            if not value.isascii() or not value.isdigit():
                continue
            value = value.lstrip("0") or "0"
            if len(value) > MAX_ID_DIGITS:
                continue
        elif len(value) > MAX_SLUG:
            continue
        if value:
            keys.append(story_query_path(request.path, name, value))
    return keys


def resolve(request):
    keys = _paths(request) + _query_keys(request, STORY_QUERY, numeric=True)
    moved = (
        ArticleRedirect.objects.filter(live_condition(prefix="article__"), old_path__in=keys)
        .select_related("article")
        .first()
    )
    if moved is not None:
        return moved.article.get_absolute_url()
    keys = _paths(request) + _query_keys(request, ARCHIVE_QUERY, numeric=False)
    archive = ArchiveRedirect.objects.filter(old_path__in=keys).select_related("section", "tag")
    archive = archive.first()
    return archive.target() if archive is not None else None

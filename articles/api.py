"""The read-only JSON API for partners and apps. Its shape is documented in docs/api.md.

Live stories only, newest first, with cursor pagination: the cursor is the signed position
``(publish_at, id)`` of the last story on the page, so pages stay stable while stories are added.
"""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from taggit.models import Tag

from authors.models import Author
from newsroom.addresses import absolute_url
from newsroom.pagecache import reads_query
from newsroom.reversing import reverse

from .models import Article, Correction, Section
from .pagination import whole_number

PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
CURSOR_SALT = "articles.api.cursor"
FILTERS = {"section": "section__slug", "tag": "tags__slug", "author": "bylines__author__slug"}
# What each filter's value may be: a slug as long as that model's slugs can be.
FILTER_FIELDS = {
    name: forms.SlugField(allow_unicode=True, max_length=model._meta.get_field("slug").max_length)
    for name, model in (("section", Section), ("tag", Tag), ("author", Author))
}


class BadRequest(Exception):
    pass


def _iso(value):
    return value.isoformat() if value else None


def _rendition_list(request, storage, items):
    return [
        {
            "url": absolute_url(storage.url(r["name"])),
            "width": r["width"],
            "height": r["height"],
        }
        for r in items
    ]


def _hero(request, article):
    if not article.hero_image:
        return None
    picture = article.hero_picture
    renditions = article.hero_renditions if picture.webp_srcset else {}
    storage = article.hero_image.storage
    return {
        "url": absolute_url(article.hero_image.url),
        "width": picture.width or None,
        "height": picture.height or None,
        "alt": article.hero_alt,
        "caption": article.hero_caption,
        "credit": article.hero_credit,
        "renditions": {
            kind: _rendition_list(request, storage, renditions.get(kind, []))
            for kind in ("webp", "jpeg")
        },
    }


def section_summary(section):
    return {
        "name": section.name,
        "slug": section.slug,
        "url": absolute_url(section.get_absolute_url()),
    }


def serialise(request, article):
    absolute = absolute_url
    section = article.section
    return {
        "id": article.pk,
        "url": absolute(article.get_absolute_url()),
        "api_url": absolute(reverse("api:article", kwargs={"pk": article.pk})),
        "canonical_url": article.canonical_url or absolute(article.get_absolute_url()),
        "headline": article.headline,
        "kicker": article.kicker,
        "dek": article.dek,
        "body_html": article.body_html,
        "section": section and section_summary(section),
        "tags": [
            {
                "name": t.name,
                "slug": t.slug,
                "url": absolute(reverse("articles:tag", args=[t.slug])),
            }
            for t in article.tag_list
        ],
        "bylines": [
            {
                "name": b.author.name,
                "slug": b.author.slug,
                "role": b.role,
                "job_title": b.author.job_title,
                "url": absolute(b.author.get_absolute_url()) if b.author.is_active else None,
            }
            for b in article.bylines.all()
        ],
        "images": {"hero": _hero(request, article)},
        "published_at": _iso(article.publish_at),
        "first_published_at": _iso(article.first_published_at),
        "updated_at": _iso(article.updated_at),
        "corrections": [
            {"kind": c.kind, "text": c.text, "published_at": _iso(c.published_at)}
            for c in article.api_corrections
        ],
    }


def _stories(now):
    corrections = Correction.objects.public(now).order_by("published_at", "id")
    return (
        Article.objects.live(now)
        .for_detail()
        .prefetch_related(Prefetch("corrections", corrections, to_attr="api_corrections"))
    )


def encode_cursor(article):
    return signing.dumps([article.publish_at.isoformat(), article.pk], salt=CURSOR_SALT)


def decode_cursor(cursor):
    try:
        stamp, pk = signing.loads(cursor, salt=CURSOR_SALT)
        when = parse_datetime(stamp)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise BadRequest("The cursor is not one this API gave out.") from exc
    if when is None or not isinstance(pk, int):
        raise BadRequest("The cursor is not one this API gave out.")
    return Q(publish_at__lt=when) | Q(publish_at=when, pk__lt=pk)


def _page_size(raw):
    if raw in (None, ""):
        return PAGE_SIZE
    size = whole_number(raw, at_most=MAX_PAGE_SIZE)
    if size is None:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}.")
    return size


def _filter_value(name, raw):
    try:
        return FILTER_FIELDS[name].clean(raw)
    except ValidationError as exc:
        raise BadRequest(f"{name} must be a {name}'s slug.") from exc


def _list_page(request):
    params = request.GET
    size = _page_size(params.get("limit"))
    stories = _stories(timezone.now())
    for name, lookup in FILTERS.items():
        if params.get(name):
            value = _filter_value(name, params[name])
            # A subquery, not a join, so a story with two matching tags is listed once.
            stories = stories.filter(pk__in=Article.objects.filter(**{lookup: value}).values("pk"))
    if params.get("cursor"):
        stories = stories.filter(decode_cursor(params["cursor"]))
    page = list(stories.newest_first()[: size + 1])
    more, page = len(page) > size, page[:size]
    following = {k: params[k] for k in (*FILTERS, "limit") if params.get(k)}
    next_url = None
    if more:
        query = urlencode({**following, "cursor": encode_cursor(page[-1])})
        next_url = absolute_url(f"{request.path}?{query}")
    return {"results": [serialise(request, a) for a in page], "next": next_url}


@require_safe
@reads_query(*FILTERS, "cursor", "limit")
def article_list(request):
    try:
        return JsonResponse(_list_page(request))
    except BadRequest as exc:
        return JsonResponse({"error": str(exc)}, status=400)


@require_safe
@reads_query()
def article_detail(request, pk):
    article = _stories(timezone.now()).filter(pk=pk).first()
    if article is None:
        return JsonResponse({"error": "No live story has this id."}, status=404)
    return JsonResponse(serialise(request, article))

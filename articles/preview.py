"""Draft previews: the real story template with a banner, never cached, never indexed.

Share links are signed, expiring tokens (``django.core.signing``): nothing is stored, and a
tampered or expired token, or a withdrawn story, is a 404.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import patch_cache_control

from newsroom.addresses import absolute_url

from .models import Article

SALT = "articles.preview"


def make_token(article):
    return signing.dumps({"article": article.pk}, salt=SALT)


def share_url(request, article):
    return absolute_url(reverse("articles:preview", args=[make_token(article)]))


def article_from_token(token):
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise Http404("This preview link is not valid any more.") from exc
    article = (
        Article.objects.for_detail()
        .exclude(status=Article.Status.WITHDRAWN)
        .filter(pk=payload.get("article"))
        .first()
    )
    if article is None:
        raise Http404("This preview link is not valid any more.")
    return article


def render_preview(request, article):
    now = timezone.now()
    context = {
        "article": article,
        "is_live": False,
        "is_preview": True,
        "teasers": article.teasers.showing(now).for_strip()[: Article.teaser_count()],
        # A preview shows every correction, including ones dated in the future.
        "corrections": article.corrections.all(),
    }
    response = render(request, "articles/article_detail.html", context)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

"""Draft previews: the real story template with a banner, never cached, never indexed.

Share links are signed, expiring tokens (``django.core.signing``): nothing is stored, and a
tampered or expired token is a 404. A link follows the story's state, not the moment it was made:
a draft, a story in review or a scheduled one shows as a preview; a live one sends the holder to
its public page; a taken-down, withdrawn or deleted one is a 404, as it is everywhere else.
"""

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import patch_cache_control

from content.images import inline_picture
from newsroom.addresses import absolute_url
from newsroom.reversing import reverse

from . import story_page
from .models import Article

SALT = "articles.preview"
# What a share link may still show. Live stories are answered with their public page instead.
PREVIEWABLE = {Article.State.DRAFT, Article.State.IN_REVIEW, Article.State.SCHEDULED}
GONE = "This preview link is not valid any more."


def make_token(article):
    return signing.dumps({"article": article.pk}, salt=SALT)


def share_url(request, article):
    return absolute_url(reverse("articles:preview", args=[make_token(article)]))


def article_from_token(token):
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.NEWSROOM_PREVIEW_MAX_AGE)
    except signing.BadSignature as exc:  # SignatureExpired is a BadSignature too
        raise Http404(GONE) from exc
    article = Article.objects.for_detail().filter(pk=payload.get("article")).first()
    if article is None:
        raise Http404(GONE)
    return article


def share_link_response(request, token):
    article = article_from_token(token)
    state = article.state_at(timezone.now())
    if state == Article.State.LIVE:
        # Not cached: the story may be taken down while the token is still valid.
        response = redirect(article)
        patch_cache_control(response, private=True, no_store=True)
        return response
    if state not in PREVIEWABLE:
        raise Http404(GONE)
    return render_preview(request, article)


def render_preview(request, article, *, inline_pictures=False):
    """The story page as readers would see it, for its editors.

    ``inline_pictures``: the hero was uploaded with this preview and its files are removed when
    the request ends, so the page carries the picture itself (see ``inline_picture``).
    """
    now = timezone.now()
    if inline_pictures:
        article.hero_picture = inline_picture(article.hero_image, article.hero_renditions)
    context = {
        "article": article,
        "is_live": False,
        "is_preview": True,
        # The strip readers will see, automatic fill included: the live page's own assembly.
        "teasers": story_page.related_strip(article, now),
        # A preview shows every correction, including ones dated in the future.
        "corrections": article.corrections.all(),
    }
    response = render(request, "articles/article_detail.html", context)
    if inline_pictures:
        response._csp_update = {"img-src": ["data:"]}
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response

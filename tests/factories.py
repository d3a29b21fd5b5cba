"""Keyword-argument factory functions: each test names the state it depends on."""

import itertools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article, Byline, Correction, RelatedTeaser, Section
from authors.models import Author

_seq = itertools.count(1)


def _n():
    return next(_seq)


def make_user(*, username=None, is_staff=False, is_superuser=False, groups=(), **kw):
    user = get_user_model().objects.create_user(
        username=username or f"user{_n()}",
        password=kw.pop("password", "correct horse battery staple"),
        is_staff=is_staff,
        is_superuser=is_superuser,
        **kw,
    )
    if groups:
        from django.contrib.auth.models import Group

        user.groups.set([Group.objects.get(name=name) for name in groups])
    return user


def make_section(*, name=None, slug=None, **kw):
    n = _n()
    name = name or f"Section {n}"
    return Section.objects.create(name=name, slug=slug or f"section-{n}", **kw)


def make_author(
    *, name=None, slug=None, bio="Covers military, intelligence and geopolitics.", **kw
):
    n = _n()
    return Author.objects.create(
        name=name or f"Author {n}", slug=slug or f"author-{n}", bio=bio, **kw
    )


def make_article(
    *,
    headline=None,
    slug=None,
    status=Article.Status.PUBLISHED,
    publish_at="past",
    unpublish_at=None,
    section=None,
    tags=(),
    authors=(),
    **kw,
):
    """A live story unless told otherwise. ``publish_at`` may be "past", "future" or a datetime."""
    n = _n()
    now = timezone.now()
    if publish_at == "past":
        publish_at = now - timedelta(hours=1, seconds=n)
    elif publish_at == "future":
        publish_at = now + timedelta(hours=1)
    if unpublish_at == "past":
        unpublish_at = now - timedelta(minutes=1)
    elif unpublish_at == "future":
        unpublish_at = now + timedelta(days=1)
    kw.setdefault("dek", f"The dek of story {n}.")
    kw.setdefault("body", f"The body of story {n}.")
    article = Article.objects.create(
        headline=headline or f"Story {n}",
        slug=slug or f"story-{n}",
        status=status,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
        section=section,
        **kw,
    )
    if tags:
        article.tags.add(*tags)
    for position, author in enumerate(authors):
        Byline.objects.create(article=article, author=author, position=position)
    return article


def make_teaser(*, article, target=None, url="", **kw):
    return RelatedTeaser.objects.create(article=article, target=target, url=url, **kw)


def make_correction(*, article, text="An earlier version misstated the date.", **kw):
    kw.setdefault("published_at", timezone.now() - timedelta(minutes=5))
    return Correction.objects.create(article=article, text=text, **kw)


def article_form_data(**fields):
    """POST data for the admin's story form, with empty inline formsets."""
    data = {
        "headline": "Stress test",
        "slug": "stress-test",
        "status": "draft",
        "kicker": "",
        "dek": "",
        "body": "",
    }
    for prefix in ["bylines", "corrections", "teasers"]:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data
